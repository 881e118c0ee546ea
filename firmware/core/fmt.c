#include "fmt.h"

size_t mcb_fmt_u32(char *out, uint32_t value) {
    char reversed[10];
    size_t n = 0;
    do {
        reversed[n++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u);
    for (size_t i = 0; i < n; i++) {
        out[i] = reversed[n - 1u - i];
    }
    return n;
}
