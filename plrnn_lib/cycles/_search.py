r"""numba kernels of the cycle searches: SCYFI, the exhaustive search, one candidate.

Everything here works on the common piecewise-affine form of both models,

.. math:: F(z) = A z + W\,\mathrm{relu}(G z + g) + b, \qquad J(d) = A + W\,\mathrm{diag}(d)\,G,
          \qquad c(d) = b + W\,\mathrm{diag}(d)\,g,

so one engine serves the PLRNN (G = I, g = 0, ``gate_is_identity``) and the shallow PLRNN.
The candidate of a region sequence comes from :func:`._linalg.solve_cycle` (Eisenmann et al.,
2023, eq. 5).  Buffers are allocated once per search; random regions come from SplitMix64
(:mod:`._hashset`) so a plain-Python replica draws exactly the same ones.

The helpers SCYFI's loop calls once or more per region sequence are marked
``inline="always"`` (here and in :mod:`._linalg`, :mod:`._hashset` and the region fills):
inlined into :func:`_scyfi_steps`, which is compiled without reference counting, they
cost no reference counts, where every array passed to a call costs an atomic increment
and decrement.
"""
from typing import NamedTuple

import numpy as np
from numba import njit

from ._hashset import low_bits, next_u64, packed_sequence_hash, sequence_hash, set_contains, \
    set_grown, set_insert
from ._linalg import compose_into, pivot_scratch, region_maps, solve_affine, \
    solve_cycle, table_affine_apply, uncached_region_maps

# Step outcomes written to the trace record (trace.py names them).
VIRTUAL = 0
REAL_NEW = 1
REAL_DUPLICATE = 2
REAL_LOWER_ORDER = 3
SINGULAR = 4
VIRTUAL_VISITED = 5   # virtual, but its regions were tried before: redraw instead of jumping

# A random draw of regions already tried is redrawn, up to this many draws in all.
REDRAW_TRIES = 8


class TraceRecord(NamedTuple):
    """Buffers :func:`scyfi_search` fills step by step when tracing (one row per step)."""

    assumed: np.ndarray   # (max_steps, k, H) bool
    points: np.ndarray    # (max_steps, k, M), NaN for a singular step
    actual: np.ndarray    # (max_steps, k, H) bool
    status: np.ndarray    # (max_steps,) int8, the codes above
    outer: np.ndarray     # (max_steps,) int64
    inner: np.ndarray     # (max_steps,) int64


def empty_trace_record(max_steps, k, M, H):
    """A :class:`TraceRecord` with room for ``max_steps`` steps."""
    return TraceRecord(np.zeros((max_steps, k, H), dtype=bool), np.full((max_steps, k, M), np.nan),
                       np.zeros((max_steps, k, H), dtype=bool), np.zeros(max_steps, dtype=np.int8),
                       np.zeros(max_steps, dtype=np.int64), np.zeros(max_steps, dtype=np.int64))


# -- random regions -------------------------------------------------------------------------

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
            for start in range(0, H, 64):
                word = next_u64(state)
                for i in range(start, min(start + 64, H)):
                    out[j, i] = ((word >> np.uint64(i - start)) & np.uint64(1)) == np.uint64(1)


@njit(cache=True, inline="always")
def draw_fresh(rng_state, pool, D, rows, visited):
    """Draw random regions into D, redrawing (up to ``REDRAW_TRIES`` draws in all) while D
    was already visited; returns the hash of D."""
    k, H = D.shape
    h = np.uint64(0)
    if pool.shape[0] == 0 and k * H <= 64:
        # fair coins for a short sequence: draw it packed into one word (the same random
        # words and bits as draw_regions) and unpack only the draw that is kept
        row_mask = low_bits(H)
        word = np.uint64(0)
        for _ in range(REDRAW_TRIES):
            word = np.uint64(0)
            for j in range(k):
                word |= (next_u64(rng_state) & row_mask) << np.uint64(j * H)
            h = packed_sequence_hash(word, k, H)
            if not set_contains(visited, h):
                break
        for j in range(k):
            for i in range(H):
                D[j, i] = ((word >> np.uint64(j * H + i)) & np.uint64(1)) == np.uint64(1)
        return h
    for _ in range(REDRAW_TRIES):
        draw_regions(rng_state, pool, D)
        h = sequence_hash(D, rows)
        if not set_contains(visited, h):
            break
    return h


