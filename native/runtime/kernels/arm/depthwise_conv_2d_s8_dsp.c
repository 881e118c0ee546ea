/*
 * Cortex-M DSP twin of depthwise_conv_2d_s8_ref.c (int8 DEPTHWISE_CONV_2D, per-channel requantization),
 * identical bytes.
 *
 * Four channels at a time: per tap one LDR brings the 4 channels' input bytes, SXTAB16 (plain and ROR #8) adds
 * the input offset and splits them into [c0 c2] and [c1 c3], and SMLABB / SMLATT multiply each half by the
 * channel's weight, which is unpacked once per channel group into a small table (one LDRD per tap). Padding
 * taps are skipped, as the reference does. With a depth multiplier that is a multiple of 4 the group's four
 * output channels share one input channel, broadcast into both halves. Requantization: dsp.h.
 *
 * In place (case a of kernels.h: output over input, multiplier 1, any stride; whole tensors, or the windows of
 * a patch stage's tile, whose output window is the region) each channel group's output rows wait in a small
 * ring until no later row of the group reads the input pixels they overwrite (the same channels of the same
 * linear pixels of the shared buffer; other groups never read these channels).
 *
 * Taken: multiplier 1 or a multiple of 4, at most MAX_TAPS taps, accumulators inside the fast requantization's
 * bound; in place with the ring within RING_BYTES. Everything else declines (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "dsp.h"

#ifndef MAX_TAPS
#define MAX_TAPS 81 /* up to 9x9 kernels */
#endif
#ifndef RING_BYTES
#define RING_BYTES 2048 /* in-place row ring on the stack */
#endif

typedef struct dw_call {
  const mcb_depthwise_conv_params *p;
  const mcb_view_s8 *in;
  const mcb_depthwise_filter_s8 *f;
  mcb_view_s8 *out;
  int32_t off2;    /* input offset in both halves */
  int32_t lo, hi;  /* activation range */
  int32_t mult;    /* depth multiplier */
} dw_call;

/* One channel group's constants: weights unpacked per tap, requantization per channel. */
typedef struct dw_group {
  int32_t c0;       /* first output channel */
  int32_t n;        /* channels in the group, 1..4 */
  int32_t in_ch;    /* byte offset of its (first) input channel in an input pixel */
  int32_t w[MAX_TAPS][2]; /* per tap: [w0 w2], [w1 w3] as int16 pairs */
  int32_t bias[4];
  int32_t bias_in[4]; /* bias + input offset * the channel's weight sum: interior pixels skip the offset */
  mcb_dsp_rq rq[4];
} dw_group;

static void group_init(const dw_call *d, const mcb_channel_quant *q, const int32_t *bias, int32_t c0,
                       int32_t n, dw_group *g) {
  const int32_t taps = d->f->h * d->f->w;
  int32_t t, i;
  g->c0 = c0;
  g->n = n;
  g->in_ch = d->mult == 1 ? c0 : c0 / d->mult;
  for (i = 0; i < 4; ++i) g->bias_in[i] = 0;
  for (t = 0; t < taps; ++t) {
    const int8_t *w = d->f->data + (int64_t)t * d->f->c + c0;
    int32_t word = 0;
    for (i = 0; i < n; ++i) {
      word |= (int32_t)((uint32_t)(uint8_t)w[i] << (8 * i));
      g->bias_in[i] += w[i];
    }
    g->w[t][0] = __sxtb16(word);
    g->w[t][1] = mcb_dsp_sxtb16_ror8(word);
  }
  for (i = 0; i < 4; ++i) {
    const int32_t ch = c0 + (i < n ? i : 0);
    const int32_t qi = q->count == 1 ? 0 : ch;
    g->bias[i] = bias ? bias[ch] : 0;
    /* wraps like the accumulation itself; the final sum is the reference's, inside the checked bound */
    g->bias_in[i] = (int32_t)((uint32_t)g->bias[i] + (uint32_t)g->bias_in[i] * (uint32_t)d->p->input_offset);
    mcb_dsp_rq_init(&g->rq[i], q->multiplier[qi], q->shift[qi], 0);
    mcb_dsp_rq_fold_offset(&g->rq[i], d->p->output_offset);
  }
}

/* How a group reads its input: 4 consecutive channels (multiplier 1), fewer (the last group), or one
 * channel broadcast (multiplier a multiple of 4). Constant per instantiation. */
enum { LOAD_4 = 0, LOAD_PART = 1, LOAD_BCAST = 2 };

