/*
 * Cortex-M DSP twin of conv_2d_s8_ref.c (int8 CONV_2D, per-channel requantization), identical bytes.
 *
 * Four output pixels at a time (two for receptive fields too long for four columns on the stack): each pixel's
 * receptive field (kh x kw x in_c, the filter row's order) is gathered once into an int16 column with the input
 * offset added (SXTAB16; padding taps are 0, which is what skipping them adds), in the order SXTB16 unpacks a
 * weight word: per 4 values [v0 v2][v1 v3], the block's columns interleaved. The block then meets every output
 * channel: each weight word (4 int8, one LDR) is unpacked once and feeds 8 SMLADs (4 pixels x 2 halves), the
 * column words arriving by LDRD, 17 instructions per 16 MACs (the 2-pixel path pairs 2 channels instead). A 1x1
 * conv gathers by plain unpacking, no im2col copy of the bytes. Requantization: mcb_dsp_rq_apply (dsp.h), the
 * output offset folded into its rounding constant.
 *
 * Taken: no groups (filter in_c == input c), K = kh*kw*in_c <= COL_WORDS, accumulators provably inside the fast
 * requantization's bound; in place (case b of kernels.h).
 * Everything else declines (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "dsp.h"
#include "mcb/quant.h"

#ifndef COL_WORDS /* the differential test shrinks the limits to cross them on small shapes */
#define COL_WORDS 1024 /* gathered columns on the stack (4 KiB): 4 pixels of k <= 512, 2 of k <= 1024 */
#endif
#ifndef CHUNK
#define CHUNK 64 /* output channels whose requantization is prepared at once (1.8 KiB of stack) */
#endif

typedef struct conv_call {
  const mcb_conv_params *p;
  const mcb_view_s8 *in;
  const mcb_filter_s8 *f;
  const int32_t *bias;
  mcb_view_s8 *out;
  int32_t k;      /* values per column */
  int32_t lo, hi; /* activation range */
  int pointwise;  /* 1x1, unpadded: gather = unpack */
  int32_t np;     /* pixels per block: 4, or 2 for columns too long for four */
  int exact;      /* requantize with the reference's 64-bit arithmetic (see out_value) */
} conv_call;

/* Int16 slot of value i of pixel p in the interleaved columns of a block of np pixels: per group of 4 values
 * [p0: v0 v2][p0: v1 v3][p1: v0 v2][p1: v1 v3]... */
static inline int32_t slot(int32_t i, int32_t p, int32_t np) {
  return (i >> 2) * 4 * np + 4 * p + 2 * (i & 1) + ((i >> 1) & 1);
}

/* The receptive field of output pixel (oy, ox) into column p of the block; the non-pointwise path expects the
 * block zeroed (padding taps stay 0). */
