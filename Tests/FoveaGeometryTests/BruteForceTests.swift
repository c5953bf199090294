import Testing
@testable import FoveaGeometry

/// An independent reference for 1-D networks: the set of input positions every unit reads,
/// propagated through each layer by its definition, in two versions. `positions` follows the
/// interval convention (padding positions of a layer are units outside its grid that read their
/// extrapolated positions; nil where the reference leaves a unit undefined: outside the grid of a
/// non-affine layer, whose extension is a convention). `reached` is the truth: units outside a
/// grid read nothing, so only input pixels connected by real units count.
final class ReferenceTensor {
    let size: Int
    /// The positions of a unit, by the convention (`real` false) or the truth (`real` true).
    private let rule: (_ unit: Int, _ real: Bool) -> Set<Int>?
    private var memo: [Int: Set<Int>?] = [:]
    private var realMemo: [Int: Set<Int>?] = [:]

    init(size: Int, rule: @escaping (_ unit: Int, _ real: Bool) -> Set<Int>?) {
        self.size = size
        self.rule = rule
    }

    func positions(_ unit: Int) -> Set<Int>? {
        if let known = memo[unit] { return known }
        let value = rule(unit, false)
        memo[unit] = value
        return value
    }

    /// The input pixels the unit actually reads; empty outside the grid.
    func reached(_ unit: Int) -> Set<Int>? {
        guard unit >= 0 && unit < size else { return [] }
        if let known = realMemo[unit] { return known }
        let value = rule(unit, true)
        realMemo[unit] = value
        return value
    }

    func positions(_ unit: Int, real: Bool) -> Set<Int>? {
        real ? reached(unit) : positions(unit)
    }

    /// Unions of the positions of `units` of `source`; nil if any is undefined.
    static func union(_ units: [Int], of source: ReferenceTensor, real: Bool) -> Set<Int>? {
        var result = Set<Int>()
        for u in units {
            guard let p = source.positions(u, real: real) else { return nil }
            result.formUnion(p)
        }
        return result
    }
}

/// A random 1-D network built together with its reference.
struct RandomNetwork {
    var random: SeededGenerator
    var nodes: [(String, Layer, [String])] = []
    var references: [String: ReferenceTensor]
    var current = Network.inputName
    /// Whether the current tensor's units outside its grid are undefined in the reference.
    var tainted = false

    init(seed: UInt64, inputSize: Int) {
        random = SeededGenerator(seed: seed)
        references = [Network.inputName: ReferenceTensor(size: inputSize) { u, _ in [u] }]
    }

    private var source: ReferenceTensor { references[current]! }

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    /// Appends a node; returns its name.
    @discardableResult
    mutating func append(_ layer: Layer, _ inputs: [String], _ reference: ReferenceTensor, makeCurrent: Bool = true) -> String {
        let name = "n\(nodes.count)"
        nodes.append((name, layer, inputs))
        references[name] = reference
        if makeCurrent { current = name }
        return name
    }

    /// A window by enumeration: floor keeps the windows inside the padded input; ceil keeps those
    /// that overhang the padded end by less than one stride, then drops the last one if it starts
    /// in the end padding (PyTorch's rule).
    mutating func window(k: Int, s: Int, d: Int, pb: Int, pe: Int, ceil: Bool, padding: Padding,
                         from input: String, makeCurrent: Bool = true) -> String? {
        let src = references[input]!, n = src.size, effective = d * (k - 1) + 1
        let overhang = ceil ? s - 1 : 0
        var count = 0
        while count * s - pb + effective - 1 <= n - 1 + pe + overhang { count += 1 }
        if ceil && count > 0 && (count - 1) * s - pb >= n { count -= 1 }
        guard count >= 1 else { return nil }
        let reference = ReferenceTensor(size: count) { u, real in
            ReferenceTensor.union((0..<k).map { u * s - pb + $0 * d }, of: src, real: real)
        }
        let layer = Build.conv([k], stride: [s], dilation: [d], padding: padding, ceilMode: ceil)
        return append(layer, [input], reference, makeCurrent: makeCurrent)
    }

    /// Only defined on the grid.
    static func gridOnly(size: Int, _ rule: @escaping (Int, Bool) -> Set<Int>?) -> ReferenceTensor {
        ReferenceTensor(size: size) { u, real in u >= 0 && u < size ? rule(u, real) : nil }
    }