/* The group's input values at input pixel `x` (offset added), as [c0 c2] and [c1 c3]. */
MCB_DSP_INLINE void load_x(const dw_call *d, const dw_group *g, const int8_t *x, int32_t *xe, int32_t *xo, int mode) {
  if (mode == LOAD_4) {
    const int32_t v = mcb_dsp_load4(x);
    *xe = __sxtab16(d->off2, v);
    *xo = mcb_dsp_sxtab16_ror8(d->off2, v);
  } else if (mode == LOAD_PART) {
    int32_t v = 0, i;
    for (i = 0; i < g->n; ++i) {
      v |= (int32_t)((uint32_t)(uint8_t)x[i] << (8 * i));
    }
    *xe = __sxtab16(d->off2, v);
    *xo = mcb_dsp_sxtab16_ror8(d->off2, v);
  } else {
    const int32_t v = x[0] + d->p->input_offset;
    *xe = *xo = (int32_t)(((uint32_t)v & 0xFFFFu) | ((uint32_t)v << 16));
  }
}

/* Requantizes the group's four accumulators and stores its n outputs. */
MCB_DSP_INLINE void store_group(const dw_call *d, const dw_group *g, int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                                int8_t *dst, int mode, int any_shift, int full) {
  const int32_t v0 = mcb_dsp_clamp(mcb_dsp_rq_apply(a0, &g->rq[0], any_shift), d->lo, d->hi, full);
  const int32_t v1 = mcb_dsp_clamp(mcb_dsp_rq_apply(a1, &g->rq[1], any_shift), d->lo, d->hi, full);
  const int32_t v2 = mcb_dsp_clamp(mcb_dsp_rq_apply(a2, &g->rq[2], any_shift), d->lo, d->hi, full);
  const int32_t v3 = mcb_dsp_clamp(mcb_dsp_rq_apply(a3, &g->rq[3], any_shift), d->lo, d->hi, full);
  if (mode != LOAD_PART) {
    mcb_dsp_store4(dst, (int32_t)(((uint32_t)v0 & 0xFFu) | (((uint32_t)v1 & 0xFFu) << 8) |
                                  (((uint32_t)v2 & 0xFFu) << 16) | ((uint32_t)v3 << 24)));
  } else {
    dst[0] = (int8_t)v0;
    if (g->n > 1) dst[1] = (int8_t)v1;
    if (g->n > 2) dst[2] = (int8_t)v2;
  }
}

/* The group's outputs of pixel (oy, ox) into dst[0..n), taps outside the input skipped. */
MCB_DSP_INLINE void pixel(const dw_call *d, const dw_group *g, int32_t oy, int32_t ox, int8_t *dst, int mode,
                          int any_shift, int full) {
  const mcb_depthwise_conv_params *p = d->p;
  const mcb_view_s8 *in = d->in;
  const mcb_depthwise_filter_s8 *f = d->f;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
  const int32_t row_bytes = in->w * in->c, tap_step = p->dilation_w * in->c;
  const int8_t *base = in->data + (iy0 - in->y0) * row_bytes + (ix0 - in->x0) * in->c + g->in_ch;
  const int32_t(*w)[2] = g->w;
  int32_t a0 = g->bias[0], a1 = g->bias[1], a2 = g->bias[2], a3 = g->bias[3];
  int32_t ky, kx;
  for (ky = 0; ky < f->h; ++ky, base += p->dilation_h * row_bytes, w += f->w) {
    const int8_t *x = base;
    const int32_t iy = iy0 + p->dilation_h * ky;
    if (iy < 0 || iy >= in->full_h) {
      continue;
    }
    for (kx = 0; kx < f->w; ++kx, x += tap_step) {
      int32_t xe, xo;
      const int32_t ix = ix0 + p->dilation_w * kx;
      if (ix < 0 || ix >= in->full_w) {
        continue;
      }
      load_x(d, g, x, &xe, &xo, mode);
      a0 = __smlabb(xe, w[kx][0], a0);
      a2 = __smlatt(xe, w[kx][0], a2);
      a1 = __smlabb(xo, w[kx][1], a1);
      a3 = __smlatt(xo, w[kx][1], a3);
    }
  }
  store_group(d, g, a0, a1, a2, a3, dst, mode, any_shift, full);
}

/* Interior pixels of one output row, `count` of them from input pointer x (the first pixel's window origin,
 * at the group's input channel): no tap checks, the input offset folded into bias_in. kh/kw: compile-time
 * kernel size (0: the call's). */
