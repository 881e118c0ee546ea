/* mcubench flash loader for STM32F4/F7 (RM0090 §3.6, RM0385 §3.3): runs from SRAM, programs buffers the host
 * fills while it works (double-buffered), and computes CRC-32 over flash for the verify. Thumb-1 instructions
 * only (the ST-Link simulator executes them; see harness/flash/stlink/sim/thumb-core.ts).
 *
 * Entry PROGRAM (offset 0): r0 = parameter block, laid out as (byte offsets)
 *   0x00 FLASH interface base (0x40023C00)      0x04 status: 0, or FLASH_SR when an error flag was set
 *   0x08 buffer 0: flag, destination, length, data address (flag: host 1 = full, 2 = stop; loader 0 = free)
 *   0x18 buffer 1: the same four words
 * Buffers are taken in turn 0, 1, 0, ...; each is programmed word by word with PG and x32 parallelism, BSY polled
 * after every word. The loader halts on BKPT #0 after a stop, on BKPT #1 after an error.
 * Entry CRC (offset 2): r0 = start, r1 = length in bytes; returns the CRC-32 (IEEE, reflected) in r0, BKPT #0.
 * Both feed the independent watchdog while they wait: an old firmware's IWDG keeps running while the core runs.
 */
    .syntax unified
    .cpu cortex-m0               /* ARMv6-M: the assembler refuses anything but 16-bit Thumb; M4/M7 run it unchanged */
    .thumb
    .text
    .global loader_start
loader_start:
    b program
    b crc

program:
    movs r7, #0                 /* offset of the current buffer descriptor: 0 or 16 */
wait:
    ldr r1, =0x40003000         /* IWDG_KR */
    ldr r2, =0xAAAA             /* reload key */
    str r2, [r1]
    adds r6, r0, r7
    ldr r1, [r6, #8]            /* flag */
    cmp r1, #0
    beq wait
    cmp r1, #2
    beq stop
    ldr r2, [r6, #12]           /* destination in flash */
    ldr r3, [r6, #16]           /* length in bytes, a multiple of 4 */
    ldr r4, [r6, #20]           /* data in SRAM */
    ldr r5, [r0, #0]            /* FLASH interface */
    movs r1, #1
    lsls r1, r1, #9
    adds r1, r1, #1             /* CR = PSIZE x32 (0x200) | PG */
    str r1, [r5, #16]
word:
    cmp r3, #0
    beq buffer_done
    ldr r1, [r4, #0]
    str r1, [r2, #0]
    adds r4, #4
    adds r2, #4
    subs r3, #4
busy:
    ldr r1, [r5, #12]           /* FLASH_SR */
    lsrs r1, r1, #17            /* carry = BSY (bit 16) */
    bcs busy
    ldr r1, [r5, #12]
    lsls r1, r1, #24
    lsrs r1, r1, #25            /* bits 7..1: PGSERR/ERSERR PGPERR PGAERR WRPERR . . OPERR */
    bne error
    b word
buffer_done:
    movs r1, #0
    str r1, [r5, #16]           /* CR = 0: PG off */
    str r1, [r6, #8]            /* buffer free for the host */
    movs r1, #16
    eors r7, r1
    b wait
stop:
    movs r1, #0
    str r1, [r6, #8]            /* stop acknowledged */
    bkpt #0
error:
    ldr r1, [r5, #12]
    str r1, [r0, #4]            /* status = FLASH_SR */
    movs r1, #0
    str r1, [r5, #16]
    bkpt #1

crc:
    movs r2, #0
    mvns r2, r2                 /* crc = 0xFFFFFFFF */
    ldr r3, =0xEDB88320
crc_byte:
    cmp r1, #0
    beq crc_done
    ldr r4, =0x40003000
    ldr r5, =0xAAAA
    str r5, [r4]
    ldrb r4, [r0, #0]
    eors r2, r4
    adds r0, #1
    subs r1, #1
    movs r5, #8
crc_bit:
    lsrs r2, r2, #1             /* carry = the bit shifted out */
    bcc crc_no_xor
    eors r2, r3
crc_no_xor:
    subs r5, #1
    bne crc_bit
    b crc_byte
crc_done:
    mvns r2, r2
    movs r0, r2
    bkpt #0
    .ltorg
