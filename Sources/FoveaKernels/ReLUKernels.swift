/// The rectifier on flat buffers, four elements at a time.
public enum ReLUKernels {
    /// `max(x, 0)` element-wise: `x` where `x > 0` or `x` is NaN, else `+0` (also for `−0`).
    public static func forward(_ input: [Float]) -> [Float] {
        guard !input.isEmpty else { return [] }
        return [Float](unsafeUninitializedCapacity: input.count) { y, initialized in
            input.withUnsafeBufferPointer { x in
                let (source, target, count) = (x.baseAddress!, y.baseAddress!, x.count)
                var i = 0
                while i + 4 <= count {
                    let value = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD4<Float>.self)
                    UnsafeMutableRawPointer(target + i).storeBytes(of: value.replacing(with: 0, where: value .<= 0),
                                                                   as: SIMD4<Float>.self)
                    i += 4
                }
                while i < count {
                    target[i] = source[i] <= 0 ? 0 : source[i]
                    i += 1
                }
            }
            initialized = input.count
        }
    }

    /// `∂E/∂x`: `gradOutput` where `input > 0`, else `+0` (also where `input` is NaN).
    public static func backward(input: [Float], gradOutput: [Float]) -> [Float] {
        precondition(input.count == gradOutput.count, "relu gradient has \(gradOutput.count) elements, expected \(input.count)")
        guard !input.isEmpty else { return [] }
        return [Float](unsafeUninitializedCapacity: input.count) { dx, initialized in
            input.withUnsafeBufferPointer { x in
                gradOutput.withUnsafeBufferPointer { dy in
                    let (source, upstream, target, count) = (x.baseAddress!, dy.baseAddress!, dx.baseAddress!, x.count)
                    var i = 0
                    while i + 4 <= count {
                        let value = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD4<Float>.self)
                        let gradient = UnsafeRawPointer(upstream + i).loadUnaligned(as: SIMD4<Float>.self)
                        UnsafeMutableRawPointer(target + i).storeBytes(of: gradient.replacing(with: 0, where: .!(value .> 0)),
                                                                       as: SIMD4<Float>.self)
                        i += 4
                    }
                    while i < count {
                        target[i] = source[i] > 0 ? upstream[i] : 0
                        i += 1
                    }
                }
            }
            initialized = input.count
        }
    }
}
