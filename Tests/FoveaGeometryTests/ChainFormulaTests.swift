import Testing
@testable import FoveaGeometry

/// The recursive form, the closed form, the forward composition and the network analysis agree.
@Suite struct ChainFormulaTests {
    /// Hand derivation: (3,1), (3,1), (2,2), (3,1) → r = 1 + 2 + 2 + 1 + 2·2 = 10, S = 2.
    @Test func handDerivedChain() throws {
        let chain = [ChainLayer(kernel: 3, padding: 1), ChainLayer(kernel: 3, padding: 1),
                     ChainLayer(kernel: 2, stride: 2), ChainLayer(kernel: 3, padding: 1)]
        let expected = AffineReceptiveField(size: 10, stride: 2, padding: 1 + 1 + 0 + 1 * 2)
        #expect(try AffineReceptiveField.closedForm(chain) == expected)
        #expect(try AffineReceptiveField.recursive(chain) == expected)
        #expect(try AffineReceptiveField.forward(chain) == expected)
        // Dilation 2 on a 3-tap kernel acts as a 5-tap kernel.
        let dilated = [ChainLayer(kernel: 3, stride: 2), ChainLayer(kernel: 3, dilation: 2)]
        #expect(try AffineReceptiveField.recursive(dilated) == AffineReceptiveField(size: 3 + 4 * 2, stride: 2, padding: 0))
    }

    @Test func formulasAgreeOnRandomChains() throws {
        var random = SeededGenerator(seed: 0xF0CA)
        for _ in 0..<500 {
            let chain = (0..<Int.random(in: 1...10, using: &random)).map { _ in
                ChainLayer(kernel: .random(in: 1...7, using: &random), stride: .random(in: 1...4, using: &random),
                           padding: .random(in: 0...3, using: &random), dilation: .random(in: 1...3, using: &random))
            }
            let forward = try AffineReceptiveField.forward(chain)
            #expect(try AffineReceptiveField.closedForm(chain) == forward)
            #expect(try AffineReceptiveField.recursive(chain) == forward)
            var stepwise = AffineReceptiveField.identity
            for layer in chain { stepwise = try stepwise.appending(layer) }
            #expect(stepwise == forward)
        }
    }

    /// The network analysis of a sequential 2-D network equals the chain formulas per axis.
    @Test func networkAnalysisAgreesWithFormulas() throws {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let depth = Int.random(in: 1...8, using: &random)
            let chains = (0..<2).map { _ in
                (0..<depth).map { _ in
                    ChainLayer(kernel: .random(in: 1...5, using: &random), stride: .random(in: 1...3, using: &random),
                               padding: .random(in: 0...2, using: &random), dilation: .random(in: 1...2, using: &random))
                }
            }
            let layers: [Layer] = (0..<depth).map { l in
                let h = chains[0][l], w = chains[1][l]
                let ceil = Bool.random(using: &random)
                let window = SlidingWindow(kernel: [h.kernel, w.kernel], stride: [h.stride, w.stride],
                                           dilation: [h.dilation, w.dilation],
                                           padding: .explicit(begin: [h.padding, w.padding],
                                                              end: [.random(in: 0...2, using: &random), 0]),
                                           ceilMode: ceil)
                return Bool.random(using: &random) ? .convolution(Convolution(window: window))
                                                   : .pooling(Pooling(kind: .max, window: window))
            }
            let fields = try chains.map { try AffineReceptiveField.closedForm($0) }
            // Large enough that the last layer has units: the top unit's field plus a few strides.
            let size = fields.map { $0.size + 3 * $0.stride }
            let geometry = try NetworkGeometry(Build.chain(size, layers))
            let top = try #require(geometry["l\(depth - 1)"])
            for axis in 0..<2 {
                #expect(top.axes[axis].affine == fields[axis])
                #expect(top.axes[axis].affine == (try AffineReceptiveField.recursive(chains[axis])))
            }
        }
    }
}
