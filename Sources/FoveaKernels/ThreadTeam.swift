import CFoveaKernels
import Synchronization

/// A fork–join over a fixed number of workers on libdispatch's threads, without the per-call
/// closure boxing of `DispatchQueue.concurrentPerform`.
///
/// Kernels hand each worker a fixed share of the work (a function of the worker index and the
/// worker count only) or items whose result does not depend on the worker that runs them, so
/// which thread runs a share never changes a result.
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

    /// Calls `body(worker, item)` once for every item in `0..<items`, handing the items out in
    /// order to whichever of `workers` workers is free next, so a worker whose processor is
    /// taken away for a while leaves its share to the others. Which worker runs an item must
    /// not change the item's result.
    static func forEach(_ items: Int, workers: Int, _ body: (_ worker: Int, _ item: Int) -> Void) {
        let next = Atomic<Int>(0)
        run(min(workers, items)) { worker in
            while true {
                let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard item < items else { return }
                body(worker, item)
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
