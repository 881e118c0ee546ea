/*
 * Differential test of the AVX2 twins (native/runtime/kernels/x86/) against the portable references:
 * random shapes, strides, dilations, paddings, windowed views and regions, quantization tables
 * (negative multipliers, INT32_MIN, shifts over the whole [-31, 30] range), activation ranges,
 * in-place calls and invalid calls. For every case the dispatch rule (twin, or the reference when the
 * twin declines with MCB_ERR_UNSUPPORTED) must give the reference's status and the reference's bytes
 * in the whole output buffer. Also checks the 8-lane requantization against
 * mcb_multiply_by_quantized_multiplier on edge values and millions of random triples.
 *
 *   twins_avx2 <seed> <cases per op>     prints "<section>: ok ..." lines; exit 0 when all agree
 *   MCB_FORCE_REF=1 twins_avx2            only checks that dispatch is pinned to the reference
 * Run by tests/native/kernels-twins.test.ts (built with ASan + UBSan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "kernels_ref.h"
#include "twins.h"
#include "mcb/kernels.h"
#include "mcb/quant.h"
#include "x86/requant_avx2.h"

static uint64_t g_rng;
static long g_failures;

static uint32_t rnd(void) {
  uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* Uniform in [lo, hi]. */
static int32_t pick(int32_t lo, int32_t hi) {
  return (int32_t)(lo + (int64_t)(rnd() % (uint64_t)((int64_t)hi - lo + 1)));
}

static int chance(int percent) { return pick(0, 99) < percent; }

static void fill_random(int8_t *p, size_t n) {
  const int mode = pick(0, 19);
  size_t i;
  for (i = 0; i < n; ++i) {
    /* Mostly uniform; sometimes all extremes, to push accumulators to their largest magnitudes. */
    p[i] = mode == 0 ? (int8_t)-128 : mode == 1 ? (int8_t)127 : mode == 2 ? (int8_t)(chance(50) ? -128 : 127)
                                                                          : (int8_t)(rnd() & 0xFF);
  }
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return p;
}

/* ------------------------------------------------------------- requantization */

static MCB_AVX2 int check_requant8(const int32_t *x, const int32_t *mult, const int32_t *shift) {
  mcb_requant_lane lanes[8];
  int32_t m[8], l[8], r[8], k[8], h[8], got[8];
  mcb_requant8 rq;
  int i, bad = 0;
  for (i = 0; i < 8; ++i) {
    mcb_requant_lane_init(&lanes[i], mult[i], shift[i]);
    m[i] = lanes[i].multiplier;
    l[i] = lanes[i].left;
    r[i] = lanes[i].right;
    k[i] = lanes[i].mask;
    h[i] = lanes[i].half;
  }
  rq = mcb_requant8_load(m, l, r, k, h);
  /* Offset 0 and the widest clamp expose the raw MultiplyByQuantizedMultiplier value. */
  _mm256_storeu_si256((__m256i *)got,
                      mcb_requant8_apply(_mm256_loadu_si256((const __m256i *)x), &rq, _mm256_setzero_si256(),
                                         _mm256_set1_epi32(INT32_MIN), _mm256_set1_epi32(INT32_MAX)));
  for (i = 0; i < 8; ++i) {
    const int32_t want = mcb_multiply_by_quantized_multiplier(x[i], mult[i], shift[i]);
    if (got[i] != want) {
      if (g_failures++ < 10) {
        fprintf(stderr, "requant: x=%ld mult=%ld shift=%ld: avx2 %ld, reference %ld\n", (long)x[i], (long)mult[i],
                (long)shift[i], (long)got[i], (long)want);
      }
      bad = 1;
    }
  }
  return bad;
}

static int32_t random_x(void) {
  switch (pick(0, 5)) {
    case 0: return (int32_t)rnd();
    case 1: return pick(-70000, 70000);
    case 2: return pick(-2, 2) + (chance(50) ? INT32_MIN + 2 : INT32_MAX - 2);
    default: return (int32_t)rnd() >> pick(0, 31);
  }
}

static int32_t random_multiplier(void) {
  const int32_t magnitude = (int32_t)((1u << 30) | (rnd() & 0x3FFFFFFFu));
  switch (pick(0, 49)) {
    case 0: return INT32_MIN;
    case 1: return 0;
    case 2: return INT32_MAX;
    case 3: return (int32_t)rnd();
    default: return chance(15) ? -magnitude : magnitude;
  }
}

static int32_t random_shift(void) { return chance(70) ? pick(-12, 1) : pick(-31, 30); }

