/*
 * Cortex-M DSP twin of depthwise_conv_2d_s8_ref.c (int8 DEPTHWISE_CONV_2D, per-channel requantization),
 * identical bytes.
 *
 * Four output channels at a time (a channel group). The group's input is first copied into a padded band:
 * per input pixel two words, [x0 x2] and [x1 x3] as int16 with the input offset added (SXTAB16 plain and
 * ROR #8), and 0 for every pixel outside the input. A padding tap then adds w * 0, exactly what the
 * reference's skipped tap adds, so border and interior pixels run the same unchecked loop and small maps
 * (mostly border) are as fast as large ones. Per tap the loop is one LDRD of the band, one LDRD of the
 * group's weights ([w0 w2], [w1 w3]) and SMLABB / SMLATT into the four accumulators. 5x5 and 7x7 kernels
 * read a paired band instead (16 bytes per pixel: [x_c(j) x_c(j+1)] per channel, built from the first
 * layout by PKHBT / PKHTB), so SMLAD takes two horizontal taps of a channel at once (1.35 instructions per
 * MAC at 7x7, against 1.8).
 *
 * The weights and bias are stored shifted left by the requantization's (left shift + 1), so the
 * accumulator is already the doubled operand SMMULR takes (dsp.h): requantizing costs SMMULR, two adds
 * and a shift per channel, then SSAT, and the four bytes are packed and clamped together (SSUB8 / SEL).
 *
 * The band holds a tile of the output region's input footprint (BAND_BYTES on the stack, or the in-place
 * scratch when larger). When one tile spans the region's width, the band slides down: the rows the next
 * tile row shares are moved up and only new rows are copied, so each input row is prepared once. Otherwise
 * the region is cut into tiles whose footprints fit, the footprint-to-output ratio as low as it gets.
 *
 * In place (case a of kernels.h: output over input, multiplier 1; whole tensors, or the windows of a patch
 * stage's tile, whose output window is the region) the band slides over the whole width; output row q
 * overwrites the same channels of the window's linear pixels [(q - y0)*w, (q - y0 + 1)*w), which is safe once
 * every input row it reaches has been copied into the band or will not be read again (checked for every
 * row before anything is written; declined otherwise).
 *
 * A group whose channels all fold the output offset (a right shift, no overflow) takes the fast
 * requantization; otherwise the same loops with the general one (dsp.h's any_shift form). Groups of fewer
 * than four channels, dilations and other kernel sizes take a generic loop over the same band.
 *
 * Declined (MCB_ERR_UNSUPPORTED, before writing): more than MAX_TAPS taps, a left shift above 7, accumulators
 * outside the fast requantization's bound, and footprints or in-place cases the band cannot hold.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "dsp.h"

#include <stddef.h>

#ifndef MAX_TAPS
#define MAX_TAPS 49 /* up to 7x7 kernels (the table lives on the stack) */
#endif
#ifndef BAND_BYTES
#define BAND_BYTES 2560 /* padded input band on the stack: 8 (paired: 16) bytes per pixel of a channel group */
#endif

/* One channel group's constants. */
typedef struct dw_group {
  int32_t w[MAX_TAPS][2]; /* per tap: [w0 w2], [w1 w3] as int16 pairs, shifted left by shl */
  int32_t bias[4];        /* shifted left by shl */
  int32_t mh[4][2];       /* per channel: multiplier (dsp.h's mcb_dsp_rq), rounding constant with the output
                             offset folded in where it fits */
  int32_t shr[4];
  int32_t neg[4];         /* -1 with a right shift, else 0 (the generic requantization only) */
  int32_t off[4];         /* output offset not folded into half (the generic requantization only) */
  int32_t src[4];         /* byte offset in an input pixel of each channel's input (gathered preparation) */
  int32_t shl[4];         /* left shift + 1 the weights and bias carry */
  int32_t c0, n;          /* first output channel, channels in the group (1..4) */
} dw_group;

typedef struct dw_call {
  const mcb_depthwise_conv_params *p;
  const mcb_view_s8 *in;
  const mcb_depthwise_filter_s8 *f;
  mcb_view_s8 *out;
  int32_t off2;          /* input offset in both halves */
  int32_t lo4, hi4;      /* activation range in all four bytes */
  int32_t kh_e, kw_e;    /* dilated kernel extent */
  int32_t *band;
  int32_t band_words;
  int32_t row_words;     /* band row stride (2 words per pixel) */
} dw_call;

/* ------------------------------------------------------------------------------------------ the band */

/* How a group's input bytes are gathered: 4 consecutive channels (multiplier 1), one channel broadcast
 * (multiplier a multiple of 4), or byte by byte (the last group of fewer than 4, other multipliers). */
enum { PREP_4 = 0, PREP_BCAST = 1, PREP_GATHER = 2 };

/* Stores [a, b] at *p and advances p by two words (STRD with post-increment). */
#define STRD_INC(p, a, b) __asm__ volatile("strd %1, %2, [%0], #8" : "+r"(p) : "r"(a), "r"(b) : "memory")

/* `pixels` band pixels of 0 (padding); returns the next pixel. */
static inline int32_t *zero_pixels(int32_t *dst, int32_t pixels) {
  const int32_t z = 0;
  for (; pixels > 0; --pixels) STRD_INC(dst, z, z);
  return dst;
}

