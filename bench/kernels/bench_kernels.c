/*
 * Kernel micro-benchmark: the portable reference against the AVX2 twin on the layer shapes that
 * dominate mcunet-in3 (pointwise and depthwise convolutions, the first 3x3 stride-2 conv), with
 * random data and per-channel quantization. Checks identical bytes for every shape before timing.
 * Built and run by bench/kernels.ts (`npm run bench -- --kernels`); prints one line per shape:
 *   <name> ref_us avx2_us speedup
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dispatch.h"
#include "kernels_ref.h"
#include "twins.h"

typedef struct shape {
  const char *name;
  int depthwise, inplace;
  int32_t h, w, in_c, out_c, k, stride;
} shape;

static const shape SHAPES[] = {
    {"conv 3x3/2 176x176x3->16", 0, 0, 176, 176, 3, 16, 3, 2},
    {"conv 1x1 88x88x8->24", 0, 0, 88, 88, 8, 24, 1, 1},
    {"conv 1x1 88x88x16->8", 0, 0, 88, 88, 16, 8, 1, 1},
    {"conv 1x1 44x44x16->80", 0, 0, 44, 44, 16, 80, 1, 1},
    {"conv 1x1 44x44x80->16", 0, 0, 44, 44, 80, 16, 1, 1},
    {"conv 1x1 11x11x48->240", 0, 0, 11, 11, 48, 240, 1, 1},
    {"conv 1x1 6x6x480->160", 0, 0, 6, 6, 480, 160, 1, 1},
    {"dw 7x7 44x44x80", 1, 0, 44, 44, 80, 80, 7, 1},
    {"dw 7x7 44x44x80 in place", 1, 1, 44, 44, 80, 80, 7, 1},
    {"dw 5x5 44x44x64", 1, 0, 44, 44, 64, 64, 5, 1},
    {"dw 3x3 44x44x80", 1, 0, 44, 44, 80, 80, 3, 1},
    {"dw 7x7/2 88x88x24", 1, 0, 88, 88, 24, 24, 7, 2},
    {"dw 3x3 88x88x16 in place", 1, 1, 88, 88, 16, 16, 3, 1},
    {"dw 5x5 22x22x120", 1, 0, 22, 22, 120, 120, 5, 1},
};

static uint32_t g_rng = 12345u;
static uint32_t rnd(void) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); /* CPU time: the machine may be shared */
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

typedef struct layer {
  shape s;
  int8_t *input, *filter, *out_ref, *out_twin, *scratch;
  int32_t *bias, *mult, *shift;
  int32_t out_h, out_w, pad;
} layer;

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (p == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return p;
}

static void setup(layer *l, const shape *s) {
  const size_t in_n = (size_t)s->h * s->w * s->in_c;
  const size_t f_n = s->depthwise ? (size_t)s->k * s->k * s->out_c : (size_t)s->out_c * s->k * s->k * s->in_c;
  size_t i, out_n;
  l->s = *s;
  l->pad = (s->k - 1) / 2;
  l->out_h = (s->h + 2 * l->pad - s->k) / s->stride + 1;
  l->out_w = (s->w + 2 * l->pad - s->k) / s->stride + 1;
  out_n = (size_t)l->out_h * l->out_w * s->out_c;
  l->input = (int8_t *)xmalloc(in_n > out_n ? in_n : out_n);
  l->filter = (int8_t *)xmalloc(f_n);
  l->out_ref = (int8_t *)xmalloc(in_n > out_n ? in_n : out_n);
  l->out_twin = (int8_t *)xmalloc(in_n > out_n ? in_n : out_n);
  l->scratch = (int8_t *)xmalloc(in_n);
  l->bias = (int32_t *)xmalloc((size_t)s->out_c * sizeof(int32_t));
  l->mult = (int32_t *)xmalloc((size_t)s->out_c * sizeof(int32_t));
  l->shift = (int32_t *)xmalloc((size_t)s->out_c * sizeof(int32_t));
  for (i = 0; i < in_n; ++i) l->input[i] = (int8_t)rnd();
  for (i = 0; i < f_n; ++i) l->filter[i] = (int8_t)rnd();
  for (i = 0; i < (size_t)s->out_c; ++i) {
    l->bias[i] = (int32_t)(rnd() % 20001) - 10000;
    l->mult[i] = (int32_t)((1u << 30) | (rnd() & 0x3FFFFFFF));
    l->shift[i] = -(int32_t)(rnd() % 10) - 1;
  }
}

