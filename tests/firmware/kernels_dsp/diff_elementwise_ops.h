/*
 * The differential cases of MUL, LEAKY_RELU, broadcasting ADD and PAD, included by diff_main.c (they use its random
 * source, buffers and judge). Broadcasts: equal shapes, an SE block's [1,H,W,C] x [1,1,1,C], a scalar, random
 * mixes of 1s on either side, and shapes the reference refuses; in place (output over a full-size input) and
 * partial overlaps (refused); offsets, activation ranges, multipliers and shifts from realistic to extreme
 * (rounding ties, shifts past the fast path's bound); sizes across the twins' table thresholds.
 */

/* out_shape of `rank` dims; s1/s2 its copies with some dims set to 1 (one side at most per dim, unless `odd`). */
static void broadcast_shapes(mcb_shape *so, mcb_shape *s1, mcb_shape *s2, int32_t max_elems) {
  int32_t d, n = 1;
  const uint32_t kind = rnd() % 5u;
  so->rank = range(1, 4);
  for (d = 0; d < so->rank; ++d) {
    so->dims[d] = range(1, d + 1 == so->rank ? 64 : 12);
    n *= so->dims[d];
  }
  while (n > max_elems) { /* shrink the largest dims until it fits */
    int32_t big = 0;
    for (d = 1; d < so->rank; ++d) if (so->dims[d] > so->dims[big]) big = d;
    n /= so->dims[big];
    so->dims[big] = so->dims[big] / 2 > 0 ? so->dims[big] / 2 : 1;
    n *= so->dims[big];
  }
  *s1 = *so;
  *s2 = *so;
  if (kind == 0) return; /* equal shapes */
  if (kind == 1) { /* SE block: [.., C] over [.., H, W, C] */
    for (d = 0; d + 1 < so->rank; ++d) s2->dims[d] = 1;
  } else if (kind == 2) { /* a scalar, sometimes of lower rank */
    s2->rank = range(1, so->rank);
    for (d = 0; d < s2->rank; ++d) s2->dims[d] = 1;
  } else {
    for (d = 0; d < so->rank; ++d) {
      const uint32_t side = rnd() % 4u;
      if (side == 1) s1->dims[d] = 1;
      if (side == 2) s2->dims[d] = 1;
      if (side == 3 && kind == 4 && chance(20)) s1->dims[d] = s2->dims[d] = 1; /* not the broadcast shape unless dim 1 */
    }
  }
  if (chance(50)) { /* the broadcast operand first */
    const mcb_shape tmp = *s1;
    *s1 = *s2;
    *s2 = tmp;
  }
  if (chance(3) && s1->dims[0] > 1) s1->dims[0] += 1; /* incompatible: both refuse */
}

/* Inputs of a binary case: g_in and g_filter, or the output itself when in_place says so and the shape allows. */
typedef struct binary_io {
  const int8_t *in1, *in2, *in1_twin, *in2_twin;
  int8_t *out_ref, *out_twin;
  int32_t in_place;
} binary_io;

static void binary_inputs(binary_io *io, const mcb_shape *s1, const mcb_shape *s2, int64_t n_out, uint32_t bytes) {
  const int64_t n1 = mcb__shape_elements(s1), n2 = mcb__shape_elements(s2);
  fill(g_in, (int32_t)(n1 > 0 ? n1 : 1));
  fill(g_filter, (int32_t)(n2 > 0 ? n2 : 1));
  prefill(bytes);
  io->in1 = io->in1_twin = g_in;
  io->in2 = io->in2_twin = g_filter;
  io->out_ref = g_out_ref;
  io->out_twin = g_out_twin;
  io->in_place = 0;
  if (chance(25)) {
    const int which = chance(50) ? 1 : 2;
    const int64_t n = which == 1 ? n1 : n2;
    if (n == n_out) { /* case c: the output over a full-size input (the prefilled bytes are that input) */
      io->in_place = which;
      if (which == 1) io->in1 = g_out_ref, io->in1_twin = g_out_twin;
      else io->in2 = g_out_ref, io->in2_twin = g_out_twin;
    } else if (n_out > 1) { /* the output over part of a smaller input: both refuse */
      io->in_place = 3;
      if (which == 1) io->in1 = g_out_ref + 1, io->in1_twin = g_out_twin + 1;
      else io->in2 = g_out_ref + 1, io->in2_twin = g_out_twin + 1;
    }
  }
}

