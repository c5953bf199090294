import FoveaGeometry

/// Re-derives receptive fields empirically: a one-hot gradient at a unit is propagated back to
/// the input with Fovea's backward kernels (one channel, every weight 1, max → average pooling,
/// identity activations), binarised after every layer; the input positions that receive
/// gradient are the pixels the unit actually reads; their hull must be the analysed reach
/// (`AxisGeometry.reachedInput(ofUnit:)`) exactly, also at the borders.
///
/// The fields are separable, so each axis is measured on lines along that axis (the kernels' rows
/// for axis 0, their columns otherwise), which keeps fields of thousands of pixels cheap. Per
/// node and axis it checks the first, centre and last unit at the requested size, then grows the
/// input along the axis (in steps that keep every layer's padding and rounding) until the centre
/// unit's field lies strictly inside, and measures `r`, `S`, `P` from the centre unit and the next.
/// Merges send the gradient to their local inputs only: a global-context input (a
/// squeeze-and-excitation gate) is left out, as in the analysis.
public enum RFVerifier {
    /// Lines are grown up to this many input units.
    public static let maximumLength = 1 << 18

    /// Verifies `nodes` (names or container prefixes) of `network` at `inputSize`.
    /// - Throws: `GeometryError` when the network cannot be analysed at `inputSize`.
    public static func verify(_ network: Network, inputSize: [Int]? = nil, nodes: [String]) throws(GeometryError)
        -> RFVerification {
        let geometry = try NetworkGeometry(network, inputSize: inputSize)
        return RFVerification(nodes: nodes.map { verify(node: $0, in: geometry) })
    }

    private static func verify(node requested: String, in geometry: NetworkGeometry) -> RFVerification.NodeResult {
        guard let tensor = geometry[requested] else {
            return .init(node: requested, checks: [], fields: [], notes: [],
                         failure: VerificationFailure("no node or container '\(requested)' in the network"))
        }
        var checks: [RFVerification.UnitCheck] = []
        var fields: [RFVerification.FieldCheck] = []
        var notes: [String] = []
        do throws(VerificationFailure) {
            for axis in tensor.axes.indices {
                let count = tensor.outputSize[axis]
                var units: [(Int, RFVerification.UnitCheck.Role)] = []
                for (unit, role) in [(0, RFVerification.UnitCheck.Role.first), ((count - 1) / 2, .centre), (count - 1, .last)]
                    where !units.contains(where: { $0.0 == unit }) {
                    units.append((unit, role))
                }
                checks += try measure(tensor.name, axis: axis, units: units, in: geometry)
                if tensor.axes[axis].effectiveStride == 0 {
                    notes.append("axis \(axis): stride 0, every unit reads the same pixels; no grown-input measurement")
                    continue
                }
                guard let grown = try grownGeometry(tensor.name, axis: axis, from: geometry) else {
                    notes.append("axis \(axis): the centre unit's field does not fit strictly inside an input of up to \(maximumLength) units")
                    continue
                }
                guard let grownTensor = grown.geometry[tensor.name] else { continue }
                let pair = try measure(tensor.name, axis: axis, units: [(grown.centre, .centre), (grown.centre + 1, .next)],
                                       in: grown.geometry)
                checks += pair
                guard let analyticAtGrownSize = grownTensor.axes[axis].affine else {
                    notes.append("axis \(axis): not affine at input \(grown.geometry.inputSize[axis]); checked unit by unit")
                    continue
                }
                var measured: AffineReceptiveField?
                if let a = pair[0].measured, let b = pair[1].measured, a.count == b.count {
                    let stride = b.lowerBound - a.lowerBound
                    measured = AffineReceptiveField(size: a.count, stride: stride,
                                                    padding: grown.centre * stride - a.lowerBound)
                }
                fields.append(.init(axis: axis, inputSize: grown.geometry.inputSize[axis], measured: measured,
                                    analyticAtGrownSize: analyticAtGrownSize,
                                    analytic: tensor.axes[axis].affine))
            }
        } catch {
            return .init(node: tensor.name, checks: checks, fields: fields, notes: notes, failure: error)
        }
        return .init(node: tensor.name, checks: checks, fields: fields, notes: notes, failure: nil)
    }

