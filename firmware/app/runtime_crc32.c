/* The runtime's image CRC under another name: native/runtime/src/crc32.c and firmware/core/protocol.c both define
 * a global mcb_crc32 (with different signatures), which cannot link into one firmware. The bench build compiles
 * the runtime's two users of its CRC through this file and runtime_image.c instead of directly.
 * Remove both wrappers once the runtime's function has a name of its own. */
#define mcb_crc32 mcb_runtime_image_crc32
#include "crc32.c"
