import CFoveaKernels
import Foundation

/// The machine's measured single-precision peak: fused multiply-adds on registers only.
public enum PeakRate {
    /// FLOP per round of `fovea_fma_peak_probe`: 12 vectors × 8 lanes × 2.
    private static let flopsPerRound = 192.0

    /// Measured GFLOP/s of AVX2 fused multiply-adds on `threads` threads (each runs the same
    /// register-only loop for about 0.1 s), or nil on a CPU without AVX2 and FMA.
    public static func measureGigaflops(threads: Int = KernelThreads.limit) -> Double? {
        guard cpuHasAVX2FMA else { return nil }
        let rounds = 20_000_000
        _ = fovea_fma_peak_probe(100_000)  // wake the core up
        let start = ContinuousClock.now
        if threads <= 1 {
            _ = fovea_fma_peak_probe(rounds)
        } else {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in _ = fovea_fma_peak_probe(rounds) }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return flopsPerRound * Double(rounds) * Double(max(threads, 1)) / seconds / 1e9
    }
}
