import Benchmark
import FoveaKernels

/// Square `n × n` operands, filled once and reused by every iteration.
///
/// `@unchecked Sendable`: the benchmark runs one iteration at a time, and only `c` is written.
private final class SquareOperands: @unchecked Sendable {
    let n: Int
    let a: UnsafeMutablePointer<Float>
    let b: UnsafeMutablePointer<Float>
    let c: UnsafeMutablePointer<Float>

    init(n: Int) {
        self.n = n
        a = .allocate(capacity: n * n)
        b = .allocate(capacity: n * n)
        c = .allocate(capacity: n * n)
        var state: UInt32 = 12345
        for i in 0..<(n * n) {
            state = state &* 1_664_525 &+ 1_013_904_223
            a[i] = Float(state >> 8) / Float(1 << 24) - 0.5
            state = state &* 1_664_525 &+ 1_013_904_223
            b[i] = Float(state >> 8) / Float(1 << 24) - 0.5
        }
        c.initialize(repeating: 0, count: n * n)
    }

    deinit {
        a.deallocate()
        b.deallocate()
        c.deallocate()
    }

    func multiply(options: GEMM.Options) {
        GEMM.sgemm(
            transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n,
            beta: 0, c: c, ldc: n, options: options)
    }
}

/// GFLOP/s of the measured iterations, counting 2·n³ floating-point operations per product.
private let gflops = BenchmarkMetric.custom("GFLOP/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    let allThreads = GEMM.activeProcessorCount
    let threadCounts = allThreads > 1 ? [1, allThreads] : [1]
    for n in [256, 1024, 2048] {
        let operands = SquareOperands(n: n)
        let flops = 2.0 * Double(n) * Double(n) * Double(n)
        var kernels: [GEMM.MicroKernel] = [.automatic]
        if n == 1024 { kernels.append(.portable) }
        for kernel in kernels {
            for threads in threadCounts where kernel == .automatic || threads == 1 {
                let suffix = kernel == .portable ? " portable" : ""
                let options = GEMM.Options(maxThreads: threads, microKernel: kernel)
                Benchmark(
                    "sgemm \(n)\(suffix) (\(threads) thread\(threads == 1 ? "" : "s"))",
                    configuration: .init(
                        // CPU-time and memory sampling allocate inside the measured region
                        // themselves, which would hide the product's own allocation count.
                        metrics: [.wallClock, .mallocCountTotal, gflops],
                        timeUnits: n <= 256 ? .microseconds : .milliseconds,
                        warmupIterations: 2,
                        maxDuration: .seconds(3),
                        maxIterations: n <= 256 ? 2000 : 50)
                ) { benchmark in
                    let clock = ContinuousClock()
                    var elapsed = Duration.zero
                    for _ in benchmark.scaledIterations {
                        let start = clock.now
                        operands.multiply(options: options)
                        elapsed += clock.now - start
                    }
                    let seconds = Double(elapsed.components.seconds)
                        + Double(elapsed.components.attoseconds) * 1e-18
                    let count = Double(benchmark.scaledIterations.count)
                    benchmark.measurement(gflops, Int((flops * count / seconds / 1e9).rounded()))
                    blackHole(operands.c[0])
                }
            }
        }
    }
}