MCB_DSP_INLINE void interior_span(const dw_call *d, const dw_group *g, const int8_t *x, int32_t count, int8_t *dst,
                                  int32_t step, int kh, int kw, int mode, int any_shift, int full) {
  const mcb_depthwise_conv_params *p = d->p;
  const int32_t row_step = p->dilation_h * d->in->w * d->in->c, tap_step = p->dilation_w * d->in->c;
  const int32_t px_step = p->stride_w * d->in->c;
  const int32_t h = kh ? kh : d->f->h, w_taps = kw ? kw : d->f->w;
  for (; count > 0; --count, x += px_step, dst += step) {
    const int32_t(*w)[2] = g->w;
    const int8_t *xr = x;
    int32_t a0 = g->bias_in[0], a1 = g->bias_in[1], a2 = g->bias_in[2], a3 = g->bias_in[3];
    int32_t ky, kx;
    /* Fully unrolled for the compile-time sizes (GCC leaves 3-trip loops rolled otherwise). */
#pragma GCC unroll 7
    for (ky = 0; ky < h; ++ky, xr += row_step) {
      const int8_t *xp = xr;
#pragma GCC unroll 7
      for (kx = 0; kx < w_taps; ++kx, xp += tap_step, ++w) {
        int32_t xe, xo;
        if (mode == LOAD_4) {
          const int32_t v = mcb_dsp_load4(xp);
          xe = __sxtb16(v);
          xo = mcb_dsp_sxtb16_ror8(v);
        } else if (mode == LOAD_PART) {
          int32_t v = 0, i;
          for (i = 0; i < g->n; ++i) v |= (int32_t)((uint32_t)(uint8_t)xp[i] << (8 * i));
          xe = __sxtb16(v);
          xo = mcb_dsp_sxtb16_ror8(v);
        } else {
          xe = xo = mcb_dsp_pkhbt16(xp[0], xp[0]);
        }
        a0 = __smlabb(xe, (*w)[0], a0);
        a2 = __smlatt(xe, (*w)[0], a2);
        a1 = __smlabb(xo, (*w)[1], a1);
        a3 = __smlatt(xo, (*w)[1], a3);
      }
    }
    store_group(d, g, a0, a1, a2, a3, dst, mode, any_shift, full);
  }
}

/* The output columns [x_lo, x_hi) whose taps all lie inside the input (possibly empty). */
static void interior_columns(const dw_call *d, const mcb_region *r, int32_t *x_lo, int32_t *x_hi) {
  const mcb_depthwise_conv_params *p = d->p;
  const int32_t ex = (d->f->w - 1) * p->dilation_w + 1;
  int32_t lo = (p->pad_left + p->stride_w - 1) / p->stride_w;
  int32_t hi = (d->in->full_w + p->pad_left - ex) / p->stride_w + 1;
  if (d->in->full_w + p->pad_left - ex < 0) hi = lo;
  lo = lo < r->x0 ? r->x0 : lo > r->x1 ? r->x1 : lo;
  hi = hi > r->x1 ? r->x1 : hi;
  *x_lo = lo;
  *x_hi = hi > lo ? hi : lo;
}

/* One output row [r->x0, r->x1) of a group into dst (consecutive pixels `step` bytes apart). */
MCB_DSP_INLINE void row(const dw_call *d, const dw_group *g, const mcb_region *r, int32_t oy, int8_t *dst,
                        int32_t step, int kh, int kw, int mode, int any_shift, int full) {
  const mcb_depthwise_conv_params *p = d->p;
  const mcb_view_s8 *in = d->in;
  const int32_t ey = (d->f->h - 1) * p->dilation_h + 1;
  const int32_t iy0 = oy * p->stride_h - p->pad_top;
  int32_t ox, x_lo = r->x0, x_hi = r->x0;
  if (iy0 >= 0 && iy0 + ey <= in->full_h) {
    interior_columns(d, r, &x_lo, &x_hi);
  }
  for (ox = r->x0; ox < x_lo; ++ox, dst += step) pixel(d, g, oy, ox, dst, mode, any_shift, full);
  if (x_hi > x_lo) {
    const int8_t *x = in->data + ((int64_t)(iy0 - in->y0) * in->w + (x_lo * p->stride_w - p->pad_left - in->x0)) * in->c +
                      g->in_ch;
    interior_span(d, g, x, x_hi - x_lo, dst, step, kh, kw, mode, any_shift, full);
    dst += (x_hi - x_lo) * step;
  }
  for (ox = x_hi; ox < r->x1; ++ox, dst += step) pixel(d, g, oy, ox, dst, mode, any_shift, full);
}

