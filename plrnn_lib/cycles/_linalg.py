r"""numba linear algebra of the cycle searches: one candidate solver, one rule for "singular".

For a region sequence :math:`d_1, \dots, d_k` the candidate cycle solves (Eisenmann et al.,
2023, eq. 5)

.. math:: P = J_k \cdots J_1, \quad c = \sum_j J_k \cdots J_{j+1} c_j, \quad
          (I - P)\, z_1 = c, \quad z_{j+1} = J_j z_j + c_j .

:func:`solve_cycle` does this on preallocated buffers for SCYFI, the exhaustive search,
:func:`~plrnn_lib.cycle_candidate` and :func:`~plrnn_lib.bifurcations.evaluate_sequence`
alike, so all four call the same systems singular.

**The rule.**  :math:`I - P` is *numerically singular* when the LU factorisation with partial
pivoting meets a pivot

.. math:: |u_{jj}| \le \epsilon_{\mathrm{s}} \, \max\bigl(1, \max_{il} |(I - P)_{il}|\bigr),
          \qquad \epsilon_{\mathrm{s}} = \mathtt{SINGULAR\_RTOL} = 10^{-12},

or when the solution is not finite.  The scale is that of the data :math:`I` and :math:`P`
(the entries of the computed :math:`I - P` carry rounding errors of about machine epsilon
times it; P is dimensionless, so 1 is the natural floor), not of :math:`I - P` alone: near a
degenerate transcritical bifurcation :math:`I - P` is small *because* an eigenvalue of
:math:`P` approaches 1, and its own scale would hide that.  With
:math:`I - P = \Pi L U` (row exchanges :math:`\Pi`, :math:`|l_{ij}| \le 1`),
:math:`\sigma_{\min}(I - P) \le \lVert L \rVert_2 \min_j |u_{jj}| \le n \min_j |u_{jj}|`,
so a system called singular is within relative distance :math:`n\,\epsilon_{\mathrm{s}}`
of a singular one, where its candidate's points carry relative errors of order
:math:`10^{-4}` and more.  For ``PLRNN([1 - 1e-13], [[0]],
[1])`` the pivot is :math:`10^{-13}`: singular (the fixed point near :math:`10^{13}` is
not resolved in double precision).

Small systems are solved by a plain elimination (no call overhead), systems from
``LAPACK_MIN_SIZE`` on by LAPACK's dgesv through the wrapper numba exports for its own
``np.linalg.solve`` (``numba_xgesv``), on :math:`I - P` built in Fortran order so nothing is
copied; the LU factors dgesv leaves behind give the pivots for the same rule.  A check
before the first search (:func:`lapack_from`) compares that path with numpy; if it fails
(or scipy's LAPACK is missing) every size uses the elimination.
"""
import numpy as np
from llvmlite import ir as _ir
from numba import errors, njit, types
from numba.core import cgutils
from numba.core.extending import intrinsic
from numba.np import linalg as _numba_linalg

from ..models._kernels import fill_region_matrix, fill_region_offset

#: A pivot of the LU factorisation of :math:`I - P` at most this times
#: :math:`\max(1, \max|I - P|)` makes the system numerically singular (see the module).
SINGULAR_RTOL = 1e-12

#: From this size on LAPACK's dgesv ties with or beats the plain elimination (measured
#: side by side in benchmarks/scyfi.py, section "solver crossover"; two runs on
#: 2026-12-01, after the elimination lost its division chain and its serial scale: the
#: elimination 14 % faster at 48, dgesv 4 % slower and 8 % faster at 56, the elimination
#: 4-9 % faster at 64, dgesv 1.1-1.3x faster at 96).
LAPACK_MIN_SIZE = 56

#: A size no system reaches: ``lapack_from`` when LAPACK is not to be used.
NEVER = 2 ** 62

try:  # numba's exported gesv, exactly what np.linalg.solve calls inside numba
    from numba.np.linalg import F_INT_nptype as _LAPACK_INT
    from numba.np.linalg import _LAPACK, ensure_lapack

    ensure_lapack()
    _xgesv = _LAPACK().numba_xgesv(types.float64)
    _HAVE_LAPACK = True
except Exception:  # pragma: no cover - no scipy LAPACK, or numba changed its internals
    _LAPACK_INT = np.int32
    _HAVE_LAPACK = False

    @njit(cache=True)
    def _xgesv(kind, n, nrhs, a, lda, ipiv, b, ldb):
        return -1   # never called: lapack_from() is NEVER without LAPACK

