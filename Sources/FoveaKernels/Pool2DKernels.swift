/// Fast pooling kernels with the semantics of `ReferencePool2D`: the in-input taps and divisor
/// of every window row and column are computed once per call, so the inner loops carry no
/// bounds tests; planes run in parallel chunks.
public enum Pool2DKernels {
    /// Max pooling; see `ReferencePool2D.maxForward` for the tie, NaN and padding rules.
    public static func maxForward(_ p: Pool2DParameters, input: [Float]) -> (output: [Float], argmax: [Int]) {
        checkCounts(p, input: input.count)
        let (rows, cols) = (AxisWindows.rows(p), AxisWindows.columns(p))
        let (oH, oW, plane) = (p.outHeight, p.outWidth, p.height * p.width)
        var output = [Float](repeating: -.infinity, count: p.outputCount)
        var argmax = [Int](repeating: -1, count: p.outputCount)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { out in
                argmax.withUnsafeMutableBufferPointer { arg in
                    let (xShared, outShared) = (SharedPointer(x), SharedPointer(out))
                    let argShared = SharedIndices(arg)
                    ParallelChunks.run(items: p.planes, chunks: ParallelChunks.count(for: p.planes)) { _, planes in
                        let (x, out, arg) = (xShared.address, outShared.address, argShared.address)
                        for n in planes {
                            let source = x + n * plane
                            var o = n * oH * oW
                            for i in 0..<oH {
                                let (y0, dy, us) = (rows.start[i], p.dilationH, rows.taps[i])
                                for j in 0..<oW {
                                    let (x0, dx, vs) = (cols.start[j], p.dilationW, cols.taps[j])
                                    var best = -Float.infinity
                                    var index = -1
                                    for u in us {
                                        let y = y0 + u * dy
                                        let line = source + y * p.width
                                        for v in vs {
                                            let value = line[x0 + v * dx]
                                            if index < 0 || value > best || value.isNaN {
                                                best = value
                                                index = y * p.width + x0 + v * dx
                                            }
                                        }
                                    }
                                    out[o] = best
                                    arg[o] = index
                                    o += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, argmax)
    }

    /// `∂E/∂x` of max pooling: each upstream value is added at its window's `argmax` (from
    /// `maxForward`); windows without an input element pass nothing.
    public static func maxBackward(_ p: Pool2DParameters, gradOutput: [Float], argmax: [Int]) -> [Float] {
        checkCounts(p, output: gradOutput.count, argmax: argmax.count)
        let (outPlane, plane) = (p.outHeight * p.outWidth, p.height * p.width)
        var gradInput = [Float](repeating: 0, count: p.inputCount)
        for n in 0..<p.planes {
            let (base, outBase) = (n * plane, n * outPlane)
            for o in outBase..<(outBase + outPlane) where argmax[o] >= 0 {
                gradInput[base + argmax[o]] += gradOutput[o]
            }
        }
        return gradInput
    }

    /// Average pooling; see `ReferencePool2D.divisor` for the divisor rules.
    public static func averageForward(_ p: Pool2DParameters, input: [Float], countIncludePad: Bool) -> [Float] {
        checkCounts(p, input: input.count)
        let (rows, cols) = (AxisWindows.rows(p), AxisWindows.columns(p))
        let (oH, oW, plane) = (p.outHeight, p.outWidth, p.height * p.width)
        var output = [Float](repeating: 0, count: p.outputCount)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { out in
                let (xShared, outShared) = (SharedPointer(x), SharedPointer(out))
                ParallelChunks.run(items: p.planes, chunks: ParallelChunks.count(for: p.planes)) { _, planes in
                    let (x, out) = (xShared.address, outShared.address)
                    for n in planes {
                        let source = x + n * plane
                        var o = n * oH * oW
                        for i in 0..<oH {
                            let (y0, us) = (rows.start[i], rows.taps[i])
                            for j in 0..<oW {
                                let (x0, vs) = (cols.start[j], cols.taps[j])
                                let d = countIncludePad ? rows.padded[i] * cols.padded[j] : us.count * vs.count
                                var sum: Float = 0
                                for u in us {
                                    let line = source + (y0 + u * p.dilationH) * p.width + x0
                                    for v in vs { sum += line[v * p.dilationW] }
                                }
                                out[o] = d > 0 ? sum / Float(d) : 0
                                o += 1
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// `∂E/∂x` of average pooling: each upstream value over its divisor, added to the window.
    public static func averageBackward(_ p: Pool2DParameters, gradOutput: [Float], countIncludePad: Bool) -> [Float] {
        checkCounts(p, output: gradOutput.count)
        let (rows, cols) = (AxisWindows.rows(p), AxisWindows.columns(p))
        let (oH, oW, plane) = (p.outHeight, p.outWidth, p.height * p.width)
        var gradInput = [Float](repeating: 0, count: p.inputCount)
        gradOutput.withUnsafeBufferPointer { dy in
            gradInput.withUnsafeMutableBufferPointer { dx in
                let (dyShared, dxShared) = (SharedPointer(dy), SharedPointer(dx))
                ParallelChunks.run(items: p.planes, chunks: ParallelChunks.count(for: p.planes)) { _, planes in
                    let (dy, dx) = (dyShared.address, dxShared.address)
                    for n in planes {
                        let target = dx + n * plane
                        var o = n * oH * oW
                        for i in 0..<oH {
                            let (y0, us) = (rows.start[i], rows.taps[i])
                            for j in 0..<oW {
                                let (x0, vs) = (cols.start[j], cols.taps[j])
                                let d = countIncludePad ? rows.padded[i] * cols.padded[j] : us.count * vs.count
                                if d > 0 {
                                    let share = dy[o] / Float(d)
                                    for u in us {
                                        let line = target + (y0 + u * p.dilationH) * p.width + x0
                                        for v in vs { line[v * p.dilationW] += share }
                                    }
                                }
                                o += 1
                            }
                        }
                    }
                }
            }
        }
        return gradInput
    }
}

/// The windows of one axis: where each starts, which of its taps fall inside the input, and
/// how many fall inside the input plus padding (the `countIncludePad` divisor factor).
struct AxisWindows: Sendable {
    var start: [Int] = []
    var taps: [Range<Int>] = []
    var padded: [Int] = []

    init(outputs: Int, size: Int, kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int) {
        for o in 0..<outputs {
            let first = o * stride - padBegin
            start.append(first)
            taps.append(SlidingWindowMath.validRange(count: kernel, stride: dilation, offset: first, size: size))
            padded.append(SlidingWindowMath.validRange(count: kernel, stride: dilation, offset: first + padBegin,
                                                       size: size + padBegin + padEnd).count)
        }
    }

    static func rows(_ p: Pool2DParameters) -> AxisWindows {
        AxisWindows(outputs: p.outHeight, size: p.height, kernel: p.kernelHeight, stride: p.strideH,
                    dilation: p.dilationH, padBegin: p.padTop, padEnd: p.padBottom)
    }

    static func columns(_ p: Pool2DParameters) -> AxisWindows {
        AxisWindows(outputs: p.outWidth, size: p.width, kernel: p.kernelWidth, stride: p.strideW,
                    dilation: p.dilationW, padBegin: p.padLeft, padEnd: p.padRight)
    }
}
