import CFoveaKernels

extension GEMM {
    /// The register-tile routine at the heart of ``GEMM/sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:options:)``.
    public enum MicroKernel: Sendable, Hashable, CaseIterable {
        /// The fastest kernel this CPU supports within ``KernelInstructionSet/limit``: the AVX-512
        /// tile where 512-bit FMAs run at full width, else the AVX2 one, else the portable one.
        case automatic
        /// 12×32 tile of 16-wide AVX-512F vectors (x86-64 with AVX-512F).
        case avx512
        /// 6×16 tile of 8-wide AVX2 vectors with fused multiply-add (x86-64 with AVX2 and FMA).
        case avx2FMA
        /// 6×16 tile of portable Swift `SIMD8<Float>` arithmetic; runs everywhere.
        case portable

        /// The concrete kernel that runs for this choice on this CPU.
        public var resolved: MicroKernel {
            switch self {
            case .automatic:
                switch KernelInstructionSet.active {
                // Where 512-bit FMAs run as two halves (Zen 4) the 12×32 tile gains nothing
                // over the 6×16 one, which was measured there at parity with PyTorch.
                case .avx512: KernelInstructionSet.avx512SplitsFMA ? .avx2FMA : .avx512
                case .avx2: .avx2FMA
                case .portable: .portable
                }
            case .avx512: KernelInstructionSet.available == .avx512 ? .avx512 : .portable
            case .avx2FMA: cpuHasAVX2FMA ? .avx2FMA : .portable
            case .portable: .portable
            }
        }

        /// Whether this CPU can run the kernel.
        public var isSupported: Bool {
            switch self {
            case .automatic, .portable: true
            case .avx512: KernelInstructionSet.available == .avx512
            case .avx2FMA: cpuHasAVX2FMA
            }
        }

        /// The register tile of this kernel once resolved.
        var tile: GEMMTile {
            resolved == .avx512 ? .twelveByThirtyTwo : .sixBySixteen
        }
    }

    /// Thread limit and micro-kernel choice for a matrix product.
    public struct Options: Sendable, Hashable {
        /// Upper bound on the threads used; clamped to 1…``GEMM/activeProcessorCount``.
        public var maxThreads: Int
        /// The requested micro-kernel; an unsupported one falls back to ``MicroKernel/portable``.
        public var microKernel: MicroKernel

        /// ``KernelThreads/limit`` threads and the fastest supported micro-kernel by default.
        public init(maxThreads: Int = KernelThreads.limit, microKernel: MicroKernel = .automatic) {
            self.maxThreads = maxThreads
            self.microKernel = microKernel
        }

        /// The concrete kernel that runs for this request on this CPU.
        var resolvedMicroKernel: MicroKernel { microKernel.resolved }

        /// Threads for an `m × n × k` product: one for small problems, never more than the
        /// processors this process may run on.
        func threadCount(m: Int, n: Int, k: Int) -> Int {
            let limit = min(max(maxThreads, 1), GEMM.activeProcessorCount)
            guard limit > 1 else { return 1 }
            let (mn, overflowMN) = m.multipliedReportingOverflow(by: n)
            let (mnk, overflowMNK) = mn.multipliedReportingOverflow(by: k)
            if !overflowMN, !overflowMNK, mnk < GEMMBlocking.parallelThreshold { return 1 }
            return limit
        }
    }

    /// Processors this process may run on (its CPU affinity), read once at first use.
    public static let activeProcessorCount: Int = Int(fovea_active_processor_count())
}

/// Whether the CPU and OS support AVX2 and FMA, detected once.
let cpuHasAVX2FMA: Bool = fovea_cpu_has_avx2_fma() != 0
