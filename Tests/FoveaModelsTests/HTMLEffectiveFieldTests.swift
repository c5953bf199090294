import Foundation
import FoveaGeometry
@testable import FoveaModels
import Testing

/// The effective receptive field behind the report's heatmap, against path counts derived by hand.
@Suite struct HTMLEffectiveFieldTests {
    static func field(_ yaml: String, node: String, unit: [Int]) throws -> EffectiveField {
        let spec = try SpecSupport.parse(yaml)
        return try EffectiveField(geometry: try spec.geometry(), node: node, unit: unit)
    }

    /// Values on rows `rows` and columns `cols` of the field, row by row.
    static func block(_ field: EffectiveField, rows: ClosedRange<Int>, cols: ClosedRange<Int>) -> [[Double]] {
        rows.map { r in cols.map { c in field[[r, c]] } }
    }

    /// One 3×3 convolution: each pixel of the window has one path.
    @Test func oneConvolutionIsItsWindow() throws {
        let field = try Self.field("input: {size: [8, 8]}\nlayers:\n  - conv: 3", node: "conv1", unit: [2, 3])
        #expect(field.values.filter { $0 != 0 }.count == 9)
        #expect(Self.block(field, rows: 2...4, cols: 3...5) == Array(repeating: [1, 1, 1], count: 3))
    }

    /// Two 3×3 convolutions: per axis 1, 2, 3, 2, 1 paths, so 9 at the centre; an activation in
    /// between changes nothing.
    @Test func twoConvolutionsCountPaths() throws {
        let field = try Self.field("input: {size: [9, 9]}\nlayers:\n  - conv: 3\n  - relu\n  - conv: 3", node: "conv2", unit: [2, 2])
        let counts: [Double] = [1, 2, 3, 2, 1]
        #expect(Self.block(field, rows: 2...6, cols: 2...6) == counts.map { a in counts.map { b in a * b / 9 } })
        #expect(abs(field.values.reduce(0, +) - 81.0 / 9) < 1e-12)
        #expect(field.profile(axis: 0) == [0, 0] + counts.map { $0 / 3 } + [0, 0])
    }

    /// A 3×3 convolution then 2×2 average pooling: pool unit 0 reads conv units 0 and 1, which read
    /// pixels 0–2 and 1–3, so 1, 2, 2, 1 paths per axis, each divided by 4 (a common factor).
    @Test func averagePoolingDividesUniformly() throws {
        let field = try Self.field("input: {size: [8, 8]}\nlayers:\n  - conv: 3\n  - avgpool: 2", node: "avgpool1", unit: [0, 0])
        let counts: [Double] = [1, 2, 2, 1]
        #expect(Self.block(field, rows: 0...3, cols: 0...3) == counts.map { a in counts.map { b in a * b / 4 } })
    }

    /// A merge is not separable: a (1×1) gives pixel (3, 3) one path, b (3×3) gives every pixel
    /// of rows and columns 3–5 one, so (3, 3) has 2 and the rest of the block 1. (The outer product
    /// of the per-axis profiles would give (4, 4) a quarter of the peak instead.)
    @Test func mergesAddPathsInTwoDimensions() throws {
        let spec = try SpecSupport.example("known_misaligned.yaml")
        let field = try EffectiveField(geometry: try spec.geometry(), node: "sum", unit: [3, 3])
        #expect(Self.block(field, rows: 3...5, cols: 3...5) == [[1, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]])
        #expect(field.values.filter { $0 != 0 }.count == 9)
    }

    /// Sixty 3-tap convolutions on one axis: unit c sees c − 60 … c + 60 with the trinomial
    /// coefficients of (1 + x + x²)^60 as path counts, up to 4.5·10^27 at the centre, far beyond
    /// Float's exact integers, and with a 2-D product (10^55) beyond Float's range.
    @Test func deepChainsDoNotOverflow() throws {
        let layers = String(repeating: "  - conv: {kernel: 3, padding: 1}\n", count: 60)
        let field = try Self.field("input: {size: [200]}\nlayers:\n" + layers, node: "conv60", unit: [100])
        var coefficients: [Double] = [1]
        for _ in 0..<60 {
            var next = [Double](repeating: 0, count: coefficients.count + 2)
            for (i, c) in coefficients.enumerated() { next[i] += c; next[i + 1] += c; next[i + 2] += c }
            coefficients = next
        }
        let centre = coefficients[60]
        #expect(centre > 1e27)
        for offset in [0, 1, 7, 30, 45, 59, 60] {
            let expected = coefficients[60 + offset] / centre
            #expect(abs(field[[100 + offset]] - expected) <= 1e-4 * expected, "offset \(offset)")
            #expect(abs(field[[100 - offset]] - expected) <= 1e-4 * expected, "offset -\(offset)")
        }
        #expect(field[[39]] == 0 && field[[161]] == 0)
    }

    /// The field's support on each axis is the verifier's gradient support.
    @Test(arguments: [("tiny_unet.yaml", "dec1"), ("se_block.json", "out"), ("known_aligned.yaml", "sum"),
                      ("tiny_cnn.yaml", "block2")])
    func supportIsTheVerifiersSupport(_ example: String, _ node: String) throws {
        let geometry = try SpecSupport.example(example).geometry()
        let tensor = try #require(geometry[node])
        let unit = tensor.outputSize.map { ($0 - 1) / 2 }
        let field = try EffectiveField(geometry: geometry, node: node, unit: unit)
        for axis in geometry.inputSize.indices {
            let support = try RFVerifier.backPropagate(from: node, axis: axis, units: [unit[axis]], in: geometry)
            #expect(field.profile(axis: axis).map { $0 > 0 } == support, "axis \(axis)")
        }
    }

    @Test func refusals() throws {
        let geometry = try SpecSupport.example("known_aligned.yaml").geometry()
        #expect(throws: VerificationFailure.self) { try EffectiveField(geometry: geometry, node: "nowhere", unit: [0, 0]) }
        #expect(throws: VerificationFailure.self) { try EffectiveField(geometry: geometry, node: "sum", unit: [2, 0]) }
        #expect(throws: VerificationFailure.self) { try EffectiveField(geometry: geometry, node: "sum", unit: [0]) }
        let large = try SpecSupport.parse("input: {size: [4096, 2048]}\nlayers:\n  - conv: 3").geometry()
        #expect(throws: VerificationFailure.self) { try EffectiveField(geometry: large, node: "conv1", unit: [0, 0]) }
        // The page says why and still renders.
        let html = try HTMLReport(geometry: large, model: "large").rendered()
        #expect(html.contains("No effective receptive field: input [4096, 2048] has more than 4194304 pixels"))
    }
}
