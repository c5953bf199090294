import Foundation
import FoveaNN
import FoveaTensor

/// MNIST's IDX files, plain or gzip-compressed: a magic number `00 00 <type> <rank>`, one
/// big-endian 32-bit size per axis, then the values in row-major order, big-endian.
public enum IDX {
    /// An IDX file's element type and sizes.
    public struct Header: Equatable, Sendable {
        /// The type code: 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32,
        /// 0x0D float32, 0x0E float64.
        public let type: UInt8
        public let shape: [Int]
        /// Where the values begin.
        public let dataOffset: Int
    }

    /// Reads an images file (`N×H×W` or `N×C×H×W`) and a labels file (`N`) as a data set.
    /// Unsigned-byte pixels are scaled by 1/255 to [0, 1]; float pixels are kept as they are.
    public static func load(images: URL, labels: URL) throws -> LabeledImages {
        let imageBytes = try contents(of: images)
        let header = try parseHeader(imageBytes, file: images.path)
        guard header.shape.count == 3 || header.shape.count == 4 else {
            throw DatasetError.malformed(file: images.path, problem: "images have \(header.shape.count) axes \(header.shape), expected N×H×W or N×C×H×W")
        }
        let shape = header.shape.count == 3 ? [header.shape[0], 1] + header.shape.dropFirst() : header.shape
        let pixels: [Float]
        switch header.type {
        case 0x08: pixels = imageBytes[header.dataOffset...].map { Float($0) / 255 }
        case 0x0D: pixels = floats(imageBytes, from: header.dataOffset)
        default:
            throw DatasetError.malformed(file: images.path, problem: "image type 0x\(String(header.type, radix: 16)) is not supported (expected unsigned bytes 0x08 or float32 0x0D)")
        }
        let labelBytes = try contents(of: labels)
        let labelHeader = try parseHeader(labelBytes, file: labels.path)
        guard labelHeader.shape.count == 1 else {
            throw DatasetError.malformed(file: labels.path, problem: "labels have shape \(labelHeader.shape), expected one axis")
        }
        let values: [Int]
        switch labelHeader.type {
        case 0x08: values = labelBytes[labelHeader.dataOffset...].map(Int.init)
        case 0x0C: values = stride(from: labelHeader.dataOffset, to: labelBytes.count, by: 4).map { Int(Int32(bitPattern: bigEndian32(labelBytes, $0))) }
        default:
            throw DatasetError.malformed(file: labels.path, problem: "label type 0x\(String(labelHeader.type, radix: 16)) is not supported (expected unsigned bytes 0x08 or int32 0x0C)")
        }
        guard values.count == shape[0] else {
            throw DatasetError.mismatch(detail: "\(images.path) holds \(shape[0]) images but \(labels.path) holds \(values.count) labels")
        }
        return try LabeledImages(images: try Tensor(shape: shape, scalars: pixels), labels: values, source: labels.path)
    }

    /// Parses the magic number and sizes, and checks that the file holds exactly the values they declare.
    public static func parseHeader(_ bytes: [UInt8], file: String) throws -> Header {
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw DatasetError.malformed(file: file, problem: "not an IDX file (the magic number does not start with two zero bytes)")
        }
        let sizes: [UInt8: Int] = [0x08: 1, 0x09: 1, 0x0B: 2, 0x0C: 4, 0x0D: 4, 0x0E: 8]
        guard let itemSize = sizes[bytes[2]] else {
            throw DatasetError.malformed(file: file, problem: "unknown IDX type code 0x\(String(bytes[2], radix: 16))")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else { throw DatasetError.malformed(file: file, problem: "the IDX file declares no axes") }
        let dataOffset = 4 + 4 * rank
        guard bytes.count >= dataOffset else {
            throw DatasetError.malformed(file: file, problem: "the header declares \(rank) axes but the file ends after \(bytes.count) bytes")
        }
        let shape = (0..<rank).map { Int(bigEndian32(bytes, 4 + 4 * $0)) }
        let count: Int
        do {
            count = try Tensor.elementCount(of: shape)
        } catch {
            throw DatasetError.malformed(file: file, problem: "shape \(shape) has too many elements")
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow, needed == bytes.count - dataOffset else {
            throw DatasetError.malformed(file: file, problem: "shape \(shape) needs \(overflow ? "too many" : String(needed)) data bytes but the file holds \(bytes.count - dataOffset)")
        }
        return Header(type: bytes[2], shape: shape, dataOffset: dataOffset)
    }

    /// The file's bytes, decompressed if they are gzip data.
    static func contents(of url: URL) throws -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(url)
        } catch {
            throw DatasetError.unreadable(file: url.path, reason: error.reason)
        }
        guard Gzip.isCompressed(bytes) else { return bytes }
        do {
            return try Gzip.decompress(bytes)
        } catch {
            throw DatasetError.malformed(file: url.path, problem: "gzip: \(error.problem)")
        }
    }

    private static func bigEndian32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    private static func floats(_ bytes: [UInt8], from offset: Int) -> [Float] {
        stride(from: offset, to: bytes.count, by: 4).map { Float(bitPattern: bigEndian32(bytes, $0)) }
    }
}
