/*
 * AVX2 twin of depthwise_conv_2d_s8_ref.c (int8 DEPTHWISE_CONV_2D, per-channel requantization),
 * identical bytes.
 *
 * Channel-vectorised, over blocks of 16 (then 8) output channels. The input rows a band of output rows
 * needs are first copied for the block into a dense stripe (16 or 8 bytes per position), padding
 * positions holding the input zero point, so x + input_offset is 0 there and adds exactly nothing,
 * as the reference's skip does; every pixel then reads its taps at fixed offsets. Taps are taken in
 * pairs: the two taps' x + input_offset (int16) are interleaved and _mm256_madd_epi16 against the
 * interleaved int16 weights adds w0 * x0 + w1 * x1 per channel into int32 lanes, exact since
 * |w| <= 128 and |x + offset| <= 255. Weights of a block are widened once per call. When even one
 * output row's input does not fit a stripe, taps are read straight from the view (padding taps from
 * a zero-point row). Requantization: requant_avx2.h (exact).
 *
 * Taken: up to MAX_TAPS taps; depth_multiplier > 1 when a stripe holds at least one output row (each
 * lane then gathers input channel oc / depth_multiplier); in-place case (a): like the reference, a
 * group of channels is computed for every pixel into a buffer (16 or 8 channels at a time, so the
 * caller's scratch or a stack buffer) and then scattered; when neither holds 8 planes, a group goes
 * through a ring of pixels stored as soon as no later output reads their input (see `ring`).
 * Channels beyond the last multiple of 8 use the reference's scalar arithmetic.
 */
#if defined(__x86_64__) || defined(__i386__)

#include <string.h>

#include "../kernel_common.h"
#include "../op_checks.h"
#include "../twins.h"
#include "mcb/quant.h"
#include "requant_avx2.h"

#define MAX_TAPS 128               /* kh * kw; 11x11 fits */
#ifndef STRIPE_BYTES /* the differential test shrinks it to reach several stripes and the fallback */
#define STRIPE_BYTES 32768 /* input stripe of one channel block */
#endif
#ifndef INPLACE_STACK_BYTES /* the differential test shrinks it to reach every group size */
#define INPLACE_STACK_BYTES 131072 /* in-place channel-group buffer when the caller's scratch is smaller */
#endif

typedef struct dw_call {
  const mcb_depthwise_conv_params *p;
  const mcb_channel_quant *q;
  const mcb_view_s8 *in;
  const mcb_depthwise_filter_s8 *f;
  const int32_t *bias;
  mcb_view_s8 *out;
  mcb_region r;
  /* Where block outputs go: the output view (stride out->c, channel ch at +ch), or, in place, a
   * pixel-major buffer of the current channel group (stride group, channel ch at +(ch - group0)). */
  int8_t *dst;
  int32_t dst_stride, dst_ch0;
  struct ring *ring; /* in-place ring mode (NULL otherwise): outputs go through a ring of pixels */
  int32_t taps;
  int32_t tap_offset[MAX_TAPS + 1]; /* byte offset of each tap from the window origin; one spare 0 */
  int8_t zero_row[16];              /* input zero point: x + input_offset == 0 */
} dw_call;

/* Input address of every tap of output pixel (oy, ox) at channel ch; padding taps -> zero_row. */
static void tap_pointers(const dw_call *d, int32_t oy, int32_t ox, int32_t ch, const int8_t **taps) {
  const mcb_depthwise_conv_params *p = d->p;
  const mcb_view_s8 *in = d->in;
  const int32_t iy0 = oy * p->stride_h - p->pad_top;
  const int32_t ix0 = ox * p->stride_w - p->pad_left;
  int32_t ky, kx, t = 0;
  for (ky = 0; ky < d->f->h; ++ky) {
    const int32_t iy = iy0 + p->dilation_h * ky;
    for (kx = 0; kx < d->f->w; ++kx, ++t) {
      const int32_t ix = ix0 + p->dilation_w * kx;
      taps[t] = (iy < 0 || iy >= in->full_h || ix < 0 || ix >= in->full_w)
                    ? d->zero_row
                    : in->data + ((iy - in->y0) * in->w + (ix - in->x0)) * in->c + ch;
    }
  }
  taps[t] = d->zero_row; /* partner of an odd last tap (its weights are 0) */
}

