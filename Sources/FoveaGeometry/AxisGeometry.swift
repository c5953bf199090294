/// Output size and receptive field of one tensor along one spatial axis.
///
/// Convention: unit `i` sees the network input `[i·S − P, i·S − P + r − 1]` (unclipped; positions
/// outside `[0, inputSize − 1]` are padding). On a non-affine axis `r`, `S` and `P` are summaries
/// (largest extent, mean spacing of interval starts, padding of the first seeing unit) and the
/// exact values come from `interval(ofUnit:)`.
///
/// The interval counts padding positions of every layer as if they were units; the **reach**
/// (`reachedInput(ofUnit:)`) is the hull of the input pixels a unit actually reads through real
/// units only, always inside both the interval and `[0, inputSize − 1]`.
public struct AxisGeometry: Sendable, Hashable {
    /// The network input size on this axis.
    public let inputSize: Int
    /// The number of units of this tensor on this axis.
    public let outputSize: Int
    /// Whether every unit's interval follows the affine convention with integer `r`, `S`, `P`.
    public let isAffine: Bool
    /// Receptive-field size `r` (the largest over the units when not affine).
    public let receptiveField: Int
    /// Effective stride `S`: exact when affine (0 after a global reduction), the mean spacing otherwise.
    public let effectiveStride: Double
    /// Effective padding `P`.
    public let effectivePadding: Double
    let map: AxisMap
    let reach: ReachTable

    init(map: AxisMap, reach: ReachTable, inputSize: Int, outputSize: Int) {
        self.map = map
        self.reach = reach
        self.inputSize = inputSize
        self.outputSize = outputSize
        switch map {
        case .affine(let field):
            isAffine = true
            receptiveField = field.size
            effectiveStride = Double(field.stride)
            effectivePadding = Double(field.padding)
        case .table(let table):
            isAffine = false
            effectiveStride = table.meanSpacing
            var widest = 0
            for j in 0..<table.count where table.lo[j] <= table.hi[j] {
                let (width, overflow) = table.hi[j].subtractingReportingOverflow(table.lo[j])
                widest = overflow ? Int.max : Swift.max(widest, width &+ 1)
            }
            receptiveField = widest
            if let first = table.firstSeeing {
                effectivePadding = Double(first) * table.meanSpacing - Double(table.lo[first])
            } else {
                effectivePadding = 0
            }
        }
    }

    /// The affine form `(r, S, P)` when the axis is affine.
    public var affine: AffineReceptiveField? {
        if case .affine(let field) = map { return field }
        return nil
    }

    /// The unclipped input interval of unit `i` (`0 ≤ i < outputSize`); nil if the unit does not
    /// exist, sees nothing (e.g. a transposed-convolution output no input writes to) or is not
    /// representable in `Int`.
    public func interval(ofUnit i: Int) -> ClosedRange<Int>? {
        guard i >= 0 && i < outputSize, let span = try? map.span(ofUnit: i) else { return nil }
        return span.lo...span.hi
    }

    /// The centre of unit `i`'s interval.
    public func centre(ofUnit i: Int) -> Double? {
        interval(ofUnit: i).map { (Double($0.lowerBound) + Double($0.upperBound)) / 2 }
    }

    /// How many positions of unit `i`'s interval lie outside the input `[0, inputSize − 1]`,
    /// i.e. in padding; 0 for a unit that sees nothing.
    public func paddedCount(ofUnit i: Int) -> Int {
        guard let range = interval(ofUnit: i) else { return 0 }
        // Counts of the parts below 0 and above N − 1, saturating at Int.max for absurd intervals.
        func count(_ lo: Int, _ hi: Int) -> Int {
            guard lo <= hi else { return 0 }
            let (width, overflow) = hi.subtractingReportingOverflow(lo)
            return overflow || width == Int.max ? Int.max : width + 1
        }
        let before = count(range.lowerBound, Swift.min(range.upperBound, -1))
        let after = count(Swift.max(range.lowerBound, inputSize), range.upperBound)
        let (total, overflow) = before.addingReportingOverflow(after)
        return overflow ? Int.max : total
    }

    /// The hull of the input pixels unit `i` actually reads: through real units of every layer
    /// (padding positions read nothing, whatever the padding mode), gate and other global-context
    /// inputs excluded. Nil if the unit does not exist or reads no input pixel.
    public func reachedInput(ofUnit i: Int) -> ClosedRange<Int>? {
        reachedInput(ofUnits: i...i)
    }

    /// The hull of the input pixels the units `units` (clipped to `0..<outputSize`) actually read
    /// together; nil if none reads an input pixel.
    public func reachedInput(ofUnits units: ClosedRange<Int>) -> ClosedRange<Int>? {
        guard let span = try? reach.hull(from: units.lowerBound, through: units.upperBound, map: map) else { return nil }
        return span.lo...span.hi
    }

    /// The hull of the input pixels read by any unit of the tensor on this axis.
    public var reachedInput: ClosedRange<Int>? {
        reachedInput(ofUnits: 0...Swift.max(outputSize - 1, 0))
    }

    /// How many pixels of unit `i`'s interval lie inside the input `[0, inputSize − 1]` but outside
    /// its reach: pixels in the interval only through padding (or skipped by every real path).
    public func unreachedCount(ofUnit i: Int) -> Int {
        guard let range = interval(ofUnit: i) else { return 0 }
        let lo = Swift.max(range.lowerBound, 0), hi = Swift.min(range.upperBound, inputSize - 1)
        guard lo <= hi else { return 0 }
        let reached = reachedInput(ofUnit: i).map { $0.count } ?? 0
        return hi - lo + 1 - reached
    }
}
