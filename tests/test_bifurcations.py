"""Sweeps on constructed models whose bifurcation points are known in closed form."""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.bifurcations import (BORDER_COLLISION, DEGENERATE_FLIP, DEGENERATE_TRANSCRITICAL,
                                    NEIMARK_SACKER, PERSISTENCE, ParameterFamily,
                                    evaluate_sequence)

TOL = 1e-7


def run(family, values, max_order=2, **kw):
    if "executor" not in kw and "scheduler" not in kw:
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
    # the runner's per-chunk seeds make them identical, not merely alike
    assert cycle_keys(serial.cycles) == cycle_keys(parallel.cycles)
    assert [(b.kind, b.parameter) for b in serial.bifurcations] == \
           [(b.kind, b.parameter) for b in parallel.bifurcations]


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


# -- families through the parameter protocol ---------------------------------------------------

def checkpoints():
    # z' = a z + w relu(z) + h along the straight path t -> (1 - t) theta_a + t theta_b:
    # a = 0.5 - 0.2 t, w = 0.2 + 0.7 t, h = -0.3 + 0.8 t.  The fixed point h / (1 - a) < 0
    # exists while h < 0 and h / (1 - a - w) > 0 from h = 0 (t = 3/8, a border collision) until
    # a + w = 0.7 + 0.5 t crosses 1 (t = 3/5, a degenerate transcritical bifurcation).
    return pl.PLRNN([0.5], [[0.2]], [-0.3]), pl.PLRNN([0.3], [[0.9]], [0.5])


def test_segment_between_two_checkpoints_finds_their_bifurcations():
    family = ParameterFamily.segment(*checkpoints())
    result = run(family, np.linspace(0.0, 1.0, 12), max_order=2)
    found = sorted((b.kind, b.order, b.appears) for b in result.bifurcations)
    # the fixed point crosses the border at t = 3/8 stable on both sides: a persistence
    # (a border crossing that is no bifurcation), reported for the leaving and the entering
    # region sequence
    assert found == sorted([(PERSISTENCE, 1, False), (PERSISTENCE, 1, True),
                            (DEGENERATE_TRANSCRITICAL, 1, False)])
    for b in result.bifurcations:
        expected = 3 / 5 if b.kind == DEGENERATE_TRANSCRITICAL else 3 / 8
        assert abs(b.parameter - expected) <= TOL
    # locate works on the segment directly, between the two checkpoints themselves
    regions = np.array([[True]])
    event = pl.bifurcations.locate(family, regions, 0.5, 1.0, tol=TOL)
    assert event.kind == DEGENERATE_TRANSCRITICAL and abs(event.parameter - 3 / 5) <= TOL


def test_segment_interpolates_every_parameter():
    rng = np.random.default_rng(3)
    pairs = [(pl.PLRNN.random(3, rng, K=2), pl.PLRNN.random(3, rng, K=2)),
             (pl.PLRNN(rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), [0.1, 0.2]),
              pl.PLRNN(rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), [0.3, -0.2])),
             (pl.ShallowPLRNN.random(2, 5, rng), pl.ShallowPLRNN.random(2, 5, rng))]
    for a, b in pairs:
        family = ParameterFamily.segment(a, b)
        assert family.n_params == 1
        for t in (0.0, 0.3, 1.0):
            model = family(t)
            assert type(model) is type(a)
            for name, value in model.params().items():
                want = (1 - t) * a.params()[name] + t * b.params()[name]
                np.testing.assert_allclose(value, want, atol=1e-14, err_msg=name)


def test_sweep_of_a_shallow_plrnn_on_a_segment():
    # with W2 = 1 and h2 = 0 the shallow PLRNN z' = a z + w1 relu(z) + h1 is the 1-D PLRNN of
    # checkpoints(): the same border crossing (a persistence) at t = 3/8 and degenerate
    # transcritical bifurcation at t = 3/5
    a = pl.ShallowPLRNN([0.5], [[0.2]], [[1.0]], [-0.3], [0.0])
    b = pl.ShallowPLRNN([0.3], [[0.9]], [[1.0]], [0.5], [0.0])
    result = run(ParameterFamily.segment(a, b), np.linspace(0.0, 1.0, 12), max_order=2)
    assert sorted({(b.kind, round(b.parameter, 6)) for b in result.bifurcations}) == \
        [(DEGENERATE_TRANSCRITICAL, 0.6), (PERSISTENCE, 0.375)]