/* In place: output row q (full-tensor coordinates) is written over the linear pixels [(q - y0)*w, (q - y0 + 1)*w)
 * of the shared buffer (same channels; y0, w: the output window's); it may go once no later output row reads
 * the last of them: that pixel's input row (the input window's row + its y0) lies above row `next`'s window. */
static int row_may_commit(const dw_call *d, int32_t q, int32_t next) {
  const int32_t last_pixel = (q - d->out->y0 + 1) * d->out->w - 1;
  return d->in->y0 + last_pixel / d->in->w < next * d->p->stride_h - d->p->pad_top;
}

static void commit(const dw_call *d, const dw_group *g, const int8_t *ring, int32_t ring_rows, int32_t q) {
  const int32_t width = d->out->w;
  const int8_t *src = ring + (int64_t)(q % ring_rows) * width * 4;
  int8_t *dst = d->out->data + (int64_t)(q - d->out->y0) * width * d->out->c + g->c0;
  int32_t ox, i;
  for (ox = 0; ox < width; ++ox, dst += d->out->c, src += 4) {
    for (i = 0; i < g->n; ++i) dst[i] = src[i];
  }
}

typedef void rows_fn(const dw_call *d, const dw_group *g, const mcb_region *r, int8_t *ring, int32_t ring_rows);

/* Every row of region r for one channel group: straight into the output, or (ring != NULL, in place, whole
 * tensors) through the row ring. Instantiated per (load mode, any_shift, full range). */
MCB_DSP_INLINE void rows(const dw_call *d, const dw_group *g, const mcb_region *r, int8_t *ring, int32_t ring_rows,
                         int kh, int kw, int mode, int any_shift, int full) {
  const mcb_view_s8 *out = d->out;
  int32_t oy, next_commit = r->y0;
  for (oy = r->y0; oy < r->y1; ++oy) {
    if (ring == NULL) {
      int8_t *dst = out->data + ((int64_t)(oy - out->y0) * out->w + (r->x0 - out->x0)) * out->c + g->c0;
      row(d, g, r, oy, dst, out->c, kh, kw, mode, any_shift, full);
    } else {
      row(d, g, r, oy, ring + (int64_t)(oy % ring_rows) * out->w * 4, 4, kh, kw, mode, any_shift, full);
      while (next_commit <= oy && row_may_commit(d, next_commit, oy + 1)) {
        commit(d, g, ring, ring_rows, next_commit++);
      }
    }
  }
  while (ring != NULL && next_commit < r->y1) {
    commit(d, g, ring, ring_rows, next_commit++);
  }
}

#define ROWS_VARIANT(name, kh, kw, mode, any_shift, full)                                                      \
  static void name(const dw_call *d, const dw_group *g, const mcb_region *r, int8_t *ring, int32_t ring_rows) { \
    rows(d, g, r, ring, ring_rows, kh, kw, mode, any_shift, full);                                            \
  }
/* The common case (4 channels, right shifts, full int8 range) unrolled for the usual kernel sizes. */
ROWS_VARIANT(rows4_3x3, 3, 3, LOAD_4, 0, 1)
ROWS_VARIANT(rows4_5x5, 5, 5, LOAD_4, 0, 1)
ROWS_VARIANT(rows4_7x7, 7, 7, LOAD_4, 0, 1)
ROWS_VARIANT(rows4_shr_full, 0, 0, LOAD_4, 0, 1)
ROWS_VARIANT(rows4_shr_range, 0, 0, LOAD_4, 0, 0)
ROWS_VARIANT(rows4_any_full, 0, 0, LOAD_4, 1, 1)
ROWS_VARIANT(rows4_any_range, 0, 0, LOAD_4, 1, 0)
ROWS_VARIANT(rows_part, 0, 0, LOAD_PART, 1, 0)
ROWS_VARIANT(rows_bcast_3x3, 3, 3, LOAD_BCAST, 0, 1)
ROWS_VARIANT(rows_bcast, 0, 0, LOAD_BCAST, 1, 0)

/* The instantiation for a channel group of n channels. */
static rows_fn *rows_for(const dw_call *d, int32_t n, int any_shift) {
  const int full = d->lo == -128 && d->hi == 127;
  const int32_t kh = d->f->h, kw = d->f->w;
  if (d->mult != 1) return !any_shift && full && kh == 3 && kw == 3 ? rows_bcast_3x3 : rows_bcast;
  if (n < 4) return rows_part;
  if (!any_shift && full) {
    if (kh == 3 && kw == 3) return rows4_3x3;
    if (kh == 5 && kw == 5) return rows4_5x5;
    if (kh == 7 && kw == 7) return rows4_7x7;
    return rows4_shr_full;
  }
  return full ? rows4_any_full : any_shift ? rows4_any_range : rows4_shr_range;
}

