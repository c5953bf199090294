import Foundation
import Testing

/// `fovea bench`: the JSON contract shared with `torch_bench.py`, and bad options.
@Suite struct BenchCLITests {
    func fovea(_ arguments: [String]) throws -> CLITests.Result { try CLITests().run(arguments) }

    @Test func jsonHasTheKeysOfTorchBench() throws {
        let result = try fovea(["bench", "--case", "lenet_5x5_1to32_28", "--threads", "1", "--repeat", "1",
                                "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["threads"] as? Int == 1)
        let cases = try #require(document["cases"] as? [[String: Any]])
        #expect(cases.count == 1)
        let entry = cases[0]
        #expect(entry["case"] as? String == "lenet_5x5_1to32_28")
        let forward = try #require(entry["forward_ms"] as? Double)
        let both = try #require(entry["forward_backward_ms"] as? Double)
        let gflops = try #require(entry["gflops"] as? Double)
        #expect(forward > 0 && both > 0)
        // 3 × 2 × (64·32·24·24·25) FLOPs over the forward+backward time.
        let flops = 3.0 * 2 * 64 * 32 * 24 * 24 * 25
        #expect(abs(gflops - flops / both / 1e6) <= 0.01 * gflops + 0.002)
    }

    @Test func instructionSetCapsTheKernels() throws {
        // Portable: no AVX anywhere, so both the GEMM and the convolutions report it, and the
        // case still runs (on the column path).
        let result = try fovea(["bench", "--case", "lenet_5x5_1to32_28", "--threads", "1", "--repeat", "1",
                                "--instruction-set", "portable", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["conv_kernels"] as? String == "portable")
        #expect(document["micro_kernel"] as? String == "portable")
        let cases = try #require(document["cases"] as? [[String: Any]])
        #expect((cases.first?["forward_ms"] as? Double ?? 0) > 0)
    }

    @Test func tableListsEveryRequestedCase() throws {
        let result = try fovea(["bench", "--case", "lenet_5x5_1to32_28", "--repeat", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("measured FMA peak"))
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("lenet_5x5_1to32_28") })
    }

    @Test(arguments: [
        (["bench", "--case", "resnet_9x9"], "unknown case 'resnet_9x9'"),
        (["bench", "--threads", "0"], "--threads must be from 1 to 256"),
        (["bench", "--threads", "100000"], "--threads must be from 1 to 256"),
        (["bench", "--repeat", "0"], "--repeat must be at least 1"),
        (["bench", "--all", "--case", "sgemm_1024"], "either --case or --all"),
        (["bench", "--instruction-set", "avx1024"], "--instruction-set"),
    ])
    func badOptionsAreOneLineErrors(_ arguments: [String], _ message: String) throws {
        let result = try fovea(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("fovea: error: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
