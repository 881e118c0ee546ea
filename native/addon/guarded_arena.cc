#include "guarded_arena.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace mcb_addon {

void GuardedArena::FreeDeleter::operator()(uint8_t *p) const { std::free(p); }

GuardedArena::GuardedArena(uint32_t size, uint32_t arena_size, uint32_t scratch_offset)
    : size_(size), arena_size_(arena_size), scratch_offset_(scratch_offset) {
  // kGuardBytes is a multiple of 16, so data() is 16-aligned as the runtime requires.
  size_t total = (kGuardBytes * 2 + size + 15) / 16 * 16;
  void *p = std::aligned_alloc(16, total);
  if (!p) throw std::bad_alloc();
  storage_.reset(static_cast<uint8_t *>(p));
  base_ = storage_.get();
  std::memset(base_, kGuardPattern, kGuardBytes);
  std::memset(base_ + kGuardBytes + size_, kGuardPattern, total - kGuardBytes - size_);
}

void GuardedArena::paint(uint8_t pattern) { std::memset(data(), pattern, size_); }

static uint32_t high_water(const uint8_t *p, uint32_t n, uint8_t pattern) {
  for (uint32_t i = n; i > 0; --i)
    if (p[i - 1] != pattern) return i;
  return 0;
}

ArenaUsage GuardedArena::measure(uint8_t pattern) const {
  ArenaUsage u;
  const uint8_t *arena = base_ + kGuardBytes;
  u.arena_high_water = high_water(arena, arena_size_ < size_ ? arena_size_ : size_, pattern);
  if (scratch_offset_ < size_) u.scratch_high_water = high_water(arena + scratch_offset_, size_ - scratch_offset_, pattern);
  for (size_t i = 0; i < kGuardBytes; ++i)
    if (base_[i] != kGuardPattern) u.guards_intact = false;
  const uint8_t *tail = arena + size_;
  for (size_t i = 0; i < kGuardBytes; ++i)
    if (tail[i] != kGuardPattern) u.guards_intact = false;
  return u;
}

}  // namespace mcb_addon
