import FoveaKernels
import FoveaTensor

/// Writes the derivation of an `Explanation`: the terms are enumerated from each layer's window
/// geometry, the values are the layers' own results.
struct ExplainWriter {
    typealias Math = ExplainMath
    typealias Inline = ExplainDocument.Inline
    typealias Equation = ExplainDocument.Equation

    /// One layer's window on one image plane.
    struct Window {
        let kernel: [Int]
        let stride: [Int]
        let padBegin: [Int]
        let padEnd: [Int]
        let inputSize: [Int]
        let outputSize: [Int]

        /// Input row (axis 0) or column (axis 1) read by output `o` through tap `t`.
        func position(_ axis: Int, output o: Int, tap t: Int) -> Int { o * stride[axis] - padBegin[axis] + t }

        /// The in-input taps of output `(i, j)`: `(u, v, h, w)`, and the number of padding taps.
        func taps(_ i: Int, _ j: Int) -> (inside: [(u: Int, v: Int, h: Int, w: Int)], padding: Int) {
            var inside: [(Int, Int, Int, Int)] = []
            var padding = 0
            for u in 0..<kernel[0] {
                for v in 0..<kernel[1] {
                    let h = position(0, output: i, tap: u), w = position(1, output: j, tap: v)
                    if h >= 0 && h < inputSize[0] && w >= 0 && w < inputSize[1] {
                        inside.append((u, v, h, w))
                    } else {
                        padding += 1
                    }
                }
            }
            return (inside.map { (u: $0.0, v: $0.1, h: $0.2, w: $0.3) }, padding)
        }

        /// Input positions along `axis` that no window reads.
        func unread(_ axis: Int) -> [Int] {
            var read = Set<Int>()
            for o in 0..<outputSize[axis] {
                for t in 0..<kernel[axis] { read.insert(position(axis, output: o, tap: t)) }
            }
            return (0..<inputSize[axis]).filter { !read.contains($0) }
        }

        /// The window of a convolution or pooling module on an NCHW input shape.
        static func of(_ module: any Module, input shape: [Int]) throws -> Window {
            if let conv = module as? Conv2D {
                let p = try conv.kernelParameters(forInput: shape)
                return Window(kernel: [p.kernelHeight, p.kernelWidth], stride: [p.strideH, p.strideW],
                              padBegin: [p.padTop, p.padLeft], padEnd: [p.padBottom, p.padRight],
                              inputSize: [p.height, p.width], outputSize: [p.outHeight, p.outWidth])
            }
            let p: Pool2DParameters
            if let pool = module as? MaxPool2D {
                p = try pool.kernelParameters(forInput: shape)
            } else if let pool = module as? AvgPool2D {
                p = try pool.kernelParameters(forInput: shape)
            } else {
                throw LayerError.invalidParameter(layer: module.name, parameter: "layer",
                                                  detail: "explain writes out conv2d, maxpool2d and avgpool2d only")
            }
            return Window(kernel: [p.kernelHeight, p.kernelWidth], stride: [p.strideH, p.strideW],
                          padBegin: [p.padTop, p.padLeft], padEnd: [p.padBottom, p.padRight],
                          inputSize: [p.height, p.width], outputSize: [p.outHeight, p.outWidth])
        }

        /// `2i + u − 1` for axis 0 (`j`, `v` for axis 1).
        func indexExpression(_ axis: Int) -> String {
            let (o, t) = axis == 0 ? ("i", "u") : ("j", "v")
            var text = stride[axis] == 1 ? o : "\(stride[axis])\(o)"
            text += " + " + t
            if padBegin[axis] > 0 { text += " − \(padBegin[axis])" }
            return text
        }
    }

    let problem: ExplainProblem
    let input: Tensor
    let modules: [any Module]
    let windows: [Window]
    let passes: [ForwardPass]
    let target: Tensor
    let loss: Float
    let outputGradient: Tensor
    let inputGradients: [Tensor]
    let parameterGradients: [[Tensor]]
    private var blocks: [ExplainDocument.Block] = []

    init(problem: ExplainProblem, input: Tensor, modules: [any Module], windows: [Window], passes: [ForwardPass],
         target: Tensor, loss: Float, outputGradient: Tensor, inputGradients: [Tensor], parameterGradients: [[Tensor]]) {
        self.problem = problem
        self.input = input
        self.modules = modules
        self.windows = windows
        self.passes = passes
        self.target = target
        self.loss = loss
        self.outputGradient = outputGradient
        self.inputGradients = inputGradients
        self.parameterGradients = parameterGradients
    }