    mutating func randomAffineStep() {
        let n = source.size
        switch int(0...5) {
        case 0, 1:
            let k = int(1...4), s = int(1...3), d = int(1...2), eff = d * (k - 1) + 1
            switch int(0...2) {
            case 0:
                let pb = int(0...2), pe = int(0...2)
                guard eff <= n + pb + pe else { return }
                let ceil = Bool.random(using: &random)
                _ = window(k: k, s: s, d: d, pb: pb, pe: pe, ceil: ceil, padding: Build.explicit([pb], [pe]), from: current)
            default:
                let lower = Bool.random(using: &random)
                let out = (n + s - 1) / s, total = max((out - 1) * s + eff - n, 0)
                let pb = lower ? total - total / 2 : total / 2
                _ = window(k: k, s: s, d: d, pb: pb, pe: total - pb, ceil: false,
                           padding: lower ? .sameLower : .sameUpper, from: current)
            }
        case 2:
            let b = int(-2...2), e = int(-2...2)
            guard n + b + e >= 1 else { return }
            let src = source
            append(Build.pad(begin: [b], end: [e]), [current], ReferenceTensor(size: n + b + e) { src.positions($0 - b, real: $1) })
        case 3:
            let start = int(0...(n - 1)), step = int(1...3), end = int((start + 1)...n)
            let src = source
            let count = stride(from: start, to: end, by: step).map { $0 }.count
            append(.slice(Slice(start: [start], end: [end], step: [step])), [current],
                   ReferenceTensor(size: count) { src.positions(start + $0 * step, real: $1) })
        case 4:
            // A same-size branch with a random centre shift, merged by add.
            let k = int(1...3), d = int(1...2), eff = d * (k - 1) + 1, pb = int(0...(eff - 1))
            guard let branch = window(k: k, s: 1, d: d, pb: pb, pe: eff - 1 - pb, ceil: false,
                                      padding: Build.explicit([pb], [eff - 1 - pb]), from: current,
                                      makeCurrent: false) else { return }
            mergeWith([branch])
        default:
            // Paths with strides 1 and 2, merged by add: a table from here on.
            let trunk = current
            guard let left = window(k: 1, s: 1, d: 1, pb: 0, pe: 0, ceil: false, padding: nil ?? Build.explicit([0], [0]),
                                    from: trunk, makeCurrent: false) else { return }
            let src = source
            let padded = append(Build.pad(begin: [0], end: [n]), [trunk],
                                ReferenceTensor(size: 2 * n) { src.positions($0, real: $1) }, makeCurrent: false)
            guard let right = window(k: 1, s: 2, d: 1, pb: 0, pe: 0, ceil: false, padding: Build.explicit([0], [0]),
                                     from: padded, makeCurrent: false) else { return }
            current = left
            mergeWith([right])
            tainted = true
        }
    }

