"""numba kernels of the cycle search (SCYFI and the exhaustive search).

Everything here works on the common piecewise-affine form of both models,

    F(z) = A z + W relu(G z + g) + b ,     J(d) = A + W diag(d) G,  c(d) = b + W diag(d) g,

so one engine serves the PLRNN (G = I, g = 0, ``gate_is_identity``) and the shallow PLRNN.
For a region sequence d_1..d_k the candidate cycle solves (Eisenmann et al., 2023, eq. 5)

    P = J_k ... J_1,   c = sum_j J_k ... J_{j+1} c_j,   (I - P) z_1 = c,
    z_{j+1} = J_j z_j + c_j .

The kernels avoid per-call overhead: buffers are allocated once per search, small linear
systems are solved by a Gaussian elimination with partial pivoting (which also tells us
when I - P is numerically singular), larger ones by LAPACK's dgesv called directly (on
I - P built in Fortran order, so nothing is copied or allocated per solve), and random
regions come from a SplitMix64 generator whose state is a one-element uint64 array, so a
plain-Python replica (benchmarks/scyfi.py) can draw exactly the same regions.
"""
import llvmlite.binding as _llvm
import numpy as np
from llvmlite import ir as _ir
from numba import njit, types
from numba.core.extending import get_cython_function_address, intrinsic

# Step outcomes written to the trace record (see trace.py for their names).
VIRTUAL = 0
REAL_NEW = 1
REAL_DUPLICATE = 2
REAL_LOWER_ORDER = 3
SINGULAR = 4
VIRTUAL_VISITED = 5   # virtual, but its regions were tried before: redraw instead of jumping

# A random draw of regions already tried is redrawn, up to this many draws in all.
REDRAW_TRIES = 8

# A pivot below this fraction of the largest entry of I - P marks the system singular:
# the candidate would sit at |z| ~ 1e12 or be a continuum, neither a usable cycle.
SINGULAR_RTOL = 1e-12

# From this size on, LAPACK's blocked, vectorised getrf/getrs (called from numba, so
# without Python's per-call overhead) beats the plain elimination loop; below it the
# loop wins because it has no call overhead at all.  (Tuned when LAPACK was reached through
# np.linalg.solve, which also copied the matrix; not re-tuned for the direct dgesv call.)
LAPACK_MIN_SIZE = 24

# LAPACK's dgesv from scipy's Cython LAPACK (the library numba's own np.linalg uses), called
# by symbol name: the address is registered with LLVM at import and never baked into the
# machine code, so the kernels calling it stay cacheable (cache=True).  Its arguments are
# all pointers: n, nrhs, a, lda, ipiv, b, ldb, info (the integers are 32-bit).
_llvm.add_symbol("plrnn_lib_dgesv",
                 get_cython_function_address("scipy.linalg.cython_lapack", "dgesv"))
_dgesv = types.ExternalFunction("plrnn_lib_dgesv", types.void(*([types.voidptr] * 8)))

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True)
def next_u64(state):
    """SplitMix64 (Steele et al., 2014): advance ``state[0]`` and return 64 random bits."""
    state[0] += _GOLDEN
    x = state[0]
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def draw_regions(state, pool, out):
    """Fill ``out`` (k, H) with random regions.

    With an empty ``pool`` every gate is a fair coin (64 gates per random word); otherwise
    each row is a uniformly drawn row of ``pool`` (the sign patterns known to occur).
    """
    k, H = out.shape
    n_pool = pool.shape[0]
    for j in range(k):
        if n_pool > 0:
            idx = next_u64(state) % np.uint64(n_pool)
            for i in range(H):
                out[j, i] = pool[idx, i]
        else:
            word = np.uint64(0)
            for i in range(H):
                if i % 64 == 0:
                    word = next_u64(state)
                out[j, i] = ((word >> np.uint64(i % 64)) & np.uint64(1)) == np.uint64(1)


