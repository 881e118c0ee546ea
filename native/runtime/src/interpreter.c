/* Walks the schedule the packer wrote: boundary copy-in, the patch stage (if any), the layer-based ops in
 * order (a streamed segment as one unit), boundary copy-out. Every buffer is where the plan put it inside the caller's one arena. */
#include "mcb/port.h"
#include "runtime_internal.h"

uint32_t mcb_op_clock(const mcb_run_config *config) { return config->op_cycles ? mcb_port_cycles() : 0u; }

void mcb_op_clocked(const mcb_run_config *config, uint32_t op, uint32_t start) {
  if (config->op_cycles && op < config->op_cycles_count) config->op_cycles[op] += mcb_port_cycles() - start;
}

mcb_status mcb_model_run(const mcb_model *model, const mcb_run_config *config, const void *input,
                         size_t input_size, void *output, size_t output_size, mcb_diag *diag) {
  mcb_arena arena;
  mcb_input_source source;
  mcb_status st;
  uint32_t i;
  if (diag) { diag->error = MCB_IMAGE_ERR_NONE; diag->index = -1; diag->kernel_status = MCB_OK; }
  if (!model || !model->header || !config || !output) return mcb_fail(diag, MCB_ERR_ARG, MCB_IMAGE_ERR_NONE, -1);
  /* The whole input, or none at all when a reader supplies it region by region. */
  if (config->read_input ? (input != NULL || input_size != 0) : (!input || input_size != model->input_bytes))
    return mcb_fail(diag, MCB_ERR_ARG, MCB_IMAGE_ERR_BAD_INPUT_SIZE, 0);
  if (output_size != model->output_bytes) return mcb_fail(diag, MCB_ERR_ARG, MCB_IMAGE_ERR_BAD_INPUT_SIZE, 1);
  if ((st = mcb_arena_init(&arena, model, config, diag)) != MCB_OK) return st;
  mcb_input_source_init(&source, model, config, (const uint8_t *)input);
  if (config->op_cycles)
    for (i = 0; i < config->op_cycles_count && i < model->n_ops; ++i) config->op_cycles[i] = 0;

  if ((st = mcb_io_copy_in(model, &arena, &source, diag)) != MCB_OK) return st;
  if (model->patch && (st = mcb_patch_run(model, &arena, &source, config, diag)) != MCB_OK) return st;
  for (i = 0; i < model->n_layer_ops; ++i) {
    uint32_t op = model->layer_ops[i];
    uint32_t start = mcb_port_cycles(), waited = source.wait_cycles;
    const mcb_img_stream_segment *seg = mcb_stream_segment_at(model, op);
    if (seg) {
      /* A streamed segment: its ops run row by row together (the loader checked they follow in this order);
       * per-op observers see the segment output once, as after a patch stage. */
      if ((st = mcb_stream_run(model, &arena, seg, &source, config, diag)) != MCB_OK) return st;
      i += seg->end_op - seg->first_op - 1u;
      op = seg->end_op - 1u;
    } else {
      uint32_t op_start = mcb_op_clock(config);
      if ((st = mcb_op_eval(model, &arena, op, diag)) != MCB_OK) return st;
      mcb_op_clocked(config, op, op_start);
    }
    /* Time spent waiting for streamed input is not the operator's. */
    if (config->on_op) config->on_op(config->user, model, op, arena.base, mcb_port_cycles() - start - (source.wait_cycles - waited));
  }
  return mcb_io_copy_out(model, &arena, (uint8_t *)output, diag);
}