static void test_requant(long rounds) {
  static const int32_t xs[] = {INT32_MIN, INT32_MIN + 1, -65536, -3, -2, -1, 0, 1, 2, 3, 65535, INT32_MAX - 1, INT32_MAX};
  static const int32_t ms[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30), 0, 1 << 30, (1 << 30) + 1, INT32_MAX};
  int32_t x[8], m[8], s[8];
  long cases = 0, n;
  size_t a, b;
  int32_t shift;
  int i;
  /* Every edge x against every edge multiplier and every shift. */
  for (a = 0; a < sizeof(xs) / sizeof(xs[0]); ++a) {
    for (b = 0; b < sizeof(ms) / sizeof(ms[0]); ++b) {
      for (shift = -31; shift <= 30; shift += 8) {
        for (i = 0; i < 8; ++i) {
          x[i] = xs[a];
          m[i] = ms[b];
          s[i] = shift + i < 31 ? shift + i : 30;
        }
        check_requant8(x, m, s);
        cases += 8;
      }
    }
  }
  for (n = 0; n < rounds; ++n) {
    for (i = 0; i < 8; ++i) {
      x[i] = random_x();
      m[i] = random_multiplier();
      s[i] = random_shift();
    }
    check_requant8(x, m, s);
    cases += 8;
  }
  printf("requant8: %s, %ld values\n", g_failures ? "FAILED" : "ok", cases);
}

/* ---------------------------------------------------------- shared generators */

typedef struct geometry {
  int32_t stride_h, stride_w, dil_h, dil_w, pad_top, pad_left, kh, kw;
  int32_t in_full_h, in_full_w, out_full_h, out_full_w;
} geometry;

/* Random convolution geometry with an output of at least one pixel. */
static void random_geometry(geometry *g, int pointwise, int big) {
  for (;;) {
    int32_t pad_bottom, pad_right, eff_h, eff_w;
    g->kh = pointwise ? 1 : chance(60) ? pick(1, 3) * 2 - 1 : pick(1, big ? 7 : 5);
    g->kw = pointwise ? 1 : chance(70) ? g->kh : pick(1, 5);
    g->stride_h = pointwise ? 1 : pick(1, 3);
    g->stride_w = pointwise ? 1 : chance(80) ? g->stride_h : pick(1, 3);
    g->dil_h = pointwise || chance(80) ? 1 : pick(2, 3);
    g->dil_w = pointwise || chance(80) ? g->dil_h : pick(1, 3);
    eff_h = (g->kh - 1) * g->dil_h + 1;
    eff_w = (g->kw - 1) * g->dil_w + 1;
    g->pad_top = pointwise ? 0 : pick(0, eff_h - 1);
    g->pad_left = pointwise ? 0 : pick(0, eff_w - 1);
    pad_bottom = pointwise ? 0 : pick(0, eff_h - 1);
    pad_right = pointwise ? 0 : pick(0, eff_w - 1);
    g->in_full_h = pick(1, big ? 40 : 14);
    g->in_full_w = pick(1, big ? 40 : 14);
    if (g->in_full_h + g->pad_top + pad_bottom < eff_h || g->in_full_w + g->pad_left + pad_right < eff_w) {
      continue;
    }
    g->out_full_h = (g->in_full_h + g->pad_top + pad_bottom - eff_h) / g->stride_h + 1;
    g->out_full_w = (g->in_full_w + g->pad_left + pad_right - eff_w) / g->stride_w + 1;
    return;
  }
}

/* Output view (whole or a sub-window) and region (NULL, whole or part, sometimes empty). */
static void random_output(const geometry *g, int32_t c, int windowed, mcb_view_s8 *out, mcb_region *region,
                          int *use_region) {
  out->full_h = g->out_full_h;
  out->full_w = g->out_full_w;
  out->c = c;
  if (windowed) {
    out->h = pick(1, g->out_full_h);
    out->w = pick(1, g->out_full_w);
    out->y0 = pick(0, g->out_full_h - out->h);
    out->x0 = pick(0, g->out_full_w - out->w);
  } else {
    out->y0 = out->x0 = 0;
    out->h = g->out_full_h;
    out->w = g->out_full_w;
  }
  *use_region = chance(50);
  region->y0 = out->y0 + pick(0, out->h - 1);
  region->x0 = out->x0 + pick(0, out->w - 1);
  region->y1 = pick(region->y0 + (chance(3) ? 0 : 1), out->y0 + out->h);
  region->x1 = pick(region->x0 + 1, out->x0 + out->w);
}

