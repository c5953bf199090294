import Testing
@testable import FoveaTensor

@Suite struct TensorTests {
    @Test func rejectsShapeMismatch() {
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 3], scalars: [1, 2]) }
        #expect(throws: TensorError.self) { try Tensor(shape: [-1, 3], repeating: 0) }
        #expect(throws: TensorError.self) { try Tensor(shape: [Int.max, 3], repeating: 0) }
    }

    @Test func reshapeKeepsElements() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let r = try t.reshaped(to: [3, 2])
        #expect(r.shape == [3, 2])
        #expect(r.scalars == t.scalars)
        #expect(Tensor(scalar: 2).rank == 0)
    }
}
