/*
 * Differential test of the Cortex-M DSP twins (native/runtime/kernels/arm/) against the portable references,
 * run on the target ISA in QEMU (Cortex-M7 and Cortex-M4). For each op, thousands of random calls: shapes,
 * strides, dilations, paddings, windowed views and regions, in-place cases, offsets, activation ranges,
 * per-tensor and per-channel multipliers and shifts (realistic ones and extremes: saturating accumulators,
 * rounding ties, negative multipliers), and invalid calls. The twin must return the reference's status and
 * bytes, or decline (MCB_ERR_UNSUPPORTED) without writing anything. Prints one line per op
 *   dsp <op> cases=N taken=T declined=D mismatches=0
 * then "dsp done failures=F". DIFF_SEED and DIFF_CASES may be set at build time.
 */
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "kernels_ref.h"
#include "port.h"
#include "twins.h"

#ifndef DIFF_SEED
#define DIFF_SEED 20261208u
#endif
#ifndef DIFF_CASES
#define DIFF_CASES 1500
#endif

#define BUF 12288

static int8_t g_in[BUF], g_filter[BUF], g_out_ref[BUF], g_out_twin[BUF], g_prefill[BUF], g_scratch_ref[BUF], g_scratch_twin[BUF];
static int32_t g_bias[512], g_mult[512], g_shift[512];
static uint32_t g_rng = DIFF_SEED;
static uint32_t g_failures;
/* What the current case is, printed with a mismatch. */
static char g_detail[320];
/* Twin-taken in-place calls on windows of a tile (the patch stage's case), per op. */
static uint32_t g_tile_conv, g_tile_depthwise;

static void detail(const char *key, int32_t value) {
  char digits[10];
  size_t n = strlen(g_detail), d;
  if (n + strlen(key) + 14 >= sizeof(g_detail)) return;
  g_detail[n++] = ' ';
  memcpy(g_detail + n, key, strlen(key));
  n += strlen(key);
  g_detail[n++] = '=';
  if (value < 0) {
    g_detail[n++] = '-';
    value = -value;
  }
  d = mcb_fmt_u32(digits, (uint32_t)value);
  memcpy(g_detail + n, digits, d);
  g_detail[n + d] = 0;
}

static uint32_t rnd(void) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}

/* Uniform in [lo, hi] (lo when hi < lo). */
static int32_t range(int32_t lo, int32_t hi) { return hi < lo ? lo : lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1)); }

static int chance(uint32_t percent) { return rnd() % 100u < percent; }

static void fill(int8_t *p, int32_t n) {
  int32_t i;
  const int mode = (int)(rnd() % 4u);
  for (i = 0; i < n; ++i) {
    /* mode 0: extremes only (saturation), else uniform */
    p[i] = mode == 0 ? (int8_t)(chance(50) ? 127 : -128) : (int8_t)rnd();
  }
}

static void put_text(const char *text) { mcb_port_write(text, strlen(text)); }

static void put_field(const char *key, uint32_t value) {
  char digits[10];
  put_text(" ");
  put_text(key);
  put_text("=");
  mcb_port_write(digits, mcb_fmt_u32(digits, value));
}

typedef struct tally {
  uint32_t cases, taken, declined, mismatches;
} tally;

static void report(const char *op, const tally *t) {
  put_text("dsp ");
  put_text(op);
  put_field("cases", t->cases);
  put_field("taken", t->taken);
  put_field("declined", t->declined);
  put_field("mismatches", t->mismatches);
  put_text("\r\n");
  g_failures += t->mismatches;
}

/* Compares one call's results; out_ref/out_twin hold whole buffers of `bytes` prefilled identically. */
static void judge(tally *t, mcb_status ref, mcb_status twin, uint32_t bytes, uint32_t case_index, const char *op) {
  t->cases++;
  if (twin == MCB_ERR_UNSUPPORTED) {
    t->declined++;
    /* Declining must leave the output untouched. */
    if (memcmp(g_out_twin, g_prefill, bytes) != 0) {
      t->mismatches++;
      put_text("dsp mismatch (declined after writing) ");
      put_text(op);
      put_field("case", case_index);
      put_text("\r\n");
    }
    return;
  }
  t->taken++;
  if (ref != twin || memcmp(g_out_ref, g_out_twin, bytes) != 0) {
    t->mismatches++;
    put_text("dsp mismatch ");
    put_text(op);
    put_field("case", case_index);
    put_field("ref_status", (uint32_t)ref);
    put_field("twin_status", (uint32_t)twin);
    {
      uint32_t i = 0;
      while (i < bytes && g_out_ref[i] == g_out_twin[i]) ++i;
      put_field("first_diff", i);
      if (i < bytes) {
        put_field("ref", (uint8_t)g_out_ref[i]);
        put_field("twin", (uint8_t)g_out_twin[i]);
      }
    }
    put_text(g_detail);
    put_text("\r\n");
  }
}