/* Smallest input window covering every in-bounds tap of outputs [o0, o1), plus a random margin. */
static void input_span(int32_t o0, int32_t o1, int32_t stride, int32_t pad, int32_t k, int32_t dil, int32_t full,
                       int32_t *start, int32_t *len) {
  int32_t lo = full, hi = -1, o, t;
  for (o = o0; o < o1; ++o) {
    for (t = 0; t < k; ++t) {
      const int32_t i = o * stride - pad + t * dil;
      if (i >= 0 && i < full) {
        lo = i < lo ? i : lo;
        hi = i > hi ? i : hi;
      }
    }
  }
  if (hi < 0) {
    lo = hi = pick(0, full - 1); /* only padding taps: any row will do */
  }
  lo -= chance(50) ? pick(0, 2) : 0;
  hi += chance(50) ? pick(0, 2) : 0;
  lo = lo < 0 ? 0 : lo;
  hi = hi >= full ? full - 1 : hi;
  *start = lo;
  *len = hi - lo + 1;
}

static void random_input_view(const geometry *g, const mcb_view_s8 *out, const mcb_region *region, int use_region,
                              int windowed, int32_t c, mcb_view_s8 *in) {
  const mcb_region whole = {out->y0, out->y0 + out->h, out->x0, out->x0 + out->w};
  const mcb_region *r = use_region ? region : &whole;
  in->full_h = g->in_full_h;
  in->full_w = g->in_full_w;
  in->c = c;
  if (windowed && r->y1 > r->y0) {
    input_span(r->y0, r->y1, g->stride_h, g->pad_top, g->kh, g->dil_h, g->in_full_h, &in->y0, &in->h);
    input_span(r->x0, r->x1, g->stride_w, g->pad_left, g->kw, g->dil_w, g->in_full_w, &in->x0, &in->w);
    if (chance(4) && in->h > 1) {
      in->h -= 1; /* may miss a needed tap: both must say MCB_ERR_WINDOW */
    }
  } else {
    in->y0 = in->x0 = 0;
    in->h = g->in_full_h;
    in->w = g->in_full_w;
  }
}

typedef struct quant_table {
  int32_t *multiplier, *shift;
  mcb_channel_quant q;
} quant_table;

/* Shifts for kernel calls: the whole right-shift range, and left shifts only as far as the largest
 * possible accumulator stays clear of int32 overflow (the reference's `+ output_offset` would be
 * undefined behaviour there; wrapping itself is covered by test_requant). */
static int32_t kernel_shift(int64_t max_acc) {
  int32_t left = 0;
  while (left < 30 && (max_acc << (left + 1)) < INT32_MAX - 256) {
    ++left;
  }
  return chance(90) ? pick(-31, 0) : pick(-31, left);
}

static void random_quant(quant_table *t, int32_t channels, int64_t max_acc) {
  const int32_t count = chance(20) ? 1 : channels;
  int32_t i;
  t->multiplier = (int32_t *)xmalloc((size_t)count * sizeof(int32_t));
  t->shift = (int32_t *)xmalloc((size_t)count * sizeof(int32_t));
  for (i = 0; i < count; ++i) {
    t->multiplier[i] = random_multiplier();
    t->shift[i] = chance(80) ? pick(-12, 0) : kernel_shift(max_acc);
  }
  if (chance(1)) {
    t->shift[pick(0, count - 1)] = chance(50) ? 31 : -32; /* out of range: MCB_ERR_ARG from both paths */
  }
  t->q.multiplier = t->multiplier;
  t->q.shift = t->shift;
  t->q.count = count;
}

static void free_quant(quant_table *t) {
  free(t->multiplier);
  free(t->shift);
}

static int32_t *random_bias(int32_t channels) {
  int32_t *b;
  int32_t i;
  const int wide = chance(5);
  if (chance(20)) {
    return NULL;
  }
  b = (int32_t *)xmalloc((size_t)channels * sizeof(int32_t));
  for (i = 0; i < channels; ++i) {
    b[i] = wide ? pick(-(1 << 30), 1 << 30) : pick(-(1 << 20), 1 << 20);
  }
  return b;
}

/* Largest |accumulator| a call can produce: taps * 128 * 255 plus the largest |bias|. */
static int64_t max_accumulator(int64_t terms, const int32_t *bias, int32_t channels) {
  int64_t m = 0;
  int32_t i;
  for (i = 0; bias != NULL && i < channels; ++i) {
    const int64_t b = bias[i] < 0 ? -(int64_t)bias[i] : bias[i];
    m = b > m ? b : m;
  }
  return terms * 128 * 255 + m;
}

static void random_act(int32_t *act_min, int32_t *act_max) {
  if (chance(50)) {
    *act_min = -128;
    *act_max = 127;
  } else {
    *act_min = pick(-128, 127);
    *act_max = pick(*act_min, 127);
  }
  if (chance(1)) {
    *act_min = 10;
    *act_max = 5; /* invalid */
  }
}

static size_t view_bytes(const mcb_view_s8 *v) { return (size_t)v->h * (size_t)v->w * (size_t)v->c; }