    // MARK: - Names and values

    var layerCount: Int { modules.count }
    var convolutionCount: Int { problem.layers.filter { if case .convolution = $0 { return true } else { return false } }.count }

    func inputName(_ l: Int) -> String { l == 0 ? "x" : outputName(l - 1) }
    func outputName(_ l: Int) -> String { l == layerCount - 1 ? "o" : "z\(l + 1)" }
    func weightName(_ l: Int) -> String { convolutionCount == 1 ? "w" : "w\(l + 1)" }
    func biasName(_ l: Int) -> String { convolutionCount == 1 ? "b" : "b\(l + 1)" }

    static func value(_ tensor: Tensor, _ h: Int, _ w: Int) -> Float { tensor.scalars[h * tensor.shape[3] + w] }

    static func rows(_ tensor: Tensor) -> [[Float]] {
        let (height, width) = (tensor.shape[2], tensor.shape[3])
        return (0..<height).map { h in (0..<width).map { w in tensor.scalars[h * width + w] } }
    }

    func window(_ l: Int) -> Window { windows[l] }

    /// `c` as a number: `1/n` for the mean, `1` for the sum.
    var scale: Math {
        switch problem.reduction {
        case .mean: return .quotient(.integer(1), .integer(target.count))
        case .sum: return .integer(1)
        case .scaled(let c): return .number(Float(c))
        }
    }

    private mutating func heading(_ level: Int, _ text: String) { blocks.append(.heading(level: level, [.text(text)])) }

    /// `Layer 2: maxpool2d 2×2, stride 2, z1 → o` with the tensor names as formulas.
    private mutating func layerHeading(_ l: Int, from sources: [Math], to results: [Math]) {
        var inlines: [Inline] = [.text("Layer \(l + 1): \(problem.layers[l].summary), ")]
        for (index, source) in sources.enumerated() { inlines += (index > 0 ? [.text(", ")] : []) + [.math(source)] }
        inlines.append(.text(" → "))
        for (index, result) in results.enumerated() { inlines += (index > 0 ? [.text(", ")] : []) + [.math(result)] }
        blocks.append(.heading(level: 2, inlines))
    }

    /// Entries as formulas separated by commas.
    private static func entries(_ name: String, _ positions: [(Int, Int)]) -> [Inline] {
        var inlines: [Inline] = []
        for (index, position) in positions.enumerated() {
            if index > 0 { inlines.append(.text(", ")) }
            inlines.append(.math(.entry(name, [position.0, position.1], gradient: false)))
        }
        return inlines
    }
    private mutating func paragraph(_ inlines: Inline...) { blocks.append(.paragraph(inlines)) }
    private mutating func matrix(_ name: String, gradient: Bool = false, _ tensor: Tensor) {
        blocks.append(.matrix(name: name, gradient: gradient, rows: Self.rows(tensor)))
    }

    // MARK: - The document

    mutating func document() -> ExplainDocument {
        let size = "\(input.shape[2])×\(input.shape[3])"
        let title = layerCount == 1
            ? "\(problem.layers[0].summary) on a \(size) input"
            : "\(problem.layers.map(\.summary).joined(separator: " → ")) on a \(size) input"
        paragraph(.text("One image, one channel. Rows and columns are numbered from 0: x[a,b] is row a, column b. "),
                  .math(.entry("t", [0, 1], gradient: true)), .text(" stands for ∂E/∂t[0,1], the derivative of the loss E "),
                  .text("with respect to that entry. Every value is the one Fovea's layers compute (fovea grad gives the same)."))
        inputs()
        heading(1, "Forward pass")
        for l in 0..<layerCount { forward(l) }
        lossSection()
        heading(1, "Backward pass")
        for l in (0..<layerCount).reversed() { backward(l) }
        return ExplainDocument(title: title, blocks: blocks)
    }

    private mutating func inputs() {
        heading(1, "Inputs")
        matrix("x", input)
        for l in 0..<layerCount {
            guard let conv = modules[l] as? Conv2D else { continue }
            matrix(weightName(l), conv.weight)
            if let bias = conv.bias {
                paragraph(.text("Bias "), .math(.name(biasName(l))), .text(" = "), .math(.number(bias.scalars[0])), .text("."))
            }
        }
    }

    // MARK: Forward

