/// The unclipped input interval `[lo, hi]` of one unit on one axis.
struct Span: Hashable, Sendable {
    var lo: Int
    var hi: Int

    /// The smallest interval containing both.
    func hull(_ other: Span?) -> Span {
        guard let other else { return self }
        return Span(lo: Swift.min(lo, other.lo), hi: Swift.max(hi, other.hi))
    }

    /// The centre of the interval.
    var centre: Double { (Double(lo) + Double(hi)) / 2 }
}

/// Exact input intervals of the units of a non-affine axis.
///
/// Units outside the grid (read as padding by a later layer) are extrapolated from the edge
/// units: unit `u < 0` is the first seeing unit `f` shifted by `floor((u − f)·Δ)`, unit `u ≥ n` the
/// last seeing unit `l` shifted by `ceil((u − l)·Δ)`, where `Δ` is the mean spacing of interval
/// starts `(lo_l − lo_f)/(l − f)` (the width of the only seeing unit when `f = l`).
struct UnitTable: Hashable, Sendable {
    /// Interval starts; `lo[j] > hi[j]` marks a unit that sees nothing.
    let lo: [Int]
    let hi: [Int]
    let firstSeeing: Int?
    let lastSeeing: Int?
    /// Mean spacing of interval starts as a fraction (denominator > 0).
    let spacingNumerator: Int
    let spacingDenominator: Int

    init(lo: [Int], hi: [Int]) throws(AxisError) {
        self.lo = lo
        self.hi = hi
        let first = lo.indices.first { lo[$0] <= hi[$0] }
        let last = lo.indices.last { lo[$0] <= hi[$0] }
        firstSeeing = first
        lastSeeing = last
        if let first, let last, last > first {
            spacingNumerator = try lo[last].minus(lo[first])
            spacingDenominator = last - first
        } else if let first {
            spacingNumerator = try hi[first].minus(lo[first]).plus(1)
            spacingDenominator = 1
        } else {
            spacingNumerator = 0
            spacingDenominator = 1
        }
    }

    var count: Int { lo.count }

    /// Mean spacing of interval starts.
    var meanSpacing: Double { Double(spacingNumerator) / Double(spacingDenominator) }

    /// The interval of unit `u`, extrapolated outside the grid; nil if it sees nothing.
    func span(ofUnit u: Int) throws(AxisError) -> Span? {
        if u >= 0 && u < count {
            return lo[u] <= hi[u] ? Span(lo: lo[u], hi: hi[u]) : nil
        }
        guard let first = firstSeeing, let last = lastSeeing else { return nil }
        let edge = u < 0 ? first : last
        let numerator = try u.minus(edge).times(spacingNumerator)
        let shift = u < 0 ? floorDivision(numerator, spacingDenominator)
                          : ceilDivision(numerator, spacingDenominator)
        return Span(lo: try lo[edge].plus(shift), hi: try hi[edge].plus(shift))
    }
}

/// How the units of one axis of a tensor map to input intervals.
enum AxisMap: Hashable, Sendable {
    /// Closed form, exact for every integer unit.
    case affine(AffineReceptiveField)
    /// Per-unit table over the grid, extrapolated outside it.
    case table(UnitTable)

    /// The interval of unit `u` (extended outside the grid); nil if it sees nothing.
    func span(ofUnit u: Int) throws(AxisError) -> Span? {
        switch self {
        case .affine(let field): return try field.span(ofUnit: u)
        case .table(let table): return try table.span(ofUnit: u)
        }
    }

    /// Summary stride: exact for affine maps, the mean start spacing for tables.
    var meanStride: Double {
        switch self {
        case .affine(let field): return Double(field.stride)
        case .table(let table): return table.meanSpacing
        }
    }

    var isAffine: Bool {
        if case .affine = self { return true }
        return false
    }

    /// The hull of the intervals of units `a, a + d, …, a + (count − 1)·d` (`count, d ≥ 1`).
    func hull(from a: Int, count: Int, step d: Int) throws(AxisError) -> Span? {
        let last = try a.plus((count - 1).times(d))
        switch self {
        case .affine(let field):
            // Affine maps here have S ≥ 0, so starts and ends never decrease with the unit.
            return Span(lo: try field.span(ofUnit: a).lo, hi: try field.span(ofUnit: last).hi)
        case .table(let table):
            var result: Span?
            func include(_ u: Int) throws(AxisError) {
                if let span = try table.span(ofUnit: u) { result = span.hull(result) }
            }
            let n = table.count
            // Taps inside the grid, one by one.
            let firstTap = Swift.max(0, ceilDivision(try 0.minus(a), d))
            let lastTap = Swift.min(count - 1, floorDivision(try (n - 1).minus(a), d))
            if firstTap <= lastTap {
                for tap in firstTap...lastTap { try include(a + tap * d) }
            }
            // Outside the grid the extrapolation is monotone, so the extreme taps suffice.
            if a < 0 {
                try include(a)
                try include(a + Swift.min(count - 1, floorDivision(-1 - a, d)) * d)
            }
            if last > n - 1 {
                try include(a + Swift.max(0, ceilDivision(try n.minus(a), d)) * d)
                try include(last)
            }
            return result
        }
    }
}

/// Accumulates per-unit hulls and turns them into an axis map.
struct TableBuilder {
    private(set) var lo: [Int]
    private(set) var hi: [Int]

    init(count: Int) throws(AxisError) {
        guard count <= maximumTableLength else { throw .tableTooLarge(size: count) }
        lo = Array(repeating: Int.max, count: count)
        hi = Array(repeating: Int.min, count: count)
    }

    /// Widens unit `j` to include `span`.
    mutating func include(_ span: Span?, at j: Int) {
        guard let span else { return }
        if span.lo < lo[j] { lo[j] = span.lo }
        if span.hi > hi[j] { hi[j] = span.hi }
    }

    /// The map: affine when the table is exactly affine (at least two units, every unit sees
    /// something, equal widths, constant start spacing ≥ 0), a table otherwise.
    func build() throws(AxisError) -> AxisMap {
        let n = lo.count
        if n >= 2, lo.indices.allSatisfy({ lo[$0] <= hi[$0] }) {
            let width = try hi[0].minus(lo[0]).plus(1)
            let step = try lo[1].minus(lo[0])
            var affine = step >= 0
            var j = 1
            while affine && j < n {
                let spacing = try lo[j].minus(lo[j - 1])
                let extent = try hi[j].minus(lo[j]).plus(1)
                affine = spacing == step && extent == width
                j += 1
            }
            if affine {
                return .affine(AffineReceptiveField(size: width, stride: step, padding: try 0.minus(lo[0])))
            }
        }
        return .table(try UnitTable(lo: lo, hi: hi))
    }
}