@njit(cache=True)
def fill_region_affine(A, W, G, g, b, d, gate_is_identity, J, c):
    """In place: J = A + W diag(d) G and c = b + W diag(d) g."""
    M = A.shape[0]
    for i in range(M):
        for j in range(M):
            J[i, j] = A[i, j]
        c[i] = b[i]
    for h in range(d.shape[0]):
        if d[h]:
            if gate_is_identity:
                for i in range(M):
                    J[i, h] += W[i, h]
            else:
                for i in range(M):
                    wih = W[i, h]
                    for j in range(M):
                        J[i, j] += wih * G[h, j]
                    c[i] += wih * g[h]


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
def lapack_ints(n):
    """The int32 scratch :func:`solve_lapack` needs for systems of size n."""
    return np.empty(n + 3, dtype=np.int32)


@njit(cache=True)
def solve_lapack(matT, rhs, out, scale, ints):
    """Solve ``mat @ out = rhs`` with LAPACK's dgesv, given ``matT`` = mat.T (C-contiguous,
    i.e. ``mat`` in the Fortran order LAPACK works in); False when singular.

    ``matT`` is overwritten (by the LU factors), ``rhs`` is kept, ``out`` must be contiguous;
    ``scale`` is the largest |entry| of ``mat``, which must be finite; ``ints`` (n + 3,)
    int32 is scratch (:func:`lapack_ints`).  Near-singularity is judged by amplification:
    ``max|out| * scale * SINGULAR_RTOL > max|rhs|`` (the solution is ~1e12 times larger
    than ``rhs / |mat|``, as with a pivot below ``SINGULAR_RTOL`` in the elimination);
    an exactly zero pivot (dgesv's info > 0) or a non-finite solution is singular too.
    """
    n = matT.shape[0]
    rmax = 0.0
    for i in range(n):
        out[i] = rhs[i]
        rmax = max(rmax, abs(rhs[i]))
    ints[0] = n      # n = lda = ldb
    ints[1] = 1      # nrhs
    ints[2] = 0      # info
    _dgesv(ints[0:].ctypes, ints[1:].ctypes, matT.ctypes, ints[0:].ctypes, ints[3:].ctypes,
           out.ctypes, ints[0:].ctypes, ints[2:].ctypes)
    if ints[2] != 0:
        return False
    zmax = 0.0
    for i in range(n):
        if not np.isfinite(out[i]):
            return False
        zmax = max(zmax, abs(out[i]))
    return not (zmax * scale * SINGULAR_RTOL > rmax)


@njit(cache=True)
def solve_in_place(mat, rhs, out):
    """Solve ``mat @ out = rhs`` by Gaussian elimination with partial pivoting.

    ``mat`` and ``rhs`` may be overwritten.  Returns False (and leaves ``out`` undefined)
    when a pivot is below ``SINGULAR_RTOL`` times the largest entry, i.e. the system is
    numerically singular.  Meant for systems smaller than ``LAPACK_MIN_SIZE``;
    :func:`solve_fixed` sends larger ones to :func:`solve_lapack`.
    """
    n = mat.shape[0]
    scale = 0.0
    for i in range(n):
        for j in range(n):
            a = abs(mat[i, j])
            if a > scale:
                scale = a
    if not scale > 0.0:
        return False
    tiny = SINGULAR_RTOL * scale
    for col in range(n):
        piv = col
        best = abs(mat[col, col])
        for r in range(col + 1, n):
            a = abs(mat[r, col])
            if a > best:
                best = a
                piv = r
        if not best > tiny:  # also catches NaN
            return False
        if piv != col:
            for j in range(col, n):
                tmp = mat[col, j]
                mat[col, j] = mat[piv, j]
                mat[piv, j] = tmp
            tmp = rhs[col]
            rhs[col] = rhs[piv]
            rhs[piv] = tmp
        inv = 1.0 / mat[col, col]
        for r in range(col + 1, n):
            f = mat[r, col] * inv
            if f != 0.0:
                for j in range(col + 1, n):
                    mat[r, j] -= f * mat[col, j]
                rhs[r] -= f * rhs[col]
    for i in range(n - 1, -1, -1):
        s = rhs[i]
        for j in range(i + 1, n):
            s -= mat[i, j] * out[j]
        out[i] = s / mat[i, i]
        if not np.isfinite(out[i]):
            return False
    return True


@njit(cache=True)
def matmul_into(X, Y, out):
    """out = X @ Y for small square matrices (no allocation, no BLAS call overhead)."""
    n = X.shape[0]
    for i in range(n):
        for j in range(n):
            out[i, j] = 0.0
        for l in range(n):
            x = X[i, l]
            if x != 0.0:
                for j in range(n):
                    out[i, j] += x * Y[l, j]