/* `count` input pixels from src (the group's first input byte; pixels in->c bytes apart) into the band. */
MCB_DSP_INLINE int32_t *prep_span(const dw_call *d, const dw_group *g, const int8_t *src, int32_t *dst, int32_t count,
                                  int mode) {
  const int32_t step = d->in->c, off2 = d->off2;
  if (mode == PREP_4) {
    const int8_t *end4 = src + (count & ~3) * step;
    for (; src != end4; src += 4 * step) {
      const int32_t v0 = mcb_dsp_load4(src), v1 = mcb_dsp_load4(src + step);
      const int32_t v2 = mcb_dsp_load4(src + 2 * step), v3 = mcb_dsp_load4(src + 3 * step);
      STRD_INC(dst, __sxtab16(off2, v0), mcb_dsp_sxtab16_ror8(off2, v0));
      STRD_INC(dst, __sxtab16(off2, v1), mcb_dsp_sxtab16_ror8(off2, v1));
      STRD_INC(dst, __sxtab16(off2, v2), mcb_dsp_sxtab16_ror8(off2, v2));
      STRD_INC(dst, __sxtab16(off2, v3), mcb_dsp_sxtab16_ror8(off2, v3));
    }
    for (count &= 3; count > 0; --count, src += step) {
      const int32_t v = mcb_dsp_load4(src);
      STRD_INC(dst, __sxtab16(off2, v), mcb_dsp_sxtab16_ror8(off2, v));
    }
  } else if (mode == PREP_BCAST) {
    const int32_t off = d->p->input_offset;
    for (; count > 0; --count, src += step) {
      const int32_t x = src[0] + off;
      const int32_t xx = mcb_dsp_pkhbt16(x, x);
      STRD_INC(dst, xx, xx);
    }
  } else {
    for (; count > 0; --count, src += step) {
      int32_t v = 0, i;
      for (i = 0; i < g->n; ++i) v |= (int32_t)((uint32_t)(uint8_t)src[g->src[i]] << (8 * i));
      STRD_INC(dst, __sxtab16(off2, v), mcb_dsp_sxtab16_ror8(off2, v));
    }
  }
  return dst;
}

/* Input rows [iy, iy_end), columns [ix0, ix0 + cols), into band rows from dst (row_words apart); 0 outside
 * the input. */
MCB_DSP_INLINE void prep_rows_mode(const dw_call *d, const dw_group *g, int32_t iy, int32_t iy_end, int32_t ix0,
                                   int32_t cols, int32_t *dst, int32_t row_words, int mode) {
  const mcb_view_s8 *in = d->in;
  const int32_t row_bytes = in->w * in->c;
  const int32_t left = ix0 < 0 ? (-ix0 < cols ? -ix0 : cols) : 0;
  int32_t inside = in->full_w - (ix0 + left), right;
  const int8_t *src;
  inside = inside < 0 ? 0 : inside > cols - left ? cols - left : inside;
  right = cols - left - inside;
  src = in->data + (iy - in->y0) * row_bytes + (ix0 + left - in->x0) * in->c + (mode == PREP_GATHER ? 0 : g->src[0]);
  for (; iy < iy_end; ++iy, dst += row_words, src += row_bytes) {
    int32_t *p = dst;
    if (iy < 0 || iy >= in->full_h) {
      (void)zero_pixels(p, cols);
      continue;
    }
    p = zero_pixels(p, left);
    p = prep_span(d, g, src, p, inside, mode);
    (void)zero_pixels(p, right);
  }
}

/* [a.hi, b.hi] (PKHTB a, b, ASR #16 puts b's top half low). */
static inline int32_t pkhtb16(int32_t hi_src, int32_t lo_src) {
  int32_t r;
  __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(hi_src), "r"(lo_src));
  return r;
}

/* One band row from the X layout ([x0 x2], [x1 x3] per pixel, at x) to the paired layout at dst: per pixel j
 * [x_c(j) x_c(j+1)] for c = 0..3 (0 past the row's end). x may be the second half of dst's row (x = dst +
 * 2 * cols words): pixel j's four words are written after pixel j+1 is read and end before pixel j+2. */
static void pair_row(int32_t *dst, const int32_t *x, int32_t cols) {
  int32_t e = x[0], o = x[1];
  for (; cols > 1; --cols) {
    const int32_t e1 = x[2], o1 = x[3];
    x += 2;
    STRD_INC(dst, mcb_dsp_pkhbt16(e, e1), mcb_dsp_pkhbt16(o, o1));
    STRD_INC(dst, pkhtb16(e1, e), pkhtb16(o1, o));
    e = e1;
    o = o1;
  }
  STRD_INC(dst, mcb_dsp_pkhbt16(e, 0), mcb_dsp_pkhbt16(o, 0));
  STRD_INC(dst, pkhtb16(0, e), pkhtb16(0, o));
}

/* One paired band pixel: the current pixel (*e, *o) with the next one (e1, o1), which becomes current. */
#define EMIT_PAIR(dst, e, o, e1, o1)                                                                          \
  do {                                                                                                        \
    STRD_INC(dst, mcb_dsp_pkhbt16(e, e1), mcb_dsp_pkhbt16(o, o1));                                            \
    STRD_INC(dst, pkhtb16(e1, e), pkhtb16(o1, o));                                                            \
    (e) = (e1);                                                                                               \
    (o) = (o1);                                                                                               \
  } while (0)

