/*
 * The differential cases of FULLY_CONNECTED, ADD, AVERAGE_POOL_2D and MEAN, included by diff_main.c (they use
 * its random source, buffers and judge). Each draws random shapes, offsets, multipliers and shifts, including
 * saturating inputs (all +-127/-128), multipliers of exactly 0.5 (rounding ties), extreme shifts, in-place and
 * invalid calls; the twin must give the reference's status and bytes or decline without writing.
 */
#include "kernel_common.h"

/* Sometimes a multiplier of exactly 2^30 (0.5): products land on rounding ties. */
static void tie_multipliers(mcb_channel_quant *q) {
  int32_t i;
  if (!chance(15)) return;
  for (i = 0; i < q->count; ++i) g_mult[i] = chance(50) ? (int32_t)0x40000000 : -(int32_t)0x40000000;
}

/* ---------------------------------------------------------------------------------- FULLY_CONNECTED */

static void fully_connected_case(tally *t, uint32_t index) {
  mcb_fully_connected_params p;
  mcb_channel_quant q;
  const int32_t *bias;
  const int8_t *input = g_in;
  int32_t batches = chance(70) ? 1 : range(2, 3), depth, out_depth;
  uint32_t bytes;
  mcb_status sr, st;
  depth = chance(50) ? range(1, 40) : range(41, 400);
  out_depth = range(1, 48);
  if (depth * out_depth > BUF || batches * depth > BUF) return;
  memset(&p, 0, sizeof(p));
  p.input_offset = chance(30) ? 128 : range(-127, 128);
  p.filter_offset = chance(70) ? 0 : range(-127, 128);
  p.output_offset = range(-128, 127);
  act_range(&p.act_min, &p.act_max);
  quant_table(&q, out_depth);
  tie_multipliers(&q);
  bias_table(out_depth, chance(5));
  fill(g_filter, depth * out_depth);
  fill(g_in, batches * depth);
  bytes = (uint32_t)(batches * out_depth);
  prefill(bytes);
  if (chance(2)) p.act_min = 5, p.act_max = 4; /* invalid: both refuse */
  if (chance(2)) p.input_offset = 129;        /* invalid: both refuse */
  bias = chance(10) ? NULL : g_bias;
  g_detail[0] = 0;
  detail("b", batches);
  detail("d", depth);
  detail("oc", out_depth);
  detail("in_off", p.input_offset);
  detail("f_off", p.filter_offset);
  detail("out_off", p.output_offset);
  detail("act", p.act_min * 1000 + p.act_max);
  detail("qn", q.count);
  detail("m0", q.multiplier[0]);
  detail("sh0", q.shift[0]);
  sr = mcb_fully_connected_s8_ref(&p, &q, input, batches, depth, g_filter, out_depth, bias, g_out_ref);
  st = mcb_fully_connected_s8_dsp(&p, &q, input, batches, depth, g_filter, out_depth, bias, g_out_twin);
  judge(t, sr, st, bytes, index, "fully_connected");
}

/* ---------------------------------------------------------------------------------------------- ADD */

/* A random shape of `rank` dims holding about `count` elements (at least 1 each). */
static void random_shape(mcb_shape *s, int32_t count) {
  int32_t d;
  s->rank = range(1, 4);
  for (d = 0; d < s->rank; ++d) s->dims[d] = 1;
  for (d = s->rank - 1; d >= 0 && count > 1; --d) {
    const int32_t dim = d == 0 ? count : range(1, count < 40 ? count : 40);
    s->dims[d] = dim;
    count /= dim;
  }
}

