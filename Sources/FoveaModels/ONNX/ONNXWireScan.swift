/// A pre-pass over the protobuf wire format of an ONNX model, run before the full decode.
///
/// It checks that every field is well formed (tags, lengths within the bytes present, no
/// groups) and counts the messages of the schema in `onnx.proto`, so a small file that declares
/// millions of empty nodes or dimensions is refused before any of them is materialised.
struct ONNXWireScan {
    /// The messages of Fovea's ONNX schema that contain other messages.
    private enum Kind {
        case model, graph, node, attribute, tensor, valueInfo, type, typeTensor, shape, leaf

        /// The kind of the sub-message stored in field `number`, if it is one.
        func child(_ number: UInt64) -> Kind? {
            switch (self, number) {
            case (.model, 7): return .graph
            case (.model, 8): return .leaf                      // opset_import
            case (.graph, 1): return .node
            case (.graph, 5): return .tensor                    // initializer
            case (.graph, 11), (.graph, 12), (.graph, 13): return .valueInfo
            case (.node, 5): return .attribute
            case (.attribute, 5): return .tensor
            case (.tensor, 13): return .leaf                    // external_data entry
            case (.valueInfo, 2): return .type
            case (.type, 1): return .typeTensor
            case (.typeTensor, 2): return .shape
            case (.shape, 1): return .leaf                      // dimension
            default: return nil
            }
        }
    }

    /// Messages seen, including the model itself.
    private(set) var messages = 0
    private let limit: Int

    /// Scans `bytes` as a `ModelProto`.
    static func scan(_ bytes: UnsafeRawBufferPointer, messageLimit: Int = ONNXLimits.maxMessages) throws(ONNXError) -> Int {
        var scanner = ONNXWireScan(limit: messageLimit)
        try scanner.walk(bytes, from: 0, to: bytes.count, kind: .model)
        return scanner.messages
    }

    private init(limit: Int) { self.limit = limit }

    private mutating func walk(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, kind: Kind) throws(ONNXError) {
        messages += 1
        guard messages <= limit else {
            throw .limitExceeded(what: "protobuf messages in the file", count: messages, limit: limit)
        }
        var offset = start
        while offset < end {
            let tagOffset = offset
            let tag = try Self.varint(bytes, &offset, end: end)
            let number = tag >> 3
            guard number > 0, number < (1 << 29) else {
                throw .malformed("invalid field number \(number) at byte \(tagOffset)")
            }
            if kind.child(number) != nil, tag & 7 != 2 {
                throw .malformed("field \(number) at byte \(tagOffset) holds a message but has wire type \(tag & 7)")
            }
            switch tag & 7 {
            case 0: _ = try Self.varint(bytes, &offset, end: end)
            case 1: try Self.skip(8, &offset, end: end, at: tagOffset)
            case 5: try Self.skip(4, &offset, end: end, at: tagOffset)
            case 2:
                let length = try Self.varint(bytes, &offset, end: end)
                guard length <= UInt64(end - offset) else {
                    throw .malformed("field \(number) at byte \(tagOffset) declares \(length) bytes, only \(end - offset) remain")
                }
                let bodyEnd = offset + Int(length)
                if let child = kind.child(number) {
                    try walk(bytes, from: offset, to: bodyEnd, kind: child)
                }
                offset = bodyEnd
            default:
                throw .malformed("field \(number) at byte \(tagOffset) has unsupported wire type \(tag & 7)")
            }
        }
    }

    private static func skip(_ count: Int, _ offset: inout Int, end: Int, at tagOffset: Int) throws(ONNXError) {
        guard end - offset >= count else { throw .malformed("truncated fixed-size field at byte \(tagOffset)") }
        offset += count
    }

    private static func varint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int, end: Int) throws(ONNXError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while offset < end {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            guard shift < 64 else { throw .malformed("varint longer than 10 bytes at byte \(start)") }
        }
        throw .malformed("truncated varint at byte \(start)")
    }
}
