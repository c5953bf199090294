/// Fast pooling kernels with the semantics of `ReferencePool2D`: the in-input taps and divisor
/// of every window row and column are computed once per call, so the inner loops carry no
/// bounds tests; planes run in parallel chunks.
public enum Pool2DKernels {
    /// Max pooling; see `ReferencePool2D.maxForward` for the tie, NaN and padding rules.
    public static func maxForward(_ p: Pool2DParameters, input: [Float]) -> (output: [Float], argmax: [Int]) {
        checkCounts(p, input: input.count)
        let kernel = MaxPoolPlane(p)
        let (outPlane, plane) = (p.outHeight * p.outWidth, p.height * p.width)
        var argmax: [Int] = []
        let output = [Float](unsafeUninitializedCapacity: p.outputCount) { out, initialized in
            argmax = [Int](unsafeUninitializedCapacity: p.outputCount) { arg, written in
                input.withUnsafeBufferPointer { x in
                    let (xShared, outShared, argShared) = (SharedPointer(x), SharedPointer(out), SharedIndices(arg))
                    ParallelChunks.run(items: p.planes, chunks: ParallelChunks.count(for: p.planes)) { _, planes in
                        for n in planes {
                            kernel.run(source: xShared.address + n * plane, output: outShared.address + n * outPlane,
                                       argmax: argShared.address + n * outPlane)
                        }
                    }
                }
                written = p.outputCount
            }
            initialized = p.outputCount
        }
        return (output, argmax)
    }

    /// `∂E/∂x` of max pooling: each upstream value is added at its window's `argmax` (from
    /// `maxForward`), in output order within each plane; windows without an input element pass
    /// nothing. Planes run in parallel (an `argmax` only points inside its own plane).
    public static func maxBackward(_ p: Pool2DParameters, gradOutput: [Float], argmax: [Int]) -> [Float] {
        checkCounts(p, output: gradOutput.count, argmax: argmax.count)
        let (outPlane, plane) = (p.outHeight * p.outWidth, p.height * p.width)
        return [Float](unsafeUninitializedCapacity: p.inputCount) { dx, initialized in
            gradOutput.withUnsafeBufferPointer { dy in
                argmax.withUnsafeBufferPointer { arg in
                    let (dyShared, dxShared) = (SharedPointer(dy), SharedPointer(dx))
                    let argShared = SharedIndices(arg)
                    ParallelChunks.run(items: p.planes, chunks: ParallelChunks.count(for: p.planes)) { _, planes in
                        for n in planes {
                            let target = dxShared.address + n * plane
                            let (dy, arg) = (dyShared.address + n * outPlane, argShared.address + n * outPlane)
                            target.initialize(repeating: 0, count: plane)
                            for o in 0..<outPlane where arg[o] >= 0 {
                                precondition(arg[o] < plane, "argmax \(arg[o]) outside a plane of \(plane) elements")
                                target[arg[o]] += dy[o]
                            }
                        }
                    }
                }
            }
            initialized = p.inputCount
        }
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
