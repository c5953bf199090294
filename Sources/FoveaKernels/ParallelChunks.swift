import Dispatch

/// Splits independent work items (batch images) into at most one contiguous chunk per active
/// processor and runs the chunks concurrently.
enum ParallelChunks {
    /// The number of chunks for `items` work items: between 1 and `KernelThreads.limit`.
    static func count(for items: Int) -> Int {
        max(1, min(items, KernelThreads.limit))
    }

    /// Calls `body(chunk, range)` for each of `chunks` contiguous, disjoint ranges covering `0..<items`.
    static func run(items: Int, chunks: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        if chunks == 1 {
            body(0, 0..<items)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk, (items * chunk / chunks)..<(items * (chunk + 1) / chunks))
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
