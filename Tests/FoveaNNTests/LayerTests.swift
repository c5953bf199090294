import FoveaGeometry
import FoveaTensor
import Foundation
import Testing
@testable import FoveaNN

@Suite struct LayerTests {
    func ones(_ shape: [Int]) throws -> Tensor { try Tensor(shape: shape, repeating: 1) }

    /// Runs `body`, requires a `LayerError`, and returns its one-line description.
    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
        } catch let error as LayerError {
            return error.description
        } catch {
            return "unexpected error \(error)"
        }
        return "no error"
    }

    @Test func impossibleConfigurationsNameLayerParameterAndNumbers() throws {
        let small = try ones([1, 1, 3, 3])
        let cases: [(String, [String], () throws -> Void)] = [
            ("kernel larger than padded input", ["conv2d", "kernel", "5", "3"],
             { _ = try Conv2D(weight: try ones([1, 1, 5, 5])).forward(small) }),
            ("stride 0", ["conv2d", "stride", "[0, 1]"],
             { _ = try Conv2D(weight: try ones([1, 1, 1, 1]), stride: [0, 1]) }),
            ("groups do not divide output channels", ["conv2d", "groups", "3", "2"],
             { _ = try Conv2D(weight: try ones([3, 1, 1, 1]), groups: 2) }),
            ("input channels do not match", ["conv2d", "weight", "3", "4"],
             { _ = try Conv2D(weight: try ones([2, 2, 1, 1]), groups: 2).forward(try ones([1, 3, 2, 2])) }),
            ("bias shape", ["conv2d", "bias", "[3]"],
             { _ = try Conv2D(weight: try ones([2, 1, 1, 1]), bias: try ones([3])) }),
            ("negative padding", ["conv2d", "padding", "-1"],
             { _ = try Conv2D(weight: try ones([1, 1, 1, 1]), padding: .explicit(begin: [-1, 0], end: [0, 0])) }),
            ("input rank", ["conv2d", "input", "[3, 3]"],
             { _ = try Conv2D(weight: try ones([1, 1, 1, 1])).forward(try ones([3, 3])) }),
            ("kernel 0", ["maxpool2d", "kernel", "[0, 2]"],
             { _ = try MaxPool2D(kernel: [0, 2]) }),
            ("pool padding above half the kernel", ["maxpool2d", "padding", "2", "3"],
             { _ = try MaxPool2D(kernel: [3, 3], padding: .symmetric([2, 0])) }),
            // same with kernel 3, dilation 2, stride 1 pads 2 + 2 > 3 / 2.
            ("same padding above half the kernel", ["maxpool2d", "padding", "2 on axis H", "3 / 2 = 1"],
             { _ = try MaxPool2D(kernel: [3, 3], stride: [1, 1], padding: .sameUpper, dilation: [2, 2])
                 .forward(try ones([1, 1, 5, 5])) }),
            ("pool window larger than input", ["avgpool2d", "kernel", "4", "3"],
             { _ = try AvgPool2D(kernel: [4, 4]).forward(small) }),
            ("window sees only padding", ["maxpool2d", "covers only padding"],
             { _ = try MaxPool2D(kernel: [1, 2], stride: [1, 1], padding: .symmetric([0, 1]), dilation: [1, 3])
                 .forward(try ones([1, 1, 1, 2])) }),
            ("target shape", ["mse loss", "target", "[1, 1, 2, 2]", "[1, 1, 3, 3]"],
             { _ = try MSELoss().evaluate(output: small, target: try ones([1, 1, 2, 2])) }),
            ("gradient shape", ["relu", "gradient of the output"],
             { _ = try ReLU().backward(ForwardPass(input: small, output: small), gradOutput: try ones([9])) }),
            ("label out of range", ["softmax cross-entropy", "labels", "7"],
             { _ = try SoftmaxCrossEntropyLoss().evaluate(logits: try ones([1, 3]), labels: [7]) }),
            ("dense input", ["dense", "input", "[2, 5]"],
             { _ = try Dense(weight: try ones([3, 4])).forward(try ones([2, 5])) }),
        ]
        for (name, fragments, body) in cases {
            let text = message(body)
            for fragment in fragments {
                #expect(text.contains(fragment), "\(name): '\(text)' lacks '\(fragment)'")
            }
            #expect(!text.contains("\n"), "\(name)")
        }
    }

    @Test func samePaddingPutsTheOddPixelAtTheEnd() throws {
        var rng = SeededGenerator(seed: 3)
        let w = try Tensor(shape: [2, 1, 3, 3], scalars: rng.floats(18))
        for (size, begin, end) in [(5, 1, 1), (6, 0, 1), (7, 1, 1)] {
            // stride 2, kernel 3: out = ⌈n/2⌉, total = (out − 1)·2 + 3 − n.
            let x = try Tensor(shape: [1, 1, size, size], scalars: rng.floats(size * size))
            let same = try Conv2D(weight: w, stride: [2, 2], padding: .sameUpper).forward(x).output
            let explicit = try Conv2D(weight: w, stride: [2, 2], padding: .explicit(begin: [begin, begin], end: [end, end]))
                .forward(x).output
            #expect(same.shape == [1, 2, (size + 1) / 2, (size + 1) / 2])
            #expect(same == explicit, "n = \(size)")
        }
    }

    @Test func layersDescribeTheirGeometry() throws {
        let conv = try Conv2D(weight: try ones([4, 2, 3, 3]), bias: try ones([4]), stride: [2, 2], padding: .sameUpper,
                              dilation: [1, 2], groups: 1)
        #expect(conv.geometry == .convolution(Convolution(
            window: SlidingWindow(kernel: [3, 3], stride: [2, 2], dilation: [1, 2], padding: .sameUpper),
            outChannels: 4, groups: 1, bias: true)))
        let pool = try MaxPool2D(kernel: [3, 3], stride: [2, 2], padding: .symmetric([1, 1]), ceilMode: true)
        #expect(pool.geometry == .pooling(Pooling(kind: .max, window: SlidingWindow(
            kernel: [3, 3], stride: [2, 2], padding: .symmetric([1, 1]), ceilMode: true))))
        let avg = try AvgPool2D(kernel: [2, 2], countIncludePad: false)
        #expect(avg.geometry == .pooling(Pooling(kind: .average, window: SlidingWindow(kernel: [2, 2], stride: [2, 2], padding: .valid),
                                                 countIncludePad: false)))
        #expect(ReLU().geometry == .pointwise("relu"))
        #expect(Flatten().geometry == .flatten)
        #expect(try Dense(weight: try ones([3, 5])).geometry == .linear(Linear(outFeatures: 3, bias: false)))
    }

    @Test func mseLossValuesAndGradients() throws {
        let o = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let y = try Tensor(shape: [2, 2], scalars: [0, 2, 5, 4])
        // Σ(o − y)² = 1 + 0 + 4 + 0 = 5.
        let sum = try MSELoss(reduction: .sum).evaluate(output: o, target: y)
        #expect(sum.value == 5)
        #expect(sum.gradient.scalars == [2, 0, -4, 0])  // 2(o − y)
        let mean = try MSELoss(reduction: .mean).evaluate(output: o, target: y)
        #expect(mean.value == 1.25)
        #expect(mean.gradient.scalars == [0.5, 0, -1, 0])  // 2(o − y)/4
    }

    @Test func crossEntropyIsStableAndExact() throws {
        // Softmax of (0, ln 3) is (1/4, 3/4): E = ln 4 for label 0, gradient (1/4 − 1, 3/4).
        let logits = try Tensor(shape: [1, 2], scalars: [0, Float(log(3.0))])
        let loss = try SoftmaxCrossEntropyLoss().evaluate(logits: logits, labels: [0])
        #expect(abs(loss.value - log(4.0)) < 1e-6)
        #expect(abs(loss.gradient.scalars[0] + 0.75) < 1e-6 && abs(loss.gradient.scalars[1] - 0.75) < 1e-6)
        // Huge logits would overflow exp without the max shift.
        let huge = try Tensor(shape: [2, 2], scalars: [1000, 0, 0, 1000])
        let stable = try SoftmaxCrossEntropyLoss().evaluate(logits: huge, labels: [0, 0])
        #expect(abs(stable.value - 500) < 1e-3)  // (0 + 1000) / 2
        #expect(stable.gradient.scalars.allSatisfy { $0.isFinite })
    }

    @Test func reluAndFlattenPassGradientsThrough() throws {
        let x = try Tensor(shape: [1, 4], scalars: [-1, 0, 2, .nan])
        let relu = ReLU()
        let pass = try relu.forward(x)
        #expect(pass.output.scalars[0...2] == [0, 0, 2])
        #expect(pass.output.scalars[3].isNaN)
        let g = try relu.backward(pass, gradOutput: try Tensor(shape: [1, 4], scalars: [5, 6, 7, 8]))
        #expect(g.input.scalars == [0, 0, 7, 0])
        let flat = Flatten()
        let image = try Tensor(shape: [2, 1, 2, 3], repeating: 1)
        let fp = try flat.forward(image)
        #expect(fp.output.shape == [2, 6])
        #expect(try flat.backward(fp, gradOutput: fp.output).input.shape == [2, 1, 2, 3])
    }
}
