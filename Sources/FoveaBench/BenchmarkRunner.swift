/// Times benchmark cases on Fovea's fast kernels, with the inputs, FLOP counting and timing
/// rule of `torch_bench.py`.
public struct BenchmarkRunner: Sendable {
    /// How each measurement repeats.
    public var timing: BenchmarkTiming

    public init(timing: BenchmarkTiming = .standard) {
        self.timing = timing
    }

    /// Measures one case on ``FoveaKernels/KernelThreads/limit`` threads.
    public func run(_ benchmark: BenchmarkCase) throws -> BenchmarkResult {
        let workload = try BenchmarkWorkload(benchmark)
        let forward = workload.hasForward ? timing.medianMilliseconds { workload.forward() } : nil
        let both = workload.hasForwardBackward ? try timing.medianMilliseconds { try workload.forwardBackward() } : nil
        let rated = benchmark.matrixSize == nil ? both : forward
        return BenchmarkResult(name: benchmark.name, forwardMilliseconds: forward, forwardBackwardMilliseconds: both,
                               gigaflops: benchmark.flops.flatMap { flops in rated.map { flops / $0 / 1e6 } })
    }
}
