/*
 * The board side of the link (firmware/core/link.c) as a host program speaking over a pseudo-terminal, the way
 * QEMU's "-serial pty" does: it prints "char device redirected to /dev/pts/N (label serial0)" on stdout and
 * serves the link on the pty master, so the harness drives it with SerialTransport exactly as an emulated board.
 *
 * Usage: protocol_host_endpoint <input cap> <output cap> <rx buffer size, 0 = a whole frame> <run delay ms>
 * The inference is the fake rule of tests/fixtures/protocol/vectors.json ("fakeRun"). Each run is logged on
 * stderr as "run sample=<index> bytes=<n>", so a test can prove no sample ran twice. SIGUSR1 reboots the link
 * (mcb_link_init again: RESET notice, session lost), as a board reset would.
 */
#define _XOPEN_SOURCE 600
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "fake_inference.h"
#include "link.h"

static int master_fd = -1;
static volatile sig_atomic_t reboot_requested;
static long run_delay_ms;
static mcb_link link_state;
static uint8_t input_buf[65536], output_buf[65536];

static int pty_read(void *ctx, uint8_t *buf, size_t max, uint32_t timeout_ms)
{
    struct pollfd p;
    int ready;
    ssize_t n;
    (void)ctx;
    p.fd = master_fd;
    p.events = POLLIN;
    p.revents = 0;
    ready = poll(&p, 1, (int)timeout_ms);
    if (ready < 0) return errno == EINTR ? 0 : -1;
    if (ready == 0) return 0;
    n = read(master_fd, buf, max);
    if (n < 0) return (errno == EINTR || errno == EAGAIN) ? 0 : -1;
    return (int)n;
}

static int pty_write(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = write(master_fd, buf, len);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fake_run(void *ctx, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
                    mcb_link_stats *st)
{
    (void)ctx;
    fprintf(stderr, "run sample=%lu bytes=%lu\n", (unsigned long)link_state.sample, (unsigned long)in_len);
    if (run_delay_ms > 0) {
        struct timespec t;
        t.tv_sec = run_delay_ms / 1000;
        t.tv_nsec = (run_delay_ms % 1000) * 1000000L;
        nanosleep(&t, NULL);
    }
    return mcb_test_fake_inference(in, in_len, out, out_cap, out_len, st);
}

static void on_usr1(int sig)
{
    (void)sig;
    reboot_requested = 1;
}

int main(int argc, char **argv)
{
    static const mcb_link_board_info info = {
        "1.2.3", "host-test", 25000000u, {1, 2, 3, 4, 5, 6, 7, 8}, 65536u, MCB_SCHEDULE_PATCH, 5, 16,
        MCB_TIME_INSTRUCTIONS, 0, 0x0C000000u,
    };
    mcb_link_board_info board = info;
    mcb_link_config cfg;
    struct termios raw;
    int slave_fd;
    const char *slave_name;
    if (argc != 5) {
        fprintf(stderr, "usage: %s <input cap> <output cap> <rx buffer size> <run delay ms>\n", argv[0]);
        return 2;
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.input_cap = (size_t)strtoul(argv[1], NULL, 10);
    cfg.output_cap = (size_t)strtoul(argv[2], NULL, 10);
    board.rx_buffer_size = (uint16_t)strtoul(argv[3], NULL, 10);
    run_delay_ms = strtol(argv[4], NULL, 10);
    if (cfg.input_cap > sizeof input_buf || cfg.output_cap > sizeof output_buf) {
        fprintf(stderr, "buffers are limited to %lu bytes\n", (unsigned long)sizeof input_buf);
        return 2;
    }
    master_fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (master_fd < 0 || grantpt(master_fd) != 0 || unlockpt(master_fd) != 0 || (slave_name = ptsname(master_fd)) == NULL) {
        perror("pty");
        return 1;
    }
    /* Keep a slave descriptor open, as QEMU does, so the master never sees a hang-up between host opens. */
    slave_fd = open(slave_name, O_RDWR | O_NOCTTY);
    if (slave_fd < 0 || tcgetattr(slave_fd, &raw) != 0) {
        perror("pty slave");
        return 1;
    }
    cfmakeraw(&raw);
    tcsetattr(slave_fd, TCSANOW, &raw);
    signal(SIGUSR1, on_usr1);
    printf("char device redirected to %s (label serial0)\n", slave_name);
    fflush(stdout);

    cfg.io.read = pty_read;
    cfg.io.write = pty_write;
    cfg.info = &board;
    cfg.input = input_buf;
    cfg.output = output_buf;
    cfg.run = fake_run;
    mcb_link_init(&link_state, &cfg);
    for (;;) {
        if (reboot_requested) {
            reboot_requested = 0;
            fprintf(stderr, "reboot\n");
            mcb_link_init(&link_state, &cfg);
        }
        if (mcb_link_poll(&link_state, 50) < 0) break;
    }
    fprintf(stderr, "link lost\n");
    return 0;
}
