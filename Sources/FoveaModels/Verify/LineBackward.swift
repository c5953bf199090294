import FoveaGeometry
import FoveaKernels

/// The backward pass of one single-input layer along one spatial axis, on `batch` lines of one
/// channel with every weight 1 (max and Lp pooling become average pooling, activations the
/// identity). Axis 0 runs through the kernels' rows, the other axes through their columns.
struct LineBackward {
    let node: String
    let axis: Int
    let batch: Int
    /// Units of the layer's input and output along the axis, from the analysis.
    let inputCount: Int
    let outputCount: Int

    /// `∂/∂input` of the layer for the gradient `gradOutput` (`batch × outputCount` values).
    /// - Throws: a one-line description when Fovea's kernels disagree with the analysis on the
    ///   output size, or cannot run the configuration.
    func gradient(of layer: Layer, _ gradOutput: [Float]) throws(VerificationFailure) -> [Float] {
        let (n, m) = (inputCount, outputCount)
        switch layer {
        case .convolution(let conv):
            let w = try resolve(conv.window)
            // A ceil-mode window is a floor-mode one with enough end padding for the extra unit.
            let count = SlidingWindowMath.outputSize(input: n, kernel: w.kernel, stride: w.stride, dilation: w.dilation,
                                                     padBegin: w.padBegin, padEnd: w.padEnd, ceilMode: conv.window.ceilMode)
            let effective = w.dilation * (w.kernel - 1) + 1
            let padEnd = max(w.padEnd, (count - 1) * w.stride + effective - n - w.padBegin)
            let p = convolution(height: n, kernel: w.kernel, stride: w.stride, dilation: w.dilation,
                                padBegin: w.padBegin, padEnd: padEnd)
            try check(p.isValid, "the convolution kernel cannot run this configuration")
            try checkCount(axis == 0 ? p.outHeight : p.outWidth, expected: m)
            return Conv2DKernels.backwardInput(p, gradOutput: gradOutput, weight: Array(repeating: 1, count: p.weightCount))
        case .pooling(let pool):
            let w = try resolve(pool.window)
            let p = pooling(height: n, kernel: w.kernel, stride: w.stride, dilation: w.dilation,
                            padBegin: w.padBegin, padEnd: w.padEnd, ceilMode: pool.window.ceilMode)
            try check(p.isValid, "the pooling kernel cannot run this configuration")
            try checkCount(axis == 0 ? p.outHeight : p.outWidth, expected: m)
            return Pool2DKernels.averageBackward(p, gradOutput: gradOutput, countIncludePad: true)
        case .transposedConvolution(let conv):
            // Input unit i writes to outputs i·s − padBegin + t·d, so its gradient is the
            // convolution of the output gradient with the same stride, dilation and begin padding.
            let (k, s, d, pb) = (conv.kernel[axis], conv.stride[axis], conv.dilation[axis], conv.padBegin[axis])
            let expected = (n - 1) * s - pb - conv.padEnd[axis] + d * (k - 1) + 1 + conv.outputPadding[axis]
            try checkCount(expected, expected: m)
            let padEnd = max(0, (n - 1) * s - pb + d * (k - 1) - (m - 1))
            let p = convolution(height: m, kernel: k, stride: s, dilation: d, padBegin: pb, padEnd: padEnd)
            try check(p.isValid, "the convolution kernel cannot run the adjoint of this transposed convolution")
            let full = Conv2DKernels.forward(p, input: gradOutput, weight: Array(repeating: 1, count: p.weightCount), bias: nil)
            let produced = axis == 0 ? p.outHeight : p.outWidth
            return (0..<batch).flatMap { b in full[(b * produced)..<(b * produced + n)] }
        case .adaptivePooling(let pool):
            let size = pool.outputSize[axis] ?? n
            try checkCount(size, expected: m)
            return LineKernels.adaptiveAverageBackward(batch: batch, inputCount: n, outputCount: m, gradOutput: gradOutput)
        case .globalPooling:
            try checkCount(1, expected: m)
            let p = pooling(height: n, kernel: n, stride: n, dilation: 1, padBegin: 0, padEnd: 0, ceilMode: false)
            return Pool2DKernels.averageBackward(p, gradOutput: gradOutput, countIncludePad: true)
        case .flatten, .linear:
            // One output unit whose features together read every input unit.
            try checkCount(1, expected: m)
            return DenseKernels.backwardInput(batch: batch, inFeatures: n, outFeatures: 1, gradOutput: gradOutput,
                                              weight: Array(repeating: 1, count: n))
        case .resize(let resize):
            let taps = try interpolationTaps(resize, inputCount: n)
            try checkCount(taps.count, expected: m)
            return LineKernels.interpolationBackward(batch: batch, inputCount: n, taps: taps, gradOutput: gradOutput)
        case .pad(let pad):
            try checkCount(n + pad.begin[axis] + pad.end[axis], expected: m)
            return LineKernels.indexMapBackward(batch: batch, inputCount: n, outputCount: m, start: -pad.begin[axis],
                                                step: 1, gradOutput: gradOutput)
        case .slice(let slice):
            let (start, step, count) = Self.sliceUnits(start: slice.start[axis], end: slice.end[axis],
                                                       step: slice.step[axis], count: n)
            try checkCount(count, expected: m)
            return LineKernels.indexMapBackward(batch: batch, inputCount: n, outputCount: m, start: start, step: step,
                                                gradOutput: gradOutput)
        case .batchNorm, .pointwise:
            try checkCount(n, expected: m)
            return gradOutput
        case .add, .multiply, .concat:
            throw VerificationFailure("node '\(node)': a merge is not a single-input layer")
        }
    }

