"""Sweeps on constructed models whose bifurcation points are known in closed form."""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.bifurcations import (BORDER_COLLISION, DEGENERATE_FLIP, DEGENERATE_TRANSCRITICAL,
                                    NEIMARK_SACKER, PERSISTENCE, ParameterFamily,
                                    evaluate_sequence)

TOL = 1e-7


def run(family, values, max_order=2, **kw):
    kw.setdefault("n_jobs", 1)
    kw.setdefault("progress", False)
    return pl.sweep(family, values, max_order, rng=0, tol=TOL, **kw)


def fixed_point_events(result):
    return [b for b in result.bifurcations if b.order == 1]


def test_border_crossing_of_a_fixed_point_at_h_equal_zero_is_persistence():
    # z' = 0.5 z + 0.2 relu(z) + h: the fixed point is h/0.5 for h < 0 and h/0.3 for h > 0,
    # so it crosses the boundary z = 0 exactly at h = 0, stable (multiplier 0.5, then 0.7)
    # on both sides: the same local type, so a persistence and not a bifurcation.
    family = ParameterFamily(pl.PLRNN([0.5], [[0.2]], [0.0]), ("h", 0))
    result = run(family, np.linspace(-1, 1, 9) + 0.013)
    events = fixed_point_events(result)
    assert events and all(b.kind == PERSISTENCE for b in events)
    for b in events:
        assert abs(b.parameter - 0.0) <= TOL
    # before: the fixed point in region z < 0 exists; after: the one in z > 0
    assert {b.appears for b in events} == {True, False}
    assert np.all(result.n_cycles() >= 1)


def test_degenerate_transcritical_when_slope_crosses_plus_one():
    # z' = 0.5 z + w relu(z) + 0.5: for w < 0.5 a stable fixed point 0.5 / (0.5 - w) > 0; at
    # w = 0.5 the eigenvalue a + w crosses +1 and the point runs off to infinity.
    family = ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("W", (0, 0)))
    result = run(family, np.linspace(0.0, 1.0, 11) + 0.0031)
    events = fixed_point_events(result)
    assert len(events) == 1
    b = events[0]
    assert b.kind == DEGENERATE_TRANSCRITICAL
    assert abs(b.parameter - 0.5) <= TOL
    assert b.appears is False and b.stable_before is True
    # the fixed point's norm grows without bound as w -> 0.5 (I - P singular)
    near = family(0.5 - 1e-6)
    z = [c for c in pl.find_cycles(near, 1, rng=0)][0].points[0]
    assert abs(z[0]) > 1e5


def test_degenerate_flip_when_slope_crosses_minus_one():
    # z' = 0 z + w relu(z) + 1 with w in (-1.5, -0.5): fixed point 1 / (1 - w) > 0 with
    # multiplier w; it loses stability at w = -1 by a flip.
    family = ParameterFamily(pl.PLRNN([0.0], [[0.0]], [1.0]), ("W", (0, 0)))
    result = run(family, np.linspace(-1.5, -0.5, 11) + 0.0017)
    events = [b for b in fixed_point_events(result) if b.kind != BORDER_COLLISION]
    assert len(events) == 1
    b = events[0]
    assert b.kind == DEGENERATE_FLIP
    assert abs(b.parameter - (-1.0)) <= TOL
    assert b.appears is None and b.stable_before is False and b.stable_after is True


def neimark_sacker_family(theta=0.7):
    # In the positive quadrant W_Ω = A + W = r R(θ) with r = 1 + p; the fixed point stays in
    # that quadrant, and its complex pair r e^{±iθ} crosses the unit circle at p = 0.
    R = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    A = np.zeros((2, 2))
    h = (np.eye(2) - R) @ np.array([1.0, 1.0])
    base = pl.PLRNN(A, R, h)
    axis = [("W", (0, 0), R[0, 0]), ("W", (0, 1), R[0, 1]), ("W", (1, 0), R[1, 0]), ("W", (1, 1), R[1, 1])]
    return ParameterFamily(base, axis)


