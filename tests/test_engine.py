"""The cycle engine against references that share no code with it.

- recall: a brute force over every region sequence with itertools and numpy.linalg.solve;
- the benchmark's plain-Python replica of SCYFI (benchmarks/scyfi.py): same regions visited,
  same cycles;
- one rule for "singular": SCYFI, the exhaustive search, cycle_candidate and
  evaluate_sequence agree near singular systems, and the rule is checked against scipy's
  LU and numpy's singular values;
- the LAPACK path (shallow PLRNN) against numpy and against the elimination;
- region codes, cycle keys and the shift-invariant hash as property tests.
"""
import importlib.util
import sys
import itertools
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

import plrnn_lib as pl
from plrnn_lib.bifurcations import evaluate_sequence
from plrnn_lib.cycles import (all_regions, cycle_candidate, exhaustive_cycles, find_cycles,
                              realisable_regions, sampled_regions)
from plrnn_lib.cycles import _hashset, _linalg, _search
from plrnn_lib.cycles.keys import (canonical_sequence, code_order, region_code, region_codes,
                                   regions_from_codes, sequence_from_key)

ROOT = Path(__file__).resolve().parents[1]


# -- an independent brute force ------------------------------------------------------------------

def numpy_parts(model):
    A, W, G, g, b = (np.array(x) for x in model.affine_parts()[:5])
    return A, W, G, g, b


def brute_force_cycles(model, order):
    """Every cycle of minimal period ``order``: all region sequences (itertools), numpy solves.

    Returns {rotation-invariant key: points}.  The key is the smallest rotation of the rows
    as bytes (nothing from plrnn_lib.cycles.keys).
    """
    A, W, G, g, b = numpy_parts(model)
    M, H = A.shape[0], G.shape[0]
    patterns = [np.array(p, dtype=bool) for p in itertools.product([False, True], repeat=H)]
    found = {}
    for seq in itertools.product(patterns, repeat=order):
        Js = [A + W @ np.diag(d.astype(float)) @ G for d in seq]
        cs = [b + W @ (d * g) for d in seq]
        P, c = np.eye(M), np.zeros(M)
        for J, cj in zip(Js, cs):
            P, c = J @ P, J @ c + cj
        try:
            z = np.linalg.solve(np.eye(M) - P, c)
        except np.linalg.LinAlgError:
            continue
        points = [z]
        for J, cj in zip(Js[:-1], cs[:-1]):
            points.append(J @ points[-1] + cj)
        points = np.array(points)
        if not all(np.array_equal(G @ points[j] + g > 0, seq[j]) for j in range(order)):
            continue
        rows = tuple(d.tobytes() for d in seq)
        if any(order % p == 0 and rows == rows[p:] + rows[:p] for p in range(1, order)):
            continue                                        # a cycle of a smaller period
        key = min(rows[s:] + rows[:s] for s in range(order))
        start = next(s for s in range(order) if rows[s:] + rows[:s] == key)
        found[key] = np.roll(points, -start, axis=0)     # starting at the least rotation
    return found


def key_of(cycle):
    rows = tuple(d.tobytes() for d in cycle.regions)
    return min(rows[s:] + rows[:s] for s in range(len(rows)))


