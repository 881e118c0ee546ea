// One run's arena with guard zones on both sides: the arena is painted with a pattern before the run so the
// highest byte the run touched (the high-water mark) can be found afterwards, and the guards must come back
// unchanged.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace mcb_addon {

struct ArenaUsage {
  uint32_t arena_high_water = 0;   // highest touched offset + 1 inside the plan's arena (0: untouched)
  uint32_t scratch_high_water = 0; // same inside the scratch area after it
  bool guards_intact = true;
};

class GuardedArena {
 public:
  static constexpr size_t kGuardBytes = 4096;
  static constexpr uint8_t kGuardPattern = 0xCD;

  // size: the whole buffer the runtime gets; arena_size/scratch_offset split it for the usage report.
  GuardedArena(uint32_t size, uint32_t arena_size, uint32_t scratch_offset);

  uint8_t *data() { return base_ + kGuardBytes; }
  uint32_t size() const { return size_; }
  void paint(uint8_t pattern);
  // Usage since the last paint(pattern).
  ArenaUsage measure(uint8_t pattern) const;

 private:
  struct FreeDeleter { void operator()(uint8_t *p) const; };
  std::unique_ptr<uint8_t, FreeDeleter> storage_;
  uint8_t *base_;
  uint32_t size_, arena_size_, scratch_offset_;
};

}  // namespace mcb_addon
