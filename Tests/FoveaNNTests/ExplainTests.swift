import FoveaGeometry
import FoveaTensor
import Foundation
import Testing
@testable import FoveaNN

/// `Explanation`: the numbers of the layers (as `fovea grad` runs them), and written-out terms
/// that add up to those numbers.
@Suite struct ExplainTests {
    static let x: [Float] = [1, 2, 0, 1, 0, 1, 3, 2, 2, 0, 1, 0, 1, 3, 2, 1]

    /// A temporary `.npy` file with these values.
    static func file(_ name: String, _ shape: [Int], _ values: [Float]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID().uuidString)-\(name).npy")
        try Npy.write(try Tensor(shape: shape, scalars: values), to: url)
        return url.path
    }

    /// The value of a formula made of numbers, or nil if it has symbols.
    static func evaluate(_ math: ExplainMath) -> Double? {
        switch math {
        case .number(let value): return Double(value)
        case .integer(let value): return Double(value)
        case .sum(let terms):
            var total = 0.0
            for term in terms { guard let v = evaluate(term) else { return nil }; total += v }
            return total
        case .product(let factors):
            var total = 1.0
            for factor in factors { guard let v = evaluate(factor) else { return nil }; total *= v }
            return total
        case .quotient(let a, let b):
            guard let a = evaluate(a), let b = evaluate(b) else { return nil }
            return a / b
        case .difference(let a, let b):
            guard let a = evaluate(a), let b = evaluate(b) else { return nil }
            return a - b
        case .square(let a): return evaluate(a).map { $0 * $0 }
        case .maximum(let items):
            let values = items.compactMap(evaluate)
            return values.count == items.count ? values.max() : nil
        default: return nil
        }
    }

    /// Every equation `… = numbers = value`: the numbers add up to the value, and the value is
    /// the last side. Returns how many equations were checked.
    @discardableResult
    static func checkTerms(_ document: ExplainDocument) -> Int {
        var checked = 0
        for case .equations(let equations) in document.blocks {
            for equation in equations {
                guard case .number(let value)? = equation.sides.last else {
                    Issue.record("equation without a value: \(equation.sides.map(\.plain))")
                    continue
                }
                guard let numeric = equation.sides.dropLast().last(where: { evaluate($0) != nil }).flatMap(evaluate) else { continue }
                #expect(abs(numeric - Double(value)) <= 1e-5 * max(1, abs(Double(value))),
                        "\(equation.sides.map(\.plain))")
                checked += 1
            }
        }
        return checked
    }

    /// docs/backprop.md: 4×4 input, 2×2 kernel [[1, −1], [2, 0]] stride 2, bias 0.5, 2×2 max
    /// pooling, target 2. With c = 1/16 the note derives E = 0.765625, δo = 0.4375,
    /// δw = [[0, 0.4375], [1.3125, 0.875]], δb = 0.4375 and δx scattering 0.4375·w into rows 0–1,
    /// columns 2–3; the pooling window is a tie between z1[0,1] and z1[1,1], won by z1[0,1].
    @Test func workedExampleOfTheNote() throws {
        let layers = try ExplainLayer.chain("conv2d k=2 s=2; maxpool2d k=2",
                                            weight: .file(try Self.file("w", [1, 1, 2, 2], [1, -1, 2, 0])), bias: .constant(0.5))
        let problem = ExplainProblem(inputSize: [4, 4], input: .file(try Self.file("x", [4, 4], Self.x)), layers: layers,
                                     target: .constant(2), reduction: .scaled(1.0 / 16))
        let explanation = try Explanation(problem)
        #expect(explanation.passes[0].output.scalars == [-0.5, 5.5, 4.5, 5.5])
        #expect(explanation.loss == 0.765625)
        #expect(explanation.outputGradient.scalars == [0.4375])
        #expect(explanation.parameterGradients[0][0].scalars == [0, 0.4375, 1.3125, 0.875])
        #expect(explanation.parameterGradients[0][1].scalars == [0.4375])
        #expect(explanation.inputGradients[0].scalars == [0, 0, 0.4375, -0.4375, 0, 0, 0.875, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let text = explanation.rendered(as: .text)
        #expect(text.contains("o[0,0] = max(z1[0,0], z1[0,1], z1[1,0], z1[1,1])"))
        #expect(text.contains("= max(-0.5, 5.5, 4.5, 5.5) = 5.5   (tie between z1[0,1], z1[1,1]; the first, z1[0,1], wins)"))
        #expect(text.contains("z1[0,1] = w[0,0]·x[0,2] + w[0,1]·x[0,3] + w[1,0]·x[1,2] + w[1,1]·x[1,3] + b"))
        #expect(text.contains("= 1·0 + (-1)·1 + 2·3 + 0·2 + 0.5 = 5.5"))
        #expect(text.contains("Lost every window that reads them (gradient 0): z1[0,0], z1[1,0], z1[1,1]."))
        #expect(Self.checkTerms(explanation.document) == 1 + 1 + 1 + 1 + 4 + 16 + 4)
    }

    /// Conv 2×2 stride 3 on 5×5: windows start at 0 and 3, so row 2 and column 2 are read by no
    /// window and get no gradient.
    @Test func strideGapsAreNamed() throws {
        let problem = ExplainProblem(inputSize: [5, 5], layers: [.convolution(kernel: [2, 2], stride: [3, 3],
            padding: .valid, weight: .sequence, bias: .constant(0))])
        let explanation = try Explanation(problem)
        let text = explanation.rendered(as: .text)
        #expect(text.contains("Gaps: no window reads row 2 or column 2 of x (stride 3×3, kernel 2×2)"))
        #expect(text.contains("Read by no window (the stride leaves them out; gradient 0): x[0,2], x[1,2], x[2,0], x[2,1], x[2,2], x[2,3], x[2,4], x[3,2], x[4,2]."))
        let dx = explanation.inputGradients[0].scalars
        #expect((0..<5).allSatisfy { dx[2 * 5 + $0] == 0 && dx[$0 * 5 + 2] == 0 })
        Self.checkTerms(explanation.document)
    }

    /// Every configuration: the tensors are those of the layers run as `fovea grad` runs them
    /// (`Module.run` with the squared error), and every written-out sum adds up to its entry.
    @Test(arguments: [
        ExplainLayer.convolution(kernel: [2, 2], stride: [1, 1], padding: .valid, weight: .random(seed: 1), bias: .constant(0.5)),
        .convolution(kernel: [3, 2], stride: [2, 1], padding: .explicit(begin: [1, 0], end: [1, 1]), weight: .random(seed: 2),
                     bias: .constant(-1)),
        .convolution(kernel: [3, 3], stride: [2, 2], padding: .sameUpper, weight: .sequence, bias: .constant(0)),
        .maxPooling(kernel: [2, 2], stride: [2, 2], padding: .valid),
        .maxPooling(kernel: [3, 3], stride: [2, 2], padding: .explicit(begin: [1, 1], end: [1, 1])),
        .averagePooling(kernel: [2, 3], stride: [1, 2], padding: .valid, countIncludePad: true),
        .averagePooling(kernel: [3, 3], stride: [2, 2], padding: .explicit(begin: [1, 1], end: [1, 1]), countIncludePad: false),
        .averagePooling(kernel: [3, 3], stride: [2, 2], padding: .explicit(begin: [1, 1], end: [1, 1]), countIncludePad: true),
    ], [MSELoss.Reduction.mean, .sum])
    func numbersAreThoseOfTheLayers(_ layer: ExplainLayer, _ reduction: MSELoss.Reduction) throws {
        let problem = ExplainProblem(inputSize: [5, 6], input: .random(seed: 7), layers: [layer], target: .random(seed: 9),
                                     reduction: reduction)
        let explanation = try Explanation(problem)
        let x = try ExplainValues.random(seed: 7).tensor(height: 5, width: 6, option: "x")
        #expect(explanation.input == x)
        // The layer built here, as `fovea grad` builds it from the same values.
        let module: any Module
        switch layer {
        case let .convolution(kernel, stride, padding, weight, bias):
            module = try Conv2D(weight: try weight.tensor(height: kernel[0], width: kernel[1], option: "w"),
                                bias: try bias.tensor(height: 1, width: 1, option: "b").reshaped(to: [1]),
                                stride: stride, padding: padding)
        case let .maxPooling(kernel, stride, padding):
            module = try MaxPool2D(kernel: kernel, stride: stride, padding: padding)
        case let .averagePooling(kernel, stride, padding, countIncludePad):
            module = try AvgPool2D(kernel: kernel, stride: stride, padding: padding, countIncludePad: countIncludePad)
        }
        let output = try module.forward(x).output
        let target = try ExplainValues.random(seed: 9).tensor(height: output.shape[2], width: output.shape[3], option: "y")
        let run = try module.run(x, upstream: .mse(target: target, reduction: reduction))
        #expect(explanation.target == target)
        #expect(explanation.passes[0].output == run.pass.output)
        #expect(explanation.loss == Float(run.loss ?? .nan))
        #expect(explanation.outputGradient == (try MSELoss(reduction: reduction).evaluate(output: output, target: target)).gradient)
        #expect(explanation.inputGradients[0] == run.gradients.input)
        #expect(explanation.parameterGradients[0] == run.gradients.parameters)
        let checked = Self.checkTerms(explanation.document)
        #expect(checked >= output.count * 2 + 1)
    }

    /// A chain with an average pooling between two convolutions: intermediate gradients are the
    /// next layer's input gradients and every sum adds up.
    @Test func chainsOfThreeLayers() throws {
        let layers = try ExplainLayer.chain("conv2d k=2 p=1 w=random:3 b=0.25; avgpool2d k=2 s=1 cip=false; conv2d k=2x1 s=2 w=ones",
                                            weight: .sequence, bias: .constant(0))
        let explanation = try Explanation(ExplainProblem(inputSize: [4, 5], input: .random(seed: 4), layers: layers))
        #expect(explanation.passes.map { Array($0.output.shape[2...]) } == [[5, 6], [4, 5], [2, 3]])
        var passes = [ForwardPass]()
        var current = explanation.input
        for module in explanation.modules { let pass = try module.forward(current); passes.append(pass); current = pass.output }
        let loss = try MSELoss(reduction: .mean).evaluate(output: current, target: try Tensor(shape: current.shape, repeating: 0))
        let (dx, parameters) = try Sequential(explanation.modules).backward(passes, gradOutput: loss.gradient)
        #expect(explanation.inputGradients[0] == dx)
        #expect(explanation.parameterGradients.map { $0 } == parameters)
        let text = explanation.rendered(as: .text)
        #expect(text.contains("Layer 3: conv2d 2×1, stride 2, z2 → o"))
        #expect(text.contains("Layer 2: avgpool2d 2×2, stride 1, count_include_pad false, δz2 → δz1"))
        #expect(text.contains("δw1[0,0]") && text.contains("δb3 ="))
        Self.checkTerms(explanation.document)
    }

    @Test func valuesAndSizes() throws {
        #expect(try ExplainValues(parsing: "seq", option: "v").tensor(height: 2, width: 3, option: "v").scalars == [1, 2, 3, 4, 5, 6])
        #expect(try ExplainValues(parsing: "ones", option: "v").tensor(height: 1, width: 2, option: "v").scalars == [1, 1])
        #expect(try ExplainValues(parsing: "-2.5", option: "v") == .constant(-2.5))
        let random = try ExplainValues(parsing: "random:42", option: "v").tensor(height: 8, width: 8, option: "v").scalars
        #expect(random == (try ExplainValues.random(seed: 42).tensor(height: 8, width: 8, option: "v").scalars))
        #expect(random.allSatisfy { $0 == $0.rounded() && abs($0) <= 4 } && Set(random).count > 5)
        #expect(try ExplainSize(parsing: "4x3", option: "s").values == [4, 3])
        #expect(try ExplainSize(parsing: "5", option: "s").values == [5, 5])
        #expect(try ExplainSize(parsing: "2×2", option: "s").values == [2, 2])
        #expect(try ExplainPadding.parse("1,0,2,3", option: "p") == .explicit(begin: [1, 2], end: [0, 3]))
        for bad in ["0", "4x", "x4", "a", "2x2x2", "-1"] {
            #expect(throws: ExplainError.self) { try ExplainSize(parsing: bad, option: "s") }
        }
        for bad in ["random:", "random:x", "sequence2", "file.txt", "nan"] {
            #expect(throws: ExplainError.self) { try ExplainValues(parsing: bad, option: "v") }
        }
    }

    /// Each refusal is one line naming what is wrong; sizes above the limit point to fovea grad.
    @Test func refusals() throws {
        func message(_ problem: ExplainProblem) -> String {
            do { _ = try Explanation(problem); return "no error" } catch { return error.description }
        }
        let conv = ExplainLayer.convolution(kernel: [2, 2], stride: [1, 1], padding: .valid, weight: .sequence, bias: .constant(0))
        #expect(message(ExplainProblem(inputSize: [9, 4], layers: [conv]))
                == "input 9×4 is above the limit of 8×8 for a written-out derivation; `fovea grad conv2d` computes the numbers for any size")
        #expect(message(ExplainProblem(inputSize: [8, 8], layers: [.maxPooling(kernel: [6, 6], stride: [6, 6], padding: .valid)]))
                .hasPrefix("kernel 6×6 is above the limit of 5×5"))
        #expect(message(ExplainProblem(inputSize: [8, 8], layers: Array(repeating: conv, count: 5))).contains("5 layers are above the limit of 4"))
        #expect(message(ExplainProblem(inputSize: nil, layers: [conv])) == "give --input HxW (or an input .npy file with --values)")
        #expect(message(ExplainProblem(inputSize: [0, 4], layers: [conv])).hasPrefix("--input '0x4'"))
        #expect(message(ExplainProblem(inputSize: [4, 4], layers: [.maxPooling(kernel: [2], stride: [2, 2], padding: .valid)]))
                .hasPrefix("--kernel '2'"))
        #expect(message(ExplainProblem(inputSize: [4, 4], layers: [.maxPooling(kernel: [2, 2], stride: [2], padding: .valid)]))
                .hasPrefix("layer 1: maxpool2d: stride"))
        #expect(message(ExplainProblem(inputSize: [2, 2], layers: [.convolution(kernel: [3, 3], stride: [1, 1], padding: .valid,
                                                                                weight: .sequence, bias: .constant(0))]))
                .hasPrefix("layer 1: conv2d: kernel: effective kernel 3"))
        #expect(message(ExplainProblem(inputSize: [4, 4], layers: [.maxPooling(kernel: [2, 2], stride: [2, 2],
                                                                               padding: .explicit(begin: [2, 0], end: [0, 0]))]))
                .contains("exceeds half the kernel"))
        let x = try Self.file("x35", [1, 1, 3, 5], Array(repeating: 1, count: 15))
        #expect(message(ExplainProblem(inputSize: [4, 4], input: .file(x), layers: [conv]))
                == "--input 4x4 does not match the --values file's 3×5")
        #expect(message(ExplainProblem(inputSize: nil, input: .file(x), layers: [conv], target: .file(x)))
                .hasPrefix("--target: \(x) has shape [1, 1, 3, 5], expected 2×4 = 8 elements"))
        #expect(message(ExplainProblem(inputSize: [4, 4], input: .file("/nonexistent.npy"), layers: [conv]))
                .hasPrefix("--values: /nonexistent.npy"))
        let chains: [(String, String)] = [
            ("conv3d k=2", "--layers: layer 1: unknown layer 'conv3d' (conv2d, maxpool2d or avgpool2d)"),
            ("conv2d k=2; maxpool2d s=2", "--layers: layer 2: maxpool2d needs k=KERNEL"),
            ("maxpool2d k=2 w=ones", "--layers: layer 1: maxpool2d takes k, p, s, not 'w'"),
            ("conv2d k=2 k=3", "--layers: layer 1: expected key=value once per key, got 'k=3'"),
            ("conv2d k=0", "--layers layer 1 k '0': expected N or HxW"),
            (" ; ", "--layers: no layers in ' ; '"),
        ]
        for (text, expected) in chains {
            do {
                _ = try ExplainLayer.chain(text, weight: .sequence, bias: .constant(0))
                Issue.record("\(text): no error")
            } catch {
                #expect(error.description.hasPrefix(expected), "\(text): \(error.description)")
            }
        }
    }

    /// The three formats render the same derivation: LaTeX is a complete document with balanced
    /// environments, markdown has balanced display math, text has every entry.
    @Test func formats() throws {
        let layers = try ExplainLayer.chain("conv2d k=2 s=1 b=-1; maxpool2d k=2", weight: .random(seed: 5), bias: .constant(0))
        let explanation = try Explanation(ExplainProblem(inputSize: [4, 4], input: .random(seed: 6), layers: layers,
                                                         target: .sequence))
        let latex = explanation.rendered(as: .latex)
        #expect(latex.hasPrefix("\\documentclass"))
        #expect(latex.hasSuffix("\\end{document}\n"))
        for environment in ["align*", "bmatrix", "document"] {
            #expect(latex.components(separatedBy: "\\begin{\(environment)}").count == latex.components(separatedBy: "\\end{\(environment)}").count)
        }
        #expect(!latex.contains("δ") && !latex.contains("×") && !latex.contains("−"))
        #expect(latex.contains("\\delta w_{0,1}"))
        let markdown = explanation.rendered(as: .markdown)
        #expect(markdown.components(separatedBy: "$$").count % 2 == 1)
        #expect(markdown.contains("\\begin{aligned}"))
        let text = explanation.rendered(as: .text)
        for name in ["z1", "o"] {
            let rows = name == "z1" ? 3 : 1
            for i in 0..<rows { for j in 0..<rows { #expect(text.contains("  \(name)[\(i),\(j)] = "), "\(name)[\(i),\(j)]") } }
        }
        for i in 0..<4 { for j in 0..<4 { #expect(text.contains("δx[\(i),\(j)]") || text.contains("x[\(i),\(j)]")) } }
    }
}

/// docs/explain.md shows the classic example as `fovea explain … --format markdown` prints it today.
@Suite struct ExplainDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: [1, 2])
    func classicExampleIsCurrent(_ stride: Int) throws {
        let docs = try String(contentsOf: Self.root.appendingPathComponent("docs/explain.md"), encoding: .utf8)
        let begin = try #require(docs.range(of: "<!-- derivation: stride \(stride) -->\n\n"))
        let end = try #require(docs.range(of: "\n<!-- end of derivation -->", range: begin.upperBound..<docs.endIndex))
        let shown = String(docs[begin.upperBound..<end.lowerBound])
        let examples = Self.root.appendingPathComponent("Examples")
        let layers = try ExplainLayer.chain("conv2d k=2 s=\(stride); maxpool2d k=2",
                                            weight: .file(examples.appendingPathComponent("w.npy").path), bias: .constant(0.5))
        let explanation = try Explanation(ExplainProblem(inputSize: nil, input: .file(examples.appendingPathComponent("x.npy").path),
                                                         layers: layers, target: .constant(2)))
        #expect(shown == explanation.document.markdown(titleLevel: 3))
        // The stride-1 map leaves row 2 and column 2 to no pooling window; stride 2 ties.
        #expect(shown.contains(stride == 1 ? "Gaps: no window reads row 2 or column 2 of" : "tie between"))
    }
}