def test_segment_needs_two_models_of_one_shape():
    m = pl.PLRNN([0.5, 0.5], np.zeros((2, 2)), [0.1, 0.1])
    with pytest.raises(TypeError, match="^model_b must be"):
        ParameterFamily.segment(m, "checkpoint")
    with pytest.raises(TypeError, match="^model_a and model_b must be of one kind"):
        ParameterFamily.segment(m, pl.ShallowPLRNN.random(2, 2, 0))
    with pytest.raises(ValueError, match=r"^model_b\.A must have the shape"):
        ParameterFamily.segment(m, m.replace(A=np.eye(2)))
    with pytest.raises(ValueError, match="^model_a and model_b must have the same parameters"):
        ParameterFamily.segment(m, m.replace(C=np.ones((2, 1))))


def test_family_moves_a_diagonal_A_as_a_diagonal():
    toy = pl.toy_plrnn()
    family = ParameterFamily(toy, ("A", (0, 0)), [("A", 1, 2.0), ("W", (0, 1))])
    model = family(0.1, -0.05)
    assert model.params()["A"].shape == (2,)
    np.testing.assert_allclose(model.params()["A"], toy.params()["A"] + [0.1, -0.1])
    np.testing.assert_allclose(model.W, toy.W + [[0.0, -0.05], [0.0, 0.0]])
    # the region matrices are those of A + p1 e1 e1^T + 2 p2 e2 e2^T
    d = np.array([True, False])
    np.testing.assert_allclose(model.region_matrix(d),
                               toy.region_matrix(d) + np.diag([0.1, -0.1]) +
                               [[0.0, -0.05], [0.0, 0.0]] * d)
    with pytest.raises(ValueError, match=r"only its entries \(i, i\) move"):
        ParameterFamily(toy, ("A", (0, 1)))
    full = toy.replace(A=np.diag(toy.params()["A"]))
    assert ParameterFamily(full, ("A", (0, 1)))(0.2).A[0, 1] == 0.2
    with pytest.raises(TypeError, match="^axes.0. must be"):
        ParameterFamily(toy, "A")
    with pytest.raises(TypeError, match="^p must be a real number"):
        ParameterFamily(toy, ("h", 0))("0.1")


# -- results as arrays ---------------------------------------------------------------------------

def grid_family():
    # two_events_family with its two moves on two axes: the flip at p1 = 1 and the border
    # collision of z2 = h2 = p2 - 1.2 with z2 = 0 at p2 = 1.2
    return ParameterFamily(two_events_family().model, ("W", (0, 0), -1.0), ("h", 1))


GRID_AXES = (np.linspace(0.5, 1.7, 5) + 0.013, np.linspace(0.9, 1.5, 4) + 0.003)


def small_grid():
    return pl.sweep_grid(grid_family(), *GRID_AXES, 1, rng=0, n_jobs=1, progress=False, tol=1e-8)


def test_grid_arrays_round_trip_through_a_file(tmp_path):
    grid = small_grid()
    assert {b.kind for b in grid.bifurcations} >= {BORDER_COLLISION, DEGENERATE_FLIP}
    path = tmp_path / "grid.npz"
    np.savez_compressed(path, **grid.to_arrays(), seed=0)
    with np.load(path) as stored:
        loaded = pl.GridSweep.from_arrays(stored)
    assert loaded.cycles is None
    np.testing.assert_array_equal(loaded.n_cycles(), grid.n_cycles())
    np.testing.assert_array_equal(loaded.n_stable(), grid.n_stable())
    assert (loaded.max_order, loaded.filled) == (grid.max_order, grid.filled)
    assert len(loaded.bifurcations) == len(grid.bifurcations)
    for a, b in zip(grid.bifurcations, loaded.bifurcations):
        np.testing.assert_array_equal(a.parameter, b.parameter)
        np.testing.assert_array_equal(a.regions, b.regions)
        assert (a.kind, a.order, a.appears, a.stable_before, a.stable_after, a.bracket) == \
            (b.kind, b.order, b.appears, b.stable_before, b.stable_after, b.bracket)
    np.testing.assert_array_equal(loaded.curves(DEGENERATE_FLIP), grid.curves(DEGENERATE_FLIP))


