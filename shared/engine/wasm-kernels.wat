;; Sparse-times-dense float64 kernels for Affine layers, in WebAssembly SIMD (f64x2).
;;
;; The product kernel (affine) walks the nonzeros of the left operand; for each block of 12 output
;; columns the 12 partial sums stay in 6 v128 registers across the whole nonzero list, so each
;; multiply-add costs one load of the dense operand. (With 16 columns in 8 registers, V8 hoists the
;; 8 loads of an iteration and runs out of the 15 it allocates: two spills per nonzero.) Columns past
;; the last block of 12 go in one block of 8, then in pairs, then one at a time. Every output column
;; is summed in nonzero order, one lane per column, exactly as the JS kernels do: results are
;; bit-identical to them. dW = xᵀ·dout is the same kernel over x's nonzeros listed by column,
;; dx = dout·Wᵀ the same kernel over dout's nonzeros and a transposed copy of W.
;;
;; A kernel computes the rows it is given (out rows, dW rows, dx rows), so two threads can share a
;; product by rows: each row sums the same terms in the same order, whichever thread computes it,
;; and the result does not depend on the split. The memory is shared for that reason (the build
;; script also emits the kernels for an unshared memory, and with fused multiply-adds).
;;
;; The products run over tiles of T output columns (chosen by the caller), all rows for one tile
;; before the next: a tile of the dense operand (K·T·8 bytes) then stays in L2 while the
;; nonzeros stream past it, where a whole row of a wide W (8 KB at 1000 columns) per nonzero would
;; stream from L3. Each column still sums its terms in the same order.
;;
;; Addresses are byte offsets into the imported memory. Compile with `npm run build:wasm`.
(module
  (import "env" "memory" (memory 1 32768 shared))
  ;; out = x·W + b, x by its nonzeros per row, T columns at a time.  x: (R, K) as starts/idx/vals,
  ;; idx holding each nonzero's byte offset of W's row k; src = W: (K, M), bias: (M), dst = out: (R, M)
  ;; with its rows D bytes apart (M·8, or more for M columns of a wider out).
  ;; Each tile's columns of W start S bytes after the last tile's: W as it is (S = T·8, offsets k·M·8)
  ;; or W in pack_panels' panels (S = K·T·8, offsets k·T·8).
  (func (export "affine") (param $R i32) (param $M i32) (param $T i32) (param $S i32) (param $starts i32) (param $idx i32) (param $vals i32) (param $src i32) (param $bias i32) (param $dst i32) (param $D i32)
    (local $r i32) (local $j i32) (local $p i32) (local $q i32) (local $p0 i32) (local $q0 i32) (local $pend i32) (local $o i32) (local $w i32) (local $base i32) (local $v v128) (local $s f64) (local $rb i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128)
    (local $jlo i32) (local $left i32) (local $n14 i32) (local $rem12 i32) (local $j14 i32) (local $jhi i32) (local $tsrc i32) (local $toff i32)
    (local.set $rb (local.get $D))
    (block $tilesdone (loop $tiles
    (br_if $tilesdone (i32.ge_u (local.get $jlo) (local.get $M)))
    (local.set $jhi (select (local.get $M) (i32.add (local.get $jlo) (local.get $T)) (i32.gt_u (i32.add (local.get $jlo) (local.get $T)) (local.get $M))))
    ;; this tile's columns of the dense operand start S bytes after the last tile's; tsrc + j·8 is column j's
    (local.set $tsrc (i32.sub (i32.add (local.get $src) (local.get $toff)) (i32.shl (local.get $jlo) (i32.const 3))))
    ;; A block of 14 columns (7 accumulators: all V8 keeps in registers beside an iteration's
    ;; loads) saves passes over the nonzeros, each of which costs about as much whatever its
    ;; width (every accumulator is a chain of dependent adds): the book's 50 columns are 14 + 3·12,
    ;; four passes instead of five (12·4 + 2); a 56-column tile 4·14 instead of 12·4 + 8. With
    ;; E the even part of the columns left and n = ⌈E/14⌉ passes at best, E = 14·(n − b) + 12·b
    ;; with b = (14n − E)/2 blocks of 12, so 14-blocks come first while b < n; where 12s and
    ;; 14s cannot make E, one 14 still saves a pass when E mod 12 is 2, 4 or 10. The tile's
    ;; 14-blocks end at column j14, the same for every row.
    (local.set $left (i32.and (i32.sub (local.get $jhi) (local.get $jlo)) (i32.const -2)))
    (local.set $j14 (local.get $jlo))
    (block $c14done (loop $c14
      (br_if $c14done (i32.lt_u (local.get $left) (i32.const 14)))
      (local.set $n14 (i32.div_u (i32.add (local.get $left) (i32.const 13)) (i32.const 14)))
      (local.set $rem12 (i32.rem_u (local.get $left) (i32.const 12)))
      (br_if $c14done (i32.eqz
        (i32.or (i32.lt_u (i32.shr_u (i32.sub (i32.mul (local.get $n14) (i32.const 14)) (local.get $left)) (i32.const 1)) (local.get $n14))
                (i32.or (i32.eq (local.get $rem12) (i32.const 2))
                        (i32.or (i32.eq (local.get $rem12) (i32.const 4)) (i32.eq (local.get $rem12) (i32.const 10)))))))
      (local.set $j14 (i32.add (local.get $j14) (i32.const 14)))
      (local.set $left (i32.sub (local.get $left) (i32.const 14)))
      (br $c14)))
    (local.set $r (i32.const 0))
    (block $done (loop $outer
      (br_if $done (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $o (i32.add (local.get $dst) (i32.mul (local.get $r) (local.get $rb))))
      ;; the row's nonzeros: offsets from p0 to pend, values from q0
      (local.set $p0 (i32.load (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $pend (i32.add (local.get $idx) (i32.shl (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 2))))
      (local.set $q0 (i32.add (local.get $vals) (i32.shl (local.get $p0) (i32.const 3))))
      (local.set $p0 (i32.add (local.get $idx) (i32.shl (local.get $p0) (i32.const 2))))
      (local.set $j (local.get $jlo))
      (block $blkdone (loop $blk
        (if (i32.lt_u (local.get $j) (local.get $j14)) (then
          (local.set $base (i32.add (local.get $tsrc) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $a4 (v128.load offset=64 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $a5 (v128.load offset=80 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $a6 (v128.load offset=96 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $p (local.get $p0))
          (local.set $q (local.get $q0))
          (block $$t14done (loop $$t14
            (br_if $$t14done (i32.ge_u (local.get $p) (local.get $pend)))
            (local.set $v (v128.load64_splat (local.get $q)))
            (local.set $w (i32.add (local.get $base) (i32.load (local.get $p))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load offset=0 (local.get $w)))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $w)))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $w)))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $w)))))
            (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $v) (v128.load offset=64 (local.get $w)))))
            (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $v) (v128.load offset=80 (local.get $w)))))
            (local.set $a6 (f64x2.add (local.get $a6) (f64x2.mul (local.get $v) (v128.load offset=96 (local.get $w)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (br $$t14)))
          (local.set $w (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
          (v128.store offset=0 (local.get $w) (local.get $a0))
          (v128.store offset=16 (local.get $w) (local.get $a1))
          (v128.store offset=32 (local.get $w) (local.get $a2))
          (v128.store offset=48 (local.get $w) (local.get $a3))
          (v128.store offset=64 (local.get $w) (local.get $a4))
          (v128.store offset=80 (local.get $w) (local.get $a5))
          (v128.store offset=96 (local.get $w) (local.get $a6))
          (local.set $j (i32.add (local.get $j) (i32.const 14)))
          (br $blk)))
        (br_if $blkdone (i32.gt_u (i32.add (local.get $j) (i32.const 12)) (local.get $jhi)))
        (local.set $base (i32.add (local.get $tsrc) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a4 (v128.load offset=64 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a5 (v128.load offset=80 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $p (local.get $p0))
        (local.set $q (local.get $q0))
        (block $$tblkdone (loop $$tblk
          (br_if $$tblkdone (i32.ge_u (local.get $p) (local.get $pend)))
          (local.set $v (v128.load64_splat (local.get $q)))
          (local.set $w (i32.add (local.get $base) (i32.load (local.get $p))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load offset=0 (local.get $w)))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $w)))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $w)))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $w)))))
          (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $v) (v128.load offset=64 (local.get $w)))))
          (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $v) (v128.load offset=80 (local.get $w)))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (br $$tblk)))
        (local.set $w (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=0 (local.get $w) (local.get $a0))
        (v128.store offset=16 (local.get $w) (local.get $a1))
        (v128.store offset=32 (local.get $w) (local.get $a2))
        (v128.store offset=48 (local.get $w) (local.get $a3))
        (v128.store offset=64 (local.get $w) (local.get $a4))
        (v128.store offset=80 (local.get $w) (local.get $a5))
        (local.set $j (i32.add (local.get $j) (i32.const 12)))
        (br $blk)))
      ;; 10 or 11 columns left (the output layer's 10 classes): one pass of 5 accumulators, not a
      ;; block of 8 and a pair
      (if (i32.le_u (i32.add (local.get $j) (i32.const 10)) (local.get $jhi)) (then
        (local.set $base (i32.add (local.get $tsrc) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a4 (v128.load offset=64 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $p (local.get $p0))
        (local.set $q (local.get $q0))
        (block $$t10done (loop $$t10
          (br_if $$t10done (i32.ge_u (local.get $p) (local.get $pend)))
          (local.set $v (v128.load64_splat (local.get $q)))
          (local.set $w (i32.add (local.get $base) (i32.load (local.get $p))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load offset=0 (local.get $w)))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $w)))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $w)))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $w)))))
          (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $v) (v128.load offset=64 (local.get $w)))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (br $$t10)))
        (local.set $w (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=0 (local.get $w) (local.get $a0))
        (v128.store offset=16 (local.get $w) (local.get $a1))
        (v128.store offset=32 (local.get $w) (local.get $a2))
        (v128.store offset=48 (local.get $w) (local.get $a3))
        (v128.store offset=64 (local.get $w) (local.get $a4))
        (local.set $j (i32.add (local.get $j) (i32.const 10)))))
      (if (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $jhi)) (then
        (local.set $base (i32.add (local.get $tsrc) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $p (local.get $p0))
        (local.set $q (local.get $q0))
        (block $$t8done (loop $$t8
          (br_if $$t8done (i32.ge_u (local.get $p) (local.get $pend)))
          (local.set $v (v128.load64_splat (local.get $q)))
          (local.set $w (i32.add (local.get $base) (i32.load (local.get $p))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load offset=0 (local.get $w)))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $w)))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $w)))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $w)))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (br $$t8)))
        (local.set $w (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=0 (local.get $w) (local.get $a0))
        (v128.store offset=16 (local.get $w) (local.get $a1))
        (v128.store offset=32 (local.get $w) (local.get $a2))
        (v128.store offset=48 (local.get $w) (local.get $a3))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))))
      (block $pairdone (loop $pair
        (br_if $pairdone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $jhi)))
        (local.set $base (i32.add (local.get $tsrc) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $a0 (v128.load offset=0 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $p (local.get $p0))
        (local.set $q (local.get $q0))
        (block $$tpairdone (loop $$tpair
          (br_if $$tpairdone (i32.ge_u (local.get $p) (local.get $pend)))
          (local.set $v (v128.load64_splat (local.get $q)))
          (local.set $w (i32.add (local.get $base) (i32.load (local.get $p))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load offset=0 (local.get $w)))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (br $$tpair)))
        (local.set $w (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=0 (local.get $w) (local.get $a0))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pair)))
      (block $onedone (loop $one
        (br_if $onedone (i32.gt_u (i32.add (local.get $j) (i32.const 1)) (local.get $jhi)))
        (local.set $base (i32.add (local.get $tsrc) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $s (f64.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $p (local.get $p0))
        (local.set $q (local.get $q0))
        (block $tonedone (loop $tone
          (br_if $tonedone (i32.ge_u (local.get $p) (local.get $pend)))
          (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $q)) (f64.load (i32.add (local.get $base) (i32.load (local.get $p)))))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (br $tone)))
        (f64.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $one)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $outer)))
    (local.set $toff (i32.add (local.get $toff) (local.get $S)))
    (local.set $jlo (local.get $jhi))
    (br $tiles))))


  ;; dW = xᵀ·dout by scattering along x's row lists, for a narrow dout: each nonzero x[r, k] adds
  ;; x[r, k]·dout[r, :] to dW's row k. Each dW element sums its terms in row order from 0, as the
  ;; affine kernel does over the column lists (the same operations, so the same bits, fused or
  ;; not: pairs of columns as f64x2, an odd last one alone), without listing x by column, which
  ;; for a narrow dout costs more than the product (one write stream per column of x). offs holds
  ;; each nonzero's byte offset k·M·8, which is also that of dW's row k.
  ;; x: (R, K) as starts/offs/vals, dout: (R, M), dW: (K, M) of KM8 bytes
  (func (export "dw_scatter") (param $R i32) (param $KM8 i32) (param $M i32) (param $starts i32) (param $offs i32) (param $vals i32) (param $dout i32) (param $dW i32)
    (local $r i32) (local $p i32) (local $pend i32) (local $q i32) (local $d i32) (local $w i32) (local $j i32) (local $M2 i32) (local $v v128)
    (memory.fill (local.get $dW) (i32.const 0) (local.get $KM8))
    (local.set $M2 (i32.shl (i32.and (local.get $M) (i32.const -2)) (i32.const 3)))
    (block $rdone (loop $rows
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $d (i32.add (local.get $dout) (i32.mul (local.get $r) (i32.shl (local.get $M) (i32.const 3)))))
      (local.set $p (i32.load (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $pend (i32.add (local.get $offs) (i32.shl (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 2))))
      (local.set $q (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 3))))
      (local.set $p (i32.add (local.get $offs) (i32.shl (local.get $p) (i32.const 2))))
      (block $tdone (loop $nz
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $pend)))
        (local.set $v (v128.load64_splat (local.get $q)))
        (local.set $w (i32.add (local.get $dW) (i32.load (local.get $p))))
        (local.set $j (i32.const 0))
        (block $jdone (loop $pairs
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $M2)))
          (v128.store (i32.add (local.get $w) (local.get $j))
            (f64x2.add (v128.load (i32.add (local.get $w) (local.get $j))) (f64x2.mul (local.get $v) (v128.load (i32.add (local.get $d) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $pairs)))
        (if (i32.and (local.get $M) (i32.const 1)) (then
          (f64.store (i32.add (local.get $w) (local.get $M2))
            (f64.add (f64.load (i32.add (local.get $w) (local.get $M2))) (f64.mul (f64.load (local.get $q)) (f64.load (i32.add (local.get $d) (local.get $M2))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $nz)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; Lists the nonzeros of x (R, K) by column, from its lists by row: colStarts (K + 1), rowIdx and
  ;; colVals, each column's entries in row order (a counting sort; cursor is K words of scratch); rowIdx
  ;; holds each entry's row r as the byte offset r·scale of row r of the product's other operand.
  ;; dW = xᵀ·dout is then the affine product of these lists with dout and a zero bias: each dW
  ;; element sums its terms in row order, as the scatter along the row lists did, in registers.
  (func (export "csc_from_csr") (param $R i32) (param $K i32) (param $starts i32) (param $idx i32) (param $vals i32) (param $colStarts i32) (param $cursor i32) (param $rowIdx i32) (param $colVals i32) (param $scale i32)
    (local $r i32) (local $t i32) (local $t1 i32) (local $k i32) (local $p i32) (local $sum i32) (local $n i32)
    (memory.fill (local.get $cursor) (i32.const 0) (i32.shl (local.get $K) (i32.const 2)))
    (local.set $t1 (i32.load (i32.add (local.get $starts) (i32.shl (local.get $R) (i32.const 2)))))
    (local.set $t (i32.load (local.get $starts)))
    (block $cdone (loop $count
      (br_if $cdone (i32.ge_u (local.get $t) (local.get $t1)))
      (local.set $p (i32.add (local.get $cursor) (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (i32.const 2))))
      (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $count)))
    (local.set $sum (i32.load (local.get $starts)))
    (block $sdone (loop $scan
      (br_if $sdone (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $p (i32.add (local.get $cursor) (i32.shl (local.get $k) (i32.const 2))))
      (local.set $n (i32.load (local.get $p)))
      (i32.store (i32.add (local.get $colStarts) (i32.shl (local.get $k) (i32.const 2))) (local.get $sum))
      (i32.store (local.get $p) (local.get $sum))
      (local.set $sum (i32.add (local.get $sum) (local.get $n)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $scan)))
    (i32.store (i32.add (local.get $colStarts) (i32.shl (local.get $K) (i32.const 2))) (local.get $sum))
    (block $rdone (loop $rows
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $t (i32.load (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $t1 (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (block $tdone (loop $place
        (br_if $tdone (i32.ge_u (local.get $t) (local.get $t1)))
        (local.set $k (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $p (i32.add (local.get $cursor) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $n (i32.load (local.get $p)))
        (i32.store (local.get $p) (i32.add (local.get $n) (i32.const 1)))
        (i32.store (i32.add (local.get $rowIdx) (i32.shl (local.get $n) (i32.const 2))) (i32.mul (local.get $r) (local.get $scale)))
        (f64.store (i32.add (local.get $colVals) (i32.shl (local.get $n) (i32.const 3)))
          (f64.load (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $place)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

;; Σ a² over n float64s, in four f64x2 sums (one sum would wait on every add).
  (func (export "sum_squares") (param $n i32) (param $a i32) (result f64)
    (local $end i32) (local $s0 v128) (local $s1 v128) (local $v v128) (local $w v128) (local $s f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done (loop $quads
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $v (v128.load (local.get $a)))
      (local.set $w (v128.load offset=16 (local.get $a)))
      (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (local.get $v))))
      (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $w) (local.get $w))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (br $quads)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $rdone (loop $rest
      (br_if $rdone (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $a)))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (br $rest)))
    (local.get $s))

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

  ;; Widens n pixel entries in place of a copy: idx32[t] = idx16[t], offs[t] = idx16[t]·scale (the byte
  ;; offset of W's row for affine), vals[t] = lut[val8[t]]. Eight at a time, the indices in SIMD.
  (func (export "expand_pixels") (param $n i32) (param $idx16 i32) (param $val8 i32) (param $lut i32) (param $idx32 i32) (param $vals i32) (param $scale i32) (param $offs i32)
    (local $t i32) (local $k i32) (local $n8 i32) (local $lo v128) (local $hi v128) (local $sc v128) (local $io i32) (local $oo i32) (local $vo i32) (local $bo i32)
    (local.set $n8 (i32.and (local.get $n) (i32.const -8)))
    (local.set $sc (i32x4.splat (local.get $scale)))
    (block $done8 (loop $l8
      (br_if $done8 (i32.ge_u (local.get $t) (local.get $n8)))
      (local.set $lo (v128.load (i32.add (local.get $idx16) (i32.shl (local.get $t) (i32.const 1)))))
      (local.set $hi (i32x4.extend_high_i16x8_u (local.get $lo)))
      (local.set $lo (i32x4.extend_low_i16x8_u (local.get $lo)))
      (local.set $io (i32.add (local.get $idx32) (i32.shl (local.get $t) (i32.const 2))))
      (local.set $oo (i32.add (local.get $offs) (i32.shl (local.get $t) (i32.const 2))))
      (v128.store offset=0 (local.get $io) (local.get $lo))
      (v128.store offset=16 (local.get $io) (local.get $hi))
      (v128.store offset=0 (local.get $oo) (i32x4.mul (local.get $lo) (local.get $sc)))
      (v128.store offset=16 (local.get $oo) (i32x4.mul (local.get $hi) (local.get $sc)))
      (local.set $vo (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3))))
      (local.set $bo (i32.add (local.get $val8) (local.get $t)))
      (f64.store offset=0 (local.get $vo) (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=0 (local.get $bo)) (i32.const 3)))))
      (f64.store offset=8 (local.get $vo) (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=1 (local.get $bo)) (i32.const 3)))))
      (f64.store offset=16 (local.get $vo) (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=2 (local.get $bo)) (i32.const 3)))))
      (f64.store offset=24 (local.get $vo) (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=3 (local.get $bo)) (i32.const 3)))))
      (f64.store offset=32 (local.get $vo) (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=4 (local.get $bo)) (i32.const 3)))))
      (f64.store offset=40 (local.get $vo) (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=5 (local.get $bo)) (i32.const 3)))))
      (f64.store offset=48 (local.get $vo) (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=6 (local.get $bo)) (i32.const 3)))))
      (f64.store offset=56 (local.get $vo) (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=7 (local.get $bo)) (i32.const 3)))))
      (local.set $t (i32.add (local.get $t) (i32.const 8)))
      (br $l8)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $t) (local.get $n)))
      (local.set $k (i32.load16_u (i32.add (local.get $idx16) (i32.shl (local.get $t) (i32.const 1)))))
      (i32.store (i32.add (local.get $idx32) (i32.shl (local.get $t) (i32.const 2))) (local.get $k))
      (i32.store (i32.add (local.get $offs) (i32.shl (local.get $t) (i32.const 2))) (i32.mul (local.get $k) (local.get $scale)))
      (f64.store (i32.add (local.get $vals) (i32.shl (local.get $t) (i32.const 3)))
        (f64.load (i32.add (local.get $lut) (i32.shl (i32.load8_u (i32.add (local.get $val8) (local.get $t))) (i32.const 3)))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $l))))

