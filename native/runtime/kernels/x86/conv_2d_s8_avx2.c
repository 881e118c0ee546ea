/*
 * AVX2 twin of conv_2d_s8_ref.c (int8 CONV_2D, per-channel requantization), identical bytes.
 *
 * Each output pixel's receptive field becomes one int16 row (im2col) holding x + input_offset, with
 * 0 for padding taps (TFLM skips them; a skipped tap adds exactly 0) and 0 up to a multiple of 16.
 * Every output is then the exact int32 dot product of that row with the filter's OHWI row:
 * |w| <= 128 and |x + offset| <= 255, so each _mm256_madd_epi16 pair sum fits int32, and integer
 * sums do not depend on order. Two filter layouts, chosen per call:
 *   - pairs (filters up to MAX_PAIR_WORDS pairs x channels): the filter re-laid once per call as
 *     [k/2][out_c] int16 pairs; a broadcast input pair times 16 channels' weight pairs accumulates
 *     straight into per-channel lanes (4 pixels x 16 channels per pass, no horizontal sums);
 *   - rows (bigger filters): OHWI rows sign-extended on the fly, 4 channels x 2 pixels per pass,
 *     horizontal sums at the end.
 * Requantization: the exact 8-lane form of requant_avx2.h.
 *
 * Taken: groups == 1, rows up to MAX_K int16, every call the reference accepts, including in-place
 * case (b): a tile's rows are copied out before any of its outputs is stored, and a 1x1 output pixel
 * only overlaps input pixels at or before it.
 */
#if defined(__x86_64__) || defined(__i386__)

#include <string.h>

#include "../kernel_common.h"
#include "../op_checks.h"
#include "../twins.h"
#include "mcb/quant.h"
#include "requant_avx2.h"

#define TILE_PIXELS 8 /* pixels whose rows are built together; the filter rows are reused across them */
#define MAX_K 2048    /* longest padded filter row (kh * kw * in_c rounded up to 16) */
#define MAX_BLOCKS 64 /* output-channel blocks of 8 whose requantization constants are prepared per call */
#ifndef MAX_PAIR_WORDS /* the differential test shrinks it to exercise both layouts */
#define MAX_PAIR_WORDS 16384 /* pair layout (64 KiB) when (k / 2) x out_c fits, else the row layout */
#endif

/* dst[i] = src[i] + offset as int16, n values. */
static MCB_AVX2 void widen_with_offset(int16_t *dst, const int8_t *src, int32_t n, int32_t offset) {
  const __m256i off = _mm256_set1_epi16((int16_t)offset);
  int32_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i x = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(src + i)));
    _mm256_storeu_si256((__m256i *)(dst + i), _mm256_add_epi16(x, off));
  }
  if (i + 8 <= n) {
    const __m128i x = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(src + i)));
    _mm_storeu_si128((__m128i *)(dst + i), _mm_add_epi16(x, _mm256_castsi256_si128(off)));
    i += 8;
  }
  for (; i < n; ++i) {
    dst[i] = (int16_t)(src[i] + offset);
  }
}

/* The receptive field of output pixel (oy, ox) as one zero-padded int16 row of k_pad values. */
static MCB_AVX2 void build_row(const mcb_conv_params *p, const mcb_view_s8 *in, const mcb_filter_s8 *f,
                               int32_t oy, int32_t ox, int32_t k_pad, int16_t *row) {
  const int32_t iy0 = oy * p->stride_h - p->pad_top;
  const int32_t ix0 = ox * p->stride_w - p->pad_left;
  const int32_t ix_last = ix0 + p->dilation_w * (f->w - 1);
  const int32_t tap_row = f->w * f->in_c;
  int16_t *dst = row;
  int32_t ky;
  for (ky = 0; ky < f->h; ++ky, dst += tap_row) {
    const int32_t iy = iy0 + p->dilation_h * ky;
    int32_t kx;
    if (iy < 0 || iy >= in->full_h) {
      memset(dst, 0, (size_t)tap_row * sizeof(int16_t));
    } else if (p->dilation_w == 1 && ix0 >= 0 && ix_last < in->full_w) {
      /* The whole kernel row is contiguous input. */
      widen_with_offset(dst, in->data + ((iy - in->y0) * in->w + (ix0 - in->x0)) * in->c, tap_row, p->input_offset);
    } else {
      for (kx = 0; kx < f->w; ++kx) {
        const int32_t ix = ix0 + p->dilation_w * kx;
        if (ix < 0 || ix >= in->full_w) {
          memset(dst + kx * f->in_c, 0, (size_t)f->in_c * sizeof(int16_t));
        } else {
          widen_with_offset(dst + kx * f->in_c, in->data + ((iy - in->y0) * in->w + (ix - in->x0)) * in->c,
                            f->in_c, p->input_offset);
        }
      }
    }
  }
  memset(dst, 0, (size_t)(k_pad - (dst - row)) * sizeof(int16_t));
}