/* Input address of the window origin when every tap of (oy, ox) is inside the tensor, else NULL. */
static const int8_t *interior_origin(const dw_call *d, int32_t oy, int32_t ox, int32_t ch) {
  const mcb_depthwise_conv_params *p = d->p;
  const mcb_view_s8 *in = d->in;
  const int32_t iy0 = oy * p->stride_h - p->pad_top;
  const int32_t ix0 = ox * p->stride_w - p->pad_left;
  if (iy0 < 0 || ix0 < 0 || iy0 + p->dilation_h * (d->f->h - 1) >= in->full_h ||
      ix0 + p->dilation_w * (d->f->w - 1) >= in->full_w) {
    return NULL;
  }
  return in->data + ((iy0 - in->y0) * in->w + (ix0 - in->x0)) * in->c + ch;
}

static MCB_AVX2 __m256i bias8_at(const int32_t *bias, int32_t ch) {
  return bias == NULL ? _mm256_setzero_si256() : _mm256_loadu_si256((const __m256i *)(bias + ch));
}

/*
 * In-place ring mode, for when the caller's scratch and the stack cannot hold 8 channel planes: a
 * group's outputs are computed in pixel order into a ring, and output pixel s is stored into its slot
 * (which holds input index s) as soon as no output still to come reads input index s.
 */
typedef struct ring {
  int8_t *buf;
  int32_t pixels;  /* ring slots */
  int32_t g, ch;   /* group width and first channel */
  int32_t next;    /* first output pixel not yet stored */
  int32_t count;   /* output pixels */
} ring;

static int8_t *out_at(const dw_call *d, int32_t oy, int32_t ox, int32_t ch) {
  const mcb_view_s8 *out = d->out;
  const int32_t p = (oy - out->y0) * out->w + (ox - out->x0);
  if (d->ring != NULL) {
    return d->ring->buf + (int64_t)(p % d->ring->pixels) * d->ring->g + (ch - d->ring->ch);
  }
  return d->dst + (int64_t)p * d->dst_stride + (ch - d->dst_ch0);
}

/* An upper bound on the last output pixel (row-major index) that reads input index s, or -1: every
 * reader lies at or above row floor((iy + pad_top) / stride_h) and left of the matching column. */
static int32_t last_reader(const dw_call *d, int32_t s) {
  const mcb_view_s8 *in = d->in, *out = d->out;
  int32_t oy, ox;
  if (s >= in->h * in->w) {
    return -1;
  }
  oy = (in->y0 + s / in->w + d->p->pad_top) / d->p->stride_h;
  ox = (in->x0 + s % in->w + d->p->pad_left) / d->p->stride_w;
  oy = oy < out->y0 + out->h - 1 ? oy : out->y0 + out->h - 1;
  ox = ox < out->x0 + out->w - 1 ? ox : out->x0 + out->w - 1;
  if (oy < out->y0 || ox < out->x0) {
    return -1;
  }
  return (oy - out->y0) * out->w + (ox - out->x0);
}

/* Ring slots needed: 1 + the largest lag between a slot and its last reader. */
static int32_t ring_pixels(const dw_call *d, int32_t count) {
  int32_t s, lag = 0;
  for (s = 0; s < count; ++s) {
    const int32_t l = last_reader(d, s) - s;
    lag = l > lag ? l : lag;
  }
  return lag + 1;
}

static void ring_store(const dw_call *d) {
  ring *rg = d->ring;
  memcpy(d->out->data + (int64_t)rg->next * d->out->c + rg->ch, rg->buf + (int64_t)(rg->next % rg->pixels) * rg->g,
         (size_t)rg->g);
  ++rg->next;
}

/* Output pixel p is computed: store every pending pixel whose input no later output reads. */
static void ring_done(const dw_call *d, int32_t oy, int32_t ox) {
  const int32_t p = (oy - d->out->y0) * d->out->w + (ox - d->out->x0);
  while (d->ring->next <= p && last_reader(d, d->ring->next) <= p) {
    ring_store(d);
  }
}

