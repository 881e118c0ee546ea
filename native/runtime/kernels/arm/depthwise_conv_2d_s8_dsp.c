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
 * In place (case a of kernels.h: the same view in and out, multiplier 1, stride 1) each channel group's output
 * rows wait in a small ring until no later row of the group reads the input row they overwrite: pad_top + 1
 * rows of 4 channels (other groups never read these channels).
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
  int32_t w[MAX_TAPS][2]; /* per tap: [w0 w2], [w1 w3] as int16 pairs */
  int32_t bias[4];
  mcb_dsp_rq rq[4];
} dw_group;

static void group_init(const dw_call *d, const mcb_channel_quant *q, const int32_t *bias, int32_t c0,
                       int32_t n, dw_group *g) {
  const int32_t taps = d->f->h * d->f->w;
  int32_t t, i;
  g->c0 = c0;
  g->n = n;
  for (t = 0; t < taps; ++t) {
    const int8_t *w = d->f->data + (int64_t)t * d->f->c + c0;
    int32_t word = 0;
    for (i = 0; i < n; ++i) {
      word |= (int32_t)((uint32_t)(uint8_t)w[i] << (8 * i));
    }
    g->w[t][0] = __sxtb16(word);
    g->w[t][1] = mcb_dsp_sxtb16_ror8(word);
  }
  for (i = 0; i < 4; ++i) {
    const int32_t ch = c0 + (i < n ? i : 0);
    const int32_t qi = q->count == 1 ? 0 : ch;
    g->bias[i] = bias ? bias[ch] : 0;
    mcb_dsp_rq_init(&g->rq[i], q->multiplier[qi], q->shift[qi], 0);
    mcb_dsp_rq_fold_offset(&g->rq[i], d->p->output_offset);
  }
}

/* The group's 4 input values at input pixel `x` (offset added), as [c0 c2] and [c1 c3]. */
MCB_DSP_INLINE void load_x(const dw_call *d, const dw_group *g, const int8_t *x, int32_t *xe, int32_t *xo) {
  if (d->mult == 1 && g->n == 4) {
    const int32_t v = mcb_dsp_load4(x + g->c0);
    *xe = __sxtab16(d->off2, v);
    *xo = mcb_dsp_sxtab16_ror8(d->off2, v);
  } else if (d->mult == 1) {
    int32_t v = 0, i;
    for (i = 0; i < g->n; ++i) {
      v |= (int32_t)((uint32_t)(uint8_t)x[g->c0 + i] << (8 * i));
    }
    *xe = __sxtab16(d->off2, v);
    *xo = mcb_dsp_sxtab16_ror8(d->off2, v);
  } else {
    /* multiplier % 4 == 0: the group's channels all read input channel c0 / multiplier */
    const int32_t v = x[g->c0 / d->mult] + d->p->input_offset;
    *xe = *xo = (int32_t)(((uint32_t)v & 0xFFFFu) | ((uint32_t)v << 16));
  }
}

/* The group's 4 outputs of pixel (oy, ox) into dst[0..n). */
MCB_DSP_INLINE void pixel(const dw_call *d, const dw_group *g, int32_t oy, int32_t ox, int8_t *dst, int any_shift,
                          int full) {
  const mcb_depthwise_conv_params *p = d->p;
  const mcb_view_s8 *in = d->in;
  const mcb_depthwise_filter_s8 *f = d->f;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
  int32_t a0 = g->bias[0], a1 = g->bias[1], a2 = g->bias[2], a3 = g->bias[3];
  int32_t ky, kx, v[4], i;
  for (ky = 0; ky < f->h; ++ky) {
    const int32_t iy = iy0 + p->dilation_h * ky;
    const int8_t *row;
    const int32_t(*w)[2] = &g->w[ky * f->w];
    if (iy < 0 || iy >= in->full_h) {
      continue;
    }
    row = in->data + (int64_t)(iy - in->y0) * in->w * in->c;
    for (kx = 0; kx < f->w; ++kx) {
      const int32_t ix = ix0 + p->dilation_w * kx;
      int32_t xe, xo;
      if (ix < 0 || ix >= in->full_w) {
        continue;
      }
      load_x(d, g, row + (ix - in->x0) * in->c, &xe, &xo);
      a0 = __smlabb(xe, w[kx][0], a0);
      a2 = __smlatt(xe, w[kx][0], a2);
      a1 = __smlabb(xo, w[kx][1], a1);
      a3 = __smlatt(xo, w[kx][1], a3);
    }
  }
  v[0] = mcb_dsp_clamp(mcb_dsp_rq_apply(a0, &g->rq[0], any_shift), d->lo, d->hi, full);
  v[1] = mcb_dsp_clamp(mcb_dsp_rq_apply(a1, &g->rq[1], any_shift), d->lo, d->hi, full);
  v[2] = mcb_dsp_clamp(mcb_dsp_rq_apply(a2, &g->rq[2], any_shift), d->lo, d->hi, full);
  v[3] = mcb_dsp_clamp(mcb_dsp_rq_apply(a3, &g->rq[3], any_shift), d->lo, d->hi, full);
  if (g->n == 4) {
    mcb_dsp_store4(dst, (int32_t)(((uint32_t)v[0] & 0xFFu) | (((uint32_t)v[1] & 0xFFu) << 8) |
                                  (((uint32_t)v[2] & 0xFFu) << 16) | ((uint32_t)v[3] << 24)));
  } else {
    for (i = 0; i < g->n; ++i) {
      dst[i] = (int8_t)v[i];
    }
  }
}