/* Counts one comparison; returns 1 when the twin took the call. */
static int compare(const char *op, long index, mcb_status twin, mcb_status ref_on_decline, mcb_status ref,
                   const int8_t *got, const int8_t *want, size_t n) {
  const mcb_status result = twin == MCB_ERR_UNSUPPORTED ? ref_on_decline : twin;
  size_t i;
  if (result != ref) {
    if (g_failures++ < 20) {
      fprintf(stderr, "%s case %ld: status %s (twin %s), reference %s\n", op, index, mcb_status_name(result),
              mcb_status_name(twin), mcb_status_name(ref));
    }
    return twin != MCB_ERR_UNSUPPORTED;
  }
  for (i = 0; i < n; ++i) {
    if (got[i] != want[i]) {
      if (g_failures++ < 20) {
        fprintf(stderr, "%s case %ld: byte %lu of %lu is %d, reference %d (twin %s)\n", op, index, (unsigned long)i,
                (unsigned long)n, got[i], want[i], mcb_status_name(twin));
      }
      break;
    }
  }
  return twin != MCB_ERR_UNSUPPORTED;
}

/* -------------------------------------------------------------------- conv_2d */

static int32_t random_channels(int big) {
  static const int32_t common[] = {1, 2, 3, 4, 7, 8, 15, 16, 17, 24, 31, 32, 33, 40, 48, 64, 80};
  if (big && chance(10)) {
    return pick(100, 600);
  }
  return chance(60) ? common[pick(0, (int32_t)(sizeof(common) / sizeof(common[0])) - 1)] : pick(1, 70);
}

static void conv_case(long index, long *taken, long *valid) {
  const int big = chance(10);
  const int inplace = chance(10);
  geometry g;
  mcb_conv_params p;
  mcb_filter_s8 f;
  mcb_view_s8 in, out_ref, out_twin, in_twin;
  mcb_region region;
  mcb_context ctx;
  quant_table qt;
  int use_region, windowed = chance(40);
  int32_t in_c, out_c, *bias;
  int8_t *filter, *in_buf, *out_a, *out_b, scratch_a[700], scratch_b[700];
  size_t out_n, in_n;
  mcb_status ref, twin, ref2 = MCB_OK;

  random_geometry(&g, inplace || chance(40), big);
  in_c = random_channels(big);
  out_c = random_channels(big);
  if (inplace && out_c > in_c) {
    out_c = in_c;
  }
  p.stride_h = g.stride_h;
  p.stride_w = g.stride_w;
  p.dilation_h = g.dil_h;
  p.dilation_w = g.dil_w;
  p.pad_top = g.pad_top;
  p.pad_left = g.pad_left;
  p.input_offset = chance(2) ? 129 : pick(-127, 128);
  p.output_offset = pick(-128, 127);
  random_act(&p.act_min, &p.act_max);
  if (chance(1)) {
    p.stride_w = 0;
  }
  f.out_c = out_c;
  f.h = g.kh;
  f.w = g.kw;
  f.in_c = in_c;
  filter = (int8_t *)xmalloc((size_t)out_c * g.kh * g.kw * in_c);
  fill_random(filter, (size_t)out_c * g.kh * g.kw * in_c);
  f.data = filter;
  bias = random_bias(out_c);
  random_quant(&qt, out_c, max_accumulator((int64_t)g.kh * g.kw * in_c, bias, out_c));

  random_output(&g, out_c, windowed && !inplace, &out_ref, &region, &use_region);
  random_input_view(&g, &out_ref, &region, use_region, windowed && !inplace, in_c, &in);
  if (inplace) {
    /* Case (b): one buffer, the same window; the reference needs out_c bytes of scratch. */
    in.y0 = out_ref.y0;
    in.x0 = out_ref.x0;
    in.h = out_ref.h;
    in.w = out_ref.w;
    use_region = chance(80) ? 0 : use_region;
  }
  in_n = view_bytes(&in);
  out_n = view_bytes(&out_ref);
  in_buf = (int8_t *)xmalloc(in_n);
  fill_random(in_buf, in_n);
  out_a = (int8_t *)xmalloc(inplace ? in_n : out_n);
  out_b = (int8_t *)xmalloc(inplace ? in_n : out_n);
  if (inplace) {
    memcpy(out_a, in_buf, in_n);
  } else {
    fill_random(out_a, out_n);
  }
  memcpy(out_b, out_a, inplace ? in_n : out_n);
  out_twin = out_ref;
  in_twin = in;
  ctx.size = inplace ? (chance(10) ? out_c - 1 : out_c) : 0;
  ctx.buf = ctx.size > 0 ? scratch_a : NULL;

  if (inplace) {
    in.data = out_ref.data = out_a;
    in_twin.data = out_twin.data = out_b;
  } else {
    in.data = in_twin.data = in_buf;
    out_ref.data = out_a;
    out_twin.data = out_b;
  }
  ref = mcb_conv_2d_s8_ref(&p, &qt.q, &in, &f, bias, &out_ref, use_region ? &region : NULL, &ctx);
  ctx.buf = ctx.size > 0 ? scratch_b : NULL;
  twin = mcb_conv_2d_s8_avx2(&p, &qt.q, &in_twin, &f, bias, &out_twin, use_region ? &region : NULL, &ctx);
  if (twin == MCB_ERR_UNSUPPORTED) {
    ref2 = mcb_conv_2d_s8_ref(&p, &qt.q, &in_twin, &f, bias, &out_twin, use_region ? &region : NULL, &ctx);
  }
  *valid += ref == MCB_OK;
  *taken += compare("conv_2d", index, twin, ref2, ref, out_b, out_a, inplace ? in_n : out_n);

  free(filter);
  free_quant(&qt);
  free(bias);
  free(in_buf);
  free(out_a);
  free(out_b);
}

