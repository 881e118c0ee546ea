#include "model_runner.h"

#include <algorithm>
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

// The host's input reader: crops the requested region out of the whole sample, as the link host does for a board,
// so a streamed schedule runs the same region-by-region path here as on the board.
struct SampleReader {
  const mcb_model *model;
  const uint8_t *input;
  size_t input_size;
  uint32_t regions = 0;
  uint64_t bytes = 0;
};

int32_t read_region(void *user, const mcb_input_region *r, uint8_t *dst, uint32_t size) {
  auto *reader = static_cast<SampleReader *>(user);
  const mcb_model &m = *reader->model;
  uint64_t at = 0;
  uint32_t ordinal = 0;
  const mcb_img_io *record = nullptr;
  for (uint32_t i = 0; i < m.n_io && !record; ++i) {
    if (m.io[i].direction != MCB_IO_INPUT) continue;
    if (ordinal++ == r->input) record = &m.io[i];
    else at += m.io[i].external_size;
  }
  if (!record) return 1;
  uint64_t row_bytes = (uint64_t)r->width * r->pixel_bytes;
  if (r->height < 1 || r->width < 1 || (uint64_t)r->height * row_bytes != record->external_size ||
      at + record->external_size > reader->input_size)
    return 2;
  if (r->y0 < 0 || r->x0 < 0 || r->h < 1 || r->w < 1 || r->y0 > r->height - r->h || r->x0 > r->width - r->w) return 3;
  uint64_t region_row = (uint64_t)r->w * r->pixel_bytes;
  if (region_row * (uint64_t)r->h != size) return 4;
  for (int32_t y = 0; y < r->h; ++y) {
    const uint8_t *src = reader->input + at + (uint64_t)(r->y0 + y) * row_bytes + (uint64_t)r->x0 * r->pixel_bytes;
    std::copy(src, src + region_row, dst + (uint64_t)y * region_row);
  }
  reader->regions++;
  reader->bytes += size;
  return 0;
}

}  // namespace

RunOutcome run_model(const mcb_model &model, const uint8_t *input, size_t input_size, const RunOptions &options) {
  RunOutcome result;
  GuardedArena arena(mcb_model_arena_bytes(&model), model.header->arena_size, mcb_model_scratch_offset(&model));
  result.output.resize(model.output_bytes);
  CallbackState state{&result.per_op};
  mcb_run_config config{arena.data(), arena.size(), options.per_op ? collect_op : nullptr, &state, nullptr, nullptr, nullptr, 0};
  // A schedule that never needs the whole input gets it region by region, as the bench firmware does.
  SampleReader reader{&model, input, input_size};
  result.input_streamed = mcb_model_input_streamed(&model) != 0;
  if (result.input_streamed) {
    if (input_size != model.input_bytes) {
      result.status = MCB_ERR_ARG;  // what mcb_model_run says of a whole input of the wrong size
      result.diag.error = MCB_IMAGE_ERR_BAD_INPUT_SIZE;
      result.diag.index = 0;
      return result;
    }
    config.read_input = read_region;
    config.input_user = &reader;
  }

  const uint8_t patterns[2] = {0xA5, 0x5A};
  int passes = options.exact_high_water ? 2 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    arena.paint(patterns[pass]);
    if (pass == 1) config.on_op = nullptr;  // per-op outputs come from the first pass
    auto start = std::chrono::steady_clock::now();
    result.status = result.input_streamed
        ? mcb_model_run(&model, &config, nullptr, 0, result.output.data(), result.output.size(), &result.diag)
        : mcb_model_run(&model, &config, input, input_size, result.output.data(), result.output.size(), &result.diag);
    if (pass == 0) {
      result.input_regions = reader.regions;
      result.input_region_bytes = reader.bytes;
    }
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
