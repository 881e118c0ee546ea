// Runs a loaded model once in a guarded arena and gathers everything the JS side may ask for: the output
// bytes, per-operator outputs, arena usage and timing. Pure C++ (no N-API) so worker threads can call it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "guarded_arena.h"
#include "mcb/runtime.h"

namespace mcb_addon {

struct RunOptions {
  bool per_op = false;
  // Run twice with complementary paint patterns so a touched byte that happens to equal one pattern still
  // counts: the high-water mark is then exact.
  bool exact_high_water = false;
};

struct OpTensorOutput {
  uint32_t tensor;        // image tensor index
  uint32_t graph_tensor;  // source graph tensor index
  std::vector<uint8_t> data;
};

struct OpOutput {
  uint32_t op;        // image op index (== graph op index)
  uint32_t cycles;    // mcb_port_cycles() spent (ns on the host)
  std::vector<OpTensorOutput> tensors;
};

struct RunOutcome {
  mcb_status status = MCB_OK;
  mcb_diag diag{};
  std::vector<uint8_t> output;
  ArenaUsage usage;
  std::vector<OpOutput> per_op;
  uint64_t elapsed_ns = 0;
  // Streamed input (mcb_model_input_streamed): regions the runtime asked for and their bytes, in the first pass.
  bool input_streamed = false;
  uint32_t input_regions = 0;
  uint64_t input_region_bytes = 0;
};

RunOutcome run_model(const mcb_model &model, const uint8_t *input, size_t input_size, const RunOptions &options);

// "MCB_ERR_FORMAT (BAD_CRC, index 3)" style text for errors.
std::string describe_failure(mcb_status status, const mcb_diag &diag);

}  // namespace mcb_addon
