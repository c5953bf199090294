import Testing
@testable import FoveaKernels

/// Packed weight blocks: the AVX-512 transposes write exactly what the one-weight-at-a-time
/// loop writes, for the forward weights and the flipped, transposed ones of the input gradient.
@Suite struct ConvolutionWeightsTests {
    @Test(.enabled(if: KernelInstructionSet.available == .avx512),
          arguments: [(3, 5, 3, 3), (70, 20, 2, 3), (17, 33, 1, 1), (64, 64, 3, 3)])
    func transposedBlocksMatchTheScalarLoop(outChannels: Int, inChannels: Int, kernelHeight: Int, kernelWidth: Int) {
        let p = Conv2DParameters(batch: 1, inChannels: inChannels, height: 8, width: 8, outChannels: outChannels,
                                 kernelHeight: kernelHeight, kernelWidth: kernelWidth)
        var rng = SeededGenerator(seed: UInt64(outChannels * 100 + inChannels))
        let weight = rng.floats(p.weightCount)
        weight.withUnsafeBufferPointer { w in
            for (source, channels) in [(ConvolutionWeights.forward(p, w.baseAddress!), outChannels),
                                       (ConvolutionWeights.transposed(p, w.baseAddress!), inChannels)] {
                for (block, stride) in [(0..<min(channels, 16), 16), ((channels / 3)..<channels, 64)] {
                    let count = source.depth * stride + 7
                    var scalar = [Float](repeating: .nan, count: count), vector = scalar
                    scalar.withUnsafeMutableBufferPointer {
                        source.write(channels: block, into: $0.baseAddress!, stride: stride, avx512: false)
                    }
                    vector.withUnsafeMutableBufferPointer {
                        source.write(channels: block, into: $0.baseAddress!, stride: stride, avx512: true)
                    }
                    #expect(scalar.map(\.bitPattern) == vector.map(\.bitPattern), "\(block) of \(channels), stride \(stride)")
                    #expect(scalar.prefix(source.depth * stride).allSatisfy { !$0.isNaN })
                    // The transposed weights flip the kernel: step 0 of channel c is the last tap.
                    if source.transposedShape != nil {
                        #expect(scalar[0] == weight[(block.lowerBound + 1) * p.kernelHeight * p.kernelWidth - 1])
                    }
                }
            }
        }
    }
}
