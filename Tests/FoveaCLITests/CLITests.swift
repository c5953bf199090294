import Foundation
import FoveaTensor
import Testing

/// Runs the built `fovea` executable as a user would and checks its contract: results written
/// atomically, and every bad input answered by one line on stderr, exit status 2, and nothing
/// new in the output directory.
@Suite struct CLITests {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var executable: URL {
        // The test bundle sits in the build products directory, beside the `fovea` executable.
        Bundle.main.bundleURL.appendingPathComponent("fovea")
    }

    func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh scratch directory holding a small valid conv2d problem.
    final class Scratch {
        let root: URL
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try save("x", [1, 1, 4, 4], (1...16).map(Float.init))
            try save("w", [1, 1, 2, 2], [1, 0, 0, -1])
            try save("b", [1], [0.5])
            try save("t", [1, 1, 2, 2], [0, 0, 0, 0])
            try save("g", [1, 1, 2, 2], [1, 2, 3, 4])
        }
        deinit { try? FileManager.default.removeItem(at: root) }

        func path(_ name: String) -> String { root.appendingPathComponent(name).path }

        func save(_ name: String, _ shape: [Int], _ values: [Float]) throws {
            try Npy.write(try Tensor(shape: shape, scalars: values), to: root.appendingPathComponent("\(name).npy"))
        }

