import Foundation
import FoveaGeometry
import FoveaModels

/// One input: parse the bytes as a spec file, in YAML and in JSON mode (which turns tabs into
/// spaces), and when that succeeds analyse the network and render its report.
/// Any thrown error is fine; a trap, leak, memory error or time-out is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { UnsafeBufferPointer(start: $0, count: count) } ?? UnsafeBufferPointer(start: nil, count: 0)
    let text = String(decoding: bytes, as: UTF8.self)
    for file in ["fuzz.yaml", "fuzz.json"] {
        guard let spec = try? SpecFile(text: text, file: file, defaultName: "fuzz"),
              let geometry = try? spec.geometry() else { continue }
        if let report = try? RFReport(geometry: geometry, model: spec.network.name) {
            _ = report.rendered(as: .json)
            _ = report.rendered(as: .table)
        }
    }
    return 0
}