/* A multiplier/shift pair: mostly what TFLM's QuantizeMultiplier yields for real scales, some extremes. */
static void quant_pair(int32_t *mult, int32_t *shift) {
  const uint32_t kind = rnd() % 50u;
  *mult = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  if (kind == 0) *mult = -*mult; /* negative filter scales */
  if (kind == 1) *mult = INT32_MAX;
  *shift = kind == 2 ? range(-31, 30) : kind == 3 ? range(0, 3) : range(-12, -1);
}

static void quant_table(mcb_channel_quant *q, int32_t channels) {
  int32_t i;
  q->count = chance(20) ? 1 : channels;
  for (i = 0; i < q->count; ++i) quant_pair(&g_mult[i], &g_shift[i]);
  q->multiplier = g_mult;
  q->shift = g_shift;
}

static void bias_table(int32_t channels, int big) {
  int32_t i;
  for (i = 0; i < channels; ++i) g_bias[i] = big ? (int32_t)rnd() : range(-40000, 40000);
}

static void act_range(int32_t *lo, int32_t *hi) {
  if (chance(50)) {
    *lo = -128;
    *hi = 127;
  } else {
    *lo = range(-128, 20);
    *hi = range(*lo, 127);
  }
}

/* A random window [v0, v0 + len) of [0, full) containing [need0, need1) (need1 > need0). */
static void window(int32_t full, int32_t need0, int32_t need1, int32_t *v0, int32_t *len) {
  const int32_t lo = need0 < 0 ? 0 : need0, hi = need1 > full ? full : need1;
  *v0 = chance(50) ? 0 : range(0, lo);
  *len = (chance(50) ? full : range(hi, full)) - *v0;
}

static void prefill(uint32_t bytes) {
  fill(g_out_ref, (int32_t)bytes);
  memcpy(g_out_twin, g_out_ref, bytes);
  memcpy(g_prefill, g_out_ref, bytes);
}

/* ------------------------------------------------------------------------------------------ CONV_2D */

/* Some channels as TFLite leaves "dead" filters: bias about 2^30 with a tiny scale (right shift 22..31, the
 * accumulator past what SMMULR can double), or a zero scale (multiplier 0, shift 0). */
static void dead_channels(mcb_channel_quant *q, int32_t channels) {
  int32_t i;
  for (i = 0; i < channels; ++i) {
    if (!chance(40)) continue;
    g_bias[i] = (int32_t)(1 << 30) + range(-300, 300);
    if (i < q->count) {
      if (chance(20)) {
        g_mult[i] = 0;
        g_shift[i] = 0;
      } else {
        g_mult[i] = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
        g_shift[i] = range(-31, -22);
      }
    }
  }
}

