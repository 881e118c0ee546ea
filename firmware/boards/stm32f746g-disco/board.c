/* STM32F746G-DISCO: 216 MHz from the 25 MHz HSE crystal, over-drive, 7 flash wait states, ART + caches,
 * USART1 on PA9 (TX) / PB7 (RX), the pins wired to the ST-LINK virtual COM port (UM1907). RM0385 sections 3-5. */
#include "board_hooks.h"
#include "mcb_board.h"
#include "stm32_regs.h"

/* SYSCLK = 25 MHz / M * N / P = 25 / 25 * 432 / 2 = 216 MHz; Q = 9 gives 48 MHz for USB. */
#define PLL_M 25u
#define PLL_N 432u
#define PLL_P 2u
#define PLL_Q 9u
#define HSE_HZ 25000000u
#define SYSCLK_HZ (HSE_HZ / PLL_M * PLL_N / PLL_P)
#define APB2_DIVIDER 2u

_Static_assert(SYSCLK_HZ == MCB_CPU_CLOCK_HZ, "clock tree does not give the board JSON's clockHz");
_Static_assert(SYSCLK_HZ / APB2_DIVIDER == MCB_UART_CLOCK_HZ, "APB2 (USART1 clock) does not match uart.clockHz");

#define PWR_CR1_ODEN (1u << 16)
#define PWR_CR1_ODSWEN (1u << 17)
#define PWR_CSR1_ODRDY (1u << 16)
#define PWR_CSR1_ODSWRDY (1u << 17)
#define PLLCFGR_RESERVED 0xF0BC8000u
#define FLASH_ACR_LATENCY_7WS 7u
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ARTEN (1u << 9)
#define CFGR_PPRE1_DIV4 (5u << 10)
#define CFGR_PPRE2_DIV2 (4u << 13)
#define APB2ENR_USART1EN (1u << 4)
#define CCR_DC (1u << 16)
#define CCR_IC (1u << 17)

static void clock_tree_216mhz(void) {
    MCB_RCC_APB1ENR |= MCB_RCC_APB1ENR_PWREN;
    (void)MCB_RCC_APB1ENR;
    MCB_PWR_CR1 = (MCB_PWR_CR1 & ~(3u << 14)) | MCB_PWR_VOS_SCALE1;

    MCB_RCC_CR |= MCB_RCC_CR_HSEON;
    while (!(MCB_RCC_CR & MCB_RCC_CR_HSERDY)) {
    }
    MCB_RCC_PLLCFGR = (MCB_RCC_PLLCFGR & PLLCFGR_RESERVED) | PLL_M | (PLL_N << 6) | (((PLL_P / 2u) - 1u) << 16) |
                      MCB_RCC_PLLCFGR_SRC_HSE | (PLL_Q << 24);
    MCB_RCC_CR |= MCB_RCC_CR_PLLON;
    while (!(MCB_RCC_CR & MCB_RCC_CR_PLLRDY)) {
    }

    /* Above 180 MHz the regulator needs over-drive, enabled after the PLL and before the switch. */
    MCB_PWR_CR1 |= PWR_CR1_ODEN;
    while (!(MCB_PWR_CSR1 & PWR_CSR1_ODRDY)) {
    }
    MCB_PWR_CR1 |= PWR_CR1_ODSWEN;
    while (!(MCB_PWR_CSR1 & PWR_CSR1_ODSWRDY)) {
    }

    /* 7 wait states at 216 MHz and 2.7-3.6 V; wait states go up before the clock does. */
    MCB_FLASH_ACR = FLASH_ACR_LATENCY_7WS | FLASH_ACR_PRFTEN | FLASH_ACR_ARTEN;
    while ((MCB_FLASH_ACR & 0xFu) != FLASH_ACR_LATENCY_7WS) {
    }
    MCB_RCC_CFGR = CFGR_PPRE1_DIV4 | CFGR_PPRE2_DIV2 | MCB_RCC_CFGR_SW_PLL; /* AHB 216, APB1 54, APB2 108 MHz */
    while ((MCB_RCC_CFGR & MCB_RCC_CFGR_SWS_MASK) != MCB_RCC_CFGR_SWS_PLL) {
    }
}

/* Invalidate then enable the L1 caches (ARMv7-M ARM B2.2.7; Cortex-M7 TRM: 4-way D-cache, 32-byte lines). */
static void enable_caches(void) {
    mcb_dsb();
    mcb_isb();
    MCB_SCB_ICIALLU = 0u;
    mcb_dsb();
    mcb_isb();
    MCB_SCB_CCR |= CCR_IC;
    mcb_dsb();
    mcb_isb();

    MCB_SCB_CSSELR = 0u; /* level 1 data cache */
    mcb_dsb();
    uint32_t ccsidr = MCB_SCB_CCSIDR;
    uint32_t sets = ((ccsidr >> 13) & 0x7FFFu) + 1u;
    uint32_t ways = ((ccsidr >> 3) & 0x3FFu) + 1u;
    for (uint32_t set = 0; set < sets; set++) {
        for (uint32_t way = 0; way < ways; way++) {
            MCB_SCB_DCISW = (set << 5) | (way << 30);
        }
    }
    mcb_dsb();
    MCB_SCB_CCR |= CCR_DC;
    mcb_dsb();
    mcb_isb();
}

void mcb_board_init(void) {
    clock_tree_216mhz();
    enable_caches();
    MCB_RCC_APB2ENR |= APB2ENR_USART1EN;
    (void)MCB_RCC_APB2ENR;
    mcb_gpio_set_af('A', 9u, 7u); /* USART1_TX */
    mcb_gpio_set_af('B', 7u, 7u); /* USART1_RX */
}