# -- checks on a candidate ------------------------------------------------------------------

@njit(cache=True, inline="always")
def regions_of_points(G, g, points, gate_is_identity, assumed, out):
    """out[j] = [G z_j + g > 0], the regions the points really lie in; True when they are
    the ``assumed`` ones (a real candidate)."""
    k, M = points.shape
    H = out.shape[1]
    real = True
    for step in range(k):
        for h in range(H):
            if gate_is_identity:
                u = points[step, h]
            else:
                u = g[h]
                for j in range(M):
                    u += G[h, j] * points[step, j]
            out[step, h] = u > 0.0
            real &= out[step, h] == assumed[step, h]     # & rather than and: no branch
    return real


@njit(cache=True)
def same_point(x, y, point_tol):
    """max |x - y| <= point_tol * (1 + max |x|, |y|): equality up to a relative tolerance.

    The one point comparison of the library (``Cycle.same_as`` calls it too); x and y are
    1-D arrays of one length.
    """
    diff = 0.0
    size = 0.0
    for i in range(x.shape[0]):
        d = abs(x[i] - y[i])
        if d > diff:
            diff = d
        a = max(abs(x[i]), abs(y[i]))
        if a > size:
            size = a
    return diff <= point_tol * (1.0 + size)


@njit(cache=True)
def _rows_equal(X, i, Y, j):
    """True when row i of X equals row j of Y (two regions, as bools)."""
    for h in range(X.shape[1]):
        if X[i, h] != Y[j, h]:
            return False
    return True


@njit(cache=True)
def _is_rotation(D, E, shift):
    """True when D[j] == E[(j + shift) % k] for every j."""
    k = D.shape[0]
    for j in range(k):
        if not _rows_equal(D, j, E, (j + shift) % k):
            return False
    return True


@njit(cache=True)
def _has_lower_period(D, points, point_tol):
    """True when the candidate repeats with a period p < k dividing k (not a minimal k-cycle).

    The regions decide exactly: with I - P invertible the candidate of a sequence is unique,
    so a periodic sequence's candidate is the cycle of its period, and a cycle of period p
    has regions of period p.  The points are compared as well, for sequences of a larger
    period whose candidate still closes early.
    """
    k = D.shape[0]
    for p in range(1, k):
        if k % p == 0 and (_is_rotation(D, D, p) or same_point(points[0], points[p], point_tol)):
            return True
    return False


@njit(cache=True)
def _is_known(D, points, found_points, found_regions, n_found, point_tol):
    """True when the candidate is a stored cycle: its regions are a rotation of a stored
    cycle's, or its first point is one of a stored cycle's points."""
    k = D.shape[0]
    for f in range(n_found):
        for shift in range(k):
            if _is_rotation(D, found_regions[f], shift) \
                    or same_point(points[0], found_points[f, shift], point_tol):
                return True
    return False


@njit(cache=True)
def real_status(D, points, found_points, found_regions, n_found, point_tol):
    """REAL_LOWER_ORDER, REAL_DUPLICATE or REAL_NEW for a real candidate of D."""
    if D.shape[0] > 1 and _has_lower_period(D, points, point_tol):
        return REAL_LOWER_ORDER
    if _is_known(D, points, found_points, found_regions, n_found, point_tol):
        return REAL_DUPLICATE
    return REAL_NEW


@njit(cache=True)
def store_cycle(found_points, found_regions, found_after, n_found, points, D, n_eval):
    """Store a new cycle as entry ``n_found``, doubling the buffers when full; returns them."""
    if n_found == found_points.shape[0]:
        found_points, found_regions, found_after = found_grown(found_points, found_regions,
                                                               found_after)
    found_points[n_found] = points
    found_regions[n_found] = D
    found_after[n_found] = n_eval
    return found_points, found_regions, found_after


