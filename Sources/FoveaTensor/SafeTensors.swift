import Foundation

/// A tensor with its name, as stored in a `.safetensors` file.
public struct NamedTensor: Sendable, Equatable {
    public var name: String
    public var tensor: Tensor

    public init(_ name: String, _ tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }
}

/// The contents of a `.safetensors` file: named tensors in file order and string metadata.
public struct SafeTensorsContents: Sendable, Equatable {
    public var tensors: [NamedTensor]
    /// The `__metadata__` map (empty when the file has none).
    public var metadata: [String: String]

    public init(tensors: [NamedTensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor with this name.
    public subscript(name: String) -> Tensor? {
        tensors.first { $0.name == name }?.tensor
    }
}

/// Reading and writing the safetensors format (as in the Hugging Face `safetensors` package):
/// an unsigned 64-bit little-endian header length, a JSON header mapping each tensor name to its
/// `dtype`, `shape` and `data_offsets` (plus an optional `__metadata__` map of strings), then the
/// little-endian tensor data.
///
/// Writing produces `F32` tensors laid out back to back in the given order, with the header padded
/// by spaces to a multiple of 8 bytes. Reading accepts `F32` and `F64` (converted to `Float`) and
/// checks everything the header claims before using it: the length, the JSON (no duplicate keys),
/// each shape, and that the offsets cover the data section exactly, without overlaps or holes.
public enum SafeTensors {
    /// The largest header accepted (the reference implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    /// Reads a `.safetensors` file.
    public static func read(from url: URL) throws(SafeTensorsError) -> SafeTensorsContents {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(url)
        } catch {
            throw .unreadable(file: url.path, reason: error.reason)
        }
        return try decode(bytes, source: url.path)
    }

    /// Writes `contents` as a `.safetensors` file, atomically.
    public static func write(_ contents: SafeTensorsContents, to url: URL) throws(FileError) {
        try AtomicFile.write(encode(contents), to: url)
    }

    /// The bytes of a `.safetensors` file holding `contents` as `F32` tensors.
    public static func encode(_ contents: SafeTensorsContents) -> [UInt8] {
        var entries: [String] = []
        if !contents.metadata.isEmpty {
            let pairs = contents.metadata.sorted { $0.key < $1.key }
                .map { "\(SafeTensorsJSON.quoted($0.key)):\(SafeTensorsJSON.quoted($0.value))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for entry in contents.tensors {
            let end = offset + 4 * entry.tensor.count
            let shape = entry.tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(SafeTensorsJSON.quoted(entry.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        let length = UInt64(header.count)
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(k)))) }
        bytes += header
        for entry in contents.tensors {
            for value in entry.tensor.scalars {
                let bits = value.bitPattern
                bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                          UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
            }
        }
        return bytes
    }

    /// Decodes the bytes of a `.safetensors` file; `source` names the file in errors.
    public static func decode(_ bytes: [UInt8], source: String) throws(SafeTensorsError) -> SafeTensorsContents {
        guard bytes.count >= 8 else { throw .headerLength(file: source, declared: nil, available: bytes.count) }
        var declared: UInt64 = 0
        for k in (0..<8).reversed() { declared = declared << 8 | UInt64(bytes[k]) }
        guard declared <= UInt64(bytes.count - 8) else {
            throw .headerLength(file: source, declared: declared, available: bytes.count - 8)
        }
        let headerLength = Int(declared)
        guard headerLength <= maximumHeaderLength else {
            throw .invalidHeader(file: source, problem: "\(headerLength) bytes is larger than the limit of \(maximumHeaderLength)")
        }
        guard headerLength > 0, bytes[8] == UInt8(ascii: "{") else {
            throw .invalidHeader(file: source, problem: "does not start with '{'")
        }
        let root: SafeTensorsJSON
        do {
            root = try SafeTensorsJSON.parse(bytes[8..<(8 + headerLength)])
        } catch {
            throw .invalidHeader(file: source, problem: "\(error.message) at byte \(error.offset)")
        }
        guard case .object(let members) = root else {
            throw .invalidHeader(file: source, problem: "the header is \(root.kind), not an object")
        }
        let dataStart = 8 + headerLength
        let dataCount = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var layout: [(name: String, shape: [Int], itemSize: Int, begin: Int, end: Int)] = []
        for (name, value) in members {
            if name == "__metadata__" {
                metadata = try decodeMetadata(value, source: source)
                continue
            }
            guard case .object(let fields) = value else {
                throw .invalidHeader(file: source, problem: "tensor '\(name)' is \(value.kind), not an object")
            }
            func field(_ key: String) throws(SafeTensorsError) -> SafeTensorsJSON {
                guard let found = fields.first(where: { $0.key == key }) else {
                    throw .invalidHeader(file: source, problem: "tensor '\(name)' has no '\(key)'")
                }
                return found.value
            }
            guard case .string(let dtype) = try field("dtype") else {
                throw .invalidHeader(file: source, problem: "tensor '\(name)': 'dtype' is not a string")
            }
            let itemSize: Int
            switch dtype {
            case "F32": itemSize = 4
            case "F64": itemSize = 8
            default: throw .unsupportedDType(file: source, tensor: name, dtype: dtype)
            }
            guard case .array(let dims) = try field("shape") else {
                throw .invalidShape(file: source, tensor: name, problem: "'shape' is not an array")
            }
            var shape: [Int] = []
            for dim in dims {
                guard let size = dim.nonNegativeInt else {
                    throw .invalidShape(file: source, tensor: name, problem: "dimension \(dim.text) is not a non-negative integer")
                }
                shape.append(size)
            }
            guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
                  let begin = offsets[0].nonNegativeInt, let end = offsets[1].nonNegativeInt else {
                throw .invalidOffsets(file: source, tensor: name, problem: "expected two non-negative integers [begin, end]")
            }
            guard begin <= end, end <= dataCount else {
                throw .invalidOffsets(file: source, tensor: name,
                                      problem: "[\(begin), \(end)] is outside the \(dataCount)-byte data section")
            }
            let count: Int
            do {
                count = try Tensor.elementCount(of: shape)
            } catch {
                throw .invalidShape(file: source, tensor: name, problem: "\(shape) has too many elements")
            }
            let (needed, overflow) = count.multipliedReportingOverflow(by: itemSize)
            guard !overflow, needed == end - begin else {
                throw .invalidOffsets(file: source, tensor: name,
                                      problem: "[\(begin), \(end)] holds \(end - begin) bytes but \(dtype) \(shape) needs \(overflow ? "too many" : String(needed))")
            }
            layout.append((name, shape, itemSize, begin, end))
        }
        layout.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for entry in layout {
            guard entry.begin == covered else {
                let problem = entry.begin < covered
                    ? "[\(entry.begin), \(entry.end)] overlaps the tensor that ends at \(covered)"
                    : "bytes \(covered)..<\(entry.begin) before it belong to no tensor"
                throw .invalidOffsets(file: source, tensor: entry.name, problem: problem)
            }
            covered = entry.end
        }
        guard covered == dataCount else {
            throw .invalidOffsets(file: source, tensor: layout.last?.name ?? "(none)",
                                  problem: "the tensors end at byte \(covered) but the data section holds \(dataCount) bytes")
        }
        var tensors: [NamedTensor] = []
        tensors.reserveCapacity(layout.count)
        for entry in layout {
            let base = dataStart + entry.begin
            let count = (entry.end - entry.begin) / entry.itemSize
            var values = [Float](repeating: 0, count: count)
            if entry.itemSize == 4 {
                for i in 0..<count { values[i] = Float(bitPattern: UInt32(truncatingIfNeeded: load(bytes, base + 4 * i, 4))) }
            } else {
                for i in 0..<count { values[i] = Float(Double(bitPattern: load(bytes, base + 8 * i, 8))) }
            }
            do {
                tensors.append(NamedTensor(entry.name, try Tensor(shape: entry.shape, scalars: values)))
            } catch {
                throw .invalidShape(file: source, tensor: entry.name, problem: "\(error)")
            }
        }
        return SafeTensorsContents(tensors: tensors, metadata: metadata)
    }

    private static func decodeMetadata(_ value: SafeTensorsJSON, source: String) throws(SafeTensorsError) -> [String: String] {
        guard case .object(let pairs) = value else {
            throw .invalidHeader(file: source, problem: "'__metadata__' is \(value.kind), not an object")
        }
        var metadata: [String: String] = [:]
        for (key, entry) in pairs {
            guard case .string(let text) = entry else {
                throw .invalidHeader(file: source, problem: "'__metadata__' entry '\(key)' is \(entry.kind), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// The little-endian unsigned integer of `size` bytes at `offset`.
    private static func load(_ bytes: [UInt8], _ offset: Int, _ size: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in stride(from: size - 1, through: 0, by: -1) { value = value << 8 | UInt64(bytes[offset + k]) }
        return value
    }
}
