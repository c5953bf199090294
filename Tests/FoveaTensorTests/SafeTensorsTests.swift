import Foundation
import Testing
@testable import FoveaTensor

/// Builds `.safetensors` bytes by hand: little-endian header length, header text, data.
func safetensorsBytes(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    let text = Array(header.utf8)
    let length = declaredLength ?? UInt64(text.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + text + data
}

func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
}

@Suite struct SafeTensorsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/safetensors")

    @Test func roundTripKeepsNamesOrderShapesValuesAndMetadata() throws {
        let contents = SafeTensorsContents(
            tensors: [
                NamedTensor("conv1.weight", try Tensor(shape: [2, 1, 2, 2], scalars: (0..<8).map { Float($0) * 0.5 - 1 })),
                NamedTensor("conv1.bias", try Tensor(shape: [2], scalars: [.pi, -0])),
                NamedTensor("empty", try Tensor(shape: [0, 3], scalars: [])),
                NamedTensor("scalar", Tensor(scalar: .leastNonzeroMagnitude)),
                NamedTensor("odd \"name\" ∂/∂w\n", try Tensor(shape: [1], scalars: [.infinity])),
            ],
            metadata: ["format": "pt", "quote\"and\\slash": "tab\tline\nend", "ünïcode": "ok"])
        let bytes = SafeTensors.encode(contents)
        let back = try SafeTensors.decode(bytes, source: "t")
        #expect(back == contents)
        // Bit for bit, including the sign of zero.
        #expect(back.tensors.map { $0.tensor.scalars.map(\.bitPattern) } == contents.tensors.map { $0.tensor.scalars.map(\.bitPattern) })
    }

    @Test func headerIsPaddedJSONAndDataIsLittleEndianF32() throws {
        let contents = SafeTensorsContents(tensors: [NamedTensor("w", try Tensor(shape: [2], scalars: [1, -2]))])
        let bytes = SafeTensors.encode(contents)
        let length = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(bytes[2..<8].allSatisfy { $0 == 0 })
        #expect((8 + length) % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(header.trimmingCharacters(in: .whitespaces) == #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#)
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, little-endian.
        #expect(Array(bytes[(8 + length)...]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
    }

    @Test func readsAFileWrittenByPythonSafetensors() throws {
        let contents = try SafeTensors.read(from: Self.fixtures.appendingPathComponent("python.safetensors"))
        #expect(contents.metadata == ["format": "pt", "note": "fovea fixture"])
        #expect(Set(contents.tensors.map(\.name)) == ["conv1.weight", "conv1.bias", "fc.weight", "scalar"])
        let weight = try #require(contents["conv1.weight"])
        #expect(weight.shape == [2, 3, 2, 2])
        #expect(weight.scalars == (0..<24).map { Float($0) / 8 - 1 })
        #expect(contents["conv1.bias"]?.scalars == [0.5, -0.25])
        #expect(contents["fc.weight"]?.shape == [3, 2])
        #expect(contents["fc.weight"]?.scalars == (0..<6).map { Float(Double($0) * 0.1) })
        #expect(contents["scalar"] == Tensor(scalar: 3))
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let contents = SafeTensorsContents(tensors: [NamedTensor("a", try Tensor(shape: [3], scalars: [1, 2, 3]))],
                                           metadata: ["epoch": "4"])
        try SafeTensors.write(contents, to: url)
        #expect(try SafeTensors.read(from: url) == contents)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
        #expect(throws: SafeTensorsError.self) { try SafeTensors.read(from: directory.appendingPathComponent("missing")) }
    }

    /// Each malformed file is rejected with the expected kind of error and a one-line message.
    @Test func malformedFileBattery() throws {
        let one = float32Bytes([1])
        let entry = #""t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        let cases: [(String, [UInt8], (SafeTensorsError) -> Bool)] = [
            ("shorter than 8 bytes", [1, 0, 0], { if case .headerLength(_, nil, 3) = $0 { true } else { false } }),
            ("header length beyond the file", safetensorsBytes(header: "{\(entry)}", data: one, declaredLength: 1 << 40),
             { if case .headerLength(_, 1 << 40, _) = $0 { true } else { false } }),
            ("header length near UInt64.max", safetensorsBytes(header: "{}", data: [], declaredLength: .max),
             { if case .headerLength = $0 { true } else { false } }),
            ("empty header", safetensorsBytes(header: "", data: one), isHeader),
            ("not starting with a brace", safetensorsBytes(header: " {\(entry)}", data: one), isHeader),
            ("truncated JSON", safetensorsBytes(header: "{\"t\":{\"dtype\":", data: one), isHeader),
            ("trailing garbage", safetensorsBytes(header: "{\(entry)}x", data: one), isHeader),
            ("duplicate key", safetensorsBytes(header: "{\(entry),\(entry)}", data: one), isHeader),
            ("tensor is not an object", safetensorsBytes(header: #"{"t":[1]}"#, data: one), isHeader),
            ("missing dtype", safetensorsBytes(header: #"{"t":{"shape":[1],"data_offsets":[0,4]}}"#, data: one), isHeader),
            ("metadata value not a string", safetensorsBytes(header: #"{"__metadata__":{"a":1}}"#, data: []), isHeader),
            ("invalid UTF-8 in a name", [7, 0, 0, 0, 0, 0, 0, 0] + [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], isHeader),
            ("control character in a name", safetensorsBytes(header: "{\"\u{01}\":1}", data: []), isHeader),
            ("deep nesting", safetensorsBytes(header: "{\"a\":" + String(repeating: "[", count: 10_000), data: []), isHeader),
            ("unsupported dtype", safetensorsBytes(header: #"{"t":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#,
                                                   data: one + one),
             { if case .unsupportedDType(_, "t", "I64") = $0 { true } else { false } }),
            ("negative dimension", safetensorsBytes(header: #"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: one),
             isShape),
            ("fractional dimension", safetensorsBytes(header: #"{"t":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}"#, data: one),
             isShape),
            ("overflowing shape", safetensorsBytes(header: #"{"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#,
                                                   data: one), isShape),
            ("offsets out of range", safetensorsBytes(header: #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, data: one),
             isOffsets),
            ("offsets reversed", safetensorsBytes(header: #"{"t":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, data: one),
             isOffsets),
            ("offsets of the wrong length", safetensorsBytes(header: #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: one),
             isOffsets),
            ("offsets not integers", safetensorsBytes(header: #"{"t":{"dtype":"F32","shape":[1],"data_offsets":["0",4]}}"#, data: one),
             isOffsets),
            ("huge offset", safetensorsBytes(header: #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}}"#,
                                             data: one), isOffsets),
            ("overlapping tensors", safetensorsBytes(
                header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                data: one + one), isOffsets),
            ("hole between tensors", safetensorsBytes(
                header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
                data: one + one + one), isOffsets),
            ("data left over", safetensorsBytes(header: "{\(entry)}", data: one + one), isOffsets),
        ]
        for (label, bytes, matches) in cases {
            do {
                let decoded = try SafeTensors.decode(bytes, source: "bad.safetensors")
                Issue.record("\(label): accepted, got \(decoded.tensors.map(\.name))")
            } catch {
                #expect(matches(error), "\(label): \(error)")
                #expect(error.description.hasPrefix("bad.safetensors: "), "\(label)")
                #expect(!error.description.contains("\n"), "\(label)")
            }
        }
    }

    /// Truncations and byte flips of a valid file never crash: they decode or throw.
    @Test func damagedFilesNeverTrap() throws {
        let contents = SafeTensorsContents(tensors: [
            NamedTensor("conv.weight", try Tensor(shape: [2, 1, 3, 3], scalars: (0..<18).map(Float.init))),
            NamedTensor("conv.bias", try Tensor(shape: [2], scalars: [1, 2])),
        ], metadata: ["format": "pt"])
        let bytes = SafeTensors.encode(contents)
        for cut in stride(from: 0, to: bytes.count, by: 3) {
            _ = try? SafeTensors.decode(Array(bytes[..<cut]), source: "cut")
        }
        var state: UInt64 = 12345
        for _ in 0..<2000 {
            var damaged = bytes
            for _ in 0..<3 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let position = Int(state >> 33) % damaged.count
                damaged[position] = UInt8(truncatingIfNeeded: state >> 13)
            }
            _ = try? SafeTensors.decode(damaged, source: "flip")
        }
    }

    private static func isHeader(_ e: SafeTensorsError) -> Bool { if case .invalidHeader = e { true } else { false } }
    private static func isShape(_ e: SafeTensorsError) -> Bool { if case .invalidShape = e { true } else { false } }
    private static func isOffsets(_ e: SafeTensorsError) -> Bool { if case .invalidOffsets = e { true } else { false } }
    private var isHeader: (SafeTensorsError) -> Bool { Self.isHeader }
    private var isShape: (SafeTensorsError) -> Bool { Self.isShape }
    private var isOffsets: (SafeTensorsError) -> Bool { Self.isOffsets }
}
