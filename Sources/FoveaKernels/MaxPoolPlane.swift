/// Max pooling forward over one plane, with the scan rule of `ReferencePool2D.maxForward`:
/// taps in row-major window order, the first tap of a window always taken, and a later one
/// only if `value > best || value.isNaN`.
///
/// Windows with stride 2 and dilation 1 along W whose taps all lie inside the row run four
/// output columns at a time on SIMD lanes (the taps of neighbouring windows are the even
/// or odd elements of consecutive inputs; eight columns at a time where the row allows); every
/// other window runs the scalar scan.
/// Both paths apply the same comparisons in the same order, so they agree bit for bit.
struct MaxPoolPlane {
    let rows: AxisWindows
    let columns: AxisWindows
    let width: Int
    let outWidth: Int
    let dilationH: Int
    let dilationW: Int
    let kernelWidth: Int
    /// Output columns whose windows run on SIMD lanes (empty when the fast path does not apply).
    let lanes: Range<Int>

    init(_ p: Pool2DParameters) {
        rows = AxisWindows.rows(p)
        columns = AxisWindows.columns(p)
        width = p.width
        outWidth = p.outWidth
        dilationH = p.dilationH
        dilationW = p.dilationW
        kernelWidth = p.kernelWidth
        lanes = Self.laneColumns(p)
    }

    /// The output columns whose windows lie inside the row when the W axis has stride 2,
    /// dilation 1 and a kernel of at least 2 (the loads then never leave the window's taps),
    /// if there are at least 4 of them and plane indices fit the `Int32` lanes.
    static func laneColumns(_ p: Pool2DParameters) -> Range<Int> {
        guard p.strideW == 2, p.dilationW == 1, p.kernelWidth >= 2,
              p.height * p.width <= Int(Int32.max) else { return 0..<0 }
        let room = p.width - p.kernelWidth + p.padLeft
        guard room >= 0 else { return 0..<0 }
        let first = (p.padLeft + 1) / 2                 // start = 2j − padLeft ≥ 0
        let upper = min(room / 2 + 1, p.outWidth)       // start + kernel ≤ width
        return upper - first >= 4 ? first..<upper : 0..<0
    }

    /// Pools plane `source` into `output` and `argmax` (`outHeight × outWidth` each).
    func run(source: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int>) {
        // Constant kernel widths let the compiler unroll the taps of a row.
        switch kernelWidth {
        case 2: run(source, output, argmax, kernelWidth: 2)
        case 3: run(source, output, argmax, kernelWidth: 3)
        default: run(source, output, argmax, kernelWidth: kernelWidth)
        }
    }

    @inline(__always)
    private func run(_ source: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                     _ argmax: UnsafeMutablePointer<Int>, kernelWidth kw: Int) {
        var o = 0
        for i in 0..<rows.start.count {
            let (y0, taps) = (rows.start[i], rows.taps[i])
            let (out, arg) = (output + o, argmax + o)
            if lanes.isEmpty || taps.isEmpty {
                scalar(source, y0, taps, columns: 0..<outWidth, out, arg)
            } else {
                scalar(source, y0, taps, columns: 0..<lanes.lowerBound, out, arg)
                // Blocks of 8 (or 4) columns; a last block overlaps the previous one and writes
                // the same values again.
                let width = lanes.count >= 8 ? 8 : 4
                var j = lanes.lowerBound
                while true {
                    let column = min(j, lanes.upperBound - width)
                    if width == 8 {
                        block8(source, y0, taps, column: column, out, arg, kernelWidth: kw)
                    } else {
                        block4(source, y0, taps, column: column, out, arg, kernelWidth: kw)
                    }
                    j += width
                    if column + width >= lanes.upperBound { break }
                }
                scalar(source, y0, taps, columns: lanes.upperBound..<outWidth, out, arg)
            }
            o += outWidth
        }
    }

    /// The scalar scan of output columns `columns` of one output row.
    @inline(__always)
    private func scalar(_ source: UnsafePointer<Float>, _ y0: Int, _ taps: Range<Int>, columns range: Range<Int>,
                        _ out: UnsafeMutablePointer<Float>, _ arg: UnsafeMutablePointer<Int>) {
        for j in range {
            let (x0, vs) = (columns.start[j], columns.taps[j])
            var best = -Float.infinity
            var index = -1
            for u in taps {
                let y = y0 + u * dilationH
                let line = source + y * width
                for v in vs {
                    let value = line[x0 + v * dilationW]
                    if index < 0 || value > best || value.isNaN {
                        best = value
                        index = y * width + x0 + v * dilationW
                    }
                }
            }
            out[j] = best
            arg[j] = index
        }
    }

