import FoveaGeometry

/// The uniform-weight effective receptive field of one unit: the gradient of the unit with
/// respect to every input pixel in the proxy network `RFVerifier` uses (one channel, every weight
/// 1, max and Lp pooling as average pooling, activations and batch norm as the identity, merges
/// passing the gradient to their local inputs), without the verifier's binarisation.
///
/// Through convolutions, pads, slices, flattens and additions each value is the number of paths
/// from the input pixel to the unit; average pooling divides by its window size, adaptive pooling
/// and interpolation weight by their coefficients (absolute cubic weights). Every layer of the
/// proxy is separable, so the backward pass applies the verifier's line kernels along one axis at
/// a time on the whole grid, which gives the exact N-D field, merges included. Values are
/// computed in `Float` with an exact power-of-two rescale after every layer (no overflow on deep
/// networks), then normalised in `Double` so that the largest value is 1.
public struct EffectiveField: Sendable {
    /// The node and unit (one index per axis) whose field this is.
    public let node: String
    public let unit: [Int]
    /// The network input size: the shape of `values`.
    public let inputSize: [Int]
    /// Row-major over the input axes, largest value 1; all 0 when no input pixel is reached.
    public let values: [Double]

    /// Inputs with more pixels than this are refused (the field is held in memory per pending
    /// tensor of the backward pass).
    public static let maximumInputPixels = 1 << 22

    /// Computes the field of `unit` of `node` (a name or container prefix).
    /// - Throws: `VerificationFailure` for an unknown node, a unit outside its grid, an input
    ///   above `maximumInputPixels`, or a layer the line kernels cannot run.
    public init(geometry: NetworkGeometry, node requested: String, unit: [Int]) throws(VerificationFailure) {
        guard let tensor = geometry[requested] else {
            throw VerificationFailure("no node or container '\(requested)' in the network")
        }
        guard unit.count == tensor.outputSize.count,
              unit.indices.allSatisfy({ unit[$0] >= 0 && unit[$0] < tensor.outputSize[$0] }) else {
            throw VerificationFailure("node '\(tensor.name)': unit \(unit) is outside its grid \(tensor.outputSize)")
        }
        var pixels = 1
        for size in geometry.inputSize {
            let (product, overflow) = pixels.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Self.maximumInputPixels else {
                throw VerificationFailure("input \(geometry.inputSize) has more than \(Self.maximumInputPixels) pixels; no effective field")
            }
            pixels = product
        }
        node = tensor.name
        self.unit = unit
        inputSize = geometry.inputSize
        let field = try Self.backPropagate(to: tensor.name, unit: unit, in: geometry)
        let peak = field.values.max() ?? 0
        values = peak > 0 ? field.values.map { Double($0) / Double(peak) } : field.values.map { _ in 0 }
    }

    /// The value at one input position (one index per axis).
    public subscript(position: [Int]) -> Double {
        var flat = 0
        for axis in inputSize.indices { flat = flat * inputSize[axis] + position[axis] }
        return values[flat]
    }

    /// The field summed over every axis but `axis`, scaled so that its largest value is 1.
    public func profile(axis: Int) -> [Double] {
        let n = inputSize[axis]
        let inner = inputSize[(axis + 1)...].reduce(1, *)
        var sums = [Double](repeating: 0, count: n)
        for (flat, value) in values.enumerated() { sums[(flat / inner) % n] += value }
        let peak = sums.max() ?? 0
        return peak > 0 ? sums.map { $0 / peak } : sums
    }

    // MARK: - Backward pass on whole grids

    /// Values on a grid, the true values being `values · 2^exponent`.
    struct Grid {
        var shape: [Int]
        var values: [Float]
        var exponent: Int

        /// Rescales by a power of two so that the largest value lies in [1, 2) (exact in binary).
        mutating func normalise() {
            guard let peak = values.max(), peak > 0 else { return }
            let shift = Int(peak.exponent)
            guard shift != 0 else { return }
            values = values.map { $0 == 0 ? 0 : Float(sign: .plus, exponent: -shift, significand: $0) }
            exponent += shift
        }

        /// Adds `other` (same shape) with its own exponent.
        mutating func add(_ other: Grid) {
            let common = Swift.max(exponent, other.exponent)
            func rescaled(_ grid: Grid) -> [Float] {
                let shift = grid.exponent - common
                return shift == 0 ? grid.values : grid.values.map { $0 == 0 ? 0 : Float(sign: .plus, exponent: shift, significand: $0) }
            }
            values = zip(rescaled(self), rescaled(other)).map { $0 + $1 }
            exponent = common
            normalise()
        }
    }