/* Lane sums of four accumulators, in order: [sum(a), sum(b), sum(c), sum(d)]. */
static MCB_AVX2 __m128i sum4(__m256i a, __m256i b, __m256i c, __m256i d) {
  const __m256i g = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
  return _mm_add_epi32(_mm256_castsi256_si128(g), _mm256_extracti128_si256(g, 1));
}

/* Dot products of four filter rows with two pixel rows: out0 = pixel 0's 4 channels, out1 pixel 1's. */
static MCB_AVX2 void dot_4x2(const int8_t *const w[4], const int16_t *x0, const int16_t *x1, int32_t k_pad,
                             __m128i *out0, __m128i *out1) {
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  __m256i b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  int32_t k;
  for (k = 0; k < k_pad; k += 16) {
    const __m256i p0 = _mm256_loadu_si256((const __m256i *)(x0 + k));
    const __m256i p1 = _mm256_loadu_si256((const __m256i *)(x1 + k));
    __m256i v = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w[0] + k)));
    a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(v, p0));
    b0 = _mm256_add_epi32(b0, _mm256_madd_epi16(v, p1));
    v = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w[1] + k)));
    a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(v, p0));
    b1 = _mm256_add_epi32(b1, _mm256_madd_epi16(v, p1));
    v = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w[2] + k)));
    a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(v, p0));
    b2 = _mm256_add_epi32(b2, _mm256_madd_epi16(v, p1));
    v = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w[3] + k)));
    a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(v, p0));
    b3 = _mm256_add_epi32(b3, _mm256_madd_epi16(v, p1));
  }
  *out0 = sum4(a0, a1, a2, a3);
  *out1 = sum4(b0, b1, b2, b3);
}

/* The filter and the scratch needed to read it in 16-byte steps without leaving its buffer. */
typedef struct conv_rows {
  const int8_t *data; /* OHWI filter, rows of k bytes */
  int32_t out_c, k, k_pad;
  int32_t first_copied;  /* rows from here on are read from `copy` (their last step would overrun) */
  int8_t copy[MAX_K + 256];
} conv_rows;

static void rows_init(conv_rows *rows, const mcb_filter_s8 *f, int32_t k, int32_t k_pad) {
  const int64_t total = (int64_t)f->out_c * k;
  int32_t oc;
  rows->data = f->data;
  rows->out_c = f->out_c;
  rows->k = k;
  rows->k_pad = k_pad;
  rows->first_copied = f->out_c;
  while (rows->first_copied > 0 && (int64_t)(rows->first_copied - 1) * k + k_pad > total) {
    --rows->first_copied;
  }
  memset(rows->copy, 0, (size_t)(f->out_c - rows->first_copied) * (size_t)k_pad);
  for (oc = rows->first_copied; oc < f->out_c; ++oc) {
    memcpy(rows->copy + (oc - rows->first_copied) * k_pad, f->data + (int64_t)oc * k, (size_t)k);
  }
}

/* Row of output channel oc; channels past out_c read zeros (their results are dropped). */
static const int8_t *row_of(const conv_rows *rows, int32_t oc) {
  static const int8_t zeros[MAX_K];
  if (oc >= rows->out_c) {
    return zeros;
  }
  if (oc >= rows->first_copied) {
    return rows->copy + (oc - rows->first_copied) * rows->k_pad;
  }
  return rows->data + (int64_t)oc * rows->k;
}

/* Stores the n (<= 8) requantized channels of v at dst. */
static MCB_AVX2 void store_block(int8_t *dst, __m256i v, int32_t n) {
  if (n == 8) {
    mcb_store8_s8(dst, v);
  } else {
    int8_t tmp[8];
    mcb_store8_s8(tmp, v);
    memcpy(dst, tmp, (size_t)n);
  }
}

/* Filter as (k/2) x oc_pad int32 words, each two consecutive taps' weights as int16 (w[2j] low,
 * w[2j+1] high) — the layout _mm256_madd_epi16 wants against a broadcast pair of inputs. Output
 * channels are padded to a multiple of 16 and the row to an even length with zeros. */
typedef struct pair_filter {
  int32_t words[MAX_PAIR_WORDS];
  int32_t pairs, oc_pad;
} pair_filter;

