import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import FoveaGeometry
@testable import FoveaModels
import Testing

/// The HTML report: well-formed, self-contained, and every number equal to the JSON report.
@Suite struct HTMLReportTests {
    static let examples = ["known_aligned.yaml", "known_misaligned.yaml", "known_nonsquare.yaml", "tiny_cnn.yaml",
                           "tiny_unet.yaml", "video_3d.yaml", "wavenet_1d.yaml", "se_block.json"]

    static func page(_ example: String, at: String? = nil, unit: [Int]? = nil) throws -> (HTMLReport, String) {
        let spec = try SpecSupport.example(example)
        let report = try HTMLReport(geometry: try spec.geometry(), model: spec.network.name, at: at, unit: unit)
        return (report, report.rendered())
    }

    @Test(arguments: examples)
    func wellFormedAndSelfContained(_ example: String) throws {
        let (_, html) = try Self.page(example)
        let document = try HTMLSupport.document(html)
        #expect(document.rootElement()?.name == "html")
        #expect(!html.lowercased().contains("http"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("@import") && !html.contains("<link"))
        // The only url() references are to the page's own patterns and gradients.
        var rest = html[...]
        while let range = rest.range(of: "url(") {
            #expect(rest[range.upperBound...].hasPrefix("#"))
            rest = rest[range.upperBound...]
        }
        for section in ["summary", "depth", "fields", "layers-section"] {
            #expect(try HTMLSupport.elements(document, "//section[@id='\(section)']").count == 1, "\(section)")
        }
    }