def test_grid_arrays_without_event_details_still_load():
    grid = small_grid()
    arrays = {k: grid.to_arrays()[k] for k in pl.GridSweep.REQUIRED_ARRAYS}
    loaded = pl.GridSweep.from_arrays(arrays)
    assert all(b.regions is None and b.appears is None and np.isnan(b.bracket)
               for b in loaded.bifurcations)
    assert [b.kind for b in loaded.bifurcations] == [b.kind for b in grid.bifurcations]
    with pytest.raises(ValueError, match=r"^arrays is missing the arrays \['max_order'\]"):
        pl.GridSweep.from_arrays({k: v for k, v in arrays.items() if k != "max_order"})
    with pytest.raises(ValueError, match=r"^arrays\['n_stable'\] must be integers of shape"):
        pl.GridSweep.from_arrays({**arrays, "n_stable": np.zeros((2, 2), dtype=int)})
    with pytest.raises(TypeError, match="^arrays must be"):
        pl.GridSweep.from_arrays([1, 2])


def test_sites_merge_events_of_one_kind_at_one_parameter():
    result = run(two_events_family(), np.linspace(0.5, 1.7, 25) + 0.013, max_order=1)
    sites = result.sites()
    assert [(s["kind"], round(s["parameter"], 6), s["orders"]) for s in sites] == \
        [(DEGENERATE_FLIP, 1.0, [1]), (BORDER_COLLISION, 1.2, [1])]
    assert [s["kind"] for s in result.sites(kinds=BORDER_COLLISION)] == [BORDER_COLLISION]
    with pytest.raises(ValueError, match="^kinds"):
        result.sites(kinds="fold")


# -- where sweeps run ----------------------------------------------------------------------------

def cycle_keys(cycle_sets):
    return [sorted(pl.bifurcations.canonical_sequence(c.regions) for c in cs)
            for cs in cycle_sets]


def test_sweeps_on_a_dask_cluster_equal_the_serial_sweeps():
    distributed = pytest.importorskip("distributed")
    toy = ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)))
    values = np.linspace(-0.02, 0.01, 20)
    serial = pl.sweep(toy, values, 8, rng=5, n_jobs=1, progress=False)
    serial_grid = pl.sweep_grid(grid_family(), *GRID_AXES, 2, rng=5, n_jobs=1, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        on_dask = pl.sweep(toy, values, 8, rng=5, scheduler=cluster.scheduler_address,
                           progress=False)
        grid_on_dask = pl.sweep_grid(grid_family(), *GRID_AXES, 2, rng=5,
                                     scheduler=cluster.scheduler_address, progress=False)
    assert cycle_keys(on_dask.cycles) == cycle_keys(serial.cycles)
    assert [(b.kind, b.parameter) for b in on_dask.bifurcations] == \
        [(b.kind, b.parameter) for b in serial.bifurcations]
    assert cycle_keys(grid_on_dask.cycles.ravel()) == cycle_keys(serial_grid.cycles.ravel())
    np.testing.assert_array_equal(grid_on_dask.curves(), serial_grid.curves())


def test_the_stored_toy_grid_reads_back_as_a_grid_sweep():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "book" / "data" / "toy_bifurcation_grid.npz"
    with np.load(path) as stored:
        grid = pl.GridSweep.from_arrays(stored)
    n1, n2 = grid.values1.size, grid.values2.size
    assert grid.n_cycles().shape == (n1, n2) and np.all(grid.n_stable() <= grid.n_cycles())
    pts = grid.curves()
    assert len(pts) == len(grid.bifurcations) > 0
    # bisection runs along grid edges: one coordinate of every located point is a grid value
    on_edge = np.isin(pts[:, 0], grid.values1) | np.isin(pts[:, 1], grid.values2)
    assert on_edge.all()
    assert all(1 <= b.order <= grid.max_order for b in grid.bifurcations)


def test_a_lambda_family_sweeps_serially_with_a_warning():
    family = ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("W", (0, 0)))
    values = np.linspace(0.0, 1.0, 21) + 0.0031
    with pytest.warns(UserWarning, match="cannot be pickled") as caught:
        wrapped = run(lambda w: family(w), values, n_jobs=2)
    assert len([w for w in caught if "cannot be pickled" in str(w.message)]) == 1
    serial = run(family, values)
    assert cycle_keys(wrapped.cycles) == cycle_keys(serial.cycles)
    assert [(b.kind, b.parameter) for b in wrapped.bifurcations] == \
        [(b.kind, b.parameter) for b in serial.bifurcations]