static int pair_filter_init(pair_filter *pf, const mcb_filter_s8 *f, int32_t k) {
  int32_t j, oc;
  pf->pairs = (k + 1) / 2;
  pf->oc_pad = (f->out_c + 15) & ~15;
  if ((int64_t)pf->pairs * pf->oc_pad > MAX_PAIR_WORDS) {
    return 0;
  }
  for (j = 0; j < pf->pairs; ++j) {
    int32_t *dst = pf->words + (int64_t)j * pf->oc_pad;
    for (oc = 0; oc < pf->oc_pad; ++oc) {
      const int8_t *w = f->data + (int64_t)oc * k;
      const int32_t a = oc < f->out_c ? w[2 * j] : 0;
      const int32_t b = oc < f->out_c && 2 * j + 1 < k ? w[2 * j + 1] : 0;
      dst[oc] = (int32_t)(((uint32_t)(uint16_t)(int16_t)b << 16) | (uint16_t)(int16_t)a);
    }
  }
  return 1;
}

/* Input pair j of a pixel row, broadcast to all lanes. */
static MCB_AVX2 __m256i pair_of(const int16_t *row, int32_t j) {
  int32_t v;
  memcpy(&v, row + 2 * j, sizeof(v));
  return _mm256_set1_epi32(v);
}

/* Requantization and bias of output channels [oc, oc + 8) (n of them real). */
typedef struct block_out {
  mcb_requant8 rq;
  __m256i bias;
  int32_t oc, n;
} block_out;

/* What a tile's outputs need besides the filter; per-block constants are prepared once per call
 * for up to MAX_BLOCKS blocks of 8 channels, computed per use beyond that. */
typedef struct tile_out {
  const mcb_channel_quant *q;
  const int32_t *bias;
  int32_t out_c;
  __m256i out_off, lo, hi;
  block_out blocks[MAX_BLOCKS];
} tile_out;

static MCB_AVX2 __m256i bias_block(const tile_out *o, int32_t oc, int32_t n) {
  int32_t b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  if (o->bias != NULL && n > 0) {
    memcpy(b, o->bias + oc, (size_t)n * sizeof(int32_t));
  }
  return _mm256_loadu_si256((const __m256i *)b);
}

static MCB_AVX2 void block_out_init(const tile_out *o, int32_t oc, block_out *b) {
  b->oc = oc;
  b->n = o->out_c - oc < 8 ? o->out_c - oc : 8;
  b->rq = mcb_requant8_table(o->q, oc, b->n);
  b->bias = bias_block(o, oc, b->n);
}

/* The constants of the block starting at oc: prepared, or computed into *spare. */
static MCB_AVX2 const block_out *block_at(const tile_out *o, int32_t oc, block_out *spare) {
  if (oc / 8 < MAX_BLOCKS) {
    return &o->blocks[oc / 8];
  }
  block_out_init(o, oc, spare);
  return spare;
}

static inline MCB_AVX2 void finish(const tile_out *o, const block_out *b, int8_t *dst, __m256i acc) {
  store_block(dst + b->oc, mcb_requant8_apply(_mm256_add_epi32(acc, b->bias), &b->rq, o->out_off, o->lo, o->hi), b->n);
}

/* A tile with the pair layout: 4 pixels x 16 channels per pass, accumulators already in channel
 * order, no horizontal sums. */