/* ---------------------------------------------------------- depthwise_conv_2d */

static void depthwise_case(long index, long *taken, long *valid) {
  const int big = chance(15);
  const int inplace = chance(8);
  geometry g;
  mcb_depthwise_conv_params p;
  mcb_depthwise_filter_s8 f;
  mcb_view_s8 in, out_ref, out_twin, in_twin;
  mcb_region region;
  mcb_context ctx;
  quant_table qt;
  int use_region, windowed = chance(40);
  int32_t c, mult, *bias;
  int8_t *filter, *in_buf, *out_a, *out_b, *scratch_a, *scratch_b;
  size_t out_n, in_n, buf_n;
  mcb_status ref, twin, ref2 = MCB_OK;

  random_geometry(&g, 0, big);
  if (inplace && chance(50)) {
    /* Case (a) over one buffer: half the time input and output share their geometry (odd kernel,
     * stride 1, "same"), otherwise any geometry (the buffer is the larger of the two views). */
    g.kh = g.kw = 2 * pick(0, 2) + 1;
    g.stride_h = g.stride_w = g.dil_h = g.dil_w = 1;
    g.pad_top = (g.kh - 1) / 2;
    g.pad_left = (g.kw - 1) / 2;
    g.out_full_h = g.in_full_h;
    g.out_full_w = g.in_full_w;
  }
  c = random_channels(big);
  mult = inplace || chance(85) ? 1 : chance(40) ? 8 : pick(2, 3);
  p.stride_h = g.stride_h;
  p.stride_w = g.stride_w;
  p.dilation_h = g.dil_h;
  p.dilation_w = g.dil_w;
  p.pad_top = g.pad_top;
  p.pad_left = g.pad_left;
  p.depth_multiplier = mult;
  p.input_offset = chance(2) ? -128 : pick(-127, 128);
  p.output_offset = pick(-128, 127);
  random_act(&p.act_min, &p.act_max);
  f.h = g.kh;
  f.w = g.kw;
  f.c = c * mult;
  filter = (int8_t *)xmalloc((size_t)g.kh * g.kw * f.c);
  fill_random(filter, (size_t)g.kh * g.kw * f.c);
  f.data = filter;
  bias = random_bias(f.c);
  random_quant(&qt, f.c, max_accumulator((int64_t)g.kh * g.kw, bias, f.c));

  random_output(&g, f.c, windowed && !inplace, &out_ref, &region, &use_region);
  random_input_view(&g, &out_ref, &region, use_region, windowed && !inplace, c, &in);
  if (inplace) {
    use_region = 0;
  }
  in_n = view_bytes(&in);
  out_n = view_bytes(&out_ref);
  in_buf = (int8_t *)xmalloc(in_n);
  fill_random(in_buf, in_n);
  buf_n = inplace && in_n > out_n ? in_n : out_n;
  out_a = (int8_t *)xmalloc(buf_n);
  out_b = (int8_t *)xmalloc(buf_n);
  fill_random(out_a, buf_n);
  if (inplace) {
    memcpy(out_a, in_buf, in_n);
  }
  memcpy(out_b, out_a, buf_n);
  out_twin = out_ref;
  in_twin = in;
  /* The reference needs one plane; a larger scratch lets the twin take wider channel groups. */
  ctx.size = inplace ? out_ref.h * out_ref.w * (chance(30) ? pick(2, 17) : 1) : 0;
  scratch_a = (int8_t *)xmalloc((size_t)ctx.size);
  scratch_b = (int8_t *)xmalloc((size_t)ctx.size);
  if (inplace) {
    in.data = out_ref.data = out_a;
    in_twin.data = out_twin.data = out_b;
  } else {
    in.data = in_twin.data = in_buf;
    out_ref.data = out_a;
    out_twin.data = out_b;
  }
  ctx.buf = ctx.size > 0 ? scratch_a : NULL;
  ref = mcb_depthwise_conv_2d_s8_ref(&p, &qt.q, &in, &f, bias, &out_ref, use_region ? &region : NULL, &ctx);
  ctx.buf = ctx.size > 0 ? scratch_b : NULL;
  twin = mcb_depthwise_conv_2d_s8_avx2(&p, &qt.q, &in_twin, &f, bias, &out_twin, use_region ? &region : NULL, &ctx);
  if (twin == MCB_ERR_UNSUPPORTED) {
    ref2 = mcb_depthwise_conv_2d_s8_ref(&p, &qt.q, &in_twin, &f, bias, &out_twin, use_region ? &region : NULL, &ctx);
  }
  *valid += ref == MCB_OK;
  *taken += compare("depthwise_conv_2d", index, twin, ref2, ref, out_b, out_a, buf_n);

  free(filter);
  free_quant(&qt);
  free(bias);
  free(in_buf);
  free(out_a);
  free(out_b);
  free(scratch_a);
  free(scratch_b);
}

