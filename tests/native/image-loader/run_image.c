/* Host tool for the loader tests: loads a model image file and, given input and output paths, runs it.
 * Built by the jest tests with gcc (optionally with -fsanitize=address,undefined).
 *   run_image <image> [<input> <output>]
 *     prints "ok <input_bytes> <output_bytes> <arena_bytes>" or "error <mcb_status> <IMAGE_ERROR> <index>";
 *     exit 0 / 1 (rejected) / 2 (tool misuse)
 *   run_image --corpus <input> <image>...
 *     loads each image and runs every accepted one on <input> (zero-padded or cut to the model's size);
 *     one line per image: "<path> ok|error ..."; exit 0 unless the tool itself fails. */
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
  if (st != MCB_OK) report(st, &diag);
  else printf("ok ran\n");
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