/*
 * A stripe: the input rows a band of output rows reads, for one channel block, copied into a dense
 * buffer (g bytes per position) with padding positions holding the zero point. Every output pixel of
 * the band then reads its taps at fixed offsets from one origin, with no bounds tests.
 */
typedef struct stripe {
  int8_t *buf;
  int32_t g;                    /* channels per position: 16 or 8 */
  int32_t x_lo, width;          /* input columns [x_lo, x_lo + width) */
  int32_t band;                 /* output rows per stripe */
  int32_t off[MAX_TAPS + 1];    /* tap offsets from the window origin, in buffer bytes; one spare 0 */
} stripe;

/* Sizes the stripe for the region; 0 when even one output row's input does not fit in `cap` bytes. */
static int stripe_plan(const dw_call *d, int32_t g, int8_t *buf, int32_t cap, stripe *s) {
  const mcb_depthwise_conv_params *p = d->p;
  const int32_t span_h = (d->f->h - 1) * p->dilation_h + 1;
  const int64_t x_hi = (int64_t)(d->r.x1 - 1) * p->stride_w - p->pad_left + (int64_t)(d->f->w - 1) * p->dilation_w;
  int64_t rows;
  int32_t ky, kx;
  s->buf = buf;
  s->g = g;
  s->x_lo = d->r.x0 * p->stride_w - p->pad_left;
  if (x_hi - s->x_lo + 1 > cap / g) {
    return 0;
  }
  s->width = (int32_t)(x_hi - s->x_lo + 1);
  rows = cap / ((int64_t)s->width * g);
  if (rows < span_h) {
    return 0;
  }
  s->band = (int32_t)((rows - span_h) / p->stride_h + 1);
  for (ky = 0; ky < d->f->h; ++ky) {
    for (kx = 0; kx < d->f->w; ++kx) {
      s->off[ky * d->f->w + kx] = ((ky * p->dilation_h) * s->width + kx * p->dilation_w) * g;
    }
  }
  s->off[d->taps] = 0;
  return 1;
}

/* Fills `rows` stripe rows from input row iy_lo on, channels [ch, ch + g). A position outside the
 * input view is never a tap of an output in range (the tap check said so) unless it is padding, so
 * the zero point is right for it either way. */
static MCB_AVX2 void stripe_fill(const dw_call *d, const stripe *s, int32_t ch, int32_t iy_lo, int32_t rows) {
  const mcb_view_s8 *in = d->in;
  const int32_t x_from = s->x_lo > in->x0 ? s->x_lo : in->x0;
  const int32_t x_to = s->x_lo + s->width < in->x0 + in->w ? s->x_lo + s->width : in->x0 + in->w;
  int32_t r;
  for (r = 0; r < rows; ++r) {
    const int32_t iy = iy_lo + r;
    int8_t *dst = s->buf + (int64_t)r * s->width * s->g;
    const int8_t *src;
    int32_t ix;
    if (iy < in->y0 || iy >= in->y0 + in->h || x_from >= x_to) {
      memset(dst, d->zero_row[0], (size_t)s->width * s->g);
      continue;
    }
    memset(dst, d->zero_row[0], (size_t)(x_from - s->x_lo) * s->g);
    src = in->data + ((int64_t)(iy - in->y0) * in->w + (x_from - in->x0)) * in->c;
    dst += (x_from - s->x_lo) * s->g;
    if (d->p->depth_multiplier != 1) {
      /* Output channel ch + l reads input channel (ch + l) / depth_multiplier. */
      const int32_t m = d->p->depth_multiplier;
      int32_t l;
      for (ix = x_from; ix < x_to; ++ix, src += in->c, dst += s->g) {
        for (l = 0; l < s->g; ++l) {
          dst[l] = src[(ch + l) / m];
        }
      }
    } else if (s->g == 16) {
      src += ch;
      for (ix = x_from; ix < x_to; ++ix, src += in->c, dst += 16) {
        _mm_storeu_si128((__m128i *)dst, _mm_loadu_si128((const __m128i *)src));
      }
    } else {
      src += ch;
      for (ix = x_from; ix < x_to; ++ix, src += in->c, dst += 8) {
        _mm_storel_epi64((__m128i *)dst, _mm_loadl_epi64((const __m128i *)src));
      }
    }
    memset(dst, d->zero_row[0], (size_t)(s->x_lo + s->width - x_to) * s->g);
  }
}

