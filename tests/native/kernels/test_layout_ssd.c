/*
 * SHAPE, STRIDED_SLICE, PACK, TILE and RESIZE_BILINEAR (mcb/kernels_layout.h):
 * the ops ST's SSD MobileNet v1 head needs. Every expected value is worked out
 * by hand in the comments, or (RESIZE_BILINEAR on random data) by an
 * independent double-precision formulation of bilinear interpolation written
 * here, not by the kernel.
 */
#include <math.h>

#include "mcb/kernels_layout.h"
#include "test_util.h"

static mcb_shape shape_of(int32_t rank, const int32_t *dims) {
  mcb_shape s;
  int32_t d;
  memset(&s, 0, sizeof s);
  s.rank = rank;
  for (d = 0; d < rank; ++d) s.dims[d] = dims[d];
  return s;
}

static mcb_strided_slice_params slice_params(int32_t rank) {
  mcb_strided_slice_params p;
  int32_t d;
  memset(&p, 0, sizeof p);
  p.rank = rank;
  for (d = 0; d < MCB_STRIDED_SLICE_MAX_DIMS; ++d) p.stride[d] = 1;
  return p;
}

/* ------------------------------------------------------------------ SHAPE */

static void test_shape(void) {
  const int32_t dims[4] = {1, 3, 3, 32}; /* SSD: SHAPE of fmap_3/add int8[1,3,3,32] */
  const mcb_shape s = shape_of(4, dims);
  int32_t out[4] = {0, 0, 0, 0};
  CHECK_STATUS(mcb_shape_s32(&s, out, 4), MCB_OK);
  CHECK_EQ(out[0], 1);
  CHECK_EQ(out[1], 3);
  CHECK_EQ(out[2], 3);
  CHECK_EQ(out[3], 32);
  CHECK_STATUS(mcb_shape_s32(&s, out, 3), MCB_ERR_SHAPE); /* output int32[3] cannot hold rank 4 */
  CHECK_STATUS(mcb_shape_s32(NULL, out, 4), MCB_ERR_ARG);
}

/* ---------------------------------------------------------- STRIDED_SLICE */

/* in[r][c] = 10 * r + c for a [3, 4] int8 tensor. */
static void grid_3x4(int8_t *g) {
  int32_t r, c;
  for (r = 0; r < 3; ++r)
    for (c = 0; c < 4; ++c) g[r * 4 + c] = (int8_t)(10 * r + c);
}

static void test_strided_slice_ssd_chain(void) {
  /* SSD: STRIDED_SLICE(shape [1,3,3,32], begin [0], end [1], strides [1], shrink_axis_mask 1)
   * -> int32[] scalar = shape[0] = 1 (the batch size). */
  const int32_t in[4] = {1, 3, 3, 32}, dims[1] = {4};
  const mcb_shape s = shape_of(1, dims);
  mcb_strided_slice_params p = slice_params(1);
  int32_t out = -1;
  p.start[0] = 0;
  p.stop[0] = 1;
  p.shrink_axis_mask = 1;
  CHECK_STATUS(mcb_strided_slice_s32(&p, &s, in, &out, 1), MCB_OK);
  CHECK_EQ(out, 1);
  /* begin -1 wraps to 3 -> shape[3] = 32; the end operand is ignored for shrunk axes. */
  p.start[0] = -1;
  p.stop[0] = 0;
  CHECK_STATUS(mcb_strided_slice_s32(&p, &s, in, &out, 1), MCB_OK);
  CHECK_EQ(out, 32);
}