/* One call on `out` (in place: a fresh copy of the input in `out`). */
static mcb_status run(const layer *l, int twin, int8_t *out) {
  const shape *s = &l->s;
  mcb_channel_quant q;
  mcb_view_s8 in, o;
  mcb_context ctx;
  q.multiplier = l->mult;
  q.shift = l->shift;
  q.count = s->out_c;
  in.data = s->inplace ? out : l->input;
  in.y0 = in.x0 = 0;
  in.h = in.full_h = s->h;
  in.w = in.full_w = s->w;
  in.c = s->in_c;
  o = in;
  o.data = out;
  o.h = o.full_h = l->out_h;
  o.w = o.full_w = l->out_w;
  o.c = s->out_c;
  ctx.buf = l->scratch;
  ctx.size = s->h * s->w;
  if (s->inplace) memcpy(out, l->input, (size_t)s->h * s->w * s->in_c);
  if (s->depthwise) {
    mcb_depthwise_conv_params p = {s->stride, s->stride, 1, 1, l->pad, l->pad, 1, 5, -3, -128, 127};
    mcb_depthwise_filter_s8 f;
    f.data = l->filter;
    f.h = f.w = s->k;
    f.c = s->out_c;
    return twin ? mcb_depthwise_conv_2d_s8_avx2(&p, &q, &in, &f, l->bias, &o, NULL, &ctx)
                : mcb_depthwise_conv_2d_s8_ref(&p, &q, &in, &f, l->bias, &o, NULL, &ctx);
  } else {
    mcb_conv_params p = {s->stride, s->stride, 1, 1, l->pad, l->pad, 7, -2, -128, 127};
    mcb_filter_s8 f;
    f.data = l->filter;
    f.out_c = s->out_c;
    f.h = f.w = s->k;
    f.in_c = s->in_c;
    return twin ? mcb_conv_2d_s8_avx2(&p, &q, &in, &f, l->bias, &o, NULL, &ctx)
                : mcb_conv_2d_s8_ref(&p, &q, &in, &f, l->bias, &o, NULL, &ctx);
  }
}

/* Best-of-`reps` thread CPU time of one call, in microseconds. */
static double time_call(const layer *l, int twin, int reps) {
  double best = 1e30;
  int i;
  for (i = 0; i < reps; ++i) {
    const double t0 = now_us();
    run(l, twin, twin ? l->out_twin : l->out_ref);
    {
      const double dt = now_us() - t0;
      best = dt < best ? dt : best;
    }
  }
  return best;
}

int main(int argc, char **argv) {
  const int reps = argc > 1 ? atoi(argv[1]) : 5;
  size_t i;
  int failures = 0;
  double total_ref = 0, total_twin = 0;
  if (mcb_kernel_isa_supported() != MCB_KERNEL_ISA_AVX2) {
    printf("skip: this CPU has no AVX2\n");
    return 0;
  }
  for (i = 0; i < sizeof(SHAPES) / sizeof(SHAPES[0]); ++i) {
    layer l;
    size_t out_n;
    mcb_status a, b;
    double t_ref, t_twin;
    setup(&l, &SHAPES[i]);
    out_n = SHAPES[i].inplace ? (size_t)SHAPES[i].h * SHAPES[i].w * SHAPES[i].in_c
                              : (size_t)l.out_h * l.out_w * SHAPES[i].out_c;
    a = run(&l, 0, l.out_ref);
    b = run(&l, 1, l.out_twin);
    if (a != MCB_OK || b != MCB_OK || memcmp(l.out_ref, l.out_twin, out_n) != 0) {
      printf("%-28s MISMATCH (ref %d, twin %d)\n", SHAPES[i].name, (int)a, (int)b);
      ++failures;
      continue;
    }
    t_ref = time_call(&l, 0, reps);
    t_twin = time_call(&l, 1, reps * 4);
    total_ref += t_ref;
    total_twin += t_twin;
    printf("%-28s ref %9.1f us  avx2 %8.1f us  x%.1f\n", SHAPES[i].name, t_ref, t_twin, t_ref / t_twin);
    free(l.input);
    free(l.filter);
    free(l.out_ref);
    free(l.out_twin);
    free(l.scratch);
    free(l.bias);
    free(l.mult);
    free(l.shift);
  }
  printf("%-28s ref %9.1f us  avx2 %8.1f us  x%.1f\n", "total", total_ref, total_twin, total_ref / total_twin);
  return failures ? 1 : 0;
}
