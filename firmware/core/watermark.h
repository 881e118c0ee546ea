/* High-water marks of RAM regions: paint at boot, scan later. Used for the stack and the tensor arena. */
#ifndef MCB_WATERMARK_H
#define MCB_WATERMARK_H

#include <stddef.h>
#include <stdint.h>

#define MCB_WATERMARK_PATTERN 0xA5A5A5A5u

/* Fills [start, start + len) with the pattern; start and len must be multiples of 4. */
void mcb_watermark_paint(void *start, size_t len);
/* Bytes used of a region filled from its top downward (a stack): len minus the untouched run at the bottom. */
size_t mcb_watermark_used_from_top(const void *start, size_t len);
/* Bytes used of a region filled from its bottom upward (an arena): len minus the untouched run at the top. */
size_t mcb_watermark_used_from_bottom(const void *start, size_t len);

#endif
