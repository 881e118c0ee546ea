/* NUCLEO-F412ZG: 100 MHz from the 16 MHz HSI (needs no solder-bridge choice for the ST-LINK MCO),
 * 3 flash wait states, USART3 on PD8 (TX) / PD9 (RX), the ST-LINK virtual COM port (UM1974). RM0402 sections 3, 6. */
#include "board_hooks.h"
#include "mcb_board.h"
#include "stm32_regs.h"

/* SYSCLK = 16 MHz / M * N / P = 16 / 8 * 100 / 2 = 100 MHz; Q = 4 and R = 2 keep their outputs in range. */
#define PLL_M 8u
#define PLL_N 100u
#define PLL_P 2u
#define PLL_Q 4u
#define PLL_R 2u
#define HSI_HZ 16000000u
#define SYSCLK_HZ (HSI_HZ / PLL_M * PLL_N / PLL_P)
#define APB1_DIVIDER 2u

_Static_assert(SYSCLK_HZ == MCB_CPU_CLOCK_HZ, "clock tree does not give the board JSON's clockHz");
_Static_assert(SYSCLK_HZ / APB1_DIVIDER == MCB_UART_CLOCK_HZ, "APB1 (USART3 clock) does not match uart.clockHz");

#define FLASH_ACR_LATENCY_3WS 3u
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)
#define CFGR_PPRE1_DIV2 (4u << 10)
#define APB1ENR_USART3EN (1u << 18)

static void clock_tree_100mhz(void) {
    MCB_RCC_APB1ENR |= MCB_RCC_APB1ENR_PWREN;
    (void)MCB_RCC_APB1ENR;
    MCB_PWR_CR1 = (MCB_PWR_CR1 & ~(3u << 14)) | MCB_PWR_VOS_SCALE1;

    /* HSI is on after reset; PLL source bit 22 = 0 selects it. */
    MCB_RCC_PLLCFGR = PLL_M | (PLL_N << 6) | (((PLL_P / 2u) - 1u) << 16) | (PLL_Q << 24) | (PLL_R << 28);
    MCB_RCC_CR |= MCB_RCC_CR_PLLON;
    while (!(MCB_RCC_CR & MCB_RCC_CR_PLLRDY)) {
    }

    /* 3 wait states at 100 MHz and 2.7-3.6 V; set before the faster clock is selected. */
    MCB_FLASH_ACR = FLASH_ACR_LATENCY_3WS | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
    while ((MCB_FLASH_ACR & 0xFu) != FLASH_ACR_LATENCY_3WS) {
    }
    MCB_RCC_CFGR = CFGR_PPRE1_DIV2 | MCB_RCC_CFGR_SW_PLL; /* AHB 100, APB1 50, APB2 100 MHz */
    while ((MCB_RCC_CFGR & MCB_RCC_CFGR_SWS_MASK) != MCB_RCC_CFGR_SWS_PLL) {
    }
}

void mcb_board_init(void) {
    clock_tree_100mhz();
    MCB_RCC_APB1ENR |= APB1ENR_USART3EN;
    (void)MCB_RCC_APB1ENR;
    mcb_gpio_set_af('D', 8u, 7u); /* USART3_TX */
    mcb_gpio_set_af('D', 9u, 7u); /* USART3_RX */
}
