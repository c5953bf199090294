import Foundation
import Testing
@testable import FoveaTensor

/// Builds `.npy` bytes by hand: magic, version, little-endian header length, header, data.
func npyBytes(header: String, data: [UInt8], major: UInt8 = 1, padTo64: Bool = true) -> [UInt8] {
    var text = Array(header.utf8)
    let preamble = major == 1 ? 10 : 12
    if padTo64 {
        text += [UInt8](repeating: 0x20, count: (64 - (preamble + text.count + 1) % 64) % 64)
        text.append(0x0A)
    }
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0]
    let n = text.count
    bytes += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF)]
    if major != 1 { bytes += [UInt8(n >> 16 & 0xFF), UInt8(n >> 24 & 0xFF)] }
    return bytes + text + data
}

func littleEndian(_ values: [Double]) -> [UInt8] {
    values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
}

func bigEndian(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in (0..<4).reversed().map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
}

@Suite struct NpyTests {
    @Test(arguments: [[], [1], [5], [2, 3], [2, 1, 3, 4], [0, 3]])
    func roundTripKeepsShapeAndValues(shape: [Int]) throws {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { Float($0) * 0.37 - 1.5 }
        let tensor = try Tensor(shape: shape, scalars: values)
        let bytes = Npy.encode(tensor)
        #expect(bytes.count % 64 == 4 * count % 64)  // header block is padded to 64 bytes
        let back = try Npy.decodeTensor(bytes, source: "t.npy")
        #expect(back == tensor)
    }

    @Test func encodesTheHeaderNumPyExpects() throws {
        let scalar = Npy.encode(Tensor(scalar: 2.5))
        // 10-byte preamble + 55-byte dictionary + padding + '\n' = 128 bytes, then the value.
        #expect(scalar.count == 132)
        let header = String(decoding: scalar[10..<128], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (), }"))
        #expect(header.hasSuffix(" \n"))
        #expect(scalar[128...].elementsEqual([0x00, 0x00, 0x20, 0x40]))  // 2.5 little-endian
        let vector = Npy.encode(try Tensor(shape: [3], repeating: 0))
        #expect(String(decoding: vector[10..<64], as: UTF8.self).contains("'shape': (3,)"))
    }

    @Test func readsFloat64AndBigEndianFloat32() throws {
        let f8 = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                          data: littleEndian([1, -2, 0.5, 1e-3]))
        #expect(try Npy.decodeTensor(f8, source: "a").scalars == [1, -2, 0.5, Float(1e-3)])
        let f4 = npyBytes(header: "{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }",
                          data: bigEndian([1.25, -7, 3]))
        #expect(try Npy.decodeTensor(f4, source: "b").scalars == [1.25, -7, 3])
    }

    @Test func convertsFortranOrderToCOrder() throws {
        // Column-major storage of [[1, 2, 3], [4, 5, 6]] is 1, 4, 2, 5, 3, 6.
        let bytes = npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                             data: littleEndian([1, 4, 2, 5, 3, 6]))
        let t = try Npy.decodeTensor(bytes, source: "f")
        #expect(t.shape == [2, 3])
        #expect(t.scalars == [1, 2, 3, 4, 5, 6])
        // Rank 3: element (i, j, k) of shape (2, 2, 2) sits at i + 2j + 4k in column-major order.
        let values = (0..<8).map(Double.init)
        let f3 = npyBytes(header: "{'fortran_order': True, 'shape': (2, 2, 2), 'descr': '<f8'}", data: littleEndian(values))
        let c3 = try Npy.decodeTensor(f3, source: "f3")
        #expect(c3.scalars == [0, 4, 2, 6, 1, 5, 3, 7])
    }

    @Test func readsVersion2And3Headers() throws {
        for major: UInt8 in [2, 3] {
            let bytes = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
                                 data: littleEndian([42]), major: major)
            #expect(try Npy.decodeTensor(bytes, source: "v").scalars == [42])
        }
    }

    @Test func readsIntegerLabels() throws {
        let i8 = npyBytes(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                          data: [3, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8) + [9, 0, 0, 0, 0, 0, 0, 0])
        let decoded = try Npy.decodeLabels(i8, source: "l")
        #expect(decoded.labels == [3, -1, 9])
        #expect(decoded.shape == [3])
        let i4 = npyBytes(header: "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
                          data: [0, 0, 0, 7, 0xFF, 0xFF, 0xFF, 0xFE])
        #expect(try Npy.decodeLabels(i4, source: "l").labels == [7, -2])
    }

    @Test func writesAndReadsFilesAtomically() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("t.npy")
        try Npy.write(try Tensor(shape: [2], scalars: [1, 2]), to: url)
        try Npy.write(try Tensor(shape: [1], scalars: [3]), to: url)
        #expect(try Npy.readTensor(from: url).scalars == [3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["t.npy"])
    }

    @Test func failedBatchWriteLeavesNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("a.npy")
        let bad = directory.appendingPathComponent("missing/b.npy")
        #expect(throws: FileError.self) { try AtomicFile.writeAll([(good, [1, 2]), (bad, [3])]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func missingFileNamesThePath() {
        do {
            _ = try Npy.readTensor(from: URL(fileURLWithPath: "/nonexistent/x.npy"))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/x.npy: cannot read"))
        }
    }
}