static void shape_details(const mcb_shape *s1, const mcb_shape *s2, const mcb_shape *so) {
  int32_t d, code1 = 0, code2 = 0, codeo = 0;
  for (d = 0; d < so->rank; ++d) codeo = codeo * 100 + so->dims[d];
  for (d = 0; d < s1->rank; ++d) code1 = code1 * 100 + s1->dims[d];
  for (d = 0; d < s2->rank; ++d) code2 = code2 * 100 + s2->dims[d];
  detail("so", codeo);
  detail("s1", code1);
  detail("s2", code2);
}

/* ---------------------------------------------------------------------------------------------- MUL */

static void mul_case(tally *t, uint32_t index) {
  mcb_mul_params p;
  mcb_shape s1, s2, so;
  binary_io io;
  int64_t n;
  uint32_t bytes;
  mcb_status sr, st;
  broadcast_shapes(&so, &s1, &s2, BUF / 2);
  n = mcb__shape_elements(&so);
  if (n <= 0) return;
  memset(&p, 0, sizeof(p));
  p.input1_offset = chance(10) ? 128 : range(-127, 128);
  p.input2_offset = chance(10) ? -127 : range(-127, 128);
  p.output_offset = range(-128, 127);
  p.output_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  if (chance(10)) p.output_multiplier = 0x40000000; /* ties */
  if (chance(3)) p.output_multiplier = INT32_MAX;
  if (chance(2)) p.output_multiplier = 0;
  p.output_shift = chance(80) ? range(-12, -5) : chance(80) ? range(-31, 13) : range(14, 30); /* > 13: the twin declines */
  act_range(&p.act_min, &p.act_max);
  if (chance(2)) p.input1_offset = 129; /* invalid: both refuse */
  bytes = (uint32_t)n;
  binary_inputs(&io, &s1, &s2, n, bytes);
  g_detail[0] = 0;
  shape_details(&s1, &s2, &so);
  detail("inplace", io.in_place);
  detail("off1", p.input1_offset);
  detail("off2", p.input2_offset);
  detail("out_off", p.output_offset);
  detail("m", p.output_multiplier);
  detail("sh", p.output_shift);
  detail("act", p.act_min * 1000 + p.act_max);
  sr = mcb_mul_s8_ref(&p, &s1, io.in1, &s2, io.in2, &so, io.out_ref);
  st = mcb_mul_s8_dsp(&p, &s1, io.in1_twin, &s2, io.in2_twin, &so, io.out_twin);
  judge(t, sr, st, bytes, index, "mul");
}

/* ------------------------------------------------------------------------------------ ADD, broadcast */

static void add_broadcast_case(tally *t, uint32_t index) {
  mcb_add_params p;
  mcb_shape s1, s2, so;
  binary_io io;
  int64_t n;
  uint32_t bytes;
  mcb_status sr, st;
  broadcast_shapes(&so, &s1, &s2, BUF / 2);
  n = mcb__shape_elements(&so);
  if (n <= 0) return;
  memset(&p, 0, sizeof(p));
  p.left_shift = chance(90) ? 20 : range(0, 22);
  p.input1_offset = range(-127, 128);
  p.input2_offset = range(-127, 128);
  p.output_offset = range(-128, 127);
  p.input1_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  p.input2_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  p.output_multiplier = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  if (chance(10)) p.input1_multiplier = p.input2_multiplier = p.output_multiplier = 0x40000000; /* ties */
  if (chance(3)) p.output_multiplier = INT32_MAX;
  p.input1_shift = chance(80) ? range(-6, 0) : range(-31, 0);
  p.input2_shift = chance(80) ? range(-6, 0) : range(-31, 0);
  p.output_shift = chance(80) ? range(-22, -14) : range(-31, 0);
  act_range(&p.act_min, &p.act_max);
  if (chance(2)) p.output_shift = 1; /* invalid: both refuse */
  bytes = (uint32_t)n;
  binary_inputs(&io, &s1, &s2, n, bytes);
  g_detail[0] = 0;
  shape_details(&s1, &s2, &so);
  detail("inplace", io.in_place);
  detail("ls", p.left_shift);
  detail("off1", p.input1_offset);
  detail("off2", p.input2_offset);
  detail("out_off", p.output_offset);
  detail("sho", p.output_shift);
  detail("act", p.act_min * 1000 + p.act_max);
  sr = mcb_add_s8_ref(&p, &s1, io.in1, &s2, io.in2, &so, io.out_ref);
  st = mcb_add_s8_dsp(&p, &s1, io.in1_twin, &s2, io.in2_twin, &so, io.out_twin);
  judge(t, sr, st, bytes, index, "add_broadcast");
}

/* ------------------------------------------------------------------------------------------ LEAKY_RELU */