static MCB_AVX2 void tile_pairs(const pair_filter *pf, const tile_out *o, int16_t rows_px[][MAX_K], int32_t count,
                                int8_t *const *dst) {
  int32_t oc, i, j, p;
  for (oc = 0; oc < o->out_c; oc += 16) {
    block_out spare0, spare1;
    const int has_hi = oc + 8 < o->out_c;
    const block_out *b0 = block_at(o, oc, &spare0);
    const block_out *b1 = has_hi ? block_at(o, oc + 8, &spare1) : b0;
    for (i = 0; i < count; i += 4) {
      __m256i a00 = _mm256_setzero_si256(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00,
              a31 = a00;
      const int32_t *w = pf->words + oc;
      for (j = 0; j < pf->pairs; ++j, w += pf->oc_pad) {
        const __m256i w0 = _mm256_loadu_si256((const __m256i *)w);
        const __m256i w1 = _mm256_loadu_si256((const __m256i *)(w + 8));
        __m256i x = pair_of(rows_px[i], j);
        a00 = _mm256_add_epi32(a00, _mm256_madd_epi16(x, w0));
        a01 = _mm256_add_epi32(a01, _mm256_madd_epi16(x, w1));
        x = pair_of(rows_px[i + 1], j);
        a10 = _mm256_add_epi32(a10, _mm256_madd_epi16(x, w0));
        a11 = _mm256_add_epi32(a11, _mm256_madd_epi16(x, w1));
        x = pair_of(rows_px[i + 2], j);
        a20 = _mm256_add_epi32(a20, _mm256_madd_epi16(x, w0));
        a21 = _mm256_add_epi32(a21, _mm256_madd_epi16(x, w1));
        x = pair_of(rows_px[i + 3], j);
        a30 = _mm256_add_epi32(a30, _mm256_madd_epi16(x, w0));
        a31 = _mm256_add_epi32(a31, _mm256_madd_epi16(x, w1));
      }
      {
        const __m256i lo_half[4] = {a00, a10, a20, a30}, hi_half[4] = {a01, a11, a21, a31};
        for (p = 0; p < 4 && i + p < count; ++p) {
          finish(o, b0, dst[i + p], lo_half[p]);
          if (has_hi) {
            finish(o, b1, dst[i + p], hi_half[p]);
          }
        }
      }
    }
  }
}

/* A tile with the row layout: dot products of filter rows and pixel rows, 4 channels x 2 pixels per
 * pass (for filters too large for the pair layout). */
static MCB_AVX2 void tile_rows(const conv_rows *rows, const tile_out *o, int16_t rows_px[][MAX_K], int32_t count,
                               int8_t *const *dst) {
  int32_t oc, i;
  for (oc = 0; oc < o->out_c; oc += 8) {
    const int8_t *w_lo[4], *w_hi[4];
    block_out spare;
    const block_out *b = block_at(o, oc, &spare);
    for (i = 0; i < 4; ++i) {
      w_lo[i] = row_of(rows, oc + i);
      w_hi[i] = row_of(rows, oc + 4 + i);
    }
    for (i = 0; i < count; i += 2) {
      __m128i lo0, lo1, hi0, hi1;
      dot_4x2(w_lo, rows_px[i], rows_px[i + 1], rows->k_pad, &lo0, &lo1);
      dot_4x2(w_hi, rows_px[i], rows_px[i + 1], rows->k_pad, &hi0, &hi1);
      finish(o, b, dst[i], _mm256_set_m128i(hi0, lo0));
      if (i + 1 < count) {
        finish(o, b, dst[i + 1], _mm256_set_m128i(hi1, lo1));
      }
    }
  }
}

MCB_AVX2 mcb_status mcb_conv_2d_s8_avx2(const mcb_conv_params *params, const mcb_channel_quant *quant,
                                        const mcb_view_s8 *input, const mcb_filter_s8 *filter,
                                        const int32_t *bias, mcb_view_s8 *output, const mcb_region *region,
                                        const mcb_context *ctx) {
  mcb__window_call call;
  mcb_region r;
  int32_t k, k_pad, pixels, first, use_pairs, oy, ox, oc;
  int16_t rows_px[TILE_PIXELS][MAX_K] __attribute__((aligned(32)));
  conv_rows rows;
  pair_filter pf;
  tile_out o;

  if (mcb__conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call) != MCB_OK ||
      call.empty || filter->in_c != input->c) {
    return MCB_ERR_UNSUPPORTED;
  }
  r = call.r;
  if ((int64_t)filter->h * filter->w * filter->in_c > MAX_K) {
    return MCB_ERR_UNSUPPORTED;
  }
  k = filter->h * filter->w * filter->in_c;
  k_pad = (k + 15) & ~15;
  use_pairs = pair_filter_init(&pf, filter, k);
  if (!use_pairs) {
    rows_init(&rows, filter, k, k_pad);
  }
  o.q = quant;
  o.bias = bias;
  o.out_c = filter->out_c;
  o.out_off = _mm256_set1_epi32(params->output_offset);
  o.lo = _mm256_set1_epi32(params->act_min);
  o.hi = _mm256_set1_epi32(params->act_max);
  for (oc = 0; oc < filter->out_c && oc / 8 < MAX_BLOCKS; oc += 8) {
    block_out_init(&o, oc, &o.blocks[oc / 8]);
  }
  pixels = (r.y1 - r.y0) * (r.x1 - r.x0);

  oy = r.y0;
  ox = r.x0;
  for (first = 0; first < pixels; first += TILE_PIXELS) {
    const int32_t count = pixels - first < TILE_PIXELS ? pixels - first : TILE_PIXELS;
    int8_t *dst[TILE_PIXELS];
    int32_t i;
    for (i = 0; i < count; ++i) {
      build_row(params, input, filter, oy, ox, k_pad, rows_px[i]);
      dst[i] = output->data + ((oy - output->y0) * output->w + (ox - output->x0)) * output->c;
      if (++ox == r.x1) { /* region pixels in row-major order */
        ox = r.x0;
        ++oy;
      }
    }
    for (; i < (count + 3) / 4 * 4; ++i) {
      /* The micro-kernels also read up to 3 rows after the last pixel: keep them defined. */
      memset(rows_px[i], 0, (size_t)k_pad * sizeof(int16_t));
    }
    /* Every input byte the tile needs is now in rows_px; storing may overwrite it (in place). */
    if (use_pairs) {
      tile_pairs(&pf, &o, rows_px, count, dst);
    } else {
      tile_rows(&rows, &o, rows_px, count, dst);
    }
  }
  return MCB_OK;
}

#else
/* Not x86 (firmware): nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_conv_2d_s8_avx2_is_x86_only;
#endif /* x86 */
