/// How each kind of layer maps the reach of its input's units to its own units. `self` is the
/// input's reach and `map` the input's interval map; positions outside the input's grid are
/// padding and read nothing (whatever the padding mode).
extension ReachTable {
    /// A sliding window: output unit `j` reads input units `j·s − padBegin + t·d`, `t < k`.
    func window(map: AxisMap, kernel k: Int, stride s: Int, dilation d: Int, padBegin: Int,
                outputCount m: Int) throws(AxisError) -> ReachTable {
        let extent = try (k - 1).times(d)
        // Live: some tap in the input's live run. Clean: every tap in its clean run.
        var live = 0..<0, clean = 0..<0
        if liveStart < liveEnd {
            live = try Self.units(from: ceilDivision(try liveStart.plus(padBegin).minus(extent), s),
                                  through: floorDivision(try (liveEnd - 1).plus(padBegin), s))
        }
        if cleanStart < cleanEnd {
            clean = try Self.units(from: ceilDivision(try cleanStart.plus(padBegin), s),
                                   through: floorDivision(try (cleanEnd - 1).plus(padBegin).minus(extent), s))
        }
        let n = count
        return try .build(count: m, live: live, clean: clean) { j throws(AxisError) in
            let base = try j.times(s).minus(padBegin)
            let firstTap = Swift.max(0, ceilDivision(try 0.minus(base), d))
            let lastTap = Swift.min(k - 1, floorDivision(try (n - 1).minus(base), d))
            guard firstTap <= lastTap else { return nil }
            if d == 1 { return try hull(from: base + firstTap, through: base + lastTap, map: map) }
            var result: Span?
            for tap in firstTap...lastTap {
                if let span = try span(ofUnit: base + tap * d, map: map) { result = span.hull(result) }
            }
            return result
        }
    }

    /// Output unit `j` reads the single input unit `start + j·step` (pad, crop, slice).
    func indexMap(map: AxisMap, start: Int, step: Int, outputCount m: Int) throws(AxisError) -> ReachTable {
        if step < 0 {
            var builder = try ReachBuilder(count: m)
            for j in 0..<m {
                let u = try start.plus(j.times(step))
                builder.include(try span(ofUnit: u, map: map), at: j, clean: isClean(u))
            }
            return builder.build()
        }
        func units(_ run: Range<Int>) throws(AxisError) -> Range<Int> {
            guard !run.isEmpty else { return 0..<0 }
            return try Self.units(from: ceilDivision(try run.lowerBound.minus(start), step),
                                  through: floorDivision(try (run.upperBound - 1).minus(start), step))
        }
        return try .build(count: m, live: try units(live), clean: try units(cleanStart..<cleanEnd)) { j throws(AxisError) in
            try span(ofUnit: try start.plus(j.times(step)), map: map)
        }
    }

    /// The units `first…last` as a range (empty when `last < first`).
    private static func units(from first: Int, through last: Int) throws(AxisError) -> Range<Int> {
        first <= last ? first..<(try last.plus(1)) : 0..<0
    }

    /// Output unit `j` reads the input units `range(j)` (inside the input grid).
    func ranges(map: AxisMap, outputCount m: Int,
                _ range: (Int) throws(AxisError) -> ClosedRange<Int>) throws(AxisError) -> ReachTable {
        var builder = try ReachBuilder(count: m)
        for j in 0..<m {
            let units = try range(j)
            builder.include(try hull(from: units.lowerBound, through: units.upperBound, map: map), at: j,
                            clean: units.lowerBound >= cleanStart && units.upperBound < cleanEnd)
        }
        return builder.build()
    }

    /// A transposed convolution: input unit `i` writes to output units `i·s − padBegin + t·d`, `t < k`.
    func transposedWindow(map: AxisMap, kernel k: Int, stride s: Int, dilation d: Int, padBegin: Int,
                          outputCount m: Int) throws(AxisError) -> ReachTable {
        var builder = try ReachBuilder(count: m)
        let firstInput = Swift.max(0, ceilDivision(try padBegin.minus((k - 1).times(d)), s))
        let lastInput = Swift.min(count - 1, floorDivision(try (m - 1).plus(padBegin), s))
        guard firstInput <= lastInput else { return builder.build() }
        for i in firstInput...lastInput {
            let source = try span(ofUnit: i, map: map), clean = isClean(i)
            let base = try i.times(s).minus(padBegin)
            let firstTap = Swift.max(0, ceilDivision(try 0.minus(base), d))
            let lastTap = Swift.min(k - 1, floorDivision(try (m - 1).minus(base), d))
            guard firstTap <= lastTap else { continue }
            for tap in firstTap...lastTap { builder.include(source, at: base + tap * d, clean: clean) }
        }
        return builder.build()
    }

    /// The hull of the reach of every unit of the grid (what a global reduction reads).
    func whole(map: AxisMap) throws(AxisError) -> Span? {
        try hull(from: 0, through: count - 1, map: map)
    }

    /// An element-wise merge of `inputs` (their maps and reaches) into `m` units: unit `j` reads
    /// unit `j` of each input, or unit 0 of an input of size 1 broadcast over the others.
    static func merge(_ inputs: [(map: AxisMap, reach: ReachTable)], outputCount m: Int) throws(AxisError) -> ReachTable {
        var live: Range<Int>?, clean = 0..<m
        func widen(_ run: Range<Int>) {
            guard !run.isEmpty else { return }
            live = live.map { Swift.min($0.lowerBound, run.lowerBound)..<Swift.max($0.upperBound, run.upperBound) } ?? run
        }
        for input in inputs {
            if input.reach.count == m {
                widen(input.reach.live)
                clean = clean.clamped(to: input.reach.cleanStart..<input.reach.cleanEnd)
            } else {
                if input.reach.live.contains(0) { widen(0..<m) }
                // A broadcast input is clean only when its (extrapolated) units all see unit 0's interval.
                if input.map.affine?.stride != 0 || !input.reach.isClean(0) { clean = 0..<0 }
            }
        }
        // Input by input (a concat may have dozens), widening every tabulated unit.
        let runs = try Runs(count: m, live: live ?? 0..<0, clean: clean)
        var lo = [Int](repeating: Int.max, count: runs.tabulatedCount)
        var hi = [Int](repeating: Int.min, count: runs.tabulatedCount)
        for (map, reach) in inputs {
            var entry = 0
            for range in runs.tabulated {
                for j in range {
                    if let span = try reach.span(ofUnit: reach.count == m ? j : 0, map: map) {
                        lo[entry] = Swift.min(lo[entry], span.lo)
                        hi[entry] = Swift.max(hi[entry], span.hi)
                    }
                    entry += 1
                }
            }
        }
        return ReachTable(runs, lo: lo, hi: hi)
    }
}
