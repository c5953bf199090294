import FoveaGeometry
import FoveaTensor
import Testing
@testable import FoveaNN

/// Finite differences (central, in Double) against the back-propagated gradients of both the
/// fast and the reference kernels.
@Suite struct GradientCheckTests {
    func tensor(_ shape: [Int], _ rng: inout SeededGenerator) throws -> Tensor {
        try Tensor(shape: shape, scalars: rng.floats(shape.reduce(1, *)))
    }

    /// Values at least 0.05 apart in random order, so a small perturbation never changes a max.
    func distinct(_ shape: [Int], _ rng: inout SeededGenerator) throws -> Tensor {
        let count = shape.reduce(1, *)
        return try Tensor(shape: shape, scalars: (0..<count).map { Float($0) * 0.05 - 1 }.shuffled(using: &rng))
    }

    func mse(_ target: Tensor) -> (Tensor) throws -> LossValue {
        { try MSELoss(reduction: .mean).evaluate(output: $0, target: target) }
    }

    func expectAgreement(_ comparisons: [GradientCheck.Comparison], tolerance: Double, _ context: String) {
        #expect(!comparisons.isEmpty)
        for c in comparisons {
            #expect(c.relativeError <= tolerance, "\(context): \(c)")
        }
    }

    @Test(arguments: [KernelImplementation.fast, .reference])
    func convolutionGradientsAgreeWithFiniteDifferences(_ implementation: KernelImplementation) throws {
        var rng = SeededGenerator(seed: 11)
        let configurations: [(x: [Int], w: [Int], stride: [Int], padding: Padding, dilation: [Int], groups: Int)] = [
            ([2, 3, 6, 5], [4, 3, 3, 2], [2, 1], .explicit(begin: [1, 0], end: [2, 1]), [1, 2], 1),
            ([1, 4, 7, 7], [4, 2, 2, 3], [3, 2], .sameUpper, [2, 1], 2),
            ([2, 3, 5, 6], [3, 1, 3, 3], [1, 1], .explicit(begin: [1, 1], end: [1, 1]), [1, 1], 3),  // depthwise
            ([1, 2, 4, 4], [2, 2, 4, 4], [1, 1], .valid, [1, 1], 1),
        ]
        for (index, c) in configurations.enumerated() {
            let conv = try Conv2D(weight: try tensor(c.w, &rng), bias: try tensor([c.w[0]], &rng), stride: c.stride,
                                  padding: c.padding, dilation: c.dilation, groups: c.groups, implementation: implementation)
            let x = try tensor(c.x, &rng)
            let target = try tensor(try conv.outputShape(forInput: c.x), &rng)
            let report = try GradientCheck.check([conv], input: x, epsilon: 1e-2, loss: mse(target))
            #expect(report.map(\.name) == ["input", "conv2d.parameter0", "conv2d.parameter1"])
            expectAgreement(report, tolerance: 1e-3, "configuration \(index)")
        }
    }

    @Test(arguments: [KernelImplementation.fast, .reference])
    func poolingGradientsAgreeWithFiniteDifferences(_ implementation: KernelImplementation) throws {
        var rng = SeededGenerator(seed: 12)
        let shape = [2, 2, 7, 6]
        let x = try distinct(shape, &rng)
        let pools: [any Module] = [
            try MaxPool2D(kernel: [3, 2], stride: [2, 1], padding: .explicit(begin: [1, 0], end: [1, 1]),
                          dilation: [1, 2], ceilMode: true, implementation: implementation),
            try MaxPool2D(kernel: [2, 2], implementation: implementation),
            try AvgPool2D(kernel: [3, 3], stride: [2, 2], padding: .explicit(begin: [1, 1], end: [1, 1]), ceilMode: true,
                          countIncludePad: true, implementation: implementation),
            try AvgPool2D(kernel: [2, 3], stride: [3, 2], padding: .explicit(begin: [1, 1], end: [0, 1]), ceilMode: true,
                          countIncludePad: false, implementation: implementation),
        ]
        for pool in pools {
            let target = try tensor(try pool.outputShape(forInput: shape), &rng)
            let report = try GradientCheck.check([pool], input: x, epsilon: 1e-3, loss: mse(target))
            expectAgreement(report, tolerance: 1e-2, "\(pool.geometry)")
        }
    }

    @Test func chainWithCrossEntropyAgreesWithFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 13)
        for implementation in [KernelImplementation.fast, .reference] {
            let conv = try Conv2D(weight: try tensor([3, 2, 3, 3], &rng), bias: try tensor([3], &rng), stride: [2, 2],
                                  padding: .explicit(begin: [1, 1], end: [1, 1]), implementation: implementation)
            let pool = try MaxPool2D(kernel: [2, 2], implementation: implementation)
            let dense = try Dense(weight: try tensor([4, 12], &rng), bias: try tensor([4], &rng))
            let layers: [any Module] = [conv, ReLU(), pool, Flatten(), dense]
            let x = try distinct([2, 2, 8, 8], &rng)
            let report = try GradientCheck.check(layers, input: x, epsilon: 1e-3) {
                try SoftmaxCrossEntropyLoss().evaluate(logits: $0, labels: [1, 3])
            }
            #expect(report.count == 5)  // input, conv weight and bias, dense weight and bias
            expectAgreement(report, tolerance: 2e-2, "\(implementation)")
        }
    }

    @Test func checkerDetectsAWrongGradient() throws {
        // The sign error of issue 2 §4: using ∂E/∂y = −2c(o − y) instead of ∂E/∂o.
        var rng = SeededGenerator(seed: 14)
        let conv = try Conv2D(weight: try tensor([2, 1, 2, 2], &rng))
        let x = try tensor([1, 1, 4, 4], &rng)
        let target = try tensor([1, 2, 3, 3], &rng)
        let report = try GradientCheck.check([conv], input: x, epsilon: 1e-2) { output in
            let right = try MSELoss(reduction: .sum).evaluate(output: output, target: target)
            var wrong = right.gradient
            wrong.scalars = wrong.scalars.map { -$0 }
            return LossValue(value: right.value, gradient: wrong)
        }
        #expect(report.allSatisfy { $0.relativeError > 1.5 })
    }

    @Test func numericalGradientOfAKnownFunction() {
        // f(a, b) = a²·b + 3b at (2, −1): ∂f/∂a = 2ab = −4, ∂f/∂b = a² + 3 = 7.
        let g = GradientCheck.numericalGradient(at: [2, -1], epsilon: 1e-2) { v in
            let (a, b) = (Double(v[0]), Double(v[1]))
            return a * a * b + 3 * b
        }
        #expect(abs(g[0] + 4) < 1e-3)
        #expect(abs(g[1] - 7) < 1e-3)
    }
}