#: dgesv's type letter for float64, as numba's own np.linalg.solve passes it.
_KIND_DOUBLE = ord("d")


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE bit pattern is the int64 ``bits``."""
    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], _ir.DoubleType())
    return types.float64(types.int64), codegen


@njit(cache=True)
def largest_entry(mat):
    """max |entry| of the C-contiguous ``mat``, or inf when an entry is inf or NaN.

    Taken on the bit patterns: with the sign bit cleared they order as the values do (NaN
    above inf), and the integer maximum vectorises, unlike the float one.
    """
    bits = mat.reshape(mat.size).view(np.int64)
    top = 0
    for t in range(bits.shape[0]):
        u = bits[t] & 0x7FFFFFFFFFFFFFFF
        top = u if u > top else top
    if top >= 0x7FF0000000000000:
        return np.inf
    return _float_from_bits(top)


@njit(cache=True)
def pivot_scratch(n):
    """The integer scratch (pivot indices) :func:`solve_unit_minus` needs for size n."""
    return np.empty(n, dtype=_LAPACK_INT)


#: Up to this size products are summed in a plain loop (no call, no vector set-up); from
#: the next size on the vector kernel is faster (benchmarks/scyfi.py, "product
#: crossover", times the three paths as the searches call them; two runs on 2026-12-01:
#: at 2 the loop 17 ns, dgemm 35; at 3 the loop 32 ns, the kernel 11-12).
LOOP_MATMUL_MAX = 2

#: Up to this size products go through the register-blocked kernel
#: (:func:`compose_by_vectors`), beyond it through dgemm, which blocks for the caches
#: (same runs: the kernel 58-63 ns against dgemm's 112-116 at M = 10, 154 against 182 at
#: 15).  Its rows of M + 1 entries take ceil((M + 1) / 4) <= 4 vectors, so this cannot
#: exceed 15.
VECTOR_MATMUL_MAX = 15

# The searches keep the affine map of a region, z -> J z + c, as one M x (M + 1) block
# [J | c] of a table (Jtab[a]).  Composing two maps is then one product,
# [J | c] o [X | x] = [J X | J x + c], so a sequence's P and c come out of one product per
# step (the vector kernel's or dgemm's) instead of a product and a separate matrix-vector
# loop.  The small-size loops index the table (Jtab[a, i, j]) instead of taking views
# (Jtab[a]): a view costs a reference-count round trip, which at M = 2 costs more than
# the arithmetic.

# BLAS's dgemm is reached through the wrapper numba exports for its own np.dot
# (numba_xxgemm), which needs scipy's BLAS loaded, as np.dot inside numba does.
_numba_linalg.ensure_blas()


@intrinsic
def _dgemm_rows(typingctx, m, n, k, a, lda, b, ldb, c, ldc):
    """C = A B for row-major blocks at the addresses a (m x k, row stride lda), b (k x n,
    ldb) and c (m x n, ldc): dgemm on the column-major views, C^T = B^T A^T.

    Called by address, so a table entry is multiplied where it lies, without building an
    array view of it per product (a reference-count round trip).
    """
    sig = types.void(types.intp, types.intp, types.intp, types.uintp, types.intp,
                     types.uintp, types.intp, types.uintp, types.intp)

    def codegen(context, builder, signature, args):
        m, n, k, a, lda, b, ldb, c, ldc = args
        char = _ir.IntType(8)
        voidp = char.as_pointer()
        intp = cgutils.intp_t
        fnty = _ir.FunctionType(_ir.IntType(32), [char, char, char, intp, intp, intp, voidp,
                                                  voidp, intp, voidp, intp, voidp, voidp, intp])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "numba_xxgemm")
        double = _ir.DoubleType()
        alpha = cgutils.alloca_once_value(builder, _ir.Constant(double, 1.0))
        beta = cgutils.alloca_once_value(builder, _ir.Constant(double, 0.0))
        notrans = _ir.Constant(char, ord("n"))
        builder.call(fn, [_ir.Constant(char, ord("d")), notrans, notrans, n, m, k,
                          builder.bitcast(alpha, voidp), builder.inttoptr(b, voidp), ldb,
                          builder.inttoptr(a, voidp), lda, builder.bitcast(beta, voidp),
                          builder.inttoptr(c, voidp), ldc])
        return context.get_dummy_value()
    return sig, codegen


_DOUBLE = _ir.DoubleType()
_VECTOR = _ir.VectorType(_DOUBLE, 4)


def _vector_pointer(builder, pointer, offset):
    """The address ``offset`` doubles past ``pointer``, as a pointer to a vector of 4."""
    return builder.bitcast(builder.gep(pointer, [offset]), _VECTOR.as_pointer())


def _splat(builder, value, vector_type):
    """``value`` in every lane of a vector of ``vector_type``."""
    lanes = _ir.VectorType(_ir.IntType(32), vector_type.count)
    undefined = _ir.Constant(vector_type, _ir.Undefined)
    first = builder.insert_element(undefined, value, _ir.Constant(_ir.IntType(32), 0))
    return builder.shuffle_vector(first, undefined, _ir.Constant(lanes, [0] * vector_type.count))


def _vector_setup(builder, n_vectors, width, addresses):
    """What both vector kernels start with: the addresses as double pointers, llvm's
    fmuladd on vectors of 4, and the start of each vector along a row of ``width``
    entries (4 v, the last at width - 4)."""
    pointers = [builder.inttoptr(x, _DOUBLE.as_pointer()) for x in addresses]
    fmuladd = cgutils.get_or_insert_function(
        builder.module, _ir.FunctionType(_VECTOR, [_VECTOR] * 3), "llvm.fmuladd.v4f64")
    intp = cgutils.intp_t
    starts = [_ir.Constant(intp, 4 * v) for v in range(n_vectors - 1)]
    starts.append(builder.sub(width, _ir.Constant(intp, 4)))
    return pointers, fmuladd, starts


@intrinsic
def _rows_times_block(typingctx, n_rows, n_vectors, n, n_cols, a, lda, b, ldb, c, ldc):
    """Rows of a composition of affine blocks, [J | c] o [X | x] = [J X | J x + c]:
    C[i, :n_cols] = sum_{m < n} A[i, m] B[m, :n_cols] + (0, ..., 0, A[i, n]) for
    ``n_rows`` rows (a compile-time constant, like ``n_vectors``) of row-major doubles at
    the addresses a, b, c (row strides lda, ldb, ldc in entries; B has n rows; n_cols =
    n + 1 >= 4).

    The columns are covered by ``n_vectors`` vectors of 4, the last starting at
    n_cols - 4 (it may overlap the one before: the overlap is computed twice, the same
    way); the offset A[i, n] starts the last lane of that last vector.  Each output
    vector is an accumulator that stays in a register for the whole sum; each step of the
    sum loads a row of B once for all ``n_rows`` rows.  This is the register blocking
    dgemm does, without its call and packing overhead, which dominate at these sizes;
    numba does not vectorise the plain loop itself (its SLP vectoriser is off).
    ``llvm.fmuladd`` fuses multiply and add where the CPU has FMA.
    """
    if not (isinstance(n_rows, types.IntegerLiteral)
            and isinstance(n_vectors, types.IntegerLiteral)):
        raise errors.RequireLiteralValue("n_rows and n_vectors must be constants")
    n_rows_value = n_rows.literal_value
    n_vectors_value = n_vectors.literal_value
    sig = types.void(n_rows, n_vectors, types.intp, types.intp, types.uintp, types.intp,
                     types.uintp, types.intp, types.uintp, types.intp)

    def codegen(context, builder, signature, args):
        n, n_cols, a, lda, b, ldb, c, ldc = args[2:]
        intp = cgutils.intp_t
        (a, b, c), fmuladd, starts = _vector_setup(builder, n_vectors_value, n_cols, (a, b, c))
        zero = _ir.Constant(_VECTOR, [0.0] * 4)
        # allocas in the entry block: LLVM promotes them to registers
        acc = [[cgutils.alloca_once_value(builder, zero) for _ in starts]
               for _ in range(n_rows_value)]
        lane_3 = _ir.Constant(_ir.IntType(32), 3)
        last_column = builder.sub(n_cols, _ir.Constant(intp, 1))
        for r, row in enumerate(acc):
            for slot in row[:-1]:
                builder.store(zero, slot)
            offset = builder.load(builder.gep(a, [builder.add(
                builder.mul(_ir.Constant(intp, r), lda), last_column)]))
            builder.store(builder.insert_element(zero, offset, lane_3), row[-1])
        with cgutils.for_range(builder, n) as loop:
            m = loop.index
            b_row = builder.gep(b, [builder.mul(m, ldb)])
            b_vectors = [builder.load(_vector_pointer(builder, b_row, s), align=8)
                         for s in starts]
            for r in range(n_rows_value):
                a_rm = _splat(builder, builder.load(builder.gep(a, [builder.add(
                    builder.mul(_ir.Constant(intp, r), lda), m)])), _VECTOR)
                for v, b_vector in enumerate(b_vectors):
                    total = builder.call(fmuladd, [a_rm, b_vector, builder.load(acc[r][v])])
                    builder.store(total, acc[r][v])
        for r in range(n_rows_value):
            c_row = builder.gep(c, [builder.mul(_ir.Constant(intp, r), ldc)])
            for v, s in enumerate(starts):
                builder.store(builder.load(acc[r][v]), _vector_pointer(builder, c_row, s),
                              align=8)
        return context.get_dummy_value()
    return sig, codegen


@njit(cache=True, inline="always")
def _row_pair_times(n_vectors, n, a, b, c):
    """:func:`_rows_times_block` for two rows of (n, n + 1) row-major blocks, with the
    number of vectors (1 to 4) turned into the constant the intrinsic needs."""
    w = n + 1
    if n_vectors == 1:
        _rows_times_block(2, 1, n, w, a, w, b, w, c, w)
    elif n_vectors == 2:
        _rows_times_block(2, 2, n, w, a, w, b, w, c, w)
    elif n_vectors == 3:
        _rows_times_block(2, 3, n, w, a, w, b, w, c, w)
    else:
        _rows_times_block(2, 4, n, w, a, w, b, w, c, w)


@njit(cache=True, inline="always")
def _affine_blocks(Jtab, X, out):
    """Whether the table's entries, ``X`` and ``out`` are all C-contiguous (M, M + 1)
    blocks, as the products by address need."""
    row = (X.shape[0] + 1) * 8
    return (Jtab.strides[1] == row and Jtab.strides[2] == 8 and X.strides[0] == row
            and X.strides[1] == 8 and out.strides[0] == row and out.strides[1] == 8)


@njit(cache=True, inline="always")
def compose_into(Jtab, a, X, out):
    """out = Jtab[a] o X for affine blocks: [J | c] o [X | x] = [J X | J x + c].

    ``X`` and ``out`` are C-contiguous (M, M + 1); ``X`` may be a table entry.
    """
    n = X.shape[0]
    if n <= LOOP_MATMUL_MAX:
        compose_by_loop(Jtab, a, X, out)
    elif n <= VECTOR_MATMUL_MAX:
        compose_by_vectors(Jtab, a, X, out)
    else:
        compose_by_blas(Jtab, a, X, out)


@njit(cache=True, _nrt=False)
def compose_by_vectors(Jtab, a, X, out):
    """:func:`compose_into` by the register-blocked kernel (:func:`compose_at`; for
    3 <= M <= ``VECTOR_MATMUL_MAX`` and all three C-contiguous, the loop otherwise).
    Compiled without reference counting (it allocates nothing)."""
    n = X.shape[0]
    if not (3 <= n <= VECTOR_MATMUL_MAX and _affine_blocks(Jtab, X, out)):
        compose_by_loop(Jtab, a, X, out)
        return
    compose_at(n, Jtab.ctypes.data + np.uintp(a * Jtab.strides[0]), X.ctypes.data,
               out.ctypes.data)


@njit(cache=True)
def compose_at(n, left, right, out):
    """out = left o right for C-contiguous (n, n + 1) affine blocks at these addresses
    (3 <= n <= ``VECTOR_MATMUL_MAX``; ``out`` overlaps neither), by
    :func:`_rows_times_block`, two rows at a time.

    Addresses, not arrays: an array argument costs a reference-count round trip per call
    (atomic, and more than the product at small n), and a table entry would need a view.
    """
    n_vectors = (n + 4) // 4             # ceil((n + 1) / 4)
    row = np.uintp((n + 1) * 8)
    # rows in pairs, the last pair starting at n - 2 (for odd n it repeats a row, which
    # comes out the same)
    for start in range(0, n, 2):
        i = np.uintp(min(start, n - 2))
        _row_pair_times(n_vectors, n, left + i * row, right, out + i * row)


@njit(cache=True, _nrt=False)
def compose_by_blas(Jtab, a, X, out):
    """:func:`compose_into` by one dgemm, then the offset added (all three C-contiguous;
    the loop otherwise).  Compiled without reference counting (it allocates nothing)."""
    n = X.shape[0]
    if not _affine_blocks(Jtab, X, out):
        compose_by_loop(Jtab, a, X, out)
        return
    # addresses in uintp: uint64 + int64 would be promoted to float64
    entry = Jtab.ctypes.data + np.uintp(a * Jtab.strides[0])
    _dgemm_rows(n, n + 1, n, entry, n + 1, X.ctypes.data, n + 1, out.ctypes.data, n + 1)
    for i in range(n):
        out[i, n] += Jtab[a, i, n]


@njit(cache=True)
def compose_by_loop(Jtab, a, X, out):
    """:func:`compose_into` by a plain loop (no call overhead)."""
    n = X.shape[0]
    for i in range(n):
        for j in range(n + 1):
            s = Jtab[a, i, n] if j == n else 0.0
            for m in range(n):
                s += Jtab[a, i, m] * X[m, j]
            out[i, j] = s


@njit(cache=True, inline="always")
def table_affine_apply(Jtab, a, points, src, dst):
    """points[dst] = J points[src] + c for the block Jtab[a] = [J | c] (rows by index: a
    view would cost a reference-count round trip).

    From n = 4 to ``VECTOR_MATMUL_MAX`` + 1 on C-contiguous buffers by the vector kernel
    :func:`_affine_map_rows` (the plain loop sums each row in one chain of dependent
    additions, the latency of which dominated at M = 10).
    """
    n = points.shape[1]
    row = (n + 1) * 8
    if (4 <= n <= VECTOR_MATMUL_MAX + 1 and Jtab.strides[1] == row and Jtab.strides[2] == 8
            and points.strides[0] == n * 8 and points.strides[1] == 8):
        entry = Jtab.ctypes.data + np.uintp(a * Jtab.strides[0])
        base = points.ctypes.data
        affine_map_at(n, entry, base + np.uintp(src * n * 8), base + np.uintp(dst * n * 8))
        return
    for i in range(n):
        s = Jtab[a, i, n]
        for j in range(n):
            s += Jtab[a, i, j] * points[src, j]
        points[dst, i] = s


@intrinsic
def _affine_map_rows(typingctx, n_vectors, n, a, lda, z, out):
    """out[i] = sum_{m < n} A[i, m] z[m] + A[i, n] for the n rows of the row-major block at
    address a (row stride lda entries), z and out at their addresses (n >= 4; n_vectors =
    ceil(n / 4), a compile-time constant).

    Each row is a sum of vector products (the last vector starts at n - 4; its lanes that
    the one before already covered are masked out) reduced across lanes at the end, so a
    row's additions form short chains instead of one of length n.
    """
    if not isinstance(n_vectors, types.IntegerLiteral):
        raise errors.RequireLiteralValue("n_vectors must be a constant")
    n_vectors_value = n_vectors.literal_value
    sig = types.void(n_vectors, types.intp, types.uintp, types.intp, types.uintp, types.uintp)

    def codegen(context, builder, signature, args):
        n, a, lda, z, out = args[1:]
        intp = cgutils.intp_t
        i32 = _ir.IntType(32)
        (a, z, out), fmuladd, starts = _vector_setup(builder, n_vectors_value, n, (a, z, out))
        # lanes of the last vector not covered before: lane >= 4 n_vectors - n
        first_new = builder.trunc(builder.sub(_ir.Constant(intp, 4 * n_vectors_value), n), i32)
        fresh = builder.icmp_signed(">=", _ir.Constant(_ir.VectorType(i32, 4), [0, 1, 2, 3]),
                                    _splat(builder, first_new, _ir.VectorType(i32, 4)))
        zero = _ir.Constant(_VECTOR, [0.0] * 4)
        z_vectors = [builder.load(_vector_pointer(builder, z, s), align=8) for s in starts]
        undefined = _ir.Constant(_VECTOR, _ir.Undefined)
        with cgutils.for_range(builder, n) as loop:
            i = loop.index
            a_row = builder.gep(a, [builder.mul(i, lda)])
            total = zero
            for v, s in enumerate(starts):
                a_vector = builder.load(_vector_pointer(builder, a_row, s), align=8)
                if v < n_vectors_value - 1:
                    total = builder.call(fmuladd, [a_vector, z_vectors[v], total])
                else:
                    product = builder.select(fresh, builder.fmul(a_vector, z_vectors[v]), zero)
                    total = builder.fadd(total, product)
            # across lanes: (0 + 2, 1 + 3), then their sum, then the offset A[i, n]
            half = builder.fadd(total, builder.shuffle_vector(
                total, undefined, _ir.Constant(_ir.VectorType(i32, 4), [2, 3, 2, 3])))
            lane0 = builder.extract_element(half, _ir.Constant(i32, 0))
            lane1 = builder.extract_element(half, _ir.Constant(i32, 1))
            offset = builder.load(builder.gep(a_row, [n]))
            builder.store(builder.fadd(builder.fadd(lane0, lane1), offset),
                          builder.gep(out, [i]))
        return context.get_dummy_value()
    return sig, codegen


@njit(cache=True)
def affine_map_at(n, entry, z, out):
    """out = J z + c for the C-contiguous (n, n + 1) block [J | c] at address ``entry``
    and the n-vectors at addresses z and out (4 <= n <= 16; out does not overlap z), by
    :func:`_affine_map_rows` with its number of vectors turned into the constant it
    needs."""
    lda = n + 1
    if n <= 4:
        _affine_map_rows(1, n, entry, lda, z, out)
    elif n <= 8:
        _affine_map_rows(2, n, entry, lda, z, out)
    elif n <= 12:
        _affine_map_rows(3, n, entry, lda, z, out)
    else:
        _affine_map_rows(4, n, entry, lda, z, out)


@njit(cache=True)
def _solve_by_lapack(matF, rhs, out, threshold, pivots):
    """Solve ``mat @ out = rhs`` with dgesv, given ``matF`` = mat.T (C-contiguous: ``mat``
    in the Fortran order LAPACK works in).

    ``matF`` is overwritten by the LU factors, whose diagonal holds the pivots judged by
    the same rule as the elimination's; ``pivots`` is integer scratch (:func:`pivot_scratch`).
    """
    n = matF.shape[0]
    for i in range(n):
        out[i] = rhs[i]
    info = _xgesv(_KIND_DOUBLE, n, 1, matF.ctypes, n, pivots.ctypes, out.ctypes, n)
    if info < 0:
        return False
    for i in range(n):
        if not abs(matF[i, i]) > threshold:
            return False
    for i in range(n):
        if not np.isfinite(out[i]):
            return False
    return True


@njit(cache=True, _nrt=False)
def solve_unit_minus(P, rhs, mat, out, pivots, lapack_from):
    """Solve (I - P) out = rhs; False when I - P is numerically singular (module rule).

    ``mat`` (n, n) is scratch for I - P, built in the layout the solver wants: row-major
    for the Gaussian elimination with partial pivoting below, transposed for LAPACK (from
    size ``lapack_from`` on); ``rhs`` may be overwritten; ``pivots`` is
    :func:`pivot_scratch`.  ``P`` is left as it is.  The solve fails as soon as a pivot
    is at most the module's threshold (NaN included) or the solution is not finite.
    Compiled without reference counting (``_nrt=False``; it allocates nothing), so a
    call costs none for its five arrays.
    """
    n = P.shape[0]
    if n >= lapack_from:
        for i in range(n):
            for j in range(n):
                mat[j, i] = -P[i, j]
            mat[i, i] += 1.0
        scale = largest_entry(mat)   # vectorised: worth it at LAPACK's sizes
        if not scale < np.inf:
            return False
        return _solve_by_lapack(mat, rhs, out, SINGULAR_RTOL * max(1.0, scale), pivots)
    for i in range(n):
        for j in range(n):
            mat[i, j] = -P[i, j]
        mat[i, i] += 1.0
    # the scale by largest_entry: a running maximum compared entry by entry would be one
    # chain of dependent comparisons (a fifth of the solve at n = 10)
    scale = max(1.0, largest_entry(mat))
    if not scale < np.inf:                      # an inf or NaN entry: not a finite system
        return False
    # Gaussian elimination with partial pivoting, written out here rather than called:
    # a call would pass three arrays, each at the price of a reference-count round trip.
    # Indices are unsigned: for them numba adds no arithmetic for negative indices.
    threshold = SINGULAR_RTOL * scale
    size = np.uintp(n)
    one = np.uintp(1)
    for col in range(size):
        piv = col
        best = abs(mat[col, col])
        for r in range(col + one, size):
            a = abs(mat[r, col])
            if a > best:
                best = a
                piv = r
        if not best > threshold:                # NaN included
            return False
        if piv != col:
            for j in range(col, size):
                tmp = mat[col, j]
                mat[col, j] = mat[piv, j]
                mat[piv, j] = tmp
            tmp = rhs[col]
            rhs[col] = rhs[piv]
            rhs[piv] = tmp
        inv = 1.0 / mat[col, col]
        # the back substitution multiplies by the reciprocal: no division on its chain
        mat[col, col] = inv
        for r in range(col + one, size):
            f = mat[r, col] * inv
            if f != 0.0:
                for j in range(col + one, size):
                    mat[r, j] -= f * mat[col, j]
                rhs[r] -= f * rhs[col]
    for back in range(size):
        i = size - one - back
        s = rhs[i]
        for j in range(i + one, size):
            s -= mat[i, j] * out[j]
        out[i] = s * mat[i, i]
        if not np.isfinite(out[i]):
            return False
    return True


@njit(cache=True, inline="always")
def cycle_product(Jtab, idx, Pc, spare):
    """Pc = [P | c] with P = J_k ... J_1 and c = sum_j J_k ... J_{j+1} c_j, the composition
    of the blocks [J_j | c_j] = Jtab[idx[j]] (C-contiguous (M, M + 1) buffers).

    Partial compositions alternate between ``Pc`` and ``spare`` so that the last lands in
    ``Pc`` with no copy in between.
    """
    k = idx.shape[0]
    M = Pc.shape[0]
    if k == 1:
        for i in range(M):
            for j in range(M + 1):
                Pc[i, j] = Jtab[idx[0], i, j]
        return
    # k - 1 compositions: start in the buffer that makes the last one land in Pc
    last_in_pc = (k - 1) % 2 == 1
    if LOOP_MATMUL_MAX < M <= VECTOR_MATMUL_MAX and _affine_blocks(Jtab, Pc, spare):
        # by address: no views of table entries, no arrays passed per product, and the
        # buffers swapped as addresses (an array assignment costs a reference count)
        table = Jtab.ctypes.data
        entry = np.uintp(Jtab.strides[0])
        to, spare_to = Pc.ctypes.data, spare.ctypes.data
        if not last_in_pc:
            to, spare_to = spare_to, to
        compose_at(M, table + np.uintp(idx[1]) * entry, table + np.uintp(idx[0]) * entry, to)
        for step in range(2, k):
            compose_at(M, table + np.uintp(idx[step]) * entry, to, spare_to)
            to, spare_to = spare_to, to
        return
    if last_in_pc:
        dst, other = Pc, spare
    else:
        dst, other = spare, Pc
    compose_into(Jtab, idx[1], Jtab[idx[0]], dst)
    for step in range(2, k):
        compose_into(Jtab, idx[step], dst, other)
        dst, other = other, dst


@njit(cache=True, inline="always")
def solve_affine(Pc, rhs, mat, out, pivots, lapack_from):
    """Solve (I - P) out = c for the block Pc = [P | c] (the module's rule for singular);
    ``rhs`` (M,) is scratch."""
    M = Pc.shape[0]
    for i in range(M):
        rhs[i] = Pc[i, M]
    return solve_unit_minus(Pc, rhs, mat, out, pivots, lapack_from)


@njit(cache=True, inline="always")
def solve_cycle(Jtab, idx, Pc, spare, rhs, mat, points, pivots, lapack_from):
    """The candidate cycle of the region maps [J_j | c_j] = Jtab[idx[j]].

    Fills Pc = [P | c] (:func:`cycle_product`; for k = 1 the table entry is solved as it
    is and Pc is left alone), solves (I - P) z_1 = c into ``points[0]`` and continues
    z_{j+1} = J_j z_j + c_j.  False when I - P is numerically singular (the module's rule).
    """
    k = idx.shape[0]
    if k == 1:
        return solve_affine(Jtab[idx[0]], rhs, mat, points[0], pivots, lapack_from)
    cycle_product(Jtab, idx, Pc, spare)
    if not solve_affine(Pc, rhs, mat, points[0], pivots, lapack_from):
        return False
    for step in range(k - 1):
        table_affine_apply(Jtab, idx[step], points, step, step + 1)
    return True


#: Region maps are cached (computed on first use) when there are at most
#: 2**TABLE_MAX_GATES sign patterns and a table for all of them would take at most
#: TABLE_MAX_BYTES (M <= 10 for the PLRNN): filling a map costs as much as multiplying it.
TABLE_MAX_GATES = 20
TABLE_MAX_BYTES = 2 ** 20


@njit(cache=True)
def region_map_table(M, H, k):
    """Buffers for the region maps of searches up to order k: (Jtab, slot_of, n_filled).

    ``Jtab[s]`` is the block [J | c] (M, M + 1) of a region.  When small enough, a cache
    for all 2**H sign patterns: ``slot_of[code]`` is 1 + the slot of the region with that
    code, or 0 before its first use, and slots are handed out in order of first use
    (``n_filled[0]`` so far), so the blocks a search uses lie together at the front of
    the table rather than spread over all 2**H of them.  One cache serves every order of
    one model.  Otherwise :func:`uncached_region_maps` with k slots.
    """
    if H <= TABLE_MAX_GATES and (2 ** H) * M * (M + 1) * 8 <= TABLE_MAX_BYTES:
        n = 2 ** H
        return (np.empty((n, M, M + 1)), np.zeros(n, dtype=np.int64),
                np.zeros(1, dtype=np.int64))
    return uncached_region_maps(M, k)


@njit(cache=True)
def uncached_region_maps(M, n_slots):
    """Region-map buffers without a cache: :func:`region_maps` fills row j of D into slot j
    every time (``slot_of`` empty)."""
    return (np.empty((n_slots, M, M + 1)), np.zeros(0, dtype=np.int64),
            np.zeros(1, dtype=np.int64))


@njit(cache=True, inline="always")
def region_maps(A, W, G, g, b, D, gate_is_identity, maps, idx):
    """Point ``idx[j]`` at the block [J(d_j) | c(d_j)] of the rows of D in the table of
    ``maps`` (:func:`region_map_table`), computing the blocks not cached yet."""
    Jtab, slot_of, n_filled = maps
    k, H = D.shape
    for j in range(k):
        if slot_of.shape[0] > 0:
            code = 0
            for h in range(H):
                code |= np.int64(D[j, h]) << h     # no branch on a random bit
            if slot_of[code] > 0:
                idx[j] = slot_of[code] - 1
                continue
            idx[j] = n_filled[0]
            n_filled[0] += 1
            slot_of[code] = idx[j] + 1
        else:
            idx[j] = j
        fill_region_matrix(A, W, G, D, j, gate_is_identity, Jtab, idx[j])
        fill_region_offset(W, g, b, D, j, gate_is_identity, Jtab, idx[j])


def _lapack_agrees_with_numpy():
    """Whether the dgesv path solves a test system as numpy does (run once at import)."""
    if not _HAVE_LAPACK:
        return False
    try:
        n = LAPACK_MIN_SIZE + 5
        rng = np.random.default_rng(12345)
        P = rng.normal(scale=0.3 / np.sqrt(n), size=(n, n))
        rhs = rng.normal(size=n)
        out = np.empty(n)
        ok = solve_unit_minus(P, rhs.copy(), np.empty((n, n)), out, pivot_scratch(n), 1)
        expected = np.linalg.solve(np.eye(n) - P, rhs)
        return bool(ok) and bool(np.allclose(out, expected, rtol=1e-10, atol=1e-12))
    except Exception:  # pragma: no cover - a broken LAPACK: fall back to the elimination
        return False


_LAPACK_FROM = []


def lapack_from():
    """The size from which the searches call LAPACK: ``LAPACK_MIN_SIZE``, or ``NEVER`` when
    the check of the dgesv path against numpy failed.

    The check runs once per process, before the first search (not at import: loading its
    compiled kernel would add about 0.3 s to ``import plrnn_lib``).
    """
    if not _LAPACK_FROM:
        _LAPACK_FROM.append(LAPACK_MIN_SIZE if _lapack_agrees_with_numpy() else NEVER)
    return _LAPACK_FROM[0]
