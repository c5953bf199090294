/// What is wrong with a compressed stream.
public struct CompressionError: Error, Equatable, CustomStringConvertible {
    public let problem: String

    public init(_ problem: String) {
        self.problem = problem
    }

    public var description: String { problem }
}

/// A decoder of DEFLATE streams (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks.
/// Every length, code and distance is checked, so damaged or hostile input throws instead of
/// trapping, and the output is capped.
public struct Inflate {
    private let input: [UInt8]
    private var position: Int
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    private var output: [UInt8] = []
    private let limit: Int

    /// Decodes one DEFLATE stream starting at byte `start` of `input`.
    /// - Returns: the decoded bytes and the index of the first byte after the stream.
    /// - Throws: `CompressionError` for a malformed or truncated stream, or more than
    ///   `maximumOutput` bytes of output.
    public static func decode(_ input: [UInt8], from start: Int = 0,
                              maximumOutput: Int = 1 << 30) throws(CompressionError) -> (bytes: [UInt8], end: Int) {
        var inflate = Inflate(input: input, position: start, limit: maximumOutput)
        try inflate.run()
        return (inflate.output, inflate.position - inflate.bitCount / 8)
    }

    private init(input: [UInt8], position: Int, limit: Int) {
        self.input = input
        self.position = position
        self.limit = limit
    }

    private mutating func run() throws(CompressionError) {
        var final = false
        while !final {
            final = try bits(1) == 1
            switch try bits(2) {
            case 0: try storedBlock()
            case 1: try huffmanBlock(Self.fixedLiterals, Self.fixedDistances)
            case 2:
                let (literals, distances) = try dynamicTables()
                try huffmanBlock(literals, distances)
            default: throw CompressionError("invalid deflate block type 3")
            }
        }
    }

    // MARK: Bits

    /// Makes at least `count` bits available, or as many as the input still holds.
    private mutating func fill(_ count: Int) {
        while bitCount < count, position < input.count {
            bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    private mutating func bits(_ count: Int) throws(CompressionError) -> Int {
        fill(count)
        guard bitCount >= count else { throw CompressionError("truncated deflate stream") }
        let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    private mutating func decodeSymbol(_ table: HuffmanTable) throws(CompressionError) -> Int {
        fill(table.maximumLength)
        let entry = table.entries[Int(bitBuffer & UInt64(table.entries.count - 1))]
        let length = Int(entry & 0xF)
        guard length > 0 else { throw CompressionError("invalid Huffman code") }
        guard length <= bitCount else { throw CompressionError("truncated deflate stream") }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 4)
    }

    // MARK: Blocks

    private mutating func storedBlock() throws(CompressionError) {
        bitBuffer >>= UInt64(bitCount % 8)
        bitCount -= bitCount % 8
        let length = try bits(16)
        let complement = try bits(16)
        guard length == complement ^ 0xFFFF else { throw CompressionError("stored block length \(length) does not match its complement") }
        // Whole bytes may still sit in the bit buffer; take those first.
        var remaining = length
        while remaining > 0, bitCount >= 8 {
            try append(UInt8(try bits(8)))
            remaining -= 1
        }
        guard remaining <= input.count - position else { throw CompressionError("truncated stored block") }
        guard output.count + remaining <= limit else { throw tooLarge }
        output += input[position..<(position + remaining)]
        position += remaining
    }

    private mutating func huffmanBlock(_ literals: HuffmanTable, _ distances: HuffmanTable) throws(CompressionError) {
        while true {
            let symbol = try decodeSymbol(literals)
            if symbol < 256 {
                try append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let index = symbol - 257
            guard index < Self.lengthBase.count else { throw CompressionError("invalid length symbol \(symbol)") }
            let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
            let distanceSymbol = try decodeSymbol(distances)
            guard distanceSymbol < Self.distanceBase.count else { throw CompressionError("invalid distance symbol \(distanceSymbol)") }
            let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
            guard distance <= output.count else {
                throw CompressionError("distance \(distance) reaches before the start of the output")
            }
            guard output.count + length <= limit else { throw tooLarge }
            let start = output.count - distance
            for k in 0..<length { output.append(output[start + k]) }
        }
    }

    private mutating func dynamicTables() throws(CompressionError) -> (HuffmanTable, HuffmanTable) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw CompressionError("dynamic block declares \(literalCount) literal and \(distanceCount) distance codes")
        }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for k in 0..<codeLengthCount { codeLengthLengths[Self.codeLengthOrder[k]] = try bits(3) }
        let codeLengths = try HuffmanTable(lengths: codeLengthLengths)
        var lengths: [Int] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try decodeSymbol(codeLengths)
            let (value, repeats): (Int, Int)
            switch symbol {
            case 0...15: (value, repeats) = (symbol, 1)
            case 16:
                guard let previous = lengths.last else { throw CompressionError("length repeat with no previous length") }
                (value, repeats) = (previous, 3 + (try bits(2)))
            case 17: (value, repeats) = (0, 3 + (try bits(3)))
            default: (value, repeats) = (0, 11 + (try bits(7)))
            }
            guard lengths.count + repeats <= literalCount + distanceCount else {
                throw CompressionError("code lengths overrun the declared count")
            }
            lengths += repeatElement(value, count: repeats)
        }
        guard lengths[256] > 0 else { throw CompressionError("dynamic block has no end-of-block code") }
        return (try HuffmanTable(lengths: Array(lengths[..<literalCount])),
                try HuffmanTable(lengths: Array(lengths[literalCount...])))
    }

    private mutating func append(_ byte: UInt8) throws(CompressionError) {
        guard output.count < limit else { throw tooLarge }
        output.append(byte)
    }

    private var tooLarge: CompressionError { CompressionError("decompresses to more than \(limit) bytes") }

    // MARK: Tables (RFC 1951 section 3.2.5)

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                                     131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                       2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
                                        13, 13]
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    // Constant tables: building them cannot fail.
    private static let fixedLiterals = try! HuffmanTable(
        lengths: Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112) + Array(repeating: 7, count: 24)
            + Array(repeating: 8, count: 8))
    private static let fixedDistances = try! HuffmanTable(lengths: Array(repeating: 5, count: 30))
}

/// A canonical Huffman code as a lookup table indexed by the next `maximumLength` input bits
/// (least significant first); each entry holds `symbol << 4 | length`, 0 for an unused code.
struct HuffmanTable: Sendable {
    let entries: [UInt32]
    let maximumLength: Int

    /// Builds the code of RFC 1951 section 3.2.2 from per-symbol code lengths (0: unused).
    /// - Throws: for an over-subscribed code or lengths above 15. Incomplete codes are allowed;
    ///   their unused entries reject the input that reaches them.
    init(lengths: [Int]) throws(CompressionError) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths {
            guard (0...15).contains(length) else { throw CompressionError("code length \(length) above 15") }
            counts[length] += 1
        }
        counts[0] = 0
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            guard left >= 0 else { throw CompressionError("over-subscribed Huffman code") }
        }
        let maximumLength = max(1, counts.lastIndex { $0 > 0 } ?? 1)
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            next[length] = code
        }
        var entries = [UInt32](repeating: 0, count: 1 << maximumLength)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let code = next[length]
            next[length] += 1
            var reversed = 0
            for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            for index in stride(from: reversed, to: entries.count, by: 1 << length) {
                entries[index] = UInt32(symbol << 4 | length)
            }
        }
        self.entries = entries
        self.maximumLength = maximumLength
    }
}