/* As prep_rows then pair_row, in one pass, for four consecutive channels (PREP_4). */
static void prep_rows_paired4(const dw_call *d, const dw_group *g, int32_t iy, int32_t iy_end, int32_t ix0,
                              int32_t cols, int32_t *dst, int32_t row_words) {
  const mcb_view_s8 *in = d->in;
  const int32_t row_bytes = in->w * in->c, step = in->c, off2 = d->off2;
  const int32_t left = ix0 < 0 ? (-ix0 < cols ? -ix0 : cols) : 0;
  int32_t inside = in->full_w - (ix0 + left), right;
  const int8_t *src_row;
  inside = inside < 0 ? 0 : inside > cols - left ? cols - left : inside;
  right = cols - left - inside;
  src_row = in->data + (iy - in->y0) * row_bytes + (ix0 + left - in->x0) * in->c + g->src[0];
  for (; iy < iy_end; ++iy, dst += row_words, src_row += row_bytes) {
    int32_t *p = dst;
    const int8_t *src = src_row;
    int32_t e = 0, o = 0, n_left = left, n_in = inside, n_right = right;
    const int32_t z = 0;
    if (iy < 0 || iy >= in->full_h) {
      int32_t n;
      for (n = 2 * cols; n > 0; --n) STRD_INC(p, z, z);
      continue;
    }
    /* the first pixel becomes current without a store */
    if (n_left > 0) {
      --n_left;
    } else if (n_in > 0) {
      const int32_t v = mcb_dsp_load4(src);
      e = __sxtab16(off2, v);
      o = mcb_dsp_sxtab16_ror8(off2, v);
      src += step;
      --n_in;
    } else {
      --n_right;
    }
    for (; n_left > 0; --n_left) EMIT_PAIR(p, e, o, z, z);
    for (; n_in > 0; --n_in, src += step) {
      const int32_t v = mcb_dsp_load4(src);
      const int32_t e1 = __sxtab16(off2, v), o1 = mcb_dsp_sxtab16_ror8(off2, v);
      EMIT_PAIR(p, e, o, e1, o1);
    }
    for (; n_right > 0; --n_right) EMIT_PAIR(p, e, o, z, z);
    EMIT_PAIR(p, e, o, z, z);
  }
}

static void prep_rows(const dw_call *d, const dw_group *g, int32_t iy, int32_t iy_end, int32_t ix0, int32_t cols,
                      int32_t *dst, int32_t row_words, int mode) {
  if (mode == PREP_4) prep_rows_mode(d, g, iy, iy_end, ix0, cols, dst, row_words, PREP_4);
  else if (mode == PREP_BCAST) prep_rows_mode(d, g, iy, iy_end, ix0, cols, dst, row_words, PREP_BCAST);
  else prep_rows_mode(d, g, iy, iy_end, ix0, cols, dst, row_words, PREP_GATHER);
}

/* ------------------------------------------------------------------------------------ one output pixel */

/* Two consecutive words (one LDRD: p is word-aligned). */
MCB_DSP_INLINE void load2(const int32_t *p, int32_t *a, int32_t *b) {
  uint64_t v;
  memcpy(&v, p, 8);
  *a = (int32_t)(uint32_t)v;
  *b = (int32_t)(uint32_t)(v >> 32);
}

/* Two words at base + off (a compile-time offset) in one LDRD: GCC 12 splits 64-bit loads into two LDRs.
 * Volatile, so GCC neither hoists the per-pixel weight loads out of the loop (to spill them) nor moves them;
 * they read only the band and the group's constants, which nothing writes while a tile runs. */
#define LDRD_AT(a, b, base, off) \
  __asm__ volatile("ldrd %0, %1, [%2, %3]" : "=r"(a), "=r"(b) : "r"(base), "i"(off))

/* Byte 0 of b into byte `pos` of a. */
#define BFI8(a, b, pos) __asm__("bfi %0, %1, #" #pos ", #8" : "+r"(a) : "r"(b))

/* Clamps four packed int8 into [lo, hi] per byte. */
MCB_DSP_INLINE int32_t clamp4(int32_t v, int32_t lo4, int32_t hi4) {
  int32_t t;
  __asm__("ssub8 %1, %0, %2\n\tsel %0, %0, %2" : "+r"(v), "=&r"(t) : "r"(lo4) : "cc");
  __asm__("ssub8 %1, %0, %2\n\tsel %0, %2, %0" : "+r"(v), "=&r"(t) : "r"(hi4) : "cc");
  return v;
}

/* One channel's requantization: mult and half (mh), shr; the generic variant (any_shift) also neg and off. */
MCB_DSP_INLINE int32_t requant(int32_t acc, int32_t mult, int32_t half, int32_t shr, const dw_group *g, int i,
                               int any_shift) {
  const int32_t v = mcb_dsp_smmulr(acc, mult);
  if (any_shift) {
    return __ssat(((v + half + ((v >> 31) & g->neg[i])) >> shr) + g->off[i], 8);
  }
  return __ssat((v + half + (v >> 31)) >> shr, 8);
}

/* The four accumulators requantized, clamped and stored (n bytes: 4 unless `part`). */
MCB_DSP_INLINE void store(const dw_call *d, const dw_group *g, int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                          int8_t *dst, int range, int any_shift, int part) {
  int32_t m0, h0, m1, h1, m2, h2, m3, h3, s0, s1, s2, s3, v, v1, v2, v3;
  /* constants loaded as they are needed: the loads are volatile, and keep their order */
  LDRD_AT(m0, h0, g, offsetof(dw_group, mh[0][0]));
  LDRD_AT(s0, s1, g, offsetof(dw_group, shr[0]));
  v = requant(a0, m0, h0, s0, g, 0, any_shift);
  LDRD_AT(m1, h1, g, offsetof(dw_group, mh[1][0]));
  v1 = requant(a1, m1, h1, s1, g, 1, any_shift);
  LDRD_AT(m2, h2, g, offsetof(dw_group, mh[2][0]));
  LDRD_AT(s2, s3, g, offsetof(dw_group, shr[2]));
  v2 = requant(a2, m2, h2, s2, g, 2, any_shift);
  LDRD_AT(m3, h3, g, offsetof(dw_group, mh[3][0]));
  v3 = requant(a3, m3, h3, s3, g, 3, any_shift);
  BFI8(v, v1, 8);
  BFI8(v, v2, 16);
  BFI8(v, v3, 24);
  if (range) v = clamp4(v, d->lo4, d->hi4);
  if (!part) {
    mcb_dsp_store4(dst, v);
  } else {
    dst[0] = (int8_t)v;
    if (g->n > 1) dst[1] = (int8_t)(v >> 8);
    if (g->n > 2) dst[2] = (int8_t)(v >> 16);
    if (g->n > 3) dst[3] = (int8_t)(v >> 24);
  }
}

/* A rectangle of `rows` x `cols` outputs: x0 is the band at the first output's window origin, dst0 its output.
 * kh, kw: compile-time kernel (dilation 1), 0 for the call's own (any dilation). */
