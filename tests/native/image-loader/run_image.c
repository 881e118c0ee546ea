/* Host tool for the loader tests: loads a model image file and, given input and output paths, runs it.
 * Built by the jest tests with gcc (optionally with -fsanitize=address,undefined).
 *   run_image <image> [<input> <output>]
 *     prints "ok <input_bytes> <output_bytes> <arena_bytes>" or "error <mcb_status> <IMAGE_ERROR> <index>";
 *     exit 0 / 1 (rejected) / 2 (tool misuse)
 *   run_image --corpus <input> <image>...
 *     loads each image and runs every accepted one on <input> (zero-padded or cut to the model's size);
 *     one line per image: "<path> ok|error ..."; exit 0 unless the tool itself fails. An image whose input is
 *     streamed (mcb_model_input_streamed) also runs through an input reader, which must see only regions inside the
 *     input and give the same status and output, and through a failing reader (MCB_ERR_INPUT); any other line
 *     says what went wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mcb/runtime.h"

static unsigned char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  /* Exactly n bytes (malloc is 16-aligned on the hosts we test) so ASan flags any read past the file. */
  buf = (unsigned char *)malloc(n > 0 ? (size_t)n : 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
  fclose(f);
  *size = (size_t)n;
  return buf;
}

static int report(mcb_status st, const mcb_diag *d) {
  printf("error %d %s %d\n", (int)st, mcb_image_error_name(d->error), (int)d->index);
  return 1;
}

/* Streamed input: a reader that crops regions from the whole input like the hosts do, and refuses (printing why)
 * any region that is not inside the single input or whose size does not add up. fail_at > 0: the fail_at-th call
 * fails with code 7 instead. */
typedef struct region_reader {
  const mcb_model *model;
  const unsigned char *input;
  int calls, fail_at, bad;
} region_reader;

static int32_t read_region(void *user, const mcb_input_region *r, uint8_t *dst, uint32_t size) {
  region_reader *rr = (region_reader *)user;
  size_t row_bytes, region_row;
  int32_t y;
  if (++rr->calls == rr->fail_at) return 7;
  row_bytes = (size_t)r->width * r->pixel_bytes;
  region_row = (size_t)r->w * r->pixel_bytes;
  if (r->input != 0 || rr->model->n_inputs != 1 || r->height < 1 || r->width < 1 || (size_t)r->height * row_bytes != rr->model->input_bytes ||
      r->y0 < 0 || r->x0 < 0 || r->h < 1 || r->w < 1 || r->y0 > r->height - r->h || r->x0 > r->width - r->w || region_row * (size_t)r->h != size) {
    rr->bad = 1;
    return 9;
  }
  for (y = 0; y < r->h; ++y) memcpy(dst + (size_t)y * region_row, rr->input + (size_t)(r->y0 + y) * row_bytes + (size_t)r->x0 * r->pixel_bytes, region_row);
  return 0;
}

/* A streamed image runs again through the reader: the same status and output as with the whole input, every
 * region inside the input; then with a reader that fails, which must end the run with MCB_ERR_INPUT. Returns 0
 * when all holds, else prints why. */
static int check_streamed(const mcb_model *model, const mcb_run_config *whole_cfg, const unsigned char *in, mcb_status whole_st,
                          const unsigned char *whole_out) {
  unsigned char *out = (unsigned char *)malloc(model->output_bytes ? model->output_bytes : 1);
  mcb_run_config cfg = *whole_cfg;
  region_reader rr;
  mcb_diag diag;
  mcb_status st;
  int ok = 1;
  memset(&rr, 0, sizeof rr);
  rr.model = model;
  rr.input = in;
  cfg.read_input = read_region;
  cfg.input_user = &rr;
  st = mcb_model_run(model, &cfg, NULL, 0, out, model->output_bytes, &diag);
  if (rr.bad) { printf("streamed run asked for a region outside the input\n"); ok = 0; }
  else if (st != whole_st) { printf("streamed run ended with %d, the whole-input run with %d\n", (int)st, (int)whole_st); ok = 0; }
  else if (st == MCB_OK && memcmp(out, whole_out, model->output_bytes) != 0) { printf("streamed run output differs\n"); ok = 0; }
  if (ok && st == MCB_OK && rr.calls > 0) {
    memset(&rr, 0, sizeof rr);
    rr.model = model;
    rr.input = in;
    rr.fail_at = 1 + rr.calls / 2;
    st = mcb_model_run(model, &cfg, NULL, 0, out, model->output_bytes, &diag);
    if (st != MCB_ERR_INPUT || diag.index != 7) { printf("a failing reader ended the run with %d (index %d)\n", (int)st, (int)diag.index); ok = 0; }
  }
  free(out);
  return ok ? 0 : 1;
}

