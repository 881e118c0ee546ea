/*
 * Calls the shipped models really make, which the twins must take (not only match): a twin declining one of them
 * sends that layer to the reference, 5-10x slower, and every output stays bit-exact, so only a test that demands
 * the twin notices. The geometries are those of mcunet-in3 and person_detect under their layer schedule and
 * their patch plans (split 4 and split 21 on 2x2 patches, split 8 on 4x4): depthwise convolutions in place over
 * whole tensors and over the windows of a patch stage's tile (output window over the input window it needs), and
 * a pointwise convolution in place on a tile. Channels are cut to a few groups of 4 (the twins handle each group
 * on its own) so the buffers stay small; sizes, kernels, strides, paddings and windows are the models' own.
 * Included by diff_main.c (its random source, quantization helpers and scratch buffers). Prints
 *   dsp model_calls cases=N taken=T declined=D mismatches=M
 * (the test demands T = N with the shipped limits; its small-limits build may decline, untouched).
 */
#define MODEL_BUF 32768

static int8_t g_model_ref[MODEL_BUF], g_model_twin[MODEL_BUF], g_model_prefill[MODEL_BUF];

/* Square windows: [y0, y0 + h) on both axes of a full x full tensor. */
typedef struct model_window {
  int32_t y0, h, full;
} model_window;

static mcb_view_s8 model_view(int8_t *data, model_window w, int32_t c) {
  mcb_view_s8 v;
  v.data = data;
  v.y0 = v.x0 = w.y0;
  v.h = v.w = w.h;
  v.full_h = v.full_w = w.full;
  v.c = c;
  return v;
}

/* What the models' layers look like after TFLM's Prepare: multipliers in [0.5, 1), right shifts, full range. */
static void model_quant(mcb_channel_quant *q, int32_t channels) {
  int32_t i;
  for (i = 0; i < channels; ++i) {
    g_mult[i] = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
    g_shift[i] = range(-10, -5);
    g_bias[i] = range(-20000, 20000);
  }
  q->count = channels;
  q->multiplier = g_mult;
  q->shift = g_shift;
}

/* The reference must succeed; the twin must match it, or (under the test's small limits) decline untouched. */
static void model_compare(tally *t, const char *what, mcb_status sr, mcb_status st, uint32_t bytes) {
  const int declined = st == MCB_ERR_UNSUPPORTED;
  t->cases++;
  if (declined) {
    t->declined++;
    put_text("dsp model call declined: ");
    put_text(what);
    put_text("\r\n");
  } else {
    t->taken++;
  }
  if (sr != MCB_OK || (declined ? memcmp(g_model_twin, g_model_prefill, bytes) != 0
                                : st != MCB_OK || memcmp(g_model_ref, g_model_twin, bytes) != 0)) {
    t->mismatches++;
    put_text("dsp mismatch model_calls ");
    put_text(what);
    put_field("ref_status", (uint32_t)sr);
    put_field("twin_status", (uint32_t)st);
    put_text("\r\n");
  }
}

/* A depthwise call with output window `o` over input window `i`, in place (one address) or apart. */
static void model_depthwise(tally *t, const char *what, int32_t k, int32_t stride, int32_t pad, int32_t c,
                            model_window i, model_window o, int inplace) {
  mcb_depthwise_conv_params p;
  mcb_depthwise_filter_s8 f;
  mcb_channel_quant q;
  mcb_view_s8 in, out_ref, out_twin, in_twin;
  mcb_context ctx_ref, ctx_twin;
  const uint32_t in_bytes = (uint32_t)(i.h * i.h * c), out_bytes = (uint32_t)(o.h * o.h * c);
  const uint32_t bytes = inplace ? (in_bytes > out_bytes ? in_bytes : out_bytes) : out_bytes;
  mcb_status sr, st;
  memset(&p, 0, sizeof(p));
  p.stride_h = p.stride_w = stride;
  p.dilation_h = p.dilation_w = 1;
  p.pad_top = p.pad_left = pad;
  p.depth_multiplier = 1;
  p.input_offset = range(-127, 128);
  p.output_offset = range(-128, 127);
  p.act_min = -128;
  p.act_max = 127;
  f.h = f.w = k;
  f.c = c;
  fill(g_filter, k * k * c);
  f.data = g_filter;
  model_quant(&q, c);
  fill(g_model_ref, (int32_t)bytes);
  if (!inplace) fill(g_in, (int32_t)in_bytes);
  memcpy(g_model_twin, g_model_ref, bytes);
  memcpy(g_model_prefill, g_model_ref, bytes);
  in = model_view(inplace ? g_model_ref : g_in, i, c);
  in_twin = in;
  if (inplace) in_twin.data = g_model_twin;
  out_ref = model_view(g_model_ref, o, c);
  out_twin = model_view(g_model_twin, o, c);
  ctx_ref.buf = g_scratch_ref;
  ctx_ref.size = o.h * o.h;
  ctx_twin.buf = g_scratch_twin;
  ctx_twin.size = ctx_ref.size;
  sr = mcb_depthwise_conv_2d_s8_ref(&p, &q, &in, &f, g_bias, &out_ref, NULL, &ctx_ref);
  st = mcb_depthwise_conv_2d_s8_dsp(&p, &q, &in_twin, &f, g_bias, &out_twin, NULL, &ctx_twin);
  model_compare(t, what, sr, st, bytes);
}

