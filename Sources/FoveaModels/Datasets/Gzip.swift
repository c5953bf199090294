/// Reading gzip files (RFC 1952): one or more members, each a header, a DEFLATE stream, and a
/// CRC-32 and length that are checked.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The decompressed contents of a gzip file (all members, concatenated).
    /// - Throws: `CompressionError` for a bad header, a damaged stream, a CRC or length
    ///   mismatch, or more than `maximumOutput` bytes.
    public static func decompress(_ bytes: [UInt8], maximumOutput: Int = 1 << 30) throws(CompressionError) -> [UInt8] {
        var result: [UInt8] = []
        var position = 0
        repeat {
            let start = try skipHeader(bytes, at: position)
            let (member, end) = try Inflate.decode(bytes, from: start, maximumOutput: maximumOutput - result.count)
            guard end + 8 <= bytes.count else { throw CompressionError("gzip member ends without its CRC-32 and length") }
            let crc = littleEndian32(bytes, end)
            let size = littleEndian32(bytes, end + 4)
            guard crc == CRC32.checksum(member) else { throw CompressionError("gzip CRC-32 mismatch: the data is damaged") }
            guard size == UInt32(truncatingIfNeeded: member.count) else {
                throw CompressionError("gzip length field \(size) does not match the \(member.count) decompressed bytes")
            }
            result += member
            position = end + 8
        } while position < bytes.count && isCompressed(Array(bytes[position...].prefix(2)))
        guard position == bytes.count else {
            throw CompressionError("\(bytes.count - position) bytes of trailing garbage after the gzip data")
        }
        return result
    }

    /// The index of the DEFLATE stream after the member header at `start`.
    private static func skipHeader(_ bytes: [UInt8], at start: Int) throws(CompressionError) -> Int {
        guard bytes.count - start >= 10, isCompressed(Array(bytes[start..<(start + 2)])) else {
            throw CompressionError("not a gzip file (missing the 1f 8b signature)")
        }
        guard bytes[start + 2] == 8 else { throw CompressionError("unsupported gzip compression method \(bytes[start + 2])") }
        let flags = bytes[start + 3]
        guard flags & 0xE0 == 0 else { throw CompressionError("reserved gzip header flags are set") }
        var position = start + 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard position + 2 <= bytes.count else { throw CompressionError("truncated gzip header") }
            position += 2 + (Int(bytes[position]) | Int(bytes[position + 1]) << 8)
        }
        for flag in [UInt8(0x08), 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while position < bytes.count, bytes[position] != 0 { position += 1 }
            position += 1
        }
        if flags & 0x02 != 0 { position += 2 }  // FHCRC
        guard position <= bytes.count else { throw CompressionError("truncated gzip header") }
        return position
    }

    private static func littleEndian32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
    }
}

/// The CRC-32 of gzip and zlib (polynomial 0xEDB88320, reflected).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
