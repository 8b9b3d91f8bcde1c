;; Sparse-times-dense float64 kernels for Affine layers, in WebAssembly SIMD (f64x2).
;;
;; The product kernels walk the nonzeros of the left operand; for each block of 16 output columns the
;; 16 partial sums stay in 8 v128 registers across the whole nonzero list, so each
;; multiply-add costs one load of the dense operand. Every output column is summed in
;; nonzero order, one lane per column, exactly as the JS kernels do: results are
;; bit-identical to them. Columns past the last full block of 16 go in one block of 8, then in
;; pairs, then one at a time.
;;
;; The products compute output columns [J0, J1) only, so two threads can share one product by
;; columns: every column still sums the same terms in the same order, whichever thread owns it,
;; and the result does not depend on the split. The memory is shared for that reason.
;;
;; Both products run over tiles of T output columns (T a multiple of 16, chosen by the caller),
;; all rows for one tile before the next: a tile of W or dW (K·T·8 bytes) then stays in L2 while
;; the batch's nonzeros stream past it, where a whole row of a wide W (8 KB at 1000 columns) per
;; nonzero would stream from L3. Each column still sums its terms in the same order.
;;
;; Addresses are byte offsets into the imported memory. Compile with `npm run build:wasm`.
(module
  (import "env" "memory" (memory 1 32768 shared))
  ;; out[:, J0:J1] = x·W[:, J0:J1] + b[J0:J1], x by its nonzeros per row, T columns at a time.  x: (R, K) as starts/idx/vals, src = W: (K, M), bias: (M), dst = out: (R, M)
  (func (export "affine") (param $R i32) (param $M i32) (param $J0 i32) (param $J1 i32) (param $T i32) (param $starts i32) (param $idx i32) (param $vals i32) (param $src i32) (param $bias i32) (param $dst i32)
    (local $r i32) (local $j i32) (local $t i32) (local $t0 i32) (local $t1 i32) (local $o i32) (local $w i32) (local $v v128) (local $s f64) (local $rb i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $jlo i32) (local $jhi i32)
    (local.set $rb (i32.shl (local.get $M) (i32.const 3)))
    (local.set $jlo (local.get $J0))
    (block $tilesdone (loop $tiles
    (br_if $tilesdone (i32.ge_u (local.get $jlo) (local.get $J1)))
    (local.set $jhi (select (local.get $J1) (i32.add (local.get $jlo) (local.get $T)) (i32.gt_u (i32.add (local.get $jlo) (local.get $T)) (local.get $J1))))
    (local.set $r (i32.const 0))
    (block $done (loop $outer
      (br_if $done (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $o (i32.add (local.get $dst) (i32.mul (local.get $r) (local.get $rb))))
      (local.set $t0 (i32.load (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $t1 (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $j (local.get $jlo))
      (block $blkdone (loop $blk
        (br_if $blkdone (i32.gt_u (i32.add (local.get $j) (i32.const 12)) (local.get $jhi)))
        (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a4 (v128.load offset=64 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a5 (v128.load offset=80 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $t (local.get $t0))
        (block $tblkdone (loop $tblk
          (br_if $tblkdone (i32.ge_u (local.get $t) (local.get $t1)))
          (local.set $v (v128.load64_splat (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
          (local.set $w (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $M)) (local.get $j)) (i32.const 3))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load offset=0 (local.get $w)))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $w)))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $w)))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $w)))))
          (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $v) (v128.load offset=64 (local.get $w)))))
          (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $v) (v128.load offset=80 (local.get $w)))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tblk)))
        (local.set $w (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=0 (local.get $w) (local.get $a0))
        (v128.store offset=16 (local.get $w) (local.get $a1))
        (v128.store offset=32 (local.get $w) (local.get $a2))
        (v128.store offset=48 (local.get $w) (local.get $a3))
        (v128.store offset=64 (local.get $w) (local.get $a4))
        (v128.store offset=80 (local.get $w) (local.get $a5))
        (local.set $j (i32.add (local.get $j) (i32.const 12)))
        (br $blk)))
      (if (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $jhi)) (then
        (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $t (local.get $t0))
        (block $t8done (loop $t8
          (br_if $t8done (i32.ge_u (local.get $t) (local.get $t1)))
          (local.set $v (v128.load64_splat (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
          (local.set $w (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $M)) (local.get $j)) (i32.const 3))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load offset=0 (local.get $w)))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $w)))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $w)))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $w)))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $t8)))
        (local.set $w (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=0 (local.get $w) (local.get $a0))
        (v128.store offset=16 (local.get $w) (local.get $a1))
        (v128.store offset=32 (local.get $w) (local.get $a2))
        (v128.store offset=48 (local.get $w) (local.get $a3))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))))
      (block $pairdone (loop $pair
        (br_if $pairdone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $jhi)))
        (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $t (local.get $t0))
        (block $tpairdone (loop $tpair
          (br_if $tpairdone (i32.ge_u (local.get $t) (local.get $t1)))
          (local.set $v (v128.load64_splat (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
          (local.set $w (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $M)) (local.get $j)) (i32.const 3))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load (local.get $w)))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tpair)))
        (v128.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))) (local.get $a0))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pair)))
      (block $onedone (loop $one
        (br_if $onedone (i32.gt_u (i32.add (local.get $j) (i32.const 1)) (local.get $jhi)))
        (local.set $s (f64.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $t (local.get $t0))
        (block $tonedone (loop $tone
          (br_if $tonedone (i32.ge_u (local.get $t) (local.get $t1)))
          (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))) (f64.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $M)) (local.get $j)) (i32.const 3)))))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tone)))
        (f64.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $one)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $outer)))
    (local.set $jlo (local.get $jhi))
    (br $tiles))))

  ;; dst = xᵀ·src, x by its nonzeros per row, scattered: dst[idx[t], :] += vals[t] · src[r, :]
  ;; for r = 0, 1, …, so every dst element sums its terms in row order, as the JS kernel over
  ;; the column lists does.
  ;; x: (R, K) as starts/idx/vals, src = dout: (R, M), dst = dW: (K, M); rows [K0, K1) and
  ;; columns [J0, J1) of dW, each tile zeroed first, T columns at a time. Two threads share the
  ;; product by rows of dW: they then write no common cache line but at the one boundary row.
  (func (export "matmul_ta_rows") (param $R i32) (param $M i32) (param $K0 i32) (param $K1 i32) (param $J0 i32) (param $J1 i32) (param $T i32) (param $starts i32) (param $idx i32) (param $vals i32) (param $src i32) (param $dst i32)
    (local $r i32) (local $j i32) (local $t i32) (local $t0 i32) (local $t1 i32) (local $g i32) (local $w i32) (local $v v128) (local $rb i32) (local $s f64) (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128) (local $d4 v128) (local $d5 v128) (local $d6 v128) (local $d7 v128)
    (local $jlo i32) (local $jhi i32) (local $z i32)
    (local.set $rb (i32.shl (local.get $M) (i32.const 3)))
    (local.set $jlo (local.get $J0))
    (block $tilesdone (loop $tiles
    (br_if $tilesdone (i32.ge_u (local.get $jlo) (local.get $J1)))
    (local.set $jhi (select (local.get $J1) (i32.add (local.get $jlo) (local.get $T)) (i32.gt_u (i32.add (local.get $jlo) (local.get $T)) (local.get $J1))))
    ;; this tile's columns of dW start at zero; the other columns belong to other calls (threads)
    (local.set $w (i32.add (local.get $dst) (i32.shl (local.get $jlo) (i32.const 3))))
    (local.set $w (i32.add (local.get $w) (i32.mul (local.get $K0) (local.get $rb))))
    (local.set $z (local.get $K0))
    (block $zdone (loop $zero
      (br_if $zdone (i32.ge_u (local.get $z) (local.get $K1)))
      (memory.fill (local.get $w) (i32.const 0) (i32.shl (i32.sub (local.get $jhi) (local.get $jlo)) (i32.const 3)))
      (local.set $w (i32.add (local.get $w) (local.get $rb)))
      (local.set $z (i32.add (local.get $z) (i32.const 1)))
      (br $zero)))
    (local.set $r (i32.const 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $g (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $rb))))
      (local.set $t0 (i32.load (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $t1 (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      ;; only the nonzeros whose index is in [K0, K1): a row lists its nonzeros by increasing index
      (block $lodone (loop $lo
        (br_if $lodone (i32.ge_u (local.get $t0) (local.get $t1)))
        (br_if $lodone (i32.ge_u (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t0) (i32.const 2)))) (local.get $K0)))
        (local.set $t0 (i32.add (local.get $t0) (i32.const 1)))
        (br $lo)))
      (block $hidone (loop $hi
        (br_if $hidone (i32.le_u (local.get $t1) (local.get $t0)))
        (br_if $hidone (i32.lt_u (i32.load (i32.add (local.get $idx) (i32.shl (i32.sub (local.get $t1) (i32.const 1)) (i32.const 2)))) (local.get $K1)))
        (local.set $t1 (i32.sub (local.get $t1) (i32.const 1)))
        (br $hi)))
      (local.set $j (local.get $jlo))
      (block $blkdone (loop $blk
        (br_if $blkdone (i32.gt_u (i32.add (local.get $j) (i32.const 12)) (local.get $jhi)))
        (local.set $w (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $d0 (v128.load offset=0 (local.get $w)))
        (local.set $d1 (v128.load offset=16 (local.get $w)))
        (local.set $d2 (v128.load offset=32 (local.get $w)))
        (local.set $d3 (v128.load offset=48 (local.get $w)))
        (local.set $d4 (v128.load offset=64 (local.get $w)))
        (local.set $d5 (v128.load offset=80 (local.get $w)))
        (local.set $t (local.get $t0))
        (block $tblkdone (loop $tblk
          (br_if $tblkdone (i32.ge_u (local.get $t) (local.get $t1)))
          (local.set $v (v128.load64_splat (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
          (local.set $w (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $M)) (local.get $j)) (i32.const 3))))
          (v128.store offset=0 (local.get $w) (f64x2.add (v128.load offset=0 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d0))))
          (v128.store offset=16 (local.get $w) (f64x2.add (v128.load offset=16 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d1))))
          (v128.store offset=32 (local.get $w) (f64x2.add (v128.load offset=32 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d2))))
          (v128.store offset=48 (local.get $w) (f64x2.add (v128.load offset=48 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d3))))
          (v128.store offset=64 (local.get $w) (f64x2.add (v128.load offset=64 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d4))))
          (v128.store offset=80 (local.get $w) (f64x2.add (v128.load offset=80 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d5))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tblk)))

        (local.set $j (i32.add (local.get $j) (i32.const 12)))
        (br $blk)))
      (if (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $jhi)) (then
        (local.set $w (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $d0 (v128.load offset=0 (local.get $w)))
        (local.set $d1 (v128.load offset=16 (local.get $w)))
        (local.set $d2 (v128.load offset=32 (local.get $w)))
        (local.set $d3 (v128.load offset=48 (local.get $w)))
        (local.set $t (local.get $t0))
        (block $t8done (loop $t8
          (br_if $t8done (i32.ge_u (local.get $t) (local.get $t1)))
          (local.set $v (v128.load64_splat (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
          (local.set $w (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $M)) (local.get $j)) (i32.const 3))))
          (v128.store offset=0 (local.get $w) (f64x2.add (v128.load offset=0 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d0))))
          (v128.store offset=16 (local.get $w) (f64x2.add (v128.load offset=16 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d1))))
          (v128.store offset=32 (local.get $w) (f64x2.add (v128.load offset=32 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d2))))
          (v128.store offset=48 (local.get $w) (f64x2.add (v128.load offset=48 (local.get $w)) (f64x2.mul (local.get $v) (local.get $d3))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $t8)))

        (local.set $j (i32.add (local.get $j) (i32.const 8)))))
      (block $pairdone (loop $pair
        (br_if $pairdone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $jhi)))
        (local.set $d0 (v128.load (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $t (local.get $t0))
        (block $tpairdone (loop $tpair
          (br_if $tpairdone (i32.ge_u (local.get $t) (local.get $t1)))
          (local.set $v (v128.load64_splat (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
          (local.set $w (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $M)) (local.get $j)) (i32.const 3))))
          (v128.store (local.get $w) (f64x2.add (v128.load (local.get $w)) (f64x2.mul (local.get $v) (local.get $d0))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tpair)))

        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pair)))
      (block $onedone (loop $one
        (br_if $onedone (i32.gt_u (i32.add (local.get $j) (i32.const 1)) (local.get $jhi)))
        (local.set $s (f64.load (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $t (local.get $t0))
        (block $tonedone (loop $tone
          (br_if $tonedone (i32.ge_u (local.get $t) (local.get $t1)))
          (local.set $w (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $M)) (local.get $j)) (i32.const 3))))
          (f64.store (local.get $w) (f64.add (f64.load (local.get $w)) (f64.mul (f64.load (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))) (local.get $s))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tone)))

        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $one)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows)))
    (local.set $jlo (local.get $jhi))
    (br $tiles))))


  ;; db = Σ_rows dout, row by row from 0, as the JS loop sums.  dout: (N, M), db: (M)
  (func (export "sum_rows") (param $N i32) (param $M i32) (param $src i32) (param $dst i32)
    (local $i i32) (local $j i32) (local $row i32)
    (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $M) (i32.const 3)))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $N)))
      (local.set $row (i32.add (local.get $src) (i32.shl (i32.mul (local.get $i) (local.get $M)) (i32.const 3))))
      (local.set $j (i32.const 0))
      (block $pdone (loop $pairs
        (br_if $pdone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $M)))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3)))
          (f64x2.add (v128.load (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3))))
                     (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
      (if (i32.lt_u (local.get $j) (local.get $M))
        (then (f64.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3)))
          (f64.add (f64.load (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3))))
                   (f64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; W ← W − lr·dW over n float64s; mul then sub, no fused multiply-add, as the JS update rounds.
  (func (export "sgd") (param $n i32) (param $lr f64) (param $W i32) (param $dW i32)
    (local $i i32) (local $end i32) (local $l v128)
    (local.set $l (f64x2.splat (local.get $lr)))
    (local.set $end (i32.add (local.get $W) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $W) (local.get $end)))
      (v128.store (local.get $W) (f64x2.sub (v128.load (local.get $W)) (f64x2.mul (local.get $l) (v128.load (local.get $dW)))))
      (local.set $W (i32.add (local.get $W) (i32.const 16)))
      (local.set $dW (i32.add (local.get $dW) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $W) (f64.sub (f64.load (local.get $W)) (f64.mul (local.get $lr) (f64.load (local.get $dW))))))))

  ;; Widens n pixel entries in place of a copy: idx32[t] = idx16[t], vals[t] = lut[val8[t]].
  (func (export "expand_pixels") (param $n i32) (param $idx16 i32) (param $val8 i32) (param $lut i32) (param $idx32 i32) (param $vals i32)
    (local $t i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $t) (local.get $n)))
      (i32.store (i32.add (local.get $idx32) (i32.shl (local.get $t) (i32.const 2)))
        (i32.load16_u (i32.add (local.get $idx16) (i32.shl (local.get $t) (i32.const 1)))))
      (f64.store (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))
        (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u (i32.add (local.get $val8) (local.get $t))) (i32.const 3)))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $l))))

  ;; dx = dout·Wᵀ.  dout: (N, M), W: (K, M), dx: (N, K). Two outputs k, k+1 share a v128, each
  ;; lane summing its own row of W in j order, so every output rounds exactly as the JS loop does.
  (func (export "matmul_tb") (param $N i32) (param $M i32) (param $K i32) (param $dout i32) (param $W i32) (param $dx i32)
    (local $i i32) (local $k i32) (local $j i32) (local $g i32) (local $o i32) (local $w0 i32) (local $w1 i32) (local $rb i32)
    (local $acc v128) (local $s f64)
    (local.set $rb (i32.shl (local.get $M) (i32.const 3)))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $N)))
      (local.set $g (i32.add (local.get $dout) (i32.mul (local.get $i) (local.get $rb))))
      (local.set $o (i32.add (local.get $dx) (i32.shl (i32.mul (local.get $i) (local.get $K)) (i32.const 3))))
      (local.set $k (i32.const 0))
      (block $pdone (loop $pairs
        (br_if $pdone (i32.gt_u (i32.add (local.get $k) (i32.const 2)) (local.get $K)))
        (local.set $w0 (i32.add (local.get $W) (i32.mul (local.get $k) (local.get $rb))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $rb)))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jl
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $M)))
          (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul
            (v128.load64_splat (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3))))
            (f64x2.replace_lane 1
              (v128.load64_splat (i32.add (local.get $w0) (i32.shl (local.get $j) (i32.const 3))))
              (f64.load (i32.add (local.get $w1) (i32.shl (local.get $j) (i32.const 3))))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jl)))
        (v128.store (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3))) (local.get $acc))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $pairs)))
      (if (i32.lt_u (local.get $k) (local.get $K))
        (then
          (local.set $w0 (i32.add (local.get $W) (i32.mul (local.get $k) (local.get $rb))))
          (local.set $s (f64.const 0))
          (local.set $j (i32.const 0))
          (block $sdone (loop $sl
            (br_if $sdone (i32.ge_u (local.get $j) (local.get $M)))
            (local.set $s (f64.add (local.get $s) (f64.mul
              (f64.load (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3))))
              (f64.load (i32.add (local.get $w0) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $sl)))
          (f64.store (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3))) (local.get $s))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; Lists the nonzeros of a dense (N, K) matrix by row, as SparseRows.load does; returns their
  ;; count. Branch-free: every entry is written, and the cursor moves past the nonzero ones only.
  (func (export "csr_from_dense") (param $N i32) (param $K i32) (param $x i32) (param $starts i32) (param $idx i32) (param $vals i32) (result i32)
    (local $i i32) (local $k i32) (local $nz i32) (local $v f64)
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $N)))
      (i32.store (i32.add (local.get $starts) (i32.shl (local.get $i) (i32.const 2))) (local.get $nz))
      (local.set $k (i32.const 0))
      (block $rdone (loop $cols
        (br_if $rdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $v (f64.load (local.get $x)))
        (i32.store (i32.add (local.get $idx) (i32.shl (local.get $nz) (i32.const 2))) (local.get $k))
        (f64.store (i32.add (local.get $vals) (i32.shl (local.get $nz) (i32.const 3))) (local.get $v))
        (local.set $nz (i32.add (local.get $nz) (f64.ne (local.get $v) (f64.const 0))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $cols)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    (i32.store (i32.add (local.get $starts) (i32.shl (local.get $N) (i32.const 2))) (local.get $nz))
    (local.get $nz))
)
