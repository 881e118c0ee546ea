/* Benchmark application: serves the host link (docs/protocol.md) and runs the embedded model image on each input
 * with the shared C runtime (native/runtime). Selected by the harness with -DMCB_APP_SOURCES=.../bench_main.c.
 *
 * Memory, all static (no malloc):
 *   - tensor arena: core/memory.c's one array of MCB_ARENA_SIZE bytes, which the harness sets to the image's
 *     arena + scratch (mcb_model_arena_bytes). Painted at boot by the startup code; its high-water mark is the
 *     highest byte ever changed.
 *   - input, one of three ways (the harness sizes MCB_BENCH_INPUT_BUFFER from the image to match):
 *     streamed (MCB_BENCH_INPUT_STREAMED, patch and stream schedules whose single input is read only in regions,
 *     mcb_model_input_streamed): no input buffer at all; during RUN the runtime's reader asks the host for each
 *     patch's input window or each input row (INPUT_REQUEST, docs/protocol.md §5.9) straight into its arena tile;
 *     in the arena (layer schedules whose only input lives there): INPUT_CHUNKs land at that tensor's offset, so
 *     the image costs no extra RAM (the runtime's copy-in is then a no-op copy onto itself);
 *     otherwise a static buffer of MCB_BENCH_INPUT_BUFFER bytes.
 *   - output: read back from the output tensor in the arena when the single output lives there and is exchanged
 *     byte for byte (the runtime's copy-out is then skipped as a copy onto itself); otherwise a static buffer of
 *     MCB_BENCH_OUTPUT_BUFFER bytes.
 * Timing: mcb_port_cycles() around mcb_model_run, less the time spent waiting for input regions (host round trips,
 * not the model's work), and around each operator's kernel calls (the runtime's op_cycles, which never include
 * that wait). On a real board those are DWT cycles (drivers/dwt.c). On QEMU (-icount shift=N) they are SysTick
 * virtual time, cycles = instructions * 2^N ns * clock, and are reported converted back to instructions. */
#include <stdint.h>
#include <string.h>

#include "link.h"
#include "link_port.h"
#include "mcb/runtime.h"
#include "mcb_board.h"
#include "memory.h"
#include "port.h"
#include "rx_ring.h"
#include "watermark.h"

#ifndef MCB_BENCH_INPUT_BUFFER
#define MCB_BENCH_INPUT_BUFFER 16
#endif
#ifndef MCB_BENCH_INPUT_STREAMED
#define MCB_BENCH_INPUT_STREAMED 0
#endif
#ifndef MCB_BENCH_OUTPUT_BUFFER
#define MCB_BENCH_OUTPUT_BUFFER 1024
#endif
#ifndef MCB_QEMU_ICOUNT_SHIFT
#define MCB_QEMU_ICOUNT_SHIFT 0
#endif
#define MCB_BENCH_FIRMWARE_VERSION "mcubench-bench 1"

/* RUN_FAILED detail: low byte = where it failed, next byte = mcb_status, high half = mcb_image_error + index. */
#define BENCH_FAIL_LOAD 1u
#define BENCH_FAIL_INPUT_SIZE 2u
#define BENCH_FAIL_OUTPUT_SIZE 3u
#define BENCH_FAIL_RUN 4u

extern uint8_t __mcb_stack_bottom[], __mcb_stack_top[];

#if MCB_BENCH_INPUT_BUFFER > 0
static uint8_t input_buffer[MCB_BENCH_INPUT_BUFFER] __attribute__((aligned(16)));
#endif
#if MCB_BENCH_OUTPUT_BUFFER > 0
static uint8_t output_buffer[MCB_BENCH_OUTPUT_BUFFER] __attribute__((aligned(16)));
#endif
static mcb_model model;
static mcb_diag load_diag;
static mcb_status load_status;
static mcb_link_board_info info;
static mcb_link link;

/* The runtime's log hook: the UART carries only protocol frames, so diagnostics are dropped. */
void mcb_port_log(const char *message) { (void)message; }

/* Cycles (or QEMU virtual-time cycles) to the unit reported in HELLO_ACK/STATS. */
static uint64_t to_time_unit(uint32_t cycles) {
#if MCB_BOARD_IS_QEMU
    return ((uint64_t)cycles * 1000000000u) / ((uint64_t)MCB_CPU_CLOCK_HZ << MCB_QEMU_ICOUNT_SHIFT);
#else
    return cycles;
#endif
}

