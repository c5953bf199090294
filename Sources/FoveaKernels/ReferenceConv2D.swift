/// Plain nested-loop convolution kernels with `Double` accumulation: the definition the fast
/// kernels are tested against. Arrays are NCHW (input, output) and OIHW (weight), row-major.
public enum ReferenceConv2D {
    /// `out[n,o,i,j] = b[o] + Σ_{c,u,v} w[o,c,u,v] · x[n, g·C_g + c, i·sH − pT + u·dH, j·sW − pL + v·dW]`.
    public static func forward(_ p: Conv2DParameters, input: [Float], weight: [Float], bias: [Float]?) -> [Float] {
        checkCounts(p, input: input.count, weight: weight.count, bias: bias?.count)
        let (oH, oW, cg, og) = (p.outHeight, p.outWidth, p.groupInChannels, p.groupOutChannels)
        var output = [Float](repeating: 0, count: p.outputCount)
        for n in 0..<p.batch {
            for o in 0..<p.outChannels {
                let g = o / og
                for i in 0..<oH {
                    for j in 0..<oW {
                        var sum = Double(bias?[o] ?? 0)
                        for c in 0..<cg {
                            for u in 0..<p.kernelHeight {
                                let y = i * p.strideH - p.padTop + u * p.dilationH
                                if y < 0 || y >= p.height { continue }
                                for v in 0..<p.kernelWidth {
                                    let x = j * p.strideW - p.padLeft + v * p.dilationW
                                    if x < 0 || x >= p.width { continue }
                                    let w = weight[((o * cg + c) * p.kernelHeight + u) * p.kernelWidth + v]
                                    let a = input[((n * p.inChannels + g * cg + c) * p.height + y) * p.width + x]
                                    sum += Double(w) * Double(a)
                                }
                            }
                        }
                        output[((n * p.outChannels + o) * oH + i) * oW + j] = Float(sum)
                    }
                }
            }
        }
        return output
    }

    /// `∂E/∂x`: every output position scatters `w · ∂E/∂out` back into the input window it read.
    public static func backwardInput(_ p: Conv2DParameters, gradOutput: [Float], weight: [Float]) -> [Float] {
        checkCounts(p, input: nil, weight: weight.count, bias: nil, output: gradOutput.count)
        let (oH, oW, cg, og) = (p.outHeight, p.outWidth, p.groupInChannels, p.groupOutChannels)
        var sums = [Double](repeating: 0, count: p.inputCount)
        for n in 0..<p.batch {
            for o in 0..<p.outChannels {
                let g = o / og
                for i in 0..<oH {
                    for j in 0..<oW {
                        let d = Double(gradOutput[((n * p.outChannels + o) * oH + i) * oW + j])
                        for c in 0..<cg {
                            for u in 0..<p.kernelHeight {
                                let y = i * p.strideH - p.padTop + u * p.dilationH
                                if y < 0 || y >= p.height { continue }
                                for v in 0..<p.kernelWidth {
                                    let x = j * p.strideW - p.padLeft + v * p.dilationW
                                    if x < 0 || x >= p.width { continue }
                                    let w = weight[((o * cg + c) * p.kernelHeight + u) * p.kernelWidth + v]
                                    sums[((n * p.inChannels + g * cg + c) * p.height + y) * p.width + x] += Double(w) * d
                                }
                            }
                        }
                    }
                }
            }
        }
        return sums.map { Float($0) }
    }

    /// `∂E/∂w[o,c,u,v] = Σ_{n,i,j} ∂E/∂out[n,o,i,j] · x[n, g·C_g + c, i·sH − pT + u·dH, j·sW − pL + v·dW]`.
    public static func backwardWeight(_ p: Conv2DParameters, input: [Float], gradOutput: [Float]) -> [Float] {
        checkCounts(p, input: input.count, weight: nil, bias: nil, output: gradOutput.count)
        let (oH, oW, cg, og) = (p.outHeight, p.outWidth, p.groupInChannels, p.groupOutChannels)
        var grad = [Float](repeating: 0, count: p.weightCount)
        for o in 0..<p.outChannels {
            let g = o / og
            for c in 0..<cg {
                for u in 0..<p.kernelHeight {
                    for v in 0..<p.kernelWidth {
                        var sum = 0.0
                        for n in 0..<p.batch {
                            for i in 0..<oH {
                                let y = i * p.strideH - p.padTop + u * p.dilationH
                                if y < 0 || y >= p.height { continue }
                                for j in 0..<oW {
                                    let x = j * p.strideW - p.padLeft + v * p.dilationW
                                    if x < 0 || x >= p.width { continue }
                                    let d = gradOutput[((n * p.outChannels + o) * oH + i) * oW + j]
                                    let a = input[((n * p.inChannels + g * cg + c) * p.height + y) * p.width + x]
                                    sum += Double(d) * Double(a)
                                }
                            }
                        }
                        grad[((o * cg + c) * p.kernelHeight + u) * p.kernelWidth + v] = Float(sum)
                    }
                }
            }
        }
        return grad
    }

    /// `∂E/∂b[o] = Σ_{n,i,j} ∂E/∂out[n,o,i,j]`.
    public static func backwardBias(_ p: Conv2DParameters, gradOutput: [Float]) -> [Float] {
        checkCounts(p, input: nil, weight: nil, bias: nil, output: gradOutput.count)
        let plane = p.outHeight * p.outWidth
        var grad = [Float](repeating: 0, count: p.outChannels)
        for o in 0..<p.outChannels {
            var sum = 0.0
            for n in 0..<p.batch {
                let base = (n * p.outChannels + o) * plane
                for k in 0..<plane { sum += Double(gradOutput[base + k]) }
            }
            grad[o] = Float(sum)
        }
        return grad
    }
}

/// Traps on buffers whose sizes disagree with `p`: a caller bug, never a user input error
/// (layers validate shapes before calling a kernel).
func checkCounts(_ p: Conv2DParameters, input: Int?, weight: Int?, bias: Int?, output: Int? = nil) {
    precondition(p.isValid, "invalid convolution parameters \(p)")
    precondition(input == nil || input == p.inputCount, "input has \(input ?? 0) elements, expected \(p.inputCount)")
    precondition(weight == nil || weight == p.weightCount, "weight has \(weight ?? 0) elements, expected \(p.weightCount)")
    precondition(bias == nil || bias == p.outChannels, "bias has \(bias ?? 0) elements, expected \(p.outChannels)")
    precondition(output == nil || output == p.outputCount, "gradient has \(output ?? 0) elements, expected \(p.outputCount)")
}
