/*
 * Tiny shared helpers for the kernel unit tests: checks that count failures,
 * a deterministic PRNG, and window (view) construction for tiling tests.
 * Header-only so every test is a single translation unit plus the kernels.
 */
#ifndef MCB_TEST_UTIL_H
#define MCB_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mcb/kernels.h"

/* Not every test uses every helper. */
#if defined(__GNUC__)
#define TEST_HELPER static __attribute__((unused))
#else
#define TEST_HELPER static
#endif

static int g_failures = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++g_failures;                                                          \
    }                                                                        \
  } while (0)

#define CHECK_EQ(actual, expected)                                                 \
  do {                                                                             \
    const long long a_ = (long long)(actual);                                      \
    const long long e_ = (long long)(expected);                                    \
    if (a_ != e_) {                                                                \
      fprintf(stderr, "%s:%d: %s = %lld, expected %lld\n", __FILE__, __LINE__,     \
              #actual, a_, e_);                                                    \
      ++g_failures;                                                                \
    }                                                                              \
  } while (0)

#define CHECK_STATUS(call, expected) CHECK_EQ((int)(call), (int)(expected))

/* Byte comparison reporting the first difference. */
#define CHECK_BYTES(actual, expected, n)                                               \
  do {                                                                                 \
    const int8_t *a_ = (const int8_t *)(actual);                                       \
    const int8_t *e_ = (const int8_t *)(expected);                                     \
    size_t i_;                                                                         \
    for (i_ = 0; i_ < (size_t)(n); ++i_) {                                             \
      if (a_[i_] != e_[i_]) {                                                          \
        fprintf(stderr, "%s:%d: %s[%lu] = %d, expected %d\n", __FILE__, __LINE__,       \
                #actual, (unsigned long)i_, a_[i_], e_[i_]);                           \
        ++g_failures;                                                                  \
        break;                                                                         \
      }                                                                                \
    }                                                                                  \
  } while (0)

TEST_HELPER int test_report(const char *name) {
  if (g_failures != 0) {
    fprintf(stderr, "%s: %d check(s) failed\n", name, g_failures);
    return 1;
  }
  printf("%s: ok\n", name);
  return 0;
}

/* xorshift32: deterministic, seedable, no libc rand() state. */
static uint32_t g_rng = 0x12345678u;
TEST_HELPER uint32_t rng_next(void) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}
TEST_HELPER int8_t rng_s8(void) { return (int8_t)(rng_next() & 0xff); }
TEST_HELPER int32_t rng_range(int32_t lo, int32_t hi) { /* inclusive */
  return lo + (int32_t)(rng_next() % (uint32_t)(hi - lo + 1));
}
TEST_HELPER void rng_fill_s8(int8_t *p, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) p[i] = rng_s8();
}

/* A whole-tensor view. */
TEST_HELPER mcb_view_s8 full_view(int8_t *data, int32_t h, int32_t w, int32_t c) {
  mcb_view_s8 v;
  v.data = data;
  v.y0 = 0;
  v.x0 = 0;
  v.h = h;
  v.w = w;
  v.c = c;
  v.full_h = h;
  v.full_w = w;
  return v;
}

/* Copies rows [y0,y1) x cols [x0,x1) of a full NHWC tensor into buf and returns its view. */
TEST_HELPER mcb_view_s8 window_of(const int8_t *full, int32_t full_h, int32_t full_w, int32_t c,
                             int32_t y0, int32_t y1, int32_t x0, int32_t x1, int8_t *buf) {
  mcb_view_s8 v;
  int32_t y;
  for (y = y0; y < y1; ++y) {
    memcpy(buf + (size_t)(y - y0) * (x1 - x0) * c, full + ((size_t)y * full_w + x0) * c,
           (size_t)(x1 - x0) * c);
  }
  v.data = buf;
  v.y0 = y0;
  v.x0 = x0;
  v.h = y1 - y0;
  v.w = x1 - x0;
  v.c = c;
  v.full_h = full_h;
  v.full_w = full_w;
  return v;
}

/* Input rows (or cols) [lo, hi) that outputs [o0, o1) read, clipped to [0, full). */
TEST_HELPER void halo(int32_t o0, int32_t o1, int32_t stride, int32_t pad, int32_t kernel,
                 int32_t dilation, int32_t full, int32_t *lo, int32_t *hi) {
  int32_t a = o0 * stride - pad;
  int32_t b = (o1 - 1) * stride - pad + (kernel - 1) * dilation + 1;
  *lo = a < 0 ? 0 : a;
  *hi = b > full ? full : b;
}

/* Splits [0, n) into 3 nearly equal parts: bounds[0..3]. */
TEST_HELPER void split3(int32_t n, int32_t *bounds) {
  bounds[0] = 0;
  bounds[1] = n / 3;
  bounds[2] = (2 * n) / 3;
  bounds[3] = n;
}

#endif /* MCB_TEST_UTIL_H */