@njit(cache=True)
def found_grown(found_points, found_regions, found_after):
    """The buffers of found cycles copied into ones twice as long."""
    n = found_points.shape[0]
    fp = np.empty((2 * n,) + found_points.shape[1:])
    fr = np.empty((2 * n,) + found_regions.shape[1:], dtype=np.bool_)
    fa = np.empty(2 * n, dtype=np.int64)
    fp[:n] = found_points
    fr[:n] = found_regions
    fa[:n] = found_after
    return fp, fr, fa


# -- the searches -----------------------------------------------------------------------------

# What _scyfi_steps returns: the search is over, or it stopped for a buffer to be grown.
_DONE = 0
_GROW_VISITED = 1
_GROW_FOUND = 2
# Its loop state, kept in an int64 array between calls.
(_SEED_INDEX, _OUTER, _INNER, _N_EVAL, _N_SINGULAR, _N_STEPS, _N_FOUND, _N_VISITED,
 _CURRENT) = range(9)


@njit(cache=True)
def scyfi_search(A, W, G, g, b, gate_is_identity, order, n_outer, n_inner, pool, seeds,
                 rng_state, point_tol, lapack_from, maps, record):
    """SCYFI for one cycle order (Eisenmann et al., 2023, Algorithm 1), remembering what it tried.

    ``seeds`` (n_seeds, k, H) are tried first, each opening an inner loop that does not
    count against ``n_outer``.  ``maps`` are the region-map buffers of
    :func:`._linalg.region_map_table` (a table filled on first use can serve every order of
    one model).  ``record`` is None for the plain search (numba compiles the
    recording branches away for that type) or a :class:`TraceRecord`, whose length caps the
    number of steps.

    Deviation from the reference: the (shift-invariant) hashes of all region sequences
    tried for this order are kept in a set.  A virtual candidate whose actual regions were
    tried before is not followed (the jump would only repeat a path already walked, e.g. a
    closed loop D1 -> D2 -> D1 of virtual candidates): the step is marked
    ``VIRTUAL_VISITED`` and random regions are drawn instead; random draws of sequences
    tried before are redrawn (up to ``REDRAW_TRIES`` draws).

    The loop itself is :func:`_scyfi_steps`; this allocates its buffers and grows them
    when it asks.

    Returns (points (n, k, M), regions (n, k, H), found_after (n,), n_evaluated,
    n_singular, n_steps).
    """
    M = A.shape[0]
    H = G.shape[0]
    k = order
    regions = np.zeros((2, k, H), dtype=np.bool_)      # the assumed and the actual ones
    idx = np.empty(k, dtype=np.int64)
    Pc = np.empty((M, M + 1))
    spare = np.empty((M, M + 1))
    mat = np.empty((M, M))
    rhs = np.empty(M)
    points = np.empty((k, M))
    pivots = pivot_scratch(M)
    found_points = np.empty((4, k, M))
    found_regions = np.empty((4, k, H), dtype=np.bool_)
    found_after = np.empty(4, dtype=np.int64)
    rows = np.empty(k, dtype=np.uint64)
    visited = np.zeros(256, dtype=np.uint64)
    state = np.zeros(9, dtype=np.int64)
    state[_INNER] = n_inner                  # an inner loop ended: begin with a start
    current_hash = np.zeros(1, dtype=np.uint64)
    while True:
        stop = _scyfi_steps(A, W, G, g, b, gate_is_identity, n_outer, n_inner, pool, seeds,
                            rng_state, point_tol, lapack_from, maps, idx, Pc, spare, mat,
                            rhs, points, pivots, regions, rows, visited,
                            found_points, found_regions, found_after, state, current_hash,
                            record)
        if stop == _GROW_VISITED:
            visited = set_grown(visited)
        elif stop == _GROW_FOUND:
            found_points, found_regions, found_after = found_grown(found_points, found_regions,
                                                                   found_after)
        else:
            break
    n_found = state[_N_FOUND]
    return (found_points[:n_found], found_regions[:n_found], found_after[:n_found],
            state[_N_EVAL], state[_N_SINGULAR], state[_N_STEPS])