@njit(cache=True)
def affine_apply(J, c, z, out):
    """out = J z + c."""
    n = J.shape[0]
    for i in range(n):
        s = c[i]
        for j in range(n):
            s += J[i, j] * z[j]
        out[i] = s


@njit(cache=True)
def solve_fixed(P, rhs, mat, out, ints):
    """Solve (I - P) out = rhs, building I - P in ``mat`` (scratch) in the layout the solver
    wants: row-major for the elimination, transposed for LAPACK (from ``LAPACK_MIN_SIZE``
    on; the largest |entry| is found in the same pass).  ``rhs`` may be overwritten,
    ``ints`` is :func:`solve_lapack`'s scratch.  False when I - P is numerically singular.
    """
    n = P.shape[0]
    if n < LAPACK_MIN_SIZE:
        for i in range(n):
            for j in range(n):
                mat[i, j] = -P[i, j]
            mat[i, i] += 1.0
        return solve_in_place(mat, rhs, out)
    for i in range(n):
        for j in range(n):
            mat[j, i] = -P[i, j]
        mat[i, i] += 1.0
    scale = largest_entry(mat)
    if not 0.0 < scale < np.inf:
        return False
    return solve_lapack(mat, rhs, out, scale, ints)


@njit(cache=True)
def solve_fixed_point_lapack(AT, WT, G, g, b, d, gate_is_identity, matT, rhs, out, ints):
    """The fixed point of region d (SCYFI's order 1) for systems from ``LAPACK_MIN_SIZE`` on.

    The same numbers as :func:`fill_region_affine` followed by :func:`solve_fixed`, but
    (I - J(d)).T is built straight from ``AT`` = A.T and ``WT`` = W.T (C-contiguous), in
    contiguous, vectorised passes and without J.  ``rhs`` gets c(d); ``out`` the point.
    """
    M = AT.shape[0]
    if gate_is_identity:
        for j in range(M):
            if d[j]:
                for i in range(M):
                    matT[j, i] = -(AT[j, i] + WT[j, i])
            else:
                for i in range(M):
                    matT[j, i] = -AT[j, i]
            matT[j, j] += 1.0
            rhs[j] = b[j]
    else:
        for j in range(M):
            for i in range(M):
                matT[j, i] = AT[j, i]
            rhs[j] = b[j]
        for h in range(d.shape[0]):
            if d[h]:
                for j in range(M):
                    ghj = G[h, j]
                    for i in range(M):
                        matT[j, i] += WT[h, i] * ghj
                for i in range(M):
                    rhs[i] += WT[h, i] * g[h]
        for j in range(M):
            for i in range(M):
                matT[j, i] = -matT[j, i]
            matT[j, j] += 1.0
    scale = largest_entry(matT)
    if not 0.0 < scale < np.inf:
        return False
    return solve_lapack(matT, rhs, out, scale, ints)


@njit(cache=True)
def solve_closed_orbit(Js, cs, P, tmp, mat, rhs, points, ints):
    """Given region maps (Js[j], cs[j]) for j = 0..k-1, solve (I - P) z_1 = c and fill ``points``.

    P = J_k ... J_1 and c is the accumulated offset; the remaining points follow from
    z_{j+1} = J_j z_j + c_j.  Returns False when I - P is numerically singular.
    ``ints`` is :func:`solve_lapack`'s scratch (:func:`lapack_ints`).
    """
    k, M = points.shape
    for i in range(M):
        rhs[i] = cs[0, i]
    if k == 1:
        # fixed points: I - J directly, no product (this is SCYFI's innermost case)
        if not solve_fixed(Js[0], rhs, mat, points[0], ints):
            return False
    else:
        for i in range(M):
            for j in range(M):
                P[i, j] = Js[0, i, j]
        for step in range(1, k):
            matmul_into(Js[step], P, tmp)
            P[:, :] = tmp
            affine_apply(Js[step], cs[step], rhs, tmp[0])
            rhs[:] = tmp[0]
        if not solve_fixed(P, rhs, mat, points[0], ints):
            return False
    for step in range(k - 1):
        affine_apply(Js[step], cs[step], points[step], points[step + 1])
    return True


