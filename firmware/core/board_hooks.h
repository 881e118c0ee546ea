/* Hooks that only some boards implement (firmware/boards/<board-id>/). Emulated boards need none. */
#ifndef MCB_BOARD_HOOKS_H
#define MCB_BOARD_HOOKS_H

/* Clock tree, flash wait states, caches and UART pins; runs before any driver. Weak no-op by default. */
void mcb_board_init(void);

#endif