static void conv_case(tally *t, uint32_t index) {
  mcb_conv_params p;
  mcb_filter_s8 f;
  mcb_channel_quant q;
  mcb_view_s8 in, in_twin, out_ref, out_twin;
  mcb_region r, *region = NULL;
  const int32_t *bias;
  mcb_context ctx_ref, ctx_twin;
  int32_t full_h, full_w, out_h, out_w, pad_bottom, pad_right, ey, ex;
  uint32_t bytes;
  mcb_status sr, st;
  const int pointwise = chance(50);
  const int inplace = pointwise && chance(15);
  int tile = 0;
  memset(&p, 0, sizeof(p));
  f.in_c = pointwise ? range(1, 64) : range(1, 12);
  f.out_c = range(1, inplace ? f.in_c : 48);
  f.h = pointwise ? 1 : range(1, 5);
  f.w = pointwise ? 1 : range(1, 5);
  p.stride_h = pointwise && chance(70) ? 1 : range(1, 3);
  p.stride_w = chance(80) ? p.stride_h : range(1, 3);
  p.dilation_h = chance(85) ? 1 : 2;
  p.dilation_w = chance(85) ? 1 : 2;
  if (inplace) p.stride_h = p.stride_w = 1;
  ey = (f.h - 1) * p.dilation_h + 1;
  ex = (f.w - 1) * p.dilation_w + 1;
  p.pad_top = pointwise ? 0 : range(0, ey - 1);
  p.pad_left = pointwise ? 0 : range(0, ex - 1);
  pad_bottom = pointwise ? 0 : range(0, ey - 1);
  pad_right = pointwise ? 0 : range(0, ex - 1);
  full_h = range(ey > p.pad_top + pad_bottom ? ey - p.pad_top - pad_bottom : 1, 12);
  full_w = range(ex > p.pad_left + pad_right ? ex - p.pad_left - pad_right : 1, 12);
  out_h = (full_h + p.pad_top + pad_bottom - ey) / p.stride_h + 1;
  out_w = (full_w + p.pad_left + pad_right - ex) / p.stride_w + 1;
  if (out_h < 1 || out_w < 1 || (int32_t)f.out_c * f.h * f.w * f.in_c > BUF || full_h * full_w * f.in_c > BUF ||
      out_h * out_w * f.out_c > BUF) {
    return;
  }
  p.input_offset = chance(30) ? 128 : range(-127, 128);
  p.output_offset = range(-128, 127);
  act_range(&p.act_min, &p.act_max);
  quant_table(&q, f.out_c);
  bias_table(f.out_c, chance(5));
  if (chance(20)) dead_channels(&q, f.out_c);
  fill(g_filter, f.out_c * f.h * f.w * f.in_c);
  f.data = g_filter;
  fill(g_in, full_h * full_w * f.in_c);

  out_ref.full_h = out_h;
  out_ref.full_w = out_w;
  out_ref.c = f.out_c;
  if (inplace) {
    /* case b: the same view as input and output: the whole tensor, or (a patch stage's tile) one window of it */
    in.data = g_out_ref;
    in.y0 = in.x0 = 0;
    in.h = in.full_h = full_h;
    in.w = in.full_w = full_w;
    if ((tile = chance(50)) != 0) {
      in.y0 = range(0, full_h - 1);
      in.h = range(1, full_h - in.y0);
      in.x0 = range(0, full_w - 1);
      in.w = range(1, full_w - in.x0);
    }
    in.c = f.in_c;
    bytes = (uint32_t)(in.h * in.w * f.in_c);
    prefill(bytes);
    out_ref = in;
    out_ref.c = f.out_c;
    out_ref.full_h = out_h;
    out_ref.full_w = out_w;
    out_twin = out_ref;
    out_twin.data = g_out_twin;
  } else {
    /* A windowed output and the input window it needs, sometimes a region inside it. */
    int32_t y0, y1, x0, x1;
    window(out_h, 0, out_h, &out_ref.y0, &out_ref.h);
    window(out_w, 0, out_w, &out_ref.x0, &out_ref.w);
    r.y0 = out_ref.y0 + range(0, out_ref.h - 1);
    r.y1 = range(r.y0 + 1, out_ref.y0 + out_ref.h);
    r.x0 = out_ref.x0 + range(0, out_ref.w - 1);
    r.x1 = range(r.x0 + 1, out_ref.x0 + out_ref.w);
    if (chance(40)) region = &r;
    else {
      r.y0 = out_ref.y0;
      r.y1 = out_ref.y0 + out_ref.h;
      r.x0 = out_ref.x0;
      r.x1 = out_ref.x0 + out_ref.w;
    }
    y0 = r.y0 * p.stride_h - p.pad_top;
    y1 = (r.y1 - 1) * p.stride_h - p.pad_top + ey;
    x0 = r.x0 * p.stride_w - p.pad_left;
    x1 = (r.x1 - 1) * p.stride_w - p.pad_left + ex;
    window(full_h, y0, y1, &in.y0, &in.h);
    window(full_w, x0, x1, &in.x0, &in.w);
    if (chance(3) && in.h > 1) in.h--; /* sometimes a window missing a tap: both must refuse */
    in.full_h = full_h;
    in.full_w = full_w;
    in.c = f.in_c;
    in.data = g_in;
    bytes = (uint32_t)(out_ref.h * out_ref.w * f.out_c);
    prefill(bytes);
    out_ref.data = g_out_ref;
    out_twin = out_ref;
    out_twin.data = g_out_twin;
  }
  ctx_ref.buf = g_scratch_ref;
  ctx_ref.size = f.out_c;
  ctx_twin.buf = g_scratch_twin;
  ctx_twin.size = f.out_c;
  if (chance(2)) p.act_min = 5, p.act_max = 4; /* invalid: both refuse */
  bias = chance(10) ? NULL : g_bias;
  g_detail[0] = 0;
  detail("k", f.h * 10 + f.w);
  detail("ic", f.in_c);
  detail("oc", f.out_c);
  detail("s", p.stride_h * 10 + p.stride_w);
  detail("d", p.dilation_h * 10 + p.dilation_w);
  detail("pad", p.pad_top * 10 + p.pad_left);
  detail("inplace", inplace);
  detail("win", in.y0 * 1000000 + in.h * 10000 + in.x0 * 100 + in.w);
  detail("in_off", p.input_offset);
  detail("out_off", p.output_offset);
  detail("act", p.act_min * 1000 + p.act_max);
  detail("qn", q.count);
  detail("m0", q.multiplier[0]);
  detail("sh0", q.shift[0]);
  detail("bias", bias != NULL);
  sr = mcb_conv_2d_s8_ref(&p, &q, &in, &f, bias, &out_ref, region, &ctx_ref);
  in_twin = in;
  if (inplace) in_twin.data = g_out_twin; /* its own buffer, holding the bytes the reference started from */
  st = mcb_conv_2d_s8_dsp(&p, &q, &in_twin, &f, bias, &out_twin, region, &ctx_twin);
  judge(t, sr, st, bytes, index, "conv_2d");
  if (tile && sr == MCB_OK && st == MCB_OK) g_tile_conv++;
}