static void test_strided_slice_masks(void) {
  int8_t g[12], out[12];
  const int32_t dims[2] = {3, 4};
  const mcb_shape s = shape_of(2, dims);
  mcb_strided_slice_params p = slice_params(2);
  grid_3x4(g);
  /* rows [1,3) x cols [1,3): 11 12 / 21 22 */
  p.start[0] = 1; p.stop[0] = 3;
  p.start[1] = 1; p.stop[1] = 3;
  {
    const int8_t e[4] = {11, 12, 21, 22};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 4), MCB_OK);
    CHECK_BYTES(out, e, 4);
  }
  /* begin_mask bit 0: row start becomes 0 -> rows [0,3): 1 2 / 11 12 / 21 22 */
  p.begin_mask = 1;
  {
    const int8_t e[6] = {1, 2, 11, 12, 21, 22};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 6), MCB_OK);
    CHECK_BYTES(out, e, 6);
  }
  /* end_mask bit 1 (begin_mask off): cols [1,4): 11 12 13 / 21 22 23 */
  p.begin_mask = 0;
  p.end_mask = 2;
  {
    const int8_t e[6] = {11, 12, 13, 21, 22, 23};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 6), MCB_OK);
    CHECK_BYTES(out, e, 6);
  }
  /* shrink bit 0 with begin -1: row -1 + 3 = 2, end ignored (0 here) -> 20 21 22 23 over cols [0,4) */
  p = slice_params(2);
  p.start[0] = -1; p.stop[0] = 0; p.shrink_axis_mask = 1;
  p.start[1] = 0; p.stop[1] = 4;
  {
    const int8_t e[4] = {20, 21, 22, 23};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 4), MCB_OK);
    CHECK_BYTES(out, e, 4);
  }
  /* shrink both axes: begin [1, -2] -> element (1, 2) = 12, a scalar */
  p.start[1] = -2; p.shrink_axis_mask = 3;
  p.start[0] = 1;
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 1), MCB_OK);
  CHECK_EQ(out[0], 12);
  /* shrink with an index past the end: start clamps to size (3), stop = start -> no element */
  p.start[0] = 7;
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 1), MCB_ERR_SHAPE);
}

static void test_strided_slice_negative(void) {
  const int8_t v[6] = {10, 11, 12, 13, 14, 15};
  int8_t out[6];
  const int32_t dims[1] = {6};
  const mcb_shape s = shape_of(1, dims);
  mcb_strided_slice_params p = slice_params(1);
  /* begin -1 -> 5, end -5 -> 1, stride -2: indices 5, 3 (1 is the exclusive stop) -> 15 13 */
  p.start[0] = -1; p.stop[0] = -5; p.stride[0] = -2;
  {
    const int8_t e[2] = {15, 13};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, v, out, 2), MCB_OK);
    CHECK_BYTES(out, e, 2);
  }
  /* begin 10 clamps to size-1 = 5 for a negative stride; end 0; stride -3: 5, 2 -> 15 12 */
  p.start[0] = 10; p.stop[0] = 0; p.stride[0] = -3;
  {
    const int8_t e[2] = {15, 12};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, v, out, 2), MCB_OK);
    CHECK_BYTES(out, e, 2);
  }
  /* begin and end masks with stride -1: start 5, stop -1 -> the whole vector reversed */
  p.begin_mask = 1; p.end_mask = 1; p.stride[0] = -1;
  {
    const int8_t e[6] = {15, 14, 13, 12, 11, 10};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, v, out, 6), MCB_OK);
    CHECK_BYTES(out, e, 6);
  }
  /* end -100 wraps to -94, clamps to -1 (stride < 0) -> from 2 down to 0: 12 11 10 */
  p.begin_mask = 0; p.end_mask = 0; p.start[0] = 2; p.stop[0] = -100;
  {
    const int8_t e[3] = {12, 11, 10};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, v, out, 3), MCB_OK);
    CHECK_BYTES(out, e, 3);
  }
  /* forward stride with start past stop: empty slice; a zero-element output is fine */
  p.start[0] = 4; p.stop[0] = 2; p.stride[0] = 1;
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, v, out, 0), MCB_OK);
  /* a shrunk axis with a negative stride: TFLite's loop (index > start + 1) visits nothing
   * although the output has one element; we refuse rather than leave it unwritten */
  p.start[0] = 2; p.stride[0] = -1; p.shrink_axis_mask = 1;
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, v, out, 1), MCB_ERR_SHAPE);
}

