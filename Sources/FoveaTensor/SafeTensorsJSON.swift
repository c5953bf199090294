/// A JSON value as the safetensors header uses it. Numbers keep their text so that integers of
/// any size are checked exactly instead of passing through `Double`.
enum SafeTensorsJSON {
    case object([(key: String, value: SafeTensorsJSON)])
    case array([SafeTensorsJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// A short name of the value's kind, for messages.
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value as written, for messages: numbers and strings as text, other values by kind.
    var text: String {
        switch self {
        case .number(let text): text
        case .string(let text): SafeTensorsJSON.quoted(text)
        default: kind
        }
    }

    /// The value as a non-negative integer that fits in `Int`, or nil.
    var nonNegativeInt: Int? {
        guard case .number(let text) = self, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return Int(text)
    }

    /// Parses one JSON document (RFC 8259) from UTF-8 bytes; duplicate object keys are an error.
    /// Nesting is limited to `maximumDepth` so hostile input cannot exhaust the stack.
    static func parse(_ bytes: ArraySlice<UInt8>, maximumDepth: Int = 32) throws(JSONProblem) -> SafeTensorsJSON {
        var parser = Parser(bytes: bytes, position: bytes.startIndex, maximumDepth: maximumDepth)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.endIndex else { throw parser.problem("unexpected text after the JSON value") }
        return value
    }

    /// What is wrong with a JSON text, and where.
    struct JSONProblem: Error, Equatable {
        let message: String
        let offset: Int
    }

    private struct Parser {
        let bytes: ArraySlice<UInt8>
        var position: Int
        let maximumDepth: Int

        func problem(_ message: String) -> JSONProblem {
            JSONProblem(message: message, offset: position - bytes.startIndex)
        }

        mutating func skipWhitespace() {
            while position < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func value(depth: Int) throws(JSONProblem) -> SafeTensorsJSON {
            guard depth < maximumDepth else { throw problem("nesting deeper than \(maximumDepth) levels") }
            skipWhitespace()
            guard position < bytes.endIndex else { throw problem("unexpected end of the header") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw problem("unexpected character '\(Unicode.Scalar(bytes[position]))'")
            }
        }

        mutating func literal(_ word: String) throws(JSONProblem) {
            for expected in word.utf8 {
                guard position < bytes.endIndex, bytes[position] == expected else { throw problem("invalid literal") }
                position += 1
            }
        }

        mutating func object(depth: Int) throws(JSONProblem) -> SafeTensorsJSON {
            position += 1
            var members: [(key: String, value: SafeTensorsJSON)] = []
            var keys = Set<String>()
            skipWhitespace()
            if position < bytes.endIndex, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.endIndex, bytes[position] == UInt8(ascii: "\"") else {
                    throw problem("expected a quoted key")
                }
                let key = try string()
                guard keys.insert(key).inserted else { throw problem("duplicate key \"\(key)\"") }
                skipWhitespace()
                guard position < bytes.endIndex, bytes[position] == UInt8(ascii: ":") else { throw problem("expected ':'") }
                position += 1
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                guard position < bytes.endIndex else { throw problem("unterminated object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                guard bytes[position] == UInt8(ascii: "}") else { throw problem("expected ',' or '}'") }
                position += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws(JSONProblem) -> SafeTensorsJSON {
            position += 1
            var elements: [SafeTensorsJSON] = []
            skipWhitespace()
            if position < bytes.endIndex, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard position < bytes.endIndex else { throw problem("unterminated array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                guard bytes[position] == UInt8(ascii: "]") else { throw problem("expected ',' or ']'") }
                position += 1
                return .array(elements)
            }
        }

        mutating func number() throws(JSONProblem) -> String {
            let start = position
            func digits(_ p: inout Int, _ bytes: ArraySlice<UInt8>) -> Int {
                let first = p
                while p < bytes.endIndex, bytes[p] >= 0x30, bytes[p] <= 0x39 { p += 1 }
                return p - first
            }
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            let leadingZero = position < bytes.endIndex && bytes[position] == UInt8(ascii: "0")
            let integerDigits = digits(&position, bytes)
            guard integerDigits > 0, !(leadingZero && integerDigits > 1) else { throw problem("invalid number") }
            if position < bytes.endIndex, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits(&position, bytes) > 0 else { throw problem("invalid number") }
            }
            if position < bytes.endIndex, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < bytes.endIndex, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard digits(&position, bytes) > 0 else { throw problem("invalid number") }
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func string() throws(JSONProblem) -> String {
            position += 1
            var scalars = String.UnicodeScalarView()
            var pendingRun = position
            func flush(_ end: Int, _ bytes: ArraySlice<UInt8>, into scalars: inout String.UnicodeScalarView) throws(JSONProblem) {
                guard end > pendingRun else { return }
                guard let text = String(validating: bytes[pendingRun..<end], as: UTF8.self) else {
                    throw JSONProblem(message: "string is not valid UTF-8", offset: pendingRun - bytes.startIndex)
                }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while position < bytes.endIndex {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    try flush(position, bytes, into: &scalars)
                    position += 1
                    return String(scalars)
                }
                guard byte >= 0x20 else { throw problem("control character in a string") }
                if byte != UInt8(ascii: "\\") {
                    position += 1
                    continue
                }
                try flush(position, bytes, into: &scalars)
                position += 1
                guard position < bytes.endIndex else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard position + 1 < bytes.endIndex, bytes[position] == UInt8(ascii: "\\"),
                              bytes[position + 1] == UInt8(ascii: "u") else { throw problem("unpaired surrogate") }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw problem("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw problem("unpaired surrogate") }
                    scalars.append(scalar)
                default:
                    throw problem("invalid escape")
                }
                pendingRun = position
            }
            throw problem("unterminated string")
        }

        mutating func hex4() throws(JSONProblem) -> UInt32 {
            guard position + 4 <= bytes.endIndex else { throw problem("truncated \\u escape") }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[position]
                let digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
                default: throw problem("invalid \\u escape")
                }
                code = code << 4 | digit
                position += 1
            }
            return code
        }
    }

    /// The JSON text of a string, with quotes and escapes.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