/* Rows the in-place ring must hold at most (rows computed but not yet committed), or -1 past `limit`. */
static int32_t ring_rows_needed(const dw_call *d, const mcb_region *r, int32_t limit) {
  int32_t oy, next_commit = r->y0, most = 0;
  for (oy = r->y0; oy < r->y1; ++oy) {
    if (oy + 1 - next_commit > most) most = oy + 1 - next_commit;
    if (most > limit) return -1;
    while (next_commit <= oy && row_may_commit(d, next_commit, oy + 1)) ++next_commit;
  }
  return most;
}

static int32_t ring_rows_probe(const mcb_depthwise_conv_params *p, const mcb_view_s8 *in, mcb_view_s8 *out,
                               const mcb_depthwise_filter_s8 *f, const mcb_region *r, int32_t limit) {
  dw_call d;
  d.p = p;
  d.in = in;
  d.out = out;
  d.f = f;
  return limit < 1 ? -1 : ring_rows_needed(&d, r, limit);
}

mcb_status mcb_depthwise_conv_2d_s8_dsp(const mcb_depthwise_conv_params *params, const mcb_channel_quant *quant,
                                        const mcb_view_s8 *input, const mcb_depthwise_filter_s8 *filter,
                                        const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                                        const mcb_context *ctx) {
  int8_t ring_buf[RING_BYTES] __attribute__((aligned(4)));
  dw_group g;
  dw_call d;
  mcb__window_call call;
  mcb_dsp_rq probe;
  int8_t *ring = NULL;
  int32_t ring_rows = 0;
  int64_t bound;
  int any_shift = 0;
  int32_t c0, oc;
  if (mcb__depthwise_conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call) != MCB_OK ||
      call.empty || (int64_t)filter->h * filter->w > MAX_TAPS ||
      (params->depth_multiplier != 1 && params->depth_multiplier % 4 != 0)) {
    return MCB_ERR_UNSUPPORTED;
  }
  if (call.inplace) {
    /* The region is the whole output window (shared check): its rows are whole rows of the shared buffer. */
    if ((ring_rows = ring_rows_probe(params, input, output, filter, &call.r, RING_BYTES / (output->w * 4))) < 1) {
      return MCB_ERR_UNSUPPORTED;
    }
    ring = ring_buf;
  }
  /* |sum w * (x + offset)| <= taps * 128 * 255. */
  bound = (int64_t)filter->h * filter->w * 128 * 255;
  for (oc = 0; oc < filter->c; ++oc) {
    const int32_t qi = quant->count == 1 ? 0 : oc;
    const int64_t b = bias ? (bias[oc] < 0 ? -(int64_t)bias[oc] : bias[oc]) : 0;
    if (!mcb_dsp_rq_init(&probe, quant->multiplier[qi], quant->shift[qi], bound + b)) {
      /* the channel's own |weights| over its taps bound the accumulator more tightly */
      int64_t sum = 0;
      int32_t t;
      for (t = 0; t < filter->h * filter->w; ++t) {
        const int32_t w = filter->data[(int64_t)t * filter->c + oc];
        sum += w < 0 ? -w : w;
      }
      if (!mcb_dsp_rq_init(&probe, quant->multiplier[qi], quant->shift[qi], sum * 255 + b)) {
        return MCB_ERR_UNSUPPORTED;
      }
    }
    any_shift |= !mcb_dsp_rq_fold_offset(&probe, params->output_offset);
  }
  d.p = params;
  d.in = input;
  d.f = filter;
  d.out = output;
  d.off2 = (int32_t)(((uint32_t)params->input_offset & 0xFFFFu) | ((uint32_t)params->input_offset << 16));
  d.lo = params->act_min;
  d.hi = params->act_max;
  d.mult = params->depth_multiplier;
  for (c0 = 0; c0 < filter->c; c0 += 4) {
    const int32_t n = filter->c - c0 < 4 ? filter->c - c0 : 4;
    rows_fn *run = rows_for(&d, n, any_shift);
    group_init(&d, quant, bias, c0, n, &g);
    run(&d, &g, &call.r, ring, ring_rows);
  }
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_depthwise_conv_2d_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