MCB_DSP_INLINE void tile(const dw_call *d, const dw_group *g, const int32_t *x0, int32_t rows, int32_t cols,
                         int8_t *dst0, int kh, int kw, int range, int any_shift, int part) {
  const mcb_depthwise_conv_params *p = d->p;
  const int32_t px_step = 2 * p->stride_w, row_step = p->stride_h * d->row_words;
  const int32_t dst_step = d->out->c, dst_row = d->out->w * d->out->c;
  const int32_t h = kh ? kh : d->f->h, w_taps = kw ? kw : d->f->w;
  const int32_t tap_words = kw ? 2 : 2 * p->dilation_w, ky_words = kh ? d->row_words : p->dilation_h * d->row_words;
  for (; rows > 0; --rows, x0 += row_step, dst0 += dst_row) {
    const int32_t *xp = x0;
    int8_t *dst = dst0;
    int32_t n;
    for (n = cols; n > 0; --n, xp += px_step, dst += dst_step) {
      const int32_t *w = &g->w[0][0];
      const int32_t *xr = xp;
      int32_t a0, a1, a2, a3;
      int32_t ky, kx;
      LDRD_AT(a0, a1, g, offsetof(dw_group, bias[0]));
      LDRD_AT(a2, a3, g, offsetof(dw_group, bias[2]));
#pragma GCC unroll 7
      for (ky = 0; ky < h; ++ky, xr += ky_words) {
        const int32_t *x = xr;
#pragma GCC unroll 7
        for (kx = 0; kx < w_taps; ++kx, x += tap_words, w += 2) {
          int32_t e, o, we, wo;
          if (kw) {
            LDRD_AT(e, o, xr, 8 * kx);
            LDRD_AT(we, wo, &g->w[0][0], 8 * (ky * kw + kx));
          } else {
            load2(x, &e, &o);
            load2(w, &we, &wo);
          }
          a0 = __smlabb(e, we, a0);
          a2 = __smlatt(e, we, a2);
          a1 = __smlabb(o, wo, a1);
          a3 = __smlatt(o, wo, a3);
        }
      }
      store(d, g, a0, a1, a2, a3, dst, range, any_shift, part);
    }
  }
}

/* As tile() for a K x K kernel (dilation 1) over the paired band (tap pairs, see pair_row): per pair of
 * horizontal taps two LDRD of the band, two of the weights and four SMLAD; the odd last tap of each row
 * takes the pairs' low halves with SMLABB / SMLABT. */
MCB_DSP_INLINE void tile_pairs(const dw_call *d, const dw_group *g, const int32_t *x0, int32_t rows, int32_t cols,
                               int8_t *dst0, int k, int range, int any_shift) {
  const mcb_depthwise_conv_params *p = d->p;
  const int32_t px_step = 4 * p->stride_w, row_step = p->stride_h * d->row_words;
  const int32_t dst_step = d->out->c, dst_row = d->out->w * d->out->c;
  for (; rows > 0; --rows, x0 += row_step, dst0 += dst_row) {
    const int32_t *xp = x0;
    int8_t *dst = dst0;
    int32_t n;
    for (n = cols; n > 0; --n, xp += px_step, dst += dst_step) {
      const int32_t *xr = xp;
      int32_t a0, a1, a2, a3;
      int32_t ky, kp;
      LDRD_AT(a0, a1, g, offsetof(dw_group, bias[0]));
      LDRD_AT(a2, a3, g, offsetof(dw_group, bias[2]));
#pragma GCC unroll 7
      for (ky = 0; ky < k; ++ky, xr += d->row_words) {
        int32_t x0w, x1w, wa, wb;
#pragma GCC unroll 3
        for (kp = 0; kp < k / 2; ++kp) {
          LDRD_AT(x0w, x1w, xr, 32 * kp);
          LDRD_AT(wa, wb, &g->w[0][0], 4 * (ky * 2 * k + 4 * kp));
          a0 = __smlad(x0w, wa, a0);
          a1 = __smlad(x1w, wb, a1);
          LDRD_AT(x0w, x1w, xr, 32 * kp + 8);
          LDRD_AT(wa, wb, &g->w[0][0], 4 * (ky * 2 * k + 4 * kp + 2));
          a2 = __smlad(x0w, wa, a2);
          a3 = __smlad(x1w, wb, a3);
        }
        LDRD_AT(x0w, x1w, xr, 16 * (k - 1));
        LDRD_AT(wa, wb, &g->w[0][0], 4 * (ky * 2 * k + 4 * (k / 2)));
        a0 = __smlabb(x0w, wa, a0);
        a1 = __smlabt(x1w, wa, a1);
        LDRD_AT(x0w, x1w, xr, 16 * (k - 1) + 8);
        a2 = __smlabb(x0w, wb, a2);
        a3 = __smlabt(x1w, wb, a3);
      }
      store(d, g, a0, a1, a2, a3, dst, range, any_shift, 0);
    }
  }
}

typedef void tile_fn(const dw_call *d, const dw_group *g, const int32_t *x0, int32_t rows, int32_t cols,
                     int8_t *dst0);

#define TILE_VARIANT(name, kh, kw, range, any_shift, part)                                                    \
  static void name(const dw_call *d, const dw_group *g, const int32_t *x0, int32_t rows, int32_t cols,       \
                   int8_t *dst0) {                                                                           \
    tile(d, g, x0, rows, cols, dst0, kh, kw, range, any_shift, part);                                        \
  }
#define PAIRS_VARIANT(name, k, range, any_shift)                                                              \
  static void name(const dw_call *d, const dw_group *g, const int32_t *x0, int32_t rows, int32_t cols,       \
                   int8_t *dst0) {                                                                           \
    tile_pairs(d, g, x0, rows, cols, dst0, k, range, any_shift);                                              \
  }
