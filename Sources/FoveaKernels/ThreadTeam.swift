import CFoveaKernels

/// A fork–join over a fixed number of workers on libdispatch's threads, without the per-call
/// closure boxing of `DispatchQueue.concurrentPerform`.
///
/// Kernels hand each worker a fixed share of the work (a function of the worker index and the
/// worker count only), so which thread runs a share never changes a result.
enum ThreadTeam {
    /// Calls `body(worker)` for every worker in `0..<workers` concurrently (the caller's thread
    /// takes part) and returns when all have finished. One worker runs inline.
    static func run(_ workers: Int, _ body: (Int) -> Void) {
        guard workers > 1 else {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { body in
            var work = body
            withUnsafeMutablePointer(to: &work) { pointer in
                fovea_parallel_for(workers, pointer) { context, worker in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(worker))
                }
            }
        }
    }

    /// Workers for a call of `multiplyAdds` multiply–adds over `items` independent items: one
    /// below the size where waking a second thread pays off, else up to ``KernelThreads/limit``.
    static func workers(multiplyAdds: Int, items: Int) -> Int {
        guard multiplyAdds >= GEMMBlocking.parallelThreshold else { return 1 }
        return max(1, min(KernelThreads.limit, items))
    }

    /// The `part`-th of `parts` nearly equal consecutive ranges of `0..<count`.
    static func share(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        (part * count / parts)..<((part + 1) * count / parts)
    }
}