    /// Output columns `j..<j + N` (N = 4 or 8) of one output row on SIMD lanes; lane `l` scans
    /// the window starting at column `start[j] + 2l`. Each window row is scanned on its own and
    /// the rows are then combined in order by the same rule: the scan's result is unchanged (the
    /// winner of rows `a ++ b` is the winner of `b` if that is greater or NaN, else the winner
    /// of `a`), and the rows become independent dependency chains. The two widths are the same
    /// code on concrete types (generic SIMD code is not vectorized).
    @inline(__always)
    private func block8(_ source: UnsafePointer<Float>, _ y0: Int, _ taps: Range<Int>, column j: Int,
                        _ out: UnsafeMutablePointer<Float>, _ arg: UnsafeMutablePointer<Int>, kernelWidth kw: Int) {
        let x0 = columns.start[j]
        var best = SIMD8<Float>(repeating: 0)
        var code = SIMD8<Int32>(repeating: 0)
        for u in taps {
            let y = y0 + u * dilationH
            let line = source + y * width + x0
            let rowCode = Int32(truncatingIfNeeded: y * width)
            var rowBest = Self.tap8(line, 0)
            var rowTap = SIMD8<Int32>(repeating: rowCode)
            for v in 1..<kw {
                let value = Self.tap8(line, v)
                let wins = (value .> rowBest) .| (value .!= value)
                rowBest.replace(with: value, where: wins)
                rowTap.replace(with: SIMD8<Int32>(repeating: rowCode &+ Int32(truncatingIfNeeded: v)), where: wins)
            }
            if u == taps.lowerBound {
                (best, code) = (rowBest, rowTap)
            } else {
                let wins = (rowBest .> best) .| (rowBest .!= rowBest)
                best.replace(with: rowBest, where: wins)
                code.replace(with: rowTap, where: wins)
            }
        }
        UnsafeMutableRawPointer(out + j).storeBytes(of: best, as: SIMD8<Float>.self)
        let index = SIMD8<Int>(truncatingIfNeeded: code) &+ SIMD8<Int>(0, 2, 4, 6, 8, 10, 12, 14) &+ SIMD8<Int>(repeating: x0)
        UnsafeMutableRawPointer(arg + j).storeBytes(of: index, as: SIMD8<Int>.self)
    }

    /// `line[v + 2l]` for every lane `l`, read as the even half of `line[0…15]` (`v = 0`) or
    /// the odd half of `line[v − 1…v + 14]`: never past the last window's last tap when the
    /// kernel is at least 2 wide.
    @inline(__always)
    private static func tap8(_ line: UnsafePointer<Float>, _ v: Int) -> SIMD8<Float> {
        if v == 0 { return UnsafeRawPointer(line).loadUnaligned(as: SIMD16<Float>.self).evenHalf }
        return UnsafeRawPointer(line + (v - 1)).loadUnaligned(as: SIMD16<Float>.self).oddHalf
    }

    /// `block8` on four lanes, for rows with fewer than eight interior windows.
    @inline(__always)
    private func block4(_ source: UnsafePointer<Float>, _ y0: Int, _ taps: Range<Int>, column j: Int,
                        _ out: UnsafeMutablePointer<Float>, _ arg: UnsafeMutablePointer<Int>, kernelWidth kw: Int) {
        let x0 = columns.start[j]
        var best = SIMD4<Float>(repeating: 0)
        var code = SIMD4<Int32>(repeating: 0)
        for u in taps {
            let y = y0 + u * dilationH
            let line = source + y * width + x0
            let rowCode = Int32(truncatingIfNeeded: y * width)
            var rowBest = Self.tap4(line, 0)
            var rowTap = SIMD4<Int32>(repeating: rowCode)
            for v in 1..<kw {
                let value = Self.tap4(line, v)
                let wins = (value .> rowBest) .| (value .!= value)
                rowBest.replace(with: value, where: wins)
                rowTap.replace(with: SIMD4<Int32>(repeating: rowCode &+ Int32(truncatingIfNeeded: v)), where: wins)
            }
            if u == taps.lowerBound {
                (best, code) = (rowBest, rowTap)
            } else {
                let wins = (rowBest .> best) .| (rowBest .!= rowBest)
                best.replace(with: rowBest, where: wins)
                code.replace(with: rowTap, where: wins)
            }
        }
        UnsafeMutableRawPointer(out + j).storeBytes(of: best, as: SIMD4<Float>.self)
        let index = SIMD4<Int>(truncatingIfNeeded: code) &+ SIMD4<Int>(0, 2, 4, 6) &+ SIMD4<Int>(repeating: x0)
        UnsafeMutableRawPointer(arg + j).storeBytes(of: index, as: SIMD4<Int>.self)
    }

    /// `line[v + 2l]` for every lane `l`, read as the even half of `line[0…7]` (`v = 0`) or
    /// the odd half of `line[v − 1…v + 6]`: never past the last window's last tap when the
    /// kernel is at least 2 wide.
    @inline(__always)
    private static func tap4(_ line: UnsafePointer<Float>, _ v: Int) -> SIMD4<Float> {
        if v == 0 { return UnsafeRawPointer(line).loadUnaligned(as: SIMD8<Float>.self).evenHalf }
        return UnsafeRawPointer(line + (v - 1)).loadUnaligned(as: SIMD8<Float>.self).oddHalf
    }
}