def test_neimark_sacker_when_a_complex_pair_leaves_the_unit_circle():
    family = neimark_sacker_family()
    values = np.linspace(-0.1, 0.1, 9) + 0.0013
    for v in values:  # the constructed fixed point stays in the positive quadrant
        st = evaluate_sequence(family(v), np.array([[True, True]]))
        assert st.real
    result = run(family, values, max_order=1)
    events = [b for b in fixed_point_events(result) if b.kind != BORDER_COLLISION]
    assert len(events) == 1
    b = events[0]
    assert b.kind == NEIMARK_SACKER
    assert abs(b.parameter - 0.0) <= TOL
    assert b.stable_before is True and b.stable_after is False


def test_continuation_matches_independent_searches_on_the_toy_model():
    toy = pl.toy_plrnn()
    family = ParameterFamily(toy, ("A", (0, 0)))
    values = np.linspace(-0.2, 0.1, 13)
    cont = pl.sweep(family, values, 4, rng=1, n_jobs=1, progress=False)
    indep = pl.sweep(family, values, 4, rng=1, n_jobs=1, progress=False, continuation=False)
    for a, b in zip(cont.cycles, indep.cycles):
        ka = {pl.bifurcations.canonical_sequence(c.regions) for c in a}
        kb = {pl.bifurcations.canonical_sequence(c.regions) for c in b}
        assert kb <= ka  # continuation never loses a cycle an independent search finds
    # every reported cycle is a true cycle of its model
    for v, cs in zip(values, cont.cycles):
        m = family(v)
        for c in cs:
            for j in range(c.order):
                np.testing.assert_allclose(m.step(c.points[j]), c.points[(j + 1) % c.order], atol=1e-8)


def test_parallel_sweep_equals_serial():
    family = ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("W", (0, 0)))
    values = np.linspace(0.0, 1.0, 21) + 0.0031
    serial = run(family, values, n_jobs=1)
    parallel = run(family, values, n_jobs=2)
    assert [len(c) for c in serial.cycles] == [len(c) for c in parallel.cycles]
    assert [(b.kind, round(b.parameter, 6)) for b in serial.bifurcations] == \
           [(b.kind, round(b.parameter, 6)) for b in parallel.bifurcations]


def test_parallel_sweep_with_a_given_executor_equals_serial():
    from concurrent.futures import ThreadPoolExecutor

    family = ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("W", (0, 0)))
    values = np.linspace(0.0, 1.0, 41) + 0.0031
    serial = run(family, values, n_jobs=1)
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = run(family, values, executor=pool)
    assert [len(c) for c in serial.cycles] == [len(c) for c in threaded.cycles]
    assert [(b.kind, round(b.parameter, 6)) for b in serial.bifurcations] == \
           [(b.kind, round(b.parameter, 6)) for b in threaded.bifurcations]


def two_events_family():
    # In region (1, 0) the map is z' = (-p z_1 + 1, p - 1.2): the fixed point
    # (1 / (1 + p), p - 1.2) is real for p < 1.2 and its eigenvalue -p crosses -1 at p = 1.
    # In region (1, 1) the fixed point (1 / (1 + p), 2 (p - 1.2)) is real for p > 1.2.
    base = pl.PLRNN(np.zeros((2, 2)), [[0.0, 0.0], [0.0, 0.5]], [1.0, -1.2])
    return ParameterFamily(base, [("W", (0, 0), -1.0), ("h", 1)])


@pytest.mark.parametrize("n_values", [4, 25])
def test_two_bifurcations_between_two_sweep_values_are_both_found(n_values):
    # With 4 values, one step holds both the flip at p = 1 and the border collision at 1.2.
    result = run(two_events_family(), np.linspace(0.5, 1.7, n_values) + 0.013, max_order=1)
    found = sorted((b.kind, tuple(b.regions[0]), b.appears) for b in result.bifurcations)
    assert found == sorted([(DEGENERATE_FLIP, (True, False), None),
                            (BORDER_COLLISION, (True, False), False),
                            (BORDER_COLLISION, (True, True), True)])
    for b in result.bifurcations:
        expected = 1.0 if b.kind == DEGENERATE_FLIP else 1.2
        assert abs(b.parameter - expected) <= TOL


