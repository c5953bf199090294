import Testing
@testable import FoveaGeometry

@Suite struct GlobalContextTests {
    /// Squeeze-and-excitation: the gate is global, the product keeps the local 3×3 field.
    @Test func squeezeExcitationKeepsLocalField() throws {
        let net = try Build.network([16, 16], channels: 3, [
            ("conv", Build.conv([3, 3], padding: .symmetric([1, 1]), out: 8), ["input"]),
            ("se.pool", .globalPooling(.average), ["conv"]),
            ("se.fc1", Build.conv([1, 1], out: 2), ["se.pool"]),
            ("se.act", .pointwise("relu"), ["se.fc1"]),
            ("se.fc2", Build.conv([1, 1], out: 8), ["se.act"]),
            ("se.gate", .pointwise("sigmoid"), ["se.fc2"]),
            ("scale", .multiply, ["conv", "se.gate"]),
            ("next", Build.conv([3, 3], padding: .symmetric([1, 1]), out: 8), ["scale"]),
        ])
        let geometry = try NetworkGeometry(net)
        let gate = try #require(geometry["se.gate"])
        #expect(gate.flags.contains(.global))
        #expect(gate.outputSize == [1, 1])
        #expect(gate.axes[0].receptiveField == 16)
        #expect(gate.axes[0].interval(ofUnit: 0) == 0...15)

        let scale = try #require(geometry["scale"])
        #expect(scale.flags.contains(.globalContext))
        #expect(!scale.flags.contains(.global))
        #expect(scale.axes[0].affine == AffineReceptiveField(size: 3, stride: 1, padding: 1))
        #expect(scale.outputSize == [16, 16])
        #expect(scale.channels == 8)
        #expect(scale.isAligned)
        let merge = try #require(geometry.merge(named: "scale"))
        #expect(merge.inputs == ["conv"])
        #expect(merge.contextInputs == ["se.gate"])
        #expect(merge.description.contains("global context from 'se.gate'"))

        let next = try #require(geometry["next"])
        #expect(next.flags.contains(.globalContext))
        #expect(next.axes[1].affine == AffineReceptiveField(size: 5, stride: 1, padding: 2))
    }
}
