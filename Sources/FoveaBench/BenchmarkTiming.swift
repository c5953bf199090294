import Foundation

/// How many times a measurement repeats.
public struct BenchmarkTiming: Sendable, Hashable {
    /// Untimed calls before the timed ones.
    public var warmUp: Int
    /// Timed calls at least.
    public var minimumRepeats: Int
    /// Timed calls at most.
    public var maximumRepeats: Int
    /// Keep repeating (up to `maximumRepeats`) until this many seconds have passed.
    public var minimumSeconds: Double

    /// The rule of `torch_bench.py`: 2 warm-up calls, then at least 5 timed calls and more
    /// until 2 s have passed, at most 50.
    public static let standard = BenchmarkTiming(warmUp: 2, minimumRepeats: 5, maximumRepeats: 50, minimumSeconds: 2)

    /// Exactly `count` timed calls after 2 warm-up calls.
    public static func repeats(_ count: Int) -> BenchmarkTiming {
        BenchmarkTiming(warmUp: 2, minimumRepeats: max(count, 1), maximumRepeats: max(count, 1), minimumSeconds: 0)
    }

    public init(warmUp: Int, minimumRepeats: Int, maximumRepeats: Int, minimumSeconds: Double) {
        self.warmUp = warmUp
        self.minimumRepeats = minimumRepeats
        self.maximumRepeats = maximumRepeats
        self.minimumSeconds = minimumSeconds
    }

    /// The median wall time of `body`, in milliseconds.
    public func medianMilliseconds(_ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmUp { try body() }
        var times: [Double] = []
        let start = ContinuousClock.now
        while times.count < minimumRepeats
            || (times.count < maximumRepeats && seconds(since: start) < minimumSeconds) {
            let t0 = ContinuousClock.now
            try body()
            times.append(seconds(since: t0) * 1e3)
        }
        return Self.median(times)
    }

    /// The median of `values` (the mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