@Suite struct MalformedNpyTests {
    static let cases: [(name: String, bytes: [UInt8])] = [
        ("empty file", []),
        ("wrong magic", Array("PK\u{3}\u{4}not numpy at all".utf8)),
        ("unknown version", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                                     data: [0, 0, 0, 0], major: 9)),
        ("header longer than file", Array(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                                                   data: [])[0..<30])),
        ("truncated data", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                                    data: [UInt8](repeating: 0, count: 12))),
        ("extra data", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                                data: [UInt8](repeating: 0, count: 8))),
        ("object dtype", npyBytes(header: "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
                                  data: [UInt8](repeating: 0, count: 8))),
        ("string dtype", npyBytes(header: "{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }",
                                  data: [UInt8](repeating: 0, count: 12))),
        ("integer dtype for floats", npyBytes(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                                              data: [UInt8](repeating: 0, count: 8))),
        ("half precision", npyBytes(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }",
                                    data: [0, 0])),
        ("structured dtype", npyBytes(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
                                      data: [0, 0, 0, 0])),
        ("negative dimension", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 4), }",
                                        data: [])),
        ("overflowing shape", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 8), }",
                                       data: [])),
        ("absurd shape", npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,), }",
                                  data: [0, 0, 0, 0, 0, 0, 0, 0])),
        ("dimension not an integer", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': ('a',), }",
                                              data: [])),
        ("missing shape", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, }", data: [])),
        ("missing descr", npyBytes(header: "{'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0])),
        ("unterminated string", npyBytes(header: "{'descr': '<f4, 'fortran_order': False, 'shape': (1,), }",
                                         data: [0, 0, 0, 0])),
        ("not a dictionary", npyBytes(header: "['descr', '<f4']", data: [])),
        ("garbage after dictionary", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x",
                                              data: [0, 0, 0, 0])),
        ("huge header length", [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0xFF, 0xFF, 0xFF, 0x7F] + [UInt8](repeating: 0x20, count: 16)),
    ]

    @Test(arguments: 0..<cases.count)
    func rejectsWithAOneLineMessageNamingTheFile(index: Int) {
        let (name, bytes) = Self.cases[index]
        do {
            let t = try Npy.decodeTensor(bytes, source: "bad.npy")
            Issue.record("\(name): decoded \(t) instead of failing")
        } catch {
            #expect(error.description.hasPrefix("bad.npy: "), "\(name): \(error)")
            #expect(!error.description.contains("\n"), "\(name)")
        }
    }

    @Test func labelReaderRejectsFloatsAndTruncation() {
        let floats = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0])
        #expect(throws: NpyError.unsupportedDType(file: "l.npy", dtype: "<f4", expected: "int32 or int64")) {
            try Npy.decodeLabels(floats, source: "l.npy")
        }
        let short = npyBytes(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data: [1, 0, 0, 0])
        #expect(throws: NpyError.sizeMismatch(file: "l.npy", expectedBytes: 16, actualBytes: 4)) {
            try Npy.decodeLabels(short, source: "l.npy")
        }
    }
}
