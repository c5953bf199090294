import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `fovea rf --html` as a user runs it: the file is written atomically, parses as XML, has no
/// external reference, and its numbers equal `fovea rf --format json`.
@Suite struct HTMLCLITests {
    final class Scratch {
        let root: URL
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-html-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: root) }
        func path(_ name: String) -> String { root.appendingPathComponent(name).path }
    }

    func rf(_ arguments: [String]) throws -> CLITests.Result {
        try CLITests().run(["rf"] + arguments)
    }

    func example(_ name: String) -> String { RFCLITests.examples.appendingPathComponent(name).path }

    /// The `layers` of `fovea rf … --format json`, by name.
    func jsonLayers(_ arguments: [String]) throws -> [String: [String: Any]] {
        let result = try rf(arguments + ["--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var layers: [String: [String: Any]] = [:]
        for layer in (object["layers"] as? [[String: Any]]) ?? [] { layers[layer["name"] as? String ?? ""] = layer }
        return layers
    }

    static func numbers(_ text: String) -> [Double] {
        text.split(separator: "×").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    static func equal(_ shown: String, _ json: Any?) -> Bool {
        let values = ((json as? [Any]) ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
        let parsed = numbers(shown)
        let expanded = parsed.count == 1 ? Array(repeating: parsed[0], count: values.count) : parsed
        return !values.isEmpty && expanded.count == values.count && zip(expanded, values).allSatisfy { abs($0 - $1) <= 0.0005 }
    }

    @Test(arguments: [["known_misaligned.yaml"], ["tiny_unet.yaml", "--at", "dec2"], ["known_nonsquare.yaml", "--input", "20,24"]])
    func pageNumbersEqualTheJSONOutput(_ arguments: [String]) throws {
        let scratch = try Scratch()
        let model = [example(arguments[0])] + arguments.dropFirst()
        let result = try rf(model + ["--html", scratch.path("report.html")])
        #expect(result.status == 0)
        #expect(result.stdout == "wrote \(scratch.path("report.html"))\n")
        #expect(result.stderr.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.root.path) == ["report.html"])
        let html = try String(contentsOfFile: scratch.path("report.html"), encoding: .utf8)
        #expect(!html.lowercased().contains("http"))
        let document = try XMLDocument(xmlString: html, options: [])
        let rows = try document.nodes(forXPath: "//table[@id='layers']/tbody/tr").compactMap { $0 as? XMLElement }
        let json = try jsonLayers(Array(model.filter { $0 != "--at" && $0 != "dec2" }))
        #expect(rows.count == json.count + 1)  // plus the input row
        for row in rows {
            let name = row.attribute(forName: "data-node")?.stringValue ?? ""
            guard name != "input" else { continue }
            let layer = try #require(json[name], "\(name)")
            var cells: [String: String] = [:]
            for cell in row.elements(forName: "td") {
                let key = cell.attribute(forName: "class")?.stringValue?.split(separator: " ").last.map(String.init) ?? ""
                cells[key] = cell.stringValue ?? ""
            }
            #expect(Self.equal(cells["r"] ?? "", layer["receptive_field"]), "\(name)")
            #expect(Self.equal(cells["s"] ?? "", layer["effective_stride"]), "\(name)")
            #expect(Self.equal(cells["p"] ?? "", layer["effective_padding"]), "\(name)")
            #expect(Self.equal(cells["out"] ?? "", layer["output_size"]), "\(name)")
        }
        // The summary shows the node `--at` names (default: the last node that is not global).
        let node = arguments.count > 2 && arguments[1] == "--at" ? arguments[2] : nil
        let summary = try document.nodes(forXPath: "//table[@class='summary']/tbody/tr").compactMap { $0 as? XMLElement }
        let drawn = try #require(summary.first?.attribute(forName: "data-node")?.stringValue)
        if let node { #expect(drawn == node) }
        let at = try jsonLayers(model + ["--at", drawn])
        for row in summary where row.attribute(forName: "data-node")?.stringValue == drawn {
            let axis = Int(row.attribute(forName: "data-axis")?.stringValue ?? "") ?? -1
            let r = row.elements(forName: "td").first { $0.attribute(forName: "class")?.stringValue == "num r" }?.stringValue
            let values = (at[drawn]?["receptive_field"] as? [Int]) ?? []
            #expect(values.indices.contains(axis) && Int(r ?? "") == values[axis])
        }
    }

    @Test func verifyUnitAndZooModel() throws {
        let scratch = try Scratch()
        let result = try rf(["lenet5", "--verify", "--unit", "1,2", "--html", scratch.path("lenet.html")])
        #expect(result.status == 0)
        let html = try String(contentsOfFile: scratch.path("lenet.html"), encoding: .utf8)
        let document = try XMLDocument(xmlString: html, options: [])
        #expect(try document.nodes(forXPath: "//section[@id='verification']/h2").first?.stringValue == "Verification: agrees")
        let requested = try document.nodes(forXPath: "//svg[@id='rf-drawing']/rect[@data-role='requested unit']")
            .compactMap { ($0 as? XMLElement)?.attribute(forName: "data-interval")?.stringValue }
        let unit = try rf(["lenet5", "--unit", "1,2", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(unit.stdout.utf8)) as? [String: Any])
        let intervals = try #require((object["unit"] as? [String: Any])?["interval"] as? [[Int]])
        #expect(requested == [intervals.map { "\($0[0]) \($0[1])" }.joined(separator: ";")])
    }

    /// Errors: one line, exit 2, no file and no temporary left behind; an existing file is kept.
    @Test func errorsLeaveNothingBehind() throws {
        let scratch = try Scratch()
        let missing = try rf([example("known_aligned.yaml"), "--html", scratch.path("no/such/dir/r.html")])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("fovea: error: --html: "))
        #expect(missing.stderr.filter { $0 == "\n" }.count == 1)
        try Data("old".utf8).write(to: scratch.root.appendingPathComponent("r.html"))
        let badNode = try rf([example("known_aligned.yaml"), "--at", "nowhere", "--html", scratch.path("r.html")])
        #expect(badNode.status == 2)
        #expect(badNode.stderr.contains("no node or container 'nowhere'"))
        #expect(try String(contentsOfFile: scratch.path("r.html"), encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.root.path) == ["r.html"])
    }
}