/* ------------------------------------------------------------------------------- DEPTHWISE_CONV_2D */

static void depthwise_case(tally *t, uint32_t index) {
  mcb_depthwise_conv_params p;
  mcb_depthwise_filter_s8 f;
  mcb_channel_quant q;
  mcb_view_s8 in, in_twin, out_ref, out_twin;
  mcb_region r, *region = NULL;
  mcb_context ctx_ref, ctx_twin;
  const int32_t *bias;
  int32_t full_h, full_w, out_h, out_w, pad_bottom, pad_right, ey, ex, in_c, k;
  uint32_t bytes;
  mcb_status sr, st;
  const int inplace = chance(25);
  /* 0-5: anything; 6: wide rows (the twin's band cuts them into tiles); 7: tiny maps under 3x3..7x7 kernels
   * (every output a border output); 8: one to three channels broadcast (multiplier 4 or 8, stride 2, TF SAME
   * padding, as person_detect's first layer); 9: many channels on small maps */
  const uint32_t family = rnd() % 10u;
  int32_t max_h = 14, max_w = 14;
  int tile = 0;
  static const int32_t kernels[] = {1, 2, 3, 3, 3, 5, 5, 7, 7, 9, 10};
  memset(&p, 0, sizeof(p));
  p.depth_multiplier = inplace || chance(70) ? 1 : (chance(70) ? 4 * range(1, 3) : range(2, 6));
  if (family == 8 && !inplace) p.depth_multiplier = chance(50) ? 8 : 4;
  in_c = family == 8 ? range(1, 3) : family == 9 ? range(41, 128) : range(1, p.depth_multiplier > 1 ? 8 : 40);
  f.c = in_c * p.depth_multiplier;
  k = family == 7 ? 3 + 2 * range(0, 2) : kernels[rnd() % (sizeof(kernels) / sizeof(kernels[0]))];
  f.h = chance(85) || family >= 7 ? k : range(1, 7);
  f.w = chance(85) || family >= 7 ? f.h : range(1, 7);
  p.stride_h = family == 8 ? 2 : chance(50) ? 1 : range(1, 3);
  p.stride_w = chance(80) || family == 8 ? p.stride_h : range(1, 3);
  p.dilation_h = chance(90) || family >= 7 ? 1 : 2;
  p.dilation_w = chance(90) || family >= 7 ? 1 : 2;
  ey = (f.h - 1) * p.dilation_h + 1;
  ex = (f.w - 1) * p.dilation_w + 1;
  if (family == 6) {
    max_h = 6;
    max_w = 64;
  } else if (family == 7) {
    max_h = max_w = 4;
  } else if (family == 9) {
    max_h = max_w = 6;
  }
  if (family == 8) {
    /* TF SAME at stride 2 on an even size: the extra padding row and column at the bottom and right */
    p.pad_top = ey > 2 ? (ey - 2) / 2 : 0;
    pad_bottom = ey > 2 ? ey - 2 - p.pad_top : 0;
    p.pad_left = ex > 2 ? (ex - 2) / 2 : 0;
    pad_right = ex > 2 ? ex - 2 - p.pad_left : 0;
  } else if ((inplace && chance(70)) || family == 7) {
    /* SAME padding (stride 1 keeps the size), as the planner's in-place depthwise layers have */
    p.pad_top = (ey - 1) / 2;
    pad_bottom = ey - 1 - p.pad_top;
    p.pad_left = (ex - 1) / 2;
    pad_right = ex - 1 - p.pad_left;
  } else {
    p.pad_top = range(0, ey - 1);
    p.pad_left = range(0, ex - 1);
    pad_bottom = range(0, ey - 1);
    pad_right = range(0, ex - 1);
  }
  full_h = range(ey > p.pad_top + pad_bottom ? ey - p.pad_top - pad_bottom : 1, max_h);
  full_w = range(ex > p.pad_left + pad_right ? ex - p.pad_left - pad_right : 1, max_w);
  out_h = (full_h + p.pad_top + pad_bottom - ey) / p.stride_h + 1;
  out_w = (full_w + p.pad_left + pad_right - ex) / p.stride_w + 1;
  if (out_h < 1 || out_w < 1 || f.h * f.w * f.c > BUF || full_h * full_w * in_c > BUF || out_h * out_w * f.c > BUF) {
    return;
  }
  p.input_offset = chance(30) ? 128 : range(-127, 128);
  p.output_offset = range(-128, 127);
  act_range(&p.act_min, &p.act_max);
  quant_table(&q, f.c);
  /* TFLM's multiplier for a scale below 2^-31: 0 with shift 0 (mcunet-in3's first depthwise layer has one) */
  if (chance(10)) {
    const int32_t zero = range(0, q.count - 1);
    g_mult[zero] = 0;
    if (chance(50)) g_shift[zero] = 0;
  }
  bias_table(f.c, chance(5));
  fill(g_filter, f.h * f.w * f.c);
  f.data = g_filter;
  fill(g_in, full_h * full_w * in_c);
  if (inplace) {
    /* case a: whole tensors from the same address; the output may be smaller (stride) or larger (padding) */
    in.data = g_out_ref;
    in.y0 = in.x0 = 0;
    in.h = in.full_h = full_h;
    in.w = in.full_w = full_w;
    in.c = in_c;
    out_ref = in;
    out_ref.h = out_ref.full_h = out_h;
    out_ref.w = out_ref.full_w = out_w;
    if ((tile = chance(50)) != 0) {
      /* a patch stage's tile: an output window over the input window it needs, both from the tile's address */
      int32_t y0, y1, x0, x1;
      window(out_h, 0, out_h, &out_ref.y0, &out_ref.h);
      window(out_w, 0, out_w, &out_ref.x0, &out_ref.w);
      y0 = out_ref.y0 * p.stride_h - p.pad_top;
      y1 = (out_ref.y0 + out_ref.h - 1) * p.stride_h - p.pad_top + ey;
      x0 = out_ref.x0 * p.stride_w - p.pad_left;
      x1 = (out_ref.x0 + out_ref.w - 1) * p.stride_w - p.pad_left + ex;
      if (chance(50)) {
        /* exactly the taps, as the patch executor's halo'd windows */
        in.y0 = y0 < 0 ? 0 : y0;
        in.h = (y1 > full_h ? full_h : y1) - in.y0;
        in.x0 = x0 < 0 ? 0 : x0;
        in.w = (x1 > full_w ? full_w : x1) - in.x0;
      } else {
        window(full_h, y0, y1, &in.y0, &in.h);
        window(full_w, x0, x1, &in.x0, &in.w);
      }
      if (chance(30)) {
        r.y0 = out_ref.y0;
        r.y1 = out_ref.y0 + out_ref.h;
        r.x0 = out_ref.x0;
        r.x1 = out_ref.x0 + out_ref.w;
        region = &r;
      }
    }
    bytes = (uint32_t)(in.h * in.w * in_c > out_ref.h * out_ref.w * f.c ? in.h * in.w * in_c : out_ref.h * out_ref.w * f.c);
    prefill(bytes);
    out_twin = out_ref;
    out_twin.data = g_out_twin;
  } else {
    int32_t y0, y1, x0, x1;
    out_ref.full_h = out_h;
    out_ref.full_w = out_w;
    out_ref.c = f.c;
    window(out_h, 0, out_h, &out_ref.y0, &out_ref.h);
    window(out_w, 0, out_w, &out_ref.x0, &out_ref.w);
    r.y0 = out_ref.y0 + range(0, out_ref.h - 1);
    r.y1 = range(r.y0 + 1, out_ref.y0 + out_ref.h);
    r.x0 = out_ref.x0 + range(0, out_ref.w - 1);
    r.x1 = range(r.x0 + 1, out_ref.x0 + out_ref.w);
    if (chance(40)) region = &r;
    else {
      r.y0 = out_ref.y0;
      r.y1 = out_ref.y0 + out_ref.h;
      r.x0 = out_ref.x0;
      r.x1 = out_ref.x0 + out_ref.w;
    }
    y0 = r.y0 * p.stride_h - p.pad_top;
    y1 = (r.y1 - 1) * p.stride_h - p.pad_top + ey;
    x0 = r.x0 * p.stride_w - p.pad_left;
    x1 = (r.x1 - 1) * p.stride_w - p.pad_left + ex;
    window(full_h, y0, y1, &in.y0, &in.h);
    window(full_w, x0, x1, &in.x0, &in.w);
    if (chance(3) && in.w > 1) in.w--;
    in.full_h = full_h;
    in.full_w = full_w;
    in.c = in_c;
    in.data = g_in;
    bytes = (uint32_t)(out_ref.h * out_ref.w * f.c);
    prefill(bytes);
    out_ref.data = g_out_ref;
    out_twin = out_ref;
    out_twin.data = g_out_twin;
  }
  ctx_ref.buf = g_scratch_ref;
  ctx_ref.size = out_ref.h * out_ref.w;
  ctx_twin.buf = g_scratch_twin;
  ctx_twin.size = ctx_ref.size;
  bias = chance(10) ? NULL : g_bias;
  g_detail[0] = 0;
  detail("fam", (int32_t)family);
  detail("k", f.h * 10 + f.w);
  detail("c", f.c);
  detail("mult", p.depth_multiplier);
  detail("s", p.stride_h * 10 + p.stride_w);
  detail("d", p.dilation_h * 10 + p.dilation_w);
  detail("pad", p.pad_top * 10 + p.pad_left);
  detail("hw", full_h * 100 + full_w);
  detail("inplace", inplace);
  detail("out_win", out_ref.y0 * 1000000 + out_ref.h * 10000 + out_ref.x0 * 100 + out_ref.w);
  detail("in_win", in.y0 * 1000000 + in.h * 10000 + in.x0 * 100 + in.w);
  detail("in_off", p.input_offset);
  detail("out_off", p.output_offset);
  detail("act", p.act_min * 1000 + p.act_max);
  detail("qn", q.count);
  detail("sh0", q.shift[0]);
#ifdef DIFF_TRACE
  put_text(g_detail);
  put_text(" ref");
#endif
  sr = mcb_depthwise_conv_2d_s8_ref(&p, &q, &in, &f, bias, &out_ref, region, &ctx_ref);
  in_twin = in;
  if (inplace) in_twin.data = g_out_twin;
#ifdef DIFF_TRACE
  put_text(" twin\r\n");
#endif
  st = mcb_depthwise_conv_2d_s8_dsp(&p, &q, &in_twin, &f, bias, &out_twin, region, &ctx_twin);
  judge(t, sr, st, bytes, index, "depthwise_conv_2d");
  if (tile && sr == MCB_OK && st == MCB_OK) g_tile_depthwise++;
}

