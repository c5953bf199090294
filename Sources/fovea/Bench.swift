import ArgumentParser
import FoveaBench
import FoveaKernels

/// `fovea bench`: times the fast kernels on the standard cases.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the fast kernels on the standard cases (those of torch_bench.py).",
        discussion: """
            Prints, per case, the median milliseconds of the forward pass and of forward+backward \
            (input, weight and bias gradients; one SGD step for lenet5_train_step), the GFLOP/s \
            (forward+backward of a convolution counted as 3× its forward FLOPs, a GEMM as 2n³: the \
            direct algorithm's count, so 3×3 layers run by the Winograd kernel can pass 100%) and \
            the percentage of the FMA peak measured on the same threads. Timing: 2 warm-up calls, \
            then the median of at least 5 calls, repeated until 2 s have passed (at most 50), \
            unless --repeat is given. The peak is measured on at most as many threads as there are \
            processors. Cases: \(BenchmarkCase.allCases.map(\.name).joined(separator: ", ")). \
            See docs/benchmarks.md.
            """)

    @Option(name: .customLong("case"), help: ArgumentHelp("A case to run (repeatable; default: all).", valueName: "NAME"))
    var cases: [String] = []

    @Flag(help: "Run every case (the default when no --case is given).")
    var all = false

    @Option(help: "Threads the kernels may use (default: every processor this process may run on).")
    var threads: Int?

    @Option(name: .customLong("instruction-set"),
            help: ArgumentHelp("Widest vector instructions the kernels may use: avx512, avx2 or portable (default: the widest this CPU has).",
                               valueName: "SET"))
    var instructionSet: KernelInstructionSet?

    @Option(help: ArgumentHelp("Timed calls per measurement, after 2 warm-up calls.", valueName: "R"))
    var `repeat`: Int?

    @Option(help: "Output format: table or json.")
    var format: BenchFormat = .table

    func validate() throws {
        if let threads, !(1...KernelThreads.maximum).contains(threads) {
            throw ValidationError("--threads must be from 1 to \(KernelThreads.maximum), got \(threads)")
        }
        if let r = `repeat`, r < 1 { throw ValidationError("--repeat must be at least 1, got \(r)") }
        if all && !cases.isEmpty { throw ValidationError("give either --case or --all, not both") }
    }

    func run() throws {
        let selected = try cases.isEmpty ? BenchmarkCase.allCases : cases.map { name in
            guard let found = BenchmarkCase(rawValue: name) else {
                throw ValidationError("unknown case '\(name)'; known: \(BenchmarkCase.allCases.map(\.name).joined(separator: ", "))")
            }
            return found
        }
        if let threads { KernelThreads.limit = threads }
        if let instructionSet { KernelInstructionSet.limit = instructionSet }
        let used = KernelThreads.limit
        let runner = BenchmarkRunner(timing: `repeat`.map(BenchmarkTiming.repeats) ?? .standard)
        var report = BenchmarkReport(threads: used, peakGigaflops: PeakRate.measureGigaflops(threads: min(used, GEMM.activeProcessorCount)),
                                     microKernel: "\(GEMM.MicroKernel.automatic.resolved)",
                                     convolutionKernels: KernelInstructionSet.active.rawValue)
        if format == .table { print(report.table(), terminator: "") }
        for benchmark in selected {
            report.append(try runner.run(benchmark))
            if format == .table, let last = report.entries.last { print(report.row(last)) }
        }
        if format == .json { print(try report.json(), terminator: "") }
    }
}

/// Output formats of `fovea bench`.
enum BenchFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

extension KernelInstructionSet: ExpressibleByArgument {}
