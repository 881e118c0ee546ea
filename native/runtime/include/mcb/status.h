/*
 * mcb/status.h — the one status enum of the mcubench runtime.
 *
 * Every kernel and runtime entry point returns an mcb_status. MCB_OK is 0 so
 * `if (status != MCB_OK)` and `if (status)` both work. Codes are stable: they
 * travel over the wire and into reports, so append new ones at the end only.
 */
#ifndef MCB_STATUS_H
#define MCB_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mcb_status {
  MCB_OK = 0,
  /* A required pointer is NULL or a parameter is outside its documented range. */
  MCB_ERR_ARG = 1,
  /* Tensor shapes or views disagree with each other or with the parameters. */
  MCB_ERR_SHAPE = 2,
  /* Windowed call: a needed input tap lies inside the full tensor but outside
   * the input buffer, or the output region lies outside the output buffer. */
  MCB_ERR_WINDOW = 3,
  /* Buffers overlap in a way the kernel does not support (see kernels.h, "In-place"). */
  MCB_ERR_ALIAS = 4,
  /* Scratch buffer missing or smaller than the matching *_scratch_size. */
  MCB_ERR_SCRATCH = 5,
  /* A valid combination this build does not implement. */
  MCB_ERR_UNSUPPORTED = 6,
  /* Runtime (image loader / interpreter) codes. */
  MCB_ERR_FORMAT = 7,  /* malformed or inconsistent model image */
  MCB_ERR_VERSION = 8, /* model image format version not understood */
  MCB_ERR_MEMORY = 9,  /* arena too small for the plan */
  MCB_ERR_OP = 10,     /* unknown or unsupported operator code */
  MCB_ERR_INPUT = 11   /* the caller's input reader failed (mcb_run_config.read_input) */
} mcb_status;

/* Stable upper-case name of a status ("MCB_ERR_WINDOW"); "MCB_ERR_UNKNOWN" for other values. */
const char *mcb_status_name(mcb_status status);

#ifdef __cplusplus
}
#endif

#endif /* MCB_STATUS_H */
