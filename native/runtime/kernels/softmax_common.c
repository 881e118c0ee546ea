/*
 * Quantized SOFTMAX shared by the int8 and legacy uint8 kernels: TFLM/TFLite
 * reference_ops::Softmax<T, T> (no LUT). Differences to the row maximum are
 * scaled to Q5.26, exponentiated with gemmlowp's exp_on_negative_values, summed
 * in Q12.19, and each exp is multiplied by the reciprocal of the sum (gemmlowp
 * one_over_one_plus_x_for_x_in_0_1 via TFLM GetReciprocal), then shifted to 8
 * bits and offset by the output type's minimum.
 */
#include "softmax_common.h"

#include "kernel_common.h"
#include "mcb/quant.h"

/* gemmlowp's plain fixed-point add wraps; do that without signed overflow. */
static int32_t add_wrap(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT with a positive exponent. */
static int32_t sat_shift_left(int32_t x, int32_t e) {
  const int32_t threshold = (int32_t)((1u << (31 - e)) - 1u);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << e);
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out: Taylor series around -1/8. */
static int32_t exp_quarter_interval(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668;
  const int32_t one_third = 715827883;
  const int32_t x = add_wrap(a, 1 << 28);
  const int32_t x2 = mcb_srdhm(x, x);
  const int32_t x3 = mcb_srdhm(x2, x);
  const int32_t x4 = mcb_srdhm(x2, x2);
  const int32_t x4_over_4 = mcb_rounding_divide_by_pot(x4, 2);
  const int32_t poly = mcb_rounding_divide_by_pot(
      add_wrap(mcb_srdhm(add_wrap(x4_over_4, x3), one_third), x2), 1);
  return add_wrap(exp_minus_one_eighth, mcb_srdhm(exp_minus_one_eighth, add_wrap(x, poly)));
}

/* exp(a) for a <= 0 given in Q5.26; result Q0.31. */
static int32_t exp_on_negative_values_q5(int32_t a) {
  static const int32_t k_barrel[7] = {1672461947, 1302514674, 790015084, 290630308,
                                      39332535,   720401,     242};
  const int32_t one_quarter = 1 << 24;
  const int32_t a_mod = (a & (one_quarter - 1)) - one_quarter;
  int32_t result = exp_quarter_interval(sat_shift_left(a_mod, 5));
  const int32_t remainder = (int32_t)((uint32_t)a_mod - (uint32_t)a);
  int32_t i;
  /* Bit 26+e of the remainder selects the factor exp(-2^e), e = -2..4. */
  for (i = 0; i < 7; ++i) {
    if (remainder & (1 << (24 + i))) {
      result = mcb_srdhm(result, k_barrel[i]);
    }
  }
  return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) for a in [0, 1), Q0.31: three Newton-Raphson steps in Q2.29. */
static int32_t one_over_one_plus_x(int32_t a) {
  const int64_t sum = (int64_t)a + INT32_MAX;
  const int32_t half_den = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
  int32_t x = add_wrap(1515870810, mcb_srdhm(half_den, -1010580540));
  int32_t i;
  for (i = 0; i < 3; ++i) {
    const int32_t one_minus = (int32_t)((uint32_t)(1 << 29) - (uint32_t)mcb_srdhm(half_den, x));
    x = add_wrap(x, sat_shift_left(mcb_srdhm(x, one_minus), 2));
  }
  return sat_shift_left(x, 1);
}

static int32_t count_leading_zeros(uint32_t v) {
  int32_t n = 0;
  if (v == 0) return 32;
  while ((v & 0x80000000u) == 0) {
    v <<= 1;
    ++n;
  }
  return n;
}

static int32_t load(const void *data, int is_u8, int32_t i) {
  return is_u8 ? (int32_t)((const uint8_t *)data)[i] : (int32_t)((const int8_t *)data)[i];
}

mcb_status mcb__softmax_rows(const mcb_softmax_params *params, int32_t outer, int32_t depth,
                             const void *input, void *output, int is_u8) {
  const int32_t type_min = is_u8 ? 0 : -128;
  const int32_t type_max = is_u8 ? 255 : 127;
  int32_t i;
  if (params == NULL || input == NULL || output == NULL) {
    return MCB_ERR_ARG;
  }
  if (outer < 1 || depth < 1 || (int64_t)outer * depth > INT32_MAX) {
    return MCB_ERR_SHAPE;
  }
  if (params->input_multiplier < 0 || params->input_left_shift < 0 ||
      params->input_left_shift > 30 || params->diff_min > 0) {
    return MCB_ERR_ARG;
  }
  if (mcb__overlaps(output, (size_t)outer * depth, input, (size_t)outer * depth)) {
    return MCB_ERR_ALIAS;
  }
  for (i = 0; i < outer; ++i) {
    const int32_t row = i * depth;
    int32_t max_in_row = type_min;
    int32_t sum = 0;
    int32_t c, bits_over_unit, headroom, scale, exponent;
    for (c = 0; c < depth; ++c) {
      const int32_t v = load(input, is_u8, row + c);
      max_in_row = v > max_in_row ? v : max_in_row;
    }
    for (c = 0; c < depth; ++c) {
      const int32_t diff = load(input, is_u8, row + c) - max_in_row;
      if (diff >= params->diff_min) {
        const int32_t scaled = mcb_srdhm(
            (int32_t)((uint32_t)diff << params->input_left_shift), params->input_multiplier);
        /* Rescale Q0.31 -> Q12.19 (rounding right shift by 12), then accumulate. */
        sum = add_wrap(sum, mcb_rounding_divide_by_pot(exp_on_negative_values_q5(scaled), 12));
      }
    }
    headroom = count_leading_zeros((uint32_t)sum);
    bits_over_unit = 12 - headroom;
    scale = one_over_one_plus_x((int32_t)(((uint32_t)sum << headroom) - 0x80000000u));
    exponent = bits_over_unit + 31 - 8;
    if (exponent < 0 || exponent > 31) {
      return MCB_ERR_UNSUPPORTED; /* TFLM's TFLITE_CHECK fails here too */
    }
    for (c = 0; c < depth; ++c) {
      const int32_t diff = load(input, is_u8, row + c) - max_in_row;
      int32_t y = type_min;
      if (diff >= params->diff_min) {
        const int32_t scaled = mcb_srdhm(
            (int32_t)((uint32_t)diff << params->input_left_shift), params->input_multiplier);
        const int32_t e = exp_on_negative_values_q5(scaled);
        const int32_t unsat = mcb_rounding_divide_by_pot(mcb_srdhm(scale, e), exponent);
        y = mcb_clamp(unsat + type_min, type_min, type_max);
      }
      if (is_u8) {
        ((uint8_t *)output)[row + c] = (uint8_t)y;
      } else {
        ((int8_t *)output)[row + c] = (int8_t)y;
      }
    }
  }
  return MCB_OK;
}