@njit(cache=True)
def actual_regions(G, g, points, gate_is_identity, out):
    """out[j] = [G z_j + g > 0], the regions the points really lie in."""
    k, M = points.shape
    H = out.shape[1]
    for step in range(k):
        for h in range(H):
            if gate_is_identity:
                u = points[step, h]
            else:
                u = g[h]
                for j in range(M):
                    u += G[h, j] * points[step, j]
            out[step, h] = u > 0.0


@njit(cache=True)
def same_point(x, y, tol):
    """max |x - y| <= tol * (1 + max |x|, |y|): equality up to a relative tolerance."""
    diff = 0.0
    size = 0.0
    for i in range(x.shape[0]):
        d = abs(x[i] - y[i])
        if d > diff:
            diff = d
        a = max(abs(x[i]), abs(y[i]))
        if a > size:
            size = a
    return diff <= tol * (1.0 + size)


@njit(cache=True)
def has_lower_period(points, tol):
    """True when the k points repeat with a period p < k dividing k (not a minimal k-cycle)."""
    k = points.shape[0]
    for p in range(1, k):
        if k % p == 0 and same_point(points[0], points[p], tol):
            return True
    return False


@njit(cache=True)
def is_known(points, found_points, n_found, tol):
    """True when points[0] coincides with any point of a stored cycle (cyclic shifts are equal)."""
    k = points.shape[0]
    for f in range(n_found):
        for j in range(k):
            if same_point(points[0], found_points[f, j], tol):
                return True
    return False


@njit(cache=True)
def rows_equal(X, i, Y, j):
    """True when row i of X equals row j of Y (two regions, as bools)."""
    for h in range(X.shape[1]):
        if X[i, h] != Y[j, h]:
            return False
    return True


@njit(cache=True)
def regions_have_lower_period(D):
    """True when the region sequence D (k, H) repeats with a period p < k dividing k.

    With I - P invertible the candidate of a sequence is unique, so a periodic sequence's
    candidate is the (lower-order) cycle of its period; and the regions of a cycle of period
    p repeat with period p.  Exact, unlike comparing points, which fails when I - P is badly
    conditioned near a degenerate bifurcation.
    """
    k = D.shape[0]
    for p in range(1, k):
        if k % p == 0:
            periodic = True
            for j in range(k):
                if not rows_equal(D, j, D, (j + p) % k):
                    periodic = False
                    break
            if periodic:
                return True
    return False


@njit(cache=True)
def regions_known(D, found_regions, n_found):
    """True when D (k, H) is a cyclic shift of a stored cycle's region sequence.

    Shifted sequences have the same unique candidate cycle, shifted, and distinct cycles
    have distinct region sequences (a point's region is a function of the point).
    """
    k = D.shape[0]
    for f in range(n_found):
        for shift in range(k):
            same = True
            for j in range(k):
                if not rows_equal(D, j, found_regions[f], (j + shift) % k):
                    same = False
                    break
            if same:
                return True
    return False


@njit(cache=True)
def mix64(x):
    """The SplitMix64 finaliser: a bijective 64-bit mix."""
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def row_hash(d):
    """A 64-bit hash of one region (a row of bools)."""
    h = np.uint64(d.shape[0])
    word = np.uint64(0)
    for i in range(d.shape[0]):
        if d[i]:
            word |= np.uint64(1) << np.uint64(i % 64)
        if i % 64 == 63 or i == d.shape[0] - 1:
            h = mix64((h ^ word) + _GOLDEN)
            word = np.uint64(0)
    return h


@njit(cache=True)
def least_rotation(rows, fail):
    """Start of the lexicographically least rotation of ``rows`` (Booth, 1980; O(k)).

    ``fail`` (2k,) int64 is scratch for the failure function.
    """
    n = rows.shape[0]
    for j in range(2 * n):
        fail[j] = -1
    start = 0
    for j in range(1, 2 * n):
        sj = rows[j % n]
        i = fail[j - start - 1]
        while i != -1 and sj != rows[(start + i + 1) % n]:
            if sj < rows[(start + i + 1) % n]:
                start = j - i - 1
            i = fail[i]
        if sj != rows[(start + i + 1) % n]:   # here i == -1
            if sj < rows[start % n]:
                start = j
            fail[j - start] = -1
        else:
            fail[j - start] = i + 1
    return start % n


