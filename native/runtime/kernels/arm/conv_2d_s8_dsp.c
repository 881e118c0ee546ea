/*
 * Cortex-M DSP twin of conv_2d_s8_ref.c (int8 CONV_2D, per-channel requantization), identical bytes.
 *
 * Pixel blocks (4 output pixels; 2 when four columns of a long receptive field do not fit the stack): each
 * pixel's receptive field (kh x kw x in_c, the filter row's order) is gathered once into an int16 column with
 * the input offset added (SXTAB16), in the order SXTB16 unpacks a weight word: per 4 values [v0 v2][v1 v3], the
 * block's columns interleaved so that one LDM brings two pixels' words. Padding taps are 0 (what skipping them
 * adds); the last partial word too. Input channels that are a multiple of 4 unpack straight from the input
 * (a 1x1 conv copies nothing); other counts (the 1- and 3-channel stems) go through a byte column first.
 *
 * The block then meets every output channel in one assembly loop (kernel_p4 / kernel_p2): per channel one LDM
 * brings its bias and weight row from a small table, each weight word (one LDR, read unaligned) is unpacked
 * once (two SXTB16) and feeds 8 SMLADs (2 for each of 4 pixels), the column words arriving 4 at a time by LDM:
 * 13 instructions per 16 MACs, no loop-carried moves. Requantization of the four accumulators follows in the
 * same loop for the usual calls (see FINISH_FAST: right shift, positive multiplier, full int8 range): with
 * v = SMMULR(2 acc, M), TFLM's rounding divide with the output offset folded into the rounding constant H is
 *   (v + H - [v < 0]) >> shr,   and v + H = SMMLAR(2 acc, M, H)  (exactly: H is added before the >> 32),
 * while [v < 0] may be taken as [acc < 0]: they differ only when v == 0 and acc < 0, where (H - 1) >> shr still
 * gives the offset (H = 2^(shr-1) + offset 2^shr). Five instructions per output besides its store. Every other
 * call (left shifts, shift 0, a clamped range, accumulators too large for SMMULR) has the loop store the raw
 * accumulators and requantizes them in C (mcb_dsp_rq_apply, or the reference's own arithmetic).
 *
 * Weight words of a row whose length is not a multiple of 4 run into the next row's first bytes, which meet the
 * zero padding of the column; the filter's last row is read from a zero-padded copy, so nothing past the filter
 * is read.
 *
 * Taken: no groups (filter in_c == input c), the block's columns within COL_WORDS; in place (case b of
 * kernels.h). Everything else declines (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "dsp.h"
#include "mcb/quant.h"

#ifndef COL_WORDS /* the differential test shrinks the limits to cross them on small shapes */
#define COL_WORDS 1152 /* gathered columns on the stack (4.5 KiB): 4 pixels of k <= 576, 2 of k <= 1152 */
#endif
#ifndef CHUNK
#define CHUNK 64 /* output channels per table (1.25 KiB of stack) */
#endif
/* Channels per table when C requantizes (the table shares its stack with their constants and accumulators). */
#define ACC_CHUNK (CHUNK / 4 > 0 ? CHUNK / 4 : 1)
/* Words per channel in the kernel's table: bias, weight row, multiplier, rounding constant + offset, shift. */
#define TAB 5

/* What the assembly kernels read (offsets fixed in the assembly: keep the order). */
typedef struct block_args {
  int8_t *d[4];         /* 0: output pointers of the block's pixels at the table's first channel */
  const int32_t *col;   /* 16: the block's interleaved columns */
  int32_t pairs;        /* 20: double steps after the first (and the odd) column word */
  int32_t *acc;         /* 24: raw accumulators (kernels that leave requantization to C) */
  const int32_t *end;   /* 28: the table's end */
  const int32_t *tab;   /* 32: the table */
} block_args;

typedef void kernel_fn(block_args *a);

