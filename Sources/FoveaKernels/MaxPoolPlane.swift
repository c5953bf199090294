/// Max pooling forward over one plane, with the scan rule of `ReferencePool2D.maxForward`:
/// taps in row-major window order, the first tap of a window always taken, and a later one
/// only if `value > best || value.isNaN`.
///
/// Windows with stride 2 and dilation 1 along W whose taps all lie inside the row run four
/// output columns at a time on SIMD lanes (the taps of four neighbouring windows are the even
/// or odd elements of eight consecutive inputs); every other window runs the scalar scan.
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
        var o = 0
        for i in 0..<rows.start.count {
            let (y0, taps) = (rows.start[i], rows.taps[i])
            if lanes.isEmpty || taps.isEmpty {
                scalar(source, y0, taps, columns: 0..<outWidth, output + o, argmax + o)
            } else {
                scalar(source, y0, taps, columns: 0..<lanes.lowerBound, output + o, argmax + o)
                var j = lanes.lowerBound
                while j + 4 <= lanes.upperBound {
                    block(source, y0, taps, column: j, output + o, argmax + o)
                    j += 4
                }
                // The last block overlaps the previous one; it writes the same values again.
                if j < lanes.upperBound { block(source, y0, taps, column: lanes.upperBound - 4, output + o, argmax + o) }
                scalar(source, y0, taps, columns: lanes.upperBound..<outWidth, output + o, argmax + o)
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

    /// Output columns `j..<j + 4` of one output row on SIMD lanes; lane `l` scans the window
    /// starting at column `start[j] + 2l`.
    @inline(__always)
    private func block(_ source: UnsafePointer<Float>, _ y0: Int, _ taps: Range<Int>, column j: Int,
                       _ out: UnsafeMutablePointer<Float>, _ arg: UnsafeMutablePointer<Int>) {
        let x0 = columns.start[j]
        let firstRow = y0 + taps.lowerBound * dilationH
        var best = Self.tap(source + firstRow * width + x0, 0)
        var code = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: firstRow * width))
        for u in taps {
            let y = y0 + u * dilationH
            let line = source + y * width + x0
            let rowCode = Int32(truncatingIfNeeded: y * width)
            for v in (u == taps.lowerBound ? 1 : 0)..<kernelWidth {
                let value = Self.tap(line, v)
                let wins = (value .> best) .| (value .!= value)
                best.replace(with: value, where: wins)
                code.replace(with: SIMD4(repeating: rowCode &+ Int32(truncatingIfNeeded: v)), where: wins)
            }
        }
        UnsafeMutableRawPointer(out + j).storeBytes(of: best, as: SIMD4<Float>.self)
        let index = SIMD4<Int>(truncatingIfNeeded: code) &+ SIMD4<Int>(x0, x0 &+ 2, x0 &+ 4, x0 &+ 6)
        UnsafeMutableRawPointer(arg + j).storeBytes(of: index, as: SIMD4<Int>.self)
    }

    /// `line[v], line[v + 2], line[v + 4], line[v + 6]`, read as the even half of `line[0…7]`
    /// (`v = 0`) or the odd half of `line[v − 1…v + 6]`: never past the last window's last tap.
    @inline(__always)
    private static func tap(_ line: UnsafePointer<Float>, _ v: Int) -> SIMD4<Float> {
        if v == 0 { return UnsafeRawPointer(line).loadUnaligned(as: SIMD8<Float>.self).evenHalf }
        return UnsafeRawPointer(line + (v - 1)).loadUnaligned(as: SIMD8<Float>.self).oddHalf
    }
}
