import Foundation
import FoveaGeometry
import FoveaNN
import FoveaTensor

/// The built-in data set: the 1,797 8×8 handwritten digits of the UCI Optical Recognition of
/// Handwritten Digits test set (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0), shipped as a package
/// resource (`DigitsData/digits.csv.gz`, with its attribution beside it).
public enum Digits {
    /// The data set's name on the command line.
    public static let name = "digits"

    /// The images `[1797, 1, 8, 8]`, pixel counts 0–16 scaled by 1/16 to [0, 1], and labels 0–9.
    public static func load() throws -> LabeledImages {
        guard let url = Bundle.module.url(forResource: "digits.csv", withExtension: "gz", subdirectory: "DigitsData") else {
            throw DatasetError.unreadable(file: "digits.csv.gz", reason: "the package resource is missing")
        }
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(url)
        } catch {
            throw DatasetError.unreadable(file: url.path, reason: error.reason)
        }
        return try parse(bytes, source: name)
    }

    /// Parses the (gzip-compressed or plain) CSV: rows of 64 pixel values 0–16 and a label 0–9.
    public static func parse(_ bytes: [UInt8], source: String) throws -> LabeledImages {
        let text: [UInt8]
        do {
            text = Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes) : bytes
        } catch {
            throw DatasetError.malformed(file: source, problem: error.problem)
        }
        var pixels: [Float] = []
        var labels: [Int] = []
        for (lineIndex, line) in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let row = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            if row.isEmpty { continue }
            let fields = row.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count == 65 else {
                throw DatasetError.malformed(file: source, problem: "line \(lineIndex + 1) has \(fields.count) fields, expected 64 pixels and a label")
            }
            for (column, field) in fields.enumerated() {
                let limit = column < 64 ? 16 : 9
                guard let value = Int(String(decoding: field, as: UTF8.self)), (0...limit).contains(value) else {
                    let what = column < 64 ? "pixel \(column + 1)" : "the label"
                    throw DatasetError.malformed(file: source,
                                                 problem: "line \(lineIndex + 1): \(what) '\(String(decoding: field, as: UTF8.self))' is not an integer in 0...\(limit)")
                }
                if column < 64 { pixels.append(Float(value) / 16) } else { labels.append(value) }
            }
        }
        return try LabeledImages(images: try Tensor(shape: [labels.count, 1, 8, 8], scalars: pixels), labels: labels,
                                 source: source)
    }
}
