import CFoveaKernels

/// Process-wide memory settings for loops that allocate the same large arrays again and again.
public enum KernelMemory {
    /// Asks the C library's allocator (glibc) to keep freed blocks below 32 MiB mapped instead of
    /// returning them to the system, so that each step of a training loop or benchmark reuses
    /// pages rather than faulting in and zero-filling fresh ones (a quarter of a LeNet-5 step
    /// without it). Affects the whole process; the `fovea` command calls it at start-up.
    /// Returns whether the setting was applied (false with another C library).
    @discardableResult
    public static func retainFreedMemory() -> Bool {
        fovea_retain_freed_memory() == 1
    }
}