static void leaky_relu_case(tally *t, uint32_t index) {
  mcb_leaky_relu_params p;
  int32_t count;
  int8_t *out_ref = g_out_ref, *out_twin = g_out_twin;
  const int8_t *in = g_in, *in_twin = g_in;
  uint32_t bytes;
  mcb_status sr, st;
  const uint32_t alias = rnd() % 8u; /* 1: in place, 2: partial overlap (refused) */
  count = chance(70) ? range(256, 4000) : range(0, 255);
  memset(&p, 0, sizeof(p));
  p.input_zero_point = range(-128, 127);
  p.output_zero_point = range(-128, 127);
  p.output_multiplier_identity = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  p.output_shift_identity = chance(80) ? range(-3, 2) : range(-31, 30);
  p.output_multiplier_alpha = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
  if (chance(20)) p.output_multiplier_alpha = -p.output_multiplier_alpha; /* negative alpha */
  if (chance(5)) p.output_multiplier_alpha = 0;
  p.output_shift_alpha = chance(80) ? range(-6, 0) : range(-31, 30);
  if (chance(10)) p.output_multiplier_identity = p.output_multiplier_alpha = 0x40000000; /* ties */
  if (chance(2)) p.output_multiplier_alpha = INT32_MIN; /* invalid: both refuse */
  fill(g_in, count > 0 ? count : 1);
  bytes = (uint32_t)count + 1;
  prefill(bytes);
  if (alias == 1) {
    memcpy(g_out_ref, g_in, (size_t)count);
    memcpy(g_out_twin, g_in, (size_t)count);
    memcpy(g_prefill, g_in, (size_t)count);
    in = g_out_ref;
    in_twin = g_out_twin;
  } else if (alias == 2 && count > 1) {
    in = g_out_ref + 1;
    in_twin = g_out_twin + 1;
  }
  g_detail[0] = 0;
  detail("n", count);
  detail("alias", (int32_t)alias);
  detail("izp", p.input_zero_point);
  detail("ozp", p.output_zero_point);
  detail("mi", p.output_multiplier_identity);
  detail("shi", p.output_shift_identity);
  detail("ma", p.output_multiplier_alpha);
  detail("sha", p.output_shift_alpha);
  sr = mcb_leaky_relu_s8_ref(&p, in, out_ref, count);
  st = mcb_leaky_relu_s8_dsp(&p, in_twin, out_twin, count);
  judge(t, sr, st, bytes, index, "leaky_relu");
}

/* ------------------------------------------------------------------------------------------------ PAD */

static void pad_case(tally *t, uint32_t index) {
  mcb_pad_params p;
  mcb_shape s;
  int32_t d, code = 0, pads = 0;
  int64_t n_in, n_out = 1;
  const int8_t *in = g_in;
  uint32_t bytes;
  mcb_status sr, st;
  memset(&p, 0, sizeof(p));
  s.rank = range(1, 4);
  for (d = 0; d < s.rank; ++d) {
    s.dims[d] = range(1, d + 1 == s.rank ? 40 : 10);
    /* NHWC-like: padding mostly on the middle dims, sometimes on any, sometimes none */
    p.before[d] = chance(40) ? range(0, 3) : 0;
    p.after[d] = chance(40) ? range(0, 3) : 0;
    n_out *= s.dims[d] + p.before[d] + p.after[d];
    code = code * 100 + s.dims[d];
    pads = pads * 100 + p.before[d] * 10 + p.after[d];
  }
  n_in = mcb__shape_elements(&s);
  if (n_in <= 0 || n_out + 1 > BUF) return;
  p.pad_value = (int8_t)rnd();
  if (chance(2)) p.after[0] = -1; /* invalid: both refuse */
  fill(g_in, (int32_t)n_in);
  bytes = (uint32_t)n_out + 1;
  prefill(bytes);
  if (chance(3)) in = g_out_ref + 1; /* the output over the input: both refuse (never written, so the twin's copy need not follow) */
  g_detail[0] = 0;
  detail("shape", code);
  detail("pads", pads);
  detail("value", p.pad_value);
  sr = mcb_pad_s8_ref(&p, &s, in, g_out_ref);
  st = mcb_pad_s8_dsp(&p, &s, in == g_in ? g_in : g_out_twin + 1, g_out_twin);
  judge(t, sr, st, bytes, index, "pad");
}

/* Guest instructions (QEMU -icount shift=0: 1 ns each) of one call, from the SysTick cycle count. */
static uint32_t instructions_since(uint32_t start) {
  return (uint32_t)(((uint64_t)(mcb_port_cycles() - start) * 1000000000u) / mcb_port_cycles_hz());
}