/* ------------------------------------------------------------------------ add */

static void add_case(long index, long *taken, long *valid) {
  mcb_add_params p;
  mcb_shape s1, s2, so;
  int32_t d, alias = pick(0, 9);
  int64_t n = 1;
  int8_t *in1, *in2, *buf_a, *buf_b, *out_a, *out_b;
  const int8_t *a1, *a2, *b1, *b2;
  mcb_status ref, twin, ref2 = MCB_OK;
  size_t total;

  so.rank = pick(1, 4);
  for (d = 0; d < so.rank; ++d) {
    so.dims[d] = pick(1, d == so.rank - 1 ? 70 : 9);
    n *= so.dims[d];
  }
  s1 = s2 = so;
  if (chance(10)) {
    s2.dims[pick(0, so.rank - 1)] = 1; /* broadcasting: the twin declines, the reference computes */
  }
  p.left_shift = chance(2) ? 23 : chance(80) ? 20 : pick(0, 21);
  p.input1_offset = pick(-127, 128);
  p.input2_offset = pick(-127, 128);
  p.output_offset = pick(-128, 127);
  p.input1_multiplier = chance(3) ? 0 : pick(1 << 30, INT32_MAX);
  p.input2_multiplier = chance(3) ? 0 : pick(1 << 30, INT32_MAX);
  p.output_multiplier = chance(1) ? -5 : pick(1 << 30, INT32_MAX);
  p.input1_shift = chance(70) ? pick(-3, 0) : pick(-31, 0);
  p.input2_shift = chance(70) ? pick(-3, 0) : pick(-31, 0);
  p.output_shift = chance(70) ? pick(-22, -16) : chance(1) ? 1 : pick(-31, 0);
  random_act(&p.act_min, &p.act_max);

  /* One buffer holds in1 | in2 | out so the output can alias an input exactly or partly. */
  total = (size_t)n * 3 + 8;
  buf_a = (int8_t *)xmalloc(total);
  buf_b = (int8_t *)xmalloc(total);
  fill_random(buf_a, total);
  memcpy(buf_b, buf_a, total);
  in1 = buf_a;
  in2 = buf_a + n;
  out_a = alias == 0 ? in1 : alias == 1 ? in2 : alias == 2 ? buf_a + n / 2 + 1 : buf_a + 2 * n + pick(0, 8);
  a1 = in1;
  a2 = in2;
  b1 = buf_b;
  b2 = buf_b + n;
  out_b = buf_b + (out_a - buf_a);
  ref = mcb_add_s8_ref(&p, &s1, a1, &s2, a2, &so, out_a);
  twin = mcb_add_s8_avx2(&p, &s1, b1, &s2, b2, &so, out_b);
  if (twin == MCB_ERR_UNSUPPORTED) {
    ref2 = mcb_add_s8_ref(&p, &s1, b1, &s2, b2, &so, out_b);
  }
  *valid += ref == MCB_OK;
  *taken += compare("add", index, twin, ref2, ref, buf_b, buf_a, total);
  free(buf_a);
  free(buf_b);
}

/* ------------------------------------------------------------ fully_connected */