    private mutating func forward(_ l: Int) {
        let window = window(l)
        let (inName, outName) = (inputName(l), outputName(l))
        layerHeading(l, from: [.tensor(inName, gradient: false)], to: [.tensor(outName, gradient: false)])
        let rule = Math.sum([.floor(.quotient(.difference(.sum([.name("n"), .name("p_b"), .name("p_e")]), .name("k")), .name("s"))),
                             .integer(1)])
        var sizes: [Inline] = [.text("Output size per axis "), .math(rule),
                               .text(" (n input, p_b and p_e padding before and after, k kernel, s stride): ")]
        for axis in 0..<2 {
            let formula = Math.sum([.floor(.quotient(.difference(.sum([.integer(window.inputSize[axis]), .integer(window.padBegin[axis]),
                                                                        .integer(window.padEnd[axis])]),
                                                                 .integer(window.kernel[axis])),
                                                     .integer(window.stride[axis]))), .integer(1)])
            sizes += [.text(axis == 0 ? "rows " : ", columns "), .math(formula), .text(" = \(window.outputSize[axis])")]
        }
        sizes.append(.text("."))
        blocks.append(.paragraph(sizes))
        let rowIndex = window.indexExpression(0), colIndex = window.indexExpression(1)
        let read = Math.symbolicEntry(inName, [rowIndex, colIndex], gradient: false)
        let output = Math.symbolicEntry(outName, ["i", "j"], gradient: false)
        let pass = passes[l]
        var equations: [Equation] = []
        switch modules[l] {
        case let conv as Conv2D:
            let bias = conv.bias?.scalars[0] ?? 0
            paragraph(.math(output), .text(" = "),
                      .math(.sum([.summation("u,v", .product([.symbolicEntry(weightName(l), ["u", "v"], gradient: false), read])),
                                  .name(biasName(l))])),
                      .text("; taps that fall on padding read 0 and are left out."))
            for i in 0..<window.outputSize[0] {
                for j in 0..<window.outputSize[1] {
                    let (taps, padding) = window.taps(i, j)
                    let symbolic = taps.map { Math.product([.entry(weightName(l), [$0.u, $0.v], gradient: false),
                                                            .entry(inName, [$0.h, $0.w], gradient: false)]) }
                    let numeric = taps.map { Math.product([.number(Self.value(conv.weight, $0.u, $0.v)),
                                                           .number(Self.value(pass.input, $0.h, $0.w))]) }
                    equations.append(Equation([.entry(outName, [i, j], gradient: false), .sum(symbolic + [.name(biasName(l))]),
                                               .sum(numeric + [.number(bias)]), .number(Self.value(pass.output, i, j))],
                                              note: padding > 0 ? [.text("\(padding) tap\(padding == 1 ? "" : "s") on padding")] : nil))
                }
            }
        case is MaxPool2D:
            paragraph(.math(output), .text(" = the largest in-input value of window (i, j), rows "), .math(.formula(rowIndex)),
                      .text(", columns "), .math(.formula(colIndex)),
                      .text("; padding never wins, and of equal values the first in row-major order wins."))
            for i in 0..<window.outputSize[0] {
                for j in 0..<window.outputSize[1] {
                    let (taps, _) = window.taps(i, j)
                    let winner = pass.argmax[i * window.outputSize[1] + j]
                    let (wh, ww) = (winner / window.inputSize[1], winner % window.inputSize[1])
                    let best = Self.value(pass.output, i, j)
                    let ties = taps.filter { Self.value(pass.input, $0.h, $0.w) == best }
                    let winnerEntry = Inline.math(.entry(inName, [wh, ww], gradient: false))
                    var note: [Inline] = [.text("winner "), winnerEntry]
                    if ties.count > 1 {
                        note = [.text("tie between ")] + Self.entries(inName, ties.map { ($0.h, $0.w) })
                            + [.text("; the first, "), winnerEntry, .text(", wins")]
                    }
                    equations.append(Equation([.entry(outName, [i, j], gradient: false),
                                               .maximum(taps.map { .entry(inName, [$0.h, $0.w], gradient: false) }),
                                               .maximum(taps.map { .number(Self.value(pass.input, $0.h, $0.w)) }),
                                               .number(best)], note: note))
                }
            }
        default:
            let countIncludePad = (modules[l] as? AvgPool2D)?.countIncludePad ?? true
            paragraph(.math(output), .text(" = (sum of the in-input values of window (i, j), rows "), .math(.formula(rowIndex)),
                      .text(", columns "), .math(.formula(colIndex)), .text(") / D, where D = "),
                      .text(countIncludePad ? "\(window.kernel[0])·\(window.kernel[1]) = \(window.kernel[0] * window.kernel[1]), padding counted"
                                            : "the number of in-input values (count_include_pad false)"),
                      .text("."))
            for i in 0..<window.outputSize[0] {
                for j in 0..<window.outputSize[1] {
                    let (taps, padding) = window.taps(i, j)
                    let divisor = Self.divisor(window, taps: taps.count, countIncludePad: countIncludePad)
                    equations.append(Equation([.entry(outName, [i, j], gradient: false),
                                               .quotient(.sum(taps.map { .entry(inName, [$0.h, $0.w], gradient: false) }), .integer(divisor)),
                                               .quotient(.sum(taps.map { .number(Self.value(pass.input, $0.h, $0.w)) }), .integer(divisor)),
                                               .number(Self.value(pass.output, i, j))],
                                              note: padding > 0 ? [.text("\(padding) tap\(padding == 1 ? "" : "s") on padding")] : nil))
                }
            }
        }
        blocks.append(.equations(equations))
        let rows = window.unread(0), columns = window.unread(1)
        if !rows.isEmpty || !columns.isEmpty {
            var parts: [String] = []
            if !rows.isEmpty { parts.append((rows.count == 1 ? "row " : "rows ") + Self.list(rows)) }
            if !columns.isEmpty { parts.append((columns.count == 1 ? "column " : "columns ") + Self.list(columns)) }
            paragraph(.text("Gaps: no window reads " + parts.joined(separator: " or ") + " of "), .math(.tensor(inName, gradient: false)),
                      .text(" (stride \(window.stride[0])×\(window.stride[1]), kernel \(window.kernel[0])×\(window.kernel[1])), "
                            + "so those values never reach the loss and their gradient is 0."))
        }
        matrix(outName, pass.output)
    }