/* Four channels, dilation 1, unrolled for the usual kernel sizes: the offset folded (full int8 range or
 * clamped), or any shift (a channel with a left shift, or an offset that does not fold). 5x5 and 7x7 read
 * the paired band; their X-layout twins serve stride 2 and in-place calls whose paired band would not fit. */
TILE_VARIANT(tile_3x3_full, 3, 3, 0, 0, 0)
TILE_VARIANT(tile_3x3_range, 3, 3, 1, 0, 0)
TILE_VARIANT(tile_3x3_any, 3, 3, 1, 1, 0)
PAIRS_VARIANT(tile_5x5_full, 5, 0, 0)
PAIRS_VARIANT(tile_5x5_range, 5, 1, 0)
PAIRS_VARIANT(tile_5x5_any, 5, 1, 1)
PAIRS_VARIANT(tile_7x7_full, 7, 0, 0)
PAIRS_VARIANT(tile_7x7_range, 7, 1, 0)
PAIRS_VARIANT(tile_7x7_any, 7, 1, 1)
TILE_VARIANT(tile_5x5_x, 5, 5, 1, 0, 0)
TILE_VARIANT(tile_5x5_x_any, 5, 5, 1, 1, 0)
TILE_VARIANT(tile_7x7_x, 7, 7, 1, 0, 0)
TILE_VARIANT(tile_7x7_x_any, 7, 7, 1, 1, 0)
/* Everything else: any kernel, dilation, shift and group size. */
TILE_VARIANT(tile_any, 0, 0, 1, 1, 1)

/* The instantiation for group g; pairs: the band is paired (5x5 and 7x7 only). */
static tile_fn *tile_for(const dw_call *d, const dw_group *g, int any_shift, int pairs) {
  const mcb_depthwise_conv_params *p = d->p;
  const int32_t kh = d->f->h;
  const int range = !(p->act_min == -128 && p->act_max == 127);
  if (g->n < 4 || p->dilation_h != 1 || p->dilation_w != 1 || d->f->w != kh) return tile_any;
  if (kh == 3) return any_shift ? tile_3x3_any : range ? tile_3x3_range : tile_3x3_full;
  if (kh == 5 && !pairs) return any_shift ? tile_5x5_x_any : tile_5x5_x;
  if (kh == 7 && !pairs) return any_shift ? tile_7x7_x_any : tile_7x7_x;
  if (kh == 5) return any_shift ? tile_5x5_any : range ? tile_5x5_range : tile_5x5_full;
  if (kh == 7) return any_shift ? tile_7x7_any : range ? tile_7x7_range : tile_7x7_full;
  return tile_any;
}

/* Whether the instantiation reads the paired band and weights. */
static int tile_pairs_fn(tile_fn *fn) {
  return fn == tile_5x5_full || fn == tile_5x5_range || fn == tile_5x5_any || fn == tile_7x7_full ||
         fn == tile_7x7_range || fn == tile_7x7_any;
}

/* ------------------------------------------------------------------------------------------ the group */

/* One channel's requantization constants for accumulators with |acc| <= bound (checked by the caller):
 * SMMULR's operand is acc << shl, then v = SMMULR(.., mult) is rounded and shifted right by shr. The output
 * offset goes into the rounding constant when v + half + (offset << shr) cannot overflow (then the fast
 * requantization applies); returns 0 when it stays apart (`off`, the generic variant). */
static int channel_rq(dw_group *g, int32_t i, int32_t multiplier, int32_t shift, int32_t offset, uint32_t bound) {
  /* a zero multiplier (TFLM's for scales below 2^-31) outputs the offset whatever the shift: take 1 */
  const int32_t left = multiplier == 0 ? 0 : shift > 0 ? shift : 0;
  const int32_t shr = multiplier == 0 ? 1 : shift > 0 ? 0 : -shift;
  const uint32_t m = multiplier < 0 ? 0u - (uint32_t)multiplier : (uint32_t)multiplier;
  const uint32_t abs_off = (uint32_t)(offset < 0 ? -offset : offset);
  const int32_t half = shr > 0 ? (int32_t)1 << (shr - 1) : 0;
  g->mh[i][0] = multiplier;
  g->shr[i] = shr;
  g->neg[i] = shr > 0 ? -1 : 0;
  g->mh[i][1] = half;
  g->off[i] = offset;
  /* |v| <= (bound * 2^(left+1) * |mult| + 2^31) / 2^32; each term below 2^31 (shr <= 23), so the sum fits */
  if (shr == 0 || shr > 23 || bound >= ((uint32_t)1 << (30 - left)) ||
      (uint32_t)(((uint64_t)(bound << (left + 1)) * m) >> 32) + 1u + (uint32_t)half + (abs_off << shr) >=
          ((uint32_t)1 << 31)) {
    return 0;
  }
  g->mh[i][1] += (int32_t)((uint32_t)offset << shr);
  g->off[i] = 0;
  return 1;
}

/* Sets up channel group [c0, c0 + n); returns 1 when every channel takes the fast requantization. */
static int group_init(const dw_call *d, const mcb_channel_quant *q, const int32_t *bias, int32_t c0, int32_t n,
                      dw_group *g) {
  const int32_t taps = d->f->h * d->f->w, mult = d->p->depth_multiplier;
  const int8_t *w = d->f->data + c0;
  int32_t shl[4];
  int32_t t, i;
  int fast = 1;
  g->c0 = c0;
  g->n = n;
  for (i = 0; i < 4; ++i) {
    const int32_t ch = c0 + (i < n ? i : 0);
    const int32_t qi = q->count == 1 ? 0 : ch;
    const int32_t b = bias ? bias[ch] : 0;
    const int32_t shift = q->shift[qi];
    shl[i] = (shift > 0 ? shift : 0) + 1;
    g->bias[i] = (int32_t)((uint32_t)b << shl[i]);
    g->src[i] = ch / mult;
    const uint32_t abs_b = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
    if (!channel_rq(g, i, q->multiplier[qi], shift, d->p->output_offset,
                    abs_b >= (1u << 30) ? 1u << 30 : (uint32_t)taps * 128u * 255u + abs_b)) {
      /* the channel's own |weights| bound it more tightly */
      uint32_t sum = 0;
      for (t = 0; t < taps; ++t) sum += (uint32_t)(w[t * d->f->c + i] < 0 ? -w[t * d->f->c + i] : w[t * d->f->c + i]);
      fast &= channel_rq(g, i, q->multiplier[qi], shift, d->p->output_offset,
                         abs_b >= (1u << 30) ? 1u << 30 : sum * 255u + abs_b);
    }
  }
  for (i = 0; i < 4; ++i) g->shl[i] = shl[i];
  return fast;
}

