import Foundation

/// Reading and writing NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// Floats (`f4`, `f8`, either byte order, C or Fortran order) read as a C-order `Float` tensor;
/// integers (`i1`–`i8`, `u1`–`u8`) read as labels. Writing produces `<f4` in C order, version 1.0
/// (2.0 when the header would not fit). The declared size is checked against the file's length
/// before anything is allocated for the data.
public enum Npy {
    /// Reads a float32 or float64 `.npy` file as a `Float` tensor in C order.
    public static func readTensor(from url: URL) throws(NpyError) -> Tensor {
        try decodeTensor(try readBytes(url), source: url.path)
    }

    /// Reads an integer `.npy` file (e.g. class labels) as `Int` values in C order and its shape.
    public static func readLabels(from url: URL) throws(NpyError) -> (labels: [Int], shape: [Int]) {
        try decodeLabels(try readBytes(url), source: url.path)
    }

    /// Writes `tensor` as a little-endian float32 `.npy` file, atomically.
    public static func write(_ tensor: Tensor, to url: URL) throws(FileError) {
        try AtomicFile.write(encode(tensor), to: url)
    }

    /// Decodes the bytes of a float `.npy` file; `source` names the file in errors.
    public static func decodeTensor(_ bytes: [UInt8], source: String) throws(NpyError) -> Tensor {
        let header = try NpyHeader.parse(bytes, file: source)
        guard header.kind == "f", header.itemSize == 4 || header.itemSize == 8 else {
            throw .unsupportedDType(file: source, dtype: header.dtype, expected: "float32 or float64")
        }
        let count = try checkedCount(header, bytes: bytes, file: source)
        var values = [Float](repeating: 0, count: count)
        let base = header.dataOffset
        if header.itemSize == 4 {
            for i in 0..<count {
                let bits = UInt32(truncatingIfNeeded: load(bytes, at: base + 4 * i, size: 4, bigEndian: header.bigEndian))
                values[i] = Float(bitPattern: bits)
            }
        } else {
            for i in 0..<count {
                values[i] = Float(Double(bitPattern: load(bytes, at: base + 8 * i, size: 8, bigEndian: header.bigEndian)))
            }
        }
        if header.fortranOrder { values = fortranToC(values, shape: header.shape) }
        do {
            return try Tensor(shape: header.shape, scalars: values)
        } catch {
            throw .invalidShape(file: source, problem: "\(error)")
        }
    }

    /// Decodes the bytes of an integer `.npy` file; `source` names the file in errors.
    public static func decodeLabels(_ bytes: [UInt8], source: String) throws(NpyError) -> (labels: [Int], shape: [Int]) {
        let header = try NpyHeader.parse(bytes, file: source)
        guard header.kind == "i" || header.kind == "u", [1, 2, 4, 8].contains(header.itemSize) else {
            throw .unsupportedDType(file: source, dtype: header.dtype, expected: "int32 or int64")
        }
        let count = try checkedCount(header, bytes: bytes, file: source)
        let size = header.itemSize
        let signBit = UInt64(1) << UInt64(8 * size - 1)
        var labels = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let raw = load(bytes, at: header.dataOffset + size * i, size: size, bigEndian: header.bigEndian)
            if header.kind == "u" {
                guard raw <= UInt64(Int.max) else {
                    throw .valueOutOfRange(file: source, problem: "label \(raw) at index \(i) does not fit in Int")
                }
                labels[i] = Int(raw)
            } else if size == 8 {
                labels[i] = Int(Int64(bitPattern: raw))
            } else {
                // Sign-extend a narrower two's-complement value.
                labels[i] = raw & signBit != 0 ? Int(raw) - Int(signBit << 1) : Int(raw)
            }
        }
        if header.fortranOrder { labels = fortranToC(labels, shape: header.shape) }
        return (labels, header.shape)
    }

    /// Encodes `tensor` as the bytes of a `<f4`, C-order `.npy` file.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let dims = tensor.shape.map(String.init)
        let shapeText = dims.count == 1 ? "(\(dims[0]),)" : "(\(dims.joined(separator: ", ")))"
        var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        // The preamble plus header is padded with spaces to a multiple of 64 and ends in '\n'.
        let version1 = header.count + 11 <= 65535
        let preamble = version1 ? 10 : 12
        let padding = (64 - (preamble + header.count + 1) % 64) % 64
        header += [UInt8](repeating: 0x20, count: padding) + [0x0A]
        var bytes = NpyHeader.magic + [version1 ? 1 : 2, 0]
        let length = header.count
        bytes += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF)]
        if !version1 { bytes += [UInt8((length >> 16) & 0xFF), UInt8((length >> 24) & 0xFF)] }
        bytes += header
        bytes.reserveCapacity(bytes.count + 4 * tensor.count)
        for value in tensor.scalars {
            let bits = value.bitPattern
            bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
        }
        return bytes
    }

    /// The element count of `header`, after checking that the data section holds exactly
    /// `count · itemSize` bytes.
    private static func checkedCount(_ header: NpyHeader, bytes: [UInt8], file: String) throws(NpyError) -> Int {
        let count: Int
        do {
            count = try Tensor.elementCount(of: header.shape)
        } catch {
            throw .invalidShape(file: file, problem: "shape \(header.shape) has too many elements")
        }
        let available = bytes.count - header.dataOffset
        let (needed, overflow) = count.multipliedReportingOverflow(by: header.itemSize)
        guard !overflow else {
            throw .invalidShape(file: file, problem: "shape \(header.shape) has too many elements")
        }
        guard needed == available else {
            throw .sizeMismatch(file: file, expectedBytes: needed, actualBytes: available)
        }
        return count
    }

    /// Assembles an unsigned integer from `size` bytes at `offset`.
    @inline(__always)
    private static func load(_ bytes: [UInt8], at offset: Int, size: Int, bigEndian: Bool) -> UInt64 {
        var value: UInt64 = 0
        if bigEndian {
            for k in 0..<size { value = value << 8 | UInt64(bytes[offset + k]) }
        } else {
            for k in stride(from: size - 1, through: 0, by: -1) { value = value << 8 | UInt64(bytes[offset + k]) }
        }
        return value
    }

    /// Reorders elements stored in Fortran (column-major) order into C (row-major) order.
    private static func fortranToC<T>(_ source: [T], shape: [Int]) -> [T] {
        guard shape.count > 1, !source.isEmpty else { return source }
        var fortranStrides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { fortranStrides[axis] = fortranStrides[axis - 1] * shape[axis - 1] }
        var result: [T] = []
        result.reserveCapacity(source.count)
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for _ in 0..<source.count {
            result.append(source[offset])
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += fortranStrides[axis]
                if index[axis] < shape[axis] { break }
                offset -= shape[axis] * fortranStrides[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    private static func readBytes(_ url: URL) throws(NpyError) -> [UInt8] {
        do {
            return try AtomicFile.read(url)
        } catch {
            throw .unreadable(file: url.path, reason: error.reason)
        }
    }
}