static uint32_t fail_detail(uint32_t where, mcb_status status, const mcb_diag *diag) {
    uint32_t index = diag->index < 0 ? 0xFFu : ((uint32_t)diag->index & 0xFFu);
    return where | ((uint32_t)status << 8) | (((uint32_t)diag->error & 0xFFu) << 16) | (index << 24);
}

/* Streamed input: cycles spent waiting for the host's regions during the current run. */
static uint32_t input_wait_cycles;

/* The runtime's input reader: one region of the sample being run, asked for over the link. */
static int32_t read_input_region(void *user, const mcb_input_region *region, uint8_t *dst, uint32_t size) {
    mcb_link_region r;
    uint32_t start = mcb_port_cycles();
    int rc;
    (void)user;
    r.height = (uint32_t)region->height;
    r.width = (uint32_t)region->width;
    r.pixel_bytes = region->pixel_bytes;
    r.y0 = (uint32_t)region->y0;
    r.x0 = (uint32_t)region->x0;
    r.rows = (uint32_t)region->h;
    r.cols = (uint32_t)region->w;
    rc = region->input == 0u ? mcb_link_read_region(&link, &r, dst, size) : MCB_LINK_REGION_E_ARG;
    input_wait_cycles += mcb_port_cycles() - start;
    return rc == 0 ? 0 : -rc;
}

/* Whether this firmware streams the input: built for it, and the image agrees (one input, read in regions). */
static int input_streamed(void) {
    return MCB_BENCH_INPUT_STREAMED && load_status == MCB_OK && model.n_inputs == 1u && mcb_model_input_streamed(&model);
}

/* Per-operator times, entry i for operator i of the image: the runtime sums each op's cycles over every patch
 * of a patch stage and every row of a streamed segment into stats->op_latency itself (no second array, so
 * timing costs no RAM), and they are converted to the reported unit once, after the run. */
static void report_op_times(mcb_link_stats *stats) {
    uint32_t i, timed = model.n_ops < MCB_LINK_MAX_OPS ? model.n_ops : MCB_LINK_MAX_OPS;
    for (i = 0; i < timed; ++i) stats->op_latency[i] = (uint32_t)to_time_unit(stats->op_latency[i]);
    stats->op_count = (uint16_t)(model.n_ops < UINT16_MAX ? model.n_ops : UINT16_MAX);
}

static int run_inference(void *ctx, const uint8_t *input, size_t input_len, uint8_t *output, size_t output_cap,
                         size_t *output_len, mcb_link_stats *stats) {
    mcb_run_config config;
    mcb_diag diag;
    mcb_status status;
    uint32_t start, cycles;
    (void)ctx;
    memset(&diag, 0, sizeof diag);
    int streamed = input_streamed();
    if (load_status != MCB_OK) return (int)fail_detail(BENCH_FAIL_LOAD, load_status, &load_diag);
    if (streamed ? input != NULL : input_len != model.input_bytes) return (int)fail_detail(BENCH_FAIL_INPUT_SIZE, MCB_ERR_ARG, &diag);
    if (model.output_bytes > output_cap) return (int)fail_detail(BENCH_FAIL_OUTPUT_SIZE, MCB_ERR_MEMORY, &diag);
    memset(&config, 0, sizeof config);
    config.arena = mcb_arena();
    config.arena_size = (uint32_t)mcb_arena_size();
    config.on_op = 0;
    config.user = 0;
    config.op_cycles = stats->op_latency;
    config.op_cycles_count = MCB_LINK_MAX_OPS;
    if (streamed) {
        config.read_input = read_input_region;
        input = NULL;
        input_len = 0;
    }
    input_wait_cycles = 0;
    start = mcb_port_cycles();
    status = mcb_model_run(&model, &config, input, input_len, output, model.output_bytes, &diag);
    cycles = mcb_port_cycles() - start - input_wait_cycles;
    if (status != MCB_OK) return (int)fail_detail(BENCH_FAIL_RUN, status, &diag);
    *output_len = model.output_bytes;
    stats->latency_total = to_time_unit(cycles);
    report_op_times(stats);
    stats->stack_high_water = (uint32_t)mcb_watermark_used_from_top(
        __mcb_stack_bottom, (size_t)(__mcb_stack_top - __mcb_stack_bottom));
    stats->arena_high_water = (uint32_t)mcb_watermark_used_from_bottom(mcb_arena(), mcb_arena_size());
    return 0;
}

