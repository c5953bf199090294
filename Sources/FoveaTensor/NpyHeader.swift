/// The parsed header of a `.npy` file: element type, memory order and shape.
struct NpyHeader: Equatable {
    /// The element kind: `f` float, `i` signed integer, `u` unsigned integer, or another code.
    var kind: Character
    /// Bytes per element.
    var itemSize: Int
    /// Whether multi-byte elements are stored big-endian.
    var bigEndian: Bool
    /// The dtype string as written in the file, for messages.
    var dtype: String
    var fortranOrder: Bool
    var shape: [Int]
    /// The byte offset of the data section.
    var dataOffset: Int

    /// The largest header `.npy` readers are expected to produce; anything bigger is rejected
    /// before it is decoded.
    static let maximumHeaderLength = 1 << 20
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Parses the preamble and header dictionary at the start of `bytes`.
    static func parse(_ bytes: [UInt8], file: String) throws(NpyError) -> NpyHeader {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw .malformedHeader(file: file, problem: "missing the \\x93NUMPY magic string")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else {
                throw .malformedHeader(file: file, problem: "truncated preamble")
            }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw .malformedHeader(file: file, problem: "unsupported format version \(major).\(bytes[7])")
        }
        guard headerLength <= maximumHeaderLength else {
            throw .malformedHeader(file: file, problem: "header length \(headerLength) is implausibly large")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw .malformedHeader(
                file: file,
                problem: "header declares \(headerLength) bytes but the file ends after \(bytes.count - headerStart)")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        // Version 3 headers are UTF-8; versions 1 and 2 are Latin-1, whose bytes map 1:1 to scalars.
        let text: String
        if major == 3 {
            guard let decoded = String(validating: headerBytes, as: UTF8.self) else {
                throw .malformedHeader(file: file, problem: "header is not valid UTF-8")
            }
            text = decoded
        } else {
            text = String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        }
        var parser = LiteralParser(scalars: Array(text.unicodeScalars), file: file)
        let dictionary = try parser.parseHeaderDictionary()
        return try make(from: dictionary, dataOffset: headerStart + headerLength, file: file)
    }

    private static func make(from dict: [String: LiteralParser.Value], dataOffset: Int,
                             file: String) throws(NpyError) -> NpyHeader {
        guard case .string(let descr)? = dict["descr"] else {
            if dict["descr"] != nil {
                throw .unsupportedDType(file: file, dtype: "structured", expected: "a plain numeric dtype")
            }
            throw .malformedHeader(file: file, problem: "header has no 'descr' entry")
        }
        guard case .bool(let fortran)? = dict["fortran_order"] else {
            throw .malformedHeader(file: file, problem: "header has no boolean 'fortran_order' entry")
        }
        guard case .tuple(let dims)? = dict["shape"] else {
            throw .malformedHeader(file: file, problem: "header has no tuple 'shape' entry")
        }
        var shape: [Int] = []
        for dim in dims {
            guard case .integer(let d) = dim else {
                throw .invalidShape(file: file, problem: "dimension is not an integer")
            }
            guard d >= 0 else {
                throw .invalidShape(file: file, problem: "negative dimension \(d)")
            }
            shape.append(d)
        }
        var chars = Array(descr)
        var bigEndian = false
        if let first = chars.first, "<>|=".contains(first) {
            bigEndian = first == ">"
            chars.removeFirst()
        }
        guard let kind = chars.first, let size = Int(String(chars.dropFirst())), size > 0 else {
            throw .unsupportedDType(file: file, dtype: descr, expected: "a plain numeric dtype")
        }
        return NpyHeader(kind: kind, itemSize: size, bigEndian: bigEndian, dtype: descr,
                         fortranOrder: fortran, shape: shape, dataOffset: dataOffset)
    }
}

/// A parser for the Python literal dictionary of a `.npy` header.
private struct LiteralParser {
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case none
        case tuple([Value])
        case list([Value])
    }

    let scalars: [Unicode.Scalar]
    let file: String
    var position = 0

    init(scalars: [Unicode.Scalar], file: String) {
        self.scalars = scalars
        self.file = file
    }

    mutating func parseHeaderDictionary() throws(NpyError) -> [String: Value] {
        skipSpace()
        try expect("{")
        var result: [String: Value] = [:]
        while true {
            skipSpace()
            if peek() == "}" { position += 1; break }
            guard case .string(let key) = try parseValue() else {
                throw fail("dictionary key is not a string")
            }
            skipSpace()
            try expect(":")
            result[key] = try parseValue()
            skipSpace()
            if peek() == "," { position += 1; continue }
            skipSpace()
            try expect("}")
            break
        }
        skipSpace()
        guard position == scalars.count else { throw fail("unexpected text after the dictionary") }
        return result
    }

    private mutating func parseValue() throws(NpyError) -> Value {
        skipSpace()
        guard let c = peek() else { throw fail("header ends in the middle of a value") }
        switch c {
        case "'", "\"":
            return .string(try parseString(quote: c))
        case "(", "[":
            position += 1
            let close: Unicode.Scalar = c == "(" ? ")" : "]"
            var items: [Value] = []
            while true {
                skipSpace()
                if peek() == close { position += 1; break }
                items.append(try parseValue())
                skipSpace()
                if peek() == "," { position += 1; continue }
                skipSpace()
                try expect(close)
                break
            }
            return c == "(" ? .tuple(items) : .list(items)
        case "-", "0"..."9":
            return .integer(try parseInteger())
        default:
            var word = ""
            while let s = peek(), s.properties.isAlphabetic { word.unicodeScalars.append(s); position += 1 }
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default: throw fail("unexpected token '\(word.isEmpty ? String(c) : word)'")
            }
        }
    }

    private mutating func parseString(quote: Unicode.Scalar) throws(NpyError) -> String {
        position += 1
        var text = ""
        while let s = peek() {
            position += 1
            if s == quote { return text }
            text.unicodeScalars.append(s)
        }
        throw fail("unterminated string")
    }

    private mutating func parseInteger() throws(NpyError) -> Int {
        var digits = ""
        if peek() == "-" { digits = "-"; position += 1 }
        while let s = peek(), ("0"..."9").contains(s) { digits.unicodeScalars.append(s); position += 1 }
        if peek() == "L" { position += 1 }  // Python 2 long suffix
        guard let value = Int(digits) else {
            throw NpyError.invalidShape(file: file, problem: "dimension '\(digits)' is not a representable integer")
        }
        return value
    }

    private func peek() -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipSpace() {
        while let s = peek(), s.properties.isWhitespace { position += 1 }
    }

    private mutating func expect(_ s: Unicode.Scalar) throws(NpyError) {
        guard peek() == s else { throw fail("expected '\(s)' at header offset \(position)") }
        position += 1
    }

    private func fail(_ problem: String) -> NpyError {
        .malformedHeader(file: file, problem: problem)
    }
}
