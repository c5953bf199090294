import Foundation
import FoveaKernels
import FoveaModels
import FoveaNN
import FoveaTensor

/// The prepared inputs of one benchmark case and the work that is timed: `forward` and
/// `forwardBackward` run it once each. Shared by `fovea bench` and the package-benchmark
/// targets in `Benchmarks/`.
///
/// `@unchecked Sendable`: a workload is run by one caller at a time (the training step mutates
/// its model and optimizer).
public final class BenchmarkWorkload: @unchecked Sendable {
    /// The case this workload runs.
    public let benchmark: BenchmarkCase
    private let operands: [[Float]]
    private var model: TrainableModel?
    private var optimizer: Optimizer?
    private var batch: (images: Tensor, targets: Tensor)?
    private var sink: Float = 0

    /// Draws the case's inputs (standard normal values, seeded) and, for the training step,
    /// builds the zoo's `lenet5` with PyTorch's default initialisation.
    public init(_ benchmark: BenchmarkCase) throws {
        self.benchmark = benchmark
        var generator = SplitMix64(seed: 0)
        if let p = benchmark.convolution {
            operands = [p.inputCount, p.weightCount, p.outChannels, p.outputCount].map { Self.normal($0, &generator) }
        } else if let n = benchmark.matrixSize {
            operands = [Self.normal(n * n, &generator), Self.normal(n * n, &generator), [Float](repeating: 0, count: n * n)]
        } else if benchmark == .maxPool3x3 {
            let p = BenchmarkCase.maxPool
            operands = [Self.normal(p.inputCount, &generator), Self.normal(p.outputCount, &generator)]
        } else {
            operands = []
            let network = try Zoo.network(named: "lenet5")
            let model = try TrainableModel(network: network, inputShape: [1, 28, 28], generator: &generator)
            let images = try Tensor(shape: [64, 1, 28, 28], scalars: Self.normal(64 * 28 * 28, &generator))
            var oneHot = [Float](repeating: 0, count: 64 * 10)
            for n in 0..<64 { oneHot[n * 10 + Int(generator.next() % 10)] = 1 }
            self.model = model
            self.batch = (images, try Tensor(shape: [64, 10], scalars: oneHot))
            self.optimizer = try Optimizer(settings: OptimizerSettings(kind: .sgd, learningRate: 0.01),
                                           parameterShapes: model.parameters.map(\.shape))
        }
    }

    /// Whether the case has a forward pass timed on its own (the training step has not).
    public var hasForward: Bool { benchmark != .leNet5TrainStep }

    /// Whether the case has a forward+backward (a GEMM case has not).
    public var hasForwardBackward: Bool { benchmark.matrixSize == nil }

    /// The forward pass: the convolution with bias, the max pooling, or the matrix product.
    public func forward() {
        if let p = benchmark.convolution {
            sink += Conv2DKernels.forward(p, input: operands[0], weight: operands[1], bias: operands[2])[0]
        } else if let n = benchmark.matrixSize {
            multiply(n)
        } else if benchmark == .maxPool3x3 {
            sink += Pool2DKernels.maxForward(BenchmarkCase.maxPool, input: operands[0]).output[0]
        }
    }

    /// Forward and backward: the convolution and its input, weight and bias gradients; the max
    /// pooling and its input gradient; or one SGD step (learning rate 0.01) of `lenet5` with MSE
    /// against one-hot targets, run as `fovea train` runs it.
    public func forwardBackward() throws {
        if let p = benchmark.convolution {
            let (x, w, b, g) = (operands[0], operands[1], operands[2], operands[3])
            sink += Conv2DKernels.forward(p, input: x, weight: w, bias: b)[0]
            sink += Conv2DKernels.backwardInput(p, gradOutput: g, weight: w)[0]
            sink += Conv2DKernels.backwardWeight(p, input: x, gradOutput: g)[0]
            sink += Conv2DKernels.backwardBias(p, gradOutput: g)[0]
        } else if benchmark == .maxPool3x3 {
            let p = BenchmarkCase.maxPool
            let pass = Pool2DKernels.maxForward(p, input: operands[0])
            sink += Pool2DKernels.maxBackward(p, gradOutput: operands[1], argmax: pass.argmax)[0]
        } else if var model, var optimizer, let batch {
            let trace = try model.forward(batch.images)
            let loss = try MSELoss(reduction: .mean).evaluate(output: trace.output, target: batch.targets)
            let gradients = try model.backward(trace, gradOutput: loss.gradient)
            var parameters = model.parameters
            optimizer.update(&parameters, gradients: gradients, learningRate: 0.01)
            model = try model.withParameters(parameters)
            self.model = model
            self.optimizer = optimizer
        }
    }

    /// `C = A·B` for the square operands.
    private func multiply(_ n: Int) {
        operands[0].withUnsafeBufferPointer { a in
            operands[1].withUnsafeBufferPointer { b in
                operands[2].withUnsafeBufferPointer { c in
                    GEMM.sgemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1,
                               a: a.baseAddress!, lda: n, b: b.baseAddress!, ldb: n,
                               beta: 0, c: UnsafeMutablePointer(mutating: c.baseAddress!), ldc: n)
                }
            }
        }
    }

    /// `count` standard normal values (Box–Muller), the distribution of `torch.randn`.
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

    deinit {
        if sink == .greatestFiniteMagnitude { print("") }
    }
}