/* The group's weights shifted left by shl: per tap [w0 w2], [w1 w3] (X layout), or (`pairs`, K x K kernels) per
 * kernel row the tap pairs [w_c(2p) w_c(2p+1)] for c = 0..3, then the odd last tap as [w0 w1], [w2 w3]. */
static void group_weights(const dw_call *d, dw_group *g, int pairs) {
  const int32_t taps = d->f->h * d->f->w, k = d->f->w, c = d->f->c;
  const int8_t *w = d->f->data + g->c0;
  int32_t t, i;
#define WV(tap, ch) ((ch) < g->n ? (int32_t)((uint32_t)(int32_t)w[(tap) * c + (ch)] << g->shl[ch]) : 0)
#define PACK(lo, hi) ((int32_t)(((uint32_t)(lo) & 0xFFFFu) | ((uint32_t)(hi) << 16)))
  if (pairs && g->n == 4 && g->shl[0] == 1 && g->shl[1] == 1 && g->shl[2] == 1 && g->shl[3] == 1) {
    /* four weights per load, doubled per half (SADD16), then paired as the band is (PKHBT / PKHTB) */
    int32_t *out = &g->w[0][0];
    int32_t ky, kp;
    for (ky = 0; ky < k; ++ky, w += k * c) {
      const int8_t *wr = w;
      for (kp = 0; kp < k / 2; ++kp, wr += 2 * c) {
        const int32_t v0 = mcb_dsp_load4(wr), v1 = mcb_dsp_load4(wr + c);
        const int32_t e0 = __sadd16(__sxtb16(v0), __sxtb16(v0)), o0 = __sadd16(mcb_dsp_sxtb16_ror8(v0), mcb_dsp_sxtb16_ror8(v0));
        const int32_t e1 = __sadd16(__sxtb16(v1), __sxtb16(v1)), o1 = __sadd16(mcb_dsp_sxtb16_ror8(v1), mcb_dsp_sxtb16_ror8(v1));
        out[0] = mcb_dsp_pkhbt16(e0, e1);
        out[1] = mcb_dsp_pkhbt16(o0, o1);
        out[2] = pkhtb16(e1, e0);
        out[3] = pkhtb16(o1, o0);
        out += 4;
      }
      {
        const int32_t v = mcb_dsp_load4(wr);
        const int32_t e = __sadd16(__sxtb16(v), __sxtb16(v)), o = __sadd16(mcb_dsp_sxtb16_ror8(v), mcb_dsp_sxtb16_ror8(v));
        out[0] = mcb_dsp_pkhbt16(e, o);
        out[1] = pkhtb16(o, e);
        out += 2;
      }
    }
    return;
  }
  if (pairs) {
    int32_t *out = &g->w[0][0];
    int32_t ky, kp;
    for (ky = 0; ky < k; ++ky) {
      for (kp = 0; kp < k / 2; ++kp) {
        for (i = 0; i < 4; ++i) *out++ = PACK(WV(ky * k + 2 * kp, i), WV(ky * k + 2 * kp + 1, i));
      }
      *out++ = PACK(WV(ky * k + k - 1, 0), WV(ky * k + k - 1, 1));
      *out++ = PACK(WV(ky * k + k - 1, 2), WV(ky * k + k - 1, 3));
    }
    return;
  }
  if (g->n == 4 && g->shl[0] == 1 && g->shl[1] == 1 && g->shl[2] == 1 && g->shl[3] == 1) {
    /* the common case: four weights per load, each doubled (SADD16 keeps the halves apart) */
    for (t = 0; t < taps; ++t, w += c) {
      const int32_t v = mcb_dsp_load4(w);
      const int32_t e = __sxtb16(v), o = mcb_dsp_sxtb16_ror8(v);
      g->w[t][0] = __sadd16(e, e);
      g->w[t][1] = __sadd16(o, o);
    }
    return;
  }
  for (t = 0; t < taps; ++t) {
    g->w[t][0] = PACK(WV(t, 0), WV(t, 2));
    g->w[t][1] = PACK(WV(t, 1), WV(t, 3));
  }
#undef WV
#undef PACK
}

/* ------------------------------------------------------------------------------------------- tiling */

typedef struct dw_tiling {
  int32_t th, tw;  /* outputs per tile */
  int32_t slide;   /* one tile spans the region's width: the band slides down */
} dw_tiling;

/* Input rows [y0, y1) a block of output rows [oy0, oy1) reads (padding rows included). */
static void footprint_rows(const dw_call *d, int32_t oy0, int32_t oy1, int32_t *y0, int32_t *y1) {
  *y0 = oy0 * d->p->stride_h - d->p->pad_top;
  *y1 = (oy1 - 1) * d->p->stride_h - d->p->pad_top + d->kh_e;
}