    /// Steps whose units read only inside their input's grid (safe after a non-affine layer).
    mutating func randomGridStep() {
        let n = source.size, src = source
        switch int(0...7) {
        case 0:
            let k = int(1...3), s = int(1...3), d = int(1...2), eff = d * (k - 1) + 1
            guard eff <= n else { return }
            _ = window(k: k, s: s, d: d, pb: 0, pe: 0, ceil: false, padding: .valid, from: current)
        case 1:
            let b = int(-2...0), e = int(-2...0)
            guard n + b + e >= 1 else { return }
            append(Build.pad(begin: [b], end: [e]), [current], ReferenceTensor(size: n + b + e) { src.positions($0 - b, real: $1) })
        case 2:
            let k = int(1...4), s = int(1...3), d = int(1...2), pb = int(0...2), pe = int(0...2), op = int(0...1)
            let out = (n - 1) * s - pb - pe + d * (k - 1) + 1 + op
            guard out >= 1 else { return }
            append(.transposedConvolution(TransposedConvolution(kernel: [k], stride: [s], dilation: [d], padBegin: [pb],
                                                                padEnd: [pe], outputPadding: [op])), [current],
                   Self.gridOnly(size: out) { u, real in
                       var sources = [Int]()
                       for i in 0..<n { for t in 0..<k where i * s - pb + t * d == u { sources.append(i) } }
                       return ReferenceTensor.union(sources, of: src, real: real)
                   })
            tainted = true
        case 3:
            let scale = [0.25, 0.5, 2, 3][int(0...3)]
            let out = Int((Double(n) * scale).rounded(.down))
            guard out >= 1 else { return }
            // PyTorch `nearest`: input unit floor(j / scale), at most n − 1.
            append(.resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: .scales([scale]))),
                   [current], Self.gridOnly(size: out) { u, real in
                       src.positions(min(Int((Double(u) / scale).rounded(.down)), n - 1), real: real)
                   })
            tainted = true
        case 4:
            let scale = [0.5, 2, 3][int(0...2)]
            let out = Int((Double(n) * scale).rounded(.down))
            guard out >= 1 else { return }
            // PyTorch linear, align_corners=False: x = max(0, (j + 0.5)/scale − 0.5), weights 1 − λ and λ
            // on floor(x) and the next unit (the last unit stands in for it at the end). This is ONNX
            // half_pixel; ONNX pytorch_half_pixel differs when the output has length 1.
            append(.resize(Resize(mode: .linear, coordinateTransform: .halfPixel, target: .scales([scale]))),
                   [current], Self.gridOnly(size: out) { u, real in
                       let x = max(0, (Double(u) + 0.5) / scale - 0.5)
                       let i0 = Int(x.rounded(.down)), lambda = x - Double(i0)
                       let next = i0 < n - 1 ? i0 + 1 : i0
                       var units = [Int]()
                       if lambda != 1 { units.append(min(i0, n - 1)) }
                       if lambda != 0 { units.append(next) }
                       return ReferenceTensor.union(units, of: src, real: real)
                   })
            tainted = true
        case 5:
            let m = int(2...(n + 3))
            append(.adaptivePooling(AdaptivePooling(kind: .average, outputSize: [m])), [current],
                   Self.gridOnly(size: m) { u, real in
                       let start = (u * n) / m, end = ((u + 1) * n + m - 1) / m
                       return ReferenceTensor.union(Array(start..<end), of: src, real: real)
                   })
            tainted = true
        case 6:
            let start = int(0...(n - 1)), step = -int(1...3), end = int(-1...(start - 1))
            let count = stride(from: start, to: end, by: step).map { $0 }.count
            // ONNX reads end −1 as the last unit; INT_MIN reaches unit 0.
            append(.slice(Slice(start: [start], end: [end == -1 ? Int.min : end], step: [step])), [current],
                   Self.gridOnly(size: count) { src.positions(start + $0 * step, real: $1) })
            tainted = true
        default:
            // Merge with a same-size path through a grid-only layer.
            let resized = append(.resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric,
                                                target: .sizes([n]))), [current],
                                 Self.gridOnly(size: n) { src.positions($0, real: $1) }, makeCurrent: false)
            mergeWith([resized])
            tainted = true
        }
    }

    /// A global reduction: its unit reads what all units of the input actually read; by the
    /// convention every unit, also outside the grid, sees the same.
    mutating func randomReduction() {
        let src = source, n = src.size
        let layers: [Layer] = [.globalPooling(.average), .flatten, .linear(Linear(outFeatures: 3)),
                               .adaptivePooling(AdaptivePooling(kind: .max, outputSize: [1]))]
        append(layers[int(0...3)], [current], ReferenceTensor(size: 1) { _, _ in
            ReferenceTensor.union(Array(0..<n), of: src, real: true)
        })
        tainted = false
    }

    private mutating func mergeWith(_ branches: [String]) {
        let inputs = [current] + branches
        let sources = inputs.map { references[$0]! }
        append(.add, inputs, ReferenceTensor(size: sources[0].size) { u, real in
            var result = Set<Int>()
            for source in sources {
                guard let p = source.positions(u, real: real) else { return nil }
                result.formUnion(p)
            }
            return result
        })
    }
}

