import CFoveaKernels

/// Copies blocks of `op(A)` and `op(B)` into the contiguous panel layouts the micro-kernels
/// stream through, zero-padding partial panels so every kernel call sees a full tile.
enum GEMMPacking {
    /// Packs rows `rows` and columns `depth` of `op(A)` as `mr`-row panels: panel `q` holds
    /// `depth.count` groups of `mr` floats (one per row) at `destination + q·mr·depth.count`.
    static func packA(
        _ operands: GEMMOperands, rows: Range<Int>, depth: Range<Int>, mr: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let kc = depth.count
        let a = operands.a
        let lda = operands.lda
        var out = destination
        var i0 = rows.lowerBound
        while i0 < rows.upperBound {
            let height = min(mr, rows.upperBound &- i0)
            if operands.transA {
                // op(A)[i][p] = A[p][i]: each depth step is a contiguous run of rows.
                var src = a + (depth.lowerBound &* lda &+ i0)
                for _ in 0..<kc {
                    for r in 0..<height { out[r] = src[r] }
                    for r in height..<mr { out[r] = 0 }
                    src += lda
                    out += mr
                }
            } else if mr <= 16 && KernelInstructionSet.active == .avx512 {
                // op(A)[i][p] = A[i][p]: the row block transposed 16 × 16 at a time in registers,
                // rows past `height` zero.
                fovea_transpose_avx512(a + (i0 &* lda &+ depth.lowerBound), lda, height, kc, out, mr, mr)
                out += kc &* mr
            } else if height == 6 && mr == 6 {
                // op(A)[i][p] = A[i][p]: six row streams, interleaved into sequential writes.
                let r0 = a + (i0 &* lda &+ depth.lowerBound)
                let r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda
                for p in 0..<kc {
                    out[0] = r0[p]
                    out[1] = r1[p]
                    out[2] = r2[p]
                    out[3] = r3[p]
                    out[4] = r4[p]
                    out[5] = r5[p]
                    out += mr
                }
            } else if height == mr {
                // The same for any tile height: `mr` row streams.
                let r0 = a + (i0 &* lda &+ depth.lowerBound)
                for p in 0..<kc {
                    var source = r0 + p
                    for r in 0..<mr {
                        out[r] = source.pointee
                        source += lda
                    }
                    out += mr
                }
            } else {
                for p in 0..<kc {
                    for r in 0..<height { out[r] = a[(i0 &+ r) &* lda &+ depth.lowerBound &+ p] }
                    for r in height..<mr { out[r] = 0 }
                    out += mr
                }
            }
            i0 &+= mr
        }
    }

    /// Packs `nr`-column panels `panels` of the block `depth × columns` of `op(B)`: panel `q`
    /// holds `depth.count` groups of `nr` floats at `destination + q·nr·depth.count`. `nr` is a
    /// multiple of 16.
    static func packB(
        _ operands: GEMMOperands, depth: Range<Int>, columns: Range<Int>, panels: Range<Int>,
        nr: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        let kc = depth.count
        let b = operands.b
        let ldb = operands.ldb
        for q in panels {
            let j0 = columns.lowerBound &+ q &* nr
            let width = min(nr, columns.upperBound &- j0)
            let panel = destination + q &* nr &* kc
            if operands.transB && width == nr {
                // op(B)[p][j] = B[j][p]: four columns at a time, transposing 4 × 4 blocks.
                for group in stride(from: 0, to: nr, by: 4) {
                    let s0 = UnsafeRawPointer(b + ((j0 &+ group) &* ldb &+ depth.lowerBound))
                    let rowBytes = ldb &* MemoryLayout<Float>.stride
                    let s1 = s0 + rowBytes, s2 = s1 + rowBytes, s3 = s2 + rowBytes
                    var dst = UnsafeMutableRawPointer(panel + group)
                    let stepBytes = nr &* MemoryLayout<Float>.stride
                    var p = 0
                    while p &+ 4 <= kc {
                        let offset = p &* MemoryLayout<Float>.stride
                        let x0 = s0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
                        let x1 = s1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
                        let x2 = s2.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
                        let x3 = s3.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
                        dst.storeBytes(of: SIMD4(x0[0], x1[0], x2[0], x3[0]), as: SIMD4<Float>.self)
                        dst.storeBytes(of: SIMD4(x0[1], x1[1], x2[1], x3[1]), toByteOffset: stepBytes, as: SIMD4<Float>.self)
                        dst.storeBytes(of: SIMD4(x0[2], x1[2], x2[2], x3[2]), toByteOffset: 2 &* stepBytes, as: SIMD4<Float>.self)
                        dst.storeBytes(of: SIMD4(x0[3], x1[3], x2[3], x3[3]), toByteOffset: 3 &* stepBytes, as: SIMD4<Float>.self)
                        dst += 4 &* stepBytes
                        p &+= 4
                    }
                    while p < kc {
                        let offset = p &* MemoryLayout<Float>.stride
                        let column = SIMD4(
                            s0.load(fromByteOffset: offset, as: Float.self),
                            s1.load(fromByteOffset: offset, as: Float.self),
                            s2.load(fromByteOffset: offset, as: Float.self),
                            s3.load(fromByteOffset: offset, as: Float.self))
                        dst.storeBytes(of: column, as: SIMD4<Float>.self)
                        dst += stepBytes
                        p &+= 1
                    }
                }
            } else if operands.transB {
                // A partial panel of op(B) = Bᵀ: one column's contiguous run of depth at a time.
                for jj in 0..<nr {
                    var dst = panel + jj
                    if jj < width {
                        let src = b + ((j0 &+ jj) &* ldb &+ depth.lowerBound)
                        for p in 0..<kc {
                            dst.pointee = src[p]
                            dst += nr
                        }
                    } else {
                        for _ in 0..<kc {
                            dst.pointee = 0
                            dst += nr
                        }
                    }
                }
            } else if width == nr {
                var src = UnsafeRawPointer(b + (depth.lowerBound &* ldb &+ j0))
                var dst = UnsafeMutableRawPointer(panel)
                let rowBytes = ldb &* MemoryLayout<Float>.stride
                let vectorBytes = MemoryLayout<SIMD16<Float>>.stride
                for _ in 0..<kc {
                    var offset = 0
                    while offset < nr &* MemoryLayout<Float>.stride {
                        dst.storeBytes(
                            of: src.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self),
                            toByteOffset: offset, as: SIMD16<Float>.self)
                        offset &+= vectorBytes
                    }
                    src += rowBytes
                    dst += nr &* MemoryLayout<Float>.stride
                }
            } else {
                var src = b + (depth.lowerBound &* ldb &+ j0)
                var dst = panel
                for _ in 0..<kc {
                    for jj in 0..<width { dst[jj] = src[jj] }
                    for jj in width..<nr { dst[jj] = 0 }
                    src += ldb
                    dst += nr
                }
            }
        }
    }
}