static void gather(const conv_call *c, int32_t oy, int32_t ox, int32_t p, int32_t *col) {
  const int32_t np = c->np;
  const mcb_view_s8 *in = c->in;
  const int32_t off = c->p->input_offset;
  int16_t *h = (int16_t *)col;
  if (c->pointwise) {
    const int8_t *x =
        in->data + ((oy * c->p->stride_h - in->y0) * in->w + (ox * c->p->stride_w - in->x0)) * in->c;
    const int32_t off2 = (int32_t)(((uint32_t)off & 0xFFFFu) | ((uint32_t)off << 16));
    const int32_t n4 = c->k >> 2;
    int32_t *dst = col + 2 * p;
    int32_t g;
    for (g = 0; g < n4; ++g) {
      const int32_t v = mcb_dsp_load4(x + 4 * g);
      dst[0] = __sxtab16(off2, v);
      dst[1] = mcb_dsp_sxtab16_ror8(off2, v);
      dst += 2 * np;
    }
    if (c->k & 3) {
      int32_t i;
      dst[0] = dst[1] = 0;
      for (i = 4 * n4; i < c->k; ++i) {
        h[slot(i, p, np)] = (int16_t)(x[i] + off);
      }
    }
  } else {
    const mcb_filter_s8 *f = c->f;
    const int32_t iy0 = oy * c->p->stride_h - c->p->pad_top;
    const int32_t ix0 = ox * c->p->stride_w - c->p->pad_left;
    int32_t ky, kx, ic, i = 0;
    for (ky = 0; ky < f->h; ++ky) {
      const int32_t iy = iy0 + c->p->dilation_h * ky;
      if (iy < 0 || iy >= in->full_h) {
        i += f->w * f->in_c;
        continue;
      }
      for (kx = 0; kx < f->w; ++kx) {
        const int32_t ix = ix0 + c->p->dilation_w * kx;
        const int8_t *x;
        if (ix < 0 || ix >= in->full_w) {
          i += f->in_c;
          continue;
        }
        x = in->data + ((iy - in->y0) * in->w + (ix - in->x0)) * in->c;
        for (ic = 0; ic < f->in_c; ++ic, ++i) {
          h[slot(i, p, np)] = (int16_t)(x[ic] + off);
        }
      }
    }
  }
}

/* The last, partial weight word of a row, zero-filled (bytes past the row are never read). */
static inline int32_t weight_tail(const int8_t *row, int32_t k) {
  int32_t v = 0, i;
  for (i = k & ~3; i < k; ++i) {
    v |= (int32_t)((uint32_t)(uint8_t)row[i] << (8 * (i & 3)));
  }
  return v;
}

/* acc[p][o] += column p . weight row o for 2 pixels x 2 output channels; the columns interleaved per group of
 * 4 values as [p0 even][p0 odd][p1 even][p1 odd] (two LDRDs), the second row `stride` bytes after the first. */
MCB_DSP_INLINE void dot_2x2(const int32_t *col, const int8_t *w, int32_t k, int32_t stride, int32_t acc[4]) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  int32_t n = k >> 2;
  if (n > 0) {
    /* 18 instructions per 16 MACs; GCC 12 spills and splits the loads of the same loop written in C. */
    const int32_t next_row = stride - 4; /* from the first row's post-incremented pointer */
    int32_t wa, wb, we, wf, x0, x1;
    __asm__ volatile(
        "1:\n\t"
        "ldr %[wa], [%[w]], #4\n\t"
        "ldr %[wb], [%[w], %[nr]]\n\t"
        "sxtb16 %[we], %[wa]\n\t"
        "sxtb16 %[wf], %[wb]\n\t"
        "ldrd %[x0], %[x1], [%[col]], #8\n\t"
        "smlad %[a00], %[x0], %[we], %[a00]\n\t"
        "smlad %[a01], %[x0], %[wf], %[a01]\n\t"
        "sxtb16 %[wa], %[wa], ror #8\n\t"
        "sxtb16 %[wb], %[wb], ror #8\n\t"
        "smlad %[a00], %[x1], %[wa], %[a00]\n\t"
        "smlad %[a01], %[x1], %[wb], %[a01]\n\t"
        "ldrd %[x0], %[x1], [%[col]], #8\n\t"
        "smlad %[a10], %[x0], %[we], %[a10]\n\t"
        "smlad %[a11], %[x0], %[wf], %[a11]\n\t"
        "smlad %[a10], %[x1], %[wa], %[a10]\n\t"
        "smlad %[a11], %[x1], %[wb], %[a11]\n\t"
        "subs %[n], %[n], #1\n\t"
        "bne 1b\n\t"
        : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [col] "+r"(col), [w] "+r"(w),
          [n] "+r"(n), [wa] "=&r"(wa), [wb] "=&r"(wb), [we] "=&r"(we), [wf] "=&r"(wf), [x0] "=&r"(x0),
          [x1] "=&r"(x1)
        : [nr] "r"(next_row)
        : "cc", "memory");
  }
  if (k & 3) {
    const int32_t wa = weight_tail(w - (k & ~3), k), wb = weight_tail(w - (k & ~3) + stride, k);
    const int32_t wae = __sxtb16(wa), wao = mcb_dsp_sxtb16_ror8(wa);
    const int32_t wbe = __sxtb16(wb), wbo = mcb_dsp_sxtb16_ror8(wb);
    a00 = __smlad(col[0], wae, __smlad(col[1], wao, a00));
    a01 = __smlad(col[0], wbe, __smlad(col[1], wbo, a01));
    a10 = __smlad(col[2], wae, __smlad(col[3], wao, a10));
    a11 = __smlad(col[2], wbe, __smlad(col[3], wbo, a11));
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
}

