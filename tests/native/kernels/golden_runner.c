/*
 * Test-only driver for tests/native/kernels-golden.test.ts: reads a file of
 * single-operator cases (written by the TS test from a real model and its TFLM
 * per-layer dumps), runs each through the kernels and writes, per case:
 *   int32 status, int32 tiled (0 equal, 1 differs, -1 not applicable),
 *   int32 in_place (same coding), int32 n, n output bytes.
 * "tiled" recomputes conv/depthwise/pool outputs tile by tile (3x3 grid) from
 * halo'd input windows; "in_place" reruns depthwise (multiplier 1) and
 * pointwise convs with output buffer == input buffer. Both must equal the
 * whole-tensor result. Case layout (little-endian): int32 op, int32 np,
 * np int32 params, int32 nb, nb x (int32 len, len bytes padded to 4).
 */
#include <stdlib.h>

#include "test_util.h"

enum { OP_CONV = 1, OP_DW = 2, OP_AVG = 3, OP_MAX = 4, OP_ADD = 5, OP_MUL = 6, OP_SOFTMAX = 7,
       OP_PAD = 8, OP_FC = 9, OP_MEAN = 10, OP_QUANTIZE = 11, OP_DEQUANTIZE = 12, OP_TRANSPOSE = 13,
       OP_LEAKY_RELU = 14, OP_CONCATENATION = 15, OP_RESIZE_NN = 16, OP_CONV_U8 = 17, OP_DW_U8 = 18,
       OP_AVG_U8 = 19, OP_SOFTMAX_U8 = 20 };

typedef struct {
  const uint8_t *p;
  const uint8_t *end;
} reader;