@njit(cache=True)
def sequence_hash(D, rows, fail):
    """A 64-bit hash of a region sequence D (k, H) that is the same for every cyclic shift.

    The row hashes are chained in order from the start of their least rotation, so all
    cyclic shifts of a sequence (which have the same candidate cycle, shifted) share one
    hash, while sequences that are not shifts of each other collide with probability
    ~2**-64.  Never 0 (the empty mark of the visited set).  ``rows`` (k,) uint64 and
    ``fail`` (2k,) int64 are scratch.
    """
    k = D.shape[0]
    for j in range(k):
        rows[j] = row_hash(D[j])
    start = least_rotation(rows, fail) if k > 1 else 0
    h = np.uint64(k) * _GOLDEN
    for j in range(k):
        h = mix64((h ^ rows[(start + j) % k]) + _GOLDEN)
    return h if h != np.uint64(0) else np.uint64(1)


@njit(cache=True)
def set_contains(table, h):
    """Whether the hash h (nonzero) is in the open-addressing set ``table`` (0 = empty slot)."""
    mask = np.uint64(table.shape[0] - 1)
    i = h & mask
    while True:
        t = table[i]
        if t == h:
            return True
        if t == np.uint64(0):
            return False
        i = (i + np.uint64(1)) & mask


@njit(cache=True)
def set_insert(table, h):
    """Insert the hash h (nonzero) into ``table``; True when it was not there yet."""
    mask = np.uint64(table.shape[0] - 1)
    i = h & mask
    while True:
        t = table[i]
        if t == h:
            return False
        if t == np.uint64(0):
            table[i] = h
            return True
        i = (i + np.uint64(1)) & mask


@njit(cache=True)
def set_grown(table):
    """The set rehashed into a table twice the size."""
    new = np.zeros(2 * table.shape[0], dtype=np.uint64)
    for i in range(table.shape[0]):
        if table[i] != np.uint64(0):
            set_insert(new, table[i])
    return new


@njit(cache=True)
def draw_fresh(rng_state, pool, D, rows, fail, visited):
    """Draw random regions into D, redrawing (up to ``REDRAW_TRIES`` draws in all) while D
    was already visited; returns the hash of D."""
    h = np.uint64(0)
    for _ in range(REDRAW_TRIES):
        draw_regions(rng_state, pool, D)
        h = sequence_hash(D, rows, fail)
        if not set_contains(visited, h):
            break
    return h


@njit(cache=True)
def _grow(found_points, found_regions, found_after):
    cap = 2 * found_points.shape[0]
    fp = np.empty((cap,) + found_points.shape[1:])
    fr = np.empty((cap,) + found_regions.shape[1:], dtype=np.bool_)
    fa = np.empty(cap, dtype=np.int64)
    n = found_points.shape[0]
    fp[:n] = found_points
    fr[:n] = found_regions
    fa[:n] = found_after
    return fp, fr, fa