    /// The geometry at an input grown along `axis` by multiples of every integer effective stride
    /// (so `same` paddings and ceil-mode rounding stay as they are), doubling the growth until the
    /// centre unit and the next have fields strictly inside the input.
    private static func grownGeometry(_ node: String, axis: Int, from geometry: NetworkGeometry) throws(VerificationFailure)
        -> (geometry: NetworkGeometry, centre: Int)? {
        var step = 1
        for tensor in geometry.tensors {
            if let stride = tensor.axes[axis].affine?.stride, stride > 0, step <= 1 << 16 {
                step = step / greatestCommonDivisor(step, stride) * stride
            }
        }
        var size = geometry.inputSize
        var growth = 0
        while size[axis] <= maximumLength {
            let candidate: NetworkGeometry
            do {
                candidate = try NetworkGeometry(geometry.network, inputSize: size)
            } catch {
                throw VerificationFailure("at input size \(size): \(error.description)")
            }
            if let tensor = candidate[node], tensor.outputSize[axis] >= 2 {
                let centre = (tensor.outputSize[axis] - 2) / 2
                let inside = [centre, centre + 1].allSatisfy { unit in
                    guard let interval = tensor.axes[axis].interval(ofUnit: unit) else { return false }
                    return interval.lowerBound >= 1 && interval.upperBound <= size[axis] - 2
                }
                if inside { return (candidate, centre) }
            }
            growth = growth == 0 ? step : growth * 2
            size[axis] = geometry.inputSize[axis] + growth
        }
        return nil
    }

    /// Back-propagates one-hot gradients at `units` of `node` along `axis` and compares the support
    /// at the input with the analytic reach.
    private static func measure(_ node: String, axis: Int, units: [(Int, RFVerification.UnitCheck.Role)],
                                in geometry: NetworkGeometry) throws(VerificationFailure) -> [RFVerification.UnitCheck] {
        let support = try backPropagate(from: node, axis: axis, units: units.map(\.0), in: geometry)
        guard let tensor = geometry[node] else { throw VerificationFailure("no node '\(node)' in the network") }
        let n = geometry.inputSize[axis]
        return units.enumerated().map { b, entry in
            let line = support[(b * n)..<((b + 1) * n)]
            let analytic = tensor.axes[axis].interval(ofUnit: entry.0)
            let expected = tensor.axes[axis].reachedInput(ofUnit: entry.0)
            var measured: ClosedRange<Int>?
            var holes = 0
            if let first = line.firstIndex(where: { $0 }), let last = line.lastIndex(where: { $0 }) {
                measured = (first - b * n)...(last - b * n)
                holes = line[first...last].filter { !$0 }.count
            }
            return .init(axis: axis, inputSize: n, unit: entry.0, role: entry.1, analytic: analytic,
                         expected: expected, measured: measured, holes: holes)
        }
    }

    /// The input positions (per unit, `inputSize[axis]` flags each) that receive gradient.
    static func backPropagate(from node: String, axis: Int, units: [Int], in geometry: NetworkGeometry)
        throws(VerificationFailure) -> [Bool] {
        var position: [String: Int] = [:]
        for (index, tensor) in geometry.tensors.enumerated() { position[tensor.name] = index }
        guard let target = geometry[node].flatMap({ position[$0.name] }) else {
            throw VerificationFailure("no node '\(node)' in the network")
        }
        let batch = units.count
        var gradients = [[Float]?](repeating: nil, count: geometry.tensors.count)
        let count = geometry.tensors[target].outputSize[axis]
        var seed = [Float](repeating: 0, count: batch * count)
        for (b, unit) in units.enumerated() { seed[b * count + unit] = 1 }
        gradients[target] = seed

        func accumulate(_ gradient: [Float], into index: Int) {
            if let existing = gradients[index] {
                gradients[index] = zip(existing, gradient).map { $0 + $1 }
            } else {
                gradients[index] = gradient
            }
        }

        for index in stride(from: target, to: 0, by: -1) {
            guard let pending = gradients[index], let layer = geometry.tensors[index].layer else { continue }
            gradients[index] = nil
            let gradient = pending.map { $0 != 0 ? Float(1) : 0 }
            let tensor = geometry.tensors[index]
            let m = tensor.outputSize[axis]
            switch layer {
            case .add, .multiply, .concat:
                // Positive activations and weights: every local input gets the gradient (a product's
                // factor gradient is the other, positive factor); a broadcast input gets the sum.
                let local = geometry.merge(named: tensor.name)?.inputs ?? tensor.inputs
                for input in local {
                    guard let source = position[input] else { continue }
                    let n = geometry.tensors[source].outputSize[axis]
                    if n == m {
                        accumulate(gradient, into: source)
                    } else if n == 1 {
                        accumulate((0..<batch).map { b in gradient[(b * m)..<((b + 1) * m)].reduce(0, +) }, into: source)
                    } else {
                        throw VerificationFailure("node '\(tensor.name)': input '\(input)' has \(n) units on axis \(axis), the merge \(m)")
                    }
                }
            default:
                guard let input = tensor.inputs.first, let source = position[input] else { continue }
                let step = LineBackward(node: tensor.name, axis: axis, batch: batch,
                                        inputCount: geometry.tensors[source].outputSize[axis], outputCount: m)
                accumulate(try step.gradient(of: layer, gradient), into: source)
            }
        }
        return (gradients[0] ?? [Float](repeating: 0, count: batch * geometry.inputSize[axis])).map { $0 != 0 }
    }

    private static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : greatestCommonDivisor(b, a % b)
    }
}