;; y = x·m + 0 with m = 1 where x > 0, else 0: the JS Relu's bits (NaN stays NaN, −0 becomes 0).
  ;; In place: y overwrites x. m goes to mask as bytes.  x, y: (n)
  (func (export "relu_forward") (param $n i32) (param $x i32) (param $mask i32)
    (local $end i32) (local $v v128) (local $gt v128) (local $b v128) (local $s f64) (local $g i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $gt (f64x2.gt (local.get $v) (v128.const f64x2 0 0)))
      (v128.store (local.get $x) (f64x2.add (f64x2.mul (local.get $v) (v128.and (local.get $gt) (v128.const f64x2 1 1))) (v128.const f64x2 0 0)))
      ;; a true lane is all ones, i.e. −1: negated, the mask's 1
      (local.set $b (i64x2.neg (local.get $gt)))
      (i64.store8 (local.get $mask) (i64x2.extract_lane 0 (local.get $b)))
      (i64.store8 offset=1 (local.get $mask) (i64x2.extract_lane 1 (local.get $b)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $mask (i32.add (local.get $mask) (i32.const 2)))
      (br $pairs)))
    (if (i32.and (local.get $n) (i32.const 1)) (then
      (local.set $s (f64.load (local.get $x)))
      (local.set $g (f64.gt (local.get $s) (f64.const 0)))
      (f64.store (local.get $x) (f64.add (f64.mul (local.get $s) (f64.convert_i32_u (local.get $g))) (f64.const 0)))
      (i32.store8 (local.get $mask) (local.get $g)))))

  ;; dx = dout·m + 0 with forward's mask (bytes 0 or 1): the JS Relu's bits. In place: dx overwrites dout.  (n)
  (func (export "relu_backward") (param $n i32) (param $dout i32) (param $mask i32)
    (local $end i32) (local $m v128)
    (local.set $end (i32.add (local.get $dout) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $dout) (local.get $end)))
      ;; two mask bytes → two float64s: widen u8 → u16 → u32, then convert the low two lanes
      (local.set $m (f64x2.convert_low_i32x4_u (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load16_splat (local.get $mask))))))
      (v128.store (local.get $dout) (f64x2.add (f64x2.mul (v128.load (local.get $dout)) (local.get $m)) (v128.const f64x2 0 0)))
      (local.set $dout (i32.add (local.get $dout) (i32.const 16)))
      (local.set $mask (i32.add (local.get $mask) (i32.const 2)))
      (br $pairs)))
    (if (i32.and (local.get $n) (i32.const 1)) (then
      (f64.store (local.get $dout) (f64.add (f64.mul (f64.load (local.get $dout)) (f64.convert_i32_u (i32.load8_u (local.get $mask)))) (f64.const 0))))))