    // MARK: - Kernel parameters along the axis

    private func convolution(height length: Int, kernel: Int, stride: Int, dilation: Int, padBegin: Int,
                             padEnd: Int) -> Conv2DParameters {
        if axis == 0 {
            return Conv2DParameters(batch: batch, inChannels: 1, height: length, width: 1, outChannels: 1,
                                    kernelHeight: kernel, kernelWidth: 1, strideH: stride, dilationH: dilation,
                                    padTop: padBegin, padBottom: padEnd)
        }
        return Conv2DParameters(batch: batch, inChannels: 1, height: 1, width: length, outChannels: 1,
                                kernelHeight: 1, kernelWidth: kernel, strideW: stride, dilationW: dilation,
                                padLeft: padBegin, padRight: padEnd)
    }

    private func pooling(height length: Int, kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int,
                         ceilMode: Bool) -> Pool2DParameters {
        if axis == 0 {
            return Pool2DParameters(planes: batch, height: length, width: 1, kernelHeight: kernel, kernelWidth: 1,
                                    strideH: stride, strideW: 1, dilationH: dilation, padTop: padBegin,
                                    padBottom: padEnd, ceilMode: ceilMode)
        }
        return Pool2DParameters(planes: batch, height: 1, width: length, kernelHeight: 1, kernelWidth: kernel,
                                strideH: 1, strideW: stride, dilationW: dilation, padLeft: padBegin, padRight: padEnd,
                                ceilMode: ceilMode)
    }

    /// The window's kernel, stride, dilation and padding on this axis at the layer's input size.
    private func resolve(_ window: SlidingWindow) throws(VerificationFailure)
        -> (kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int) {
        let padding: Padding
        switch window.padding {
        case .explicit(let begin, let end): padding = .explicit(begin: [begin[axis]], end: [end[axis]])
        case let other: padding = other
        }
        let line = SlidingWindow(kernel: [window.kernel[axis]], stride: [window.stride[axis]],
                                 dilation: [window.dilation[axis]], padding: padding, ceilMode: window.ceilMode)
        do {
            let resolved = try line.resolved(inputSize: [inputCount], node: node)
            return (resolved.kernel[0], resolved.stride[0], resolved.dilation[0], resolved.padBegin[0], resolved.padEnd[0])
        } catch {
            throw VerificationFailure(error.description)
        }
    }