/* Per-block constants: interleaved weight pairs, requantization, bias, offsets. */
typedef struct block16_consts {
  __m256i w_lo[MAX_TAPS / 2 + 1], w_hi[MAX_TAPS / 2 + 1];
  mcb_requant8 rq0, rq1;
  __m256i bias0, bias1, off, out_off, lo, hi;
  int32_t pairs;
} block16_consts;

/* Sum over taps of w * (x + offset) for 16 channels, taps at origin + off[t]. acc_lo holds channels
 * 0-3 | 8-11 and acc_hi 4-7 | 12-15: unpacklo/hi work per 128-bit lane. */
static MCB_AVX2 void dot16_at(const block16_consts *k, const int8_t *origin, const int32_t *off, int8_t *dst) {
  __m256i acc_lo = _mm256_setzero_si256(), acc_hi = acc_lo, v0, v1;
  int32_t j;
  for (j = 0; j < k->pairs; ++j) {
    const __m256i xa = _mm256_add_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(origin + off[2 * j]))), k->off);
    const __m256i xb = _mm256_add_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(origin + off[2 * j + 1]))), k->off);
    acc_lo = _mm256_add_epi32(acc_lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(xa, xb), k->w_lo[j]));
    acc_hi = _mm256_add_epi32(acc_hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(xa, xb), k->w_hi[j]));
  }
  v0 = _mm256_add_epi32(_mm256_permute2x128_si256(acc_lo, acc_hi, 0x20), k->bias0);
  v1 = _mm256_add_epi32(_mm256_permute2x128_si256(acc_lo, acc_hi, 0x31), k->bias1);
  mcb_store8_s8(dst, mcb_requant8_apply(v0, &k->rq0, k->out_off, k->lo, k->hi));
  mcb_store8_s8(dst + 8, mcb_requant8_apply(v1, &k->rq1, k->out_off, k->lo, k->hi));
}

/* The same at half width (8 channels, 128-bit). */
typedef struct block8_consts {
  __m128i w_lo[MAX_TAPS / 2 + 1], w_hi[MAX_TAPS / 2 + 1];
  mcb_requant8 rq;
  __m256i bias, out_off, lo, hi;
  __m128i off;
  int32_t pairs;
} block8_consts;

static MCB_AVX2 void dot8_at(const block8_consts *k, const int8_t *origin, const int32_t *off, int8_t *dst) {
  __m128i acc_lo = _mm_setzero_si128(), acc_hi = acc_lo;
  int32_t j;
  for (j = 0; j < k->pairs; ++j) {
    const __m128i xa = _mm_add_epi16(_mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(origin + off[2 * j]))), k->off);
    const __m128i xb = _mm_add_epi16(_mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(origin + off[2 * j + 1]))), k->off);
    acc_lo = _mm_add_epi32(acc_lo, _mm_madd_epi16(_mm_unpacklo_epi16(xa, xb), k->w_lo[j]));
    acc_hi = _mm_add_epi32(acc_hi, _mm_madd_epi16(_mm_unpackhi_epi16(xa, xb), k->w_hi[j]));
  }
  mcb_store8_s8(dst, mcb_requant8_apply(_mm256_add_epi32(_mm256_set_m128i(acc_hi, acc_lo), k->bias), &k->rq, k->out_off,
                                        k->lo, k->hi));
}

/* dot16_at / dot8_at with the taps as addresses (the fallback when no stripe fits). */
static MCB_AVX2 void dot16_ptrs(const block16_consts *k, const int8_t *const *taps, int8_t *dst) {
  __m256i acc_lo = _mm256_setzero_si256(), acc_hi = acc_lo, v0, v1;
  int32_t j;
  for (j = 0; j < k->pairs; ++j) {
    const __m256i xa = _mm256_add_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)taps[2 * j])), k->off);
    const __m256i xb = _mm256_add_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)taps[2 * j + 1])), k->off);
    acc_lo = _mm256_add_epi32(acc_lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(xa, xb), k->w_lo[j]));
    acc_hi = _mm256_add_epi32(acc_hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(xa, xb), k->w_hi[j]));
  }
  v0 = _mm256_add_epi32(_mm256_permute2x128_si256(acc_lo, acc_hi, 0x20), k->bias0);
  v1 = _mm256_add_epi32(_mm256_permute2x128_si256(acc_lo, acc_hi, 0x31), k->bias1);
  mcb_store8_s8(dst, mcb_requant8_apply(v0, &k->rq0, k->out_off, k->lo, k->hi));
  mcb_store8_s8(dst + 8, mcb_requant8_apply(v1, &k->rq1, k->out_off, k->lo, k->hi));
}

