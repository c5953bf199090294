/// Backward passes along one axis ("lines") for the operations that have no 2-D kernel in
/// FoveaKernels: adaptive average pooling, interpolation, and index maps (pad/crop, slice).
///
/// Every function takes `batch` independent lines stored one after another and returns the
/// gradient with respect to the input lines; they know nothing of model types.
enum LineKernels {
    /// Adaptive average pooling of `n` units to `m`: output `j` averages inputs
    /// `floor(j·n/m) … ceil((j+1)·n/m) − 1`.
    static func adaptiveAverageBackward(batch: Int, inputCount n: Int, outputCount m: Int,
                                        gradOutput: [Float]) -> [Float] {
        var gradInput = [Float](repeating: 0, count: batch * n)
        for b in 0..<batch {
            for j in 0..<m {
                let start = (j * n) / m, end = ((j + 1) * n + m - 1) / m
                let share = gradOutput[b * m + j] / Float(end - start)
                for i in start..<end { gradInput[b * n + i] += share }
            }
        }
        return gradInput
    }

    /// Sends `gradOutput[j]` to input unit `start + j·step` when that unit exists (the adjoint of
    /// reading those units; pad/crop is `start = −begin`, `step = 1`).
    static func indexMapBackward(batch: Int, inputCount n: Int, outputCount m: Int, start: Int, step: Int,
                                 gradOutput: [Float]) -> [Float] {
        var gradInput = [Float](repeating: 0, count: batch * n)
        for b in 0..<batch {
            for j in 0..<m {
                let i = start + j * step
                if i >= 0 && i < n { gradInput[b * n + i] += gradOutput[b * m + j] }
            }
        }
        return gradInput
    }

    /// The interpolation taps of one output unit: input units (clamped to the line) and weights.
    typealias Taps = [(unit: Int, weight: Float)]

    /// Scatters each output gradient to its taps with the absolute interpolation weight (cubic
    /// weights can be negative; the magnitude keeps the gradient's support).
    static func interpolationBackward(batch: Int, inputCount n: Int, taps: [Taps], gradOutput: [Float]) -> [Float] {
        let m = taps.count
        var gradInput = [Float](repeating: 0, count: batch * n)
        for b in 0..<batch {
            for j in 0..<m {
                for tap in taps[j] { gradInput[b * n + tap.unit] += abs(tap.weight) * gradOutput[b * m + j] }
            }
        }
        return gradInput
    }
}
