/* MLPerf Tiny / EEMBC DUT application: the embedded model image behind the device-under-test command set the
 * MLPerf Tiny runner speaks over the console UART (115200 baud on real boards), so the official runner (and
 * `mcubench run --dut mlperf-tiny`) can drive our firmware and our patch schedules. Selected by the harness with
 * -DMCB_APP_SOURCES=.../mlperf_main.c (`mcubench build --dut mlperf-tiny`).
 *
 * Commands end with '%'; every answer ends with "m-ready\r\n":
 *   name%            m-name-dut-[mcubench]
 *   profile%         m-profile-[mcubench ...], m-model-[<board>], m-input-bytes-[N], m-output-bytes-[N]
 *   db load N%       m-[Expecting N bytes]        (N must be the model's input size)
 *   db <hex>%        hex pairs appended; m-load-done once N bytes arrived
 *   infer N W%       W warm-up runs (default 10), then N timed runs: m-warmup-start-W, m-warmup-done, m-infer-start-N,
 *                    m-lap-us-<t> before and after, m-infer-done, then the results line
 *   results%         m-results-[v0,v1,...]: outputs dequantized (scale, zero point of the image's IO record),
 *                    6 decimals, so an int8 output is recovered exactly from its value
 * Errors answer "e-[<what>]". Lengths from the wire are bounds-checked; all memory is static. */
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "mcb/runtime.h"
#include "mcb_board.h"
#include "memory.h"
#include "port.h"

#ifndef MCB_BENCH_INPUT_BUFFER
#define MCB_BENCH_INPUT_BUFFER 16
#endif
#ifndef MCB_BENCH_OUTPUT_BUFFER
#define MCB_BENCH_OUTPUT_BUFFER 1024
#endif
#define COMMAND_MAX 256u

static uint8_t input_buffer[MCB_BENCH_INPUT_BUFFER] __attribute__((aligned(16)));
static uint8_t output_buffer[MCB_BENCH_OUTPUT_BUFFER] __attribute__((aligned(16)));
static char command[COMMAND_MAX];
static mcb_model model;
static mcb_status load_status;
static uint8_t *input;
static size_t input_cap, expected, loaded;
static int have_output;

void mcb_port_log(const char *message) { (void)message; }

static void put(const char *text) { mcb_port_write(text, strlen(text)); }

static void put_u32(uint32_t value) {
    char digits[10];
    mcb_port_write(digits, mcb_fmt_u32(digits, value));
}

static void ready(void) { put("m-ready\r\n"); }

static void error(const char *what) {
    put("e-[");
    put(what);
    put("]\r\n");
}

static uint32_t micros(void) {
    uint64_t cycles = mcb_port_cycles();
    return (uint32_t)((cycles * 1000000u) / mcb_port_cycles_hz());
}

static int run_once(void) {
    mcb_run_config config;
    mcb_diag diag;
    memset(&config, 0, sizeof config);
    memset(&diag, 0, sizeof diag);
    config.arena = mcb_arena();
    config.arena_size = (uint32_t)mcb_arena_size();
    return mcb_model_run(&model, &config, input, model.input_bytes, output_buffer, model.output_bytes, &diag) == MCB_OK;
}

/* One value with 6 decimals: sign, integer part, fraction, from the rounded value in millionths. */
static void put_value(double value) {
    uint64_t millionths;
    if (value < 0) {
        put("-");
        value = -value;
    }
    millionths = (uint64_t)(value * 1000000.0 + 0.5);
    put_u32((uint32_t)(millionths / 1000000u));
    {
        char fraction[7];
        uint32_t rest = (uint32_t)(millionths % 1000000u);
        int k;
        for (k = 5; k >= 0; --k) {
            fraction[k] = (char)('0' + rest % 10u);
            rest /= 10u;
        }
        fraction[6] = '\0';
        put(".");
        put(fraction);
    }
}

static void put_results(void) {
    uint32_t i, at = 0, first = 1;
    put("m-results-[");
    for (i = 0; i < model.n_io; ++i) {
        const mcb_img_io *io = &model.io[i];
        /* A copied int8/uint8 output carries its tensor's quantization; a converted one its IO record's. */
        const mcb_img_tensor *t = &model.tensors[io->tensor];
        double scale = io->convert == MCB_IO_CONVERT_COPY ? t->scale : io->scale;
        int32_t zero_point = io->convert == MCB_IO_CONVERT_COPY ? t->zero_point : io->zero_point;
        uint32_t k;
        if (io->direction != MCB_IO_OUTPUT) continue;
        for (k = 0; k < io->external_size;) {
            double value;
            if (io->external_dtype == MCB_DTYPE_FLOAT32) {
                float f;
                memcpy(&f, &output_buffer[at + k], sizeof f);
                value = f;
                k += 4u;
            } else if (io->external_dtype == MCB_DTYPE_UINT8) {
                value = ((double)output_buffer[at + k] - zero_point) * scale;
                k += 1u;
            } else {
                value = ((double)(int8_t)output_buffer[at + k] - zero_point) * scale;
                k += 1u;
            }
            if (!first) put(",");
            first = 0;
            put_value(value);
        }
        at += io->external_size;
    }
    put("]\r\n");
}