/* acc[p] += column p . weight row, for 4 pixels and one output channel (columns interleaved per group of 4
 * values as [p0 even][p0 odd] ... [p3 odd]: four LDRDs per weight word). */
MCB_DSP_INLINE void dot_1x4(const int32_t *col, const int8_t *w, int32_t k, int32_t acc[4]) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t n = k >> 2;
  if (n > 0) {
    /* 17 instructions per 16 MACs, each weight word unpacked once for four pixels. */
    int32_t we, wo, x0, x1;
    __asm__ volatile(
        "1:\n\t"
        "ldr %[wo], [%[w]], #4\n\t"
        "sxtb16 %[we], %[wo]\n\t"
        "sxtb16 %[wo], %[wo], ror #8\n\t"
        "ldrd %[x0], %[x1], [%[col]], #8\n\t"
        "smlad %[a0], %[x0], %[we], %[a0]\n\t"
        "smlad %[a0], %[x1], %[wo], %[a0]\n\t"
        "ldrd %[x0], %[x1], [%[col]], #8\n\t"
        "smlad %[a1], %[x0], %[we], %[a1]\n\t"
        "smlad %[a1], %[x1], %[wo], %[a1]\n\t"
        "ldrd %[x0], %[x1], [%[col]], #8\n\t"
        "smlad %[a2], %[x0], %[we], %[a2]\n\t"
        "smlad %[a2], %[x1], %[wo], %[a2]\n\t"
        "ldrd %[x0], %[x1], [%[col]], #8\n\t"
        "smlad %[a3], %[x0], %[we], %[a3]\n\t"
        "smlad %[a3], %[x1], %[wo], %[a3]\n\t"
        "subs %[n], %[n], #1\n\t"
        "bne 1b\n\t"
        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [col] "+r"(col), [w] "+r"(w), [n] "+r"(n),
          [we] "=&r"(we), [wo] "=&r"(wo), [x0] "=&r"(x0), [x1] "=&r"(x1)
        :
        : "cc", "memory");
  }
  if (k & 3) {
    const int32_t wt = weight_tail(w - (k & ~3), k);
    const int32_t we = __sxtb16(wt), wo = mcb_dsp_sxtb16_ror8(wt);
    a0 = __smlad(col[0], we, __smlad(col[1], wo, a0));
    a1 = __smlad(col[2], we, __smlad(col[3], wo, a1));
    a2 = __smlad(col[4], we, __smlad(col[5], wo, a2));
    a3 = __smlad(col[6], we, __smlad(col[7], wo, a3));
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* One requantized output; the output offset rides in rq->half (see mcb_dsp_rq_fold_offset). */
/* any_shift == EXACT: the reference's own 64-bit requantization (a call with a channel whose accumulator may
 * reach 2^30, e.g. a "dead" channel with bias 2^30), the MAC loops stay fast. */
#define EXACT 2
MCB_DSP_INLINE int32_t out_value(int32_t acc, const mcb_dsp_rq *rq, int32_t lo, int32_t hi, int any_shift,
                                 int full) {
  if (any_shift == EXACT) {
    return mcb_clamp(mcb_multiply_by_quantized_multiplier(acc, rq->mult, rq->shl - 1 - rq->shr) + rq->off, lo, hi);
  }
  return mcb_dsp_clamp(mcb_dsp_rq_apply(acc, rq, any_shift), lo, hi, full);
}

/* Output channels [oc0, oc1) of the pixel pair (d0, d1; d1 may equal d0 for a lone pixel). Instantiated per
 * (any_shift, full range): nearly every call has right shifts only and a [-128, 127] range. */
MCB_DSP_INLINE void channels(const conv_call *c, const mcb_dsp_rq *rq, int32_t oc0, int32_t oc1, const int32_t *col,
                             int8_t *d0, int8_t *d1, int any_shift, int full) {
  const int32_t k = c->k, lo = c->lo, hi = c->hi;
  const int8_t *w = c->f->data + oc0 * k;
  int32_t oc;
  for (oc = oc0; oc + 1 < oc1; oc += 2, rq += 2, w += 2 * k) {
    int32_t acc[4], v0, v1, v2, v3;
    acc[0] = acc[2] = rq[0].bias;
    acc[1] = acc[3] = rq[1].bias;
    dot_2x2(col, w, k, k, acc);
    /* All four values before any store: int8 stores may alias anything, which would force reloads. */
    v0 = out_value(acc[0], &rq[0], lo, hi, any_shift, full);
    v2 = out_value(acc[2], &rq[0], lo, hi, any_shift, full);
    v1 = out_value(acc[1], &rq[1], lo, hi, any_shift, full);
    v3 = out_value(acc[3], &rq[1], lo, hi, any_shift, full);
    d1[oc] = (int8_t)v2;
    d1[oc + 1] = (int8_t)v3;
    d0[oc] = (int8_t)v0;
    d0[oc + 1] = (int8_t)v1;
  }
  if (oc < oc1) {
    /* A lone last channel (odd count) pairs with itself: a row stride of 0. */
    int32_t acc[4], v0, v2;
    acc[0] = acc[1] = acc[2] = acc[3] = rq[0].bias;
    dot_2x2(col, w, k, 0, acc);
    v0 = out_value(acc[0], &rq[0], lo, hi, any_shift, full);
    v2 = out_value(acc[2], &rq[0], lo, hi, any_shift, full);
    d1[oc] = (int8_t)v2;
    d0[oc] = (int8_t)v0;
  }
}

/* Output channels [oc0, oc1) of a block of 4 pixels (d[p]; repeated pixels repeat their pointer). */
MCB_DSP_INLINE void channels4(const conv_call *c, const mcb_dsp_rq *rq, int32_t oc0, int32_t oc1, const int32_t *col,
                              int8_t *const *d, int any_shift, int full) {
  const int32_t k = c->k, lo = c->lo, hi = c->hi;
  const int8_t *w = c->f->data + oc0 * k;
  int8_t *d0 = d[0], *d1 = d[1], *d2 = d[2], *d3 = d[3];
  int32_t oc;
  for (oc = oc0; oc < oc1; ++oc, ++rq, w += k) {
    int32_t acc[4], v0, v1, v2, v3;
    acc[0] = acc[1] = acc[2] = acc[3] = rq->bias;
    dot_1x4(col, w, k, acc);
    v0 = out_value(acc[0], rq, lo, hi, any_shift, full);
    v1 = out_value(acc[1], rq, lo, hi, any_shift, full);
    v2 = out_value(acc[2], rq, lo, hi, any_shift, full);
    v3 = out_value(acc[3], rq, lo, hi, any_shift, full);
    d3[oc] = (int8_t)v3;
    d2[oc] = (int8_t)v2;
    d1[oc] = (int8_t)v1;
    d0[oc] = (int8_t)v0;
  }
}

/* One block: its np columns in col, its np output pixels in d. */
typedef void channels_fn(const conv_call *c, const mcb_dsp_rq *rq, int32_t oc0, int32_t oc1, const int32_t *col,
                         int8_t *const *d);

#define CHANNELS_VARIANT(name, any_shift, full)                                                              \
  static void name##_2(const conv_call *c, const mcb_dsp_rq *rq, int32_t oc0, int32_t oc1, const int32_t *col, \
                       int8_t *const *d) {                                                                    \
    channels(c, rq, oc0, oc1, col, d[0], d[1], any_shift, full);                                              \
  }                                                                                                           \
  static void name##_4(const conv_call *c, const mcb_dsp_rq *rq, int32_t oc0, int32_t oc1, const int32_t *col, \
                       int8_t *const *d) {                                                                    \
    channels4(c, rq, oc0, oc1, col, d, any_shift, full);                                                      \
  }
