/// The input pixels the units of one axis actually read: the hull of the network-input positions
/// connected to a unit by real units only (padding positions read nothing).
///
/// The grid splits into runs, in this order: units `0..<liveStart` read nothing (padding far from
/// any pixel); then tabulated units; then **clean** units `cleanStart..<cleanEnd`, whose
/// dependencies never touch a position outside some layer's grid, so they read exactly their
/// interval (`AxisMap.span`); then tabulated units again; and units `liveEnd..<count` read
/// nothing. A long axis of a plain network therefore costs a few entries per tensor, also after
/// large paddings.
struct ReachTable: Hashable, Sendable {
    /// Units in the grid.
    let count: Int
    let liveStart: Int
    let cleanStart: Int
    let cleanEnd: Int
    let liveEnd: Int
    /// Reach of units `liveStart..<cleanStart`, then of `cleanEnd..<liveEnd`; `lo > hi` marks a
    /// unit that reads nothing.
    let lo: [Int]
    let hi: [Int]

    /// Every unit reads exactly its interval (the network input).
    static func allClean(count: Int) -> ReachTable {
        ReachTable(count: count, liveStart: 0, cleanStart: 0, cleanEnd: count, liveEnd: count, lo: [], hi: [])
    }

    /// The units that may read something; the others read nothing.
    var live: Range<Int> { liveStart..<liveEnd }

    /// Whether unit `u` of the grid reads exactly its interval.
    func isClean(_ u: Int) -> Bool { u >= cleanStart && u < cleanEnd }

    /// The reach of unit `u`; nil outside the grid (padding reads nothing) or when it reads nothing.
    /// - Parameter map: the interval map of the same axis.
    func span(ofUnit u: Int, map: AxisMap) throws(AxisError) -> Span? {
        guard u >= liveStart && u < liveEnd else { return nil }
        if isClean(u) { return try map.span(ofUnit: u) }
        let entry = u < cleanStart ? u - liveStart : cleanStart - liveStart + (u - cleanEnd)
        return lo[entry] <= hi[entry] ? Span(lo: lo[entry], hi: hi[entry]) : nil
    }

    /// The hull of the reach of units `a…b` (any integers); nil when they read nothing.
    func hull(from a: Int, through b: Int, map: AxisMap) throws(AxisError) -> Span? {
        let first = Swift.max(a, liveStart), last = Swift.min(b, liveEnd - 1)
        guard first <= last else { return nil }
        var result: Span?
        func tabulated(_ range: ClosedRange<Int>, offset: Int) {
            for u in range {
                let entry = u - offset
                if lo[entry] <= hi[entry] { result = Span(lo: lo[entry], hi: hi[entry]).hull(result) }
            }
        }
        if first < cleanStart { tabulated(first...Swift.min(last, cleanStart - 1), offset: liveStart) }
        let cleanFirst = Swift.max(first, cleanStart), cleanLast = Swift.min(last, cleanEnd - 1)
        if cleanFirst <= cleanLast, let span = try map.hull(from: cleanFirst, count: cleanLast - cleanFirst + 1, step: 1) {
            result = span.hull(result)
        }
        if last >= cleanEnd {
            tabulated(Swift.max(first, cleanEnd)...last, offset: cleanEnd - (cleanStart - liveStart))
        }
        return result
    }

    /// A table whose runs are known: units outside `live` read nothing, units in `clean` (within
    /// `live`) read their interval, and only the others are computed, by `border`.
    static func build(count: Int, live: Range<Int>, clean: Range<Int>,
                      border: (Int) throws(AxisError) -> Span?) throws(AxisError) -> ReachTable {
        let runs = try Runs(count: count, live: live, clean: clean)
        var lo = [Int](), hi = [Int]()
        lo.reserveCapacity(runs.tabulatedCount)
        hi.reserveCapacity(runs.tabulatedCount)
        for range in runs.tabulated {
            for u in range {
                let span = try border(u)
                lo.append(span?.lo ?? 1)
                hi.append(span?.hi ?? 0)
            }
        }
        return ReachTable(runs, lo: lo, hi: hi)
    }

    /// The runs of a table: `clean` within `live`, both clamped to the grid.
    struct Runs {
        let count: Int
        let live: Range<Int>
        let clean: Range<Int>

        init(count: Int, live: Range<Int>, clean: Range<Int>) throws(AxisError) {
            var live = live.clamped(to: 0..<count)
            if live.isEmpty { live = 0..<0 }
            var clean = clean.clamped(to: live)
            if clean.isEmpty { clean = live.lowerBound..<live.lowerBound }
            self.count = count
            self.live = live
            self.clean = clean
            guard tabulatedCount <= maximumTableLength else { throw .tableTooLarge(size: tabulatedCount) }
        }

        /// The units to tabulate, in table order.
        var tabulated: [Range<Int>] { [live.lowerBound..<clean.lowerBound, clean.upperBound..<live.upperBound] }
        var tabulatedCount: Int { live.count - clean.count }
    }
}

extension ReachTable {
    /// A table with these runs and the reach of the tabulated units in table order.
    init(_ runs: Runs, lo: [Int], hi: [Int]) {
        self.init(count: runs.count, liveStart: runs.live.lowerBound, cleanStart: runs.clean.lowerBound,
                  cleanEnd: runs.clean.upperBound, liveEnd: runs.live.upperBound, lo: lo, hi: hi)
    }
}

/// Accumulates the reach of every unit of a grid and whether it is clean, then keeps the units
/// that read nothing at both ends and the longest clean run untabulated.
struct ReachBuilder {
    private var lo: [Int]
    private var hi: [Int]
    private var clean: [Bool]

    init(count: Int) throws(AxisError) {
        guard count <= maximumTableLength else { throw .tableTooLarge(size: count) }
        lo = Array(repeating: Int.max, count: count)
        hi = Array(repeating: Int.min, count: count)
        clean = Array(repeating: true, count: count)
    }

    /// Widens unit `j` to include `span`; a unit read through a non-clean unit is not clean.
    mutating func include(_ span: Span?, at j: Int, clean isClean: Bool) {
        if !isClean { clean[j] = false }
        guard let span else { return }
        if span.lo < lo[j] { lo[j] = span.lo }
        if span.hi > hi[j] { hi[j] = span.hi }
    }

    func build() -> ReachTable {
        let reads = { (j: Int) in lo[j] <= hi[j] }
        guard let first = lo.indices.first(where: reads), let last = lo.indices.last(where: reads) else {
            return ReachTable(count: lo.count, liveStart: 0, cleanStart: 0, cleanEnd: 0, liveEnd: 0, lo: [], hi: [])
        }
        var best = first..<first, start = first
        for j in first...last {
            if !clean[j] { start = j + 1; continue }
            if j + 1 - start > best.count { best = start..<(j + 1) }
        }
        let outside = Array(first..<best.lowerBound) + Array(best.upperBound..<(last + 1))
        return ReachTable(count: lo.count, liveStart: first, cleanStart: best.lowerBound, cleanEnd: best.upperBound,
                          liveEnd: last + 1, lo: outside.map { lo[$0] }, hi: outside.map { hi[$0] })
    }
}
