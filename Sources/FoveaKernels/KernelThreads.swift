import Synchronization

/// The process-wide limit on the threads a kernel call may use.
///
/// Every kernel reads it at the start of a call; results never depend on it (work is split
/// into the same pieces and reduced in the same order however many threads run them).
public enum KernelThreads {
    private static let storage = Atomic<Int>(0)

    /// Threads a kernel call may use: 1…``GEMM/activeProcessorCount``; all of them until set.
    public static var limit: Int {
        get {
            let value = storage.load(ordering: .relaxed)
            return value > 0 ? min(value, GEMM.activeProcessorCount) : GEMM.activeProcessorCount
        }
        set { storage.store(max(newValue, 1), ordering: .relaxed) }
    }
}
