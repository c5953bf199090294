import Synchronization

/// The process-wide limit on the threads a kernel call may use.
///
/// Every kernel reads it at the start of a call; results never depend on it (work is split
/// into the same pieces and reduced in the same order however many threads run them).
public enum KernelThreads {
    private static let storage = Atomic<Int>(0)

    /// Most threads a limit may ask for (per-thread workspaces grow with it).
    public static let maximum = 256

    /// Threads a convolution or pooling call may use: ``GEMM/activeProcessorCount`` until set;
    /// values are clamped to 1…``maximum``. A matrix product never uses more threads than processors.
    public static var limit: Int {
        get {
            let value = storage.load(ordering: .relaxed)
            return value > 0 ? value : GEMM.activeProcessorCount
        }
        set { storage.store(min(max(newValue, 1), maximum), ordering: .relaxed) }
    }
}
