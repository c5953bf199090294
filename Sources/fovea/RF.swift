import ArgumentParser
import Foundation
import FoveaModels
import FoveaTensor

/// `fovea rf`: output sizes and exact receptive fields of every layer of a network.
struct RF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rf",
        abstract: "Output size, receptive field r, effective stride S and padding P of every layer.",
        discussion: """
            MODEL is a built-in model (`fovea rf --list`), a spec file (.yaml, .yml, .json; see \
            docs/spec-format.md) or an ONNX file (.onnx; weights are not needed, node names are ONNX tensor \
            names; see docs/onnx.md). Unit i of a tensor sees input [i·S − P, i·S − P + r − 1] along each axis. \
            --verify re-derives the receptive field of the --at node (default: the last node that is not \
            global) from the support of gradients computed with Fovea's backward kernels; a disagreement \
            exits with status 1. --html writes one self-contained page (no scripts, no external references) \
            with a summary, r and S against depth, the --at node's receptive fields drawn to scale, its \
            effective receptive field and the per-layer table (docs/report.md). Errors exit with status 2.
            """
    )

    @Argument(help: "A built-in model name, a spec file or an ONNX file.")
    var model: String?

    @Flag(help: "List the built-in models with their default input sizes.")
    var list = false

    @Option(help: ArgumentHelp("Input size: N for every axis, or one value per axis (H,W); resolves an ONNX input's symbolic dimensions.",
                               valueName: "H,W"))
    var input: String?

    @Option(help: ArgumentHelp("Report only this node (a node name, a container such as layer3, or an ONNX tensor name).",
                               valueName: "NAME"))
    var at: String?

    @Option(help: ArgumentHelp("Print the input interval, centre, padded fraction and the input pixels actually read by this unit (indices from 0) of the --at node, or of the last node that is not (partially) global.",
                               valueName: "I,J"))
    var unit: String?

    @Option(help: "Output format.")
    var format: ReportFormat = .table

    @Flag(help: "Check the analysis against gradients computed with Fovea's own backward kernels.")
    var verify = false

    @Option(help: ArgumentHelp("Write a self-contained HTML report (charts, to-scale drawing and effective receptive field of the --at node) to this file instead of printing.",
                               valueName: "FILE.html"))
    var html: String?

    @Option(help: ArgumentHelp("ONNX: treat this operator type (or domain.op) as element-wise, at your own risk; repeatable or comma-separated. The report lists the nodes it was applied to.",
                               valueName: "OP"))
    var assumePointwise: [String] = []

    @Flag(help: "ONNX: list the graph outputs with their declared and computed shapes.")
    var listOutputs = false

    func run() throws {
        if list {
            guard model == nil else { throw ValidationError("--list takes no model") }
            print(ZooListing.text(format: format), terminator: "")
            return
        }
        guard let model else { throw ValidationError("give a model name or a spec file, or --list") }
        let source = try ModelSource(model, onnxOptions: try onnxOptions(for: model))
        if listOutputs {
            try printOutputs(of: source)
            return
        }
        let inputSize = try input.map { try Self.integers($0, option: "--input", count: source.network.spatialRank) }
        let geometry = try source.geometry(inputSize: inputSize)
        let unitIndex = try unit.map { try Self.integers($0, option: "--unit", count: geometry.inputSize.count, minimum: 0) }
        var report = try RFReport(geometry: geometry, model: source.name, at: at.map { node($0, in: source) }, unit: unitIndex)
        report.assumptions = source.onnx.map(RFReport.PointwiseAssumption.all)
        if verify {
            let node = report.selectedNode ?? RFReport.finalSpatialNode(of: geometry)
            report.verification = try RFVerifier.verify(source.network, inputSize: geometry.inputSize, nodes: [node])
        }
        if let html {
            let page = try HTMLReport(geometry: geometry, model: source.name, at: at.map { node($0, in: source) }, unit: unitIndex,
                                      verification: report.verification)
            do {
                try AtomicFile.write(Array(page.rendered().utf8), to: URL(fileURLWithPath: html))
            } catch {
                throw CommandError(description: "--html: \(error)")
            }
            print("wrote \(html)")
        } else {
            print(report.rendered(as: format), terminator: "")
        }
        if let verification = report.verification, !verification.passed {
            FileHandle.standardError.write(Data("fovea: verification: the gradient support disagrees with the analysis (see the report)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `N` (for every axis) or `a,b,…` with `count` values of at least `minimum`.
    static func integers(_ text: String, option: String, count: Int, minimum: Int = 1) throws -> [Int] {
        let values = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let expected = count == 1 ? "N" : (minimum == 0 ? "one index per axis" : "N or one value per axis")
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= minimum }),
              values.count == count || (values.count == 1 && minimum >= 1) else {
            throw ValidationError("\(option) '\(text)': expected \(expected) (\(count) axes, integers ≥ \(minimum))")
        }
        let numbers = values.map { $0! }
        return numbers.count == count ? numbers : Array(repeating: numbers[0], count: count)
    }
}

extension ReportFormat: ExpressibleByArgument {}