/* A pointwise convolution in place on a tile window (in_c -> out_c <= in_c). */
static void model_pointwise(tally *t, const char *what, int32_t in_c, int32_t out_c, model_window w) {
  mcb_conv_params p;
  mcb_filter_s8 f;
  mcb_channel_quant q;
  mcb_view_s8 in, in_twin, out_ref, out_twin;
  mcb_context ctx_ref, ctx_twin;
  const uint32_t bytes = (uint32_t)(w.h * w.h * in_c);
  mcb_status sr, st;
  memset(&p, 0, sizeof(p));
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  p.input_offset = range(-127, 128);
  p.output_offset = range(-128, 127);
  p.act_min = -128;
  p.act_max = 127;
  f.out_c = out_c;
  f.h = f.w = 1;
  f.in_c = in_c;
  fill(g_filter, out_c * in_c);
  f.data = g_filter;
  model_quant(&q, out_c);
  fill(g_model_ref, (int32_t)bytes);
  memcpy(g_model_twin, g_model_ref, bytes);
  memcpy(g_model_prefill, g_model_ref, bytes);
  in = model_view(g_model_ref, w, in_c);
  in_twin = in;
  in_twin.data = g_model_twin;
  out_ref = model_view(g_model_ref, w, out_c);
  out_twin = model_view(g_model_twin, w, out_c);
  ctx_ref.buf = g_scratch_ref;
  ctx_ref.size = out_c;
  ctx_twin.buf = g_scratch_twin;
  ctx_twin.size = out_c;
  sr = mcb_conv_2d_s8_ref(&p, &q, &in, &f, g_bias, &out_ref, NULL, &ctx_ref);
  st = mcb_conv_2d_s8_dsp(&p, &q, &in_twin, &f, g_bias, &out_twin, NULL, &ctx_twin);
  model_compare(t, what, sr, st, bytes);
}

static void model_calls(void) {
  tally t;
  const model_window whole88 = {0, 88, 88}, whole44 = {0, 44, 44}, whole22 = {0, 22, 22};
  memset(&t, 0, sizeof(t));
  /* mcunet-in3, layer part of the split-4 plan: op 4 in place over the whole 88x88 -> 44x44 tensor */
  model_depthwise(&t, "mcunet op4 7x7/2 in place 88->44", 7, 2, 3, 4, whole88, whole44, 1);
  /* mcunet-in3, layer part of the split-4 and split-5 plans: op 11 (7.6 M MACs, the largest) in place on 44x44,
   * with no more scratch than the reference needs (those plans' scratch is a few KiB, not the layer plan's 7.7) */
  model_depthwise(&t, "mcunet op11 7x7/1 in place 44", 7, 1, 3, 4, whole44, whole44, 1);
  /* mcunet-in3 layer schedule: 5x5 in place on 22x22 */
  model_depthwise(&t, "mcunet 5x5/1 in place 22", 5, 1, 2, 4, whole22, whole22, 1);
  /* mcunet-in3 split 21, last patch (the bottom-right tile): every stage depthwise in place on its tile */
  {
    const model_window in1 = {24, 64, 88}, out1 = {25, 63, 88};
    const model_window in4 = {25, 63, 88}, out4 = {14, 30, 44};
    const model_window in11 = {15, 29, 44}, out11 = {18, 26, 44};
    const model_window in15 = {18, 26, 44}, out15 = {20, 24, 44};
    const model_window in19 = {20, 24, 44}, out19 = {11, 11, 22};
    model_depthwise(&t, "mcunet op1 3x3/1 tile", 3, 1, 1, 4, in1, out1, 1);
    model_depthwise(&t, "mcunet op4 7x7/2 tile", 7, 2, 3, 4, in4, out4, 1);
    model_depthwise(&t, "mcunet op11 7x7/1 tile", 7, 1, 3, 4, in11, out11, 1);
    model_depthwise(&t, "mcunet op15 5x5/1 tile", 5, 1, 2, 4, in15, out15, 1);
    model_depthwise(&t, "mcunet op19 5x5/2 tile", 5, 2, 2, 8, in19, out19, 1);
  }
  /* person_detect split 8 on 4x4, first patch: in place on the tile, then the last stage op into the stage output */
  {
    const model_window in1 = {0, 18, 48}, out1 = {0, 17, 48}, in7 = {0, 7, 24}, out7 = {0, 3, 12};
    model_depthwise(&t, "person_detect op1 3x3/1 tile", 3, 1, 1, 8, in1, out1, 1);
    model_depthwise(&t, "person_detect op7 3x3/2 tile", 3, 2, 0, 32, in7, out7, 0);
    model_pointwise(&t, "person_detect op6 1x1 tile", 32, 32, in7);
  }
  report("model_calls", &t);
}
