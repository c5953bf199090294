/// Plain nested-loop pooling kernels with explicit bounds checks and `Double` accumulation:
/// the definition the fast kernels are tested against. Buffers hold `planes` row-major planes.
public enum ReferencePool2D {
    /// Max pooling. Each output is the maximum of the window's in-input elements (padding never
    /// wins), scanned in row-major window order: a later element replaces the current maximum only
    /// if it is strictly greater or NaN, so ties go to the first and NaN propagates (as PyTorch).
    /// `argmax` holds the flat index `y·width + x` of the winner within its plane, or −1 (output
    /// −∞) for a window that contains no input element.
    public static func maxForward(_ p: Pool2DParameters, input: [Float]) -> (output: [Float], argmax: [Int]) {
        checkCounts(p, input: input.count)
        let (oH, oW) = (p.outHeight, p.outWidth)
        var output = [Float](repeating: -.infinity, count: p.outputCount)
        var argmax = [Int](repeating: -1, count: p.outputCount)
        for plane in 0..<p.planes {
            for i in 0..<oH {
                for j in 0..<oW {
                    let o = (plane * oH + i) * oW + j
                    for u in 0..<p.kernelHeight {
                        let y = i * p.strideH - p.padTop + u * p.dilationH
                        if y < 0 || y >= p.height { continue }
                        for v in 0..<p.kernelWidth {
                            let x = j * p.strideW - p.padLeft + v * p.dilationW
                            if x < 0 || x >= p.width { continue }
                            let value = input[(plane * p.height + y) * p.width + x]
                            if argmax[o] < 0 || value > output[o] || value.isNaN {
                                output[o] = value
                                argmax[o] = y * p.width + x
                            }
                        }
                    }
                }
            }
        }
        return (output, argmax)
    }

    /// `∂E/∂x` of max pooling, found again from `input` by the rule of `maxForward`: each
    /// upstream value goes to its window's maximum only; overlapping windows accumulate.
    public static func maxBackward(_ p: Pool2DParameters, input: [Float], gradOutput: [Float]) -> [Float] {
        checkCounts(p, input: input.count, output: gradOutput.count)
        let (oH, oW) = (p.outHeight, p.outWidth)
        var sums = [Double](repeating: 0, count: p.inputCount)
        for plane in 0..<p.planes {
            for i in 0..<oH {
                for j in 0..<oW {
                    var best: (value: Float, index: Int)?
                    for u in 0..<p.kernelHeight {
                        let y = i * p.strideH - p.padTop + u * p.dilationH
                        if y < 0 || y >= p.height { continue }
                        for v in 0..<p.kernelWidth {
                            let x = j * p.strideW - p.padLeft + v * p.dilationW
                            if x < 0 || x >= p.width { continue }
                            let index = (plane * p.height + y) * p.width + x
                            let value = input[index]
                            if best == nil || value > best!.value || value.isNaN { best = (value, index) }
                        }
                    }
                    if let best { sums[best.index] += Double(gradOutput[(plane * oH + i) * oW + j]) }
                }
            }
        }
        return sums.map { Float($0) }
    }

    /// Average pooling: the sum of the window's in-input elements divided by `divisor(...)`;
    /// a window without input elements outputs 0.
    public static func averageForward(_ p: Pool2DParameters, input: [Float], countIncludePad: Bool) -> [Float] {
        checkCounts(p, input: input.count)
        let (oH, oW) = (p.outHeight, p.outWidth)
        var output = [Float](repeating: 0, count: p.outputCount)
        for plane in 0..<p.planes {
            for i in 0..<oH {
                for j in 0..<oW {
                    let d = divisor(p, i, j, countIncludePad: countIncludePad)
                    if d == 0 { continue }
                    var sum = 0.0
                    for u in 0..<p.kernelHeight {
                        let y = i * p.strideH - p.padTop + u * p.dilationH
                        if y < 0 || y >= p.height { continue }
                        for v in 0..<p.kernelWidth {
                            let x = j * p.strideW - p.padLeft + v * p.dilationW
                            if x < 0 || x >= p.width { continue }
                            sum += Double(input[(plane * p.height + y) * p.width + x])
                        }
                    }
                    output[(plane * oH + i) * oW + j] = Float(sum / Double(d))
                }
            }
        }
        return output
    }

    /// `∂E/∂x` of average pooling: each upstream value, divided by its window's divisor, is
    /// added to every in-input element of the window.
    public static func averageBackward(_ p: Pool2DParameters, gradOutput: [Float], countIncludePad: Bool) -> [Float] {
        checkCounts(p, output: gradOutput.count)
        let (oH, oW) = (p.outHeight, p.outWidth)
        var sums = [Double](repeating: 0, count: p.inputCount)
        for plane in 0..<p.planes {
            for i in 0..<oH {
                for j in 0..<oW {
                    let d = divisor(p, i, j, countIncludePad: countIncludePad)
                    if d == 0 { continue }
                    let share = Double(gradOutput[(plane * oH + i) * oW + j]) / Double(d)
                    for u in 0..<p.kernelHeight {
                        let y = i * p.strideH - p.padTop + u * p.dilationH
                        if y < 0 || y >= p.height { continue }
                        for v in 0..<p.kernelWidth {
                            let x = j * p.strideW - p.padLeft + v * p.dilationW
                            if x < 0 || x >= p.width { continue }
                            sums[(plane * p.height + y) * p.width + x] += share
                        }
                    }
                }
            }
        }
        return sums.map { Float($0) }
    }

    /// The divisor of window `(i, j)`. With `countIncludePad`, the taps that lie inside the
    /// input plus its padding (taps past the end padding, possible in ceil mode, do not count);
    /// otherwise the taps inside the input.
    static func divisor(_ p: Pool2DParameters, _ i: Int, _ j: Int, countIncludePad: Bool) -> Int {
        var count = 0
        for u in 0..<p.kernelHeight {
            let y = i * p.strideH - p.padTop + u * p.dilationH
            for v in 0..<p.kernelWidth {
                let x = j * p.strideW - p.padLeft + v * p.dilationW
                if countIncludePad {
                    if y < p.height + p.padBottom && x < p.width + p.padRight { count += 1 }
                } else if y >= 0 && y < p.height && x >= 0 && x < p.width {
                    count += 1
                }
            }
        }
        return count
    }
}

/// Traps on buffers whose sizes disagree with `p`: a caller bug, never a user input error.
func checkCounts(_ p: Pool2DParameters, input: Int? = nil, output: Int? = nil, argmax: Int? = nil) {
    precondition(p.isValid, "invalid pooling parameters \(p)")
    precondition(input == nil || input == p.inputCount, "input has \(input ?? 0) elements, expected \(p.inputCount)")
    precondition(output == nil || output == p.outputCount, "gradient has \(output ?? 0) elements, expected \(p.outputCount)")
    precondition(argmax == nil || argmax == p.outputCount, "argmax has \(argmax ?? 0) elements, expected \(p.outputCount)")
}
