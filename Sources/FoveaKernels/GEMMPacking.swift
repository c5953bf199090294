/// Copies blocks of `op(A)` and `op(B)` into the contiguous panel layouts the micro-kernels
/// stream through, zero-padding partial panels so every kernel call sees a full tile.
enum GEMMPacking {
    /// Packs rows `rows` and columns `depth` of `op(A)` as `mr`-row panels: panel `q` holds
    /// `depth.count` groups of `mr` floats (one per row) at `destination + q·mr·depth.count`.
    static func packA(
        _ operands: GEMMOperands, rows: Range<Int>, depth: Range<Int>,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let mr = GEMMBlocking.mr
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
            } else if height == mr {
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
    /// holds `depth.count` groups of `nr` floats at `destination + q·nr·depth.count`.
    static func packB(
        _ operands: GEMMOperands, depth: Range<Int>, columns: Range<Int>, panels: Range<Int>,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let nr = GEMMBlocking.nr
        let kc = depth.count
        let b = operands.b
        let ldb = operands.ldb
        for q in panels {
            let j0 = columns.lowerBound &+ q &* nr
            let width = min(nr, columns.upperBound &- j0)
            let panel = destination + q &* nr &* kc
            if operands.transB {
                // op(B)[p][j] = B[j][p]: read each column's run of depth contiguously.
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
                for _ in 0..<kc {
                    dst.storeBytes(of: src.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                    src += rowBytes
                    dst += MemoryLayout<SIMD16<Float>>.stride
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