@njit(cache=True, inline="always")
def _copy_rows(source, target):
    """target[:, :] = source, element by element (a slice assignment needs reference
    counting, which :func:`_scyfi_steps` is compiled without)."""
    for i in range(source.shape[0]):
        for j in range(source.shape[1]):
            target[i, j] = source[i, j]


@njit(cache=True, _nrt=False)
def _scyfi_steps(A, W, G, g, b, gate_is_identity, n_outer, n_inner, pool, seeds, rng_state,
                 point_tol, lapack_from, maps, idx, Pc, spare, mat, rhs, points, pivots,
                 regions, rows, visited, found_points, found_regions, found_after, state,
                 current_hash, record):
    """The loop of :func:`scyfi_search`, from the loop state ``state`` and the hash of the
    current regions ``current_hash[0]`` until the search is over (``_DONE``) or a buffer
    must grow first (``_GROW_VISITED``: the visited set would pass half full;
    ``_GROW_FOUND``: no room for another cycle); the state is saved for the next call.

    Compiled without numba's reference counting (``_nrt=False``): it allocates nothing
    and returns no array, so no count is needed, and with its helpers inlined it would
    otherwise pay an atomic increment and decrement for every array handed to them, about
    70 per sequence (counted at M = 10, k = 5), more than the rest of the bookkeeping.
    ``regions[state[_CURRENT]]`` holds the assumed regions, the other the actual ones.
    """
    seed_index = state[_SEED_INDEX]
    outer = state[_OUTER]
    inner = state[_INNER]
    n_eval = state[_N_EVAL]
    n_singular = state[_N_SINGULAR]
    n_steps = state[_N_STEPS]
    n_found = state[_N_FOUND]
    n_visited = state[_N_VISITED]
    current = state[_CURRENT]
    hD = current_hash[0]
    Jtab = maps[0]
    D = regions[current]
    actual = regions[1 - current]
    max_steps = 0 if record is None else record.status.shape[0]
    stop = _DONE
    while True:
        while inner >= n_inner:              # a start: seed regions or random ones
            if seed_index < seeds.shape[0]:
                _copy_rows(seeds[seed_index], D)
                seed_index += 1
                hD = sequence_hash(D, rows)
            elif outer < n_outer:
                outer += 1
                hD = draw_fresh(rng_state, pool, D, rows, visited)
            else:
                break
            inner = 0
        if inner >= n_inner or (record is not None and n_steps >= max_steps):
            break
        if 2 * (n_visited + 1) > visited.shape[0]:
            stop = _GROW_VISITED
            break
        if n_found == found_points.shape[0]:
            stop = _GROW_FOUND
            break
        inner += 1
        n_eval += 1
        if set_insert(visited, hD):
            n_visited += 1
        region_maps(A, W, G, g, b, D, gate_is_identity, maps, idx)
        ok = solve_cycle(Jtab, idx, Pc, spare, rhs, mat, points, pivots, lapack_from)
        hA = np.uint64(0)
        if not ok:
            n_singular += 1
            status = SINGULAR
        elif not regions_of_points(G, g, points, gate_is_identity, D, actual):
            hA = sequence_hash(actual, rows)
            status = VIRTUAL_VISITED if set_contains(visited, hA) else VIRTUAL
        else:
            status = real_status(D, points, found_points, found_regions, n_found, point_tol)
            if status == REAL_NEW:
                _copy_rows(points, found_points[n_found])
                _copy_rows(D, found_regions[n_found])
                found_after[n_found] = n_eval
                n_found += 1
                # a new cycle restarts both budgets (the reference algorithm)
                outer = 0
                inner = 0
        if record is not None:
            _copy_rows(D, record.assumed[n_steps])
            if ok:
                _copy_rows(points, record.points[n_steps])
                _copy_rows(actual, record.actual[n_steps])
            record.status[n_steps] = status
            record.outer[n_steps] = outer
            record.inner[n_steps] = inner
        n_steps += 1
        if status == VIRTUAL:
            # jump into the regions the virtual cycle's points actually lie in
            current = 1 - current
            D = regions[current]
            actual = regions[1 - current]
            hD = hA
        else:
            hD = draw_fresh(rng_state, pool, D, rows, visited)
    state[_SEED_INDEX] = seed_index
    state[_OUTER] = outer
    state[_INNER] = inner
    state[_N_EVAL] = n_eval
    state[_N_SINGULAR] = n_singular
    state[_N_STEPS] = n_steps
    state[_N_FOUND] = n_found
    state[_N_VISITED] = n_visited
    state[_CURRENT] = current
    current_hash[0] = hD
    return stop


