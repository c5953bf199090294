import CFoveaKernels
import Foundation

/// The machine's measured single-precision peak: fused multiply-adds on registers only.
public enum PeakRate {
    /// Measured GFLOP/s of fused multiply-adds on `threads` threads in the widest vectors of
    /// ``KernelInstructionSet/active`` (each thread runs the same register-only loop for about
    /// 0.1 s), or nil when only the portable kernels run.
    public static func measureGigaflops(threads: Int = KernelThreads.limit) -> Double? {
        let probe: @Sendable (Int) -> Void
        let flopsPerRound: Double
        let rounds: Int
        switch KernelInstructionSet.active {
        case .portable:
            return nil
        case .avx2:
            probe = { _ = fovea_fma_peak_probe($0) }
            flopsPerRound = 192  // 12 vectors × 8 lanes × 2
            rounds = 20_000_000
        case .avx512:
            probe = { _ = fovea_fma_peak_probe_avx512($0) }
            flopsPerRound = 768  // 24 vectors × 16 lanes × 2
            rounds = 10_000_000
        }
        probe(100_000)  // wake the core up
        let start = ContinuousClock.now
        if threads <= 1 {
            probe(rounds)
        } else {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in probe(rounds) }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return flopsPerRound * Double(rounds) * Double(max(threads, 1)) / seconds / 1e9
    }
}