def assert_same_as_brute_force(model, max_order, cycles):
    for k in range(1, max_order + 1):
        expected = brute_force_cycles(model, k)
        got = {key_of(c): c for c in cycles if c.order == k}
        assert set(got) == set(expected), (k, len(got), len(expected))
        for key, pts in expected.items():
            rows = tuple(d.tobytes() for d in got[key].regions)
            shift = next(s for s in range(k) if rows[s:] + rows[:s] == key)
            np.testing.assert_allclose(np.roll(got[key].points, -shift, axis=0), pts,
                                       rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("i", range(24))
def test_recall_equals_an_independent_brute_force(i):
    """SCYFI (with enough outer loops) and the exhaustive search find exactly the cycles of a
    brute force that shares no code with them (M <= 3, orders <= 3)."""
    M = 1 + i % 3
    model = pl.PLRNN.random(M, rng=500 + i, w_scale=[1.0, 2.0, 3.5][i % 3],
                            a_range=(-0.9, 0.9))
    K = 3
    exhaustive = [c for k in range(1, K + 1) for c in exhaustive_cycles(model, k)]
    assert_same_as_brute_force(model, K, exhaustive)
    assert_same_as_brute_force(model, K, find_cycles(model, K, rng=i, outer_loops=60))


@pytest.mark.parametrize("i", range(6))
def test_shallow_recall_equals_an_independent_brute_force(i):
    model = pl.ShallowPLRNN.random(2, 3 + i % 2, rng=700 + i, w_scale=2.0, a_range=(-0.9, 0.9))
    K = 2
    exhaustive = [c for k in range(1, K + 1) for c in
                  exhaustive_cycles(model, k, regions=all_regions(model.n_gates))]
    assert_same_as_brute_force(model, K, exhaustive)


# -- the benchmark's plain-Python replica ------------------------------------------------------

def load_benchmark():
    folder = str(ROOT / "benchmarks")
    if folder not in sys.path:      # the script imports its folder's _timing, as when run
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location("bench_scyfi", ROOT / "benchmarks" / "scyfi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("model, max_order", [
    (pl.toy_plrnn(), 5),
    (pl.PLRNN.random(3, rng=3, w_scale=2.5, a_range=(-0.9, 0.9)), 3),
    (pl.PLRNN.random(6, rng=6, w_scale=1.5), 3),
    (pl.PLRNN([1.0, 1.0], np.zeros((2, 2)), [0.1, 0.2]), 2),        # singular everywhere
    # 64 fixed points and 600 steps at order 3: the cycle buffers and the visited set grow
    (pl.PLRNN(np.full(6, 0.5), np.eye(6), np.full(6, -0.3)), 3),
])
def test_engine_replays_the_plain_python_replica(model, max_order):
    """Same seed: the engine visits exactly the region sequences the Python loop visits and
    returns the same cycles (the replica uses exact rotation keys, scipy's LU, numpy)."""
    bench = load_benchmark()
    visited = {}
    py_cycles, py_eval = bench.python_find_cycles(model, max_order, 4, visited)
    cs = find_cycles(model, max_order, rng=4)
    assert cs.evaluated == py_eval
    for k in range(1, max_order + 1):
        tr = pl.trace_scyfi(model, k, rng=4, max_steps=len(visited[k]))
        np.testing.assert_array_equal(tr.assumed, np.array(visited[k]))
    bench.assert_same_cycles(cs, py_cycles)


def test_benchmark_models_have_the_cycles_they_are_built_with():
    bench = load_benchmark()
    m = bench.slaved_model(10, 10)
    for k, expected in ((1, 1), (2, 4)):
        assert len(exhaustive_cycles(m, k, max_sequences=2 ** 21)) == expected
    cs = find_cycles(m, 2, rng=1)
    assert cs.counts() == {1: 1, 2: 4} and len(cs.stable) == 2


# -- one rule for "singular" ---------------------------------------------------------------------

def verdicts(model, regions):
    """What each of the four users says about one region sequence: (singular, real) each."""
    regions = np.asarray(regions, dtype=bool)
    k = regions.shape[0]
    cand = cycle_candidate(model, regions)
    state = evaluate_sequence(model, regions)
    # SCYFI's first step, seeded with the sequence (the kernel find_cycles runs)
    step = pl.trace_scyfi(model, k, outer_loops=0, inner_loops=1, seeds=[regions], max_steps=1)[0]
    exhaustive = exhaustive_cycles(model, k, regions=np.unique(regions, axis=0),
                                   max_sequences=2 ** 20)
    in_exhaustive = any(np.array_equal(np.roll(c.regions, s, axis=0), regions)
                        for c in exhaustive for s in range(k))
    return {"candidate": (cand.singular, cand.is_real and not cand.singular),
            "evaluate_sequence": (not state.solvable, state.real),
            "scyfi": (step.status == "singular", step.status == "real (new)"),
            "exhaustive_cycles": (None, in_exhaustive)}


def assert_agree(model, regions):
    v = verdicts(model, regions)
    singular, real = v["candidate"]
    for name, (s, r) in v.items():
        assert r == real, (name, v)
        assert s is None or s == singular, (name, v)
    return singular


