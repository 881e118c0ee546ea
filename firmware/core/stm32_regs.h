/* STM32F4/F7 RCC, PWR, FLASH and GPIO registers shared by the real-board clock/pin code (RM0090, RM0402, RM0385). */
#ifndef MCB_STM32_REGS_H
#define MCB_STM32_REGS_H

#include "cortex_m.h"

#define MCB_RCC_BASE 0x40023800u
#define MCB_RCC_CR MCB_REG32(MCB_RCC_BASE + 0x00u)
#define MCB_RCC_PLLCFGR MCB_REG32(MCB_RCC_BASE + 0x04u)
#define MCB_RCC_CFGR MCB_REG32(MCB_RCC_BASE + 0x08u)
#define MCB_RCC_AHB1ENR MCB_REG32(MCB_RCC_BASE + 0x30u)
#define MCB_RCC_APB1ENR MCB_REG32(MCB_RCC_BASE + 0x40u)
#define MCB_RCC_APB2ENR MCB_REG32(MCB_RCC_BASE + 0x44u)

#define MCB_RCC_CR_HSEON (1u << 16)
#define MCB_RCC_CR_HSERDY (1u << 17)
#define MCB_RCC_CR_PLLON (1u << 24)
#define MCB_RCC_CR_PLLRDY (1u << 25)
#define MCB_RCC_PLLCFGR_SRC_HSE (1u << 22)
#define MCB_RCC_CFGR_SW_PLL 2u
#define MCB_RCC_CFGR_SWS_MASK (3u << 2)
#define MCB_RCC_CFGR_SWS_PLL (2u << 2)
#define MCB_RCC_APB1ENR_PWREN (1u << 28)

#define MCB_PWR_CR1 MCB_REG32(0x40007000u) /* PWR_CR on F4 */
#define MCB_PWR_CSR1 MCB_REG32(0x40007004u) /* PWR_CSR on F4 */
#define MCB_PWR_VOS_SCALE1 (3u << 14)

#define MCB_FLASH_ACR MCB_REG32(0x40023C00u)

#define MCB_GPIO_BASE(port) (0x40020000u + 0x400u * (uint32_t)((port) - 'A'))
#define MCB_GPIO_MODER(port) MCB_REG32(MCB_GPIO_BASE(port) + 0x00u)
#define MCB_GPIO_OSPEEDR(port) MCB_REG32(MCB_GPIO_BASE(port) + 0x08u)
#define MCB_GPIO_PUPDR(port) MCB_REG32(MCB_GPIO_BASE(port) + 0x0Cu)
#define MCB_GPIO_AFR(port, pin) MCB_REG32(MCB_GPIO_BASE(port) + ((pin) < 8u ? 0x20u : 0x24u))

/* Routes one pin to alternate function af, high speed, with a pull-up (keeps an idle UART line high). */
static inline void mcb_gpio_set_af(char port, uint32_t pin, uint32_t af) {
    MCB_RCC_AHB1ENR |= 1u << (uint32_t)(port - 'A');
    (void)MCB_RCC_AHB1ENR; /* read back: the clock must be running before the GPIO registers are written */
    uint32_t shift2 = pin * 2u;
    uint32_t shift4 = (pin % 8u) * 4u;
    MCB_GPIO_AFR(port, pin) = (MCB_GPIO_AFR(port, pin) & ~(0xFu << shift4)) | (af << shift4);
    MCB_GPIO_OSPEEDR(port) = (MCB_GPIO_OSPEEDR(port) & ~(3u << shift2)) | (2u << shift2);
    MCB_GPIO_PUPDR(port) = (MCB_GPIO_PUPDR(port) & ~(3u << shift2)) | (1u << shift2);
    MCB_GPIO_MODER(port) = (MCB_GPIO_MODER(port) & ~(3u << shift2)) | (2u << shift2);
}

#endif
