/*
 * Cortex-M DSP twin of avg_pool_2d_s8_ref.c (int8 AVERAGE_POOL_2D), identical bytes.
 *
 * Four channels at a time: each tap is one LDR whose bytes SXTAB16 adds, sign-extended, into two packed
 * int16 pairs (channels 0/2 and 1/3), so a tap costs three instructions per four channels. An int16 half
 * holds at most 256 taps exactly (256 x -128 = -32768), so the pairs are emptied into int32 sums before that.
 * The division is the reference's ((sum +/- n/2) / n, truncating: SDIV).
 *
 * Taken: every call the shared pooling checks accept with filter_w <= 256. Everything else declines
 * (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include "../kernel_common.h"
#include "../pooling_common.h"
#include "dsp.h"

#define PACKED_TAPS 256 /* taps an int16 half sums without overflow */

MCB_DSP_INLINE int8_t average(int32_t sum, int32_t n, int32_t lo, int32_t hi) {
  const int32_t v = sum > 0 ? (sum + n / 2) / n : (sum - n / 2) / n;
  return (int8_t)(v < lo ? lo : v > hi ? hi : v);
}

mcb_status mcb_avg_pool_2d_s8_dsp(const mcb_pool_params *params, const mcb_view_s8 *input, mcb_view_s8 *output,
                                  const mcb_region *region) {
  mcb_region r;
  int32_t oy, ox;
  if (mcb__pool_prepare(params, input, output, region, &r) != MCB_OK ||
      mcb__pool_check_nonempty(params, input->full_h, input->full_w, &r) != MCB_OK || params->filter_w > PACKED_TAPS) {
    return MCB_ERR_UNSUPPORTED;
  }
  for (oy = r.y0; oy < r.y1; ++oy) {
    const mcb__pool_span sy =
        mcb__pool_span_at(oy, params->stride_h, params->pad_top, params->filter_h, input->full_h);
    for (ox = r.x0; ox < r.x1; ++ox) {
      const mcb__pool_span sx =
          mcb__pool_span_at(ox, params->stride_w, params->pad_left, params->filter_w, input->full_w);
      const int32_t c = input->c, row_step = input->w * c, taps_w = sx.k1 - sx.k0;
      const int32_t n = (sy.k1 - sy.k0) * taps_w;
      const int8_t *first =
          input->data + ((sy.origin + sy.k0 - input->y0) * input->w + (sx.origin + sx.k0 - input->x0)) * c;
      int8_t *dst = output->data + ((oy - output->y0) * output->w + (ox - output->x0)) * c;
      int32_t ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, packed = 0, ky;
        int32_t even = 0, odd = 0;
        const int8_t *row = first + ch;
        for (ky = sy.k0; ky < sy.k1; ++ky, row += row_step) {
          const int8_t *p = row;
          int32_t kx;
          if (packed + taps_w > PACKED_TAPS) {
            s0 += (int16_t)even;
            s2 += even >> 16;
            s1 += (int16_t)odd;
            s3 += odd >> 16;
            even = odd = packed = 0;
          }
          for (kx = 0; kx < taps_w; ++kx, p += c) {
            const int32_t v = mcb_dsp_load4(p);
            even = __sxtab16(even, v);
            odd = mcb_dsp_sxtab16_ror8(odd, v);
          }
          packed += taps_w;
        }
        s0 += (int16_t)even;
        s2 += even >> 16;
        s1 += (int16_t)odd;
        s3 += odd >> 16;
        dst[ch] = average(s0, n, params->act_min, params->act_max);
        dst[ch + 1] = average(s1, n, params->act_min, params->act_max);
        dst[ch + 2] = average(s2, n, params->act_min, params->act_max);
        dst[ch + 3] = average(s3, n, params->act_min, params->act_max);
      }
      for (; ch < c; ++ch) {
        int32_t sum = 0, ky, kx;
        const int8_t *row = first + ch;
        for (ky = sy.k0; ky < sy.k1; ++ky, row += row_step) {
          for (kx = 0; kx < taps_w; ++kx) sum += row[kx * c];
        }
        dst[ch] = average(sum, n, params->act_min, params->act_max);
      }
    }
  }
  return MCB_OK;
}

#else
/* Not a DSP-extension target: nothing to build; the typedef keeps the translation unit non-empty (ISO C). */
typedef int mcb_avg_pool_2d_s8_dsp_unused;
#endif