/* One corpus entry: load, and when accepted run it in an exactly sized arena (so ASan sees any overrun). */
static void corpus_entry(const char *path, const unsigned char *input, size_t in_size) {
  size_t size = 0;
  unsigned char *image = read_file(path, &size), *arena, *in, *output;
  mcb_model model;
  mcb_diag diag;
  mcb_run_config cfg;
  mcb_status st;
  printf("%s ", path);
  if (!image) { printf("unreadable\n"); return; }
  st = mcb_model_load(&model, image, size, &diag);
  if (st != MCB_OK) { report(st, &diag); free(image); return; }
  arena = (unsigned char *)malloc(mcb_model_arena_bytes(&model) ? mcb_model_arena_bytes(&model) : 1);
  in = (unsigned char *)calloc(model.input_bytes ? model.input_bytes : 1, 1);
  output = (unsigned char *)malloc(model.output_bytes ? model.output_bytes : 1);
  memcpy(in, input, in_size < model.input_bytes ? in_size : model.input_bytes);
  memset(&cfg, 0, sizeof(cfg));
  cfg.arena = arena;
  cfg.arena_size = mcb_model_arena_bytes(&model);
  st = mcb_model_run(&model, &cfg, in, model.input_bytes, output, model.output_bytes, &diag);
  if (mcb_model_input_streamed(&model) && check_streamed(&model, &cfg, in, st, output) != 0) {
    /* why already printed */
  } else if (st != MCB_OK) {
    report(st, &diag);
  } else {
    printf("ok ran\n");
  }
  free(image); free(arena); free(in); free(output);
}

int main(int argc, char **argv) {
  size_t size = 0, in_size = 0;
  unsigned char *image, *input, *output, *arena;
  mcb_model model;
  mcb_diag diag;
  mcb_run_config cfg;
  mcb_status st;
  FILE *out;
  if (argc >= 3 && strcmp(argv[1], "--corpus") == 0) {
    int i;
    input = read_file(argv[2], &in_size);
    if (!input) { fprintf(stderr, "cannot read %s\n", argv[2]); return 2; }
    for (i = 3; i < argc; ++i) corpus_entry(argv[i], input, in_size);
    free(input);
    return 0;
  }
  if (argc != 2 && argc != 4) { fprintf(stderr, "usage: run_image <image> [<input> <output>]\n"); return 2; }
  image = read_file(argv[1], &size);
  if (!image) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
  st = mcb_model_load(&model, image, size, &diag);
  if (st != MCB_OK) return report(st, &diag);
  if (argc == 2) {
    printf("ok %u %u %u\n", model.input_bytes, model.output_bytes, mcb_model_arena_bytes(&model));
    free(image);
    return 0;
  }
  input = read_file(argv[2], &in_size);
  if (!input) { fprintf(stderr, "cannot read %s\n", argv[2]); return 2; }
  output = (unsigned char *)malloc(model.output_bytes ? model.output_bytes : 1);
  arena = (unsigned char *)malloc(mcb_model_arena_bytes(&model) ? mcb_model_arena_bytes(&model) : 1);
  memset(&cfg, 0, sizeof(cfg));
  cfg.arena = arena;
  cfg.arena_size = mcb_model_arena_bytes(&model);
  st = mcb_model_run(&model, &cfg, input, in_size, output, model.output_bytes, &diag);
  if (st != MCB_OK) return report(st, &diag);
  out = fopen(argv[3], "wb");
  if (!out || fwrite(output, 1, model.output_bytes, out) != model.output_bytes) { fprintf(stderr, "cannot write %s\n", argv[3]); return 2; }
  fclose(out);
  printf("ok %u %u %u\n", model.input_bytes, model.output_bytes, mcb_model_arena_bytes(&model));
  free(image); free(input); free(output); free(arena);
  return 0;
}
