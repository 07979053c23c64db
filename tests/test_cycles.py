"""SCYFI and the exhaustive cycle search against independent checks.

Every cycle is verified by plain numpy (F^k(z) = z with the stated regions, no numba), and
SCYFI's results are compared with the brute-force search over every region sequence.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import plrnn_lib as pl
from plrnn_lib.cycles import (cycle_candidate, exhaustive_cycles, find_cycles,
                              realisable_regions, trace_scyfi)

TOY = pl.models.TOY_PLRNN_PARAMETERS


# -- independent plain-numpy reference ----------------------------------------------------------

def numpy_map(model, z):
    A, W, G, g, b = (np.array(x) for x in model.affine_parts()[:5])
    return A @ z + W @ np.maximum(G @ z + g, 0.0) + b


def numpy_region(model, z):
    A, W, G, g, b = (np.array(x) for x in model.affine_parts()[:5])
    return G @ z + g > 0


def assert_true_cycle(model, cycle, rtol=1e-7):
    """F(points[j]) == points[j+1], regions match, minimal period: checked without numba."""
    k = cycle.order
    pts = cycle.points
    scale = 1.0 + np.abs(pts).max()
    for j in range(k):
        np.testing.assert_allclose(numpy_map(model, pts[j]), pts[(j + 1) % k],
                                   atol=rtol * scale, rtol=0)
        np.testing.assert_array_equal(numpy_region(model, pts[j]), cycle.regions[j])
    for p in range(1, k):
        if k % p == 0:
            assert np.abs(pts[p] - pts[0]).max() > 1e-6 * scale, "not of minimal period"
    # the k-step Jacobian from the regions
    P = np.eye(model.M)
    for d in cycle.regions:
        A, W, G, g, b, _ = model.affine_parts()
        P = (A + W @ np.diag(d.astype(float)) @ G) @ P
    np.testing.assert_allclose(cycle.jacobian, P, atol=1e-10 * (1 + np.abs(P).max()))
    assert cycle.stable == bool(np.all(np.abs(np.linalg.eigvals(P)) < 1))


def assert_no_duplicates(cycles):
    for i, a in enumerate(cycles):
        for b in cycles[i + 1:]:
            assert not a.same_as(b)


def matched(reference, found):
    return sum(any(c.same_as(f) for f in found) for c in reference)


# -- the bank: 200 seeded random PLRNNs vs the exhaustive search ------------------------------------

BANK_SIZE = 200
BANK_MAX_SEQUENCES = 2 ** 15   # orders up to 3 wherever 2**(M k) stays within this (M <= 5)


def bank_model(i):
    M = 2 + i % 5
    w_scale = [0.8, 1.5, 2.5, 4.0][(i // 5) % 4]   # the large scales give multistable models
    a_range = (-0.9, 0.9) if i % 3 == 0 else (0.3, 0.95)
    return pl.PLRNN.random(M, rng=1000 + i, w_scale=w_scale, a_range=a_range)


def bank_orders(M):
    return max(k for k in (1, 2, 3) if 2 ** (M * k) <= BANK_MAX_SEQUENCES)


def test_bank_recall_is_complete_and_every_cycle_is_true():
    """SCYFI finds every cycle the exhaustive search finds, on 200 random PLRNNs (M = 2..6).

    With the reference loop counts (N_out = 10, N_in = 20 / 60).  The reference jump rule
    found 216 of the 226 cycles here (a few unstable fixed points at M = 5, 6 missed, 100 %
    only with ``outer_loops=40``); never revisiting a sequence tried before (see
    ``find_cycles``) finds all of them.
    """
    total = found = 0
    n_multistable = 0
    n_sequences_checked = 0
    for i in range(BANK_SIZE):
        m = bank_model(i)
        K = bank_orders(m.M)
        exact = [c for k in range(1, K + 1) for c in exhaustive_cycles(m, k)]
        n_sequences_checked += sum(2 ** (m.M * k) for k in range(1, K + 1))
        scyfi = find_cycles(m, K, rng=i)
        for c in exact:
            assert_true_cycle(m, c)
        for c in scyfi:
            assert_true_cycle(m, c)                 # nothing false is ever returned
            assert any(c.same_as(e) for e in exact)  # and nothing the brute force lacks
        assert_no_duplicates(list(scyfi))
        total += len(exact)
        found += matched(exact, scyfi)
        n_multistable += sum(c.stable for c in exact) >= 2
    print(f"\nbank: {BANK_SIZE} PLRNNs, {total} cycles (orders <= 3), "
          f"{n_multistable} multistable models; recall with the reference loop counts: "
          f"{found}/{total} = {found / total:.1%}")
    assert total >= 200 and n_multistable >= 5
    assert found == total


# -- the paper's 2-D toy model ----------------------------------------------------------------------

def test_toy_model_has_a_stable_16_cycle_that_attracts():
    m = pl.toy_plrnn()
    cs = find_cycles(m, 16, min_order=16, rng=0)
    sixteen = cs.of_order(16)
    assert len(sixteen) >= 1
    for c in sixteen:
        assert_true_cycle(m, c)
    stable = sixteen.stable
    assert len(stable) == 1
    cyc = stable[0]
    assert cyc.stability == "stable" and cyc.spectral_radius < 1
    # an orbit started near it stays near it (plain numpy simulation, 200 periods)
    z = cyc.points[0] + 1e-3 * np.array([1.0, -1.0])
    dist0 = np.abs(z - cyc.points[0]).max()
    for _ in range(16 * 200):
        z = numpy_map(m, z)
    dist = np.min(np.abs(cyc.points - z).max(axis=1))
    assert dist < 1e-3 * dist0
    # orders 1..3 agree with the brute force
    small = find_cycles(m, 3, rng=1)
    for k in (1, 2, 3):
        exact = exhaustive_cycles(m, k)
        assert matched(exact, small.of_order(k)) == len(exact) == len(small.of_order(k))


# -- the shallow PLRNN ------------------------------------------------------------------------------

def test_shallow_plrnn_matches_exhaustive_search_over_realisable_regions():
    """Regions drawn from the sampled pool; recall asserted with outer_loops=40 (defaults reported)."""
    from math import comb
    total = hit = hit_default = 0
    for i in range(16):
        M, H = 2 + i % 2, 5 + i % 3
        m = pl.ShallowPLRNN.random(M, H, rng=i, w_scale=[1.0, 2.0, 3.0][i % 3], a_range=(-0.9, 0.9))
        pool = realisable_regions(m)
        # cells of an arrangement of H hyperplanes in R^M: at most sum_{j<=M} C(H, j)
        assert len(pool) <= sum(comb(H, j) for j in range(M + 1))
        K = 3 if len(pool) ** 3 <= 2 ** 14 else 2
        exact = [c for k in range(1, K + 1) for c in exhaustive_cycles(m, k, regions=pool)]
        found = find_cycles(m, K, rng=i, outer_loops=40)
        default = find_cycles(m, K, rng=i)
        for c in exact + list(found) + list(default):
            assert_true_cycle(m, c)
        for c in list(found) + list(default):
            assert any(c.same_as(e) for e in exact)
        assert_no_duplicates(list(found))
        total += len(exact)
        hit += matched(exact, found)
        hit_default += matched(exact, default)
    print(f"\nshPLRNN: recall with outer_loops=40 {hit}/{total}, with reference defaults "
          f"{hit_default}/{total}")
    assert total >= 10 and hit == total


def test_sampled_pool_holds_only_realisable_regions():
    m = pl.ShallowPLRNN.random(3, 7, rng=3, w_scale=2.0)
    from plrnn_lib.cycles import sampled_regions
    sampled = {r.tobytes() for r in sampled_regions(m, np.random.default_rng(0))}
    realisable = {r.tobytes() for r in realisable_regions(m)}
    assert sampled and sampled <= realisable


# -- candidates, seeds, traces, reproducibility ----------------------------------------------------

def test_cycle_candidate_of_a_one_unit_plrnn_is_the_closed_form():
    m = pl.PLRNN([0.5], [[0.3]], [1.0])
    c_on = cycle_candidate(m, [[True]])     # z = (0.5 + 0.3) z + 1  ->  z = 5 > 0: real
    c_off = cycle_candidate(m, [True, ][:0] + [False])  # z = 0.5 z + 1 -> z = 2 > 0: virtual
    np.testing.assert_allclose(c_on.points, [[5.0]])
    assert c_on.is_real and not c_on.singular
    np.testing.assert_allclose(c_off.points, [[2.0]])
    assert c_off.is_virtual and c_off.mismatched.tolist() == [True]


def test_singular_systems_are_skipped_without_crashing():
    m = pl.PLRNN([1.0, 1.0], np.zeros((2, 2)), [0.1, 0.2])   # P = I in every region
    cs = find_cycles(m, 3, rng=0)
    assert len(cs) == 0 and cs.singular == cs.evaluated
    assert len(exhaustive_cycles(m, 2)) == 0
    cand = cycle_candidate(m, [[1, 0], [0, 1]])
    assert cand.singular and not cand.is_real and np.all(np.isnan(cand.points))


def test_seeds_alone_recover_known_cycles():
    m = pl.toy_plrnn()
    known = find_cycles(m, 16, min_order=16, rng=0)
    again = find_cycles(m, 16, min_order=16, outer_loops=0, inner_loops=1, seeds=list(known))
    # each seed is evaluated (plus at most one random draw, as a new cycle resets the inner
    # budget): far fewer sequences than the search that found them
    assert len(known) <= again.evaluated[16] <= 2 * len(known) < known.evaluated[16]
    assert matched(known, again) == len(known) == len(again)


def rotation_key(D):
    """A region sequence up to cyclic shifts (its smallest rotation)."""
    rows = tuple(d.tobytes() for d in D)
    return min(rows[s:] + rows[:s] for s in range(len(rows)))


def test_search_is_reproducible_and_trace_replays_it():
    m = bank_model(7)
    a = find_cycles(m, 3, rng=11)
    b = find_cycles(m, 3, rng=np.random.default_rng(11))
    assert a.evaluated == b.evaluated
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.points, y.points)
    for k in (1, 2, 3):
        tr = trace_scyfi(m, k, rng=11, max_steps=100_000)
        assert tr.finished and len(tr) == a.evaluated[k]
        assert matched(a.of_order(k), tr.cycles) == len(a.of_order(k)) == len(tr.cycles)
        # a virtual step jumps to the regions its points lie in (unless the inner loop ended),
        # which were never tried before; a 'virtual (visited)' step points into regions tried
        # before (up to a cyclic shift) and is followed by a redraw
        n_inner = pl.cycles.default_inner_loops(k)
        tried = set()
        for i in range(len(tr) - 1):
            tried.add(rotation_key(tr.assumed[i]))
            if tr.status[i] == 0:
                assert rotation_key(tr.actual[i]) not in tried
                if tr.inner[i] < n_inner:
                    np.testing.assert_array_equal(tr.assumed[i + 1], tr.actual[i])
            if tr[i].status == "virtual (visited)":
                assert tr[i].next_move == "redraw"
                assert rotation_key(tr.actual[i]) in tried
        # every recorded candidate is the one cycle_candidate computes
        for step in list(tr)[:20]:
            cand = cycle_candidate(m, step.assumed)
            np.testing.assert_allclose(cand.points, step.points, rtol=1e-9, atol=1e-9)
    short = trace_scyfi(m, 2, rng=11, max_steps=5)
    assert len(short) == 5 and not short.finished
    assert short[0].next_move in ("jump", "redraw") and "ScyfiTrace" in repr(short)


def test_a_closed_loop_of_virtual_candidates_is_left_by_a_redraw():
    """The reference would jump D1 -> D2 -> ... -> D1 forever; the search notices and redraws."""
    m = bank_model(154)   # M = 6; its order-2 search meets closed loops of virtual candidates
    tr = trace_scyfi(m, 2, rng=154, max_steps=100_000)
    chain, closures = [], 0
    for i, step in enumerate(tr):
        chain.append(rotation_key(step.assumed))
        if step.status == "virtual (visited)":
            assert step.next_move == "redraw"
            closures += rotation_key(step.actual) in chain   # back into its own jump chain
        jumped = i + 1 < len(tr) and np.array_equal(tr.assumed[i + 1], step.actual)
        if step.next_move == "redraw" or not jumped:
            chain = []   # the next step starts a new chain
    assert closures >= 1


def test_cycle_and_cycleset_descriptions():
    m = pl.toy_plrnn()
    cs = find_cycles(m, 16, min_order=16, rng=0)
    labels = {c.stability for c in cs}
    assert "stable" in labels
    for c in cs:
        mods = np.abs(c.eigenvalues)
        expected = "stable" if mods.max() < 1 else "unstable" if mods.min() > 1 else "saddle"
        assert c.stability == expected
        assert c.eigenvalue_kind == ("real" if np.allclose(c.eigenvalues.imag, 0) else "complex")
        assert len(c.region_codes) == 16 and c.regions.shape == (16, 2)
    assert "16-cycles" in repr(cs) and len(cs.of_order(5)) == 0
    assert isinstance(cs[0:1], pl.cycles.CycleSet)


# -- property tests ----------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2 ** 32 - 1), M=st.integers(1, 5),
       w_scale=st.sampled_from([0.5, 1.0, 2.0, 4.0]), max_order=st.integers(1, 4))
def test_property_returned_cycles_are_true_unique_and_shift_invariant(seed, M, w_scale, max_order):
    m = pl.PLRNN.random(M, rng=seed, w_scale=w_scale, a_range=(-0.95, 0.95))
    cs = find_cycles(m, max_order, rng=seed)
    assert_no_duplicates(list(cs))
    for c in cs:
        assert 1 <= c.order <= max_order
        assert_true_cycle(m, c)
        # any cyclic shift of the region sequence gives the same cycle, shifted
        shift = seed % c.order
        cand = cycle_candidate(m, np.roll(c.regions, -shift, axis=0))
        assert cand.is_real
        np.testing.assert_allclose(cand.points, np.roll(c.points, -shift, axis=0),
                                   atol=1e-8 * (1 + np.abs(c.points).max()))
    # seeding with the found cycles, in shifted form, finds nothing new twice
    seeds = [np.roll(c.regions, 1, axis=0) for c in cs]
    again = find_cycles(m, max_order, rng=seed + 1, seeds=seeds)
    assert_no_duplicates(list(again))
    assert matched(cs, again) == len(cs)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), M=st.integers(1, 3), H=st.integers(1, 6))
def test_property_shallow_cycles_are_true(seed, M, H):
    m = pl.ShallowPLRNN.random(M, H, rng=seed, w_scale=2.0, a_range=(-0.9, 0.9))
    cs = find_cycles(m, 3, rng=seed)
    assert_no_duplicates(list(cs))
    for c in cs:
        assert c.regions.shape == (c.order, H)
        assert_true_cycle(m, c)


# -- bad input ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, name", [
    (lambda m: find_cycles("model", 2), TypeError, "model"),
    (lambda m: find_cycles(m, 0), ValueError, "max_order"),
    (lambda m: find_cycles(m, 2.0), TypeError, "max_order"),
    (lambda m: find_cycles(m, 2, rng="seed"), TypeError, "rng"),
    (lambda m: find_cycles(m, 2, rng=-1), ValueError, "rng"),
    (lambda m: find_cycles(m, 2, seeds=[[[1, 0], [1]]]), ValueError, "seeds[0]"),
    (lambda m: find_cycles(m, 2, outer_loops=-1), ValueError, "outer_loops"),
    (lambda m: find_cycles(m, 2, inner_loops=1.5), TypeError, "inner_loops"),
    (lambda m: find_cycles(m, 2, seeds=[[[1, 0, 1]]]), ValueError, "seeds[0]"),
    (lambda m: find_cycles(m, 2, seeds=[np.ones((3, 2))]), ValueError, "max_order"),
    (lambda m: find_cycles(m, 2, seeds=[[[2, 0]]]), ValueError, "seeds[0]"),
    (lambda m: find_cycles(m, 2, seeds=5), TypeError, "seeds"),
    (lambda m: find_cycles(m, 2, region_pool="most"), ValueError, "region_pool"),
    (lambda m: find_cycles(m, 2, region_pool=np.ones((2, 3))), ValueError, "region_pool"),
    (lambda m: find_cycles(m, 2, point_tol=-1.0), ValueError, "point_tol"),
    (lambda m: find_cycles(m, 2, min_order=3), ValueError, "min_order"),
    (lambda m: find_cycles(m, 2, progress="yes"), TypeError, "progress"),
    (lambda m: exhaustive_cycles(m, 0), ValueError, "order"),
    (lambda m: exhaustive_cycles(m, 12), ValueError, "max_sequences"),
    (lambda m: exhaustive_cycles(m, 3, max_sequences=10), ValueError, "max_sequences"),
    (lambda m: exhaustive_cycles(m, 1, regions=[[0, 1, 1]]), ValueError, "regions"),
    (lambda m: cycle_candidate(m, [[0, 1, 1]]), ValueError, "regions"),
    (lambda m: cycle_candidate(m, "01"), TypeError, "regions"),
    (lambda m: cycle_candidate(m, np.zeros((0, 2))), ValueError, "regions"),
    (lambda m: trace_scyfi(m, 2, max_steps=0), ValueError, "max_steps"),
    (lambda m: trace_scyfi(m, 2, seeds=[np.ones((1, 2))]), ValueError, "seeds"),
])
def test_bad_arguments_are_named(call, error, name):
    m = pl.toy_plrnn()
    with pytest.raises(error, match=name.replace("[", r"\[").replace("]", r"\]")):
        call(m)


def test_exhaustive_limit_can_be_raised():
    m = pl.toy_plrnn()
    with pytest.raises(ValueError, match="max_sequences"):
        exhaustive_cycles(m, 12)            # 4**12 = 2**24 > 2**22
    assert exhaustive_cycles(m, 9, max_sequences=2 ** 18).evaluated[9] > 0
    found = exhaustive_cycles(m, 3, max_sequences=64)   # exactly at the limit is allowed
    assert found.evaluated[3] <= 64


def test_exhaustive_search_refuses_what_it_cannot_finish():
    with pytest.raises(ValueError, match="order=10000"):
        exhaustive_cycles(pl.toy_plrnn(), 10000)
    with pytest.raises(ValueError, match="max_sequences"):     # 2**23 regions, not enumerated
        exhaustive_cycles(pl.PLRNN.random(23, rng=0), 1)
    with pytest.raises(ValueError, match=r"GiB for their matrices"):   # 2**21 regions of 22 x 22
        exhaustive_cycles(pl.PLRNN.random(22, rng=0), 1)
    # a shallow PLRNN with 30 hidden units has at least 31 regions: 31**6 > 2**22, refused
    # before the regions are enumerated by linear programming (which would take minutes)
    with pytest.raises(ValueError, match="max_sequences"):
        exhaustive_cycles(pl.ShallowPLRNN.random(3, 30, rng=0), 6)


def test_large_systems_take_the_lapack_path_with_the_same_guarantees():
    from plrnn_lib.cycles._linalg import LAPACK_MIN_SIZE
    M = LAPACK_MIN_SIZE + 6
    singular = pl.PLRNN(np.ones(M), np.zeros((M, M)), np.ones(M))   # I - P = 0 everywhere
    cs = find_cycles(singular, 2, rng=0)
    assert len(cs) == 0 and cs.singular == cs.evaluated
    m = pl.PLRNN.random(M, rng=5, w_scale=1.0)
    d = m.region(np.random.default_rng(5).normal(size=M))
    cand = cycle_candidate(m, [d])
    z = np.linalg.solve(np.eye(M) - m.region_matrix(d), m.h)
    np.testing.assert_allclose(cand.points[0], z, rtol=1e-10, atol=1e-10)
    for c in find_cycles(m, 2, rng=5):
        assert_true_cycle(m, c)


def test_no_cycle_is_reported_twice_next_to_a_degenerate_bifurcation():
    """Scaled to just below an eigenvalue +1 of its 3-cycles' P, a model's I - P has condition
    numbers near 1e10: the shifts of one cycle then differ by more than any point tolerance,
    and only the region sequence (up to rotation) tells that they are one cycle."""
    base = pl.PLRNN.random(2, rng=277, w_scale=2.5, a_range=(-0.95, 0.95))
    multipliers = [lam.real for c in pl.exhaustive_cycles(base, 3) for lam in c.eigenvalues
                   if abs(lam.imag) < 1e-12 and lam.real > 0]
    assert multipliers
    worst_condition = 0.0
    for lam in multipliers:
        s = lam ** (-1 / 3) * (1 - 1e-7)       # P scales by s**3: its eigenvalue lam -> 1 - 3e-7
        m = pl.PLRNN(base.A.diagonal() * s, base.W * s, base.h)
        for cycles in (pl.find_cycles(m, 3, min_order=3, rng=0), pl.exhaustive_cycles(m, 3)):
            keys = [min(c.region_codes[i:] + c.region_codes[:i] for i in range(3)) for c in cycles]
            assert len(set(keys)) == len(keys), [c.region_codes for c in cycles]
            for i, a in enumerate(cycles):
                assert not any(a.same_as(b, point_tol=1e-5) for b in cycles[i + 1:])
                worst_condition = max(worst_condition, np.linalg.cond(np.eye(2) - a.jacobian))
    assert worst_condition > 1e9     # the test reaches the ill-conditioned case it is about


def test_a_multiplier_on_the_unit_circle_is_non_hyperbolic_not_a_saddle():
    # F(z) = diag(-1, 0.5) z + (1, 1) in region (1, 1): the fixed point (0.5, 2) has the
    # multipliers -1 and 0.5, and every z* + (s, 0) with |s| < 0.5 lies on a 2-cycle, so the
    # fixed point neither attracts nor repels along z_1: neither stable nor a saddle.
    m = pl.PLRNN([-1.0, 0.5], [[0.0, 0.0], [0.0, 0.0]], [1.0, 1.0])
    (fp,) = find_cycles(m, 1, rng=0)
    np.testing.assert_allclose(fp.points[0], [0.5, 2.0])
    z = fp.points[0] + [0.3, 0.0]
    np.testing.assert_allclose(m.simulate(z, 2)[2], z)
    assert not np.allclose(m.step(z), z)
    assert fp.stability == "non-hyperbolic" and not fp.stable
    # a multiplier just off the circle decides again
    for a, label in ((-1.001, "saddle"), (-0.999, "stable")):
        (c,) = find_cycles(m.replace(A=[a, 0.5]), 1, rng=0)
        assert c.stability == label