    private static func backPropagate(to node: String, unit: [Int], in geometry: NetworkGeometry) throws(VerificationFailure) -> Grid {
        var position: [String: Int] = [:]
        for (index, tensor) in geometry.tensors.enumerated() { position[tensor.name] = index }
        guard let target = position[node] else { throw VerificationFailure("no node '\(node)' in the network") }
        let shape = geometry.tensors[target].outputSize
        var seed = Grid(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)), exponent: 0)
        var flat = 0
        for axis in shape.indices { flat = flat * shape[axis] + unit[axis] }
        seed.values[flat] = 1
        var gradients = [Grid?](repeating: nil, count: geometry.tensors.count)
        gradients[target] = seed

        func accumulate(_ grid: Grid, into index: Int) {
            if gradients[index] == nil {
                gradients[index] = grid
            } else {
                gradients[index]?.add(grid)
            }
        }

        for index in stride(from: target, to: 0, by: -1) {
            guard let pending = gradients[index], let layer = geometry.tensors[index].layer else { continue }
            gradients[index] = nil
            let tensor = geometry.tensors[index]
            switch layer {
            case .add, .multiply, .concat:
                let local = geometry.merge(named: tensor.name)?.inputs ?? tensor.inputs
                for input in local {
                    guard let source = position[input] else { continue }
                    accumulate(try broadcastSum(pending, to: geometry.tensors[source].outputSize, node: tensor.name),
                               into: source)
                }
            default:
                guard let input = tensor.inputs.first, let source = position[input] else { continue }
                var grid = pending
                for axis in shape.indices {
                    grid = try lineBackward(grid, axis: axis, layer: layer, node: tensor.name,
                                            inputCount: geometry.tensors[source].outputSize[axis])
                }
                grid.normalise()
                accumulate(grid, into: source)
            }
        }
        let pixels = geometry.inputSize.reduce(1, *)
        return gradients[0] ?? Grid(shape: geometry.inputSize, values: [Float](repeating: 0, count: pixels), exponent: 0)
    }

    /// Applies the layer's line backward pass along `axis` to every line of the grid.
    private static func lineBackward(_ grid: Grid, axis: Int, layer: Layer, node: String,
                                     inputCount n: Int) throws(VerificationFailure) -> Grid {
        let m = grid.shape[axis]
        let outer = grid.shape[..<axis].reduce(1, *)
        let inner = grid.shape[(axis + 1)...].reduce(1, *)
        // Lines along `axis` made contiguous: (outer, inner, m).
        var lines = [Float](repeating: 0, count: grid.values.count)
        if inner == 1 {
            lines = grid.values
        } else {
            for o in 0..<outer {
                for j in 0..<m {
                    let from = (o * m + j) * inner
                    for i in 0..<inner { lines[(o * inner + i) * m + j] = grid.values[from + i] }
                }
            }
        }
        let step = LineBackward(node: node, axis: axis, batch: outer * inner, inputCount: n, outputCount: m)
        let result = try step.gradient(of: layer, lines)
        var shape = grid.shape
        shape[axis] = n
        guard inner != 1 else { return Grid(shape: shape, values: result, exponent: grid.exponent) }
        var values = [Float](repeating: 0, count: result.count)
        for o in 0..<outer {
            for j in 0..<n {
                let to = (o * n + j) * inner
                for i in 0..<inner { values[to + i] = result[(o * inner + i) * n + j] }
            }
        }
        return Grid(shape: shape, values: values, exponent: grid.exponent)
    }

    /// The gradient of a merge input: the merge's gradient, summed over the axes the input
    /// broadcasts from size 1.
    private static func broadcastSum(_ grid: Grid, to shape: [Int], node: String) throws(VerificationFailure) -> Grid {
        var current = grid
        for axis in shape.indices where shape[axis] != current.shape[axis] {
            guard shape[axis] == 1 else {
                throw VerificationFailure("node '\(node)': an input has \(shape[axis]) units on axis \(axis), the merge \(current.shape[axis])")
            }
            let m = current.shape[axis]
            let outer = current.shape[..<axis].reduce(1, *)
            let inner = current.shape[(axis + 1)...].reduce(1, *)
            var sums = [Float](repeating: 0, count: outer * inner)
            for o in 0..<outer {
                for j in 0..<m {
                    for i in 0..<inner { sums[o * inner + i] += current.values[(o * m + j) * inner + i] }
                }
            }
            current.shape[axis] = 1
            current.values = sums
        }
        current.normalise()
        return current
    }
}
