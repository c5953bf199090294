import Foundation

/// The values of a small constant tensor, as integers or as floating-point numbers.
enum ConstantValues: Equatable {
    case ints([Int])
    case floats([Double])

    var count: Int {
        switch self {
        case .ints(let v): return v.count
        case .floats(let v): return v.count
        }
    }

    /// The values as integers (floats truncated toward zero; `nil` if one is not finite or too large).
    var asInts: [Int]? {
        switch self {
        case .ints(let v): return v
        case .floats(let v):
            var out: [Int] = []
            out.reserveCapacity(v.count)
            for x in v {
                guard x.isFinite, abs(x) < 9.0e18 else { return nil }
                out.append(Int(x.rounded(.towardZero)))
            }
            return out
        }
    }

    var asDoubles: [Double] {
        switch self {
        case .ints(let v): return v.map(Double.init)
        case .floats(let v): return v
        }
    }
}

/// A tensor whose value does not depend on the graph input: an initializer, a `Constant`, or
/// shape arithmetic on them. Its shape and values are known when they could be read or computed.
struct ConstantTensor {
    /// The shape, when known.
    var shape: [Int]?
    /// The values in row-major order, when known and small.
    var values: ConstantValues?
    /// Why the values are unknown (external data, too large, undecodable), for error messages.
    var missingReason: String?

    init(shape: [Int]?, values: ConstantValues? = nil, missingReason: String? = nil) {
        self.shape = shape
        self.values = values
        self.missingReason = values == nil ? (missingReason ?? "not computable") : nil
    }

    static func scalar(_ v: Int) -> ConstantTensor { ConstantTensor(shape: [], values: .ints([v])) }
    static func vector(_ v: [Int]) -> ConstantTensor { ConstantTensor(shape: [v.count], values: .ints(v)) }
    static func unknown(_ reason: String) -> ConstantTensor { ConstantTensor(shape: nil, missingReason: reason) }

    /// Number of elements of a validated shape.
    static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            guard !overflow else { return nil }
            n = p
        }
        return n
    }
}

/// ONNX `TensorProto.DataType` codes used by the importer.
enum ONNXDataType {
    static let float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13, bfloat16 = 16

    static func isFloatingPoint(_ t: Int) -> Bool { [float, float16, double, bfloat16].contains(t) }
}

extension ConstantTensor {
    /// Reads an initializer or `Constant` value: validates the dims (throwing for absurd ones),
    /// decodes the values when they are present and small.
    init(_ proto: Onnx_TensorProto, name: String) throws(ONNXError) {
        guard proto.dims.count <= ONNXLimits.maxRank else {
            throw .limitExceeded(what: "rank of tensor '\(name)'", count: proto.dims.count, limit: ONNXLimits.maxRank)
        }
        var shape: [Int] = []
        for (i, d) in proto.dims.enumerated() {
            guard d >= 0, d <= Int64(ONNXLimits.maxDimension) else {
                throw .invalidDimension(tensor: name, field: "dims[\(i)]", value: Int(d))
            }
            shape.append(Int(d))
        }
        guard let count = ConstantTensor.elementCount(shape) else {
            throw .invalidDimension(tensor: name, field: "element count", value: Int.max)
        }
        let external = proto.dataLocation == .external || !proto.externalData.isEmpty
        if external {
            self.init(shape: shape, missingReason: "its data is stored in an external file")
        } else if count > ONNXLimits.maxConstantElements {
            self.init(shape: shape, missingReason: "it has \(count) elements, more than the \(ONNXLimits.maxConstantElements) read")
        } else {
            switch ConstantTensor.decode(proto, count: count) {
            case .success(let values): self.init(shape: shape, values: values)
            case .failure(let reason): self.init(shape: shape, missingReason: reason.text)
            }
        }
    }

    struct DecodeFailure: Error { var text: String }

