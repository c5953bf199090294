import Foundation
import FoveaTensor

/// One input: decode the bytes as a `.npy` tensor and as `.npy` labels.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    _ = try? Npy.decodeTensor(bytes, source: "fuzz")
    _ = try? Npy.decodeLabels(bytes, source: "fuzz")
    return 0
}
