/// How each kind of layer maps the units of one axis to the units of its input.
extension AxisMap {
    /// A sliding window: output unit `j` reads input units `j·s − padBegin + t·d`, `t < k`.
    func window(kernel k: Int, stride s: Int, dilation d: Int, padBegin: Int,
                outputCount n: Int) throws(AxisError) -> AxisMap {
        if case .affine(let field) = self {
            return .affine(try field.appending(kernel: k, stride: s, padBegin: padBegin, dilation: d))
        }
        var builder = try TableBuilder(count: n)
        for j in 0..<n {
            builder.include(try hull(from: try j.times(s).minus(padBegin), count: k, step: d), at: j)
        }
        return try builder.build()
    }

    /// Output unit `j` reads the single input unit `start + j·step` (pad, crop, slice).
    /// Affine inputs stay affine for positive steps; negative steps give a table.
    func indexMap(start: Int, step: Int, outputCount n: Int) throws(AxisError) -> AxisMap {
        if case .affine(let field) = self, step > 0 {
            return .affine(AffineReceptiveField(size: field.size, stride: try field.stride.times(step),
                                                padding: try field.padding.minus(start.times(field.stride))))
        }
        var builder = try TableBuilder(count: n)
        for j in 0..<n {
            builder.include(try span(ofUnit: try start.plus(j.times(step))), at: j)
        }
        return try builder.build()
    }

    /// Output unit `j` reads the input units `range(j)` (inside the input grid).
    func ranges(outputCount n: Int, _ range: (Int) throws(AxisError) -> ClosedRange<Int>) throws(AxisError) -> AxisMap {
        var builder = try TableBuilder(count: n)
        for j in 0..<n {
            let units = try range(j)
            builder.include(try hull(from: units.lowerBound, count: units.count, step: 1), at: j)
        }
        return try builder.build()
    }

    /// A transposed convolution: input unit `i` (inside the grid of `inputCount` units) writes to
    /// output units `i·s − padBegin + t·d`, `t < k`; output units nothing writes to see nothing.
    func transposedWindow(kernel k: Int, stride s: Int, dilation d: Int, padBegin: Int,
                          inputCount: Int, outputCount n: Int) throws(AxisError) -> AxisMap {
        var builder = try TableBuilder(count: n)
        // Only inputs whose taps can land in [0, n − 1] matter.
        let firstInput = Swift.max(0, ceilDivision(try padBegin.minus((k - 1).times(d)), s))
        let lastInput = Swift.min(inputCount - 1, floorDivision(try (n - 1).plus(padBegin), s))
        guard firstInput <= lastInput else { return try builder.build() }
        for i in firstInput...lastInput {
            guard let source = try span(ofUnit: i) else { continue }
            let base = try i.times(s).minus(padBegin)
            let firstTap = Swift.max(0, ceilDivision(try 0.minus(base), d))
            let lastTap = Swift.min(k - 1, floorDivision(try (n - 1).minus(base), d))
            guard firstTap <= lastTap else { continue }
            for tap in firstTap...lastTap { builder.include(source, at: base + tap * d) }
        }
        return try builder.build()
    }

    /// A reduction over the whole grid: every unit (also outside the grid) sees `reached`, the
    /// input pixels the reduced units actually read (stride 0); nil reads nothing.
    static func globalReduction(reached: Span?) throws(AxisError) -> AxisMap {
        guard let reached else { return .table(try UnitTable(lo: [1], hi: [0])) }
        return .affine(AffineReceptiveField(size: try reached.hi.minus(reached.lo).plus(1), stride: 0,
                                            padding: try 0.minus(reached.lo)))
    }
}
