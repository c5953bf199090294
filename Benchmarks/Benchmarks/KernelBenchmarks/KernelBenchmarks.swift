import Benchmark
import FoveaBench

/// GFLOP/s of the measured iterations, with the FLOP counting of `fovea bench`.
private let gflops = BenchmarkMetric.custom("GFLOP/s", polarity: .prefersLarger, useScalingFactor: false)

/// The convolution, pooling and training-step cases of `fovea bench` (the GEMM cases are in
/// `GEMMBenchmarks`), each as a forward and a forward+backward benchmark, on all processors.
let benchmarks: @Sendable () -> Void = {
    for benchmarkCase in BenchmarkCase.allCases where benchmarkCase.matrixSize == nil {
        guard let workload = try? BenchmarkWorkload(benchmarkCase) else { continue }
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, gflops],
            timeUnits: .milliseconds, warmupIterations: 2, maxDuration: .seconds(3), maxIterations: 50)
        if workload.hasForward {
            Benchmark("\(benchmarkCase.name) forward", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations { workload.forward() }
            }
        }
        Benchmark("\(benchmarkCase.name) forward+backward", configuration: configuration) { benchmark in
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            for _ in benchmark.scaledIterations {
                let start = clock.now
                try workload.forwardBackward()
                elapsed += clock.now - start
            }
            if let flops = benchmarkCase.flops {
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                let count = Double(benchmark.scaledIterations.count)
                benchmark.measurement(gflops, Int((flops * count / seconds / 1e9).rounded()))
            }
        }
    }
}