@njit(cache=True)
def scyfi_search(A, W, G, g, b, gate_is_identity, order, n_outer, n_inner, pool, seeds,
                 rng_state, tol, record, max_steps):
    """SCYFI for one cycle order (Eisenmann et al., 2023, Algorithm 1), remembering what it tried.

    ``seeds`` (n_seeds, k, H) are tried first, each opening an inner loop that does not
    count against ``n_outer``.  ``record`` is None for the plain search (numba compiles the
    recording branches away for that type) or a tuple of arrays
    (assumed, points, actual, status, outer, inner) with room for ``max_steps`` steps.

    Deviation from the reference: the (shift-invariant) hashes of all region sequences
    tried for this order are kept in a set.  A virtual candidate whose actual regions were
    tried before is not followed (the jump would only repeat a path already walked, e.g. a
    closed loop D1 -> D2 -> D1 of virtual candidates): the step is marked
    ``VIRTUAL_VISITED`` and random regions are drawn instead; random draws of sequences
    tried before are redrawn (up to ``REDRAW_TRIES`` draws).

    Returns (points (n, k, M), regions (n, k, H), found_after (n,), n_evaluated,
    n_singular, n_steps).
    """
    M = A.shape[0]
    H = G.shape[0]
    k = order
    D = np.zeros((k, H), dtype=np.bool_)
    actual = np.zeros((k, H), dtype=np.bool_)
    Js = np.empty((k, M, M))
    cs = np.empty((k, M))
    P = np.empty((M, M))
    tmp = np.empty((M, M))
    mat = np.empty((M, M))
    rhs = np.empty(M)
    points = np.empty((k, M))
    ints = lapack_ints(M)
    # order 1 with LAPACK: (I - J).T straight from A.T and W.T (solve_fixed_point_lapack)
    lapack_fixed = k == 1 and M >= LAPACK_MIN_SIZE
    AT = np.ascontiguousarray(A.T)
    WT = np.ascontiguousarray(W.T)
    found_points = np.empty((4, k, M))
    found_regions = np.empty((4, k, H), dtype=np.bool_)
    found_after = np.empty(4, dtype=np.int64)
    rows = np.empty(k, dtype=np.uint64)
    fail = np.empty(2 * k, dtype=np.int64)
    visited = np.zeros(256, dtype=np.uint64)
    n_visited = 0
    n_found = 0
    n_eval = 0
    n_singular = 0
    n_steps = 0
    seed_index = 0
    outer = 0
    while True:
        if seed_index < seeds.shape[0]:
            D[:, :] = seeds[seed_index]
            seed_index += 1
            hD = sequence_hash(D, rows, fail)
        elif outer < n_outer:
            outer += 1
            hD = draw_fresh(rng_state, pool, D, rows, fail, visited)
        else:
            break
        inner = 0
        while inner < n_inner:
            if record is not None:
                if n_steps >= max_steps:
                    return (found_points[:n_found], found_regions[:n_found],
                            found_after[:n_found], n_eval, n_singular, n_steps)
            inner += 1
            n_eval += 1
            if set_insert(visited, hD):
                n_visited += 1
                if 2 * n_visited > visited.shape[0]:
                    visited = set_grown(visited)
            if lapack_fixed:
                ok = solve_fixed_point_lapack(AT, WT, G, g, b, D[0], gate_is_identity, mat, rhs,
                                              points[0], ints)
            else:
                for j in range(k):
                    fill_region_affine(A, W, G, g, b, D[j], gate_is_identity, Js[j], cs[j])
                ok = solve_closed_orbit(Js, cs, P, tmp, mat, rhs, points, ints)
            hA = np.uint64(0)
            if not ok:
                n_singular += 1
                status = SINGULAR
            else:
                actual_regions(G, g, points, gate_is_identity, actual)
                real = True
                for j in range(k):
                    for h in range(H):
                        if actual[j, h] != D[j, h]:
                            real = False
                if not real:
                    hA = sequence_hash(actual, rows, fail)
                    status = VIRTUAL_VISITED if set_contains(visited, hA) else VIRTUAL
                elif k > 1 and (regions_have_lower_period(D) or has_lower_period(points, tol)):
                    status = REAL_LOWER_ORDER
                elif regions_known(D, found_regions, n_found) \
                        or is_known(points, found_points, n_found, tol):
                    status = REAL_DUPLICATE
                else:
                    status = REAL_NEW
                    if n_found == found_points.shape[0]:
                        found_points, found_regions, found_after = _grow(
                            found_points, found_regions, found_after)
                    found_points[n_found] = points
                    found_regions[n_found] = D
                    found_after[n_found] = n_eval
                    n_found += 1
                    # a new cycle restarts both budgets (the reference algorithm)
                    outer = 0
                    inner = 0
            if record is not None:
                record[0][n_steps] = D
                if ok:
                    record[1][n_steps] = points
                    record[2][n_steps] = actual
                else:
                    record[1][n_steps] = np.nan
                    record[2][n_steps] = False
                record[3][n_steps] = status
                record[4][n_steps] = outer
                record[5][n_steps] = inner
            n_steps += 1
            if status == VIRTUAL:
                # jump into the regions the virtual cycle's points actually lie in
                D[:, :] = actual
                hD = hA
            else:
                hD = draw_fresh(rng_state, pool, D, rows, fail, visited)
    return (found_points[:n_found], found_regions[:n_found], found_after[:n_found],
            n_eval, n_singular, n_steps)


