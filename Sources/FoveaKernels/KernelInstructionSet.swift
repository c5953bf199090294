import CFoveaKernels
import Synchronization

/// The vector instruction sets the fast kernels are written for, and a process-wide cap on the
/// one they use.
///
/// By default the kernels use the widest set the CPU supports; lowering ``limit`` runs the
/// code a CPU without the wider sets would run (for example the AVX2 kernels of a Zen 2 machine
/// on a Zen 4 one, to compare them with PyTorch limited the same way). Results agree with the
/// reference kernels on every set.
public enum KernelInstructionSet: String, Sendable, CaseIterable, Comparable {
    /// Portable Swift SIMD code and the column path: runs everywhere.
    case portable
    /// AVX2 with FMA: the 6×16 GEMM micro-kernel, `DirectConvolution` and the AVX2 form of
    /// `WinogradConvolution`.
    case avx2
    /// AVX-512F: `RowTileConvolution`, `ChannelVectorConvolution` and, where 512-bit FMAs run at
    /// full width, the 12×32 GEMM micro-kernel and the AVX-512 form of `WinogradConvolution`.
    case avx512

    private var rank: Int {
        switch self {
        case .portable: 0
        case .avx2: 1
        case .avx512: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    /// The widest set this CPU and OS support, detected once.
    public static let available: KernelInstructionSet =
        fovea_cpu_has_avx512f() != 0 && fovea_cpu_has_avx2_fma() != 0 ? .avx512
        : fovea_cpu_has_avx2_fma() != 0 ? .avx2 : .portable

    /// Whether this CPU's AVX-512 units run a 512-bit FMA as two 256-bit halves (AMD Zen 4), so
    /// that AVX-512 kernels gain no arithmetic rate over AVX2 ones; read once from CPUID.
    static let avx512SplitsFMA: Bool = fovea_cpu_splits_512bit_fma() != 0

    private static let storage = Atomic<Int>(-1)

    /// The widest set kernels may use: ``available`` until set. Setting a set wider than the CPU
    /// has leaves ``active`` at ``available``.
    public static var limit: KernelInstructionSet {
        get {
            let value = storage.load(ordering: .relaxed)
            return allCases.first { $0.rank == value } ?? available
        }
        set { storage.store(newValue.rank, ordering: .relaxed) }
    }

    /// The set the kernels use now: the narrower of ``limit`` and ``available``.
    public static var active: KernelInstructionSet { min(limit, available) }
}