    /// Average pooling's divisor for a window with `taps` in-input taps (floor mode: whole windows).
    static func divisor(_ window: Window, taps: Int, countIncludePad: Bool) -> Int {
        countIncludePad ? window.kernel[0] * window.kernel[1] : max(taps, 1)
    }

    static func list(_ values: [Int]) -> String {
        guard values.count > 1 else { return values.map(String.init).joined() }
        return values.dropLast().map(String.init).joined(separator: ", ") + " and \(values[values.count - 1])"
    }

    // MARK: Loss

    private mutating func lossSection() {
        let n = target.count
        let (height, width) = (target.shape[2], target.shape[3])
        heading(1, "Loss")
        let cText: String = switch problem.reduction {
        case .mean: "c = 1/\(n), the mean over the \(n) output\(n == 1 ? "" : "s") (as fovea grad --reduction mean)"
        case .sum: "c = 1, the sum (as fovea grad --reduction sum)"
        case .scaled(let c): "c = \(ExplainNumber.text(Float(c)))"
        }
        paragraph(.math(.name("E")), .text(" = "), .math(.product([.name("c"), .summation("i,j", .square(.difference(
            .symbolicEntry("o", ["i", "j"], gradient: false), .symbolicEntry("y", ["i", "j"], gradient: false))))])),
                  .text(" with \(cText), and the target y:"))
        matrix("y", target)
        let output = passes[layerCount - 1].output
        var symbolic: [Math] = [], numeric: [Math] = []
        for i in 0..<height {
            for j in 0..<width {
                symbolic.append(.square(.difference(.entry("o", [i, j], gradient: false), .entry("y", [i, j], gradient: false))))
                numeric.append(.square(.difference(.number(Self.value(output, i, j)), .number(Self.value(target, i, j)))))
            }
        }
        blocks.append(.equations([Equation([.name("E"), .product([.name("c"), .sum(symbolic)]), .product([scale, .sum(numeric)]),
                                            .number(loss)])]))
        paragraph(.text("Its derivative with respect to each output is "), .math(.symbolicEntry("o", ["i", "j"], gradient: true)),
                  .text(" = "), .math(.product([.integer(2), .name("c"), .difference(.symbolicEntry("o", ["i", "j"], gradient: false),
                                                                                    .symbolicEntry("y", ["i", "j"], gradient: false))])),
                  .text(" (not −2c(o − y), which is the derivative with respect to y):"))
        var equations: [Equation] = []
        for i in 0..<height {
            for j in 0..<width {
                equations.append(Equation([
                    .entry("o", [i, j], gradient: true),
                    .product([.integer(2), .name("c"), .difference(.entry("o", [i, j], gradient: false), .entry("y", [i, j], gradient: false))]),
                    .product([.integer(2), scale, .difference(.number(Self.value(output, i, j)), .number(Self.value(target, i, j)))]),
                    .number(Self.value(outputGradient, i, j)),
                ]))
            }
        }
        blocks.append(.equations(equations))
        matrix("o", gradient: true, outputGradient)
    }

