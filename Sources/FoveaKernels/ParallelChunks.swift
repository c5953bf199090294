import Dispatch
import Foundation

/// Splits independent work items (batch images) into at most one contiguous chunk per active
/// processor and runs the chunks concurrently on at most `KernelThreads.limit` threads.
///
/// The chunks do not depend on the thread limit, so a kernel that reduces per-chunk results in
/// chunk order gets the same bits however many threads run them.
enum ParallelChunks {
    /// The number of chunks for `items` work items: between 1 and the active processor count.
    static func count(for items: Int) -> Int {
        max(1, min(items, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Calls `body(chunk, range)` for each of `chunks` contiguous, disjoint ranges covering
    /// `0..<items`, on at most `KernelThreads.limit` threads (thread `t` runs chunks `t`,
    /// `t + threads`, …).
    static func run(items: Int, chunks: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let threads = min(chunks, KernelThreads.limit)
        @Sendable func range(_ chunk: Int) -> Range<Int> { (items * chunk / chunks)..<(items * (chunk + 1) / chunks) }
        if threads <= 1 {
            for chunk in 0..<chunks { body(chunk, range(chunk)) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for chunk in stride(from: thread, to: chunks, by: threads) { body(chunk, range(chunk)) }
        }
    }
}

/// The address of a buffer that concurrent chunks read, or write in disjoint parts; valid only
/// inside the `withUnsafe…` scope that produced it.
struct SharedPointer: @unchecked Sendable {
    let address: UnsafeMutablePointer<Float>

    init(_ buffer: UnsafeMutableBufferPointer<Float>) { address = buffer.baseAddress! }
    init(_ buffer: UnsafeBufferPointer<Float>) { address = UnsafeMutablePointer(mutating: buffer.baseAddress!) }
}

/// The address of an index buffer that concurrent chunks read, or write in disjoint parts.
struct SharedIndices: @unchecked Sendable {
    let address: UnsafeMutablePointer<Int>

    init(_ buffer: UnsafeMutableBufferPointer<Int>) { address = buffer.baseAddress! }
    init(_ buffer: UnsafeBufferPointer<Int>) { address = UnsafeMutablePointer(mutating: buffer.baseAddress!) }
}