/* ------------------------------------------------------------------------------------- kernels */
/* Registers: r0-r3 accumulators (r3 the bias until the first step), r4 r5 r6 r8 column words (one LDM),
 * r9/r10 the weight word's even/odd halves, r11 column pointer, r12 weight pointer, lr step count, r7 the table.
 * The block's arguments 0..28 live on the stack while the channels run. */

/* First column word: the bias enters each accumulator. */
#define P4_FIRST                                                                                              \
  "ldr r10, [r12], #4\n\t"                                                                                    \
  "sxtb16 r9, r10\n\t"                                                                                        \
  "sxtb16 r10, r10, ror #8\n\t"                                                                               \
  "ldm r11!, {r4, r5, r6, r8}\n\t"                                                                            \
  "smlad r0, r4, r9, r3\n\t"                                                                                  \
  "smlad r0, r5, r10, r0\n\t"                                                                                 \
  "smlad r1, r6, r9, r3\n\t"                                                                                  \
  "smlad r1, r8, r10, r1\n\t"                                                                                 \
  "ldm r11!, {r4, r5, r6, r8}\n\t"                                                                            \
  "smlad r2, r4, r9, r3\n\t"                                                                                  \
  "smlad r2, r5, r10, r2\n\t"                                                                                 \
  "smlad r3, r6, r9, r3\n\t"                                                                                  \
  "smlad r3, r8, r10, r3\n\t"
#define P4_STEP                                                                                               \
  "ldr r10, [r12], #4\n\t"                                                                                    \
  "sxtb16 r9, r10\n\t"                                                                                        \
  "sxtb16 r10, r10, ror #8\n\t"                                                                               \
  "ldm r11!, {r4, r5, r6, r8}\n\t"                                                                            \
  "smlad r0, r4, r9, r0\n\t"                                                                                  \
  "smlad r0, r5, r10, r0\n\t"                                                                                 \
  "smlad r1, r6, r9, r1\n\t"                                                                                  \
  "smlad r1, r8, r10, r1\n\t"                                                                                 \
  "ldm r11!, {r4, r5, r6, r8}\n\t"                                                                            \
  "smlad r2, r4, r9, r2\n\t"                                                                                  \
  "smlad r2, r5, r10, r2\n\t"                                                                                 \
  "smlad r3, r6, r9, r3\n\t"                                                                                  \
  "smlad r3, r8, r10, r3\n\t"
#define P2_FIRST                                                                                              \
  "ldr r10, [r12], #4\n\t"                                                                                    \
  "sxtb16 r9, r10\n\t"                                                                                        \
  "sxtb16 r10, r10, ror #8\n\t"                                                                               \
  "ldm r11!, {r4, r5, r6, r8}\n\t"                                                                            \
  "smlad r0, r4, r9, r3\n\t"                                                                                  \
  "smlad r0, r5, r10, r0\n\t"                                                                                 \
  "smlad r1, r6, r9, r3\n\t"                                                                                  \
  "smlad r1, r8, r10, r1\n\t"
#define P2_STEP                                                                                               \
  "ldr r10, [r12], #4\n\t"                                                                                    \
  "sxtb16 r9, r10\n\t"                                                                                        \
  "sxtb16 r10, r10, ror #8\n\t"                                                                               \
  "ldm r11!, {r4, r5, r6, r8}\n\t"                                                                            \
  "smlad r0, r4, r9, r0\n\t"                                                                                  \
  "smlad r0, r5, r10, r0\n\t"                                                                                 \
  "smlad r1, r6, r9, r1\n\t"                                                                                  \
  "smlad r1, r8, r10, r1\n\t"

#define LOOP_OF(step) "2:\n\t" step step "subs lr, lr, #1\n\t" "bne 2b\n\t"

/* One output: accumulator `a` requantized (M r4, H r5, shift r6; see the file comment), saturated, stored
 * through pointer `d`, which moves to the next channel. */
