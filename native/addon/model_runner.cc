#include "model_runner.h"

#include <chrono>

namespace mcb_addon {

namespace {

struct CallbackState {
  std::vector<OpOutput> *sink;
};

void collect_op(void *user, const mcb_model *m, uint32_t op_index, const uint8_t *arena, uint32_t cycles) {
  auto *state = static_cast<CallbackState *>(user);
  const mcb_img_op &op = m->ops[op_index];
  OpOutput out{op_index, cycles, {}};
  for (uint32_t j = op.n_inputs; j < (uint32_t)op.n_inputs + op.n_outputs; ++j) {
    int32_t t = m->indices[op.io_index + j];
    const mcb_img_tensor &tensor = m->tensors[t];
    if (tensor.storage != MCB_STORAGE_ARENA) continue;
    const uint8_t *src = arena + tensor.offset;
    out.tensors.push_back({(uint32_t)t, tensor.graph_index, std::vector<uint8_t>(src, src + tensor.size)});
  }
  state->sink->push_back(std::move(out));
}

}  // namespace

RunOutcome run_model(const mcb_model &model, const uint8_t *input, size_t input_size, const RunOptions &options) {
  RunOutcome result;
  GuardedArena arena(mcb_model_arena_bytes(&model), model.header->arena_size, mcb_model_scratch_offset(&model));
  result.output.resize(model.output_bytes);
  CallbackState state{&result.per_op};
  mcb_run_config config{arena.data(), arena.size(), options.per_op ? collect_op : nullptr, &state, nullptr, 0};

  const uint8_t patterns[2] = {0xA5, 0x5A};
  int passes = options.exact_high_water ? 2 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    arena.paint(patterns[pass]);
    if (pass == 1) config.on_op = nullptr;  // per-op outputs come from the first pass
    auto start = std::chrono::steady_clock::now();
    result.status = mcb_model_run(&model, &config, input, input_size, result.output.data(), result.output.size(), &result.diag);
    auto stop = std::chrono::steady_clock::now();
    if (pass == 0) result.elapsed_ns = (uint64_t)std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count();
    ArenaUsage usage = arena.measure(patterns[pass]);
    if (pass == 0) {
      result.usage = usage;
    } else {
      if (usage.arena_high_water > result.usage.arena_high_water) result.usage.arena_high_water = usage.arena_high_water;
      if (usage.scratch_high_water > result.usage.scratch_high_water) result.usage.scratch_high_water = usage.scratch_high_water;
      result.usage.guards_intact = result.usage.guards_intact && usage.guards_intact;
    }
    if (result.status != MCB_OK) break;
  }
  return result;
}

std::string describe_failure(mcb_status status, const mcb_diag &diag) {
  std::string text = mcb_status_name(status);
  text += " (";
  text += mcb_image_error_name(diag.error);
  if (diag.index >= 0) text += ", index " + std::to_string(diag.index);
  if (diag.error == MCB_IMAGE_ERR_KERNEL_FAILED) text += std::string(", kernel said ") + mcb_status_name(diag.kernel_status);
  text += ")";
  return text;
}

}  // namespace mcb_addon