static MCB_AVX2 void dot8_ptrs(const block8_consts *k, const int8_t *const *taps, int8_t *dst) {
  __m128i acc_lo = _mm_setzero_si128(), acc_hi = acc_lo;
  int32_t j;
  for (j = 0; j < k->pairs; ++j) {
    const __m128i xa = _mm_add_epi16(_mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)taps[2 * j])), k->off);
    const __m128i xb = _mm_add_epi16(_mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)taps[2 * j + 1])), k->off);
    acc_lo = _mm_add_epi32(acc_lo, _mm_madd_epi16(_mm_unpacklo_epi16(xa, xb), k->w_lo[j]));
    acc_hi = _mm_add_epi32(acc_hi, _mm_madd_epi16(_mm_unpackhi_epi16(xa, xb), k->w_hi[j]));
  }
  mcb_store8_s8(dst, mcb_requant8_apply(_mm256_add_epi32(_mm256_set_m128i(acc_hi, acc_lo), k->bias), &k->rq, k->out_off,
                                        k->lo, k->hi));
}

static MCB_AVX2 void block16_init(const dw_call *d, int32_t ch, block16_consts *k) {
  int32_t j;
  k->pairs = (d->taps + 1) / 2;
  for (j = 0; j < k->pairs; ++j) {
    const int32_t t = 2 * j;
    const __m256i a = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(d->f->data + t * d->f->c + ch)));
    const __m256i b = t + 1 < d->taps
                          ? _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(d->f->data + (t + 1) * d->f->c + ch)))
                          : _mm256_setzero_si256();
    k->w_lo[j] = _mm256_unpacklo_epi16(a, b);
    k->w_hi[j] = _mm256_unpackhi_epi16(a, b);
  }
  k->rq0 = mcb_requant8_table(d->q, ch, 8);
  k->rq1 = mcb_requant8_table(d->q, ch + 8, 8);
  k->bias0 = bias8_at(d->bias, ch);
  k->bias1 = bias8_at(d->bias, ch + 8);
  k->off = _mm256_set1_epi16((int16_t)d->p->input_offset);
  k->out_off = _mm256_set1_epi32(d->p->output_offset);
  k->lo = _mm256_set1_epi32(d->p->act_min);
  k->hi = _mm256_set1_epi32(d->p->act_max);
}

static MCB_AVX2 void block8_init(const dw_call *d, int32_t ch, block8_consts *k) {
  int32_t j;
  k->pairs = (d->taps + 1) / 2;
  for (j = 0; j < k->pairs; ++j) {
    const int32_t t = 2 * j;
    const __m128i a = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(d->f->data + t * d->f->c + ch)));
    const __m128i b = t + 1 < d->taps
                          ? _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(d->f->data + (t + 1) * d->f->c + ch)))
                          : _mm_setzero_si128();
    k->w_lo[j] = _mm_unpacklo_epi16(a, b);
    k->w_hi[j] = _mm_unpackhi_epi16(a, b);
  }
  k->rq = mcb_requant8_table(d->q, ch, 8);
  k->bias = bias8_at(d->bias, ch);
  k->off = _mm_set1_epi16((int16_t)d->p->input_offset);
  k->out_off = _mm256_set1_epi32(d->p->output_offset);
  k->lo = _mm256_set1_epi32(d->p->act_min);
  k->hi = _mm256_set1_epi32(d->p->act_max);
}

/* Channels [ch, ch + g), g = 16 or 8, over the whole region: through stripes when one fits, else
 * straight from the view (taps of border pixels via tap_pointers). */
