import Foundation
import FuzzerDriver

// libFuzzer's driver with the harness of Harness.swift (libFuzzer's own main calls the same
// LLVMFuzzerTestOneInput when the linker picks it instead).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