static void test_strided_slice_offset(void) {
  int8_t g[12], out[12];
  const int32_t dims[2] = {3, 4};
  const mcb_shape s = shape_of(2, dims);
  mcb_strided_slice_params p = slice_params(2);
  grid_3x4(g);
  /* offset: end is a length. begin [1, 0], end [2, 3] -> rows [1, 1+2), cols [0, 0+3) */
  p.offset = 1;
  p.start[0] = 1; p.stop[0] = 2;
  p.start[1] = 0; p.stop[1] = 3;
  {
    const int8_t e[6] = {10, 11, 12, 20, 21, 22};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 6), MCB_OK);
    CHECK_BYTES(out, e, 6);
  }
  /* negative begin -2 -> 1, then stop = 1 + 1 = 2: row 1; begin 1 length 2 -> cols 1, 2 */
  p.start[0] = -2; p.stop[0] = 1;
  p.start[1] = 1; p.stop[1] = 2;
  {
    const int8_t e[2] = {11, 12};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 2), MCB_OK);
    CHECK_BYTES(out, e, 2);
  }
  /* length 5 from row 1 clamps at 3: rows 1, 2 */
  p.start[0] = 1; p.stop[0] = 5;
  {
    const int8_t e[4] = {11, 12, 21, 22};
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 4), MCB_OK);
    CHECK_BYTES(out, e, 4);
  }
  p.offset = 2;
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 4), MCB_ERR_ARG);
}

static void test_strided_slice_expanded(void) {
  int8_t g[24], out[24];
  int32_t i;
  /* new_axis_mask: x[newaxis, 1:3] on a [3, 4] tensor. The host (layout-params.ts) expands it to
   * the effective input [1, 3, 4]: axis 0 = new axis (start 0, stop 1, stride 1), axis 1 = the
   * given 1:3, axis 2 = past the spec (begin and end mask). Output [1, 2, 4] = rows 1 and 2. */
  {
    const int32_t dims[3] = {1, 3, 4};
    const mcb_shape s = shape_of(3, dims);
    mcb_strided_slice_params p = slice_params(3);
    const int8_t e[8] = {10, 11, 12, 13, 20, 21, 22, 23};
    grid_3x4(g);
    p.start[0] = 0; p.stop[0] = 1;
    p.start[1] = 1; p.stop[1] = 3;
    p.begin_mask = 4; p.end_mask = 4;
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 8), MCB_OK);
    CHECK_BYTES(out, e, 8);
  }
  /* ellipsis: x[..., 1] with shrink on a [2, 3, 4] tensor, x[a][b][c] = 12a + 4b + c. Expanded:
   * axes 0, 1 = ellipsis (begin and end mask), axis 2 = start 1, stop 2, shrink bit 2.
   * Output [2, 3] = x[a][b][1] = 1, 5, 9, 13, 17, 21. */
  {
    const int32_t dims[3] = {2, 3, 4};
    const mcb_shape s = shape_of(3, dims);
    mcb_strided_slice_params p = slice_params(3);
    const int8_t e[6] = {1, 5, 9, 13, 17, 21};
    for (i = 0; i < 24; ++i) g[i] = (int8_t)i;
    p.begin_mask = 3; p.end_mask = 3;
    p.start[2] = 1; p.stop[2] = 2; p.shrink_axis_mask = 4;
    CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 6), MCB_OK);
    CHECK_BYTES(out, e, 6);
    /* stride 2 on axis 2 instead of shrinking, x[..., ::2]: c = 0, 2 -> 0 2 4 6 8 10 ... 22 */
    p.shrink_axis_mask = 0; p.start[2] = 0; p.stop[2] = 4; p.stride[2] = 2;
    {
      const int8_t e2[12] = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22};
      CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 12), MCB_OK);
      CHECK_BYTES(out, e2, 12);
    }
  }
}