    @Test(arguments: examples)
    func layerTableEqualsTheJSONReport(_ example: String) throws {
        let spec = try SpecSupport.example(example)
        let geometry = try spec.geometry()
        let json = try HTMLSupport.jsonLayers(try RFReport(geometry: geometry, model: spec.network.name))
        let document = try HTMLSupport.document(HTMLReport(geometry: geometry, model: spec.network.name).rendered())
        let rows = try HTMLSupport.elements(document, "//table[@id='layers']/tbody/tr")
        #expect(rows.count == geometry.tensors.count)
        for row in rows {
            let name = try #require(HTMLSupport.attribute(row, "data-node"))
            let cells = HTMLSupport.cells(row)
            #expect(cells["name"] == name)
            guard name != "input" else { continue }
            let layer = try #require(json[name], "\(name)")
            #expect(cells["op"] == layer["layer"] as? String)
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["out"] ?? ""), HTMLSupport.doubles(layer["output_size"])), "\(name)")
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["r"] ?? ""), HTMLSupport.doubles(layer["receptive_field"])), "\(name)")
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["s"] ?? ""), HTMLSupport.doubles(layer["effective_stride"])), "\(name)")
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["p"] ?? ""), HTMLSupport.doubles(layer["effective_padding"])), "\(name)")
            let flags = (cells["flags"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(flags == (layer["flags"] as? [String] ?? []), "\(name)")
            #expect(cells["ch"] == (layer["channels"] as? Int).map(String.init) ?? "", "\(name)")
        }
    }

    @Test(arguments: examples)
    func summaryAndDrawingEqualTheJSONOfTheNode(_ example: String) throws {
        let (report, html) = try Self.page(example)
        let document = try HTMLSupport.document(html)
        let geometry = report.geometry
        let node = report.node.name
        #expect(node == RFReport.finalSpatialNode(of: geometry))
        let layer = try #require(try HTMLSupport.jsonLayers(try RFReport(geometry: geometry, model: "m", at: node))[node])
        let rows = try HTMLSupport.elements(document, "//table[@class='summary']/tbody/tr[@data-node='\(node)']")
        #expect(rows.count == geometry.inputSize.count)
        for row in rows {
            let axis = try #require(HTMLSupport.attribute(row, "data-axis").flatMap(Int.init))
            let cells = HTMLSupport.cells(row)
            #expect(Double(cells["r"] ?? "") == HTMLSupport.doubles(layer["receptive_field"])[axis])
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["s"] ?? ""), [HTMLSupport.doubles(layer["effective_stride"])[axis]]))
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["p"] ?? ""), [HTMLSupport.doubles(layer["effective_padding"])[axis]]))
            #expect(Int(cells["input"] ?? "") == geometry.inputSize[axis])
        }
        // The drawn boxes are the intervals `fovea rf --at NODE --unit I,J --format json` reports.
        let boxes = try HTMLSupport.elements(document, "//svg[@id='rf-drawing']/rect[@class='rf']")
        #expect(boxes.count == (report.centreUnit == report.cornerUnit ? 1 : 2))
        for box in boxes {
            let index = try #require(HTMLSupport.attribute(box, "data-unit")).split(separator: ",").compactMap { Int($0) }
            let json = try JSONSerialization.jsonObject(with: Data(
                try RFReport(geometry: geometry, model: "m", at: node, unit: index).rendered(as: .json).utf8)) as? [String: Any]
            let intervals = try #require((json?["unit"] as? [String: Any])?["interval"] as? [[Int]])
            let drawn = try #require(HTMLSupport.attribute(box, "data-interval")).split(separator: ";").map {
                $0.split(separator: " ").compactMap { Int($0) }
            }
            #expect(drawn == intervals)
        }
    }

    /// known_misaligned: a (1×1) and b (3×3, padding 0/2) are centred 1 px apart.
    @Test func mergesEqualTheJSONReport() throws {
        let (report, html) = try Self.page("known_misaligned.yaml")
        let document = try HTMLSupport.document(html)
        let json = try JSONSerialization.jsonObject(with: Data(report.report.rendered(as: .json).utf8)) as? [String: Any]
        let merges = try #require(json?["merges"] as? [[String: Any]])
        let rows = try HTMLSupport.elements(document, "//table[@class='merges']/tbody/tr")
        #expect(rows.count == merges.count)
        for (row, merge) in zip(rows, merges) {
            #expect(HTMLSupport.attribute(row, "data-node") == merge["node"] as? String)
            #expect(HTMLSupport.attribute(row, "class") == ((merge["aligned"] as? Bool) == true ? "aligned" : "misaligned"))
            let cells = HTMLSupport.cells(row)
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["mismatch"] ?? ""), HTMLSupport.doubles(merge["mismatch"])))
            #expect(cells["description"] == merge["description"] as? String)
        }
        #expect(HTMLSupport.cells(rows[0])["mismatch"] == "1")  // both axes
        // The diagram shows unit 3 through both paths: a sees [3, 3], b sees [3, 5].
        let bars = try HTMLSupport.elements(document, "//svg[@data-node='sum']/rect[@data-interval]")
        #expect(bars.compactMap { HTMLSupport.attribute($0, "data-interval") } == ["3 3", "3 5"])
        let flags = try HTMLSupport.elements(document, "//ul[@id='flags']/li[@data-flag='misaligned']")
        #expect(flags.first?.stringValue == "1 merge: 1 misaligned (sum)")
    }

    /// known_aligned: the longest chain is input → shift → down → right → sum, with r 1, 1, 3, 3, 3
    /// and S 1, 1, 2, 4, 4 (pad, 3×3 stride 2, 1×1 stride 2); the strides change at down and right.
    @Test func chartFollowsTheMainPath() throws {
        let (_, html) = try Self.page("known_aligned.yaml")
        let document = try HTMLSupport.document(html)
        let titles = { (kind: String) in
            try HTMLSupport.elements(document, "//svg[@id='rf-chart']/circle[@class='point \(kind)']/title").map { $0.stringValue ?? "" }
        }
        #expect(try titles("r") == ["input: r 1", "shift: r 1", "down: r 3", "right: r 3", "sum: r 3"])
        #expect(try titles("s") == ["input: S 1", "shift: S 1", "down: S 2", "right: S 4", "sum: S 4"])
        let stages = try HTMLSupport.elements(document, "//svg[@id='rf-chart']/line[@class='stage']/title").map { $0.stringValue ?? "" }
        #expect(stages == ["stage boundary at down: S 2", "stage boundary at right: S 4"])
    }

    /// torchvision resnet50 at 224: strides 2 (conv1), 4 (maxpool), 8, 16, 32 (the first block of
    /// layer2–4, in conv2 for ResNet v1.5); layer4's units see 427 pixels (the published value).
    @Test func resnet50StagesAndField() throws {
        let geometry = try ModelSource("resnet50").geometry()
        let report = try HTMLReport(geometry: geometry, model: "resnet50", at: "layer4")
        #expect(report.node.name == "layer4.2.relu_2")
        let document = try HTMLSupport.document(report.rendered())
        let stages = try HTMLSupport.elements(document, "//svg[@id='rf-chart']/line[@class='stage']/title").map { $0.stringValue ?? "" }
        #expect(stages == ["stage boundary at conv1: S 2", "stage boundary at maxpool: S 4",
                           "stage boundary at layer2.0.conv2: S 8", "stage boundary at layer3.0.conv2: S 16",
                           "stage boundary at layer4.0.conv2: S 32"])
        let summary = try HTMLSupport.elements(document, "//table[@class='summary']/tbody/tr[@data-node='layer4.2.relu_2']")
        #expect(summary.map { HTMLSupport.cells($0)["r"] } == ["427", "427"])
        let image = try #require(try HTMLSupport.elements(document, "//svg[@id='erf']/image").first)
        let href = try #require(HTMLSupport.attribute(image, "href"))
        #expect(href.hasPrefix("data:image/png;base64,"))
        let png = try #require(Data(base64Encoded: String(href.dropFirst("data:image/png;base64,".count))))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: 224 × 224, 8-bit RGB.
        #expect(Array(png[16..<24]) == [0, 0, 0, 224, 0, 0, 0, 224])
        #expect(Array(png[24..<26]) == [8, 2])
    }

    /// An imported ONNX graph (torchvision resnet18 fixture): the page's table equals the JSON
    /// report, and layer4's units see 435 pixels (the torchvision gradient-method value, docs/onnx.md).
    @Test func onnxModelTableEqualsTheJSONReport() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/onnx/resnet18.onnx")
        let model = try ONNXModel(contentsOf: file, options: .init(inputSize: [224, 224]))
        let geometry = try NetworkGeometry(model.network)
        let layer4 = try #require(model.nodeName(forTensor: "layer4"))
        let report = try HTMLReport(geometry: geometry, model: "resnet18.onnx", at: layer4)
        let document = try HTMLSupport.document(report.rendered())
        let json = try HTMLSupport.jsonLayers(try RFReport(geometry: geometry, model: "resnet18.onnx"))
        let rows = try HTMLSupport.elements(document, "//table[@id='layers']/tbody/tr")
        #expect(rows.count == json.count + 1)
        for row in rows.dropFirst() {
            let name = try #require(HTMLSupport.attribute(row, "data-node"))
            let cells = HTMLSupport.cells(row)
            let layer = try #require(json[name])
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["r"] ?? ""), HTMLSupport.doubles(layer["receptive_field"])), "\(name)")
            #expect(HTMLSupport.matches(HTMLSupport.numbers(cells["s"] ?? ""), HTMLSupport.doubles(layer["effective_stride"])), "\(name)")
        }
        let summary = try HTMLSupport.elements(document, "//table[@class='summary']/tbody/tr[@data-node='\(layer4)']")
        #expect(summary.map { HTMLSupport.cells($0)["r"] } == ["435", "435"])
    }

    @Test func namesAreEscaped() throws {
        let spec = try SpecSupport.parse("""
            input: {size: [6, 6]}
            nodes:
              "a<b&c": {op: conv, kernel: 3, padding: 1, inputs: input}
              "\\"q\\"": {op: conv, kernel: 1, inputs: input}
              sum: {op: add, inputs: ["a<b&c", "\\"q\\""]}
            """)
        let html = try HTMLReport(geometry: try spec.geometry(), model: "x<y>").rendered()
        let document = try HTMLSupport.document(html)
        let names = try HTMLSupport.elements(document, "//table[@id='layers']/tbody/tr").compactMap { HTMLSupport.attribute($0, "data-node") }
        #expect(names == ["input", "a<b&c", "\"q\"", "sum"])
        #expect(try HTMLSupport.elements(document, "//h1").first?.stringValue == "x<y>: receptive fields at 6×6")
    }

    @Test func requestedUnitAndUnknownNode() throws {
        let (report, html) = try Self.page("known_aligned.yaml", at: "sum", unit: [1, 0])
        #expect(report.unit?.axes.map(\.interval) == [3...5, -1...1])
        let document = try HTMLSupport.document(html)
        let boxes = try HTMLSupport.elements(document, "//svg[@id='rf-drawing']/rect[@class='rf']")
        #expect(boxes.compactMap { HTMLSupport.attribute($0, "data-role") } == ["the only unit", "requested unit"])
        #expect(throws: ReportError.self) { try Self.page("known_aligned.yaml", at: "nowhere") }
        #expect(throws: ReportError.self) { try Self.page("known_aligned.yaml", at: "sum", unit: [2, 0]) }
    }

    /// The CRC-32 of the chunk type `IEND` with no data is the constant ending every PNG file.
    @Test func pngChecksum() {
        #expect(PNGImage.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        let png = PNGImage(width: 1, height: 1, pixels: [255, 0, 0]).encoded()
        #expect(Array(png.suffix(4)) == [0xAE, 0x42, 0x60, 0x82])
    }

    @Test func verificationIsIncluded() throws {
        let spec = try SpecSupport.example("known_misaligned.yaml")
        let verification = try RFVerifier.verify(spec.network, nodes: ["sum"])
        let html = try HTMLReport(geometry: try spec.geometry(), model: "m", verification: verification).rendered()
        let heading = try HTMLSupport.elements(try HTMLSupport.document(html), "//section[@id='verification']/h2")
        #expect(heading.first?.stringValue == "Verification: agrees")
    }
}
