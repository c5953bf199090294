import Testing
import FoveaKernels

@Test("glibc keeps freed memory for reuse once asked to")
func retainFreedMemoryAppliesOnGlibc() {
    #if os(Linux)
    #expect(KernelMemory.retainFreedMemory())
    #else
    #expect(!KernelMemory.retainFreedMemory())
    #endif
}