        func writeRaw(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: root.appendingPathComponent(name))
        }

        func contents(_ name: String) -> [String]? {
            try? FileManager.default.contentsOfDirectory(atPath: path(name)).sorted()
        }
    }

    /// The bytes of a `<f4` file with its dtype text replaced (same length, so the header stays valid).
    func replacingDType(_ bytes: [UInt8], with dtype: String) -> [UInt8] {
        let old = Array("<f4".utf8)
        var result = bytes
        if let at = (0...(bytes.count - old.count)).first(where: { Array(bytes[$0..<($0 + old.count)]) == old }) {
            result.replaceSubrange(at..<(at + old.count), with: Array(dtype.utf8))
        }
        return result
    }

    @Test func helpExitsZero() throws {
        for arguments in [["--help"], ["grad", "--help"], ["grad", "conv2d", "--help"], ["grad", "avgpool2d", "-h"]] {
            let r = try run(arguments)
            #expect(r.status == 0, "\(arguments)")
            #expect(r.stdout.contains("USAGE"), "\(arguments)")
        }
    }

    @Test func conv2dWritesEveryResultAndTheLoss() throws {
        let s = try Scratch()
        let r = try run(["grad", "conv2d", "--input", s.path("x.npy"), "--weight", s.path("w.npy"), "--bias", s.path("b.npy"),
                         "--stride", "2", "--target", s.path("t.npy"), "--reduction", "sum", "--out", s.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.contents("out") == ["grad_bias.npy", "grad_input.npy", "grad_weight.npy", "loss.npy", "output.npy"])
        // out = x[i,j] − x[i+1,j+1] + 0.5 = −4.5 everywhere; E = Σ out² = 81; ∂E/∂out = −9.
        let output = try Npy.readTensor(from: URL(fileURLWithPath: s.path("out/output.npy")))
        #expect(output.scalars == [-4.5, -4.5, -4.5, -4.5])
        let loss = try Npy.readTensor(from: URL(fileURLWithPath: s.path("out/loss.npy")))
        #expect(loss.shape == [] && loss.scalars == [81])
        let db = try Npy.readTensor(from: URL(fileURLWithPath: s.path("out/grad_bias.npy")))
        #expect(db.scalars == [-36])
        #expect(r.stdout.contains("output.npy") && r.stdout.contains("loss 81"))
    }

    @Test func gradOutputComputesTheVectorJacobianProduct() throws {
        let s = try Scratch()
        let r = try run(["grad", "maxpool2d", "--input", s.path("x.npy"), "--kernel", "2", "--grad-output", s.path("g.npy"),
                         "--out", s.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.contents("out") == ["grad_input.npy", "output.npy"])
        // The maximum of each 2×2 block of 1…16 is its bottom-right element.
        let dx = try Npy.readTensor(from: URL(fileURLWithPath: s.path("out/grad_input.npy")))
        #expect(dx.scalars == [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4])
    }

    @Test func badInputBattery() throws {
        let s = try Scratch()
        try s.writeRaw("garbage.npy", Array("this is not numpy".utf8))
        let valid = try Data(contentsOf: URL(fileURLWithPath: s.path("x.npy")))
        try s.writeRaw("truncated.npy", Array(valid.prefix(valid.count - 10)))
        try s.writeRaw("object.npy", replacingDType(Array(valid), with: "|O "))
        try s.writeRaw("int.npy", replacingDType(Array(valid), with: "<i4"))
        try s.save("x3", [1, 3, 4, 4], [Float](repeating: 1, count: 48))
        try s.save("big_w", [1, 1, 5, 5], [Float](repeating: 1, count: 25))
        try s.save("t_wrong", [1, 1, 3, 3], [Float](repeating: 0, count: 9))
        try s.writeRaw("plainfile", [1])

        let conv = ["grad", "conv2d", "--weight", s.path("w.npy")]
        let ok = ["--target", s.path("t.npy")]  // matches the 2×2 output of stride 2
        let cases: [(String, [String], String)] = [
            ("missing input file", conv + ["--input", s.path("nope.npy")] + ok, "nope.npy"),
            ("not a npy file", conv + ["--input", s.path("garbage.npy")] + ok, "garbage.npy"),
            ("truncated npy", conv + ["--input", s.path("truncated.npy")] + ok, "truncated.npy"),
            ("object dtype", conv + ["--input", s.path("object.npy")] + ok, "object.npy"),
            ("integer dtype", conv + ["--input", s.path("int.npy")] + ok, "int.npy"),
            ("kernel larger than input", ["grad", "conv2d", "--input", s.path("x.npy"), "--weight", s.path("big_w.npy")] + ok,
             "kernel"),
            ("channel mismatch", conv + ["--input", s.path("x3.npy")] + ok, "channels"),
            ("groups do not divide", conv + ["--input", s.path("x.npy"), "--groups", "2"] + ok, "groups"),
            ("stride zero", conv + ["--input", s.path("x.npy"), "--stride", "0"] + ok, "stride"),
            ("bad stride text", conv + ["--input", s.path("x.npy"), "--stride", "2,x"] + ok, "--stride"),
            ("bad padding text", conv + ["--input", s.path("x.npy"), "--padding", "1,2,3"] + ok, "--padding"),
            ("target shape", conv + ["--input", s.path("x.npy"), "--stride", "2", "--target", s.path("t_wrong.npy")],
             "--target"),
            ("grad-output shape", conv + ["--input", s.path("x.npy"), "--stride", "2", "--grad-output", s.path("t_wrong.npy")],
             "--grad-output"),
            ("neither target nor grad-output", conv + ["--input", s.path("x.npy")], "--grad-output"),
            ("both target and grad-output", conv + ["--input", s.path("x.npy"), "--grad-output", s.path("g.npy")] + ok,
             "--grad-output"),
            ("missing option", ["grad", "conv2d", "--input", s.path("x.npy")] + ok, "--weight"),
            ("pool padding above half the kernel",
             ["grad", "maxpool2d", "--input", s.path("x.npy"), "--kernel", "2", "--padding", "2"] + ok, "padding"),
            ("bad count-include-pad",
             ["grad", "avgpool2d", "--input", s.path("x.npy"), "--kernel", "2", "--count-include-pad", "maybe"] + ok,
             "--count-include-pad"),
        ]
        for (name, arguments, mention) in cases {
            let out = s.path("out-\(name.replacingOccurrences(of: " ", with: "-"))")
            let r = try run(arguments + ["--out", out])
            #expect(r.status == 2, "\(name): status \(r.status), stderr \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(name): \(r.stderr)")
            #expect(r.stderr.hasPrefix("fovea: error: "), "\(name): \(r.stderr)")
            #expect(r.stderr.contains(mention), "\(name): '\(r.stderr)' should mention \(mention)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(name): left \(out) behind")
        }
        let unknown = try run(["grad", "conv3d"])
        #expect(unknown.status == 2 && unknown.stderr.split(separator: "\n").count == 1 && unknown.stderr.contains("conv3d"))
    }

    @Test func unwritableOutputLeavesNothing() throws {
        let s = try Scratch()
        let arguments = ["grad", "conv2d", "--input", s.path("x.npy"), "--weight", s.path("w.npy"), "--target", s.path("t_3.npy")]
        try s.save("t_3", [1, 1, 3, 3], [Float](repeating: 0, count: 9))
        // An existing regular file, a directory below a regular file, and a directory nobody can create files in.
        try s.writeRaw("plainfile", [1])
        for out in [s.path("plainfile"), s.path("plainfile/sub"), "/proc/self"] {
            let r = try run(arguments + ["--out", out])
            #expect(r.status == 2, "\(out): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("--out"), "\(out): \(r.stderr)")
        }
        // Writing into an existing directory keeps what else it holds.
        try FileManager.default.createDirectory(atPath: s.path("kept"), withIntermediateDirectories: false)
        try s.writeRaw("kept/note.txt", [1, 2, 3])
        let failing = try run(["grad", "conv2d", "--input", s.path("x.npy"), "--weight", s.path("w.npy"),
                               "--target", s.path("t.npy"), "--out", s.path("kept")])  // 3×3 output vs 2×2 target
        #expect(failing.status == 2)
        #expect(s.contents("kept") == ["note.txt"])
        let r = try run(arguments + ["--out", s.path("kept")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.contents("kept") == ["grad_input.npy", "grad_weight.npy", "loss.npy", "note.txt", "output.npy"])
    }
}
