/// Fully connected layer kernels on row-major buffers: input `[batch, inFeatures]`, weight
/// `[outFeatures, inFeatures]` (PyTorch `Linear` layout), output `[batch, outFeatures]`.
public enum DenseKernels {
    /// `y = x · Wᵀ + b`.
    public static func forward(batch: Int, inFeatures: Int, outFeatures: Int,
                               input: [Float], weight: [Float], bias: [Float]?) -> [Float] {
        check(batch, inFeatures, outFeatures, input: input.count, weight: weight.count, bias: bias?.count)
        var output = [Float](repeating: 0, count: batch * outFeatures)
        if let bias {
            for n in 0..<batch { for o in 0..<outFeatures { output[n * outFeatures + o] = bias[o] } }
        }
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    GEMM.sgemm(transA: false, transB: true, m: batch, n: outFeatures, k: inFeatures, alpha: 1,
                               a: x.baseAddress!, lda: inFeatures, b: w.baseAddress!, ldb: inFeatures,
                               beta: 1, c: y.baseAddress!, ldc: outFeatures)
                }
            }
        }
        return output
    }

    /// `∂E/∂x = ∂E/∂y · W`.
    public static func backwardInput(batch: Int, inFeatures: Int, outFeatures: Int,
                                     gradOutput: [Float], weight: [Float]) -> [Float] {
        check(batch, inFeatures, outFeatures, weight: weight.count, output: gradOutput.count)
        var gradInput = [Float](repeating: 0, count: batch * inFeatures)
        gradOutput.withUnsafeBufferPointer { dy in
            weight.withUnsafeBufferPointer { w in
                gradInput.withUnsafeMutableBufferPointer { dx in
                    GEMM.sgemm(transA: false, transB: false, m: batch, n: inFeatures, k: outFeatures, alpha: 1,
                               a: dy.baseAddress!, lda: outFeatures, b: w.baseAddress!, ldb: inFeatures,
                               beta: 0, c: dx.baseAddress!, ldc: inFeatures)
                }
            }
        }
        return gradInput
    }

    /// `∂E/∂W = (∂E/∂y)ᵀ · x`, summed over the batch.
    public static func backwardWeight(batch: Int, inFeatures: Int, outFeatures: Int,
                                      input: [Float], gradOutput: [Float]) -> [Float] {
        check(batch, inFeatures, outFeatures, input: input.count, output: gradOutput.count)
        var gradWeight = [Float](repeating: 0, count: outFeatures * inFeatures)
        gradOutput.withUnsafeBufferPointer { dy in
            input.withUnsafeBufferPointer { x in
                gradWeight.withUnsafeMutableBufferPointer { dw in
                    GEMM.sgemm(transA: true, transB: false, m: outFeatures, n: inFeatures, k: batch, alpha: 1,
                               a: dy.baseAddress!, lda: outFeatures, b: x.baseAddress!, ldb: inFeatures,
                               beta: 0, c: dw.baseAddress!, ldc: inFeatures)
                }
            }
        }
        return gradWeight
    }

    /// `∂E/∂b[o] = Σ_n ∂E/∂y[n, o]`.
    public static func backwardBias(batch: Int, outFeatures: Int, gradOutput: [Float]) -> [Float] {
        check(batch, 1, outFeatures, output: gradOutput.count)
        var sums = [Double](repeating: 0, count: outFeatures)
        for n in 0..<batch {
            for o in 0..<outFeatures { sums[o] += Double(gradOutput[n * outFeatures + o]) }
        }
        return sums.map { Float($0) }
    }

    /// Traps on sizes that disagree: a caller bug, never a user input error.
    private static func check(_ batch: Int, _ inFeatures: Int, _ outFeatures: Int, input: Int? = nil,
                              weight: Int? = nil, bias: Int? = nil, output: Int? = nil) {
        precondition(batch > 0 && inFeatures > 0 && outFeatures > 0, "empty dense layer")
        precondition(input == nil || input == batch * inFeatures, "dense input size mismatch")
        precondition(weight == nil || weight == outFeatures * inFeatures, "dense weight size mismatch")
        precondition(bias == nil || bias == outFeatures, "dense bias size mismatch")
        precondition(output == nil || output == batch * outFeatures, "dense gradient size mismatch")
    }
}