static void test_strided_slice_errors(void) {
  int8_t g[12], out[12];
  const int32_t dims[2] = {3, 4};
  const mcb_shape s = shape_of(2, dims);
  mcb_strided_slice_params p = slice_params(2);
  grid_3x4(g);
  p.stop[0] = 3; p.stop[1] = 4;
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 12), MCB_OK);
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 11), MCB_ERR_SHAPE); /* wrong output size */
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, g + 1, 11), MCB_ERR_SHAPE);
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, g, 12), MCB_ERR_ALIAS);
  p.stride[1] = 0;
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 12), MCB_ERR_ARG);
  p.stride[1] = 1;
  p.begin_mask = 4; /* bit beyond rank 2 */
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 12), MCB_ERR_ARG);
  p.begin_mask = 0;
  p.rank = 3; /* params and shape disagree */
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 12), MCB_ERR_SHAPE);
  p.rank = 6;
  CHECK_STATUS(mcb_strided_slice_s8(&p, &s, g, out, 12), MCB_ERR_ARG);
}

/* ------------------------------------------------------------------- PACK */

static void test_pack(void) {
  const int8_t a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, c[4] = {9, 10, 11, 12};
  const int8_t *inputs[3];
  const int32_t dims[2] = {2, 2};
  const mcb_shape s = shape_of(2, dims);
  int8_t out[12];
  inputs[0] = a; inputs[1] = b; inputs[2] = c;
  /* axis 0 -> [3,2,2]: a, then b, then c */
  {
    const int8_t e[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    CHECK_STATUS(mcb_pack_s8(0, 3, &s, inputs, out), MCB_OK);
    CHECK_BYTES(out, e, 12);
  }
  /* axis 1 -> [2,3,2]: out[i][k][j] = input_k[i][j]: row 0 of a, b, c, then row 1 of each */
  {
    const int8_t e[12] = {1, 2, 5, 6, 9, 10, 3, 4, 7, 8, 11, 12};
    CHECK_STATUS(mcb_pack_s8(1, 3, &s, inputs, out), MCB_OK);
    CHECK_BYTES(out, e, 12);
  }
  /* axis 2 -> [2,2,3]: out[i][j][k] = input_k[i][j]: interleave element by element */
  {
    const int8_t e[12] = {1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12};
    CHECK_STATUS(mcb_pack_s8(2, 3, &s, inputs, out), MCB_OK);
    CHECK_BYTES(out, e, 12);
  }
  CHECK_STATUS(mcb_pack_s8(3, 3, &s, inputs, out), MCB_ERR_ARG);  /* axis > rank */
  CHECK_STATUS(mcb_pack_s8(-1, 3, &s, inputs, out), MCB_ERR_ARG); /* host normalises negatives */
  CHECK_STATUS(mcb_pack_s8(0, 0, &s, inputs, out), MCB_ERR_ARG);
  inputs[1] = out + 2;
  CHECK_STATUS(mcb_pack_s8(0, 3, &s, inputs, out), MCB_ERR_ALIAS);
  inputs[1] = NULL;
  CHECK_STATUS(mcb_pack_s8(0, 3, &s, inputs, out), MCB_ERR_ARG);
}

static void test_pack_scalars(void) {
  /* SSD: PACK(strided_slice scalar N, 1, 1, 1, 1), axis 0 -> Tile multiples int32[5] = [N,1,1,1,1] */
  const int32_t n = 7, one = 1;
  const int32_t *inputs[5];
  int32_t out[5] = {0, 0, 0, 0, 0};
  mcb_shape scalar;
  memset(&scalar, 0, sizeof scalar);
  scalar.rank = 0;
  inputs[0] = &n; inputs[1] = &one; inputs[2] = &one; inputs[3] = &one; inputs[4] = &one;
  CHECK_STATUS(mcb_pack_s32(0, 5, &scalar, inputs, out), MCB_OK);
  CHECK_EQ(out[0], 7);
  CHECK_EQ(out[1], 1);
  CHECK_EQ(out[4], 1);
  CHECK_STATUS(mcb_pack_s32(1, 5, &scalar, inputs, out), MCB_ERR_ARG); /* only axis 0 for scalars */
}

/* ------------------------------------------------------------------- TILE */

static void test_tile(void) {
  /* [2,3] = 1 2 3 / 4 5 6, multiples [2,2] -> [4,6]: out[i][j] = in[i % 2][j % 3] */
  {
    const int8_t in[6] = {1, 2, 3, 4, 5, 6};
    const int32_t dims[2] = {2, 3}, mult[2] = {2, 2};
    const mcb_shape s = shape_of(2, dims);
    const int8_t e[24] = {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6,
                          1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6};
    int8_t out[24];
    CHECK_STATUS(mcb_tile_s8(mult, &s, in, out), MCB_OK);
    CHECK_BYTES(out, e, 24);
  }
  /* [2,1,2] = (1 2) / (3 4), multiples [1,2,1] -> [2,2,2]: the middle axis repeats each pair */
  {
    const int8_t in[4] = {1, 2, 3, 4};
    const int32_t dims[3] = {2, 1, 2}, mult[3] = {1, 2, 1};
    const mcb_shape s = shape_of(3, dims);
    const int8_t e[8] = {1, 2, 1, 2, 3, 4, 3, 4};
    int8_t out[8];
    CHECK_STATUS(mcb_tile_s8(mult, &s, in, out), MCB_OK);
    CHECK_BYTES(out, e, 8);
  }
  /* [3] int32 with multiple 3 on the only (innermost) axis: 7 8 9 7 8 9 7 8 9 */
  {
    const int32_t in[3] = {7, 8, 9}, dims[1] = {3}, mult[1] = {3};
    const mcb_shape s = shape_of(1, dims);
    int32_t out[9];
    int32_t i;
    CHECK_STATUS(mcb_tile_s32(mult, &s, in, out), MCB_OK);
    for (i = 0; i < 9; ++i) CHECK_EQ(out[i], 7 + i % 3);
  }
  /* SSD: anchors [1,1,1,5,4] tiled by [N,1,1,1,1]; N = 1 is a copy, N = 3 repeats the block */
  {
    int8_t in[20], out[60];
    const int32_t dims[5] = {1, 1, 1, 5, 4}, one[5] = {1, 1, 1, 1, 1}, three[5] = {3, 1, 1, 1, 1};
    const int32_t zero[5] = {0, 1, 1, 1, 1};
    const mcb_shape s = shape_of(5, dims);
    rng_fill_s8(in, 20);
    CHECK_STATUS(mcb_tile_s8(one, &s, in, out), MCB_OK);
    CHECK_BYTES(out, in, 20);
    CHECK_STATUS(mcb_tile_s8(three, &s, in, out), MCB_OK);
    CHECK_BYTES(out, in, 20);
    CHECK_BYTES(out + 20, in, 20);
    CHECK_BYTES(out + 40, in, 20);
    CHECK_STATUS(mcb_tile_s8(zero, &s, in, out), MCB_ERR_ARG);
    CHECK_STATUS(mcb_tile_s8(one, &s, in, in), MCB_ERR_ALIAS);
  }
}

/* -------------------------------------------------------- RESIZE_BILINEAR */

/*
 * Independent formulation: bilinear interpolation in double, positions as in
 * TensorFlow's float kernel (half-pixel: (i + 0.5) * in / out - 0.5, unclamped;
 * align corners: i * (in - 1) / (out - 1); else i * in / out), lower index
 * floor(pos) clamped at 0, upper ceil(pos) clamped at in - 1, then rounded half
 * away from zero. For the ratios used below (out = 2 * in; align-corners
 * (in - 1) / (out - 1) = 1/2) the Q10 scale TFLite computes is exactly 512,
 * every Q10 position equals 1024 * pos, so the Q20 sum is exactly 2^20 times
 * this double value (all terms are multiples of 1/16, exact in double), and
 * TFLite's (q20 +- 2^19) / 2^20 truncation is round half away from zero. The
 * two must therefore agree byte for byte.
 */
static double source_pos(int32_t i, int32_t in, int32_t out, int ac, int hpc) {
  if (hpc) return ((double)i + 0.5) * (double)in / (double)out - 0.5;
  if (ac && out > 1) return (double)i * (double)(in - 1) / (double)(out - 1);
  return (double)i * (double)in / (double)out;
}

static void resize_double(int32_t in_h, int32_t in_w, int32_t c, const int8_t *in, int32_t out_h,
                          int32_t out_w, int ac, int hpc, int8_t *out) {
  int32_t y, x, ch;
  for (y = 0; y < out_h; ++y) {
    const double py = source_pos(y, in_h, out_h, ac, hpc);
    const int32_t y0 = py < 0 ? 0 : (int32_t)floor(py);
    const int32_t y1 = (int32_t)ceil(py) > in_h - 1 ? in_h - 1 : (int32_t)ceil(py);
    const double fy = py - y0;
    for (x = 0; x < out_w; ++x) {
      const double px = source_pos(x, in_w, out_w, ac, hpc);
      const int32_t x0 = px < 0 ? 0 : (int32_t)floor(px);
      const int32_t x1 = (int32_t)ceil(px) > in_w - 1 ? in_w - 1 : (int32_t)ceil(px);
      const double fx = px - x0;
      for (ch = 0; ch < c; ++ch) {
        const double v = in[(y0 * in_w + x0) * c + ch] * (1 - fy) * (1 - fx) +
                         in[(y1 * in_w + x0) * c + ch] * fy * (1 - fx) +
                         in[(y0 * in_w + x1) * c + ch] * (1 - fy) * fx +
                         in[(y1 * in_w + x1) * c + ch] * fy * fx;
        out[(y * out_w + x) * c + ch] = (int8_t)(v < 0 ? -floor(-v + 0.5) : floor(v + 0.5));
      }
    }
  }
}

static void test_resize_bilinear_hand(void) {
  mcb_resize_params hp = {0, 1}, ac = {1, 0}, none = {0, 0};
  /* half-pixel 2x2 -> 4x4, [[10,20],[30,40]]. Q10 scale (2048 + 2) / 4 = 512; positions
   * 512 i + 256 - 512 = -256, 256, 768, 1280 -> (lower, upper, upper weight):
   * (0,0,-0.25) (0,1,0.25) (0,1,0.75) (1,1,0.25) = effective fractions 0, .25, .75, 1.
   * out = 10 + 10 fx + 20 fy: row fy=0: 10 12.5 17.5 20 -> 10 13 18 20 (half away from 0);
   * fy=.25: 15 17.5 22.5 25; fy=.75: 25 27.5 32.5 35; fy=1: 30 32.5 37.5 40.
   * e.g. (0,1): q20 = 10*1280*768 - 10*256*768 + 20*1280*256 - 20*256*256 = 13107200
   * = 12.5 * 2^20; (13107200 + 2^19) / 2^20 = 13. */
  {
    const int8_t in[4] = {10, 20, 30, 40};
    const int8_t e[16] = {10, 13, 18, 20, 15, 18, 23, 25, 25, 28, 33, 35, 30, 33, 38, 40};
    int8_t out[16];
    CHECK_STATUS(mcb_resize_bilinear_s8(&hp, 1, 2, 2, 1, in, 4, 4, out), MCB_OK);
    CHECK_BYTES(out, e, 16);
  }
  /* The same negated: -12.5 -> -13 (TFLite's integer path rounds half away from zero; its
   * float path, (int8)(v + 0.5), would give -12, so this pins ResizeBilinearInteger). */
  {
    const int8_t in[4] = {-10, -20, -30, -40};
    const int8_t e[16] = {-10, -13, -18, -20, -15, -18, -23, -25,
                          -25, -28, -33, -35, -30, -33, -38, -40};
    int8_t out[16];
    CHECK_STATUS(mcb_resize_bilinear_s8(&hp, 1, 2, 2, 1, in, 4, 4, out), MCB_OK);
    CHECK_BYTES(out, e, 16);
  }
  /* align corners, 1x3 [0,50,100] -> 1x5: scale (1024*2 + 4/2) / 4 = 512, positions 0, 512,
   * ..., 2048 = 0, .5, 1, 1.5, 2 -> 0 25 50 75 100. Height 1 -> 1: scale 1024 * 1 / 1, pos 0. */
  {
    const int8_t in[3] = {0, 50, 100};
    const int8_t e[5] = {0, 25, 50, 75, 100};
    int8_t out[5];
    CHECK_STATUS(mcb_resize_bilinear_s8(&ac, 1, 1, 3, 1, in, 1, 5, out), MCB_OK);
    CHECK_BYTES(out, e, 5);
  }
  /* neither flag, 1x2 [0,100] -> 1x4: scale 512, positions 0, .5, 1, 1.5; the last has lower 1
   * and upper min(2, 1) = 1 -> 0 50 100 100. */
  {
    const int8_t in[2] = {0, 100};
    const int8_t e[4] = {0, 50, 100, 100};
    int8_t out[4];
    CHECK_STATUS(mcb_resize_bilinear_s8(&none, 1, 1, 2, 1, in, 1, 4, out), MCB_OK);
    CHECK_BYTES(out, e, 4);
  }
  /* a ratio Q10 cannot hold exactly, 1x2 [1,-127] -> 1x3, no flags: scale (2048 + 1) / 3 = 683
   * (2/3 = 682.67/1024); x=1: pos 683, weights 341 and 683:
   * q20 = (1*341 - 127*683) * 1024 = -86400 * 1024 -> -84.375 -> -84; x=2: pos 1366, lower 1,
   * upper min(2, 1) = 1 -> -127. */
  {
    const int8_t in[2] = {1, -127};
    const int8_t e[3] = {1, -84, -127};
    int8_t out[3];
    CHECK_STATUS(mcb_resize_bilinear_s8(&none, 1, 1, 2, 1, in, 1, 3, out), MCB_OK);
    CHECK_BYTES(out, e, 3);
  }
  /* SSD's first upsampling: 1x1x32 -> 2x2 half-pixel: every output equals its input channel
   * (positions -256 and 256 both read pixel 0 with weights summing to 1024). */
  {
    int8_t in[32], out[128];
    int32_t i;
    rng_fill_s8(in, 32);
    CHECK_STATUS(mcb_resize_bilinear_s8(&hp, 1, 1, 1, 32, in, 2, 2, out), MCB_OK);
    for (i = 0; i < 4; ++i) CHECK_BYTES(out + 32 * i, in, 32);
  }
}

/* TFLite's own expected bytes for ResizeBilinearInteger<int8_t> (tensorflow/lite/kernels/internal/
 * resize_bilinear_test.cc, TestResizeBilinearHalfPixelCenters_2x2to4x6): 2x2 {127, -128, 64, 0} -> 4x6.
 * Width 2 -> 6 has Q10 scale (2048 + 3) / 6 = 341, not exactly 1024/3, so this also pins the integer
 * positions (half-pixel row 0, x=2: 2*341 + 170 - 512 = 340 -> (127*684 - 128*340) / 1024 = 42.33 -> 42). */
static void test_resize_bilinear_tflite_vectors(void) {
  const int8_t in[4] = {127, -128, 64, 0};
  const int8_t no_hpc[24] = {127, 42, -43, -128, -128, -128, 96, 42, -11, -64, -64, -64,
                             64,  43, 21,  0,    0,    0,    64, 43, 21,  0,   0,   0};
  const int8_t hpc[24] = {127, 127, 42, -43, -128, -128, 111, 111, 42, -27, -96, -96,
                          80,  80,  43, 5,   -32,  -32,  64,  64,  43, 21,  0,   0};
  const mcb_resize_params none = {0, 0}, half = {0, 1};
  int8_t out[24];
  memset(out, 3, sizeof out);
  CHECK_STATUS(mcb_resize_bilinear_s8(&none, 1, 2, 2, 1, in, 4, 6, out), MCB_OK);
  CHECK_BYTES(out, no_hpc, 24);
  memset(out, 3, sizeof out);
  CHECK_STATUS(mcb_resize_bilinear_s8(&half, 1, 2, 2, 1, in, 4, 6, out), MCB_OK);
  CHECK_BYTES(out, hpc, 24);
}

static void test_resize_bilinear_vs_double(void) {
  /* The model's four upsamplings (1->2, 3->6, 6->12, 12->24, 32 channels, half-pixel) plus
   * exact-ratio cases for the other two modes; random int8 covering both signs. */
  static int8_t in[12 * 12 * 32], out[24 * 24 * 32], expected[24 * 24 * 32];
  const int32_t sizes[4] = {1, 3, 6, 12};
  int32_t i;
  for (i = 0; i < 4; ++i) {
    const int32_t n = sizes[i];
    const mcb_resize_params hp = {0, 1}, none = {0, 0};
    rng_fill_s8(in, (size_t)n * n * 32);
    resize_double(n, n, 32, in, 2 * n, 2 * n, 0, 1, expected);
    CHECK_STATUS(mcb_resize_bilinear_s8(&hp, 1, n, n, 32, in, 2 * n, 2 * n, out), MCB_OK);
    CHECK_BYTES(out, expected, (size_t)4 * n * n * 32);
    resize_double(n, n, 32, in, 2 * n, 2 * n, 0, 0, expected);
    CHECK_STATUS(mcb_resize_bilinear_s8(&none, 1, n, n, 32, in, 2 * n, 2 * n, out), MCB_OK);
    CHECK_BYTES(out, expected, (size_t)4 * n * n * 32);
  }
  {
    /* align corners 5x3 -> 9x5: (1024*4 + 4) / 8 = 512 and (1024*2 + 2) / 4 = 512, 3 channels,
     * two batches (the second batch must read its own image). */
    const mcb_resize_params ac = {1, 0};
    rng_fill_s8(in, 2 * 5 * 3 * 3);
    resize_double(5, 3, 3, in, 9, 5, 1, 0, expected);
    resize_double(5, 3, 3, in + 45, 9, 5, 1, 0, expected + 135);
    CHECK_STATUS(mcb_resize_bilinear_s8(&ac, 2, 5, 3, 3, in, 9, 5, out), MCB_OK);
    CHECK_BYTES(out, expected, 270);
  }
}

static void test_resize_bilinear_errors(void) {
  static int8_t in[4], out[1500];
  const mcb_resize_params both = {1, 1}, none = {0, 0}, bad = {2, 0};
  CHECK_STATUS(mcb_resize_bilinear_s8(&both, 1, 2, 2, 1, in, 4, 4, out), MCB_ERR_ARG);
  CHECK_STATUS(mcb_resize_bilinear_s8(&bad, 1, 2, 2, 1, in, 4, 4, out), MCB_ERR_ARG);
  CHECK_STATUS(mcb_resize_bilinear_s8(&none, 1, 2, 2, 0, in, 4, 4, out), MCB_ERR_SHAPE);
  CHECK_STATUS(mcb_resize_bilinear_s8(&none, 1, 2, 2, 1, out, 4, 4, out + 2), MCB_ERR_ALIAS);
  /* 1 -> 1500 without flags: scale (1024 + 750) / 1500 = 1, so output 1499 sits at Q10
   * position 1499, lower index 1 -- past the single input pixel. TFLite would read out of
   * bounds; we refuse. */
  CHECK_STATUS(mcb_resize_bilinear_s8(&none, 1, 1, 1, 1, in, 1500, 1, out), MCB_ERR_UNSUPPORTED);
}

int main(void) {
  test_shape();
  test_strided_slice_ssd_chain();
  test_strided_slice_masks();
  test_strided_slice_negative();
  test_strided_slice_offset();
  test_strided_slice_expanded();
  test_strided_slice_errors();
  test_pack();
  test_pack_scalars();
  test_tile();
  test_resize_bilinear_hand();
  test_resize_bilinear_tflite_vectors();
  test_resize_bilinear_vs_double();
  test_resize_bilinear_errors();
  return test_report("test_layout_ssd");
}