@pytest.mark.parametrize("eps", [1e-15, 1e-14, 1e-13, 3e-12, 1e-11, 1e-9, 1e-6])
def test_one_unit_near_an_eigenvalue_one_is_judged_alike_everywhere(eps):
    """PLRNN([1 - eps], [[0]], [1]): the fixed point 1/eps; I - P = eps is singular by the
    rule (pivot <= 1e-12 max(1, |I - P|)) exactly when eps <= 1e-12."""
    m = pl.PLRNN([1.0 - eps], [[0.0]], [1.0])
    singular = assert_agree(m, [[True]])
    assert singular == (1.0 - (1.0 - eps) <= 1e-12)
    assert assert_agree(m, [[False]]) == singular
    if not singular:
        np.testing.assert_allclose(cycle_candidate(m, [[True]]).points[0, 0],
                                   1.0 / (1.0 - (1.0 - eps)), rtol=1e-12)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("delta", [1e-14, 1e-13, 1e-11, 1e-9])
def test_cycles_next_to_a_degenerate_transcritical_point_are_judged_alike(seed, delta):
    """A model scaled so a 2-cycle's P has the eigenvalue 1 - delta: all four users agree."""
    base = pl.PLRNN.random(3, rng=seed, w_scale=2.5, a_range=(-0.95, 0.95))
    D = np.array([[True, False, True], [False, True, True]])
    lam = np.linalg.eigvals(cycle_candidate(base, D).jacobian)
    real_pos = [x.real for x in lam if abs(x.imag) < 1e-12 and x.real > 0]
    if not real_pos:
        pytest.skip("no positive real multiplier to scale to 1")
    s = (real_pos[0] ** -0.5) * np.sqrt(1 - delta)     # P scales by s**2
    m = pl.PLRNN(np.array(base.A).diagonal() * s, np.array(base.W) * s, np.array(base.h))
    assert_agree(m, D)


def test_the_rule_against_scipy_lu_and_singular_values():
    """Singular by the rule <=> a pivot of scipy's LU of I - P is at most 1e-12 max(1, max|I-P|)
    (away from the threshold), and a singular verdict implies
    sigma_min(I - P) <= n 1e-12 max(1, max|I - P|) (sigma_min <= ||L||_2 min|u_jj|)."""
    rng = np.random.default_rng(1)
    for trial in range(200):
        n = 1 + trial % 5
        Q = np.linalg.qr(rng.normal(size=(n, n)))[0]
        lam = rng.uniform(-1.5, 1.5, n)
        lam[0] = 1.0 - 10.0 ** rng.uniform(-16, -8)        # an eigenvalue near 1
        P = Q @ np.diag(lam) @ Q.T
        a = np.eye(n) - P
        scale = max(1.0, np.abs(a).max())
        pivots = np.abs(np.diag(scipy.linalg.lu(a)[2]))
        with np.errstate(divide="ignore"):
            if np.any(np.abs(np.log10(pivots / (1e-12 * scale))) < 0.5):
                continue                                       # too close to call
        rhs = rng.normal(size=n)
        for lapack_from in (_linalg.NEVER, 1):          # the elimination and dgesv
            ok = _linalg.solve_unit_minus(P, rhs.copy(), np.empty((n, n)), np.empty(n),
                                          _linalg.pivot_scratch(n), lapack_from)
            assert (not ok) == bool(np.any(pivots <= 1e-12 * scale))
            if not ok:
                assert np.linalg.svd(a, compute_uv=False)[-1] <= n * 1e-12 * scale


# -- evaluate_sequence against cycle_candidate and numpy ------------------------------------------

@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), M=st.integers(1, 4), k=st.integers(1, 4))
def test_evaluate_sequence_is_cycle_candidate(seed, M, k):
    rng = np.random.default_rng(seed)
    m = pl.PLRNN.random(M, rng=seed, w_scale=2.0, a_range=(-0.9, 0.9))
    D = rng.random((k, M)) < 0.5
    cand = cycle_candidate(m, D)
    state = evaluate_sequence(m, D)
    assert state.solvable == (not cand.singular) and state.real == cand.is_real
    np.testing.assert_array_equal(state.jacobian, cand.jacobian)
    A, W, G, g, b = numpy_parts(m)
    P = np.eye(M)
    for d in D:
        P = (A + W @ np.diag(d.astype(float))) @ P
    np.testing.assert_allclose(cand.jacobian, P, rtol=1e-12, atol=1e-12)
    if state.solvable:
        np.testing.assert_array_equal(state.points, cand.points)
        for j in range(k):              # the points close up under the true affine maps
            d = D[j]
            z_next = (A + W @ np.diag(d.astype(float))) @ cand.points[j] + b
            np.testing.assert_allclose(z_next, cand.points[(j + 1) % k],
                                       atol=1e-8 * (1 + np.abs(cand.points).max()))