/* The tile shape with the fewest band pixels per output; 0 when not even one output's footprint fits. */
static int plan_tiles(const dw_call *d, const mcb_region *r, int32_t band_pixels, dw_tiling *t) {
  const int32_t sh = d->p->stride_h, sw = d->p->stride_w;
  const int32_t rh = r->y1 - r->y0, rw = r->x1 - r->x0;
  const int32_t full_cols = (rw - 1) * sw + d->kw_e;
  int32_t th, best_num = 0, best_den = 1;
  if (d->kh_e * full_cols <= band_pixels) {
    /* whole width: the band slides, so each input row is prepared once; the tallest tile moves rows least */
    const int32_t rows = band_pixels / full_cols;
    t->tw = rw;
    t->th = (rows - d->kh_e) / sh + 1;
    t->th = t->th > rh ? rh : t->th;
    t->slide = 1;
    return 1;
  }
  t->slide = 0;
  for (th = 1; th <= rh; ++th) {
    const int32_t rows = (th - 1) * sh + d->kh_e;
    int32_t cols, tw;
    if (rows * d->kw_e > band_pixels) break;
    cols = band_pixels / rows;
    tw = (cols - d->kw_e) / sw + 1;
    tw = tw > rw ? rw : tw;
    cols = (tw - 1) * sw + d->kw_e;
    /* outputs per band pixel: th*tw / (rows*cols), the larger the better */
    if ((int64_t)th * tw * best_den > (int64_t)best_num * rows * cols) {
      best_num = th * tw;
      best_den = rows * cols;
      t->th = th;
      t->tw = tw;
    }
  }
  return best_num > 0;
}

/* Band pixels prepared per output under tiling t, times 16. */
static int32_t band_pixels_per_output16(const dw_call *d, const mcb_region *r, const dw_tiling *t) {
  const int32_t sh = d->p->stride_h, sw = d->p->stride_w;
  const int32_t rh = r->y1 - r->y0, rw = r->x1 - r->x0;
  if (t->slide) {
    return (int32_t)(16 * (int64_t)((rh - 1) * sh + d->kh_e) * ((rw - 1) * sw + d->kw_e) / ((int64_t)rh * rw));
  }
  return (int32_t)(16 * (int64_t)((t->th - 1) * sh + d->kh_e) * ((t->tw - 1) * sw + d->kw_e) / ((int64_t)t->th * t->tw));
}

/* In place, sliding: output row q overwrites the linear pixels [(q - y0)*w, (q - y0 + 1)*w) of the shared
 * buffer (the output window's y0 and w; the group's channels), reaching the input window's row
 * ((q - y0 + 1)*w - 1) / in_w. Safe when that row is already in the band (or past the input window) or below
 * every row a later tile reads. */
static int inplace_safe(const dw_call *d, const mcb_region *r, int32_t th) {
  int32_t oy0;
  for (oy0 = r->y0; oy0 < r->y1; oy0 += th) {
    const int32_t oy1 = oy0 + th < r->y1 ? oy0 + th : r->y1;
    int32_t y0, y1, next_y0, q;
    footprint_rows(d, oy0, oy1, &y0, &y1);
    next_y0 = oy1 * d->p->stride_h - d->p->pad_top;
    for (q = oy0; q < oy1; ++q) {
      int32_t reach = d->in->y0 + ((q - d->out->y0 + 1) * d->out->w - 1) / d->in->w;
      reach = reach < d->in->y0 + d->in->h ? reach : d->in->y0 + d->in->h - 1;
      /* in the band (rows the next tile row reads stay there), never read again, or nothing reads later */
      if (reach < y1 || reach < next_y0 || oy1 == r->y1) continue;
      return 0;
    }
  }
  return 1;
}

/* Every output of region r for one channel group. */
static void run_group(const dw_call *d, const dw_group *g, const mcb_region *r, const dw_tiling *t, tile_fn *fn,
                      int mode) {
  const int pairs = tile_pairs_fn(fn);
  const mcb_depthwise_conv_params *p = d->p;
  const mcb_view_s8 *out = d->out;
  int32_t oy0, ox0;
  int32_t band_y0 = 0, band_y1 = 0; /* input rows in the band (sliding) */
  for (oy0 = r->y0; oy0 < r->y1; oy0 += t->th) {
    const int32_t oy1 = oy0 + t->th < r->y1 ? oy0 + t->th : r->y1;
    int32_t y0, y1;
    footprint_rows(d, oy0, oy1, &y0, &y1);
    for (ox0 = r->x0; ox0 < r->x1; ox0 += t->tw) {
      const int32_t ox1 = ox0 + t->tw < r->x1 ? ox0 + t->tw : r->x1;
      const int32_t ix0 = ox0 * p->stride_w - p->pad_left;
      const int32_t cols = (ox1 - ox0 - 1) * p->stride_w + d->kw_e;
      const int32_t row_words = (pairs ? 4 : 2) * cols;
      int32_t first = y0;
      int8_t *dst = out->data + ((int64_t)(oy0 - out->y0) * out->w + (ox0 - out->x0)) * out->c + g->c0;
      dw_call dc = *d;
      dc.row_words = row_words;
      if (t->slide && y0 < band_y1 && y0 >= band_y0) {
        /* keep the rows the previous tile row shares */
        if (y0 > band_y0) {
          memmove(d->band, d->band + (int64_t)(y0 - band_y0) * row_words,
                  (size_t)(band_y1 - y0) * (size_t)row_words * 4);
        }
        first = band_y1;
      }
      if (!pairs) {
        prep_rows(d, g, first, y1, ix0, cols, d->band + (first - y0) * row_words, row_words, mode);
      } else if (mode == PREP_4) {
        prep_rows_paired4(d, g, first, y1, ix0, cols, d->band + (first - y0) * row_words, row_words);
      } else {
        /* each row prepared into its second half, then paired forward over itself */
        int32_t *row = d->band + (first - y0) * row_words, iy;
        prep_rows(d, g, first, y1, ix0, cols, row + 2 * cols, row_words, mode);
        for (iy = first; iy < y1; ++iy, row += row_words) pair_row(row, row + 2 * cols, cols);
      }
      band_y0 = y0;
      band_y1 = y1;
      fn(&dc, g, d->band, oy1 - oy0, ox1 - ox0, dst);
    }
  }
}