static int32_t rd_i32(reader *r) {
  int32_t v;
  if (r->end - r->p < 4) {
    fprintf(stderr, "golden_runner: truncated case file\n");
    exit(2);
  }
  v = (int32_t)((uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                (uint32_t)r->p[3] << 24);
  r->p += 4;
  return v;
}

static const void *rd_blob(reader *r, int32_t *len) {
  const void *b;
  *len = rd_i32(r);
  if (*len < 0 || r->end - r->p < *len) {
    fprintf(stderr, "golden_runner: bad blob length\n");
    exit(2);
  }
  b = r->p;
  r->p += (*len + 3) & ~3;
  return b;
}

static void wr_i32(FILE *f, int32_t v) { fwrite(&v, 4, 1, f); }

static mcb_shape shape_at(const int32_t *p) {
  mcb_shape s;
  int i;
  s.rank = p[0];
  for (i = 0; i < MCB_MAX_DIMS; ++i) s.dims[i] = p[1 + i];
  return s;
}

/* Runs a spatial op over one output region; kind selects the kernel. */
typedef mcb_status (*region_fn)(const void *ctx, const mcb_view_s8 *in, mcb_view_s8 *out,
                                const mcb_region *r);

/* Recomputes the output tile by tile from halo'd windows: 0 equal, 1 differs or fails. */
static int32_t tiled_check(region_fn fn, const void *ctx, const int8_t *in, int32_t ih,
                           int32_t iw, int32_t ic, int32_t oh, int32_t ow, int32_t oc,
                           int32_t stride_h, int32_t stride_w, int32_t kh, int32_t kw,
                           int32_t dil_h, int32_t dil_w, int32_t pad_t, int32_t pad_l,
                           const int8_t *expected) {
  int8_t *win = malloc((size_t)ih * iw * ic);
  int8_t *out = calloc((size_t)oh * ow * oc, 1);
  int32_t yb[4], xb[4], ty, tx, bad = 0;
  split3(oh, yb);
  split3(ow, xb);
  for (ty = 0; ty < 3; ++ty) {
    for (tx = 0; tx < 3; ++tx) {
      int32_t ylo, yhi, xlo, xhi;
      mcb_region r;
      mcb_view_s8 wv, ov = full_view(out, oh, ow, oc);
      r.y0 = yb[ty]; r.y1 = yb[ty + 1]; r.x0 = xb[tx]; r.x1 = xb[tx + 1];
      if (r.y0 == r.y1 || r.x0 == r.x1) continue;
      halo(r.y0, r.y1, stride_h, pad_t, kh, dil_h, ih, &ylo, &yhi);
      halo(r.x0, r.x1, stride_w, pad_l, kw, dil_w, iw, &xlo, &xhi);
      if (ylo >= yhi) { ylo = 0; yhi = 1; } /* tile reads only padding */
      if (xlo >= xhi) { xlo = 0; xhi = 1; }
      wv = window_of(in, ih, iw, ic, ylo, yhi, xlo, xhi, win);
      if (fn(ctx, &wv, &ov, &r) != MCB_OK) bad = 1;
    }
  }
  if (memcmp(out, expected, (size_t)oh * ow * oc) != 0) bad = 1;
  free(win);
  free(out);
  return bad;
}

typedef struct {
  const void *params;
  const mcb_channel_quant *q;
  const void *filter;
  const int32_t *bias;
} conv_ctx;

static mcb_status conv_region(const void *c, const mcb_view_s8 *in, mcb_view_s8 *out,
                              const mcb_region *r) {
  const conv_ctx *x = (const conv_ctx *)c;
  return mcb_conv_2d_s8((const mcb_conv_params *)x->params, x->q, in,
                        (const mcb_filter_s8 *)x->filter, x->bias, out, r, NULL);
}

static mcb_status dw_region(const void *c, const mcb_view_s8 *in, mcb_view_s8 *out,
                            const mcb_region *r) {
  const conv_ctx *x = (const conv_ctx *)c;
  return mcb_depthwise_conv_2d_s8((const mcb_depthwise_conv_params *)x->params, x->q, in,
                                  (const mcb_depthwise_filter_s8 *)x->filter, x->bias, out, r,
                                  NULL);
}

static mcb_status avg_region(const void *c, const mcb_view_s8 *in, mcb_view_s8 *out,
                             const mcb_region *r) {
  return mcb_avg_pool_2d_s8((const mcb_pool_params *)c, in, out, r);
}

static mcb_status max_region(const void *c, const mcb_view_s8 *in, mcb_view_s8 *out,
                             const mcb_region *r) {
  return mcb_max_pool_2d_s8((const mcb_pool_params *)c, in, out, r);
}

/* Runs one case into out (capacity cap); returns status, fills tiled / in_place / n. */
/* Set by "--whole-only": skip the tiled and in-place reruns (end-to-end chains). */
static int g_whole_only = 0;

static mcb_status run_case(int32_t op, const int32_t *p, const void **b, const int32_t *blen,
                           int8_t *out, int32_t *n, int32_t *tiled, int32_t *in_place) {
  *tiled = -1;
  *in_place = -1;
  if (op == OP_CONV || op == OP_DW) {
    /* p: ih iw ic oh ow oc fh fw f_in_c sh sw dh dw pt pl dm in_off out_off amin amax nq bias */
    const int8_t *in = (const int8_t *)b[0];
    mcb_channel_quant q;
    mcb_view_s8 vin = full_view((int8_t *)in, p[0], p[1], p[2]);
    mcb_view_s8 vout = full_view(out, p[3], p[4], p[5]);
    const int32_t *bias = p[21] ? (const int32_t *)b[2] : NULL;
    conv_ctx ctx;
    mcb_status st;
    q.multiplier = (const int32_t *)b[3];
    q.shift = (const int32_t *)b[4];
    q.count = p[20];
    *n = p[3] * p[4] * p[5];
    if (op == OP_CONV) {
      mcb_conv_params cp;
      mcb_filter_s8 f;
      cp.stride_h = p[9]; cp.stride_w = p[10]; cp.dilation_h = p[11]; cp.dilation_w = p[12];
      cp.pad_top = p[13]; cp.pad_left = p[14]; cp.input_offset = p[16]; cp.output_offset = p[17];
      cp.act_min = p[18]; cp.act_max = p[19];
      f.data = (const int8_t *)b[1]; f.out_c = p[5]; f.h = p[6]; f.w = p[7]; f.in_c = p[8];
      st = mcb_conv_2d_s8(&cp, &q, &vin, &f, bias, &vout, NULL, NULL);
      if (st != MCB_OK) return st;
      ctx.params = &cp; ctx.q = &q; ctx.filter = &f; ctx.bias = bias;
      if (g_whole_only) return MCB_OK;
      *tiled = tiled_check(conv_region, &ctx, in, p[0], p[1], p[2], p[3], p[4], p[5], p[9], p[10],
                           p[6], p[7], p[11], p[12], p[13], p[14], out);
      if (p[6] == 1 && p[7] == 1 && p[9] == 1 && p[10] == 1 && p[13] == 0 && p[14] == 0 &&
          p[5] <= p[2] && p[8] == p[2]) {
        int8_t *buf = malloc((size_t)blen[0]);
        int8_t *scratch = malloc((size_t)p[5]);
        mcb_view_s8 vb, vo;
        mcb_context c;
        memcpy(buf, in, (size_t)blen[0]);
        vb = full_view(buf, p[0], p[1], p[2]);
        vo = full_view(buf, p[3], p[4], p[5]);
        c.buf = scratch; c.size = p[5];
        *in_place = mcb_conv_2d_s8(&cp, &q, &vb, &f, bias, &vo, NULL, &c) != MCB_OK ||
                    memcmp(buf, out, (size_t)*n) != 0;
        free(buf);
        free(scratch);
      }
    } else {
      mcb_depthwise_conv_params dp;
      mcb_depthwise_filter_s8 f;
      dp.stride_h = p[9]; dp.stride_w = p[10]; dp.dilation_h = p[11]; dp.dilation_w = p[12];
      dp.pad_top = p[13]; dp.pad_left = p[14]; dp.depth_multiplier = p[15];
      dp.input_offset = p[16]; dp.output_offset = p[17]; dp.act_min = p[18]; dp.act_max = p[19];
      f.data = (const int8_t *)b[1]; f.h = p[6]; f.w = p[7]; f.c = p[5];
      st = mcb_depthwise_conv_2d_s8(&dp, &q, &vin, &f, bias, &vout, NULL, NULL);
      if (st != MCB_OK) return st;
      ctx.params = &dp; ctx.q = &q; ctx.filter = &f; ctx.bias = bias;
      if (g_whole_only) return MCB_OK;
      *tiled = tiled_check(dw_region, &ctx, in, p[0], p[1], p[2], p[3], p[4], p[5], p[9], p[10],
                           p[6], p[7], p[11], p[12], p[13], p[14], out);
      if (p[15] == 1) {
        const size_t cap = (size_t)(blen[0] > *n ? blen[0] : *n);
        int8_t *buf = malloc(cap);
        int8_t *scratch = malloc((size_t)p[3] * p[4]);
        mcb_view_s8 vb, vo;
        mcb_context c;
        memcpy(buf, in, (size_t)blen[0]);
        vb = full_view(buf, p[0], p[1], p[2]);
        vo = full_view(buf, p[3], p[4], p[5]);
        c.buf = scratch; c.size = p[3] * p[4];
        *in_place = mcb_depthwise_conv_2d_s8(&dp, &q, &vb, &f, bias, &vo, NULL, &c) != MCB_OK ||
                    memcmp(buf, out, (size_t)*n) != 0;
        free(buf);
        free(scratch);
      }
    }
    return MCB_OK;
  }
  if (op == OP_AVG || op == OP_MAX) {
    /* p: ih iw c oh ow sh sw fh fw pt pl amin amax */
    mcb_pool_params pp;
    mcb_view_s8 vin = full_view((int8_t *)b[0], p[0], p[1], p[2]);
    mcb_view_s8 vout = full_view(out, p[3], p[4], p[2]);
    mcb_status st;
    pp.stride_h = p[5]; pp.stride_w = p[6]; pp.filter_h = p[7]; pp.filter_w = p[8];
    pp.pad_top = p[9]; pp.pad_left = p[10]; pp.act_min = p[11]; pp.act_max = p[12];
    *n = p[3] * p[4] * p[2];
    st = op == OP_AVG ? mcb_avg_pool_2d_s8(&pp, &vin, &vout, NULL)
                      : mcb_max_pool_2d_s8(&pp, &vin, &vout, NULL);
    if (st != MCB_OK || g_whole_only) return st;
    *tiled = tiled_check(op == OP_AVG ? avg_region : max_region, &pp, (const int8_t *)b[0], p[0],
                         p[1], p[2], p[3], p[4], p[2], p[5], p[6], p[7], p[8], 1, 1, p[9], p[10],
                         out);
    return MCB_OK;
  }
  if (op == OP_CONV_U8 || op == OP_DW_U8) {
    /* p: ih iw ic oh ow oc fh fw f_in_c sh sw dh dw pt pl dm in_off f_off out_off m s amin amax bias */
    mcb_conv_u8_params cp;
    mcb_view_u8 vin, vout;
    const int32_t *bias = p[23] ? (const int32_t *)b[2] : NULL;
    vin.data = (uint8_t *)b[0]; vin.y0 = 0; vin.x0 = 0; vin.h = p[0]; vin.w = p[1]; vin.c = p[2];
    vin.full_h = p[0]; vin.full_w = p[1];
    vout.data = (uint8_t *)out; vout.y0 = 0; vout.x0 = 0; vout.h = p[3]; vout.w = p[4];
    vout.c = p[5]; vout.full_h = p[3]; vout.full_w = p[4];
    cp.stride_h = p[9]; cp.stride_w = p[10]; cp.dilation_h = p[11]; cp.dilation_w = p[12];
    cp.pad_top = p[13]; cp.pad_left = p[14]; cp.depth_multiplier = p[15];
    cp.input_offset = p[16]; cp.filter_offset = p[17]; cp.output_offset = p[18];
    cp.output_multiplier = p[19]; cp.output_shift = p[20]; cp.act_min = p[21]; cp.act_max = p[22];
    *n = p[3] * p[4] * p[5];
    if (op == OP_CONV_U8) {
      mcb_filter_u8 f;
      f.data = (const uint8_t *)b[1]; f.out_c = p[5]; f.h = p[6]; f.w = p[7]; f.in_c = p[8];
      return mcb_conv_2d_u8(&cp, &vin, &f, bias, &vout, NULL);
    } else {
      mcb_depthwise_filter_u8 f;
      f.data = (const uint8_t *)b[1]; f.h = p[6]; f.w = p[7]; f.c = p[5];
      return mcb_depthwise_conv_2d_u8(&cp, &vin, &f, bias, &vout, NULL);
    }
  }
  if (op == OP_AVG_U8) {
    mcb_pool_params pp;
    mcb_view_u8 vin, vout;
    vin.data = (uint8_t *)b[0]; vin.y0 = 0; vin.x0 = 0; vin.h = p[0]; vin.w = p[1]; vin.c = p[2];
    vin.full_h = p[0]; vin.full_w = p[1];
    vout.data = (uint8_t *)out; vout.y0 = 0; vout.x0 = 0; vout.h = p[3]; vout.w = p[4];
    vout.c = p[2]; vout.full_h = p[3]; vout.full_w = p[4];
    pp.stride_h = p[5]; pp.stride_w = p[6]; pp.filter_h = p[7]; pp.filter_w = p[8];
    pp.pad_top = p[9]; pp.pad_left = p[10]; pp.act_min = p[11]; pp.act_max = p[12];
    *n = p[3] * p[4] * p[2];
    return mcb_avg_pool_2d_u8(&pp, &vin, &vout, NULL);
  }
  if (op == OP_SOFTMAX_U8) {
    mcb_softmax_params sp;
    sp.input_multiplier = p[2]; sp.input_left_shift = p[3]; sp.diff_min = p[4];
    *n = p[0] * p[1];
    return mcb_softmax_u8(&sp, p[0], p[1], (const uint8_t *)b[0], (uint8_t *)out);
  }
  if (op == OP_MUL) {
    /* p: 7 mul params, then shape1 (7), shape2 (7), out shape (7) */
    mcb_mul_params mp;
    mcb_shape s1 = shape_at(p + 7), s2 = shape_at(p + 14), so = shape_at(p + 21);
    int32_t i;
    mp.input1_offset = p[0]; mp.input2_offset = p[1]; mp.output_offset = p[2];
    mp.output_multiplier = p[3]; mp.output_shift = p[4]; mp.act_min = p[5]; mp.act_max = p[6];
    *n = 1;
    for (i = 0; i < so.rank; ++i) *n *= so.dims[i];
    return mcb_mul_s8(&mp, &s1, (const int8_t *)b[0], &s2, (const int8_t *)b[1], &so, out);
  }
  if (op == OP_FC) {
    /* p: batches accum out_depth in_off filter_off out_off amin amax nq has_bias */
    mcb_fully_connected_params fp;
    mcb_channel_quant q;
    fp.input_offset = p[3]; fp.filter_offset = p[4]; fp.output_offset = p[5];
    fp.act_min = p[6]; fp.act_max = p[7];
    q.multiplier = (const int32_t *)b[3]; q.shift = (const int32_t *)b[4]; q.count = p[8];
    *n = p[0] * p[2];
    return mcb_fully_connected_s8(&fp, &q, (const int8_t *)b[0], p[0], p[1], (const int8_t *)b[1],
                                  p[2], p[9] ? (const int32_t *)b[2] : NULL, out);
  }
  if (op == OP_MEAN) {
    /* p: shape (7), in_zp, out_zp, multiplier, shift, axis_mask, out elements */
    mcb_mean_params mp;
    mcb_shape s = shape_at(p);
    mp.input_zero_point = p[7]; mp.output_zero_point = p[8]; mp.multiplier = p[9]; mp.shift = p[10];
    mp.axis_mask = (uint32_t)p[11];
    *n = p[12];
    return mcb_mean_s8(&mp, &s, (const int8_t *)b[0], out);
  }
  if (op == OP_QUANTIZE) {
    /* p: kind (0 f32->s8, 1 s8->s8, 2 s8->u8, 3 u8->s8), count, scale bits, zp, in_zp, out_zp, m, s */
    mcb_requantize_params rp;
    *n = p[1];
    rp.input_zero_point = p[4]; rp.output_zero_point = p[5]; rp.multiplier = p[6]; rp.shift = p[7];
    if (p[0] == 0) {
      mcb_affine_quant aq;
      memcpy(&aq.scale, &p[2], 4);
      aq.zero_point = p[3];
      return mcb_quantize_f32_s8(&aq, (const float *)b[0], out, p[1]);
    }
    if (p[0] == 1) return mcb_quantize_s8_s8(&rp, (const int8_t *)b[0], out, p[1]);
    if (p[0] == 2) return mcb_quantize_s8_u8(&rp, (const int8_t *)b[0], (uint8_t *)out, p[1]);
    return mcb_quantize_u8_s8(&rp, (const uint8_t *)b[0], out, p[1]);
  }
  if (op == OP_DEQUANTIZE) {
    /* p: kind (0 s8, 1 u8), count, scale bits, zp; output float32 */
    mcb_affine_quant aq;
    memcpy(&aq.scale, &p[2], 4);
    aq.zero_point = p[3];
    *n = p[1] * 4;
    return p[0] == 0 ? mcb_dequantize_s8_f32(&aq, (const int8_t *)b[0], (float *)(void *)out, p[1])
                     : mcb_dequantize_u8_f32(&aq, (const uint8_t *)b[0], (float *)(void *)out, p[1]);
  }
  if (op == OP_TRANSPOSE) {
    mcb_shape s = shape_at(p);
    int32_t i;
    *n = 1;
    for (i = 0; i < s.rank; ++i) *n *= s.dims[i];
    return mcb_transpose_s8(p + 7, &s, (const int8_t *)b[0], out);
  }
  if (op == OP_LEAKY_RELU) {
    mcb_leaky_relu_params lp;
    lp.input_zero_point = p[1]; lp.output_zero_point = p[2];
    lp.output_multiplier_alpha = p[3]; lp.output_shift_alpha = p[4];
    lp.output_multiplier_identity = p[5]; lp.output_shift_identity = p[6];
    *n = p[0];
    return mcb_leaky_relu_s8(&lp, (const int8_t *)b[0], out, p[0]);
  }
  if (op == OP_CONCATENATION) {
    /* p: axis, count, out shape (7), count x shape (7) */
    mcb_shape so = shape_at(p + 2), shapes[8];
    const mcb_shape *sp[8];
    const int8_t *ins[8];
    int32_t i;
    for (i = 0; i < p[1] && i < 8; ++i) {
      shapes[i] = shape_at(p + 9 + 7 * i);
      sp[i] = &shapes[i];
      ins[i] = (const int8_t *)b[i];
    }
    *n = 1;
    for (i = 0; i < so.rank; ++i) *n *= so.dims[i];
    return mcb_concatenation_s8(p[0], p[1], sp, ins, &so, out);
  }
  if (op == OP_RESIZE_NN) {
    /* p: batches in_h in_w c out_h out_w align_corners half_pixel_centers */
    mcb_resize_params rp;
    rp.align_corners = p[6];
    rp.half_pixel_centers = p[7];
    *n = p[0] * p[4] * p[5] * p[3];
    return mcb_resize_nearest_neighbor_s8(&rp, p[0], p[1], p[2], p[3], (const int8_t *)b[0], p[4],
                                          p[5], out);
  }
  if (op == OP_ADD) {
    /* p: 13 add params, then shape1 (7), shape2 (7), out shape (7) */
    mcb_add_params ap;
    mcb_shape s1 = shape_at(p + 13), s2 = shape_at(p + 20), so = shape_at(p + 27);
    int32_t i;
    ap.left_shift = p[0];
    ap.input1_offset = p[1]; ap.input1_multiplier = p[2]; ap.input1_shift = p[3];
    ap.input2_offset = p[4]; ap.input2_multiplier = p[5]; ap.input2_shift = p[6];
    ap.output_offset = p[7]; ap.output_multiplier = p[8]; ap.output_shift = p[9];
    ap.act_min = p[10]; ap.act_max = p[11];
    *n = 1;
    for (i = 0; i < so.rank; ++i) *n *= so.dims[i];
    return mcb_add_s8(&ap, &s1, (const int8_t *)b[0], &s2, (const int8_t *)b[1], &so, out);
  }
  if (op == OP_SOFTMAX) {
    mcb_softmax_params sp;
    sp.input_multiplier = p[2]; sp.input_left_shift = p[3]; sp.diff_min = p[4];
    *n = p[0] * p[1];
    return mcb_softmax_s8(&sp, p[0], p[1], (const int8_t *)b[0], out);
  }
  if (op == OP_PAD) {
    /* p: shape (7), before (6), after (6), pad value, out elements */
    mcb_pad_params pp;
    mcb_shape s = shape_at(p);
    int i;
    for (i = 0; i < MCB_MAX_DIMS; ++i) {
      pp.before[i] = p[7 + i];
      pp.after[i] = p[13 + i];
    }
    pp.pad_value = (int8_t)p[19];
    *n = p[20];
    return mcb_pad_s8(&pp, &s, (const int8_t *)b[0], out);
  }
  fprintf(stderr, "golden_runner: unknown op %d\n", (int)op);
  exit(2);
}

int main(int argc, char **argv) {
  FILE *f, *o;
  long size;
  uint8_t *data;
  reader r;
  static int8_t out[4 << 20];
  if (argc == 4 && strcmp(argv[3], "--whole-only") == 0) {
    g_whole_only = 1;
  } else if (argc != 3) {
    fprintf(stderr, "usage: golden_runner CASES OUTPUTS [--whole-only]\n");
    return 2;
  }
  f = fopen(argv[1], "rb");
  if (f == NULL) return 2;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = malloc((size_t)size + 1);
  if (fread(data, 1, (size_t)size, f) != (size_t)size) return 2;
  fclose(f);
  o = fopen(argv[2], "wb");
  if (o == NULL) return 2;
  r.p = data;
  r.end = data + size;
  while (r.p < r.end) {
    int32_t op = rd_i32(&r), np = rd_i32(&r), nb, i, n = 0, tiled, in_place;
    int32_t params[128], blen[8];
    const void *blobs[8];
    mcb_status st;
    if (np < 0 || np > 128) return 2;
    for (i = 0; i < np; ++i) params[i] = rd_i32(&r);
    nb = rd_i32(&r);
    if (nb < 0 || nb > 8) return 2;
    for (i = 0; i < nb; ++i) blobs[i] = rd_blob(&r, &blen[i]);
    st = run_case(op, params, blobs, blen, out, &n, &tiled, &in_place);
    if (n < 0 || n > (int32_t)sizeof out) return 2;
    wr_i32(o, (int32_t)st);
    wr_i32(o, tiled);
    wr_i32(o, in_place);
    wr_i32(o, n);
    fwrite(out, 1, (size_t)n, o);
  }
  fclose(o);
  free(data);
  return 0;
}