@njit(cache=True)
def candidate_for(A, W, G, g, b, gate_is_identity, D):
    """The candidate cycle of one region sequence D (k, H).

    Returns (ok, points (k, M), actual regions (k, H), P (M, M), c (M,)).
    """
    k = D.shape[0]
    M = A.shape[0]
    H = G.shape[0]
    Js = np.empty((k, M, M))
    cs = np.empty((k, M))
    for j in range(k):
        fill_region_affine(A, W, G, g, b, D[j], gate_is_identity, Js[j], cs[j])
    P = np.empty((M, M))
    tmp = np.empty((M, M))
    mat = np.empty((M, M))
    rhs = np.empty(M)
    points = np.full((k, M), np.nan)
    actual = np.zeros((k, H), dtype=np.bool_)
    ok = solve_closed_orbit(Js, cs, P, tmp, mat, rhs, points, lapack_ints(M))
    # the solver's buffers are scratch (and P is skipped for k = 1): rebuild P and c here
    P[:, :] = Js[0]
    c = cs[0].copy()
    for step in range(1, k):
        matmul_into(Js[step], P, tmp)
        P[:, :] = tmp
        affine_apply(Js[step], cs[step], c, rhs)
        c[:] = rhs
    if ok:
        actual_regions(G, g, points, gate_is_identity, actual)
    else:
        points[:, :] = np.nan
    return ok, points, actual, P, c


@njit(cache=True)
def exhaustive_search(A, W, G, g, b, gate_is_identity, pool, order, tol):
    """Try every sequence of ``order`` regions drawn from ``pool`` (n, H).

    Products of prefixes are reused between neighbouring sequences (an odometer over the
    region indices), and only sequences whose first region has the smallest pool index are
    solved: every cycle has such a rotation, so nothing is lost.

    Returns (points (n, k, M), regions (n, k, H), n_evaluated).
    """
    M = A.shape[0]
    H = G.shape[0]
    n = pool.shape[0]
    k = order
    Jpool = np.empty((n, M, M))
    cpool = np.empty((n, M))
    for r in range(n):
        fill_region_affine(A, W, G, g, b, pool[r], gate_is_identity, Jpool[r], cpool[r])
    idx = np.zeros(k, dtype=np.int64)
    Pp = np.empty((k + 1, M, M))
    cp = np.zeros((k + 1, M))
    Pp[0] = np.eye(M)
    mat = np.empty((M, M))
    rhs = np.empty(M)
    points = np.empty((k, M))
    ints = lapack_ints(M)
    actual = np.empty((k, H), dtype=np.bool_)
    D = np.empty((k, H), dtype=np.bool_)
    found_points = np.empty((4, k, M))
    found_regions = np.empty((4, k, H), dtype=np.bool_)
    found_after = np.empty(4, dtype=np.int64)
    n_found = 0
    n_eval = 0
    start = 0
    while True:
        for j in range(start, k):
            matmul_into(Jpool[idx[j]], Pp[j], Pp[j + 1])
            affine_apply(Jpool[idx[j]], cpool[idx[j]], cp[j], cp[j + 1])
        canonical = True
        for j in range(1, k):
            if idx[j] < idx[0]:
                canonical = False
        if canonical:
            n_eval += 1
            for i in range(M):
                rhs[i] = cp[k, i]
            if solve_fixed(Pp[k], rhs, mat, points[0], ints):
                for j in range(k - 1):
                    affine_apply(Jpool[idx[j]], cpool[idx[j]], points[j], points[j + 1])
                actual_regions(G, g, points, gate_is_identity, actual)
                real = True
                for j in range(k):
                    D[j] = pool[idx[j]]
                    for h in range(H):
                        if actual[j, h] != D[j, h]:
                            real = False
                lower = k > 1 and (regions_have_lower_period(D) or has_lower_period(points, tol))
                if real and not lower and not regions_known(D, found_regions, n_found) \
                        and not is_known(points, found_points, n_found, tol):
                    if n_found == found_points.shape[0]:
                        found_points, found_regions, found_after = _grow(
                            found_points, found_regions, found_after)
                    found_points[n_found] = points
                    found_regions[n_found] = D
                    found_after[n_found] = n_eval
                    n_found += 1
        pos = k - 1
        while pos >= 0:
            idx[pos] += 1
            if idx[pos] < n:
                break
            idx[pos] = 0
            pos -= 1
        if pos < 0:
            break
        start = pos
    return found_points[:n_found], found_regions[:n_found], n_eval