CHANNELS_VARIANT(channels_shr_full, 0, 1)
CHANNELS_VARIANT(channels_shr_range, 0, 0)
CHANNELS_VARIANT(channels_any_full, 1, 1)
CHANNELS_VARIANT(channels_any_range, 1, 0)
CHANNELS_VARIANT(channels_exact, EXACT, 0)

static int8_t *out_at(const conv_call *c, int32_t oy, int32_t ox) {
  return c->out->data + ((oy - c->out->y0) * c->out->w + (ox - c->out->x0)) * c->out->c;
}

/* Requantization constants and biases of output channels [oc0, oc1) (already checked by the caller). */
static void prepare_chunk(const conv_call *c, const mcb_channel_quant *quant, mcb_dsp_rq *rq, int32_t oc0, int32_t oc1) {
  int32_t oc;
  for (oc = oc0; oc < oc1; ++oc) {
    const int32_t qi = quant->count == 1 ? 0 : oc;
    mcb_dsp_rq_init(&rq[oc - oc0], quant->multiplier[qi], quant->shift[qi], 0);
    if (c->exact) {
      rq[oc - oc0].off = c->p->output_offset; /* out_value's exact path adds it */
    } else {
      mcb_dsp_rq_fold_offset(&rq[oc - oc0], c->p->output_offset);
    }
    rq[oc - oc0].bias = c->bias ? c->bias[oc] : 0;
  }
}