/* One realistic call per op, reference then twin, timed (printed, not judged: bench:device is the benchmark):
 *   dsp timing <op> n=N ref=R twin=T */
static void time_pair(const char *op, uint32_t n, uint32_t ref, uint32_t twin) {
  put_text("dsp timing ");
  put_text(op);
  put_field("n", n);
  put_field("ref", ref);
  put_field("twin", twin);
  put_text("\r\n");
}

static void elementwise_timing(void) {
  /* An SE block's scale and a per-channel bias over [1, 8, 8, 96], and a LEAKY_RELU of the same size. */
  mcb_shape big = {4, {1, 8, 8, 96}}, vec = {4, {1, 1, 1, 96}};
  mcb_mul_params m;
  mcb_add_params a;
  mcb_leaky_relu_params l;
  uint32_t start, ref;
  memset(&m, 0, sizeof(m));
  m.input1_offset = 3;
  m.input2_offset = 128;
  m.output_offset = -5;
  m.output_multiplier = 0x5A3C1E0F;
  m.output_shift = -8;
  m.act_min = -128;
  m.act_max = 127;
  memset(&a, 0, sizeof(a));
  a.left_shift = 20;
  a.input1_offset = 7;
  a.input2_offset = -12;
  a.output_offset = 9;
  a.input1_multiplier = 0x4C000000;
  a.input2_multiplier = 0x7A000000;
  a.output_multiplier = 0x61000000;
  a.input1_shift = -1;
  a.input2_shift = -2;
  a.output_shift = -19;
  a.act_min = -128;
  a.act_max = 127;
  memset(&l, 0, sizeof(l));
  l.input_zero_point = -3;
  l.output_zero_point = 4;
  l.output_multiplier_identity = 0x7F000000;
  l.output_shift_identity = 0;
  l.output_multiplier_alpha = 0x66666666;
  l.output_shift_alpha = -3;
  fill(g_in, 6144);
  fill(g_filter, 96);
  {
    /* PAD of an NHWC [1, 24, 24, 8] map by 1 on each side of H and W (a stride-2 conv's explicit padding). */
    mcb_pad_params pp;
    mcb_shape ps = {4, {1, 24, 24, 8}};
    memset(&pp, 0, sizeof(pp));
    pp.before[1] = pp.after[1] = pp.before[2] = pp.after[2] = 1;
    pp.pad_value = -3;
    start = mcb_port_cycles();
    (void)mcb_pad_s8_ref(&pp, &ps, g_in, g_out_ref);
    ref = instructions_since(start);
    start = mcb_port_cycles();
    (void)mcb_pad_s8_dsp(&pp, &ps, g_in, g_out_twin);
    time_pair("pad", 26 * 26 * 8, ref, instructions_since(start));
  }
  start = mcb_port_cycles();
  (void)mcb_mul_s8_ref(&m, &big, g_in, &vec, g_filter, &big, g_out_ref);
  ref = instructions_since(start);
  start = mcb_port_cycles();
  (void)mcb_mul_s8_dsp(&m, &big, g_in, &vec, g_filter, &big, g_out_twin);
  time_pair("mul", 6144, ref, instructions_since(start));
  start = mcb_port_cycles();
  (void)mcb_add_s8_ref(&a, &big, g_in, &vec, g_filter, &big, g_out_ref);
  ref = instructions_since(start);
  start = mcb_port_cycles();
  (void)mcb_add_s8_dsp(&a, &big, g_in, &vec, g_filter, &big, g_out_twin);
  time_pair("add_broadcast", 6144, ref, instructions_since(start));
  start = mcb_port_cycles();
  (void)mcb_leaky_relu_s8_ref(&l, g_in, g_out_ref, 6144);
  ref = instructions_since(start);
  start = mcb_port_cycles();
  (void)mcb_leaky_relu_s8_dsp(&l, g_in, g_out_twin, 6144);
  time_pair("leaky_relu", 6144, ref, instructions_since(start));
}

/* Runs every case above DIFF_CASES times, one report line per op. */
static void elementwise_ops(void) {
  static void (*const cases[])(tally *, uint32_t) = {mul_case, leaky_relu_case, add_broadcast_case, pad_case};
  static const char *const names[] = {"mul", "leaky_relu", "add_broadcast", "pad"};
  uint32_t k, i;
  for (k = 0; k < sizeof(cases) / sizeof(cases[0]); ++k) {
    tally t;
    memset(&t, 0, sizeof(t));
    for (i = 0; i < DIFF_CASES; ++i) cases[k](&t, i);
    report(names[k], &t);
  }
  elementwise_timing();
}