typedef void rows_fn(const dw_call *d, const dw_group *g, const mcb_region *r, int8_t *ring);

/* Every pixel of region r for one channel group: straight into the output, or (ring != NULL, in place)
 * through the row ring. Instantiated per (any_shift, full range). */
MCB_DSP_INLINE void rows(const dw_call *d, const dw_group *g, const mcb_region *r, int8_t *ring, int any_shift,
                         int full) {
  const mcb_view_s8 *out = d->out;
  const int32_t width = r->x1 - r->x0, keep = d->p->pad_top + 1;
  int32_t oy, ox, i;
  for (oy = r->y0; oy < r->y1; ++oy) {
    if (ring == NULL) {
      int8_t *dst = out->data + ((int64_t)(oy - out->y0) * out->w + (r->x0 - out->x0)) * out->c + g->c0;
      for (ox = r->x0; ox < r->x1; ++ox, dst += out->c) {
        pixel(d, g, oy, ox, dst, any_shift, full);
      }
    } else {
      int8_t *slot = ring + (int64_t)((oy - r->y0) % keep) * width * 4;
      for (ox = r->x0; ox < r->x1; ++ox) {
        pixel(d, g, oy, ox, slot + (ox - r->x0) * 4, any_shift, full);
      }
      /* Row oy - pad_top is no longer read by any later row of this group: write it back. */
      if (oy - d->p->pad_top >= r->y0) {
        const int32_t q = oy - d->p->pad_top;
        const int8_t *src = ring + (int64_t)((q - r->y0) % keep) * width * 4;
        int8_t *dst = out->data + (int64_t)(q - out->y0) * out->w * out->c + g->c0;
        for (ox = 0; ox < width; ++ox, dst += out->c, src += 4) {
          for (i = 0; i < g->n; ++i) dst[i] = src[i];
        }
      }
    }
  }
  if (ring != NULL) {
    /* The last pad_top rows. */
    int32_t q;
    for (q = r->y1 - d->p->pad_top > r->y0 ? r->y1 - d->p->pad_top : r->y0; q < r->y1; ++q) {
      const int8_t *src = ring + (int64_t)((q - r->y0) % keep) * width * 4;
      int8_t *dst = out->data + (int64_t)(q - out->y0) * out->w * out->c + g->c0;
      for (ox = 0; ox < width; ++ox, dst += out->c, src += 4) {
        for (i = 0; i < g->n; ++i) dst[i] = src[i];
      }
    }
  }
}

#define ROWS_VARIANT(name, any_shift, full)                                                \
  static void name(const dw_call *d, const dw_group *g, const mcb_region *r, int8_t *ring) { \
    rows(d, g, r, ring, any_shift, full);                                                   \
  }
ROWS_VARIANT(rows_shr_full, 0, 1)
ROWS_VARIANT(rows_shr_range, 0, 0)
ROWS_VARIANT(rows_any_full, 1, 1)
ROWS_VARIANT(rows_any_range, 1, 0)

mcb_status mcb_depthwise_conv_2d_s8_dsp(const mcb_depthwise_conv_params *params, const mcb_channel_quant *quant,
                                        const mcb_view_s8 *input, const mcb_depthwise_filter_s8 *filter,
                                        const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                                        const mcb_context *ctx) {
  int8_t ring_buf[RING_BYTES] __attribute__((aligned(4)));
  dw_group g;
  dw_call d;
  mcb__window_call call;
  mcb_dsp_rq probe;
  rows_fn *run;
  int8_t *ring = NULL;
  int64_t bound;
  int any_shift = 0;
  int32_t c0, oc;
  if (mcb__depthwise_conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call) != MCB_OK ||
      call.empty || (int64_t)filter->h * filter->w > MAX_TAPS ||
      (params->depth_multiplier != 1 && params->depth_multiplier % 4 != 0)) {
    return MCB_ERR_UNSUPPORTED;
  }
  if (call.inplace) {
    /* The ring's rule needs output row q over input row q: stride 1 and the same view. */
    if (params->stride_h != 1 || params->stride_w != 1 || output->y0 != input->y0 || output->x0 != input->x0 ||
        output->h != input->h || output->w != input->w ||
        (int64_t)(params->pad_top + 1) * (call.r.x1 - call.r.x0) * 4 > RING_BYTES) {
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
      return MCB_ERR_UNSUPPORTED;
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
  run = d.lo == -128 && d.hi == 127 ? (any_shift ? rows_any_full : rows_shr_full)
                                     : (any_shift ? rows_any_range : rows_shr_range);
  for (c0 = 0; c0 < filter->c; c0 += 4) {
    group_init(&d, quant, bias, c0, filter->c - c0 < 4 ? filter->c - c0 : 4, &g);
    run(&d, &g, &call.r, ring);
  }
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_depthwise_conv_2d_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