def test_real_eigenvalues_merging_into_a_complex_pair_is_no_bifurcation():
    # In region (1, 1), W_Omega = [[1.5, q], [1, 1.5]] has eigenvalues 1.5 +- sqrt(q): a
    # complex pair outside the unit circle for q < 0, two real ones above 1 for q > 0, so
    # nothing happens at q = 0.  The fixed point ((0.05 - q), 0.4) / (0.25 - q) leaves its
    # region at q = 0.05: a border collision of an unstable fixed point.
    base = pl.PLRNN(np.zeros((2, 2)), [[1.5, 0.0], [1.0, 1.5]], [-0.1, -1.0])
    family = ParameterFamily(base, ("W", (0, 1)))
    for values in ([-0.03, 0.07], np.linspace(-0.03, 0.07, 11) + 0.0007):
        events = [b for b in run(family, values, max_order=1).bifurcations
                  if tuple(b.regions[0]) == (True, True)]
        assert [(b.kind, b.appears, b.stable_before) for b in events] == \
               [(BORDER_COLLISION, False, False)]
        assert abs(events[0].parameter - 0.05) <= TOL


def test_grid_sweep_finds_both_closed_form_curves():
    # z' = a z + w relu(z) + 0.5 over (a, w) with a < 1: the positive fixed point exists iff
    # a + w < 1 (the DTB line a + w = 1); the negative one never (0.5 / (1 - a) > 0).
    family = ParameterFamily(pl.PLRNN([0.0], [[0.0]], [0.5]), ("A", (0, 0)), ("W", (0, 0)))
    a = np.linspace(-0.5, 0.9, 8) + 0.001
    w = np.linspace(-0.5, 1.3, 9) + 0.002
    result = pl.sweep_grid(family, a, w, 1, rng=0, n_jobs=1, progress=False, tol=1e-8)
    n = result.n_cycles()
    expected = a[:, None] + w[None, :] < 1
    np.testing.assert_array_equal(n > 0, expected)
    pts = result.curves(DEGENERATE_TRANSCRITICAL)
    assert len(pts) > 0
    np.testing.assert_allclose(pts.sum(axis=1), 1.0, atol=1e-6)


def test_orbit_diagram_settles_on_the_fixed_point():
    family = ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("W", (0, 0)))
    p, z = pl.orbit_diagram(family, [0.0, 0.2], [0.3], n_transient=200, n_keep=5)
    np.testing.assert_allclose(z[p == 0.0], 1.0, atol=1e-9)
    np.testing.assert_allclose(z[p == 0.2], 0.5 / 0.3, atol=1e-9)


def test_bad_arguments_name_themselves():
    family = ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("W", (0, 0)))
    with pytest.raises(ValueError, match="^values"):
        pl.sweep(family, [0.2, 0.1], 1)
    with pytest.raises(TypeError, match="^family"):
        pl.sweep(3, [0.1, 0.2], 1)
    with pytest.raises(ValueError, match="^max_order"):
        pl.sweep(family, [0.1, 0.2], 0)
    with pytest.raises(TypeError, match="^executor"):
        pl.sweep(family, [0.1, 0.2], 1, executor="pool")
    with pytest.raises(ValueError, match="family has 1"):
        pl.sweep_grid(family, [0.1, 0.2], [0.1, 0.2], 1)
    with pytest.raises(TypeError, match="^progress"):
        pl.sweep(family, [0.1, 0.2], 1, progress="no")
    with pytest.raises(TypeError, match="^continuation"):
        pl.sweep(family, [0.1, 0.2], 1, continuation="no")
    with pytest.raises(ValueError, match="^search_kwargs.*bogus"):
        pl.sweep(family, [0.1, 0.2], 1, search_kwargs={"bogus": 1})
    with pytest.raises(TypeError, match="^search_kwargs"):
        pl.sweep(family, [0.1, 0.2], 1, search_kwargs=[1])
    with pytest.raises(TypeError, match="^family could not be called with 2"):
        pl.sweep_grid(lambda p: family(p), [0.1, 0.2], [0.1, 0.2], 1, n_jobs=1)
    with pytest.raises(TypeError, match="^family.p. must return"):
        pl.sweep(lambda p: 3, [0.1, 0.2], 1, n_jobs=1)
    result = pl.sweep(family, [0.1, 0.2], 1, n_jobs=1, progress=False)
    with pytest.raises(ValueError, match="^kind must be one of"):
        result.of_kind("saddle")
    with pytest.raises(ValueError, match="unknown parameter"):
        ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("Q", 0))
    with pytest.raises(ValueError, match="out of range"):
        ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("W", (1, 0)))
