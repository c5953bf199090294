import Foundation

/// The results of a run and the machine facts they are read against, rendered as a table or
/// as the JSON of `torch_bench.py` (`{"cases": [{"case", "forward_ms", "forward_backward_ms",
/// "gflops"}, …]}`, with extra keys beside those).
public struct BenchmarkReport: Sendable {
    /// One measured case and the process's peak memory after it.
    public struct Entry: Sendable {
        public let result: BenchmarkResult
        /// Peak resident memory of the process so far, in MiB.
        public let peakMemoryMiB: Double
    }

    /// Threads the kernels used.
    public let threads: Int
    /// Measured FMA peak on those threads, in GFLOP/s (nil without AVX2 and FMA).
    public let peakGigaflops: Double?
    /// The GEMM micro-kernel that ran (`avx2FMA` or `portable`).
    public let microKernel: String
    /// The instruction set of the convolution kernels (`avx512`, `avx2` or `portable`).
    public let convolutionKernels: String
    public private(set) var entries: [Entry] = []

    public init(threads: Int, peakGigaflops: Double?, microKernel: String, convolutionKernels: String) {
        self.threads = threads
        self.peakGigaflops = peakGigaflops
        self.microKernel = microKernel
        self.convolutionKernels = convolutionKernels
    }

    /// Adds a result, recording the peak memory at this point.
    public mutating func append(_ result: BenchmarkResult) {
        entries.append(Entry(result: result, peakMemoryMiB: Self.peakMemoryMiB()))
    }

    /// The percentage of the measured peak that `gigaflops` is.
    public func percentOfPeak(_ gigaflops: Double?) -> Double? {
        guard let gigaflops, let peakGigaflops, peakGigaflops > 0 else { return nil }
        return 100 * gigaflops / peakGigaflops
    }

    /// The header line: threads, kernel and peak.
    public var header: String {
        let peak = peakGigaflops.map { String(format: "%.1f GFLOP/s", $0) } ?? "not measured (no AVX2/FMA)"
        return "fovea bench: \(threads) thread\(threads == 1 ? "" : "s"), GEMM \(microKernel), convolutions \(convolutionKernels), measured FMA peak \(peak)"
    }

    /// One line per case, aligned, after the header.
    public func table() -> String {
        var lines = [header, "case".padding(toLength: 24, withPad: " ", startingAt: 0) + " " + "fwd ms".leftPadded(11)
            + " " + "fwd+bwd ms".leftPadded(13) + " " + "GFLOP/s".leftPadded(9) + " " + "% peak".leftPadded(7)
            + " " + "peak MiB".leftPadded(9)]
        for entry in entries {
            lines.append(row(entry))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The row of one entry in ``table()``.
    public func row(_ entry: Entry) -> String {
        let r = entry.result
        func cell(_ value: Double?, _ digits: Int) -> String {
            value.map { String(format: "%.\(digits)f", $0) } ?? "-"
        }
        return r.name.padding(toLength: 24, withPad: " ", startingAt: 0)
            + " " + cell(r.forwardMilliseconds, 2).leftPadded(11)
            + " " + cell(r.forwardBackwardMilliseconds, 2).leftPadded(13)
            + " " + cell(r.gigaflops, 1).leftPadded(9)
            + " " + cell(percentOfPeak(r.gigaflops), 0).leftPadded(7)
            + " " + cell(entry.peakMemoryMiB, 0).leftPadded(9)
    }

    /// The JSON document (keys sorted, numbers as JSON numbers, missing values as null).
    public func json() throws -> String {
        let cases: [[String: Any]] = entries.map { entry in
            let r = entry.result
            return [
                "case": r.name,
                "forward_ms": Self.number(r.forwardMilliseconds),
                "forward_backward_ms": Self.number(r.forwardBackwardMilliseconds),
                "gflops": Self.number(r.gigaflops),
                "percent_of_peak": Self.number(percentOfPeak(r.gigaflops)),
                "peak_memory_mib": Self.number(entry.peakMemoryMiB),
            ]
        }
        let document: [String: Any] = [
            "fovea": "bench", "threads": threads, "micro_kernel": microKernel, "conv_kernels": convolutionKernels,
            "peak_gflops": Self.number(peakGigaflops), "cases": cases,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func number(_ value: Double?) -> Any {
        guard let value, value.isFinite else { return NSNull() }
        return (value * 1000).rounded() / 1000
    }

    /// Peak resident set size of this process, in MiB (Linux reports KiB).
    static func peakMemoryMiB() -> Double {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1024
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
