/* The module in flash: boards/cortex-m/module.S. */
#include "../cortex-m/module.S"
