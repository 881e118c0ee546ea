/* mcb_link_io over the firmware port; see link_port.h. */
#include "link_port.h"

#include "port.h"

static int port_read(void *ctx, uint8_t *buf, size_t max, uint32_t timeout_ms)
{
    size_t n = 0;
    int c;
    (void)ctx;
    if (max == 0) return 0;
    c = mcb_port_getc(timeout_ms);
    if (c == MCB_PORT_NO_BYTE) return 0;
    buf[n++] = (uint8_t)c;
    /* Drain what already arrived without waiting, so one poll handles a burst. */
    while (n < max && (c = mcb_port_getc(0)) != MCB_PORT_NO_BYTE) buf[n++] = (uint8_t)c;
    return (int)n;
}

static int port_write(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    mcb_port_write(buf, len);
    return 0;
}

static long port_set_baud(void *ctx, uint32_t baud, int check_only)
{
    (void)ctx;
    return mcb_port_set_baud(baud, check_only);
}

static uint32_t port_millis(void *ctx)
{
    (void)ctx;
    return mcb_port_millis();
}

mcb_link_io mcb_link_port_io(void)
{
    mcb_link_io io;
    io.ctx = 0;
    io.read = port_read;
    io.write = port_write;
    io.set_baud = port_set_baud;
    io.millis = port_millis;
    return io;
}