static MCB_AVX2 void block(const dw_call *d, int32_t ch, int32_t g) {
  const mcb_depthwise_conv_params *p = d->p;
  block16_consts k16;
  block8_consts k8;
  int8_t buf[STRIPE_BYTES];
  const int8_t *taps[MAX_TAPS + 1];
  stripe s;
  int32_t oy, ox, t;
  if (g == 16) {
    block16_init(d, ch, &k16);
  } else {
    block8_init(d, ch, &k8);
  }
  if (stripe_plan(d, g, buf, STRIPE_BYTES, &s)) {
    int32_t y0;
    for (y0 = d->r.y0; y0 < d->r.y1; y0 += s.band) {
      const int32_t y1 = y0 + s.band < d->r.y1 ? y0 + s.band : d->r.y1;
      const int32_t iy_lo = y0 * p->stride_h - p->pad_top;
      stripe_fill(d, &s, ch, iy_lo, (y1 - 1 - y0) * p->stride_h + (d->f->h - 1) * p->dilation_h + 1);
      for (oy = y0; oy < y1; ++oy) {
        const int8_t *row = s.buf + (int64_t)(oy * p->stride_h - p->pad_top - iy_lo) * s.width * g;
        for (ox = d->r.x0; ox < d->r.x1; ++ox) {
          const int8_t *origin = row + (ox * p->stride_w - p->pad_left - s.x_lo) * g;
          if (g == 16) {
            dot16_at(&k16, origin, s.off, out_at(d, oy, ox, ch));
          } else {
            dot8_at(&k8, origin, s.off, out_at(d, oy, ox, ch));
          }
          if (d->ring != NULL) {
            ring_done(d, oy, ox);
          }
        }
      }
    }
    return;
  }
  for (oy = d->r.y0; oy < d->r.y1; ++oy) {
    for (ox = d->r.x0; ox < d->r.x1; ++ox) {
      const int8_t *origin = interior_origin(d, oy, ox, ch);
      if (origin != NULL) {
        for (t = 0; t <= d->taps; ++t) {
          taps[t] = origin + d->tap_offset[t];
        }
      } else {
        tap_pointers(d, oy, ox, ch, taps);
      }
      if (g == 16) {
        dot16_ptrs(&k16, taps, out_at(d, oy, ox, ch));
      } else {
        dot8_ptrs(&k8, taps, out_at(d, oy, ox, ch));
      }
      if (d->ring != NULL) {
        ring_done(d, oy, ox);
      }
    }
  }
}

/* The reference's scalar arithmetic for one output value (channels past the last block of 8). */
static int8_t scalar_value(const dw_call *d, int32_t oy, int32_t ox, int32_t ch) {
  const int8_t *taps[MAX_TAPS + 1];
  const int32_t qi = d->q->count == 1 ? 0 : ch;
  int32_t acc = 0, t;
  tap_pointers(d, oy, ox, ch / d->p->depth_multiplier, taps);
  for (t = 0; t < d->taps; ++t) {
    if (taps[t] != d->zero_row) {
      acc += (int32_t)d->f->data[t * d->f->c + ch] * ((int32_t)*taps[t] + d->p->input_offset);
    }
  }
  if (d->bias != NULL) {
    acc += d->bias[ch];
  }
  acc = mcb_multiply_by_quantized_multiplier(acc, d->q->multiplier[qi], d->q->shift[qi]);
  return (int8_t)mcb_clamp(acc + d->p->output_offset, d->p->act_min, d->p->act_max);
}

/* Channels [from, to) over the region: vector blocks of 16 and 8, then the scalar rest. */
static MCB_AVX2 void channels(const dw_call *d, int32_t from, int32_t to) {
  int32_t ch = from, oy, ox;
  for (; ch + 16 <= to; ch += 16) {
    block(d, ch, 16);
  }
  if (ch + 8 <= to) {
    block(d, ch, 8);
    ch += 8;
  }
  for (; ch < to; ++ch) {
    for (oy = d->r.y0; oy < d->r.y1; ++oy) {
      for (ox = d->r.x0; ox < d->r.x1; ++ox) {
        *out_at(d, oy, ox, ch) = scalar_value(d, oy, ox, ch);
      }
    }
  }
}