/* Where INPUT_CHUNKs go: straight into the arena when the single input is an arena tensor copied verbatim. */
static uint8_t *input_home(size_t *capacity) {
    uint32_t i;
    if (load_status == MCB_OK && model.n_inputs == 1u) {
        for (i = 0; i < model.n_io; ++i) {
            const mcb_img_io *io = &model.io[i];
            const mcb_img_tensor *t;
            if (io->direction != MCB_IO_INPUT) continue;
            t = &model.tensors[io->tensor];
            if (t->storage == MCB_STORAGE_ARENA && io->convert == MCB_IO_CONVERT_COPY &&
                io->external_size == t->size && (size_t)t->offset + t->size <= mcb_arena_size()) {
                *capacity = t->size;
                return mcb_arena() + t->offset;
            }
        }
    }
#if MCB_BENCH_INPUT_BUFFER > 0
    *capacity = sizeof input_buffer;
    return input_buffer;
#else
    *capacity = 0; /* streamed: nothing is ever uploaded */
    return NULL;
#endif
}

/* Where the output is read back from: the output tensor itself when the single output lives in the arena and is
 * exchanged byte for byte (it stays there until the next input arrives), otherwise the static buffer. */
static uint8_t *output_home(size_t *capacity) {
    uint32_t i;
    if (load_status == MCB_OK && model.n_outputs == 1u) {
        for (i = 0; i < model.n_io; ++i) {
            const mcb_img_io *io = &model.io[i];
            const mcb_img_tensor *t;
            if (io->direction != MCB_IO_OUTPUT) continue;
            t = &model.tensors[io->tensor];
            if (t->storage == MCB_STORAGE_ARENA && io->convert == MCB_IO_CONVERT_COPY &&
                io->external_size == t->size && (size_t)t->offset + t->size <= mcb_arena_size()) {
                *capacity = t->size;
                return mcb_arena() + t->offset;
            }
        }
    }
#if MCB_BENCH_OUTPUT_BUFFER > 0
    *capacity = sizeof output_buffer;
    return output_buffer;
#else
    *capacity = 0;
    return NULL;
#endif
}

int main(void) {
    mcb_link_config config;
    size_t input_capacity = 0, output_capacity = 0;
    uint8_t *input;

    load_status = mcb_model_load(&model, mcb_model_image(), mcb_model_image_size(), &load_diag);
    if (load_status == MCB_OK && mcb_model_arena_bytes(&model) > mcb_arena_size()) {
        load_status = MCB_ERR_MEMORY;
        load_diag.error = MCB_IMAGE_ERR_ARENA_TOO_SMALL;
        load_diag.index = -1;
    }
    input = input_home(&input_capacity);

    info.firmware_version = MCB_BENCH_FIRMWARE_VERSION;
    info.board_id = MCB_BOARD_ID;
    info.core_clock_hz = MCB_CPU_CLOCK_HZ;
    if (load_status == MCB_OK) {
        /* The image header's SHA-256 of its content: the host compares it with the image it packed. */
        memcpy(info.model_hash, model.header->model_hash, MCB_PROTO_MODEL_HASH_SIZE);
        if (model.patch) {
            info.schedule = MCB_SCHEDULE_PATCH;
            info.split = (uint16_t)model.patch->stage_op_count;
            info.patches = (uint16_t)model.patch->patch_count;
        }
    }
    info.arena_size = (uint32_t)mcb_arena_size();
    info.time_unit = MCB_BOARD_IS_QEMU ? MCB_TIME_INSTRUCTIONS : MCB_TIME_CYCLES;
    info.rx_buffer_size = (uint16_t)MCB_RX_RING_SIZE;
    info.reset_cause = 0;

    config.io = mcb_link_port_io();
    config.info = &info;
    config.input = input;
    config.input_cap = input_capacity;
    config.output = output_home(&output_capacity);
    config.output_cap = output_capacity;
    config.run = run_inference;
    config.run_ctx = 0;
    config.input_streamed = input_streamed();
    if (config.input_streamed) {
        config.input = NULL;
        config.input_cap = 0;
    }
    (void)mcb_link_init(&link, &config);
    for (;;) {
        (void)mcb_link_poll(&link, 1000u);
    }
}
