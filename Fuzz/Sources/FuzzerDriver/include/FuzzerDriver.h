// libFuzzer's driver, linked by -sanitize=fuzzer. The harnesses call it from their own main
// (SwiftPM gives every executable target a main of its own, so libFuzzer's main is not used).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
