/// Why one axis of the analysis could not be computed; turned into a `GeometryError` that
/// names the node and axis by the caller.
enum AxisError: Error, Equatable {
    /// An intermediate value does not fit in `Int`.
    case overflow
    /// A non-affine axis (or the reach of an axis) would need a per-unit table longer than
    /// `maximumTableLength`.
    case tableTooLarge(size: Int)
}

/// The longest per-unit interval or reach table built for one axis of one tensor.
let maximumTableLength = 1 << 20

extension Int {
    /// `self + other`, throwing on overflow.
    func plus(_ other: Int) throws(AxisError) -> Int {
        let (value, overflow) = addingReportingOverflow(other)
        if overflow { throw .overflow }
        return value
    }

    /// `self − other`, throwing on overflow.
    func minus(_ other: Int) throws(AxisError) -> Int {
        let (value, overflow) = subtractingReportingOverflow(other)
        if overflow { throw .overflow }
        return value
    }

    /// `self · other`, throwing on overflow.
    func times(_ other: Int) throws(AxisError) -> Int {
        let (value, overflow) = multipliedReportingOverflow(by: other)
        if overflow { throw .overflow }
        return value
    }
}

/// `floor(a / b)` for `b > 0`.
func floorDivision(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && a < 0) ? q - 1 : q
}

/// `ceil(a / b)` for `b > 0`.
func ceilDivision(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && a > 0) ? q + 1 : q
}

/// A number for one-line messages: integers without a fractional part, others with up to 3 decimals.
func formatted(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    let scaled = (x * 1000).rounded() / 1000
    return String(scaled)
}