@njit(cache=True)
def candidate_for(A, W, G, g, b, gate_is_identity, D, lapack_from):
    """The candidate cycle of one region sequence D (k, H), solved as in the searches.

    Returns (ok, points (k, M), actual regions (k, H), P (M, M), c (M,)); points NaN and
    actual all False when I - P is numerically singular (not ok).
    """
    k = D.shape[0]
    M = A.shape[0]
    H = G.shape[0]
    maps = uncached_region_maps(M, k)
    Js = maps[0]
    idx = np.empty(k, dtype=np.int64)
    region_maps(A, W, G, g, b, D, gate_is_identity, maps, idx)
    Pc = np.empty((M, M + 1))
    points = np.empty((k, M))
    actual = np.zeros((k, H), dtype=np.bool_)
    ok = solve_cycle(Js, idx, Pc, np.empty((M, M + 1)), np.empty(M), np.empty((M, M)),
                     points, pivot_scratch(M), lapack_from)
    if k == 1:
        Pc[:, :] = Js[idx[0]]       # solve_cycle solves a lone map where it lies
    if ok:
        regions_of_points(G, g, points, gate_is_identity, D, actual)
    else:
        points[:, :] = np.nan
    P = Pc[:, :M].copy()
    c = Pc[:, M].copy()
    return ok, points, actual, P, c


@njit(cache=True)
def exhaustive_search(A, W, G, g, b, gate_is_identity, pool, order, point_tol, lapack_from):
    """Try every sequence of ``order`` regions drawn from ``pool`` (n, H).

    Products of prefixes are reused between neighbouring sequences (an odometer over the
    region indices), and only sequences whose first region has the smallest pool index are
    solved: every cycle has such a rotation, so nothing is lost.  The products are the
    ones :func:`._linalg.cycle_product` forms, in the same order, so a sequence gets the
    same candidate (and the same singular verdict) as in SCYFI.

    Returns (points (n, k, M), regions (n, k, H), n_evaluated).
    """
    M = A.shape[0]
    H = G.shape[0]
    n = pool.shape[0]
    k = order
    maps = uncached_region_maps(M, n)
    Jpool = maps[0]
    region_maps(A, W, G, g, b, pool, gate_is_identity, maps, np.empty(n, dtype=np.int64))
    idx = np.zeros(k, dtype=np.int64)
    Pp = np.empty((k + 1, M, M + 1))     # Pp[j] = [J(d_j) | c(d_j)] o ... o [J(d_1) | c(d_1)]
    mat = np.empty((M, M))
    rhs = np.empty(M)
    points = np.empty((k, M))
    pivots = pivot_scratch(M)
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
            if j == 0:
                Pp[1] = Jpool[idx[0]]
            else:
                compose_into(Jpool, idx[j], Pp[j], Pp[j + 1])
        canonical = True
        for j in range(1, k):
            if idx[j] < idx[0]:
                canonical = False
        if canonical:
            n_eval += 1
            if solve_affine(Pp[k], rhs, mat, points[0], pivots, lapack_from):
                for j in range(k - 1):
                    table_affine_apply(Jpool, idx[j], points, j, j + 1)
                for j in range(k):
                    D[j] = pool[idx[j]]
                if regions_of_points(G, g, points, gate_is_identity, D, actual) and \
                        real_status(D, points, found_points, found_regions, n_found,
                                    point_tol) == REAL_NEW:
                    found_points, found_regions, found_after = store_cycle(
                        found_points, found_regions, found_after, n_found, points, D, n_eval)
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
