/*
 * Cortex-M DSP twin of leaky_relu_s8_ref.c (int8 LEAKY_RELU, TFLM QuantizeLeakyRelu), identical bytes. An
 * output depends on one int8 only, so the call first tabulates all 256 outputs with the reference's own
 * arithmetic (mcb/quant.h), then maps the input through the table a word at a time: four table loads and
 * one store per four elements, whatever the multipliers.
 *
 * Taken: every call the reference accepts with at least LEAKY_TABLE_MIN elements (below that, filling the table
 * costs more than it saves: the reference runs). Everything else declines (MCB_ERR_UNSUPPORTED) before writing.
 */
#include "../twins.h"

#if defined(__ARM_FEATURE_DSP)

#include <string.h>

#include "../op_checks.h"
#include "mcb/quant.h"

#ifndef LEAKY_TABLE_MIN
#define LEAKY_TABLE_MIN 256 /* elements from which the 256-entry table pays */
#endif

/* The reference's output for input value x. */
static int8_t leaky_one(const mcb_leaky_relu_params *p, int32_t alpha_multiplier, int alpha_negative, int32_t x) {
  const int32_t v = x - p->input_zero_point;
  int32_t y = p->output_zero_point;
  if (v >= 0) {
    y += mcb_multiply_by_quantized_multiplier(v, p->output_multiplier_identity, p->output_shift_identity);
  } else {
    const int32_t scaled = mcb_multiply_by_quantized_multiplier(v, alpha_multiplier, p->output_shift_alpha);
    y += alpha_negative ? -scaled : scaled;
  }
  return (int8_t)mcb_clamp(y, -128, 127);
}

mcb_status mcb_leaky_relu_s8_dsp(const mcb_leaky_relu_params *params, const int8_t *input, int8_t *output,
                                 int32_t count) {
  uint8_t table[256];
  int32_t i, alpha_multiplier;
  int alpha_negative;
  if (mcb__leaky_relu_s8_check(params, input, output, count) != MCB_OK || count < LEAKY_TABLE_MIN) {
    return MCB_ERR_UNSUPPORTED;
  }
  alpha_negative = params->output_multiplier_alpha < 0;
  alpha_multiplier = alpha_negative ? -params->output_multiplier_alpha : params->output_multiplier_alpha;
  for (i = -128; i < 128; ++i) table[i & 0xFF] = (uint8_t)leaky_one(params, alpha_multiplier, alpha_negative, i);
  /* In place (output == input) reads each word before writing it back. */
  for (i = 0; i + 4 <= count; i += 4) {
    uint32_t w, r;
    memcpy(&w, input + i, 4);
    r = (uint32_t)table[w & 0xFFu] | ((uint32_t)table[(w >> 8) & 0xFFu] << 8) |
        ((uint32_t)table[(w >> 16) & 0xFFu] << 16) | ((uint32_t)table[w >> 24] << 24);
    memcpy(output + i, &r, 4);
  }
  for (; i < count; ++i) output[i] = (int8_t)table[(uint8_t)input[i]];
  return MCB_OK;
}

#else
/* No DSP extension (host, Cortex-M0/M3): nothing to build; the typedef keeps the unit non-empty (ISO C). */
typedef int mcb_leaky_relu_s8_dsp_needs_arm_dsp;
#endif /* __ARM_FEATURE_DSP */
