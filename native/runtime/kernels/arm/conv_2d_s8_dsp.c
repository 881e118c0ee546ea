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
#define COL_WORDS 1472 /* stack words for the columns and tables (5.75 KiB): 4 pixels of k <= 588 */
#endif
#ifndef CHUNK
#define CHUNK 1024 /* at most this many channels in the fast and wide tables (the test shrinks it) */
#endif
/* At most this many channels in the special table (requantized in C). */
#define ACC_CHUNK (CHUNK < 64 ? (CHUNK / 4 > 0 ? CHUNK / 4 : 1) : 16)
/* Words per channel in the kernels' tables: bias, weight row, multiplier, rounding constant + offset, shift,
 * output channel (fast table); bias, weight row, requantization mode, -, -, output channel (special table). */
#define TAB 6

/* What the assembly kernels read (offsets fixed in the assembly: keep the order). */
typedef struct block_args {
  int8_t *d[4];         /* 0: output pointers of the block's pixels (channel 0) */
  const int32_t *col;   /* 16: the block's interleaved columns */
  int32_t pairs;        /* 20: double steps after the first (and the odd) column word */
  int32_t *acc;         /* 24: raw accumulators (kernels that leave requantization to C) */
  const int32_t *end;   /* 28: the table's end */
  int32_t offset;       /* 32: output offset (FINISH_WIDE) */
  const int32_t *tab;   /* 36: the table */
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

/* One output: accumulator `a` requantized (M r4, H r5, shift r6; see the file comment), saturated, stored at
 * channel r12 of pixel pointer `d`. */
#define RQ_OUT(a, d)                                                                                          \
  "lsl lr, " a ", #1\n\t"                                                                                     \
  "smmlar lr, lr, r4, r5\n\t"                                                                                 \
  "add lr, lr, " a ", asr #31\n\t"                                                                            \
  "asr lr, lr, r6\n\t"                                                                                        \
  "ssat lr, #8, lr\n\t"                                                                                       \
  "strb lr, [" d ", r12]\n\t"

#define P4_FINISH_FAST                                                                                        \
  "ldm r7!, {r4, r5, r6, r12}\n\t"                                                                            \
  "ldm sp, {r8, r9, r10, r11}\n\t"                                                                            \
  RQ_OUT("r0", "r8") RQ_OUT("r1", "r9") RQ_OUT("r2", "r10") RQ_OUT("r3", "r11")
/* One output of a channel with any accumulator (M r4 > 0, right shift e >= 2; see the file comment): the
 * 64-bit rounding constant K - [acc < 0] 2^31 (K = 2^30 + 2^(e+30); its low word is 2^30, so the sign bit goes
 * into the low word and -[acc < 0] into the high word K_hi r5) plus acc * M by SMLAL, the high word shifted right
 * by e - 1 (r6), plus the output offset (r10), saturated into `a`. */
#define WIDE_OUT(a)                                                                                           \
  "and r8, " a ", #0x80000000\n\t"                                                                            \
  "orr r8, r8, #0x40000000\n\t"                                                                              \
  "add r9, r5, " a ", asr #31\n\t"                                                                            \
  "smlal r8, r9, " a ", r4\n\t"                                                                               \
  "asr r9, r9, r6\n\t"                                                                                        \
  "add r9, r9, r10\n\t"                                                                                       \
  "ssat " a ", #8, r9\n\t"
#define P4_FINISH_WIDE                                                                                        \
  "ldm r7!, {r4, r5, r6, r12}\n\t"                                                                            \
  "ldr r10, [sp, #32]\n\t"                                                                                    \
  WIDE_OUT("r0") WIDE_OUT("r1") WIDE_OUT("r2") WIDE_OUT("r3")                                                 \
  "ldm sp, {r8, r9, r10, r11}\n\t"                                                                            \
  "strb r0, [r8, r12]\n\t"                                                                                    \
  "strb r1, [r9, r12]\n\t"                                                                                    \
  "strb r2, [r10, r12]\n\t"                                                                                   \
  "strb r3, [r11, r12]\n\t"
#define P2_FINISH_WIDE                                                                                        \
  "ldm r7!, {r4, r5, r6, r12}\n\t"                                                                            \
  "ldr r10, [sp, #32]\n\t"                                                                                    \
  WIDE_OUT("r0") WIDE_OUT("r1")                                                                               \
  "ldrd r8, r9, [sp]\n\t"                                                                                     \
  "strb r0, [r8, r12]\n\t"                                                                                    \
  "strb r1, [r9, r12]\n\t"
#define P4_FINISH_ACC                                                                                         \
  "adds r7, r7, #16\n\t"                                                                                      \
  "ldr r12, [sp, #24]\n\t"                                                                                    \
  "stm r12!, {r0, r1, r2, r3}\n\t"                                                                            \
  "str r12, [sp, #24]\n\t"
#define P2_FINISH_FAST                                                                                        \
  "ldm r7!, {r4, r5, r6, r12}\n\t"                                                                            \
  "ldrd r8, r9, [sp]\n\t"                                                                                     \
  RQ_OUT("r0", "r8") RQ_OUT("r1", "r9")
#define P2_FINISH_ACC                                                                                         \
  "adds r7, r7, #16\n\t"                                                                                      \
  "ldr r12, [sp, #24]\n\t"                                                                                    \
  "stm r12!, {r0, r1}\n\t"                                                                                    \
  "str r12, [sp, #24]\n\t"

/* A kernel: every channel of the table against the block's columns. `odd`: one single step after the first;
 * `loop`: then `pairs` double steps. */
#define KERNEL(name, first, odd, loop, finish)                                                                \
  static void name(block_args *args) {                                                                        \
    register block_args *a __asm__("r0") = args;                                                              \
    __asm__ volatile("ldr r7, [r0, #36]\n\t"                                                                  \
                     "ldm r0, {r1, r2, r3, r4, r5, r6, r8, r9, r10}\n\t"                                      \
                     "push {r1, r2, r3, r4, r5, r6, r8, r9, r10}\n\t"                                         \
                     "1:\n\t"                                                                                 \
                     "ldm r7!, {r3, r12}\n\t"                                                                 \
                     "ldrd r11, lr, [sp, #16]\n\t" first odd loop finish                                      \
                     "ldr r12, [sp, #28]\n\t"                                                                 \
                     "cmp r7, r12\n\t"                                                                        \
                     "bne 1b\n\t"                                                                             \
                     "add sp, sp, #36\n\t"                                                                    \
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
KERNEL_SET(4, WIDE)
KERNEL_SET(4, ACC)
KERNEL_SET(2, FAST)
KERNEL_SET(2, WIDE)
KERNEL_SET(2, ACC)

/* ------------------------------------------------------------------------------------- gathering */

typedef struct conv_call {
  const mcb_conv_params *p;
  const mcb_view_s8 *in;
  const mcb_filter_s8 *f;
  const int32_t *bias;
  const mcb_channel_quant *q;
  mcb_view_s8 *out;
  const mcb_region *r;
  int32_t k, k4;   /* values per column; its words (4 values each, the last zero padded) */
  int32_t np;      /* pixels per block: 4 (2 for the last one or two pixels), or 2 for long columns */
  int32_t off2;    /* input offset in both halves */
  int8_t *stage;   /* one pixel's byte column (input channels not a multiple of 4), else NULL */
  int32_t *wpad;   /* the filter's last row, zero padded to whole words (k not a multiple of 4), else NULL */
  /* Output pixels whose taps all lie inside the input: rows [oy_lo, oy_hi), columns [ox_lo, ox_hi). Their
   * receptive field is f->h rows (row_step bytes apart in the view) of runs contiguous bytes each (run_bytes,
   * the next run tap_step bytes on). */
  int32_t oy_lo, oy_hi, ox_lo, ox_hi;
  int32_t row_step, runs, run_bytes, tap_step;
  /* Receptive field origin of output pixel (oy, ox): origin + oy * origin_y + ox * origin_x (interior pixels);
   * its output bytes: out0 + oy * out_y + ox * out_x. */
  const int8_t *origin;
  int32_t origin_y, origin_x;
  int8_t *out0;
  int32_t out_y, out_x;
  void (*gather)(const struct conv_call *c, int32_t *cursor_y, int32_t *cursor_x, int32_t n, int32_t np,
                 int32_t *col, block_args *a);
  kernel_fn *fast_kernel[2]; /* per block size (index np / 4): requantize in the loop */
  kernel_fn *wide_kernel[2];
  kernel_fn *acc_kernel[2];  /* leave the raw accumulators to C (FINISH_ACC) */
} conv_call;

/* n words of 4 input values from x into the column words dst[0..1], dst[step..step+1], ... with the input
 * offset added; returns the next free column word. Two words per iteration (5 instructions a word). */
#define UNPACK_FN(name, step_bytes)                                                                           \
  MCB_DSP_INLINE int32_t *name(int32_t *dst, const int8_t *x, int32_t n, int32_t off2) {                             \
    int32_t v0, v1, e;                                                                                        \
    __asm__ volatile("subs %[n], %[n], #2\n\t"                                                                \
                     "blt 2f\n\t"                                                                             \
                     "1:\n\t"                                                                                 \
                     "ldr %[v0], [%[x]], #4\n\t"                                                              \
                     "ldr %[v1], [%[x]], #4\n\t"                                                              \
                     "sxtab16 %[e], %[off], %[v0]\n\t"                                                        \
                     "sxtab16 %[v0], %[off], %[v0], ror #8\n\t"                                               \
                     "strd %[e], %[v0], [%[d]], #" #step_bytes "\n\t"                                         \
                     "sxtab16 %[e], %[off], %[v1]\n\t"                                                        \
                     "sxtab16 %[v1], %[off], %[v1], ror #8\n\t"                                               \
                     "strd %[e], %[v1], [%[d]], #" #step_bytes "\n\t"                                         \
                     "subs %[n], %[n], #2\n\t"                                                                \
                     "bge 1b\n\t"                                                                             \
                     "2:\n\t"                                                                                 \
                     "adds %[n], %[n], #2\n\t"                                                                \
                     "beq 3f\n\t"                                                                             \
                     "ldr %[v0], [%[x]], #4\n\t"                                                              \
                     "sxtab16 %[e], %[off], %[v0]\n\t"                                                        \
                     "sxtab16 %[v0], %[off], %[v0], ror #8\n\t"                                               \
                     "strd %[e], %[v0], [%[d]], #" #step_bytes "\n\t"                                         \
                     "3:\n\t"                                                                                 \
                     : [d] "+r"(dst), [x] "+r"(x), [n] "+r"(n), [v0] "=&r"(v0), [v1] "=&r"(v1), [e] "=&r"(e)  \
                     : [off] "r"(off2)                                                                        \
                     : "cc", "memory");                                                                       \
    return dst;                                                                                               \
  }
UNPACK_FN(unpack_p4, 32)
UNPACK_FN(unpack_p2, 16)

static inline int32_t *unpack(int32_t *dst, const int8_t *x, int32_t n, int32_t off2, int32_t np) {
  return n <= 0 ? dst : np == 4 ? unpack_p4(dst, x, n, off2) : unpack_p2(dst, x, n, off2);
}

static int32_t *zero_words(int32_t *dst, int32_t n, int32_t np) {
  for (; n > 0; --n) {
    dst[0] = 0;
    dst[1] = 0;
    dst += 2 * np;
  }
  return dst;
}

/* Input pixel (iy, ix) of the view (inside it, checked by the shared check). */
static inline const int8_t *in_at(const mcb_view_s8 *in, int32_t iy, int32_t ix) {
  return in->data + ((iy - in->y0) * in->w + (ix - in->x0)) * in->c;
}

/* Short runs: word moves (unaligned LDR/STR are fine on ARMv7-M), then bytes. The empty asm keeps GCC from
 * turning the loops into memcpy / memset calls, which cost more than these few bytes. */
static inline int8_t *copy_bytes(int8_t *dst, const int8_t *src, int32_t n) {
  for (; n >= 4; n -= 4, src += 4, dst += 4) {
    __asm__("" : "+r"(dst));
    mcb_dsp_store4(dst, mcb_dsp_load4(src));
  }
  switch (n) {
    case 3: dst[2] = src[2]; /* fall through */
    case 2: dst[1] = src[1]; /* fall through */
    case 1: dst[0] = src[0]; /* fall through */
    default: break;
  }
  return dst + n;
}

static inline int8_t *fill_bytes(int8_t *dst, int8_t v, int32_t n) {
  const int32_t v4 = (int32_t)((uint32_t)(uint8_t)v * 0x01010101u);
  for (; n >= 4; n -= 4, dst += 4) {
    __asm__("" : "+r"(dst));
    mcb_dsp_store4(dst, v4);
  }
  switch (n) {
    case 3: dst[2] = v; /* fall through */
    case 2: dst[1] = v; /* fall through */
    case 1: dst[0] = v; /* fall through */
    default: break;
  }
  return dst + n;
}

/* Column of an interior output pixel (every tap inside the input) whose receptive field starts at o. */
MCB_DSP_INLINE void gather_inside(const conv_call *c, const int8_t *o, int32_t *dst, int32_t np) {
  const int32_t rows = c->f->h, runs = c->runs, row_step = c->row_step, tap_step = c->tap_step, off2 = c->off2;
  int32_t ky, r;
  if (c->stage == NULL) {
    const int32_t words = c->run_bytes >> 2;
    for (ky = 0; ky < rows; ++ky, o += row_step) {
      for (r = 0; r < runs; ++r) {
        dst = np == 4 ? unpack_p4(dst, o + r * tap_step, words, off2) : unpack_p2(dst, o + r * tap_step, words, off2);
      }
    }
  } else {
    const int32_t run_bytes = c->run_bytes;
    int8_t *s = c->stage;
    for (ky = 0; ky < rows; ++ky, o += row_step) {
      for (r = 0; r < runs; ++r) s = copy_bytes(s, o + r * tap_step, run_bytes);
    }
    fill_bytes(s, (int8_t)-c->p->input_offset, 4 * c->k4 - c->k);
    if (np == 4) {
      unpack_p4(dst, c->stage, c->k4, off2);
    } else {
      unpack_p2(dst, c->stage, c->k4, off2);
    }
  }
}

/* Column of any output pixel (oy, ox): padding taps are 0 (as words), or -offset (as bytes, an int8 for
 * offsets in [-127, 128]) which the unpacking turns into 0; so is the padding of the last word. */
static void gather_edge(const conv_call *c, int32_t oy, int32_t ox, int32_t *dst, int32_t np) {
  const mcb_conv_params *p = c->p;
  const mcb_view_s8 *in = c->in;
  const mcb_filter_s8 *f = c->f;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
  const int8_t pad = (int8_t)-p->input_offset;
  int8_t *s = c->stage;
  int32_t ky, kx;
  for (ky = 0; ky < f->h; ++ky) {
    const int32_t iy = iy0 + p->dilation_h * ky;
    for (kx = 0; kx < f->w; ++kx) {
      const int32_t ix = ix0 + p->dilation_w * kx;
      const int inside = iy >= 0 && iy < in->full_h && ix >= 0 && ix < in->full_w;
      if (s == NULL) {
        dst = inside ? unpack(dst, in_at(in, iy, ix), in->c >> 2, c->off2, np) : zero_words(dst, in->c >> 2, np);
      } else {
        s = inside ? copy_bytes(s, in_at(in, iy, ix), in->c) : fill_bytes(s, pad, in->c);
      }
    }
  }
  if (s != NULL) {
    fill_bytes(s, pad, 4 * c->k4 - c->k);
    unpack(dst, c->stage, c->k4, c->off2, np);
  }
}

/* gather_block for a 1x1 conv without padding whose input channels are a multiple of 4 (every pixel interior,
 * one run per column): the common case, kept to a few instructions per pixel. */
static void gather_block_pointwise(const conv_call *c, int32_t *cursor_y, int32_t *cursor_x, int32_t n, int32_t np,
                                   int32_t *col, block_args *a) {
  const int32_t words = c->k4, off2 = c->off2, x0 = c->r->x0, x1 = c->r->x1;
  const int32_t origin_y = c->origin_y, origin_x = c->origin_x, out_y = c->out_y, out_x = c->out_x;
  const int8_t *const origin = c->origin;
  int8_t *const out0 = c->out0;
  int32_t oy = *cursor_y, ox = *cursor_x, p;
  const int32_t m = n < np ? n : np;
  for (p = 0; p < m; ++p) {
    const int8_t *o = origin + oy * origin_y + ox * origin_x;
    if (np == 4) {
      unpack_p4(col + 2 * p, o, words, off2);
    } else {
      unpack_p2(col + 2 * p, o, words, off2);
    }
    a->d[p] = out0 + oy * out_y + ox * out_x;
    if (++ox == x1) {
      ox = x0;
      ++oy;
    }
  }
  for (; p < np; ++p) {
    /* past the end: the last pixel again (same column, same output bytes) */
    int32_t g;
    for (g = 0; g < words; ++g) {
      col[2 * np * g + 2 * p] = col[2 * np * g + 2 * (m - 1)];
      col[2 * np * g + 2 * p + 1] = col[2 * np * g + 2 * (m - 1) + 1];
    }
    a->d[p] = a->d[m - 1];
  }
  *cursor_y = oy;
  *cursor_x = ox;
}

/* f->h rows of `words` words each, row_step bytes apart, from o into the column at dst. */
static void rows_words(int32_t *dst, const int8_t *o, int32_t rows, int32_t words, int32_t row_step, int32_t off2,
                       int32_t np) {
  if (np == 4) {
    for (; rows > 0; --rows, o += row_step) dst = unpack_p4(dst, o, words, off2);
  } else {
    for (; rows > 0; --rows, o += row_step) dst = unpack_p2(dst, o, words, off2);
  }
}

/* The same through the byte column: rows of run_bytes bytes, then the padding of the last word. */
static void rows_bytes(int32_t *dst, const int8_t *o, int32_t rows, int32_t run_bytes, int32_t row_step,
                       const conv_call *c, int32_t np) {
  int8_t *s = c->stage;
  for (; rows > 0; --rows, o += row_step) s = copy_bytes(s, o, run_bytes);
  fill_bytes(s, (int8_t)-c->p->input_offset, 4 * c->k4 - c->k);
  if (np == 4) {
    unpack_p4(dst, c->stage, c->k4, c->off2);
  } else {
    unpack_p2(dst, c->stage, c->k4, c->off2);
  }
}

/* The block of np pixels from the cursor (oy, ox) on, n of them left in the region (the last one repeated
 * past the end): their columns into col, their output pointers into a->d; the cursor moves past them. */
static void gather_block(const conv_call *c, int32_t *cursor_y, int32_t *cursor_x, int32_t n, int32_t np,
                         int32_t *col, block_args *a) {
  const int32_t oy_lo = c->oy_lo, oy_hi = c->oy_hi, ox_lo = c->ox_lo, ox_hi = c->ox_hi, x0 = c->r->x0, x1 = c->r->x1;
  const int32_t rows = c->f->h, run_bytes = c->run_bytes, row_step = c->row_step;
  const int one_run = c->runs == 1, words = c->stage == NULL;
  const int32_t m = n < np ? n : np;
  int32_t oy = *cursor_y, ox = *cursor_x, p;
  for (p = 0; p < m; ++p) {
    int32_t *dst = col + 2 * p;
    if (oy >= oy_lo && oy < oy_hi && ox >= ox_lo && ox < ox_hi) {
      const int8_t *o = c->origin + oy * c->origin_y + ox * c->origin_x;
      if (one_run && words) {
        rows_words(dst, o, rows, run_bytes >> 2, row_step, c->off2, np);
      } else if (one_run) {
        rows_bytes(dst, o, rows, run_bytes, row_step, c, np);
      } else {
        gather_inside(c, o, dst, np);
      }
    } else {
      gather_edge(c, oy, ox, dst, np);
    }
    a->d[p] = c->out0 + oy * c->out_y + ox * c->out_x;
    if (++ox == x1) {
      ox = x0;
      ++oy;
    }
  }
  for (; p < np; ++p) {
    /* past the end: the last pixel again (same column, same output bytes) */
    int32_t g;
    for (g = 0; g < c->k4; ++g) {
      col[2 * np * g + 2 * p] = col[2 * np * g + 2 * (m - 1)];
      col[2 * np * g + 2 * p + 1] = col[2 * np * g + 2 * (m - 1) + 1];
    }
    a->d[p] = a->d[m - 1];
  }
  *cursor_y = oy;
  *cursor_x = ox;
}

/* First output index o with o * stride - pad + reach <= limit - 1 failing, given the first that passes
 * o * stride - pad >= 0: the interior range [lo, hi) of one axis (empty when the kernel never fits). */
static void interior(int32_t stride, int32_t pad, int32_t reach, int32_t full, int32_t *lo, int32_t *hi) {
  const int32_t last = full - 1 - reach + pad; /* o * stride <= last */
  *lo = (pad + stride - 1) / stride;
  *hi = last < 0 ? 0 : last / stride + 1;
  if (*hi < *lo) *hi = *lo;
}

/* ------------------------------------------------------------------------------------- requantization */

/* C requantization of a special channel: any_shift == EXACT takes the reference's own 64-bit arithmetic (a
 * channel whose accumulator may reach 2^30, e.g. a "dead" channel with bias 2^30 and a tiny scale). */
#define EXACT 2
static inline int32_t out_value(int32_t acc, const mcb_dsp_rq *rq, int32_t lo, int32_t hi, int mode) {
  if (mode == EXACT) {
    return mcb_clamp(mcb_multiply_by_quantized_multiplier(acc, rq->mult, rq->shl - 1 - rq->shr) + rq->off, lo, hi);
  }
  return mcb_dsp_clamp(mcb_dsp_rq_apply(acc, rq, 1), lo, hi, 0);
}

/* A chunk of output channels split into the kernels' three tables. */
typedef struct chunk {
  int32_t *tabs;      /* cap entries: the fast table from the front, the wide one from the back */
  int32_t *special;   /* the special table (ACC_CHUNK entries) */
  mcb_dsp_rq *rq;     /* the special channels' constants */
  int32_t *acc;       /* their raw accumulators, np per channel */
  int32_t cap, special_cap, nfast, nwide, nspecial;
} chunk;

/* Fills the tables from channel oc0 on, until one is full; returns the first channel left out. A channel goes
 * to the fast table when FINISH_FAST reproduces the reference for it (a multiplier of 0 always does: the
 * constant H = 2 offset + 1 with shift 1 gives the offset for either sign), else to the wide table when
 * FINISH_WIDE does (any accumulator: the "dead" channels of bias 2^30 and a tiny scale), else to the special
 * one (C). */
enum { FAST_CHANNEL, WIDE_CHANNEL, SPECIAL_CHANNEL };

/* Which table channel oc goes to; *ok: mcb_dsp_rq_init took the k * 128 * 255 bound (into *r). */
static int classify(const conv_call *c, int32_t oc, mcb_dsp_rq *r, int *ok) {
  const int32_t qi = c->q->count == 1 ? 0 : oc;
  const int32_t mult = c->q->multiplier[qi], shift = c->q->shift[qi];
  const int32_t b = c->bias ? c->bias[oc] : 0;
  const int full = c->p->act_min == -128 && c->p->act_max == 127;
  *ok = mcb_dsp_rq_init(r, mult, shift, (int64_t)c->k * 128 * 255 + (b < 0 ? -(int64_t)b : b));
  if (full && (mult == 0 || (*ok && shift <= -1 && shift >= -21 && mult > 0))) return FAST_CHANNEL;
  if (full && mult > 0 && shift <= -2) return WIDE_CHANNEL;
  return SPECIAL_CHANNEL;
}

static int32_t prepare_chunk(const conv_call *c, chunk *t, int32_t oc0) {
  const mcb_channel_quant *q = c->q;
  const int32_t offset = c->p->output_offset;
  int32_t oc;
  t->nfast = t->nwide = t->nspecial = 0;
  for (oc = oc0; oc < c->f->out_c; ++oc) {
    const int32_t qi = q->count == 1 ? 0 : oc;
    const int32_t mult = q->multiplier[qi], shift = q->shift[qi];
    const int32_t b = c->bias ? c->bias[oc] : 0;
    const int64_t babs = b < 0 ? -(int64_t)b : b;
    const int8_t *w = c->wpad && oc == c->f->out_c - 1 ? (const int8_t *)c->wpad : c->f->data + oc * c->k;
    int32_t *e;
    mcb_dsp_rq r;
    int ok;
    const int kind = classify(c, oc, &r, &ok);
    if (kind == FAST_CHANNEL) {
      if (t->nfast + t->nwide == t->cap) break;
      e = t->tabs + TAB * t->nfast++;
      e[2] = mult;
      e[3] = mult == 0 ? 2 * offset + 1 : (int32_t)(((uint32_t)1 << (-shift - 1)) + ((uint32_t)offset << -shift));
      e[4] = mult == 0 ? 1 : -shift;
    } else if (kind == WIDE_CHANNEL) {
      if (t->nfast + t->nwide == t->cap) break;
      e = t->tabs + TAB * (t->cap - ++t->nwide);
      e[2] = mult;
      e[3] = (int32_t)1 << (-shift - 2); /* K_hi: 2^(e+30) / 2^32 */
      e[4] = -shift - 1;
    } else {
      if (t->nspecial == t->special_cap) break;
      ok = ok || mcb_dsp_rq_init(&r, mult, shift, mcb_dsp_abs_sum(c->f->data + oc * c->k, c->k) * 255 + babs);
      if (!ok) {
        mcb_dsp_rq_init(&r, mult, shift, 0);
        r.off = offset; /* out_value's exact path adds it */
      } else {
        mcb_dsp_rq_fold_offset(&r, offset); /* else the offset stays in r.off for the any_shift path */
      }
      t->rq[t->nspecial] = r;
      e = t->special + TAB * t->nspecial++;
      e[2] = ok ? 1 : EXACT;
    }
    e[0] = b;
    e[1] = (int32_t)(intptr_t)w;
    e[5] = oc;
  }
  return oc;
}

/* The chunk's channels of a block of np pixels whose columns are in a->col and output pixels in a->d. */
static void run_block(const conv_call *c, block_args *a, const chunk *t, int32_t np) {
  if (t->nfast > 0) {
    a->tab = t->tabs;
    a->end = t->tabs + TAB * t->nfast;
    c->fast_kernel[np >> 2](a);
  }
  if (t->nwide > 0) {
    a->tab = t->tabs + TAB * (t->cap - t->nwide);
    a->end = t->tabs + TAB * t->cap;
    c->wide_kernel[np >> 2](a);
  }
  if (t->nspecial > 0) {
    const int32_t lo = c->p->act_min, hi = c->p->act_max;
    const int32_t *acc = t->acc;
    int32_t j, p;
    a->tab = t->special;
    a->end = t->special + TAB * t->nspecial;
    a->acc = t->acc;
    c->acc_kernel[np >> 2](a);
    for (j = 0; j < t->nspecial; ++j, acc += np) {
      const int32_t *e = t->special + TAB * j;
      for (p = 0; p < np; ++p) {
        a->d[p][e[5]] = (int8_t)out_value(acc[p], &t->rq[j], lo, hi, e[2]);
      }
    }
  }
}

/* Stack words per special channel: its table entry, accumulators and constants. */
#define SPECIAL_WORDS (TAB + 4 + (int32_t)(sizeof(mcb_dsp_rq) / 4))

/* Channels of the call that go to the special table (at most ACC_CHUNK counted). */
static int32_t count_special(const conv_call *c) {
  int32_t oc, n = 0;
  for (oc = 0; oc < c->f->out_c && n < ACC_CHUNK; ++oc) {
    mcb_dsp_rq r;
    int ok;
    n += classify(c, oc, &r, &ok) == SPECIAL_CHANNEL;
  }
  return n;
}

/* Words of the stack area a block of np pixels leaves for the fast and wide tables (negative: no room). */
static int32_t table_room(const conv_call *c, int32_t np, int32_t extra, int32_t special_cap) {
  return COL_WORDS - 2 * np * c->k4 - extra - special_cap * SPECIAL_WORDS;
}

/* Estimated instructions of the call with np pixels per block (kernel loop, per-channel overhead, gathers). */
static int64_t estimate(const conv_call *c, int32_t np, int32_t pixels, int32_t cap) {
  const int64_t blocks = (pixels + np - 1) / np, out_c = c->f->out_c;
  const int64_t per_channel = np == 4 ? 13 * (int64_t)c->k4 + 31 : 8 * (int64_t)c->k4 + 19;
  return blocks * (out_c * per_channel + (out_c + cap - 1) / cap * np * c->k4 * 5);
}

mcb_status mcb_conv_2d_s8_dsp(const mcb_conv_params *params, const mcb_channel_quant *quant,
                              const mcb_view_s8 *input, const mcb_filter_s8 *filter, const int32_t *bias,
                              mcb_view_s8 *output, const mcb_region *region, const mcb_context *ctx) {
  /* The block's columns, the staging areas, the special channels' table, constants and accumulators, and the
   * fast table in what is left. */
  int32_t mem[COL_WORDS] __attribute__((aligned(8)));
  int32_t *at;
  block_args a;
  mcb__window_call call;
  conv_call c;
  chunk t;
  int32_t oc0, pixels, i, extra, room4, room2, steps, variant;
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
  pixels = (call.r.y1 - call.r.y0) * (call.r.x1 - call.r.x0);
  extra = ((input->c & 3) ? c.k4 : 0) + ((c.k & 3) ? c.k4 : 0);
  t.special_cap = count_special(&c);
  room4 = table_room(&c, 4, extra, t.special_cap) / TAB;
  room2 = table_room(&c, 2, extra, t.special_cap) / TAB;
  if (room2 < 1) {
    return MCB_ERR_UNSUPPORTED;
  }
  if (room4 > CHUNK) room4 = CHUNK;
  if (room2 > CHUNK) room2 = CHUNK;
  c.np = room4 >= 1 && estimate(&c, 4, pixels, room4) <= estimate(&c, 2, pixels, room2) ? 4 : 2;
  t.cap = c.np == 4 ? room4 : room2;
  at = mem + 2 * c.np * c.k4;
  c.stage = (input->c & 3) ? (int8_t *)at : NULL;
  at += (input->c & 3) ? c.k4 : 0;
  c.wpad = (c.k & 3) ? at : NULL;
  at += (c.k & 3) ? c.k4 : 0;
  t.special = at;
  at += t.special_cap * TAB;
  t.acc = at;
  at += t.special_cap * 4;
  t.rq = (mcb_dsp_rq *)at;
  at += t.special_cap * (int32_t)(sizeof(mcb_dsp_rq) / 4);
  t.tabs = at;
  steps = c.k4 - 1;
  variant = (steps & 1) + (steps >= 2 ? 2 : 0);
  a.pairs = steps >> 1;
  a.col = mem;
  a.offset = params->output_offset;
  c.fast_kernel[0] = k2_FAST[variant];
  c.fast_kernel[1] = k4_FAST[variant];
  c.wide_kernel[0] = k2_WIDE[variant];
  c.wide_kernel[1] = k4_WIDE[variant];
  c.acc_kernel[0] = k2_ACC[variant];
  c.acc_kernel[1] = k4_ACC[variant];
  c.r = &call.r;
  interior(params->stride_h, params->pad_top, (filter->h - 1) * params->dilation_h, input->full_h, &c.oy_lo, &c.oy_hi);
  interior(params->stride_w, params->pad_left, (filter->w - 1) * params->dilation_w, input->full_w, &c.ox_lo, &c.ox_hi);
  c.row_step = params->dilation_h * input->w * input->c;
  c.runs = params->dilation_w == 1 ? 1 : filter->w;
  c.run_bytes = params->dilation_w == 1 ? filter->w * input->c : input->c;
  c.tap_step = params->dilation_w * input->c;
  /* Pointer arithmetic only for interior pixels, whose origins lie inside the view. */
  c.origin_y = params->stride_h * input->w * input->c;
  c.origin_x = params->stride_w * input->c;
  c.origin = input->data + ((-params->pad_top - input->y0) * input->w + (-params->pad_left - input->x0)) * input->c;
  c.out_y = output->w * output->c;
  c.out_x = output->c;
  c.out0 = output->data - (output->y0 * output->w + output->x0) * output->c;
  c.gather = filter->h == 1 && filter->w == 1 && params->pad_top == 0 && params->pad_left == 0 && c.stage == NULL &&
                     c.oy_lo <= call.r.y0 && c.oy_hi >= call.r.y1 && c.ox_lo <= call.r.x0 && c.ox_hi >= call.r.x1
                 ? gather_block_pointwise
                 : gather_block;
  if (c.wpad) {
    /* The last row, zero padded: its words never read past the filter. */
    memset(c.wpad, 0, 4 * (size_t)c.k4);
    memcpy(c.wpad, filter->data + (filter->out_c - 1) * c.k, (size_t)c.k);
  }
  if (!call.inplace) {
    /* Chunks outside: each chunk's tables prepared once, the columns gathered again per chunk. */
    for (oc0 = 0; oc0 < filter->out_c;) {
      const int32_t oc1 = prepare_chunk(&c, &t, oc0);
      int32_t oy = call.r.y0, ox = call.r.x0;
      for (i = 0; i < pixels;) {
        const int32_t np = c.np == 4 && pixels - i <= 2 ? 2 : c.np;
        c.gather(&c, &oy, &ox, pixels - i, np, mem, &a);
        run_block(&c, &a, &t, np);
        i += np;
      }
      oc0 = oc1;
    }
  } else {
    /* In place: a block's input is gathered once, before any of its outputs overwrite it; the tables are
     * prepared again per block unless one chunk holds every channel. */
    int32_t oc1 = prepare_chunk(&c, &t, 0), oy = call.r.y0, ox = call.r.x0;
    const int one_chunk = oc1 == filter->out_c;
    for (i = 0; i < pixels;) {
      const int32_t np = c.np == 4 && pixels - i <= 2 ? 2 : c.np;
      c.gather(&c, &oy, &ox, pixels - i, np, mem, &a);
      for (oc0 = 0; oc0 < filter->out_c; oc0 = oc1) {
        if (!one_chunk) oc1 = prepare_chunk(&c, &t, oc0);
        run_block(&c, &a, &t, np);
      }
      i += np;
    }
  }
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_conv_2d_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
