/// Unfolding of one image's group of channels into the columns matrix of a convolution and
/// its adjoint.
///
/// The columns matrix has `C_g·kH·kW` rows (channel, kernel row, kernel column) and `oH·oW`
/// columns (output positions); entry `(c,u,v; i,j)` is the input value that weight `(c,u,v)`
/// multiplies at output `(i,j)`, or zero where the window lies in the padding.
enum Im2Col {
    /// Fills `columns` from `image`, which points at the group's first input channel.
    static func unfold(_ p: Conv2DParameters, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let (oH, oW) = (p.outHeight, p.outWidth)
        let plane = p.height * p.width
        var row = columns
        for c in 0..<p.groupInChannels {
            let source = image + c * plane
            for u in 0..<p.kernelHeight {
                let rowOffset = u * p.dilationH - p.padTop
                let rows = SlidingWindowMath.validRange(count: oH, stride: p.strideH, offset: rowOffset, size: p.height)
                for v in 0..<p.kernelWidth {
                    let columnOffset = v * p.dilationW - p.padLeft
                    let cols = SlidingWindowMath.validRange(count: oW, stride: p.strideW, offset: columnOffset, size: p.width)
                    for i in 0..<oH {
                        let destination = row + i * oW
                        guard rows.contains(i), !cols.isEmpty else {
                            destination.update(repeating: 0, count: oW)
                            continue
                        }
                        destination.update(repeating: 0, count: cols.lowerBound)
                        (destination + cols.upperBound).update(repeating: 0, count: oW - cols.upperBound)
                        let line = source + (i * p.strideH + rowOffset) * p.width + columnOffset
                        if p.strideW == 1 {
                            (destination + cols.lowerBound).update(from: line + cols.lowerBound, count: cols.count)
                        } else {
                            for j in cols { destination[j] = line[j * p.strideW] }
                        }
                    }
                    row += oH * oW
                }
            }
        }
    }

    /// Adds every entry of `columns` into the input position it was read from (the adjoint of
    /// `unfold`); `image` points at the group's first input channel and is accumulated into.
    static func fold(_ p: Conv2DParameters, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
        let (oH, oW) = (p.outHeight, p.outWidth)
        let plane = p.height * p.width
        var row = columns
        for c in 0..<p.groupInChannels {
            let target = image + c * plane
            for u in 0..<p.kernelHeight {
                let rowOffset = u * p.dilationH - p.padTop
                let rows = SlidingWindowMath.validRange(count: oH, stride: p.strideH, offset: rowOffset, size: p.height)
                for v in 0..<p.kernelWidth {
                    let columnOffset = v * p.dilationW - p.padLeft
                    let cols = SlidingWindowMath.validRange(count: oW, stride: p.strideW, offset: columnOffset, size: p.width)
                    if !cols.isEmpty {
                        for i in rows {
                            let source = row + i * oW
                            let line = target + (i * p.strideH + rowOffset) * p.width + columnOffset
                            for j in cols { line[j * p.strideW] += source[j] }
                        }
                    }
                    row += oH * oW
                }
            }
        }
    }
}