;; offs[t] = idx[t]·scale over n entries: a list's columns as affine's byte offsets.
  (func (export "scale_indices") (param $n i32) (param $idx i32) (param $scale i32) (param $offs i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $idx) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (i32.store (local.get $offs) (i32.mul (i32.load (local.get $idx)) (local.get $scale)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 4)))
      (local.set $offs (i32.add (local.get $offs) (i32.const 4)))
      (br $l))))

;; dst = src as panels of T columns: panel t holds src's columns [t·T, t·T + T) for all K rows,
;; each row T·8 bytes after the last (a last panel of fewer columns keeps that stride).
;; src: (K, M), dst: ⌈M/T⌉ panels of (K, T)
;; The affine kernel reads one panel per tile (its S = K·T·8): the rows it reads then lie T·8 bytes
;; apart, a tile in about a hundred pages, where each row of a wide src lies on a page of its own.
  (func (export "pack_panels") (param $K i32) (param $M i32) (param $T i32) (param $src i32) (param $dst i32)
    (local $k i32) (local $jlo i32) (local $s i32) (local $d i32) (local $e i32) (local $n i32) (local $panel i32) (local $row i32) (local $gap i32)
    (local.set $panel (i32.mul (i32.mul (local.get $K) (local.get $T)) (i32.const 8)))
    (local.set $row (i32.shl (local.get $T) (i32.const 3)))
    (block $kdone (loop $rows
      (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $jlo (i32.const 0))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $k) (i32.shl (local.get $M) (i32.const 3)))))
      (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $k) (local.get $row))))
      (block $tdone (loop $tiles
        (br_if $tdone (i32.ge_u (local.get $jlo) (local.get $M)))
        (local.set $n (i32.sub (local.get $M) (local.get $jlo)))
        (if (i32.gt_u (local.get $n) (local.get $T)) (then (local.set $n (local.get $T))))
        ;; the tile's part of row k: pairs as f64x2, an odd last column alone
        (local.set $e (i32.add (local.get $s) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
        (local.set $gap (i32.sub (local.get $d) (local.get $s)))
        (block $cdone (loop $copy
          (br_if $cdone (i32.ge_u (local.get $s) (local.get $e)))
          (v128.store (i32.add (local.get $s) (local.get $gap)) (v128.load (local.get $s)))
          (local.set $s (i32.add (local.get $s) (i32.const 16)))
          (br $copy)))
        (if (i32.and (local.get $n) (i32.const 1)) (then
          (f64.store (i32.add (local.get $s) (local.get $gap)) (f64.load (local.get $s)))
          (local.set $s (i32.add (local.get $s) (i32.const 8)))))
        (local.set $d (i32.add (local.get $d) (local.get $panel)))
        (local.set $jlo (i32.add (local.get $jlo) (local.get $T)))
        (br $tiles)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rows)))
  )