def test_search_grows_its_buffers_mid_search_without_losing_a_step():
    """Six uncoupled bistable units have 2**6 = 64 fixed points (per unit
    z = a z + w relu(z) + h with h < 0 < w - (1 - a): one point on each side of 0), so the
    search must grow its cycle buffers (4 at first) several times, handing back to
    scyfi_search each time, and at order 3 (600 steps) its visited set (256 slots at
    first); it must still find exactly the fixed points of the exhaustive search, and no
    3-cycle (each unit's map is increasing).  (The replica test above checks the steps.)"""
    M = 6
    model = pl.PLRNN(np.full(M, 0.5), np.eye(M), np.full(M, -0.3))
    found = find_cycles(model, 3, rng=3)
    exhaustive = exhaustive_cycles(model, 1)
    assert len(exhaustive) == 2 ** M
    assert len(found.of_order(1)) == 2 ** M and len(found) == 2 ** M
    assert found.evaluated[3] > 2 * 256
    assert ({tuple(c.regions[0]) for c in found.of_order(1)}
            == {tuple(c.regions[0]) for c in exhaustive})


# -- the region maps as affine blocks [J | c] ------------------------------------------------------

@pytest.mark.parametrize("M", [1, 2, 3, 4, 5, 7, 8, 10, 11, 12, 15, 16])
def test_composition_by_every_path_is_numpys(M):
    """[J | c] o [X | x] = [J X | J x + c] by the loop, the vector kernel (1 to 4 vectors
    a row, the last one overlapping; rows in pairs, the last pair overlapping for odd M)
    and dgemm, with X a table entry or a buffer; beyond the kernel's sizes it hands over
    to the loop."""
    rng = np.random.default_rng(M)
    Jtab = rng.normal(size=(3, M, M + 1))
    buffer = rng.normal(size=(M, M + 1))
    for X, x_is_entry in ((Jtab[0], True), (buffer, False)):
        expected = np.hstack([Jtab[2, :, :M] @ X[:, :M],
                              (Jtab[2, :, :M] @ X[:, M] + Jtab[2, :, M])[:, None]])
        for compose in (_linalg.compose_by_loop, _linalg.compose_by_vectors,
                        _linalg.compose_by_blas, _linalg.compose_into):
            out = np.full((M, M + 1), np.nan)
            compose(Jtab, 2, Jtab[0] if x_is_entry else buffer, out)
            np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-13)
    # a strided operand is not handed to dgemm or the kernel as if it were contiguous
    wide = np.zeros((M, 2 * (M + 1)))
    wide[:, ::2] = buffer
    for compose in (_linalg.compose_by_blas, _linalg.compose_by_vectors):
        out = np.full((M, M + 1), np.nan)
        compose(Jtab, 2, wide[:, ::2], out)
        np.testing.assert_allclose(out, np.hstack([Jtab[2, :, :M] @ buffer[:, :M], (
            Jtab[2, :, :M] @ buffer[:, M] + Jtab[2, :, M])[:, None]]), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("M", [1, 3, 4, 5, 7, 8, 9, 10, 12, 13, 16, 17, 20])
def test_region_map_applied_to_a_point_is_numpys(M):
    """points[dst] = J points[src] + c, by the vector kernel (1 to 4 vectors a row, the last
    one masked where it overlaps) or, outside its sizes, the loop."""
    rng = np.random.default_rng(M)
    Jtab = rng.normal(size=(3, M, M + 1))
    points = rng.normal(size=(3, M))
    _linalg.table_affine_apply(Jtab, 1, points, 0, 2)
    np.testing.assert_allclose(points[2], Jtab[1, :, :M] @ points[0] + Jtab[1, :, M],
                               rtol=1e-13, atol=1e-13)
    strided = np.zeros((3, 2 * M))
    strided[:, ::2] = points
    _linalg.table_affine_apply(Jtab, 2, strided[:, ::2], 1, 0)   # not contiguous: the loop
    np.testing.assert_allclose(strided[0, ::2], Jtab[2, :, :M] @ points[1] + Jtab[2, :, M],
                               rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("model", [pl.PLRNN.random(6, rng=4, w_scale=1.5),
                                   pl.ShallowPLRNN.random(3, 7, rng=5)])
def test_region_cache_hands_out_slots_in_order_of_first_use(model):
    A, W, G, g, b, gate = model.affine_parts()
    H = model.n_gates
    maps = _linalg.region_map_table(model.M, H, 4)
    assert maps[1].shape[0] == 2 ** H                # small enough to cache every pattern
    rng = np.random.default_rng(6)
    An, Wn, Gn, gn, bn = numpy_parts(model)
    slots = {}
    for _ in range(30):
        D = rng.random((4, H)) < 0.5
        D[2] = D[0]                                  # a region met twice in one sequence
        idx = np.empty(4, dtype=np.int64)
        _linalg.region_maps(A, W, G, g, b, D, gate, maps, idx)
        assert idx[2] == idx[0]
        for d, slot in zip(D, idx):
            slots.setdefault(region_code(d), len(slots))
            assert slot == slots[region_code(d)]          # first come, first served
            J = An + Wn @ np.diag(d.astype(float)) @ Gn
            c = bn + Wn @ (d * gn)
            np.testing.assert_allclose(maps[0][slot], np.hstack([J, c[:, None]]), atol=1e-14)
    assert maps[2][0] == len(slots)


@pytest.mark.parametrize("M,k", [(10, 1), (10, 3), (10, 6), (5, 4)])
def test_candidate_on_the_blas_path_is_numpys(M, k):
    m = pl.PLRNN.random(M, rng=M + k, w_scale=1.5)
    A, W, G, g, b = numpy_parts(m)
    D = np.random.default_rng(k).random((k, M)) < 0.5
    cand = cycle_candidate(m, D)
    P, c = np.eye(M), np.zeros(M)
    for d in D:
        J = A + W @ np.diag(d.astype(float))
        P, c = J @ P, J @ c + b
    np.testing.assert_allclose(cand.jacobian, P, rtol=1e-12, atol=1e-12)
    z = np.linalg.solve(np.eye(M) - P, c)
    np.testing.assert_allclose(cand.points[0], z, rtol=1e-9, atol=1e-9)
    for j in range(k - 1):
        np.testing.assert_allclose(cand.points[j + 1],
                                   (A + W @ np.diag(D[j].astype(float))) @ cand.points[j] + b,
                                   rtol=1e-9, atol=1e-9)


# -- the LAPACK path -------------------------------------------------------------------------------

def test_lapack_path_passed_its_import_check_and_matches_the_elimination():
    assert _linalg.lapack_from() == _linalg.LAPACK_MIN_SIZE      # scipy's LAPACK is installed here
    m = pl.ShallowPLRNN.random(_linalg.LAPACK_MIN_SIZE + 6, 40, rng=2, w_scale=1.0)
    A, W, G, g, b, gate = m.affine_parts()
    rng = np.random.default_rng(2)
    for k in (1, 2, 3):
        D = rng.random((k, m.n_gates)) < 0.5
        by_lapack = _search.candidate_for(A, W, G, g, b, gate, D, 1)
        by_elimination = _search.candidate_for(A, W, G, g, b, gate, D, _linalg.NEVER)
        assert by_lapack[0] and by_elimination[0]
        np.testing.assert_allclose(by_lapack[1], by_elimination[1], rtol=1e-9, atol=1e-9)
        An, Wn, Gn, gn, bn = numpy_parts(m)
        P, c = np.eye(m.M), np.zeros(m.M)
        for d in D:
            J = An + Wn @ np.diag(d.astype(float)) @ Gn
            P, c = J @ P, J @ c + bn + Wn @ (d * gn)
        np.testing.assert_allclose(by_lapack[1][0], np.linalg.solve(np.eye(m.M) - P, c),
                                   rtol=1e-9, atol=1e-9)


def test_shallow_cycles_found_on_the_lapack_path_are_true():
    # weak coupling: close to an affine contraction, so a stable fixed point exists
    m = pl.ShallowPLRNN.random(_linalg.LAPACK_MIN_SIZE + 2, 30, rng=3, w_scale=0.3)
    assert m.M >= _linalg.lapack_from()
    cs = find_cycles(m, 2, rng=3)
    A, W, G, g, b = numpy_parts(m)
    assert len(cs.stable) >= 1
    for c in cs:
        for j in range(c.order):
            z = c.points[j]
            np.testing.assert_allclose(A @ z + W @ np.maximum(G @ z + g, 0) + b,
                                       c.points[(j + 1) % c.order],
                                       atol=1e-8 * (1 + np.abs(c.points).max()))


def test_without_lapack_the_import_check_falls_back(monkeypatch):
    monkeypatch.setattr(_linalg, "_HAVE_LAPACK", False)
    assert not _linalg._lapack_agrees_with_numpy()


# -- region codes, keys and the shift-invariant hash ------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(data=st.data(), k=st.integers(1, 7), H=st.sampled_from([1, 2, 3, 5, 9, 64, 70]))
def test_least_rotation_and_hash_are_shift_invariant(data, k, H):
    bits = data.draw(st.lists(st.lists(st.booleans(), min_size=H, max_size=H),
                              min_size=k, max_size=k))
    D = np.array(bits, dtype=bool)
    rows = np.empty(k, dtype=np.uint64)
    key = canonical_sequence(D)
    h = _hashset.sequence_hash(D, rows)
    assert h != 0
    codes = [region_code(d) for d in D]
    rotations = [tuple(codes[s:] + codes[:s]) for s in range(k)]
    assert key[:-1] == min(rotations) and key[-1] == H          # the least rotation
    least = sequence_from_key(key)
    assert any(np.array_equal(np.roll(D, -s, axis=0), least) for s in range(k))
    for s in range(1, k):
        shifted = np.ascontiguousarray(np.roll(D, s, axis=0))
        assert canonical_sequence(shifted) == key
        assert _hashset.sequence_hash(shifted, rows) == h
    # a sequence that is not a rotation of D: another key, and (but for 2**-64) another hash
    other = D.copy()
    other[0, 0] = not other[0, 0]
    if canonical_sequence(other) != key:
        assert _hashset.sequence_hash(other, rows) != h


@settings(max_examples=40, deadline=None)
@given(data=st.data(), H=st.sampled_from([1, 4, 30, 62, 63, 70]))
def test_region_codes_round_trip_and_order(data, H):
    bits = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=H, max_size=H),
                                       min_size=1, max_size=8)), dtype=bool)
    codes = region_codes(bits)
    assert [int(c) for c in codes] == [sum(1 << m for m in range(H) if row[m]) for row in bits]
    np.testing.assert_array_equal(regions_from_codes(codes, H), bits)
    assert [int(codes[i]) for i in code_order(bits)] == sorted(int(c) for c in codes)


def test_all_regions_rows_have_their_index_as_code():
    for n in range(6):
        np.testing.assert_array_equal(region_codes(all_regions(n)), np.arange(2 ** n))


@pytest.mark.parametrize("call, error, name", [
    (lambda m: all_regions(2.0), TypeError, "n_gates"),
    (lambda m: all_regions(-1), ValueError, "n_gates"),
    (lambda m: all_regions(40), ValueError, "n_gates"),
    (lambda m: sampled_regions("model"), TypeError, "model"),
    (lambda m: sampled_regions(m, rng="seed"), TypeError, "rng"),
    (lambda m: sampled_regions(m, n_starts=0), ValueError, "n_starts"),
    (lambda m: realisable_regions(None), TypeError, "model"),
    (lambda m: realisable_regions(m, max_patterns=0.5), TypeError, "max_patterns"),
])
def test_region_pools_name_bad_arguments(call, error, name):
    with pytest.raises(error, match=name):
        call(pl.ShallowPLRNN.random(2, 4, rng=0))


def test_sampled_regions_accepts_a_seed():
    m = pl.ShallowPLRNN.random(2, 5, rng=1)
    np.testing.assert_array_equal(sampled_regions(m, 3), sampled_regions(m, np.random.default_rng(3)))