static int parse_u32(const char *text, uint32_t *out) {
    uint32_t value = 0;
    if (*text < '0' || *text > '9') return 0;
    while (*text >= '0' && *text <= '9') {
        if (value > 429496728u) return 0;
        value = value * 10u + (uint32_t)(*text++ - '0');
    }
    *out = value;
    return *text == '\0' || *text == ' ';
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void db_hex(const char *hex) {
    while (hex[0] != '\0' && hex[1] != '\0') {
        int hi = hex_digit(hex[0]), lo = hex_digit(hex[1]);
        if (hi < 0 || lo < 0) {
            error("bad hex");
            return;
        }
        if (loaded >= expected) {
            error("more bytes than db load announced");
            return;
        }
        input[loaded++] = (uint8_t)(hi * 16 + lo);
        hex += 2;
    }
    if (hex[0] != '\0') error("odd number of hex digits");
    else if (loaded == expected) put("m-load-done\r\n");
}

static void infer(const char *args) {
    uint32_t count = 1, warmup = 10, i, start, end; /* the reference DUT warms up 10 times unless told */
    const char *space;
    if (*args != '\0' && !parse_u32(args, &count)) {
        error("infer N W: N must be a number");
        return;
    }
    space = strchr(args, ' ');
    if (space && !parse_u32(space + 1, &warmup)) {
        error("infer N W: W must be a number");
        return;
    }
    if (count == 0u || loaded != model.input_bytes || expected != model.input_bytes) {
        error(count == 0u ? "infer needs N >= 1" : "no complete input loaded (db load N, then db <hex>)");
        return;
    }
    put("m-warmup-start-");
    put_u32(warmup);
    put("\r\n");
    for (i = 0; i < warmup; ++i) if (!run_once()) { error("inference failed"); return; }
    put("m-warmup-done\r\nm-infer-start-");
    put_u32(count);
    put("\r\n");
    start = micros();
    for (i = 0; i < count; ++i) if (!run_once()) { error("inference failed"); return; }
    end = micros();
    have_output = 1;
    put("m-lap-us-");
    put_u32(start);
    put("\r\nm-lap-us-");
    put_u32(end);
    put("\r\nm-infer-done\r\n");
    put_results();
}

static void handle(char *line) {
    uint32_t n;
    if (load_status != MCB_OK) {
        error("model image did not load");
    } else if (strcmp(line, "name") == 0) {
        put("m-name-dut-[mcubench]\r\n");
    } else if (strcmp(line, "profile") == 0) {
        put("m-profile-[mcubench MLPerf Tiny DUT 1]\r\nm-model-[" MCB_BOARD_ID "]\r\nm-input-bytes-[");
        put_u32(model.input_bytes);
        put("]\r\nm-output-bytes-[");
        put_u32(model.output_bytes);
        put("]\r\n");
    } else if (strncmp(line, "db load ", 8) == 0) {
        if (!parse_u32(line + 8, &n) || n != model.input_bytes || n > input_cap) {
            error("db load N: N must be the model's input size");
        } else {
            expected = n;
            loaded = 0;
            have_output = 0;
            put("m-[Expecting ");
            put_u32(n);
            put(" bytes]\r\n");
        }
    } else if (strncmp(line, "db ", 3) == 0) {
        if (expected == 0) error("db <hex> before db load N");
        else db_hex(line + 3);
    } else if (strncmp(line, "infer", 5) == 0 && (line[5] == '\0' || line[5] == ' ')) {
        infer(line[5] == ' ' ? line + 6 : line + 5);
    } else if (strcmp(line, "results") == 0) {
        if (have_output) put_results();
        else error("no results yet (infer N W first)");
    } else {
        error("unknown command");
    }
    ready();
}

int main(void) {
    static mcb_diag diag;
    size_t length = 0;
    load_status = mcb_model_load(&model, mcb_model_image(), mcb_model_image_size(), &diag);
    if (load_status == MCB_OK && (mcb_model_arena_bytes(&model) > mcb_arena_size() || model.output_bytes > sizeof output_buffer)) {
        load_status = MCB_ERR_MEMORY;
    }
    /* Always the static buffer, never the arena: `infer N W` runs the model N + W times on one loaded input, and
     * a run overwrites arena tensors (the harness sizes the buffer to the whole input in this mode). */
    input = input_buffer;
    input_cap = sizeof input_buffer;
    put("m-init-done\r\n");
    ready();
    for (;;) {
        int c = mcb_port_getc(MCB_PORT_WAIT_FOREVER);
        if (c == MCB_PORT_NO_BYTE || c == '\r' || c == '\n') continue;
        if (c == '%') {
            command[length] = '\0';
            handle(command);
            length = 0;
        } else if (length + 1u < COMMAND_MAX) {
            command[length++] = (char)c;
        } else {
            /* Too long: drop the rest up to the '%' and say so. */
            while ((c = mcb_port_getc(MCB_PORT_WAIT_FOREVER)) != '%') {
            }
            length = 0;
            error("command too long");
            ready();
        }
    }
}