/* ADD across the twin's table threshold (ADD_TABLE_MIN), with exact-0.5 multipliers and partial overlaps. */
static void add_size_case(tally *t, uint32_t index) {
  mcb_add_params p;
  mcb_shape s1, s2, so;
  const int8_t *in1, *in2;
  int8_t *out_ref = g_out_ref, *out_twin = g_out_twin;
  const int8_t *in1_twin, *in2_twin;
  int64_t n;
  uint32_t bytes;
  mcb_status sr, st;
  const int inplace = chance(25) ? (int)range(1, 2) : 0;
  random_shape(&so, chance(50) ? range(1, 383) : range(384, 4000));
  n = mcb__shape_elements(&so);
  if (n <= 0 || 2 * n > BUF) return;
  s1 = so;
  s2 = so;
  if (chance(5)) s2.dims[s2.rank - 1] = 1; /* broadcasting: the twin declines */
  memset(&p, 0, sizeof(p));
  p.left_shift = chance(90) ? 20 : range(0, 22);
  p.input1_offset = range(-127, 128);
  p.input2_offset = range(-127, 128);
  p.output_offset = range(-128, 127);
  p.input1_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  p.input2_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  p.output_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  if (chance(10)) p.input1_multiplier = p.input2_multiplier = p.output_multiplier = 0x40000000; /* ties */
  if (chance(3)) p.output_multiplier = INT32_MAX;
  p.input1_shift = chance(80) ? range(-6, 0) : range(-31, 0);
  p.input2_shift = chance(80) ? range(-6, 0) : range(-31, 0);
  p.output_shift = chance(80) ? range(-22, -14) : range(-31, 0);
  act_range(&p.act_min, &p.act_max);
  if (chance(2)) p.output_shift = 1; /* invalid: both refuse */
  fill(g_in, (int32_t)(2 * n));
  bytes = (uint32_t)n + 1; /* one byte more: the overlapping call below */
  prefill(bytes);
  in1 = in1_twin = g_in;
  in2 = in2_twin = g_in + n;
  if (inplace == 1) in1 = out_ref, in1_twin = out_twin; /* output is input 1: the prefilled bytes */
  if (inplace == 2) in2 = out_ref, in2_twin = out_twin;
  if (chance(2) && n > 1) out_ref = g_out_ref + 1, out_twin = g_out_twin + 1, in1 = g_out_ref, in1_twin = g_out_twin;
  g_detail[0] = 0;
  detail("n", (int32_t)n);
  detail("inplace", inplace);
  detail("ls", p.left_shift);
  detail("off1", p.input1_offset);
  detail("off2", p.input2_offset);
  detail("out_off", p.output_offset);
  detail("sh1", p.input1_shift);
  detail("sh2", p.input2_shift);
  detail("sho", p.output_shift);
  detail("act", p.act_min * 1000 + p.act_max);
  sr = mcb_add_s8_ref(&p, &s1, in1, &s2, in2, &so, out_ref);
  st = mcb_add_s8_dsp(&p, &s1, in1_twin, &s2, in2_twin, &so, out_twin);
  judge(t, sr, st, bytes, index, "add_sizes");
}

/* ---------------------------------------------------------------------------------- AVERAGE_POOL_2D */

static void avg_pool_case(tally *t, uint32_t index) {
  mcb_pool_params p;
  mcb_view_s8 in, out_ref, out_twin;
  mcb_region r, *region = NULL;
  int32_t full_h, full_w, out_h, out_w, pad_bottom, pad_right, c, y0, y1, x0, x1;
  uint32_t bytes;
  mcb_status sr, st;
  const int global = chance(25);
  memset(&p, 0, sizeof(p));
  c = chance(70) ? range(1, 64) : range(1, 7);
  if (global) {
    full_h = range(1, 24);
    full_w = chance(80) ? full_h : range(1, 24);
    p.filter_h = full_h;
    p.filter_w = full_w;
    p.stride_h = p.stride_w = 1;
    pad_bottom = pad_right = 0;
  } else {
    p.filter_h = range(1, 7);
    p.filter_w = chance(80) ? p.filter_h : range(1, 7);
    p.stride_h = range(1, 3);
    p.stride_w = chance(80) ? p.stride_h : range(1, 3);
    p.pad_top = range(0, p.filter_h - 1);
    p.pad_left = range(0, p.filter_w - 1);
    pad_bottom = range(0, p.filter_h - 1);
    pad_right = range(0, p.filter_w - 1);
    full_h = range(1, 14);
    full_w = range(1, 14);
  }
  if (full_h + p.pad_top + pad_bottom < p.filter_h || full_w + p.pad_left + pad_right < p.filter_w) return;
  out_h = (full_h + p.pad_top + pad_bottom - p.filter_h) / p.stride_h + 1;
  out_w = (full_w + p.pad_left + pad_right - p.filter_w) / p.stride_w + 1;
  if (full_h * full_w * c > BUF || out_h * out_w * c > BUF) return;
  act_range(&p.act_min, &p.act_max);
  fill(g_in, full_h * full_w * c);
  out_ref.full_h = out_h;
  out_ref.full_w = out_w;
  out_ref.c = c;
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
  y1 = (r.y1 - 1) * p.stride_h - p.pad_top + p.filter_h;
  x0 = r.x0 * p.stride_w - p.pad_left;
  x1 = (r.x1 - 1) * p.stride_w - p.pad_left + p.filter_w;
  window(full_h, y0, y1, &in.y0, &in.h);
  window(full_w, x0, x1, &in.x0, &in.w);
  if (chance(3) && in.w > 1) in.w--; /* sometimes a window missing a tap: both must refuse */
  in.full_h = full_h;
  in.full_w = full_w;
  in.c = c;
  in.data = g_in;
  bytes = (uint32_t)(out_ref.h * out_ref.w * c);
  prefill(bytes);
  out_ref.data = g_out_ref;
  out_twin = out_ref;
  out_twin.data = g_out_twin;
  if (chance(2)) p.act_min = 5, p.act_max = 4;
  g_detail[0] = 0;
  detail("f", p.filter_h * 100 + p.filter_w);
  detail("c", c);
  detail("s", p.stride_h * 10 + p.stride_w);
  detail("pad", p.pad_top * 10 + p.pad_left);
  detail("hw", full_h * 100 + full_w);
  detail("act", p.act_min * 1000 + p.act_max);
  sr = mcb_avg_pool_2d_s8_ref(&p, &in, &out_ref, region);
  st = mcb_avg_pool_2d_s8_dsp(&p, &in, &out_twin, region);
  judge(t, sr, st, bytes, index, "avg_pool_2d");
}

