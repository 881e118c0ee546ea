/* Names for mcb_status values, for logs and error messages. */
#include "mcb/status.h"

const char *mcb_status_name(mcb_status status) {
  switch (status) {
    case MCB_OK: return "MCB_OK";
    case MCB_ERR_ARG: return "MCB_ERR_ARG";
    case MCB_ERR_SHAPE: return "MCB_ERR_SHAPE";
    case MCB_ERR_WINDOW: return "MCB_ERR_WINDOW";
    case MCB_ERR_ALIAS: return "MCB_ERR_ALIAS";
    case MCB_ERR_SCRATCH: return "MCB_ERR_SCRATCH";
    case MCB_ERR_UNSUPPORTED: return "MCB_ERR_UNSUPPORTED";
    case MCB_ERR_FORMAT: return "MCB_ERR_FORMAT";
    case MCB_ERR_VERSION: return "MCB_ERR_VERSION";
    case MCB_ERR_MEMORY: return "MCB_ERR_MEMORY";
    case MCB_ERR_OP: return "MCB_ERR_OP";
    case MCB_ERR_INPUT: return "MCB_ERR_INPUT";
  }
  return "MCB_ERR_UNKNOWN";
}