/* -------------------------------------------------------------------------------------------- ADD */

static void add_case(tally *t, uint32_t index) {
  mcb_add_params p;
  mcb_shape shape, shape2;
  int32_t n, d;
  const int8_t *in1, *in2, *in1_twin, *in2_twin;
  uint32_t bytes;
  mcb_status sr, st;
  const uint32_t alias = rnd() % 4u; /* 0: apart, 1: output over input 1, 2: over input 2, 3: broadcast (declined) */
  memset(&p, 0, sizeof(p));
  shape.rank = range(1, 4);
  n = 1;
  for (d = 0; d < shape.rank; ++d) {
    shape.dims[d] = range(1, d + 1 == shape.rank ? 64 : 6);
    n *= shape.dims[d];
  }
  if (n > BUF / 2) return;
  shape2 = shape;
  if (alias == 3) shape2.dims[shape.rank - 1] = 1;
  /* TFLM's Prepare: left_shift 20, input multipliers below 1 (shift <= 0) */
  p.left_shift = chance(90) ? 20 : range(0, 22);
  p.input1_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  p.input2_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  p.output_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  p.input1_shift = chance(90) ? range(-3, 0) : range(-31, 0);
  p.input2_shift = chance(90) ? range(-3, 0) : range(-31, 0);
  p.output_shift = chance(90) ? range(-22, -15) : range(-31, 0);
  p.input1_offset = range(-127, 128);
  p.input2_offset = range(-127, 128);
  p.output_offset = range(-128, 127);
  act_range(&p.act_min, &p.act_max);
  fill(g_in, n);
  fill(g_filter, n);
  bytes = (uint32_t)n;
  prefill(bytes);
  if (alias == 1) {
    memcpy(g_out_ref, g_in, (size_t)n);
    memcpy(g_out_twin, g_in, (size_t)n);
    memcpy(g_prefill, g_in, (size_t)n);
  } else if (alias == 2) {
    memcpy(g_out_ref, g_filter, (size_t)n);
    memcpy(g_out_twin, g_filter, (size_t)n);
    memcpy(g_prefill, g_filter, (size_t)n);
  }
  in1 = alias == 1 ? g_out_ref : g_in;
  in2 = alias == 2 ? g_out_ref : g_filter;
  in1_twin = alias == 1 ? g_out_twin : g_in;
  in2_twin = alias == 2 ? g_out_twin : g_filter;
  g_detail[0] = 0;
  detail("n", n);
  detail("alias", (int32_t)alias);
  detail("ls", p.left_shift);
  detail("s1", p.input1_shift);
  detail("s2", p.input2_shift);
  detail("so", p.output_shift);
  detail("act", p.act_min * 1000 + p.act_max);
  sr = mcb_add_s8_ref(&p, &shape, in1, &shape2, in2, &shape, g_out_ref);
  st = mcb_add_s8_dsp(&p, &shape, in1_twin, &shape2, in2_twin, &shape, g_out_twin);
  judge(t, sr, st, bytes, index, "add");
}
#include "diff_more_ops.h"
#include "diff_elementwise_ops.h"

int main(void) {
  tally t;
  uint32_t i;
  memset(&t, 0, sizeof(t));
  for (i = 0; i < DIFF_CASES; ++i) conv_case(&t, i);
  report("conv_2d", &t);
  memset(&t, 0, sizeof(t));
  for (i = 0; i < DIFF_CASES; ++i) {
#ifdef DIFF_TRACE
    put_field("case", i);
#endif
    depthwise_case(&t, i);
  }
  report("depthwise_conv_2d", &t);
  memset(&t, 0, sizeof(t));
  for (i = 0; i < DIFF_CASES; ++i) add_case(&t, i);
  report("add", &t);
  more_ops();
  elementwise_ops();
  put_text("dsp tile_inplace");
  put_field("conv_2d", g_tile_conv);
  put_field("depthwise_conv_2d", g_tile_depthwise);
  put_text("\r\n");
  put_text("dsp done");
  put_field("failures", g_failures);
  put_text("\r\n");
  for (;;) {
    (void)mcb_port_getc(MCB_PORT_WAIT_FOREVER);
  }
}