#define RQ_OUT(a, d)                                                                                          \
  "lsl lr, " a ", #1\n\t"                                                                                     \
  "smmlar lr, lr, r4, r5\n\t"                                                                                 \
  "add lr, lr, " a ", asr #31\n\t"                                                                            \
  "asr lr, lr, r6\n\t"                                                                                        \
  "ssat lr, #8, lr\n\t"                                                                                       \
  "strb lr, [" d "], #1\n\t"

#define P4_FINISH_FAST                                                                                        \
  "ldm r7!, {r4, r5, r6}\n\t"                                                                                 \
  "ldm sp, {r8, r9, r10, r11}\n\t"                                                                            \
  RQ_OUT("r0", "r8") RQ_OUT("r1", "r9") RQ_OUT("r2", "r10") RQ_OUT("r3", "r11")                               \
  "stm sp, {r8, r9, r10, r11}\n\t"
#define P4_FINISH_ACC                                                                                         \
  "adds r7, r7, #12\n\t"                                                                                      \
  "ldr r12, [sp, #24]\n\t"                                                                                    \
  "stm r12!, {r0, r1, r2, r3}\n\t"                                                                            \
  "str r12, [sp, #24]\n\t"
#define P2_FINISH_FAST                                                                                        \
  "ldm r7!, {r4, r5, r6}\n\t"                                                                                 \
  "ldrd r8, r9, [sp]\n\t"                                                                                     \
  RQ_OUT("r0", "r8") RQ_OUT("r1", "r9")                                                                       \
  "strd r8, r9, [sp]\n\t"
#define P2_FINISH_ACC                                                                                         \
  "adds r7, r7, #12\n\t"                                                                                      \
  "ldr r12, [sp, #24]\n\t"                                                                                    \
  "stm r12!, {r0, r1}\n\t"                                                                                    \
  "str r12, [sp, #24]\n\t"

/* A kernel: every channel of the table against the block's columns. `odd`: one single step after the first;
 * `loop`: then `pairs` double steps. */
