import Foundation
import FoveaGeometry
import FoveaTensor
import Testing
@testable import FoveaNN

/// The PyTorch (float64 autograd) reference cases in `Fixtures/grad` (a copy of the shared ones)
/// and `Fixtures/grad-winograd` (3×3 layers wide enough for the Winograd kernel, made by the
/// script beside them), run through the library.
@Suite struct FixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Case: Sendable, CustomStringConvertible {
        let directory: URL
        let id: String
        let kind: String
        let integers: [String: [Int]]
        let flags: [String: Bool]
        let files: [String: String]
        let lossScale: Double
        var description: String { id }

        func tensor(_ name: String) throws -> Tensor {
            try Npy.readTensor(from: directory.appendingPathComponent(try #require(files[name])))
        }
        func ints(_ key: String) -> [Int] { integers[key] ?? [] }
        func flag(_ key: String) -> Bool { flags[key] ?? false }
    }

    static let flagKeys: Set<String> = ["bias", "ceil_mode", "count_include_pad", "pool_ceil_mode"]

    static let cases: [Case] = load("grad") + load("grad-winograd")

    static func load(_ name: String) -> [Case] {
        let directory = fixtures.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("manifest.json")),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = manifest["cases"] as? [[String: Any]] else { return [] }
        return entries.compactMap { entry in
            guard let id = entry["id"] as? String, let kind = entry["kind"] as? String,
                  let params = entry["params"] as? [String: Any], let files = entry["files"] as? [String: String],
                  let scale = entry["loss_scale"] as? Double else { return nil }
            var integers: [String: [Int]] = [:], flags: [String: Bool] = [:]
            for (key, value) in params {
                if flagKeys.contains(key) {
                    flags[key] = value as? Bool
                } else if let list = value as? [Int] {
                    integers[key] = list
                } else if let n = value as? Int {
                    integers[key] = [n]
                }
            }
            return Case(directory: directory, id: id, kind: kind, integers: integers, flags: flags, files: files,
                        lossScale: scale)
        }
    }

    @Test func manifestsListEveryCase() {
        #expect(Self.load("grad").count == 83)
        #expect(Self.load("grad-winograd").count == 4)
    }

    /// `max|r − e| / max|e| ≤ 1e-4` (or `max|r − e| ≤ 1e-9` for an all-zero expectation), as check_grads.py.
    func expectClose(_ result: Tensor, _ expected: Tensor, _ what: String, _ c: Case) {
        #expect(result.shape == expected.shape, "\(c.id) \(what): shape")
        guard result.shape == expected.shape else { return }
        var worst = 0.0, scale = 0.0
        for i in result.scalars.indices {
            worst = max(worst, abs(Double(result.scalars[i]) - Double(expected.scalars[i])))
            scale = max(scale, abs(Double(expected.scalars[i])))
        }
        #expect(worst <= 1e-4 * scale || worst <= 1e-9, "\(c.id) \(what): abs \(worst), scale \(scale)")
    }

    func padding(_ c: Case, _ key: String = "padding") -> Padding {
        let p = c.ints(key)
        return .explicit(begin: p, end: p)
    }

    @Test(arguments: cases, [KernelImplementation.fast, .reference])
    func caseMatchesPyTorch(_ c: Case, implementation: KernelImplementation) throws {
        let x = try c.tensor("x")
        let target = try c.tensor("target")
        if c.kind == "seed_conv_maxpool" {
            let conv = try Conv2D(weight: try c.tensor("w"), stride: c.ints("conv_stride"), padding: padding(c, "conv_padding"),
                                  implementation: implementation)
            let pool = try MaxPool2D(kernel: c.ints("pool_kernel"), stride: c.ints("pool_stride"),
                                     ceilMode: c.flag("pool_ceil_mode"), implementation: implementation)
            let chain = Sequential([conv, pool])
            let passes = try chain.forward(x)
            let loss = try MSELoss(reduction: .scaled(c.lossScale)).evaluate(output: passes[1].output, target: target)
            let (dx, parameters) = try chain.backward(passes, gradOutput: loss.gradient)
            expectClose(passes[0].output, try c.tensor("conv_out"), "conv_out", c)
            expectClose(passes[1].output, try c.tensor("out"), "out", c)
            expectClose(Tensor(scalar: Float(loss.value)), try c.tensor("loss"), "loss", c)
            expectClose(dx, try c.tensor("dx"), "dx", c)
            expectClose(parameters[0][0], try c.tensor("dw"), "dw", c)
            return
        }
        let layer: any Module
        switch c.kind {
        case "conv2d":
            layer = try Conv2D(weight: try c.tensor("w"), bias: c.files["b"] == nil ? nil : try c.tensor("b"),
                               stride: c.ints("stride"), padding: padding(c), dilation: c.ints("dilation"),
                               groups: c.ints("groups")[0], implementation: implementation)
        case "maxpool2d":
            layer = try MaxPool2D(kernel: c.ints("kernel"), stride: c.ints("stride"), padding: padding(c),
                                  dilation: c.ints("dilation"), ceilMode: c.flag("ceil_mode"), implementation: implementation)
        default:
            layer = try AvgPool2D(kernel: c.ints("kernel"), stride: c.ints("stride"), padding: padding(c),
                                  ceilMode: c.flag("ceil_mode"), countIncludePad: c.flag("count_include_pad"),
                                  implementation: implementation)
        }
        let run = try layer.run(x, upstream: .mse(target: target, reduction: .mean))
        expectClose(run.pass.output, try c.tensor("out"), "out", c)
        expectClose(Tensor(scalar: Float(try #require(run.loss))), try c.tensor("loss"), "loss", c)
        expectClose(run.gradients.input, try c.tensor("dx"), "dx", c)
        if c.kind == "conv2d" {
            expectClose(run.gradients.parameters[0], try c.tensor("dw"), "dw", c)
            if c.files["db"] != nil { expectClose(run.gradients.parameters[1], try c.tensor("db"), "db", c) }
        }
        if c.kind == "maxpool2d" {
            let indices = try Npy.readLabels(from: c.directory.appendingPathComponent(try #require(c.files["indices"])))
            #expect(run.pass.argmax == indices.labels, "\(c.id) indices")
        }
    }
}
