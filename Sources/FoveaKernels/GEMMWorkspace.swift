import Synchronization

/// A 64-byte-aligned float buffer that only grows, reused across `sgemm` calls.
///
/// `@unchecked Sendable`: a buffer is owned by one call at a time — it is taken out of
/// ``GEMMWorkspacePool`` under its lock and put back when the call ends — and within a call
/// the worker threads write disjoint parts of it.
final class GEMMBuffer: @unchecked Sendable {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        pointer = GEMMBuffer.allocate(self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for at least `count` floats; the contents are not preserved when it grows.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = count
        pointer = GEMMBuffer.allocate(count)
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }
}

/// Packing buffers kept between calls so that a steady stream of products allocates nothing.
/// Each call takes one buffer holding, for each of its threads, a packed B panel, a packed A
/// block and an edge-tile scratch, and gives it back when done; concurrent calls take
/// different buffers. Buffers never shrink, and at most one per concurrent call is kept.
enum GEMMWorkspacePool {
    private static let free = Mutex<[GEMMBuffer]>([])

    /// A buffer of at least `count` floats: the smallest free one that is large enough, else
    /// the largest free one grown to `count` (so that calls needing buffers of several sizes
    /// at once keep reusing them), else a new one.
    static func take(count: Int) -> GEMMBuffer {
        let buffer = free.withLock { buffers -> GEMMBuffer? in
            guard !buffers.isEmpty else { return nil }
            var choice = 0
            for (i, candidate) in buffers.enumerated() {
                let best = buffers[choice]
                let fits = candidate.capacity >= count, bestFits = best.capacity >= count
                if fits ? (!bestFits || candidate.capacity < best.capacity) : (!bestFits && candidate.capacity > best.capacity) {
                    choice = i
                }
            }
            return buffers.remove(at: choice)
        } ?? GEMMBuffer(capacity: count)
        buffer.reserve(count)
        return buffer
    }

    /// Returns a buffer taken with ``take(count:)``.
    static func give(_ buffer: GEMMBuffer) {
        free.withLock { $0.append(buffer) }
    }
}