    private static func decode(_ p: Onnx_TensorProto, count: Int) -> Result<ConstantValues, DecodeFailure> {
        let type = Int(p.dataType)
        let raw = p.hasRawData ? p.rawData : nil
        func fromRaw<T>(_ size: Int, _ convert: (UnsafeRawBufferPointer, Int) -> T) -> Result<[T], DecodeFailure> {
            guard let raw else { return .failure(DecodeFailure(text: "no data")) }
            guard raw.count == count * size else {
                return .failure(DecodeFailure(text: "raw_data has \(raw.count) bytes, expected \(count * size)"))
            }
            return .success(raw.withUnsafeBytes { buf in (0..<count).map { convert(buf, $0 * size) } })
        }
        func listed<T>(_ values: [T]) -> Result<[T], DecodeFailure> {
            values.count == count ? .success(values)
                : .failure(DecodeFailure(text: "has \(values.count) values, expected \(count)"))
        }
        func le(_ buf: UnsafeRawBufferPointer, _ at: Int, _ size: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<size { v |= UInt64(buf[at + k]) << (8 * UInt64(k)) }
            return v
        }
        switch type {
        case ONNXDataType.float:
            if raw != nil { return fromRaw(4) { Double(Float(bitPattern: UInt32(le($0, $1, 4)))) }.map(ConstantValues.floats) }
            return listed(p.floatData.map(Double.init)).map(ConstantValues.floats)
        case ONNXDataType.double:
            if raw != nil { return fromRaw(8) { Double(bitPattern: le($0, $1, 8)) }.map(ConstantValues.floats) }
            return listed(p.doubleData).map(ConstantValues.floats)
        case ONNXDataType.float16, ONNXDataType.bfloat16:
            let convert = type == ONNXDataType.float16 ? halfToDouble : bfloatToDouble
            if raw != nil { return fromRaw(2) { convert(UInt16(le($0, $1, 2))) }.map(ConstantValues.floats) }
            return listed(p.int32Data.map { convert(UInt16(truncatingIfNeeded: $0)) }).map(ConstantValues.floats)
        case ONNXDataType.int64:
            if raw != nil { return fromRaw(8) { Int(Int64(bitPattern: le($0, $1, 8))) }.map(ConstantValues.ints) }
            return listed(p.int64Data.map { Int($0) }).map(ConstantValues.ints)
        case ONNXDataType.int32, ONNXDataType.int16, ONNXDataType.int8, ONNXDataType.uint16,
             ONNXDataType.uint8, ONNXDataType.bool:
            let size = [ONNXDataType.int32: 4, ONNXDataType.int16: 2, ONNXDataType.uint16: 2][type] ?? 1
            let signed = [ONNXDataType.int32, ONNXDataType.int16, ONNXDataType.int8].contains(type)
            if raw != nil {
                return fromRaw(size) { buf, at in
                    let bits = le(buf, at, size)
                    guard signed else { return Int(bits) }
                    let shift = UInt64(64 - 8 * size)
                    return Int(Int64(bitPattern: bits << shift) >> Int64(shift))
                }.map(ConstantValues.ints)
            }
            return listed(p.int32Data.map { Int($0) }).map(ConstantValues.ints)
        case ONNXDataType.uint32, ONNXDataType.uint64:
            let size = type == ONNXDataType.uint32 ? 4 : 8
            if raw != nil { return fromRaw(size) { Int(truncatingIfNeeded: le($0, $1, size)) }.map(ConstantValues.ints) }
            return listed(p.uint64Data.map { Int(truncatingIfNeeded: $0) }).map(ConstantValues.ints)
        default:
            return .failure(DecodeFailure(text: "data type \(type) is not read"))
        }
    }
}

/// bfloat16 (the upper half of a float32) to double.
private func bfloatToDouble(_ h: UInt16) -> Double { Double(Float(bitPattern: UInt32(h) << 16)) }

/// IEEE 754 half precision to double, without relying on `Float16` availability.
private func halfToDouble(_ h: UInt16) -> Double {
    let sign: Double = h & 0x8000 != 0 ? -1 : 1
    let exponent = Int((h >> 10) & 0x1F)
    let fraction = Double(h & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
