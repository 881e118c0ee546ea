/*
 * Cortex-M DSP twin of fully_connected_s8_ref.c (int8 FULLY_CONNECTED, per-tensor or per-channel), identical
 * bytes.
 *
 * Four output rows at a time (filter offset 0: every per-channel call and TFLM's int8 weights): each input word (4 int8, one LDR) is unpacked once per row group into two
 * int16 pairs with the input offset already added (SXTAB16: x + input_offset fits int16), so the offset costs
 * nothing per row; each row's weight word is unpacked (SXTB16) and feeds two SMLADs. Other rows, and every row of a
 * per-tensor call with a filter offset, go one at a time with the offset added by SXTAB16. A row's sum is then sum((w + fo) * (x + io)) exactly as the reference forms it (SMLAD wraps as
 * the reference's int32 does). Requantization: mcb_dsp_rq_apply (dsp.h) when the accumulator bound allows
 * it, else the portable MultiplyByQuantizedMultiplier; both exact.
 *
 * Taken: every call the shared check accepts. Declines (MCB_ERR_UNSUPPORTED) only calls that fail it.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../op_checks.h"
#include "dsp.h"
#include "mcb/quant.h"

#define ROWS 4

/* Both int16 halves set to v. */
static inline int32_t dup16(int32_t v) { return (int32_t)(((uint32_t)v & 0xFFFFu) | ((uint32_t)v << 16)); }

/* One output: acc + bias requantized, offset added, clamped (the reference's arithmetic). */
static inline int8_t finish(int32_t acc, int32_t qi, int64_t bound, const mcb_fully_connected_params *p,
                            const mcb_channel_quant *q) {
  mcb_dsp_rq rq;
  int32_t v;
  if (mcb_dsp_rq_init(&rq, q->multiplier[qi], q->shift[qi], bound)) {
    rq.off = p->output_offset;
    v = mcb_dsp_rq_apply(acc, &rq, 1);
  } else {
    v = mcb_multiply_by_quantized_multiplier(acc, q->multiplier[qi], q->shift[qi]) + p->output_offset;
  }
  return (int8_t)mcb_clamp(v, p->act_min, p->act_max);
}

mcb_status mcb_fully_connected_s8_dsp(const mcb_fully_connected_params *params, const mcb_channel_quant *quant,
                                      const int8_t *input, int32_t batches, int32_t accum_depth,
                                      const int8_t *filter, int32_t out_depth, const int32_t *bias,
                                      int8_t *output) {
  int32_t b, fo, io2, fo2, n4;
  int64_t mac_bound;
  if (mcb__fully_connected_s8_check(params, quant, input, batches, accum_depth, filter, out_depth, output) !=
      MCB_OK) {
    return MCB_ERR_UNSUPPORTED;
  }
  fo = quant->count == 1 ? params->filter_offset : 0;
  io2 = dup16(params->input_offset);
  fo2 = dup16(fo);
  n4 = accum_depth >> 2;
  /* |(w + fo) * (x + io)| <= 255 * 255 per tap. */
  mac_bound = (int64_t)accum_depth * 65025;
  for (b = 0; b < batches; ++b) {
    const int8_t *x = input + (int32_t)b * accum_depth;
    int8_t *y = output + (int32_t)b * out_depth;
    int32_t oc = 0;
    for (; fo == 0 && oc + ROWS <= out_depth; oc += ROWS) {
      /* Rows 0/1 and 2/3 through two pointers and the row stride: registers for the four accumulators. */
      const int8_t *w0 = filter + oc * accum_depth, *w2 = w0 + 2 * accum_depth;
      const int8_t *xp = x, *const x_end = x + 4 * n4;
      const int32_t stride = accum_depth;
      int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, g, r;
      while (xp < x_end) {
        const int32_t xv = mcb_dsp_load4(xp);
        const int32_t xe = __sxtab16(io2, xv), xo = mcb_dsp_sxtab16_ror8(io2, xv);
        int32_t wv;
        xp += 4;
        wv = mcb_dsp_load4(w0);
        a0 = __smlad(__sxtb16(wv), xe, a0);
        a0 = __smlad(mcb_dsp_sxtb16_ror8(wv), xo, a0);
        wv = mcb_dsp_load4(w0 + stride);
        a1 = __smlad(__sxtb16(wv), xe, a1);
        a1 = __smlad(mcb_dsp_sxtb16_ror8(wv), xo, a1);
        wv = mcb_dsp_load4(w2);
        a2 = __smlad(__sxtb16(wv), xe, a2);
        a2 = __smlad(mcb_dsp_sxtb16_ror8(wv), xo, a2);
        wv = mcb_dsp_load4(w2 + stride);
        a3 = __smlad(__sxtb16(wv), xe, a3);
        a3 = __smlad(mcb_dsp_sxtb16_ror8(wv), xo, a3);
        w0 += 4;
        w2 += 4;
      }
      for (g = 4 * n4; g < accum_depth; ++g, ++w0, ++w2) {
        const int32_t xi = (int32_t)x[g] + params->input_offset;
        a0 += (int32_t)w0[0] * xi;
        a1 += (int32_t)w0[stride] * xi;
        a2 += (int32_t)w2[0] * xi;
        a3 += (int32_t)w2[stride] * xi;
      }
      {
        int32_t acc[ROWS];
        acc[0] = a0;
        acc[1] = a1;
        acc[2] = a2;
        acc[3] = a3;
        for (r = 0; r < ROWS; ++r) {
          const int32_t c = oc + r;
          const int32_t bv = bias != NULL ? bias[c] : 0;
          const int64_t bound = mac_bound + (bv < 0 ? -(int64_t)bv : bv);
          y[c] = finish((int32_t)((uint32_t)acc[r] + (uint32_t)bv), quant->count == 1 ? 0 : c, bound, params, quant);
        }
      }
    }
    for (; oc < out_depth; ++oc) {
      const int8_t *w0 = filter + oc * accum_depth;
      const int8_t *xp = x;
      const int32_t bv = bias != NULL ? bias[oc] : 0;
      const int64_t bound = mac_bound + (bv < 0 ? -(int64_t)bv : bv);
      int32_t a0 = 0, g;
      for (g = 0; g < n4; ++g) {
        const int32_t xv = mcb_dsp_load4(xp);
        const int32_t wv = mcb_dsp_load4(w0);
        a0 = __smlad(__sxtab16(fo2, wv), __sxtab16(io2, xv), a0);
        a0 = __smlad(mcb_dsp_sxtab16_ror8(fo2, wv), mcb_dsp_sxtab16_ror8(io2, xv), a0);
        xp += 4;
        w0 += 4;
      }
      for (g = 4 * n4; g < accum_depth; ++g) {
        a0 += ((int32_t)*w0++ + fo) * ((int32_t)x[g] + params->input_offset);
      }
      y[oc] = finish((int32_t)((uint32_t)a0 + (uint32_t)bv), quant->count == 1 ? 0 : oc, bound, params, quant);
    }
  }
  return MCB_OK;
}

#else
/* Not a DSP-extension target: nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_fully_connected_s8_dsp_unused;
#endif
