/* native/runtime/src/image.c calling the runtime's CRC by its firmware name; see runtime_crc32.c for why. */
#define mcb_crc32 mcb_runtime_image_crc32
#include "image.c"