static void fc_case(long index, long *taken, long *valid) {
  mcb_fully_connected_params p;
  quant_table qt;
  const int32_t batches = pick(1, 4), depth = chance(10) ? pick(200, 1200) : pick(1, 100);
  const int32_t out_depth = chance(10) ? pick(100, 300) : pick(1, 40);
  const size_t in_n = (size_t)batches * depth, out_n = (size_t)batches * out_depth;
  int8_t *filter, *buf_a, *buf_b;
  int32_t *bias;
  size_t out_at;
  mcb_status ref, twin, ref2 = MCB_OK;

  p.input_offset = pick(-127, 128);
  p.filter_offset = chance(50) ? 0 : chance(2) ? 129 : pick(-127, 128);
  p.output_offset = pick(-128, 127);
  random_act(&p.act_min, &p.act_max);
  filter = (int8_t *)xmalloc((size_t)out_depth * depth);
  fill_random(filter, (size_t)out_depth * depth);
  bias = random_bias(out_depth);
  /* Both offsets apply: each term is at most 255 * 255 < 2 * 128 * 255. */
  random_quant(&qt, out_depth, max_accumulator((int64_t)depth * 2, bias, out_depth));
  /* One buffer: input, then the output after it, or overlapping it (MCB_ERR_ALIAS from both). */
  buf_a = (int8_t *)xmalloc(in_n + out_n + 8);
  buf_b = (int8_t *)xmalloc(in_n + out_n + 8);
  fill_random(buf_a, in_n + out_n + 8);
  memcpy(buf_b, buf_a, in_n + out_n + 8);
  out_at = chance(3) ? (size_t)pick(0, (int32_t)in_n - 1) : in_n + (size_t)pick(0, 8);
  ref = mcb_fully_connected_s8_ref(&p, &qt.q, buf_a, batches, depth, filter, out_depth, bias, buf_a + out_at);
  twin = mcb_fully_connected_s8_avx2(&p, &qt.q, buf_b, batches, depth, filter, out_depth, bias, buf_b + out_at);
  if (twin == MCB_ERR_UNSUPPORTED) {
    ref2 = mcb_fully_connected_s8_ref(&p, &qt.q, buf_b, batches, depth, filter, out_depth, bias, buf_b + out_at);
  }
  *valid += ref == MCB_OK;
  *taken += compare("fully_connected", index, twin, ref2, ref, buf_b, buf_a, in_n + out_n + 8);
  free(filter);
  free_quant(&qt);
  free(bias);
  free(buf_a);
  free(buf_b);
}

/* ----------------------------------------------------------------- leaky_relu */

static void leaky_relu_case(long index, long *taken, long *valid) {
  mcb_leaky_relu_params p;
  const int32_t count = chance(5) ? 0 : pick(1, 300);
  const int32_t alias = pick(0, 9);
  const size_t total = (size_t)count * 2 + 8;
  int8_t *buf_a = (int8_t *)xmalloc(total), *buf_b = (int8_t *)xmalloc(total);
  size_t out_at;
  mcb_status ref, twin, ref2 = MCB_OK;

  p.input_zero_point = chance(2) ? 300 : pick(-128, 127);
  p.output_zero_point = chance(2) ? -200 : pick(-128, 127);
  p.output_multiplier_identity = chance(1) ? -7 : chance(3) ? 0 : pick(1 << 30, INT32_MAX);
  p.output_multiplier_alpha = chance(3) ? 0 : chance(30) ? -pick(1 << 30, INT32_MAX) : pick(1 << 30, INT32_MAX);
  p.output_shift_identity = chance(80) ? pick(-10, 1) : pick(-31, 20);
  p.output_shift_alpha = chance(80) ? pick(-12, 0) : pick(-31, 20);
  fill_random(buf_a, total);
  memcpy(buf_b, buf_a, total);
  /* Output apart from the input, equal to it (in place), or overlapping it (MCB_ERR_ALIAS). */
  out_at = alias < 3 ? 0 : alias == 3 ? (size_t)pick(1, count > 1 ? count - 1 : 1) : (size_t)count + (size_t)pick(0, 8);
  ref = mcb_leaky_relu_s8_ref(&p, buf_a, buf_a + out_at, count);
  twin = mcb_leaky_relu_s8_avx2(&p, buf_b, buf_b + out_at, count);
  if (twin == MCB_ERR_UNSUPPORTED) {
    ref2 = mcb_leaky_relu_s8_ref(&p, buf_b, buf_b + out_at, count);
  }
  *valid += ref == MCB_OK;
  *taken += compare("leaky_relu", index, twin, ref2, ref, buf_b, buf_a, total);
  free(buf_a);
  free(buf_b);
}

/* ------------------------------------------------------------------------ mul */