@Suite struct BruteForceTests {
    /// Every unit of every tensor of random 1-D networks: the interval equals the hull of the
    /// reference positions, the padded count equals the hull positions outside the input, units
    /// reading nothing have no interval, and affine axes follow `[i·S − P, i·S − P + r − 1]`. The
    /// reach of every unit, of random unit ranges and of the whole tensor is the hull of the
    /// pixels really read, and the unreached count is the part of the clipped interval outside it.
    /// Global reductions see their true reach and are `global` exactly when it is the whole input.
    @Test func intervalsReachesAndPaddedCountsMatchReference() throws {
        var tables = 0, emptyUnits = 0, paddedUnits = 0, misalignedMerges = 0, ceilWindows = 0
        var unreachedUnits = 0, blindUnits = 0, partialReductions = 0, wholeReductions = 0
        for seed in UInt64(1)...300 {
            var random = SeededGenerator(seed: seed &* 7919)
            let inputSize = Int.random(in: 6...30, using: &random)
            var builder = RandomNetwork(seed: seed, inputSize: inputSize)
            for _ in 0..<Int.random(in: 2...9, using: &random) {
                if Int.random(in: 0...9, using: &random) == 0 {
                    builder.randomReduction()
                } else if builder.tainted || Int.random(in: 0...4, using: &random) == 0 {
                    builder.randomGridStep()
                } else {
                    builder.randomAffineStep()
                }
            }
            guard !builder.nodes.isEmpty else { continue }
            let network = try Build.network([inputSize], builder.nodes)
            let geometry = try NetworkGeometry(network)
            misalignedMerges += geometry.merges.count { !$0.isAligned }
            let described = builder.nodes.map { "\($0.0)=\($0.1) \($0.2)" }
            for tensor in geometry.tensors {
                if !tensor.axes[0].isAffine { tables += 1 }
                if case .convolution(let conv)? = tensor.layer, conv.window.ceilMode { ceilWindows += 1 }
                let reference = try #require(builder.references[tensor.name])
                let axis = tensor.axes[0]
                let context = "seed \(seed) \(tensor.name) \(described)"
                try #require(axis.outputSize == reference.size, "\(context): size")
                var reached = [Set<Int>]()
                for u in 0..<reference.size {
                    let truth = try #require(reference.reached(u), "\(context) unit \(u)")
                    reached.append(truth)
                    #expect(axis.reachedInput(ofUnit: u) == Self.hull(truth), "\(context) unit \(u) reach")
                    let positions = try #require(reference.positions(u), "\(context) unit \(u)")
                    guard let lo = positions.min(), let hi = positions.max() else {
                        #expect(axis.interval(ofUnit: u) == nil, "\(context) unit \(u)")
                        emptyUnits += 1
                        continue
                    }
                    #expect(axis.interval(ofUnit: u) == lo...hi, "\(context) unit \(u)")
                    let outside = (lo...hi).count { $0 < 0 || $0 >= inputSize }
                    #expect(axis.paddedCount(ofUnit: u) == outside, "\(context) unit \(u)")
                    if outside > 0 { paddedUnits += 1 }
                    let unreached = (lo...hi).count { $0 >= 0 && $0 < inputSize && !(Self.hull(truth)?.contains($0) ?? false) }
                    #expect(axis.unreachedCount(ofUnit: u) == unreached, "\(context) unit \(u)")
                    if unreached > 0 { unreachedUnits += 1 }
                    if truth.isEmpty { blindUnits += 1 }
                    if let field = axis.affine {
                        let start = u * field.stride - field.padding
                        #expect(lo...hi == start...(start + field.size - 1), "\(context) unit \(u)")
                    }
                }
                // Ranges of units, and the whole tensor.
                let whole = reached.reduce(into: Set<Int>()) { $0.formUnion($1) }
                #expect(axis.reachedInput == Self.hull(whole), "\(context) whole")
                for _ in 0..<3 {
                    let a = Int.random(in: -2...reference.size, using: &random)
                    let b = Int.random(in: a...(reference.size + 2), using: &random)
                    let truth = (a...b).filter { $0 >= 0 && $0 < reference.size }
                        .reduce(into: Set<Int>()) { $0.formUnion(reached[$1]) }
                    #expect(axis.reachedInput(ofUnits: a...b) == Self.hull(truth), "\(context) units \(a)...\(b)")
                }
                let reduces: Bool
                switch tensor.layer {
                case .globalPooling?, .flatten?, .linear?: reduces = true
                case .adaptivePooling(let pool)?: reduces = pool.outputSize == [1]
                default: reduces = false
                }
                if reduces {
                    let isWhole = Self.hull(whole) == 0...(inputSize - 1)
                    #expect(tensor.flags.contains(.global) == isWhole, "\(context)")
                    #expect(tensor.flags.contains(.partiallyGlobal) == !isWhole, "\(context)")
                    if isWhole { wholeReductions += 1 } else { partialReductions += 1 }
                }
            }
        }
        // The random networks really exercise the hard cases.
        #expect(tables > 100 && emptyUnits > 20 && paddedUnits > 200 && misalignedMerges > 50 && ceilWindows > 20,
                "tables \(tables), empty units \(emptyUnits), padded units \(paddedUnits), misaligned merges \(misalignedMerges), ceil windows \(ceilWindows)")
        #expect(unreachedUnits > 100 && blindUnits > 20 && partialReductions > 20 && wholeReductions > 20,
                "unreached units \(unreachedUnits), blind units \(blindUnits), partial reductions \(partialReductions), whole reductions \(wholeReductions)")
    }

    static func hull(_ positions: Set<Int>) -> ClosedRange<Int>? {
        guard let lo = positions.min(), let hi = positions.max() else { return nil }
        return lo...hi
    }
}