;; W ← W − lr·dW over rows [k0, k1) of W: (K, M), as sgd rounds it, each new row also written to
;; its place in W's panels of T columns (as pack_panels lays them out, S = K·T·8 bytes apart): one
;; pass over W where an update and then a pack would be two, and each thread that updates a share of
;; W's rows packs that share. dW has W's layout.
  (func (export "sgd_panels") (param $k0 i32) (param $k1 i32) (param $M i32) (param $T i32) (param $S i32) (param $lr f64) (param $W i32) (param $dW i32) (param $P i32)
    (local $k i32) (local $jlo i32) (local $s i32) (local $d i32) (local $e i32) (local $n i32) (local $gap i32) (local $dgap i32) (local $v v128) (local $l v128) (local $x f64)
    (local.set $l (f64x2.splat (local.get $lr)))
    (local.set $dgap (i32.sub (local.get $dW) (local.get $W)))
    (local.set $k (local.get $k0))
    (block $kdone (loop $rows
      (br_if $kdone (i32.ge_u (local.get $k) (local.get $k1)))
      (local.set $jlo (i32.const 0))
      (local.set $s (i32.add (local.get $W) (i32.mul (local.get $k) (i32.shl (local.get $M) (i32.const 3)))))
      (local.set $d (i32.add (local.get $P) (i32.mul (local.get $k) (i32.shl (local.get $T) (i32.const 3)))))
      (block $tdone (loop $tiles
        (br_if $tdone (i32.ge_u (local.get $jlo) (local.get $M)))
        (local.set $n (i32.sub (local.get $M) (local.get $jlo)))
        (if (i32.gt_u (local.get $n) (local.get $T)) (then (local.set $n (local.get $T))))
        (local.set $e (i32.add (local.get $s) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
        (local.set $gap (i32.sub (local.get $d) (local.get $s)))
        (block $cdone (loop $pairs
          (br_if $cdone (i32.ge_u (local.get $s) (local.get $e)))
          (local.set $v (f64x2.sub (v128.load (local.get $s)) (f64x2.mul (local.get $l) (v128.load (i32.add (local.get $s) (local.get $dgap))))))
          (v128.store (local.get $s) (local.get $v))
          (v128.store (i32.add (local.get $s) (local.get $gap)) (local.get $v))
          (local.set $s (i32.add (local.get $s) (i32.const 16)))
          (br $pairs)))
        (if (i32.and (local.get $n) (i32.const 1)) (then
          (local.set $x (f64.sub (f64.load (local.get $s)) (f64.mul (local.get $lr) (f64.load (i32.add (local.get $s) (local.get $dgap))))))
          (f64.store (local.get $s) (local.get $x))
          (f64.store (i32.add (local.get $s) (local.get $gap)) (local.get $x))
          (local.set $s (i32.add (local.get $s) (i32.const 8)))))
        (local.set $d (i32.add (local.get $d) (local.get $S)))
        (local.set $jlo (i32.add (local.get $jlo) (local.get $T)))
        (br $tiles)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rows))))

;; dst = srcᵀ.  src: (K, M), dst: (M, K)
;; In blocks of 8 rows of src by 2 columns: each pair of rows gives two f64x2 of dst by one shuffle
;; each, and 8 rows fill one cache line of each of dst's two rows. Element by element, dst's rows
;; lie K·8 bytes apart, a power of two for the usual widths: the lines written for one row of src all
;; fall in the same few L1 sets and evict each other before the next rows fill them. Rows past the
;; last block of 8 and an odd last column go one element at a time.
  (func (export "transpose") (param $K i32) (param $M i32) (param $src i32) (param $dst i32)
    (local $k i32) (local $j i32) (local $K8 i32) (local $M2 i32) (local $rb i32) (local $cb i32) (local $s0 i32) (local $d0 i32)
    (local $v0 v128) (local $v1 v128)
    (local.set $K8 (i32.and (local.get $K) (i32.const -8)))
    (local.set $M2 (i32.and (local.get $M) (i32.const -2)))
    (local.set $rb (i32.shl (local.get $M) (i32.const 3)))
    (local.set $cb (i32.shl (local.get $K) (i32.const 3)))
    (block $bdone (loop $blocks
      (br_if $bdone (i32.ge_u (local.get $k) (local.get $K8)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $pairs
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $M2)))
        ;; src[k…k+8, j…j+2] → dst[j…j+2, k…k+8]
        (local.set $s0 (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $M)) (local.get $j)) (i32.const 3))))
        (local.set $d0 (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $K)) (local.get $k)) (i32.const 3))))
        (local.set $v0 (v128.load (local.get $s0)))
        (local.set $v1 (v128.load (i32.add (local.get $s0) (local.get $rb))))
        (v128.store offset=0 (local.get $d0) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (v128.store offset=0 (i32.add (local.get $d0) (local.get $cb)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        (local.set $v0 (v128.load (i32.add (local.get $s0) (i32.mul (i32.const 2) (local.get $rb)))))
        (local.set $v1 (v128.load (i32.add (local.get $s0) (i32.mul (i32.const 3) (local.get $rb)))))
        (v128.store offset=16 (local.get $d0) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (v128.store offset=16 (i32.add (local.get $d0) (local.get $cb)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        (local.set $v0 (v128.load (i32.add (local.get $s0) (i32.mul (i32.const 4) (local.get $rb)))))
        (local.set $v1 (v128.load (i32.add (local.get $s0) (i32.mul (i32.const 5) (local.get $rb)))))
        (v128.store offset=32 (local.get $d0) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (v128.store offset=32 (i32.add (local.get $d0) (local.get $cb)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        (local.set $v0 (v128.load (i32.add (local.get $s0) (i32.mul (i32.const 6) (local.get $rb)))))
        (local.set $v1 (v128.load (i32.add (local.get $s0) (i32.mul (i32.const 7) (local.get $rb)))))
        (v128.store offset=48 (local.get $d0) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (v128.store offset=48 (i32.add (local.get $d0) (local.get $cb)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
      (local.set $k (i32.add (local.get $k) (i32.const 8)))
      (br $blocks)))
    ;; an odd last column, for the rows of the blocks
    (if (i32.ne (local.get $M2) (local.get $M)) (then
      (local.set $k (i32.const 0))
      (block $cdone (loop $col
        (br_if $cdone (i32.ge_u (local.get $k) (local.get $K8)))
        (f64.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $M2) (local.get $K)) (local.get $k)) (i32.const 3)))
          (f64.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $M)) (local.get $M2)) (i32.const 3)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $col)))))
    ;; the rows past the last block, every column
    (local.set $k (local.get $K8))
    (block $rdone (loop $rows
      (br_if $rdone (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $j (i32.const 0))
      (block $tdone (loop $cols
        (br_if $tdone (i32.ge_u (local.get $j) (local.get $M)))
        (f64.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $K)) (local.get $k)) (i32.const 3)))
          (f64.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $M)) (local.get $j)) (i32.const 3)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rows))))

  ;; Lists the nonzeros of a dense (N, K) matrix by row, as SparseRows.load does, with each column k
  ;; also as the byte offset k·scale (see affine); returns their count. Branch-free: every entry is
  ;; written, and the cursor moves past the nonzero ones only.
  (func (export "csr_from_dense") (param $N i32) (param $K i32) (param $x i32) (param $starts i32) (param $idx i32) (param $vals i32) (param $scale i32) (param $offs i32) (result i32)
    (local $i i32) (local $k i32) (local $nz i32) (local $v f64)
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $N)))
      (i32.store (i32.add (local.get $starts) (i32.shl (local.get $i) (i32.const 2))) (local.get $nz))
      (local.set $k (i32.const 0))
      (block $rdone (loop $cols
        (br_if $rdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $v (f64.load (local.get $x)))
        (i32.store (i32.add (local.get $idx) (i32.shl (local.get $nz) (i32.const 2))) (local.get $k))
        (i32.store (i32.add (local.get $offs) (i32.shl (local.get $nz) (i32.const 2))) (i32.mul (local.get $k) (local.get $scale)))
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
