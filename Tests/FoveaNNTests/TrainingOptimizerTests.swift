import Foundation
import FoveaTensor
import Testing
@testable import FoveaNN

@Suite struct TrainingOptimizerTests {
    func vector(_ values: [Float]) throws -> Tensor { try Tensor(shape: [values.count], scalars: values) }

    /// Plain SGD is `p − lr·g`, bit for bit.
    @Test func plainSGDSubtractsTheScaledGradient() throws {
        var optimizer = try Optimizer(settings: OptimizerSettings(kind: .sgd, learningRate: 0.1), parameterShapes: [[3]])
        var parameters = [try vector([1, -2, 0.5])]
        optimizer.update(&parameters, gradients: [try vector([0.5, 0.25, -4])], learningRate: 0.1)
        #expect(parameters[0].scalars == [1 - Float(0.1) * 0.5, -2 - Float(0.1) * 0.25, 0.5 + Float(0.1) * 4])
    }

    /// Momentum, dampening, Nesterov and weight decay, worked by hand in Double for a scalar
    /// parameter p₀ = 1 and gradients 1, 2, 3 (μ = 0.9, τ = 0.5, λ = 0.1, lr = 0.1).
    @Test func sgdMomentumVariantsMatchHandComputation() throws {
        func run(_ settings: OptimizerSettings) throws -> [Float] {
            var optimizer = try Optimizer(settings: settings, parameterShapes: [[1]])
            var parameters = [try vector([1])]
            var trace: [Float] = []
            for g in [Float(1), 2, 3] {
                optimizer.update(&parameters, gradients: [try vector([g])], learningRate: settings.learningRate)
                trace.append(parameters[0].scalars[0])
            }
            return trace
        }
        // Heavy ball: b = 1, 2.9, 5.61; p = 0.9, 0.61, 0.049.
        expectClose(try run(OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.9)), [0.9, 0.61, 0.049])
        // Dampening 0.5: b = 1 (first step copies g), 0.9 + 1 = 1.9, 1.71 + 1.5 = 3.21.
        expectClose(try run(OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.9, dampening: 0.5)),
                    [0.9, 0.71, 0.389])
        // Nesterov: step g + μb: b = 1 → 1.9; b = 2.9 → 2 + 2.61 = 4.61; b = 5.61 → 3 + 5.049 = 8.049.
        expectClose(try run(OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.9, nesterov: true)),
                    [0.81, 0.349, -0.4559])
        // Weight decay λ = 0.1, no momentum: g' = g + 0.1p: p = 1 − 0.1(1.1) = 0.89;
        // 0.89 − 0.1(2.089) = 0.6811; 0.6811 − 0.1(3.06811) = 0.374289.
        expectClose(try run(OptimizerSettings(kind: .sgd, learningRate: 0.1, weightDecay: 0.1)), [0.89, 0.6811, 0.374289])
    }

    /// Adam's first step moves every coordinate by `lr·g/(|g| + ε')` ≈ `lr·sign(g)`, and its second
    /// step follows the bias-corrected moments, worked by hand.
    @Test func adamStepsMatchHandComputation() throws {
        var optimizer = try Optimizer(settings: OptimizerSettings(kind: .adam, learningRate: 0.01), parameterShapes: [[2]])
        var parameters = [try vector([0.5, -0.5])]
        optimizer.update(&parameters, gradients: [try vector([2, -0.001])], learningRate: 0.01)
        // m̂ = g, v̂ = g², so the step is lr·g/(|g| + 1e-8).
        expectClose(parameters[0].scalars, [0.5 - 0.01 * 2 / (2 + 1e-8), -0.5 + 0.01 * 0.001 / (0.001 + 1e-8)])
        optimizer.update(&parameters, gradients: [try vector([1, 0])], learningRate: 0.01)
        // Coordinate 0: m = 0.9·0.2 + 0.1·1 = 0.28, v = 0.999·0.004 + 0.001·1 = 0.004996;
        // m̂ = 0.28/0.19, v̂ = 0.004996/0.001999.
        let mHat = 0.28 / (1 - 0.81), vHat = 0.004996 / (1 - 0.998001)
        let expected0 = (0.5 - 0.01 * 2 / (2 + 1e-8)) - 0.01 * mHat / (vHat.squareRoot() + 1e-8)
        expectClose([parameters[0].scalars[0]], [expected0])
        #expect(optimizer.step == 2)
    }

    /// AdamW shrinks the parameter by `1 − lr·λ` before the Adam step; Adam adds `λp` to the gradient.
    @Test func adamWDecouplesWeightDecay() throws {
        var adamW = try Optimizer(settings: OptimizerSettings(kind: .adamw, learningRate: 0.1, weightDecay: 0.5),
                                  parameterShapes: [[1]])
        var p = [try vector([2])]
        adamW.update(&p, gradients: [try vector([0])], learningRate: 0.1)
        // g = 0: the Adam step is 0/(0 + ε) = 0, leaving only 2·(1 − 0.05) = 1.9.
        #expect(p[0].scalars == [Float(2) * Float(1 - 0.1 * 0.5)])
        var adam = try Optimizer(settings: OptimizerSettings(kind: .adam, learningRate: 0.1, weightDecay: 0.5),
                                 parameterShapes: [[1]])
        var q = [try vector([2])]
        adam.update(&q, gradients: [try vector([0])], learningRate: 0.1)
        // g' = 0 + 0.5·2 = 1: the first Adam step is lr·sign = 0.1.
        expectClose(q[0].scalars, [1.9])
    }

    /// Three steps of each optimizer agree with `torch.optim` (fixture from
    /// scripts/training/make_optimizer_fixture.py) to float32 rounding.
    @Test func matchesPyTorchOptimizers() throws {
        struct Fixture: Decodable {
            struct Case: Decodable {
                let kind: String, lr: Double, momentum: Double, dampening: Double, nesterov: Bool
                let weight_decay: Double, beta1: Double, beta2: Double, eps: Double
                let after_steps: [[Float]]
            }
            let shape: [Int], start: [Float], grads: [[Float]], cases: [Case]
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/training/optimizers.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count == 9)
        for c in fixture.cases {
            let kind = try #require(OptimizerKind(rawValue: c.kind))
            let settings = OptimizerSettings(kind: kind, learningRate: c.lr, momentum: c.momentum, dampening: c.dampening,
                                             nesterov: c.nesterov, weightDecay: c.weight_decay, beta1: c.beta1,
                                             beta2: c.beta2, epsilon: c.eps)
            var optimizer = try Optimizer(settings: settings, parameterShapes: [fixture.shape])
            var parameters = [try Tensor(shape: fixture.shape, scalars: fixture.start)]
            for (step, gradient) in fixture.grads.enumerated() {
                optimizer.update(&parameters, gradients: [try Tensor(shape: fixture.shape, scalars: gradient)], learningRate: c.lr)
                let expected = c.after_steps[step]
                for (a, b) in zip(parameters[0].scalars, expected) {
                    #expect(abs(a - b) <= 4 * b.ulp, "\(c.kind) lr \(c.lr) step \(step + 1): \(a) vs torch \(b)")
                }
            }
        }
    }

    @Test func rejectsSettingsPyTorchRejects() {
        let bad: [OptimizerSettings] = [
            OptimizerSettings(kind: .sgd, learningRate: 0),
            OptimizerSettings(kind: .sgd, learningRate: .nan),
            OptimizerSettings(kind: .sgd, momentum: -1),
            OptimizerSettings(kind: .sgd, nesterov: true),
            OptimizerSettings(kind: .sgd, momentum: 0.9, dampening: 0.1, nesterov: true),
            OptimizerSettings(kind: .adam, beta1: 1),
            OptimizerSettings(kind: .adamw, weightDecay: -0.1),
        ]
        for settings in bad {
            #expect(throws: TrainingError.self, "\(settings)") { try settings.validate() }
        }
        #expect(OptimizerSettings(kind: .adamw).weightDecay == 0.01)
        #expect(OptimizerSettings(kind: .adam).weightDecay == 0)
    }

    /// Saved state restores to an optimizer that continues identically.
    @Test func stateRoundTripsThroughNamedTensors() throws {
        for kind in OptimizerKind.allCases {
            let settings = OptimizerSettings(kind: kind, learningRate: 0.05, momentum: kind == .sgd ? 0.9 : 0)
            var a = try Optimizer(settings: settings, parameterShapes: [[2], [1]])
            var p = [try vector([1, 2]), try vector([3])]
            a.update(&p, gradients: [try vector([0.5, -0.5]), try vector([1])], learningRate: 0.05)
            var saved: [String: Tensor] = [:]
            for entry in a.stateTensors(parameterNames: ["w", "b"]) { saved[entry.name] = entry.tensor }
            #expect(Set(saved.keys) == (kind == .sgd ? ["w.momentum_buffer", "b.momentum_buffer"]
                                            : ["w.exp_avg", "w.exp_avg_sq", "b.exp_avg", "b.exp_avg_sq"]))
            var b = try Optimizer(settings: settings, parameterNames: ["w", "b"], parameterShapes: [[2], [1]],
                                  step: a.step, state: saved, source: "state")
            #expect(a == b)
            var q = p
            a.update(&p, gradients: [try vector([0.1, 0.2]), try vector([-1])], learningRate: 0.05)
            b.update(&q, gradients: [try vector([0.1, 0.2]), try vector([-1])], learningRate: 0.05)
            #expect(p == q)
            saved.removeValue(forKey: saved.keys.sorted()[0])
            #expect(throws: CheckpointError.self) {
                _ = try Optimizer(settings: settings, parameterNames: ["w", "b"], parameterShapes: [[2], [1]],
                                  step: 1, state: saved, source: "state")
            }
        }
    }

    @Test func schedulesFollowStepLRAndCosineAnnealing() throws {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, epoch: 7, totalEpochs: 10) == 0.1)
        let step = LearningRateSchedule.step(every: 3, gamma: 0.5)
        #expect((0..<7).map { step.rate(base: 0.8, epoch: $0, totalEpochs: 10) } == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2])
        let cosine = LearningRateSchedule.cosine(minimum: 0.01)
        #expect(cosine.rate(base: 0.1, epoch: 0, totalEpochs: 10) == 0.1)
        #expect(abs(cosine.rate(base: 0.1, epoch: 5, totalEpochs: 10) - 0.055) < 1e-15)
        // cos(π/4) = √2/2: 0.01 + 0.09·(1 + √2/2)/2.
        #expect(abs(cosine.rate(base: 0.1, epoch: 1, totalEpochs: 4) - (0.01 + 0.09 * (1 + 2.0.squareRoot() / 2) / 2)) < 1e-15)
        #expect(throws: TrainingError.self) { try LearningRateSchedule.step(every: 0, gamma: 0.5).validate() }
        #expect(throws: TrainingError.self) { try LearningRateSchedule.cosine(minimum: -1).validate() }
    }
}

func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double = 1e-6,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        #expect(abs(Double(a) - e) <= tolerance * max(1, abs(e)), "\(a) vs \(e)", sourceLocation: sourceLocation)
    }
}