#define KERNEL(name, first, odd, loop, finish)                                                                \
  static void name(block_args *args) {                                                                        \
    register block_args *a __asm__("r0") = args;                                                              \
    __asm__ volatile("ldr r7, [r0, #32]\n\t"                                                                  \
                     "ldm r0, {r1, r2, r3, r4, r5, r6, r8, r9}\n\t"                                           \
                     "push {r1, r2, r3, r4, r5, r6, r8, r9}\n\t"                                              \
                     "1:\n\t"                                                                                 \
                     "ldm r7!, {r3, r12}\n\t"                                                                 \
                     "ldrd r11, lr, [sp, #16]\n\t" first odd loop finish                                      \
                     "ldr r12, [sp, #28]\n\t"                                                                 \
                     "cmp r7, r12\n\t"                                                                        \
                     "bne 1b\n\t"                                                                             \
                     "add sp, sp, #32\n\t"                                                                    \
                     : "+r"(a)                                                                                \
                     :                                                                                        \
                     : "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "cc", \
                       "memory");                                                                             \
  }
#define KERNEL_SET(px, mode)                                                                                  \
  KERNEL(k##px##_##mode##_e, P##px##_FIRST, "", "", P##px##_FINISH_##mode)                                    \
  KERNEL(k##px##_##mode##_o, P##px##_FIRST, P##px##_STEP, "", P##px##_FINISH_##mode)                          \
  KERNEL(k##px##_##mode##_el, P##px##_FIRST, "", LOOP_OF(P##px##_STEP), P##px##_FINISH_##mode)                \
  KERNEL(k##px##_##mode##_ol, P##px##_FIRST, P##px##_STEP, LOOP_OF(P##px##_STEP), P##px##_FINISH_##mode)      \
  static kernel_fn *const k##px##_##mode[4] = {k##px##_##mode##_e, k##px##_##mode##_o, k##px##_##mode##_el,   \
                                               k##px##_##mode##_ol};
KERNEL_SET(4, FAST)
KERNEL_SET(4, ACC)
KERNEL_SET(2, FAST)
KERNEL_SET(2, ACC)

/* ------------------------------------------------------------------------------------- gathering */

typedef struct conv_call {
  const mcb_conv_params *p;
  const mcb_view_s8 *in;
  const mcb_filter_s8 *f;
  const int32_t *bias;
  const mcb_channel_quant *q;
  mcb_view_s8 *out;
  int32_t k, k4;   /* values per column; its words (4 values each, the last zero padded) */
  int32_t np;      /* pixels per block: 4, or 2 for columns too long for four */
  int32_t off2;    /* input offset in both halves */
  int8_t *stage;   /* one pixel's byte column (input channels not a multiple of 4), else NULL */
  int32_t *wpad;   /* the filter's last row, zero padded to whole words (k not a multiple of 4), else NULL */
  int fast;        /* the kernels requantize (FINISH_FAST) */
  int any_shift;   /* C requantization: mcb_dsp_rq_apply's any_shift, or EXACT */
  kernel_fn *kernel;
} conv_call;

/* n words of 4 input values from x into the column words at dst, dst + step, ... (offset added). */
static int32_t *unpack(int32_t *dst, const int8_t *x, int32_t n, int32_t off2, int32_t step) {
  for (; n > 0; --n) {
    const int32_t v = mcb_dsp_load4(x);
    x += 4;
    dst[0] = __sxtab16(off2, v);
    dst[1] = mcb_dsp_sxtab16_ror8(off2, v);
    dst += step;
  }
  return dst;
}

static int32_t *zero_words(int32_t *dst, int32_t n, int32_t step) {
  for (; n > 0; --n) {
    dst[0] = 0;
    dst[1] = 0;
    dst += step;
  }
  return dst;
}

/* Input pixel (iy, ix) of the view (inside it, checked by the shared check). */
static inline const int8_t *in_at(const mcb_view_s8 *in, int32_t iy, int32_t ix) {
  return in->data + ((iy - in->y0) * in->w + (ix - in->x0)) * in->c;
}

/* Column of output pixel (oy, ox) into dst (its first word; the next group 2 * np words on), input channels a
 * multiple of 4: every tap's values are whole words. */
static void gather_words(const conv_call *c, int32_t oy, int32_t ox, int32_t *dst) {
  const mcb_conv_params *p = c->p;
  const mcb_view_s8 *in = c->in;
  const mcb_filter_s8 *f = c->f;
  const int32_t step = 2 * c->np, tap_words = in->c >> 2, row_words = tap_words * f->w;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
  const int row_whole = p->dilation_w == 1 && ix0 >= 0 && ix0 + f->w <= in->full_w;
  int32_t ky, kx;
  for (ky = 0; ky < f->h; ++ky) {
    const int32_t iy = iy0 + p->dilation_h * ky;
    if (iy < 0 || iy >= in->full_h) {
      dst = zero_words(dst, row_words, step);
    } else if (row_whole) {
      dst = unpack(dst, in_at(in, iy, ix0), row_words, c->off2, step);
    } else {
      for (kx = 0; kx < f->w; ++kx) {
        const int32_t ix = ix0 + p->dilation_w * kx;
        dst = ix < 0 || ix >= in->full_w ? zero_words(dst, tap_words, step)
                                         : unpack(dst, in_at(in, iy, ix), tap_words, c->off2, step);
      }
    }
  }
}

static int8_t *copy_bytes(int8_t *dst, const int8_t *src, int32_t n) {
  for (; n >= 4; n -= 4, src += 4, dst += 4) mcb_dsp_store4(dst, mcb_dsp_load4(src));
  for (; n > 0; --n) *dst++ = *src++;
  return dst;
}

static int8_t *fill_bytes(int8_t *dst, int8_t v, int32_t n) {
  for (; n > 0; --n) *dst++ = v;
  return dst;
}

/* The same for other input channel counts: the column as bytes first, a padding tap (and the padding of the
 * last word) as the byte that the input offset turns into 0 (-offset, an int8 for offsets in [-127, 128]). */
static void gather_bytes(const conv_call *c, int32_t oy, int32_t ox, int32_t *dst) {
  const mcb_conv_params *p = c->p;
  const mcb_view_s8 *in = c->in;
  const mcb_filter_s8 *f = c->f;
  const int8_t pad = (int8_t)-p->input_offset;
  const int32_t row_bytes = f->w * in->c;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
  const int row_whole = p->dilation_w == 1 && ix0 >= 0 && ix0 + f->w <= in->full_w;
  int8_t *s = c->stage;
  int32_t ky, kx;
  for (ky = 0; ky < f->h; ++ky) {
    const int32_t iy = iy0 + p->dilation_h * ky;
    if (iy < 0 || iy >= in->full_h) {
      s = fill_bytes(s, pad, row_bytes);
    } else if (row_whole) {
      s = copy_bytes(s, in_at(in, iy, ix0), row_bytes);
    } else {
      for (kx = 0; kx < f->w; ++kx) {
        const int32_t ix = ix0 + p->dilation_w * kx;
        s = ix < 0 || ix >= in->full_w ? fill_bytes(s, pad, in->c) : copy_bytes(s, in_at(in, iy, ix), in->c);
      }
    }
  }
  fill_bytes(s, pad, 4 * c->k4 - c->k);
  unpack(dst, c->stage, c->k4, c->off2, 2 * c->np);
}

static inline int8_t *out_at(const conv_call *c, int32_t oy, int32_t ox) {
  return c->out->data + ((oy - c->out->y0) * c->out->w + (ox - c->out->x0)) * c->out->c;
}

/* The block of np pixels starting at pixel i of the region (row-major; the last pixel repeated past the end):
 * its columns into col, its output pointers into a->d. */
static void gather_block(const conv_call *c, const mcb_region *r, int32_t i, int32_t pixels, int32_t *col,
                         block_args *a) {
  const int32_t w = r->x1 - r->x0;
  int32_t p;
  for (p = 0; p < c->np; ++p) {
    const int32_t j = i + p < pixels ? i + p : pixels - 1;
    const int32_t oy = r->y0 + j / w, ox = r->x0 + j % w;
    if (c->stage) {
      gather_bytes(c, oy, ox, col + 2 * p);
    } else {
      gather_words(c, oy, ox, col + 2 * p);
    }
    a->d[p] = out_at(c, oy, ox);
  }
}

/* ------------------------------------------------------------------------------------- requantization */

/* C requantization: any_shift == EXACT takes the reference's own 64-bit arithmetic (a call with a channel
 * whose accumulator may reach 2^30, e.g. a "dead" channel with bias 2^30). */
#define EXACT 2
static inline int32_t out_value(int32_t acc, const mcb_dsp_rq *rq, int32_t lo, int32_t hi, int any_shift) {
  if (any_shift == EXACT) {
    return mcb_clamp(mcb_multiply_by_quantized_multiplier(acc, rq->mult, rq->shl - 1 - rq->shr) + rq->off, lo, hi);
  }
  return mcb_dsp_clamp(mcb_dsp_rq_apply(acc, rq, any_shift), lo, hi, 0);
}

/* The table of channels [oc0, oc1) (and, when C requantizes, their constants in rq). */
static void prepare_table(const conv_call *c, int32_t *tab, mcb_dsp_rq *rq, int32_t oc0, int32_t oc1) {
  const mcb_channel_quant *q = c->q;
  int32_t oc;
  for (oc = oc0; oc < oc1; ++oc, tab += TAB) {
    const int32_t qi = q->count == 1 ? 0 : oc;
    tab[0] = c->bias ? c->bias[oc] : 0;
    tab[1] = (int32_t)(intptr_t)(c->wpad && oc == c->f->out_c - 1 ? (const int8_t *)c->wpad : c->f->data + oc * c->k);
    if (c->fast) {
      const int32_t shr = -q->shift[qi];
      tab[2] = q->multiplier[qi];
      tab[3] = (int32_t)(((uint32_t)1 << (shr - 1)) + ((uint32_t)c->p->output_offset << shr));
      tab[4] = shr;
    } else {
      mcb_dsp_rq *r = &rq[oc - oc0];
      mcb_dsp_rq_init(r, q->multiplier[qi], q->shift[qi], 0);
      if (c->any_shift == EXACT) {
        r->off = c->p->output_offset; /* out_value's exact path adds it */
      } else {
        mcb_dsp_rq_fold_offset(r, c->p->output_offset);
      }
    }
  }
}

/* Channels [oc0, oc1) of a block whose columns are in col (a->d at channel 0). */
static void run_block(const conv_call *c, block_args *a, const int32_t *tab, const mcb_dsp_rq *rq, int32_t *acc,
                      int32_t oc0, int32_t oc1) {
  block_args b = *a;
  int32_t p;
  for (p = 0; p < c->np; ++p) b.d[p] += oc0;
  b.tab = tab;
  b.end = tab + TAB * (oc1 - oc0);
  b.acc = acc;
  c->kernel(&b);
  if (!c->fast) {
    const int32_t lo = c->p->act_min, hi = c->p->act_max;
    int32_t oc;
    for (oc = 0; oc < oc1 - oc0; ++oc, acc += c->np) {
      for (p = 0; p < c->np; ++p) {
        a->d[p][oc0 + oc] = (int8_t)out_value(acc[p], &rq[oc], lo, hi, c->any_shift);
      }
    }
  }
}

mcb_status mcb_conv_2d_s8_dsp(const mcb_conv_params *params, const mcb_channel_quant *quant,
                              const mcb_view_s8 *input, const mcb_filter_s8 *filter, const int32_t *bias,
                              mcb_view_s8 *output, const mcb_region *region, const mcb_context *ctx) {
  int32_t col[COL_WORDS] __attribute__((aligned(8))); /* the block's columns, then the staging areas */
  union {
    int32_t tab[CHUNK * TAB];
    struct {
      int32_t tab[ACC_CHUNK * TAB];
      mcb_dsp_rq rq[ACC_CHUNK];
      int32_t acc[ACC_CHUNK * 4];
    } c;
  } u;
  int32_t *tab;
  mcb_dsp_rq *rq = NULL;
  int32_t *acc = NULL;
  block_args a;
  mcb__window_call call;
  conv_call c;
  mcb_dsp_rq probe;
  int64_t bound;
  int32_t oc0, pixels, i, chunk, words, extra;
  int exact = 0, any_shift = 0, fast;
  if (mcb__conv_2d_s8_check(params, quant, input, filter, output, region, ctx, &call) != MCB_OK || call.empty ||
      filter->in_c != input->c || (int64_t)filter->h * filter->w * filter->in_c > 4 * COL_WORDS) {
    return MCB_ERR_UNSUPPORTED;
  }
  c.p = params;
  c.in = input;
  c.f = filter;
  c.bias = bias;
  c.q = quant;
  c.out = output;
  c.k = filter->h * filter->w * filter->in_c;
  c.k4 = (c.k + 3) >> 2;
  c.off2 = (int32_t)(((uint32_t)params->input_offset & 0xFFFFu) | ((uint32_t)params->input_offset << 16));
  /* Staging after the columns: the byte column, the padded last filter row. */
  extra = ((input->c & 3) ? c.k4 : 0) + ((c.k & 3) ? c.k4 : 0);
  words = 8 * c.k4 + extra <= COL_WORDS ? 8 * c.k4 : 4 * c.k4;
  if (words + extra > COL_WORDS) {
    return MCB_ERR_UNSUPPORTED;
  }
  c.np = words / (2 * c.k4);
  c.stage = (input->c & 3) ? (int8_t *)(col + words) : NULL;
  c.wpad = (c.k & 3) ? col + words + ((input->c & 3) ? c.k4 : 0) : NULL;
  /* |sum w * (x + offset)| <= k * 128 * 255. */
  bound = (int64_t)c.k * 128 * 255;
  /* Every channel must have a requantization that reproduces the reference before anything is written. */
  fast = params->act_min == -128 && params->act_max == 127;
  for (oc0 = 0; oc0 < filter->out_c; ++oc0) {
    const int32_t qi = quant->count == 1 ? 0 : oc0;
    const int64_t b = bias ? (bias[oc0] < 0 ? -(int64_t)bias[oc0] : bias[oc0]) : 0;
    if (!mcb_dsp_rq_init(&probe, quant->multiplier[qi], quant->shift[qi], bound + b) &&
        !mcb_dsp_rq_init(&probe, quant->multiplier[qi], quant->shift[qi],
                         mcb_dsp_abs_sum(filter->data + (int64_t)oc0 * c.k, c.k) * 255 + b)) {
      /* not even the channel's own |weights| bound keeps the fast requantization exact */
      exact = 1;
      fast = 0;
      continue;
    }
    if (!mcb_dsp_rq_fold_offset(&probe, params->output_offset)) {
      any_shift = 1;
      fast = 0;
    }
    if (probe.shl != 1 || probe.shr < 1 || probe.mult <= 0) fast = 0;
  }
  c.fast = fast;
  c.any_shift = exact ? EXACT : any_shift;
  if (fast) {
    tab = u.tab;
    chunk = CHUNK;
  } else {
    tab = u.c.tab;
    rq = u.c.rq;
    acc = u.c.acc;
    chunk = ACC_CHUNK;
  }
  {
    const int32_t steps = c.k4 - 1;
    const int variant = (steps & 1) + (steps >= 2 ? 2 : 0);
    a.pairs = steps >> 1;
    a.col = col;
    c.kernel = c.np == 4 ? (fast ? k4_FAST : k4_ACC)[variant] : (fast ? k2_FAST : k2_ACC)[variant];
  }
  if (c.wpad) {
    /* The last row, zero padded: its words never read past the filter. */
    memset(c.wpad, 0, 4 * (size_t)c.k4);
    memcpy(c.wpad, filter->data + (filter->out_c - 1) * c.k, (size_t)c.k);
  }
  pixels = (call.r.y1 - call.r.y0) * (call.r.x1 - call.r.x0);
  if (!call.inplace || filter->out_c <= chunk) {
    /* Channel chunks outside: each table prepared once, the columns gathered again per chunk. */
    for (oc0 = 0; oc0 < filter->out_c; oc0 += chunk) {
      const int32_t oc1 = filter->out_c - oc0 > chunk ? oc0 + chunk : filter->out_c;
      prepare_table(&c, tab, rq, oc0, oc1);
      for (i = 0; i < pixels; i += c.np) {
        gather_block(&c, &call.r, i, pixels, col, &a);
        run_block(&c, &a, tab, rq, acc, oc0, oc1);
      }
    }
  } else {
    /* In place with more channels than a table: a block's input is gathered once, before any of its outputs
     * overwrite it, and every table is prepared again per block. */
    for (i = 0; i < pixels; i += c.np) {
      gather_block(&c, &call.r, i, pixels, col, &a);
      for (oc0 = 0; oc0 < filter->out_c; oc0 += chunk) {
        const int32_t oc1 = filter->out_c - oc0 > chunk ? oc0 + chunk : filter->out_c;
        prepare_table(&c, tab, rq, oc0, oc1);
        run_block(&c, &a, tab, rq, acc, oc0, oc1);
      }
    }
  }
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_conv_2d_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