/* --------------------------------------------------------------------------------------------- MEAN */

static void mean_case(tally *t, uint32_t index) {
  mcb_mean_params p;
  mcb_shape s;
  int32_t d, n_out = 1;
  int64_t n;
  uint32_t bytes;
  mcb_status sr, st;
  memset(&p, 0, sizeof(p));
  if (chance(50)) {
    /* the global average pool: NHWC over H and W */
    s.rank = 4;
    s.dims[0] = chance(80) ? 1 : 2;
    s.dims[1] = range(1, 24);
    s.dims[2] = chance(80) ? s.dims[1] : range(1, 24);
    s.dims[3] = range(1, 40);
    p.axis_mask = 0x6;
  } else {
    s.rank = range(1, 4);
    for (d = 0; d < s.rank; ++d) s.dims[d] = range(1, 12);
    p.axis_mask = (uint32_t)range(1, (1 << s.rank) - 1);
    if (chance(5)) p.axis_mask = 1u << s.rank; /* invalid: both refuse */
  }
  n = mcb__shape_elements(&s);
  if (n <= 0 || n > BUF) return;
  for (d = 0; d < s.rank; ++d) {
    if (!(p.axis_mask & (1u << d))) n_out *= s.dims[d];
  }
  p.input_zero_point = range(-128, 127);
  p.output_zero_point = range(-128, 127);
  p.multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  if (chance(10)) p.multiplier = 0x40000000;
  if (chance(3)) p.multiplier = INT32_MAX;
  p.shift = chance(80) ? range(-3, 2) : range(-31, 30);
  if (chance(2)) p.multiplier = -5; /* invalid: both refuse */
  fill(g_in, (int32_t)n);
  bytes = (uint32_t)n_out;
  prefill(bytes);
  g_detail[0] = 0;
  detail("rank", s.rank);
  detail("d0", s.dims[0]);
  detail("d1", s.dims[1]);
  detail("mask", (int32_t)p.axis_mask);
  detail("izp", p.input_zero_point);
  detail("ozp", p.output_zero_point);
  detail("sh", p.shift);
  sr = mcb_mean_s8_ref(&p, &s, g_in, g_out_ref);
  st = mcb_mean_s8_dsp(&p, &s, g_in, g_out_twin);
  judge(t, sr, st, bytes, index, "mean");
}

/* Runs every case above DIFF_CASES times, one report line per op. */
static void more_ops(void) {
  static void (*const cases[])(tally *, uint32_t) = {fully_connected_case, add_size_case, avg_pool_case, mean_case};
  static const char *const names[] = {"fully_connected", "add_sizes", "avg_pool_2d", "mean"};
  uint32_t k, i;
  for (k = 0; k < sizeof(cases) / sizeof(cases[0]); ++k) {
    tally t;
    memset(&t, 0, sizeof(t));
    for (i = 0; i < DIFF_CASES; ++i) cases[k](&t, i);
    report(names[k], &t);
  }
}