/* Output pixel i of the region (row-major), or the pair's first one past the end (a lone last pixel). */
static void region_pixel(const mcb_region *r, int32_t i, int32_t pixels, int32_t *oy, int32_t *ox) {
  const int32_t w = r->x1 - r->x0;
  if (i >= pixels) i = pixels - 1;
  *oy = r->y0 + i / w;
  *ox = r->x0 + i % w;
}

/* Columns of pixels i .. i + np - 1 (the last pixel repeated past the end) and their output pointers. */
static void gather_block(const conv_call *c, const mcb_region *r, int32_t i, int32_t pixels, int32_t *col,
                         int8_t **d) {
  int32_t oy, ox, p;
  if (!c->pointwise) {
    memset(col, 0, (size_t)((c->k + 3) >> 2) * 16 * (size_t)c->np / 2);
  }
  for (p = 0; p < c->np; ++p) {
    region_pixel(r, i + p, pixels, &oy, &ox);
    gather(c, oy, ox, p, col);
    d[p] = out_at(c, oy, ox);
  }
}

mcb_status mcb_conv_2d_s8_dsp(const mcb_conv_params *params, const mcb_channel_quant *quant,
                              const mcb_view_s8 *input, const mcb_filter_s8 *filter, const int32_t *bias,
                              mcb_view_s8 *output, const mcb_region *region, const mcb_context *ctx) {
  int32_t col[COL_WORDS] __attribute__((aligned(8))); /* the interleaved columns of a pixel block */
  int8_t *d[4];
  mcb_dsp_rq rq[CHUNK];
  mcb__window_call call;
  conv_call c;
  int64_t bound;
  int32_t oc0, pixels, i;
  int any_shift = 0, exact = 0;
  channels_fn *run;
  if (mcb__conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call) != MCB_OK || call.empty ||
      filter->in_c != input->c || ((int64_t)filter->h * filter->w * filter->in_c + 3) / 4 * 4 > COL_WORDS) {
    return MCB_ERR_UNSUPPORTED;
  }
  c.p = params;
  c.in = input;
  c.f = filter;
  c.bias = bias;
  c.out = output;
  c.k = filter->h * filter->w * filter->in_c;
  c.np = ((c.k + 3) >> 2) * 8 <= COL_WORDS ? 4 : 2; /* 4 pixels per block when their columns fit */
  c.lo = params->act_min;
  c.hi = params->act_max;
  c.pointwise = filter->h == 1 && filter->w == 1 && params->pad_top == 0 && params->pad_left == 0;
  /* |sum w * (x + offset)| <= k * 128 * 255. */
  bound = (int64_t)c.k * 128 * 255;
  pixels = (call.r.y1 - call.r.y0) * (call.r.x1 - call.r.x0);
  /* Every channel must take the fast requantization before anything is written. */
  for (oc0 = 0; oc0 < filter->out_c; ++oc0) {
    const int32_t qi = quant->count == 1 ? 0 : oc0;
    const int64_t b = bias ? (bias[oc0] < 0 ? -(int64_t)bias[oc0] : bias[oc0]) : 0;
    if (!mcb_dsp_rq_init(&rq[0], quant->multiplier[qi], quant->shift[qi], bound + b) &&
        !mcb_dsp_rq_init(&rq[0], quant->multiplier[qi], quant->shift[qi],
                         mcb_dsp_abs_sum(filter->data + (int64_t)oc0 * c.k, c.k) * 255 + b)) {
      /* not even the channel's own |weights| bound keeps the fast requantization exact */
      exact = 1;
    }
    any_shift |= !mcb_dsp_rq_fold_offset(&rq[0], params->output_offset);
  }
  c.exact = exact;
  if (exact) {
    run = c.np == 4 ? channels_exact_4 : channels_exact_2;
  } else if (c.np == 4) {
    run = c.lo == -128 && c.hi == 127 ? (any_shift ? channels_any_full_4 : channels_shr_full_4)
                                       : (any_shift ? channels_any_range_4 : channels_shr_range_4);
  } else {
    run = c.lo == -128 && c.hi == 127 ? (any_shift ? channels_any_full_2 : channels_shr_full_2)
                                       : (any_shift ? channels_any_range_2 : channels_shr_range_2);
  }
  if (!call.inplace || filter->out_c <= CHUNK) {
    /* Channel chunks outside: each chunk's constants prepared once, the columns gathered again per chunk. */
    for (oc0 = 0; oc0 < filter->out_c; oc0 += CHUNK) {
      const int32_t oc1 = filter->out_c - oc0 > CHUNK ? oc0 + CHUNK : filter->out_c;
      prepare_chunk(&c, quant, rq, oc0, oc1);
      for (i = 0; i < pixels; i += c.np) {
        gather_block(&c, &call.r, i, pixels, col, d);
        run(&c, rq, oc0, oc1, col, d);
      }
    }
  } else {
    /* In place with more channels than a chunk: a pixel pair's input is gathered once, before any of its outputs
     * overwrite it, and every chunk's constants are prepared again per pair. */
    for (i = 0; i < pixels; i += c.np) {
      gather_block(&c, &call.r, i, pixels, col, d);
      for (oc0 = 0; oc0 < filter->out_c; oc0 += CHUNK) {
        const int32_t oc1 = filter->out_c - oc0 > CHUNK ? oc0 + CHUNK : filter->out_c;
        prepare_chunk(&c, quant, rq, oc0, oc1);
        run(&c, rq, oc0, oc1, col, d);
      }
    }
  }
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_conv_2d_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
