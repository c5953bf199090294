import Foundation
import FoveaNN
import FoveaTensor
import Testing
@testable import FoveaModels

@Suite struct DatasetTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/datasets")

    func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
    }

    /// A fresh scratch directory, removed by the caller.
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    // MARK: gzip and inflate

    /// Files written by Python's zlib with stored, fixed-Huffman and dynamic-Huffman blocks, header
    /// flags and two members all decompress to the original bytes.
    @Test(arguments: ["text-stored.gz", "text-fixed.gz", "text-dynamic.gz", "text-flags.gz", "text-members.gz"])
    func decompressesPythonGzip(name: String) throws {
        let bytes = try fixture(name)
        #expect(Gzip.isCompressed(bytes))
        #expect(try Gzip.decompress(bytes) == fixture("text.txt"))
    }

    @Test func inflatesHandWrittenBlocks() throws {
        // A final stored block of 3 bytes: header bits 1 (final) 00 (stored), LEN 3, NLEN ~3.
        #expect(try Inflate.decode([0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63]).bytes == Array("abc".utf8))
        // A final fixed-Huffman block holding only the end-of-block code (7 zero bits).
        #expect(try Inflate.decode([0x03, 0x00]) == ([], 2))
        // Fixed Huffman "a" then a length-3 match at distance 1: "aaaa" (bytes from zlib).
        #expect(try Inflate.decode([0x4B, 0x4C, 0x4C, 0x4C, 0x04, 0x00]).bytes == Array("aaaa".utf8))
    }

    @Test func rejectsDamagedCompressedData() throws {
        let good = try fixture("text-dynamic.gz")
        var badCRC = good
        badCRC[badCRC.count - 6] ^= 0xFF
        var badLength = good
        badLength[badLength.count - 1] ^= 0x01
        var badMethod = good
        badMethod[2] = 7
        var reserved = good
        reserved[3] = 0x80
        let cases: [(String, [UInt8], String)] = [
            ("not gzip", Array("plain".utf8), "not a gzip file"),
            ("method", badMethod, "compression method 7"),
            ("reserved flags", reserved, "reserved gzip header flags"),
            ("crc", badCRC, "CRC-32 mismatch"),
            ("length", badLength, "length field"),
            ("trailing garbage", good + [1, 2, 3], "trailing garbage"),
            ("no trailer", Array(good.dropLast(8)), "without its CRC-32"),
            ("block type 3", Array(good.prefix(10)) + [0x07, 0, 0], "block type 3"),
            ("stored length", Array(good.prefix(10)) + [0x01, 0x03, 0x00, 0x00, 0x00, 0x61], "does not match its complement"),
            ("truncated", Array(good.prefix(good.count / 2)), "truncated"),
        ]
        for (label, bytes, message) in cases {
            do {
                _ = try Gzip.decompress(bytes)
                Issue.record("\(label): accepted")
            } catch {
                #expect(error.problem.contains(message), "\(label): \(error.problem)")
            }
        }
        #expect(throws: CompressionError.self) { try Gzip.decompress(good, maximumOutput: 1000) }
        // A distance that reaches before the output: fixed-Huffman length 3, distance 1, as the first symbol.
        #expect(throws: CompressionError("distance 1 reaches before the start of the output")) {
            try Inflate.decode([0x03, 0x02, 0x00])
        }
    }

    /// Every prefix and thousands of random corruptions of valid streams decode or throw; none traps.
    @Test func damagedStreamsNeverTrap() throws {
        for name in ["text-stored.gz", "text-fixed.gz", "text-dynamic.gz"] {
            let good = try fixture(name)
            for cut in stride(from: 0, to: good.count, by: max(1, good.count / 100)) {
                #expect(throws: CompressionError.self) { try Gzip.decompress(Array(good[..<cut])) }
            }
            var generator = SplitMix64(seed: 77)
            for _ in 0..<250 {
                var damaged = good
                for _ in 0..<(1 + generator.nextInt(below: 3)) {
                    let position = 10 + generator.nextInt(below: damaged.count - 18)
                    damaged[position] = UInt8(truncatingIfNeeded: generator.next())
                }
                _ = try? Gzip.decompress(damaged)
            }
        }
        var generator = SplitMix64(seed: 78)
        for _ in 0..<300 {
            let noise = (0..<200).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? Inflate.decode(noise)
        }
    }

    // MARK: Digits

    @Test func builtInDigitsHaveThePublishedShapeAndClassCounts() throws {
        let digits = try Digits.load()
        #expect(digits.images.shape == [1797, 1, 8, 8])
        // UCI optdigits.tes class distribution (also scikit-learn's load_digits).
        #expect((0..<10).map { c in digits.labels.filter { $0 == c }.count } == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        #expect(digits.images.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(digits.images.scalars.contains(1) && digits.images.scalars.contains(0))
        // Pixels are counts 0…16 over 16: every value is a multiple of 1/16.
        #expect(digits.images.scalars.allSatisfy { ($0 * 16).rounded() == $0 * 16 })
    }

    @Test func digitsCSVErrorsNameTheLine() throws {
        let row = (Array(repeating: "0", count: 64) + ["3"]).joined(separator: ",")
        let cases: [(String, String)] = [
            (row + "\n" + row + ",1\n", "line 2 has 66 fields"),
            (row.replacingOccurrences(of: "0,0,0", with: "0,17,0") + "\n", "line 1: pixel 2 '17' is not an integer in 0...16"),
            (String(row.dropLast()) + "10\n", "line 1: the label '10'"),
            ("x" + row.dropFirst() + "\n", "line 1: pixel 1 'x'"),
        ]
        for (text, message) in cases {
            do {
                _ = try Digits.parse(Array(text.utf8), source: "d.csv")
                Issue.record("accepted: \(message)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
        #expect(throws: TrainingError.self) { try Digits.parse([], source: "empty.csv") }
        let parsed = try Digits.parse(Array((row + "\r\n" + row + "\n").utf8), source: "crlf.csv")
        #expect(parsed.labels == [3, 3])
    }

    // MARK: IDX

    /// The IDX fixture holds the first 30 digits as bytes `pixel·255/16` (rounded down).
    @Test(arguments: [("digits-images.idx3", "digits-labels.idx1"), ("digits-images.idx3.gz", "digits-labels.idx1.gz")])
    func readsIDXPlainAndCompressed(files: (String, String)) throws {
        let data = try IDX.load(images: Self.fixtures.appendingPathComponent(files.0), labels: Self.fixtures.appendingPathComponent(files.1))
        let digits = try Digits.load()
        #expect(data.images.shape == [30, 1, 8, 8])
        #expect(data.labels == Array(digits.labels.prefix(30)))
        for (idx, reference) in zip(data.images.scalars, digits.images.scalars.prefix(30 * 64)) {
            let count = Int((reference * 16).rounded())
            #expect(idx == Float(count * 255 / 16) / 255)
        }
    }

    @Test func rejectsBadIDX() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let images = try fixture("digits-images.idx3"), labels = try fixture("digits-labels.idx1")
        func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url
        }
        let goodImages = try write("i", images), goodLabels = try write("l", labels)
        var wrongType = images
        wrongType[2] = 0x0B
        var unknownType = images
        unknownType[2] = 0x42
        var noAxes = images
        noAxes[3] = 0
        var fewerLabels = labels
        fewerLabels[7] = 29
        var corruptGzip = try fixture("digits-images.idx3.gz")
        corruptGzip[corruptGzip.count - 6] ^= 0xFF
        let cases: [(String, URL, URL, String)] = [
            ("magic", try write("a", [1, 2] + images.dropFirst(2)), goodLabels, "not an IDX file"),
            ("type", try write("b", wrongType), goodLabels, "shape [30, 8, 8] needs 3840 data bytes"),
            ("unknown type", try write("c", unknownType), goodLabels, "unknown IDX type code 0x42"),
            ("no axes", try write("d", noAxes), goodLabels, "declares no axes"),
            ("truncated header", try write("e", Array(images.prefix(9))), goodLabels, "declares 3 axes but the file ends"),
            ("extra byte", try write("f", images + [0]), goodLabels, "needs 1920 data bytes but the file holds 1921"),
            ("label count", goodImages, try write("g", Array(fewerLabels.dropLast())), "holds 30 images but"),
            ("labels 2-D", goodImages, try write("h", [0, 0, 8, 2, 0, 0, 0, 30, 0, 0, 0, 1] + labels.dropFirst(8)), "expected one axis"),
            ("images 1-D", try write("j", [0, 0, 8, 1, 0, 0, 0, 2, 0, 0]), goodLabels, "expected N×H×W"),
            ("corrupt gzip", try write("k.gz", corruptGzip), goodLabels, "gzip: gzip CRC-32 mismatch"),
            ("missing", directory.appendingPathComponent("none"), goodLabels, "cannot read"),
        ]
        for (label, imagesURL, labelsURL, message) in cases {
            do {
                _ = try IDX.load(images: imagesURL, labels: labelsURL)
                Issue.record("\(label): accepted")
            } catch {
                #expect("\(error)".contains(message), "\(label): \(error)")
                #expect(!"\(error)".contains("\n"))
            }
        }
    }

    // MARK: npy pairs

    /// `.npy` bytes of int64 labels.
    func int64Labels(_ values: [Int], shape: String? = nil) -> [UInt8] {
        var header = Array("{'descr': '<i8', 'fortran_order': False, 'shape': \(shape ?? "(\(values.count),)"), }".utf8)
        header += [UInt8](repeating: 0x20, count: (64 - (10 + header.count + 1) % 64) % 64) + [0x0A]
        let data = values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: Int64(v) >> (8 * $0)) } }
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header + data
    }

    @Test func readsNpyPairsAndRejectsBadOnes() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
        try Npy.write(try Tensor(shape: [3, 4, 4], scalars: (0..<48).map(Float.init)), to: url("x3.npy"))
        try Npy.write(try Tensor(shape: [3, 2, 4, 4], repeating: 0.5), to: url("x4.npy"))
        try Npy.write(try Tensor(shape: [3, 16], repeating: 0.5), to: url("x2.npy"))
        try Npy.write(try Tensor(shape: [3], repeating: 1), to: url("yfloat.npy"))
        try Data(int64Labels([0, 2, 1])).write(to: url("y.npy"))
        try Data(int64Labels([0, 2])).write(to: url("y2.npy"))
        try Data(int64Labels([0, 2, 1, 1, 0, 2], shape: "(3, 2)")).write(to: url("ymatrix.npy"))
        try Data(int64Labels([0, -2, 1])).write(to: url("yneg.npy"))
        try Data(Array("garbage".utf8)).write(to: url("bad.npy"))

        let single = try NpyPairs.load(x: url("x3.npy"), y: url("y.npy"))
        #expect(single.images.shape == [3, 1, 4, 4] && single.labels == [0, 2, 1])
        #expect(single.images.scalars == (0..<48).map(Float.init))  // used as they are
        #expect(try NpyPairs.load(x: url("x4.npy"), y: url("y.npy")).imageShape == [2, 4, 4])
        let cases: [(String, String, String)] = [
            ("x2.npy", "y.npy", "expected N×C×H×W or N×H×W"),
            ("x3.npy", "y2.npy", "holds 3 images but"),
            ("x3.npy", "ymatrix.npy", "expected (N,)"),
            ("x3.npy", "yfloat.npy", "unsupported dtype"),
            ("x3.npy", "yneg.npy", "label -2 at index 1 is negative"),
            ("bad.npy", "y.npy", "not a valid .npy file"),
            ("x3.npy", "missing.npy", "cannot read"),
        ]
        for (x, y, message) in cases {
            do {
                _ = try NpyPairs.load(x: url(x), y: url(y))
                Issue.record("\(x), \(y): accepted")
            } catch {
                #expect("\(error)".contains(message), "\(x), \(y): \(error)")
            }
        }
        #expect(throws: DatasetError.self) { try Datasets.load(DatasetReference(kind: "cifar")) }
    }

    // MARK: lenet_digits

    @Test func leNetDigitsHasLeNetNamesAndFitsTheDigits() throws {
        var generator = SplitMix64(seed: 0)
        let model = try TrainableModel(network: try TrainingModels.leNetDigits(), inputShape: [1, 8, 8], generator: &generator)
        #expect(model.parameterNames == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                                         "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])
        #expect(model.parameters.map(\.shape) == [[16, 1, 3, 3], [16], [32, 16, 3, 3], [32], [120, 128], [120], [84, 120], [84],
                                                  [10, 84], [10]])
        #expect(model.parameterCount == 31_294)
        #expect(throws: ModelError.self) {
            var g = SplitMix64(seed: 0)
            _ = try TrainableModel(network: try TrainingModels.leNetDigits(), inputShape: [1, 28, 28], generator: &g)
        }
    }
}