/* ------------------------------------------------------------------------------------------- the call */

mcb_status mcb_depthwise_conv_2d_s8_dsp(const mcb_depthwise_conv_params *params, const mcb_channel_quant *quant,
                                        const mcb_view_s8 *input, const mcb_depthwise_filter_s8 *filter,
                                        const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                                        const mcb_context *ctx) {
  int32_t band_buf[BAND_BYTES / 4];
  dw_group g;
  dw_call d;
  dw_tiling tiling;
  mcb__window_call call;
  mcb_dsp_rq probe;
  int64_t bound;
  int32_t c0, oc, band_words = BAND_BYTES / 4;
  int pairs;
  int32_t *band = band_buf;
  if (mcb__depthwise_conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call) != MCB_OK ||
      call.empty || (int64_t)filter->h * filter->w > MAX_TAPS) {
    return MCB_ERR_UNSUPPORTED;
  }
  /* |sum w * (x + offset)| <= taps * 128 * 255: within the fast requantization's bound (dsp.h), and the
   * weights carry the left shift + 1 as int16 (a left shift of at most 7) */
  bound = (int64_t)filter->h * filter->w * 128 * 255;
  for (oc = 0; oc < filter->c; ++oc) {
    const int32_t qi = quant->count == 1 ? 0 : oc;
    const int32_t shift = quant->shift[qi];
    const int64_t b = bias ? (bias[oc] < 0 ? -(int64_t)bias[oc] : bias[oc]) : 0;
    if (shift > 7 || shift < -31) return MCB_ERR_UNSUPPORTED;
    if (bound + b >= ((int64_t)1 << (30 - (shift > 0 ? shift : 0)))) {
      /* the channel's own |weights| over its taps bound the accumulator more tightly */
      int64_t sum = 0;
      int32_t t;
      for (t = 0; t < filter->h * filter->w; ++t) {
        const int32_t w = filter->data[(int64_t)t * filter->c + oc];
        sum += w < 0 ? -w : w;
      }
      if (!mcb_dsp_rq_init(&probe, quant->multiplier[qi], shift, sum * 255 + b)) return MCB_ERR_UNSUPPORTED;
    }
  }
  d.p = params;
  d.in = input;
  d.f = filter;
  d.out = output;
  d.off2 = (int32_t)(((uint32_t)params->input_offset & 0xFFFFu) | ((uint32_t)params->input_offset << 16));
  d.lo4 = (int32_t)((uint32_t)(uint8_t)params->act_min * 0x01010101u);
  d.hi4 = (int32_t)((uint32_t)(uint8_t)params->act_max * 0x01010101u);
  d.kh_e = (filter->h - 1) * params->dilation_h + 1;
  d.kw_e = (filter->w - 1) * params->dilation_w + 1;
  if (call.inplace && ctx->size / 4 > band_words) {
    /* the in-place scratch (output pixels, bytes) is larger: a wider band */
    const uintptr_t at = ((uintptr_t)ctx->buf + 3u) & ~(uintptr_t)3u;
    band = (int32_t *)at;
    band_words = (ctx->size - (int32_t)(at - (uintptr_t)ctx->buf)) / 4;
  }
  /* 5x5 and 7x7 kernels read a paired band: 16 bytes per pixel */
  /* (at stride 2 each output reads four band pixels: the paired band's preparation then costs more than SMLAD
   * saves, as measured on mcunet-in3) */
  pairs = filter->h == filter->w && (filter->h == 5 || filter->h == 7) && params->dilation_h == 1 &&
          params->dilation_w == 1 && params->stride_w == 1;
  if (pairs) {
    /* the paired band takes twice the space and twice the preparation: worth it unless that makes the
     * tiles too small (stride 2, wide rows, a small band); instructions per output group, roughly measured:
     * X 6 per tap + 6 per band pixel, paired 8 per tap pair (7 for the odd tap) + 14 per band pixel */
    dw_tiling paired;
    const int32_t kh = filter->h, kw = filter->w;
    if (!plan_tiles(&d, &call.r, band_words / 4, &paired) || (call.inplace && !paired.slide)) {
      pairs = 0;
    } else if (plan_tiles(&d, &call.r, band_words / 2, &tiling)) {
      const int32_t cost_x = 16 * 6 * kh * kw + 6 * band_pixels_per_output16(&d, &call.r, &tiling);
      const int32_t cost_p = 16 * kh * (8 * (kw / 2) + 7) + 14 * band_pixels_per_output16(&d, &call.r, &paired);
      pairs = cost_p < cost_x;
    }
    if (pairs) tiling = paired;
  }
  if (!pairs && !plan_tiles(&d, &call.r, band_words / 2, &tiling)) return MCB_ERR_UNSUPPORTED;
  d.band = band;
  d.band_words = band_words;
  d.row_words = 2 * ((call.r.x1 - call.r.x0 - 1) * params->stride_w + d.kw_e);
  if (call.inplace) {
    /* the region is the whole output window (shared check): its rows are whole rows of the shared buffer */
    if (!tiling.slide || !inplace_safe(&d, &call.r, tiling.th)) return MCB_ERR_UNSUPPORTED;
  }
  for (c0 = 0; c0 < filter->c; c0 += 4) {
    const int32_t n = filter->c - c0 < 4 ? filter->c - c0 : 4;
    const int32_t mult = params->depth_multiplier;
    const int mode = n == 4 && mult == 1 ? PREP_4 : n == 4 && mult % 4 == 0 ? PREP_BCAST : PREP_GATHER;
    const int fast = group_init(&d, quant, bias, c0, n, &g);
    tile_fn *fn = tile_for(&d, &g, !fast, pairs);
    group_weights(&d, &g, tile_pairs_fn(fn));
    run_group(&d, &g, &call.r, &tiling, fn, mode);
  }
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_depthwise_conv_2d_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
