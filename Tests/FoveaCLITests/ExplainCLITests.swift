import Foundation
import FoveaTensor
import Testing

/// `fovea explain` against `fovea grad` on the same .npy files: every printed matrix and the loss
/// equal the files `fovea grad` writes, bit for bit.
@Suite struct ExplainCLITests {
    func fovea(_ arguments: [String]) throws -> CLITests.Result { try CLITests().run(arguments) }

    /// The matrix printed under `name (H×W):`.
    static func matrix(_ name: String, in text: String) -> [Float]? {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix(name + " (") && $0.hasSuffix("):") }) else { return nil }
        let size = lines[start].dropFirst(name.count + 2).dropLast(2).split(separator: "×").compactMap { Int($0) }
        guard size.count == 2, start + 1 + size[0] < lines.count else { return nil }
        var values: [Float] = []
        for row in lines[(start + 2)...(start + 1 + size[0])] {
            let cells = row.split(separator: " ").dropFirst()  // the row number
            values += cells.compactMap { Float($0) }
        }
        return values.count == size[0] * size[1] ? values : nil
    }

    /// The value ending the equation of `name` (the last `= value` of its block).
    static func scalar(_ name: String, in text: String) -> Float? {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("  \(name) = ") }) else { return nil }
        var end = start
        while end + 1 < lines.count, lines[end + 1].trimmingCharacters(in: .whitespaces).hasPrefix("=") { end += 1 }
        return lines[end].components(separatedBy: " = ").last.flatMap { Float($0.trimmingCharacters(in: .whitespaces)) }
    }

    func read(_ scratch: CLITests.Scratch, _ directory: String, _ file: String) throws -> [Float] {
        try Npy.readTensor(from: URL(fileURLWithPath: scratch.path(directory)).appendingPathComponent(file)).scalars
    }

    @Test(arguments: [(["--stride", "2"], "mean"), (["--stride", "1", "--padding", "1"], "sum"),
                      (["--stride", "2,1", "--padding", "0,1,1,0"], "mean")])
    func conv2dEqualsGrad(_ settings: [String], _ reduction: String) throws {
        let scratch = try CLITests.Scratch()
        try scratch.save("x5", [1, 1, 5, 5], (0..<25).map { Float(($0 * 7) % 11) - 4.5 })
        try scratch.save("w3", [1, 1, 3, 2], [0.5, -1, 2, 0.25, -0.75, 1.5])
        try scratch.save("b1", [1], [-0.125])
        // The target must have the output's shape: read it from a first run.
        let probe = try fovea(["explain", "conv2d", "--values", scratch.path("x5.npy"), "--kernel", "3x2",
                               "--weight", scratch.path("w3.npy"), "--bias", scratch.path("b1.npy")] + settings)
        #expect(probe.status == 0, "\(probe.stderr)")
        let output = try #require(Self.matrix("o", in: probe.stdout))
        let size = probe.stdout.components(separatedBy: "\n").first { $0.hasPrefix("o (") }?
            .dropFirst(3).dropLast(2).split(separator: "×").compactMap { Int($0) } ?? []
        try scratch.save("y", [1, 1] + size, output.indices.map { Float($0 % 3) - 1 })

        let explain = try fovea(["explain", "conv2d", "--values", scratch.path("x5.npy"), "--kernel", "3x2",
                                 "--weight", scratch.path("w3.npy"), "--bias", scratch.path("b1.npy"),
                                 "--target", scratch.path("y.npy"), "--reduction", reduction] + settings)
        #expect(explain.status == 0, "\(explain.stderr)")
        let result = try fovea(["grad", "conv2d", "--input", scratch.path("x5.npy"), "--weight", scratch.path("w3.npy"),
                                "--bias", scratch.path("b1.npy"), "--target", scratch.path("y.npy"), "--reduction", reduction,
                                "--out", scratch.path("out")] + settings)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.matrix("o", in: explain.stdout) == (try read(scratch, "out", "output.npy")))
        #expect(Self.matrix("δx", in: explain.stdout) == (try read(scratch, "out", "grad_input.npy")))
        #expect(Self.matrix("δw", in: explain.stdout) == (try read(scratch, "out", "grad_weight.npy")))
        #expect(Self.scalar("δb", in: explain.stdout) == (try read(scratch, "out", "grad_bias.npy")).first)
        #expect(Self.scalar("E", in: explain.stdout) == (try read(scratch, "out", "loss.npy")).first)
    }

    @Test(arguments: [["maxpool2d", "--kernel", "2"], ["maxpool2d", "--kernel", "3", "--stride", "2", "--padding", "1"],
                      ["avgpool2d", "--kernel", "2", "--stride", "1"],
                      ["avgpool2d", "--kernel", "3", "--stride", "2", "--padding", "1", "--count-include-pad", "false"]])
    func poolingEqualsGrad(_ settings: [String]) throws {
        let scratch = try CLITests.Scratch()
        // Ties on purpose: the first maximum wins in both commands.
        try scratch.save("x6", [1, 1, 6, 6], (0..<36).map { Float(($0 * 5) % 7) })
        let probe = try fovea(["explain"] + settings + ["--values", scratch.path("x6.npy")])
        #expect(probe.status == 0, "\(probe.stderr)")
        let size = probe.stdout.components(separatedBy: "\n").first { $0.hasPrefix("o (") }?
            .dropFirst(3).dropLast(2).split(separator: "×").compactMap { Int($0) } ?? []
        try scratch.save("y", [1, 1] + size, (0..<(size.reduce(1, *))).map { Float($0) / 2 })
        let explain = try fovea(["explain"] + settings + ["--values", scratch.path("x6.npy"), "--target", scratch.path("y.npy")])
        let grad = try fovea(["grad"] + settings + ["--input", scratch.path("x6.npy"), "--target", scratch.path("y.npy"),
                                                   "--out", scratch.path("out")])
        #expect(explain.status == 0 && grad.status == 0, "\(explain.stderr) \(grad.stderr)")
        #expect(Self.matrix("o", in: explain.stdout) == (try read(scratch, "out", "output.npy")))
        #expect(Self.matrix("δx", in: explain.stdout) == (try read(scratch, "out", "grad_input.npy")))
        #expect(Self.scalar("E", in: explain.stdout) == (try read(scratch, "out", "loss.npy")).first)
    }

    /// The chain's last layer equals `fovea grad maxpool2d` on the printed intermediate, and its
    /// first layer equals `fovea grad conv2d` with the printed δz1 as the upstream gradient.
    @Test func chainEqualsGradLayerByLayer() throws {
        let scratch = try CLITests.Scratch()
        let explain = try fovea(["explain", "chain", "--layers", "conv2d k=2 s=1 w=random:3 b=0.5; maxpool2d k=2",
                                 "--input", "5x5", "--values", "random:8", "--target", "1"])
        #expect(explain.status == 0, "\(explain.stderr)")
        let x = try #require(Self.matrix("x", in: explain.stdout))
        let w = try #require(Self.matrix("w", in: explain.stdout))
        let z1 = try #require(Self.matrix("z1", in: explain.stdout))
        let dz1 = try #require(Self.matrix("δz1", in: explain.stdout))
        try scratch.save("cx", [1, 1, 5, 5], x)
        try scratch.save("cw", [1, 1, 2, 2], w)
        try scratch.save("cb", [1], [0.5])
        try scratch.save("z1", [1, 1, 4, 4], z1)
        try scratch.save("dz1", [1, 1, 4, 4], dz1)
        try scratch.save("ones", [1, 1, 2, 2], [1, 1, 1, 1])
        let pool = try fovea(["grad", "maxpool2d", "--kernel", "2", "--input", scratch.path("z1.npy"),
                              "--target", scratch.path("ones.npy"), "--out", scratch.path("pool")])
        #expect(pool.status == 0, "\(pool.stderr)")
        #expect(Self.matrix("o", in: explain.stdout) == (try read(scratch, "pool", "output.npy")))
        #expect(dz1 == (try read(scratch, "pool", "grad_input.npy")))
        #expect(Self.scalar("E", in: explain.stdout) == (try read(scratch, "pool", "loss.npy")).first)
        let conv = try fovea(["grad", "conv2d", "--input", scratch.path("cx.npy"), "--weight", scratch.path("cw.npy"),
                              "--bias", scratch.path("cb.npy"), "--grad-output", scratch.path("dz1.npy"), "--out", scratch.path("conv")])
        #expect(conv.status == 0, "\(conv.stderr)")
        #expect(z1 == (try read(scratch, "conv", "output.npy")))
        #expect(Self.matrix("δx", in: explain.stdout) == (try read(scratch, "conv", "grad_input.npy")))
        #expect(Self.matrix("δw", in: explain.stdout) == (try read(scratch, "conv", "grad_weight.npy")))
        #expect(Self.scalar("δb", in: explain.stdout) == (try read(scratch, "conv", "grad_bias.npy")).first)
    }

    @Test func formatsAndHelp() throws {
        for format in ["markdown", "latex"] {
            let result = try fovea(["explain", "maxpool2d", "--input", "4x4", "--kernel", "2", "--format", format])
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix(format == "latex" ? "\\documentclass" : "# maxpool2d 2×2"))
        }
        let help = try fovea(["explain", "--help"])
        #expect(help.status == 0 && help.stdout.contains("conv2d") && help.stdout.contains("chain"))
    }

    /// Each bad input: one line on stderr, exit status 2, nothing on stdout.
    @Test func badInputBattery() throws {
        let cases: [([String], String)] = [
            (["conv2d", "--input", "16x16", "--kernel", "3"],
             "input 16×16 is above the limit of 8×8 for a written-out derivation; `fovea grad conv2d` computes the numbers for any size"),
            (["chain", "--layers", "conv2d k=2; conv2d k=2; conv2d k=2; conv2d k=2; maxpool2d k=1", "--input", "8"],
             "5 layers are above the limit of 4"),
            (["maxpool2d", "--input", "4x4", "--kernel", "6"], "kernel 6×6 is above the limit of 5×5"),
            (["conv2d", "--kernel", "2"], "give --input HxW"),
            (["conv2d", "--input", "4x", "--kernel", "2"], "--input '4x'"),
            (["conv2d", "--input", "4", "--kernel", "2", "--values", "rand"], "--values 'rand'"),
            (["conv2d", "--input", "4", "--kernel", "2", "--values", "/nonexistent/x.npy"], "--values: /nonexistent/x.npy"),
            (["conv2d", "--input", "3", "--kernel", "4"], "layer 1: conv2d: kernel"),
            (["chain", "--layers", "relu", "--input", "4"], "unknown layer 'relu'"),
            (["avgpool2d", "--input", "4", "--kernel", "2", "--format", "html"], "html"),
        ]
        for (arguments, message) in cases {
            let result = try fovea(["explain"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr.hasPrefix("fovea: error: "), "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(arguments)")
        }
    }
}
