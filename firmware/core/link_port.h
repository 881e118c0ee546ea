/* mcb_link_io over the firmware port (core/port.h): the link's UART callbacks on real and emulated boards. */
#ifndef MCB_LINK_PORT_H
#define MCB_LINK_PORT_H

#include "link.h"

/* read: waits up to timeout_ms for one byte, then takes whatever else the receive ring already holds.
 * write: blocking mcb_port_write. */
mcb_link_io mcb_link_port_io(void);

#endif /* MCB_LINK_PORT_H */