static void mul_case(long index, long *taken, long *valid) {
  mcb_mul_params p;
  mcb_shape s1, s2, so, vec;
  int32_t d, alias = pick(0, 9), form = pick(0, 9);
  int64_t n = 1, n1, n2;
  int8_t *buf_a, *buf_b, *out_a, *out_b;
  mcb_status ref, twin, ref2 = MCB_OK;
  size_t total;

  so.rank = pick(1, 4);
  for (d = 0; d < so.rank; ++d) {
    so.dims[d] = pick(1, d == so.rank - 1 ? 70 : 9);
    n *= so.dims[d];
  }
  /* Channel vector [1, ..., 1, C] (squeeze-and-excitation), same shapes, or other broadcasting. */
  vec.rank = pick(1, so.rank);
  for (d = 0; d < vec.rank; ++d) {
    vec.dims[d] = d == vec.rank - 1 ? so.dims[so.rank - 1] : 1;
  }
  s1 = s2 = so;
  if (form < 4) {
    s2 = vec;
  } else if (form < 6) {
    s1 = vec;
  } else if (form == 6) {
    s2.dims[pick(0, so.rank - 1)] = 1;
  }
  n1 = 1;
  n2 = 1;
  for (d = 0; d < s1.rank; ++d) n1 *= s1.dims[d];
  for (d = 0; d < s2.rank; ++d) n2 *= s2.dims[d];
  p.input1_offset = pick(-127, 128);
  p.input2_offset = pick(-127, 128);
  p.output_offset = chance(1) ? 300 : pick(-128, 127);
  p.output_multiplier = chance(1) ? -1 : pick(1 << 30, INT32_MAX);
  p.output_shift = chance(80) ? pick(-14, -6) : pick(-31, 10);
  random_act(&p.act_min, &p.act_max);

  /* One buffer holds in1 | in2 | out so the output can alias an input exactly or partly. */
  total = (size_t)(n1 + n2 + n) + 8;
  buf_a = (int8_t *)xmalloc(total);
  buf_b = (int8_t *)xmalloc(total);
  fill_random(buf_a, total);
  memcpy(buf_b, buf_a, total);
  out_a = alias == 0 ? buf_a : alias == 1 ? buf_a + n1 : alias == 2 ? buf_a + pick(1, (int32_t)(n1 + n2))
                                                                  : buf_a + n1 + n2 + pick(0, 8);
  out_b = buf_b + (out_a - buf_a);
  ref = mcb_mul_s8_ref(&p, &s1, buf_a, &s2, buf_a + n1, &so, out_a);
  twin = mcb_mul_s8_avx2(&p, &s1, buf_b, &s2, buf_b + n1, &so, out_b);
  if (twin == MCB_ERR_UNSUPPORTED) {
    ref2 = mcb_mul_s8_ref(&p, &s1, buf_b, &s2, buf_b + n1, &so, out_b);
  }
  *valid += ref == MCB_OK;
  *taken += compare("mul", index, twin, ref2, ref, buf_b, buf_a, total);
  free(buf_a);
  free(buf_b);
}

typedef void (*case_fn)(long index, long *taken, long *valid);

/* Runs n cases; the twin must take most valid calls (a twin that always declines proves nothing). */
static void run_op(const char *name, case_fn fn, long n, int min_taken_percent) {
  long i, taken = 0, valid = 0;
  const long before = g_failures;
  for (i = 0; i < n; ++i) {
    fn(i, &taken, &valid);
  }
  if (taken * 100 < valid * min_taken_percent) {
    ++g_failures;
    fprintf(stderr, "%s: the twin took only %ld of %ld valid calls\n", name, taken, valid);
  }
  printf("%s: %s, %ld cases, %ld valid, %ld taken by the twin\n", name, g_failures == before ? "ok" : "FAILED", n,
         valid, taken);
}

int main(int argc, char **argv) {
  const unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
  const long cases = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
  if (mcb_kernel_isa_supported() != MCB_KERNEL_ISA_AVX2) {
    printf("skip: this CPU has no AVX2\n");
    return 0;
  }
  {
    /* Dispatch state: AVX2 unless MCB_FORCE_REF pins the reference (read when the program loads). */
    const char *force = getenv("MCB_FORCE_REF");
    const int forced = force != NULL && force[0] != '\0' && strcmp(force, "0") != 0;
    const mcb_kernel_isa want = forced ? MCB_KERNEL_ISA_REF : MCB_KERNEL_ISA_AVX2;
    printf("dispatch: %s, active %s\n", mcb_kernel_isa_active() == want ? "ok" : "FAILED",
           mcb_kernel_isa_active() == MCB_KERNEL_ISA_AVX2 ? "avx2" : "ref");
    if (mcb_kernel_isa_active() != want) {
      ++g_failures;
    }
    if (forced) {
      return g_failures == 0 ? 0 : 1;
    }
  }
  g_rng = seed;
  test_requant(cases * 200);
  run_op("conv_2d", conv_case, cases, 60);
  run_op("depthwise_conv_2d", depthwise_case, cases, 50);
  run_op("fully_connected", fc_case, cases, 60);
  run_op("add", add_case, cases, 60);
  run_op("mul", mul_case, cases, 50);
  run_op("leaky_relu", leaky_relu_case, cases, 60);
  return g_failures == 0 ? 0 : 1;
}
