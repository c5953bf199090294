// The declarations in include/FuzzerDriver.h are implemented by libFuzzer's runtime.
#include "FuzzerDriver.h"
