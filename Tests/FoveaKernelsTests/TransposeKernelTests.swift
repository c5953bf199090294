import CFoveaKernels
import Testing
@testable import FoveaKernels

/// The AVX-512 block transpose that the channel-vector kernels use to turn position rows into
/// channel planes and back: every value lands where it should, the rows past the source are
/// zero, and nothing outside the destination block is touched.
@Suite struct TransposeKernelTests {
    @Test(.enabled(if: ChannelVectorConvolution.supportsForward(DirectConvolutionTests.probe)),
          arguments: [(1, 1, 1), (16, 16, 16), (96, 64, 96), (5, 37, 16), (17, 33, 32), (40, 3, 48)])
    func transposeMatchesDefinition(rows: Int, columns: Int, dstRows: Int) {
        var rng = SeededGenerator(seed: UInt64(rows * 1000 + columns))
        let (srcStride, dstStride) = (columns + 3, dstRows + 5)
        let source = rng.floats(rows * srcStride)
        let sentinel: Float = -7
        var destination = [Float](repeating: sentinel, count: (columns + 1) * dstStride)
        source.withUnsafeBufferPointer { src in
            destination.withUnsafeMutableBufferPointer { dst in
                fovea_transpose_avx512(src.baseAddress!, srcStride, rows, columns, dst.baseAddress!, dstStride, dstRows)
            }
        }
        var wrong = 0
        for c in 0...columns {
            for r in 0..<dstStride {
                let expected: Float = c == columns || r >= dstRows ? sentinel : r < rows ? source[r * srcStride + c] : 0
                if destination[c * dstStride + r] != expected { wrong += 1 }
            }
        }
        #expect(wrong == 0)
    }
}
