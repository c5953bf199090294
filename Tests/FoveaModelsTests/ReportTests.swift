import Foundation
import FoveaGeometry
@testable import FoveaModels
import Testing

/// The report of the known-answer networks in every format, against hand derivations.
@Suite struct ReportTests {
    static func report(_ example: String, at: String? = nil, unit: [Int]? = nil) throws -> RFReport {
        let spec = try SpecSupport.example(example)
        return try RFReport(geometry: try spec.geometry(), model: spec.network.name, at: at, unit: unit)
    }

    static func layers(_ json: String) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(object["layers"] as? [[String: Any]])
    }

    /// 1×1 s4 ‖ pad(1, 0) + 3×3 s2 valid + 1×1 s2, added, input 8: r 3, S 4, P 1, aligned.
    @Test func jsonContractOfTheAlignedNetwork() throws {
        let json = try Self.report("known_aligned.yaml").rendered(as: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["model"] as? String == "known_aligned")
        #expect((object["input"] as? [String: Any])?["size"] as? [Int] == [8, 8])
        let layers = try Self.layers(json)
        #expect(layers.map { $0["name"] as? String } == ["left", "shift", "down", "right", "sum"])
        let sum = try #require(layers.last)
        #expect(sum["op"] as? String == "add")
        #expect(sum["output_size"] as? [Int] == [2, 2])
        #expect(sum["receptive_field"] as? [Int] == [3, 3])
        #expect(sum["effective_stride"] as? [Double] == [4, 4])
        #expect(sum["effective_padding"] as? [Double] == [1, 1])
        #expect(sum["aligned"] as? Bool == true)
        #expect(sum["flags"] as? [String] == [])
        // Integers print as integers.
        #expect(json.contains("\"effective_stride\": [4, 4]"))
    }

    /// Kernels [3, 5] then [3, 1], stride 2, valid: height 7/4/0, width 5/4/0.
    @Test func nonSquareFieldsPrintPerAxis() throws {
        let report = try Self.report("known_nonsquare.yaml")
        let row = try #require(report.table().split(separator: "\n").first { $0.hasPrefix("conv2 ") })
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).suffix(3) == ["7×5", "4", "0"])
        let conv2 = try #require(try Self.layers(report.rendered(as: .json)).last)
        #expect(conv2["receptive_field"] as? [Int] == [7, 5])
        #expect(conv2["effective_stride"] as? [Double] == [4, 4])
        #expect(conv2["effective_padding"] as? [Double] == [0, 0])
    }

    /// 1×1 ‖ 3×3 padded (0, 2): unit i's paths are centred on i and i + 1.
    @Test func misalignedMergeIsDiagnosedNotFatal() throws {
        let report = try Self.report("known_misaligned.yaml")
        #expect(report.table().contains(
            "merge 'sum': paths 'a' and 'b' misaligned on axis 0: centres 1 px apart (offsets 0 vs 1)"))
        let json = report.rendered(as: .json)
        let sum = try #require(try Self.layers(json).last)
        #expect(sum["aligned"] as? Bool == false)
        #expect(sum["flags"] as? [String] == ["misaligned"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let merge = try #require((object["merges"] as? [[String: Any]])?.first)
        #expect(merge["node"] as? String == "sum")
        #expect(merge["mismatch"] as? [Double] == [1, 1])
    }

    /// A 2×2 transposed convolution of stride 2 gives units 2i and 2i + 1 the same interval:
    /// over 32 units the starts run from −7 to 53, a mean spacing of 60/31.
    @Test func fractionalStrideIsANumber() throws {
        let up2 = try #require(try Self.layers(Self.report("tiny_unet.yaml").rendered(as: .json))
            .first { $0["name"] as? String == "up2" })
        #expect(up2["effective_stride"] as? [Double] == [60.0 / 31.0, 60.0 / 31.0])
        #expect(up2["flags"] as? [String] == ["non-affine"])
    }

    @Test func atSelectsOneNodeByContainerPrefix() throws {
        // torchvision resnet50 `layer4` at 224: r 427, S 32, P 213 (shared gradient-method fixture).
        let geometry = try NetworkGeometry(try Zoo.network(named: "resnet50"))
        let report = try RFReport(geometry: geometry, model: "resnet50", at: "layer4")
        #expect(report.rows.map(\.name) == ["layer4.2.relu_2"])
        let layers = try Self.layers(report.rendered(as: .json))
        #expect(layers.count == 1)
        #expect(layers[0]["receptive_field"] as? [Int] == [427, 427])
        #expect(layers[0]["effective_stride"] as? [Double] == [32, 32])
        #expect(layers[0]["effective_padding"] as? [Double] == [213, 213])
        #expect(geometry.tensors.first { $0.name == "conv1" }?.layer?.summary == "conv 7×7 s2 p3")
    }

    /// Unit (1, 0) of `sum`: [4·1 − 1, 4·1 + 1] = [3, 5] and [−1, 1], one of three positions padded.
    @Test func unitIntervalCentreAndPaddedFraction() throws {
        let report = try Self.report("known_aligned.yaml", unit: [1, 0])
        let unit = try #require(report.unit)
        #expect(unit.node == "sum")
        #expect(unit.axes.map(\.interval) == [3...5, -1...1])
        #expect(unit.axes.map(\.centre) == [4, 0])
        #expect(unit.axes.map(\.paddedCount) == [0, 1])
        #expect(unit.axes.map(\.paddedFraction) == [0, 1.0 / 3.0])
        #expect(report.table().contains("axis 1 (w): input [-1, 1], centre 0, 1 of 3 in padding (33.3%)"))
    }

    /// The same unit's reach: on axis 1 the right path reads padding −1 and pixels 0, 1, so the
    /// unit reads [0, 1]; axis 0 lies inside. Reported in the text and as additive JSON keys.
    @Test func unitReachInTextAndJSON() throws {
        let report = try Self.report("known_aligned.yaml", unit: [1, 0])
        let unit = try #require(report.unit)
        #expect(unit.axes.map(\.reached) == [3...5, 0...1])
        #expect(unit.axes.map(\.unreachedCount) == [0, 0])
        #expect(report.table().contains("axis 1 (w): input [-1, 1], centre 0, 1 of 3 in padding (33.3%), reads [0, 1]\n"))
        let json = report.rendered(as: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let entry = try #require(object["unit"] as? [String: Any])
        #expect(entry["reached"] as? [[Int]] == [[3, 5], [0, 1]])
        #expect(entry["unreached"] as? [Int] == [0, 0])
        #expect(entry["interval"] as? [[Int]] == [[3, 5], [-1, 1]])
    }

    /// A valid 3-tap stride-2 convolution over 8 pixels never reads pixel 7; the ceil-mode pool's
    /// last unit has the interval [4, 8] (its second window position is padding) and reads [4, 6],
    /// so pixel 7 is in the interval only through padding.
    @Test func unreachedPixelsAreNamed() throws {
        let network = try Network(name: "edge", inputSize: [8], nodes: [
            Node("c", .convolution(Convolution(window: SlidingWindow(kernel: [3], stride: [2]))), inputs: ["input"]),
            Node("p", .pooling(Pooling(kind: .max, window: SlidingWindow(kernel: [2], stride: [2], ceilMode: true))),
                 inputs: ["c"]),
        ])
        let report = try RFReport(geometry: try NetworkGeometry(network), model: "edge", at: "p", unit: [1])
        #expect(report.table().contains(
            "axis 0 (l): input [4, 8], centre 6, 1 of 5 in padding (20%), reads [4, 6] (1 more pixel in the interval only through padding)"))
        let csv = report.rendered(as: .csv).split(separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(csv.firstIndex { $0.hasPrefix("node,axis,unit,") })
        #expect(csv[header] == "node,axis,unit,start,end,centre,padded,padded_fraction,reached_start,reached_end,unreached")
        #expect(csv[header + 1] == "p,0,1,4,8,6,1,0.2,4,6,1")
    }

    @Test func finalSpatialNodeIsTheLastNonGlobalOne() throws {
        let spec = try SpecSupport.example("tiny_cnn.yaml")
        #expect(RFReport.finalSpatialNode(of: try spec.geometry()) == "relu3")
    }

    @Test func unknownNodeAndUnitOutsideTheGrid() throws {
        let geometry = try SpecSupport.example("known_aligned.yaml").geometry()
        #expect(throws: ReportError.unknownNode("su", suggestions: ["sum"])) {
            try RFReport(geometry: geometry, model: "m", at: "su")
        }
        #expect(throws: ReportError.unitOutOfRange(unit: [2, 0], node: "sum", size: [2, 2])) {
            try RFReport(geometry: geometry, model: "m", unit: [2, 0])
        }
    }

    @Test func csvHasAColumnPerAxisAndMarkdownIsATable() throws {
        let csv = try Self.report("known_nonsquare.yaml").rendered(as: .csv).split(separator: "\n")
        #expect(csv[0] == "name,op,layer,channels,out_h,out_w,r_h,r_w,S_h,S_w,P_h,P_w,aligned,flags")
        #expect(csv.last == "conv2,conv,conv 3×1 s2,,3,3,7,5,4,4,0,0,true,")
        let oneD = try Self.report("wavenet_1d.yaml").rendered(as: .csv).split(separator: "\n")
        #expect(oneD[0].hasPrefix("name,op,layer,channels,out_l,r_l,S_l,P_l,"))
        let markdown = try Self.report("known_misaligned.yaml").rendered(as: .markdown)
        #expect(markdown.contains("| name | op | ch | out | r | S | P | flags |"))
        #expect(markdown.contains("| sum | add |  | 8×8 | 3 | 1 | 0 | misaligned |"))
    }

    @Test func jsonEscapesNames() throws {
        let spec = try SpecSupport.parse("input: {size: [4]}\nlayers:\n  - relu: {name: 'a\"b\\\\c'}\n")
        let json = try RFReport(geometry: try spec.geometry(), model: "m\tx").rendered(as: .json)
        let layers = try Self.layers(json)
        // Single-quoted YAML keeps backslashes: the name is a"b\\c.
        #expect(layers[0]["name"] as? String == "a\"b\\\\c")
        #expect(json.contains("\"model\": \"m\\tx\""))
    }
}
