/* CRC-32 (IEEE 802.3, reflected; zlib's crc32) — the one CRC of the model image and the serial protocol. */
#ifndef MCB_CRC32_H
#define MCB_CRC32_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CRC of data[0, len) continuing from `previous` (0 to start): crc(a ++ b) == mcb_crc32(mcb_crc32(0, a), b). */
uint32_t mcb_crc32(uint32_t previous, const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* MCB_CRC32_H */
