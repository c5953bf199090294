import Foundation
import FoveaKernels
import FoveaModels
import FoveaNN
import FoveaTensor

/// Runs benchmark cases on Fovea's fast kernels, with the inputs, FLOP counting and timing rule
/// of `torch_bench.py`.
public struct BenchmarkRunner: Sendable {
    /// How each measurement repeats.
    public var timing: BenchmarkTiming

    public init(timing: BenchmarkTiming = .standard) {
        self.timing = timing
    }

    /// Measures one case on ``KernelThreads/limit`` threads.
    public func run(_ benchmark: BenchmarkCase) throws -> BenchmarkResult {
        if let p = benchmark.convolution { return convolution(benchmark, p) }
        if let n = benchmark.matrixSize { return product(benchmark, n) }
        switch benchmark {
        case .maxPool3x3: return maxPool(benchmark)
        default: return try trainingStep(benchmark)
        }
    }

    /// Forward with bias, then forward plus the input, weight and bias gradients.
    private func convolution(_ benchmark: BenchmarkCase, _ p: Conv2DParameters) -> BenchmarkResult {
        var generator = SplitMix64(seed: 0)
        let x = Self.normal(p.inputCount, &generator)
        let w = Self.normal(p.weightCount, &generator)
        let b = Self.normal(p.outChannels, &generator)
        let g = Self.normal(p.outputCount, &generator)
        var sink: Float = 0
        let forward = timing.medianMilliseconds {
            sink += Conv2DKernels.forward(p, input: x, weight: w, bias: b)[0]
        }
        let both = timing.medianMilliseconds {
            sink += Conv2DKernels.forward(p, input: x, weight: w, bias: b)[0]
            sink += Conv2DKernels.backwardInput(p, gradOutput: g, weight: w)[0]
            sink += Conv2DKernels.backwardWeight(p, input: x, gradOutput: g)[0]
            sink += Conv2DKernels.backwardBias(p, gradOutput: g)[0]
        }
        Self.keep(sink)
        return BenchmarkResult(name: benchmark.name, forwardMilliseconds: forward, forwardBackwardMilliseconds: both,
                               gigaflops: benchmark.flops.map { $0 / both / 1e6 })
    }

    /// Max pooling forward, then forward plus the input gradient.
    private func maxPool(_ benchmark: BenchmarkCase) -> BenchmarkResult {
        let p = BenchmarkCase.maxPool
        var generator = SplitMix64(seed: 0)
        let x = Self.normal(p.inputCount, &generator)
        let g = Self.normal(p.outputCount, &generator)
        var sink: Float = 0
        let forward = timing.medianMilliseconds {
            sink += Pool2DKernels.maxForward(p, input: x).output[0]
        }
        let both = timing.medianMilliseconds {
            let pass = Pool2DKernels.maxForward(p, input: x)
            sink += Pool2DKernels.maxBackward(p, gradOutput: g, argmax: pass.argmax)[0]
        }
        Self.keep(sink)
        return BenchmarkResult(name: benchmark.name, forwardMilliseconds: forward, forwardBackwardMilliseconds: both,
                               gigaflops: nil)
    }

    /// One SGD step (learning rate 0.01) of the zoo's `lenet5` on a batch of 64 random 28×28
    /// images with MSE against one-hot targets, as `fovea train` runs it.
    private func trainingStep(_ benchmark: BenchmarkCase) throws -> BenchmarkResult {
        var generator = SplitMix64(seed: 0)
        var model = try TrainableModel(network: try Zoo.network(named: "lenet5"), inputShape: [1, 28, 28],
                                       generator: &generator)
        let images = try Tensor(shape: [64, 1, 28, 28], scalars: Self.normal(64 * 28 * 28, &generator))
        var oneHot = [Float](repeating: 0, count: 64 * 10)
        for n in 0..<64 { oneHot[n * 10 + Int(generator.next() % 10)] = 1 }
        let targets = try Tensor(shape: [64, 10], scalars: oneHot)
        var optimizer = try Optimizer(settings: OptimizerSettings(kind: .sgd, learningRate: 0.01),
                                      parameterShapes: model.parameters.map(\.shape))
        let loss = MSELoss(reduction: .mean)
        let step = try timing.medianMilliseconds {
            let trace = try model.forward(images)
            let value = try loss.evaluate(output: trace.output, target: targets)
            let gradients = try model.backward(trace, gradOutput: value.gradient)
            var parameters = model.parameters
            optimizer.update(&parameters, gradients: gradients, learningRate: 0.01)
            model = try model.withParameters(parameters)
        }
        return BenchmarkResult(name: benchmark.name, forwardMilliseconds: nil, forwardBackwardMilliseconds: step,
                               gigaflops: nil)
    }

    /// `C = A·B` for square random matrices.
    private func product(_ benchmark: BenchmarkCase, _ n: Int) -> BenchmarkResult {
        var generator = SplitMix64(seed: 0)
        let a = Self.normal(n * n, &generator)
        let b = Self.normal(n * n, &generator)
        var c = [Float](repeating: 0, count: n * n)
        let time = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    timing.medianMilliseconds {
                        GEMM.sgemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1,
                                   a: a.baseAddress!, lda: n, b: b.baseAddress!, ldb: n,
                                   beta: 0, c: c.baseAddress!, ldc: n)
                    }
                }
            }
        }
        return BenchmarkResult(name: benchmark.name, forwardMilliseconds: time, forwardBackwardMilliseconds: nil,
                               gigaflops: benchmark.flops.map { $0 / time / 1e6 })
    }

    /// `count` standard normal values (Box–Muller), like `torch.randn`'s distribution.
    static func normal(_ count: Int, _ generator: inout SplitMix64) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        var i = 0
        while i < count {
            let u1 = max(Double(generator.nextUnitFloat()), 1e-12)
            let u2 = Double(generator.nextUnitFloat())
            let radius = (-2 * log(u1)).squareRoot()
            values[i] = Float(radius * cos(2 * .pi * u2))
            if i + 1 < count { values[i + 1] = Float(radius * sin(2 * .pi * u2)) }
            i += 2
        }
        return values
    }

    /// Keeps a value alive so the optimizer cannot drop the work that produced it.
    @inline(never)
    static func keep(_ value: Float) {
        if value == .greatestFiniteMagnitude { print("") }
    }
}