MCB_AVX2 mcb_status mcb_depthwise_conv_2d_s8_avx2(const mcb_depthwise_conv_params *params,
                                                  const mcb_channel_quant *quant, const mcb_view_s8 *input,
                                                  const mcb_depthwise_filter_s8 *filter, const int32_t *bias,
                                                  mcb_view_s8 *output, const mcb_region *region,
                                                  const mcb_context *ctx) {
  dw_call d;
  int32_t ch, ky, kx;
  mcb__window_call call;
  int inplace;
  if (mcb__depthwise_conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call) != MCB_OK ||
      call.empty || (int64_t)filter->h * filter->w > MAX_TAPS) {
    return MCB_ERR_UNSUPPORTED;
  }
  d.r = call.r;
  inplace = call.inplace;
  d.p = params;
  d.q = quant;
  d.in = input;
  d.f = filter;
  d.bias = bias;
  d.out = output;
  d.ring = NULL;
  d.taps = filter->h * filter->w;
  for (ky = 0; ky < filter->h; ++ky) {
    for (kx = 0; kx < filter->w; ++kx) {
      d.tap_offset[ky * filter->w + kx] =
          (params->dilation_h * ky * input->w + params->dilation_w * kx) * input->c;
    }
  }
  d.tap_offset[d.taps] = 0;
  memset(d.zero_row, (int8_t)-params->input_offset, sizeof(d.zero_row));
  if (params->depth_multiplier != 1 && filter->c >= 8) {
    /* Only stripes gather input channel (oc / depth_multiplier) per lane; no stripe, no twin. */
    stripe s;
    if (!stripe_plan(&d, filter->c >= 16 ? 16 : 8, NULL, STRIPE_BYTES, &s)) {
      return MCB_ERR_UNSUPPORTED;
    }
  }
  if (!inplace) {
    d.dst = output->data;
    d.dst_stride = output->c;
    d.dst_ch0 = 0;
    channels(&d, 0, filter->c);
    return MCB_OK;
  }
  /* In-place case (a): a group of channels for every pixel into a buffer, then scattered into its
   * slots, which held the same channels of input pixels that no later group reads. */
  {
    const int32_t area = output->h * output->w;
    int8_t stack_buf[INPLACE_STACK_BYTES];
    const int32_t cap = ctx->size > INPLACE_STACK_BYTES ? ctx->size : INPLACE_STACK_BYTES;
    int8_t *buf = ctx->size > INPLACE_STACK_BYTES ? (int8_t *)ctx->buf : stack_buf;
    const int32_t group = (int64_t)area * 16 <= cap ? 16 : (int64_t)area * 8 <= cap ? 8 : 1;
    int32_t i, oy, ox;
    ring rg;
    d.dst = buf;
    if (group == 1 && (int64_t)(rg.pixels = ring_pixels(&d, area)) * 16 <= cap) {
      rg.buf = buf;
      rg.count = area;
      d.ring = &rg;
      for (ch = 0; ch < filter->c; ch += rg.g) {
        rg.g = filter->c - ch >= 16 ? 16 : filter->c - ch >= 8 ? 8 : filter->c - ch;
        rg.ch = ch;
        rg.next = 0;
        if (rg.g >= 8) {
          block(&d, ch, rg.g);
        } else {
          for (oy = d.r.y0; oy < d.r.y1; ++oy) {
            for (ox = d.r.x0; ox < d.r.x1; ++ox) {
              for (i = ch; i < ch + rg.g; ++i) {
                *out_at(&d, oy, ox, i) = scalar_value(&d, oy, ox, i);
              }
              ring_done(&d, oy, ox);
            }
          }
        }
        while (rg.next < rg.count) {
          ring_store(&d);
        }
      }
      return MCB_OK;
    }
    for (ch = 0; ch < filter->c; ch += d.dst_stride) {
      d.dst_stride = filter->c - ch < group ? filter->c - ch : group;
      d.dst_ch0 = ch;
      channels(&d, ch, ch + d.dst_stride);
      for (i = 0; i < area; ++i) {
        memcpy(output->data + (int64_t)i * output->c + ch, buf + (int64_t)i * d.dst_stride, (size_t)d.dst_stride);
      }
    }
  }
  return MCB_OK;
}

#else
/* Not x86 (firmware): nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_depthwise_conv_2d_s8_avx2_is_x86_only;
#endif /* x86 */