    // MARK: - Slices and interpolation (ONNX definitions)

    /// ONNX `Slice` on one axis: the first unit read, the step and the number of units.
    static func sliceUnits(start: Int, end: Int, step: Int, count n: Int) -> (start: Int, step: Int, count: Int) {
        func fromEnd(_ v: Int) -> Int { v < 0 ? (v < -n ? -1 : v + n) : v }
        if step > 0 {
            let first = min(max(fromEnd(start), 0), n), last = min(max(fromEnd(end), 0), n)
            return (first, step, last > first ? (last - first - 1) / step + 1 : 0)
        }
        let first = min(max(fromEnd(start), 0), n - 1), last = min(max(fromEnd(end), -1), n - 1)
        let magnitude = step == Int.min ? Int.max : -step
        return (first, step, first > last ? (first - last - 1) / magnitude + 1 : 0)
    }

    /// For each output unit, the input units it interpolates from and their weights (ONNX
    /// `Resize`: coordinate transform, nearest rounding, linear, cubic with A = −0.75, indices
    /// clamped to the line).
    private func interpolationTaps(_ resize: Resize, inputCount n: Int) throws(VerificationFailure) -> [LineKernels.Taps] {
        let out: Int, scale: Double
        switch resize.target {
        case .scales(let scales):
            scale = scales[axis]
            out = Int((Double(n) * scale).rounded(.down))
        case .sizes(let sizes):
            out = sizes[axis]
            scale = Double(out) / Double(n)
        }
        try check(out >= 1, "the resize has no output units")
        func clamped(_ i: Int) -> Int { min(max(i, 0), n - 1) }
        return (0..<out).map { j -> LineKernels.Taps in
            let x: Double
            switch resize.coordinateTransform {
            case .halfPixel: x = (Double(j) + 0.5) / scale - 0.5
            case .pytorchHalfPixel: x = out > 1 ? (Double(j) + 0.5) / scale - 0.5 : 0
            case .alignCorners: x = out > 1 ? Double(j) * Double(n - 1) / Double(out - 1) : 0
            case .asymmetric: x = Double(j) / scale
            case .tfHalfPixelForNN: x = (Double(j) + 0.5) / scale
            }
            let base = x.rounded(.down), t = x - base, i = Int(base)
            switch resize.mode {
            case .nearest(let rounding):
                let index: Double
                switch rounding {
                case .floor: index = base
                case .ceil: index = x.rounded(.up)
                case .roundPreferFloor: index = t == 0.5 ? base : x.rounded()
                case .roundPreferCeil: index = t == 0.5 ? base + 1 : x.rounded()
                }
                return [(clamped(Int(index)), 1)]
            case .linear:
                return [(clamped(i), Float(1 - t)), (clamped(i + 1), Float(t))]
            case .cubic:
                let a = -0.75
                func weight(_ distance: Double) -> Float {
                    let d = abs(distance)
                    if d <= 1 { return Float(((a + 2) * d - (a + 3)) * d * d + 1) }
                    if d < 2 { return Float(((a * d - 5 * a) * d + 8 * a) * d - 4 * a) }
                    return 0
                }
                return (-1...2).map { offset in (clamped(i + offset), weight(t - Double(offset))) }
            }
        }
    }

    private func check(_ condition: Bool, _ message: String) throws(VerificationFailure) {
        guard condition else { throw VerificationFailure("node '\(node)' axis \(axis): \(message)") }
    }

    private func checkCount(_ count: Int, expected: Int) throws(VerificationFailure) {
        try check(count == expected, "the kernels give \(count) output units, the analysis \(expected)")
    }
}

/// A verification that could not be carried out, or a disagreement between Fovea's kernels and
/// the analysis on sizes; one line.
public struct VerificationFailure: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
