/* CONCATENATION, PAD, TRANSPOSE, RESIZE_NEAREST_NEIGHBOR: byte layouts worked out by hand. */
#include "test_util.h"

static mcb_shape shape3(int32_t a, int32_t b, int32_t c) {
  mcb_shape s;
  s.rank = 3;
  s.dims[0] = a; s.dims[1] = b; s.dims[2] = c;
  return s;
}

static void test_concatenation(void) {
  const int8_t a[4] = {1, 2, 3, 4}, b[2] = {5, 6};
  const int8_t *inputs[2] = {a, b};
  int8_t out[6];
  const int8_t mid[6] = {1, 2, 3, 4, 5, 6}, last[6] = {1, 2, 5, 3, 4, 6};
  mcb_shape sa = shape3(1, 2, 2), sb = shape3(1, 1, 2), so = shape3(1, 3, 2);
  const mcb_shape *shapes[2] = {&sa, &sb};
  CHECK_STATUS(mcb_concatenation_s8(1, 2, shapes, inputs, &so, out), MCB_OK);
  CHECK_BYTES(out, mid, 6);
  sb = shape3(1, 2, 1);
  so = shape3(1, 2, 3);
  CHECK_STATUS(mcb_concatenation_s8(-1, 2, shapes, inputs, &so, out), MCB_OK);
  CHECK_BYTES(out, last, 6);
  so = shape3(1, 2, 4); /* axis sizes do not add up */
  CHECK_STATUS(mcb_concatenation_s8(2, 2, shapes, inputs, &so, out), MCB_ERR_SHAPE);
}

static void test_pad(void) {
  const int8_t in[4] = {1, 2, 3, 4};
  int8_t out[9];
  const int8_t expected[9] = {-9, -9, -9, 1, 2, -9, 3, 4, -9};
  mcb_pad_params p;
  mcb_shape s;
  memset(&p, 0, sizeof p);
  s.rank = 4;
  s.dims[0] = 1; s.dims[1] = 2; s.dims[2] = 2; s.dims[3] = 1;
  p.before[1] = 1; /* one row on top */
  p.after[2] = 1;  /* one column on the right */
  p.pad_value = -9;
  CHECK_STATUS(mcb_pad_s8(&p, &s, in, out), MCB_OK);
  CHECK_BYTES(out, expected, 9);
  p.before[3] = 1; /* channel padding too: [1,3,3,2] */
  {
    int8_t out2[18];
    const int8_t expected2[18] = {-9, -9, -9, -9, -9, -9, -9, 1, -9, 2, -9, -9,
                                  -9, 3,  -9, 4,  -9, -9};
    CHECK_STATUS(mcb_pad_s8(&p, &s, in, out2), MCB_OK);
    CHECK_BYTES(out2, expected2, 18);
  }
  p.after[0] = -1;
  CHECK_STATUS(mcb_pad_s8(&p, &s, in, out), MCB_ERR_ARG);
}

static void test_transpose(void) {
  const int8_t in[6] = {1, 2, 3, 4, 5, 6};
  int8_t out[6];
  const int8_t expected[6] = {1, 4, 2, 5, 3, 6};
  const int32_t perm2[2] = {1, 0}, perm3[3] = {2, 0, 1}, bad[3] = {0, 0, 1};
  mcb_shape s;
  s.rank = 2;
  s.dims[0] = 2; s.dims[1] = 3;
  CHECK_STATUS(mcb_transpose_s8(perm2, &s, in, out), MCB_OK);
  CHECK_BYTES(out, expected, 6);
  s = shape3(2, 1, 3); /* out[c][a][b] = in[a][b][c] */
  CHECK_STATUS(mcb_transpose_s8(perm3, &s, in, out), MCB_OK);
  CHECK_BYTES(out, expected, 6);
  CHECK_STATUS(mcb_transpose_s8(bad, &s, in, out), MCB_ERR_ARG);
}

static void test_resize(void) {
  const int8_t in[4] = {1, 2, 3, 4}; /* 2x2x1 */
  int8_t out[16];
  const int8_t plain[16] = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
  const int8_t corners[9] = {1, 2, 2, 3, 4, 4, 3, 4, 4}; /* round(i * 0.5): 0, 1, 1 */
  const int8_t half[9] = {1, 2, 2, 3, 4, 4, 3, 4, 4};    /* floor((i + .5) * 2/3): 0, 1, 1 */
  const int8_t down[1] = {1};
  mcb_resize_params p = {0, 0};
  CHECK_STATUS(mcb_resize_nearest_neighbor_s8(&p, 1, 2, 2, 1, in, 4, 4, out), MCB_OK);
  CHECK_BYTES(out, plain, 16);
  p.align_corners = 1;
  CHECK_STATUS(mcb_resize_nearest_neighbor_s8(&p, 1, 2, 2, 1, in, 3, 3, out), MCB_OK);
  CHECK_BYTES(out, corners, 9);
  p.align_corners = 0;
  p.half_pixel_centers = 1;
  CHECK_STATUS(mcb_resize_nearest_neighbor_s8(&p, 1, 2, 2, 1, in, 3, 3, out), MCB_OK);
  CHECK_BYTES(out, half, 9);
  p.half_pixel_centers = 0;
  CHECK_STATUS(mcb_resize_nearest_neighbor_s8(&p, 1, 2, 2, 1, in, 1, 1, out), MCB_OK);
  CHECK_BYTES(out, down, 1);
}

int main(void) {
  test_concatenation();
  test_pad();
  test_transpose();
  test_resize();
  return test_report("test_data_movement_s8");
}
