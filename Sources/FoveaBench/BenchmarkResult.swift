/// The measurement of one case: median wall times and the rate they imply.
public struct BenchmarkResult: Sendable, Hashable {
    /// The case's name, as `torch_bench.py` names it.
    public let name: String
    /// Median milliseconds of the forward pass (the product, for a GEMM case); nil when the
    /// case has no separate forward.
    public let forwardMilliseconds: Double?
    /// Median milliseconds of forward plus backward (all gradients, or one training step); nil
    /// for a GEMM case.
    public let forwardBackwardMilliseconds: Double?
    /// GFLOP/s of the forward+backward (of the product for a GEMM case); nil when no FLOPs are counted.
    public let gigaflops: Double?

    public init(name: String, forwardMilliseconds: Double?, forwardBackwardMilliseconds: Double?, gigaflops: Double?) {
        self.name = name
        self.forwardMilliseconds = forwardMilliseconds
        self.forwardBackwardMilliseconds = forwardBackwardMilliseconds
        self.gigaflops = gigaflops
    }
}