    // MARK: Backward

    private mutating func backward(_ l: Int) {
        let window = window(l)
        let (inName, outName) = (inputName(l), outputName(l))
        let upstream = l == layerCount - 1 ? outputGradient : inputGradients[l + 1]
        let pass = passes[l]
        let gradient = inputGradients[l]
        let rowIndex = window.indexExpression(0), colIndex = window.indexExpression(1)
        let read = Math.symbolicEntry(inName, [rowIndex, colIndex], gradient: false)
        let delta = Math.symbolicEntry(outName, ["i", "j"], gradient: true)
        var unreached: [(Int, Int)] = [], lost: [(Int, Int)] = []
        var equations: [Equation] = []

        switch modules[l] {
        case let conv as Conv2D:
            let (w, b) = (weightName(l), biasName(l))
            layerHeading(l, from: [.tensor(outName, gradient: true)],
                         to: [.tensor(b, gradient: true), .tensor(w, gradient: true), .tensor(inName, gradient: true)])
            let bias = parameterGradients[l].count > 1 ? parameterGradients[l][1].scalars[0] : 0
            paragraph(.text("The bias is added to every output, so "), .math(.tensor(b, gradient: true)), .text(" = "),
                      .math(.summation("i,j", delta)), .text(":"))
            var all: [Math] = [], allValues: [Math] = []
            for i in 0..<window.outputSize[0] {
                for j in 0..<window.outputSize[1] {
                    all.append(.entry(outName, [i, j], gradient: true))
                    allValues.append(.number(Self.value(upstream, i, j)))
                }
            }
            blocks.append(.equations([Equation([.tensor(b, gradient: true), .sum(all), .sum(allValues), .number(bias)])]))
            paragraph(.text("Each weight multiplies the value its tap reads in every window: "),
                      .math(.symbolicEntry(w, ["u", "v"], gradient: true)), .text(" = "),
                      .math(.summation("i,j", .product([delta, read]))), .text(" (padding reads 0 and is left out):"))
            var weightEquations: [Equation] = []
            for u in 0..<window.kernel[0] {
                for v in 0..<window.kernel[1] {
                    var symbolic: [Math] = [], numeric: [Math] = []
                    for i in 0..<window.outputSize[0] {
                        for j in 0..<window.outputSize[1] {
                            let h = window.position(0, output: i, tap: u), x = window.position(1, output: j, tap: v)
                            guard h >= 0 && h < window.inputSize[0] && x >= 0 && x < window.inputSize[1] else { continue }
                            symbolic.append(.product([.entry(outName, [i, j], gradient: true), .entry(inName, [h, x], gradient: false)]))
                            numeric.append(.product([.number(Self.value(upstream, i, j)), .number(Self.value(pass.input, h, x))]))
                        }
                    }
                    weightEquations.append(Equation([.entry(w, [u, v], gradient: true), .sum(symbolic), .sum(numeric),
                                                     .number(Self.value(parameterGradients[l][0], u, v))]))
                }
            }
            blocks.append(.equations(weightEquations))
            matrix(w, gradient: true, parameterGradients[l][0])
            paragraph(.text("Each input value is read by every window that covers it, through one tap: "),
                      .math(.symbolicEntry(inName, ["a", "b"], gradient: true)), .text(" = Σ "), .math(.product([delta, .symbolicEntry(w, ["u", "v"], gradient: false)])),
                      .text(" over the (i, j, u, v) with "), .math(.formula("\(rowIndex) = a")), .text(" and "),
                      .math(.formula("\(colIndex) = b")), .text(":"))
            for h in 0..<window.inputSize[0] {
                for x in 0..<window.inputSize[1] {
                    var symbolic: [Math] = [], numeric: [Math] = []
                    for (i, u) in Self.readers(window, axis: 0, position: h) {
                        for (j, v) in Self.readers(window, axis: 1, position: x) {
                            symbolic.append(.product([.entry(outName, [i, j], gradient: true), .entry(w, [u, v], gradient: false)]))
                            numeric.append(.product([.number(Self.value(upstream, i, j)), .number(Self.value(conv.weight, u, v))]))
                        }
                    }
                    if symbolic.isEmpty {
                        unreached.append((h, x))
                    } else {
                        equations.append(Equation([.entry(inName, [h, x], gradient: true), .sum(symbolic), .sum(numeric),
                                                   .number(Self.value(gradient, h, x))]))
                    }
                }
            }
        case is MaxPool2D:
            layerHeading(l, from: [.tensor(outName, gradient: true)], to: [.tensor(inName, gradient: true)])
            paragraph(.text("The maximum passes its gradient to the winning position only: "),
                      .math(.symbolicEntry(inName, ["a", "b"], gradient: true)), .text(" = Σ "), .math(delta),
                      .text(" over the windows (i, j) that "), .math(.symbolicEntry(inName, ["a", "b"], gradient: false)), .text(" won:"))
            for h in 0..<window.inputSize[0] {
                for x in 0..<window.inputSize[1] {
                    var symbolic: [Math] = [], numeric: [Math] = []
                    for i in 0..<window.outputSize[0] {
                        for j in 0..<window.outputSize[1] where pass.argmax[i * window.outputSize[1] + j] == h * window.inputSize[1] + x {
                            symbolic.append(.entry(outName, [i, j], gradient: true))
                            numeric.append(.number(Self.value(upstream, i, j)))
                        }
                    }
                    if !symbolic.isEmpty {
                        equations.append(Equation([.entry(inName, [h, x], gradient: true), .sum(symbolic), .sum(numeric),
                                                   .number(Self.value(gradient, h, x))]))
                    } else if Self.readers(window, axis: 0, position: h).isEmpty || Self.readers(window, axis: 1, position: x).isEmpty {
                        unreached.append((h, x))
                    } else {
                        lost.append((h, x))
                    }
                }
            }
        default:
            layerHeading(l, from: [.tensor(outName, gradient: true)], to: [.tensor(inName, gradient: true)])
            let countIncludePad = (modules[l] as? AvgPool2D)?.countIncludePad ?? true
            paragraph(.text("Each window passes its gradient, divided by its D, to every in-input value it averages: "),
                      .math(.symbolicEntry(inName, ["a", "b"], gradient: true)), .text(" = Σ "), .math(.quotient(delta, .name("D"))),
                      .text(" over the windows (i, j) that contain "), .math(.symbolicEntry(inName, ["a", "b"], gradient: false)), .text(":"))
            for h in 0..<window.inputSize[0] {
                for x in 0..<window.inputSize[1] {
                    var symbolic: [Math] = [], numeric: [Math] = []
                    for (i, _) in Self.readers(window, axis: 0, position: h) {
                        for (j, _) in Self.readers(window, axis: 1, position: x) {
                            let divisor = Self.divisor(window, taps: window.taps(i, j).inside.count, countIncludePad: countIncludePad)
                            symbolic.append(.quotient(.entry(outName, [i, j], gradient: true), .integer(divisor)))
                            numeric.append(.quotient(.number(Self.value(upstream, i, j)), .integer(divisor)))
                        }
                    }
                    if symbolic.isEmpty {
                        unreached.append((h, x))
                    } else {
                        equations.append(Equation([.entry(inName, [h, x], gradient: true), .sum(symbolic), .sum(numeric),
                                                   .number(Self.value(gradient, h, x))]))
                    }
                }
            }
        }
        blocks.append(.equations(equations))
        if !lost.isEmpty {
            blocks.append(.paragraph([.text("Lost every window that reads them (gradient 0): ")] + Self.entries(inName, lost) + [.text(".")]))
        }
        if !unreached.isEmpty {
            blocks.append(.paragraph([.text("Read by no window (the stride leaves them out; gradient 0): ")]
                                     + Self.entries(inName, unreached) + [.text(".")]))
        }
        matrix(inName, gradient: true, gradient)
    }

    /// The `(output, tap)` pairs that read input `position` along `axis`.
    static func readers(_ window: Window, axis: Int, position: Int) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        for o in 0..<window.outputSize[axis] {
            let t = position - window.position(axis, output: o, tap: 0)
            if t >= 0 && t < window.kernel[axis] { pairs.append((o, t)) }
        }
        return pairs
    }
}
