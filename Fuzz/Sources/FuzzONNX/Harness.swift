import Foundation
import FoveaGeometry
import FoveaModels

/// One input: import the bytes as an ONNX model and, when that succeeds, analyse the network.
/// Any thrown error is fine; a trap, leak or memory error is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard let model = try? ONNXModel(data: data, name: "fuzz") else { return 0 }
    _ = try? NetworkGeometry(model.network)
    for output in model.outputs { _ = model.shape(ofTensor: output.name) }
    return 0
}
