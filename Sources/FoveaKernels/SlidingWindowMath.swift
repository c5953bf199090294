/// Index arithmetic of a window sliding along one axis: output unit `o` reads input positions
/// `o·stride − padBegin + t·dilation` for taps `t` in `0..<kernel`.
public enum SlidingWindowMath {
    /// The number of windows along an axis of `input` positions.
    ///
    /// `floor((input + padBegin + padEnd − dilation·(kernel − 1) − 1) / stride) + 1`, or with
    /// `ceilMode` the ceiling of the quotient, minus one if the last window would start in the end
    /// padding (PyTorch and ONNX rule). The result is ≤ 0 when the effective kernel is larger than
    /// the padded input; callers must reject that.
    public static func outputSize(input: Int, kernel: Int, stride: Int, dilation: Int,
                                  padBegin: Int, padEnd: Int, ceilMode: Bool) -> Int {
        let span = input + padBegin + padEnd - dilation * (kernel - 1) - 1
        guard span >= 0, stride > 0 else { return 0 }
        var count = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
        if ceilMode && (count - 1) * stride >= input + padBegin { count -= 1 }
        return count
    }

    /// The range of `o` in `0..<count` for which `o·stride + offset` lies in `0..<size`.
    static func validRange(count: Int, stride: Int, offset: Int, size: Int) -> Range<Int> {
        let low = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = size - 1 - offset
        let high = last < 0 ? 0 : Swift.min(count, last / stride + 1)
        return Swift.min(low, high)..<high
    }
}
