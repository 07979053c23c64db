"""Border crossings that change nothing are persistence; those that change the local type
(or make cycles meet) are border-collision bifurcations.  Closed forms on 1-D and 2-D maps."""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.bifurcations import (BIFURCATION_KINDS, BORDER_COLLISION, KINDS, PERSISTENCE,
                                    ParameterFamily, local_type)


def run(family, values, max_order=1):
    return pl.sweep(family, values, max_order, rng=0, tol=1e-8, n_jobs=1, progress=False)


def one_unit(right_slope_minus_left, left=0.5):
    # z -> left z + w relu(z) + h: slope `left` for z < 0 and `left + w` for z > 0; the
    # fixed point h / (1 - slope) crosses z = 0 at h = 0.
    return ParameterFamily(pl.PLRNN([left], [[right_slope_minus_left]], [0.0]), ("h", 0))


def test_local_type_follows_kuznetsovs_classification():
    node, focus = [0.5, 0.3], [0.4 + 0.3j, 0.4 - 0.3j]
    assert local_type(node) == local_type(focus) == (2, 0, 1, 1)
    assert local_type([0.5]) != local_type([-0.5])          # monotone vs alternating
    assert local_type([2.0, 0.5]) == (1, 1, 1, 1) != local_type([-2.0, 0.5])
    assert local_type([1.0, 0.5]) is None and local_type([0.6j - 0.8, -0.6j - 0.8]) is None


@pytest.mark.parametrize("w", [0.2, -0.3, 0.45])
def test_fixed_point_that_keeps_its_type_persists(w):
    result = run(one_unit(w), np.linspace(-1, 1, 11) + 0.013)
    assert [b.kind for b in result.bifurcations] == [PERSISTENCE, PERSISTENCE]
    assert not any(b.is_bifurcation for b in result.bifurcations)
    assert all(abs(b.parameter) <= 1e-8 for b in result.bifurcations)
    assert np.all(result.n_stable() == 1)                   # one stable fixed point all along


def test_monotone_to_alternating_approach_is_a_border_collision():
    # right slope 0.5 - 1.0 = -0.5: stable on both sides, but not conjugate
    result = run(one_unit(-1.0), np.linspace(-1, 1, 11) + 0.013)
    assert [b.kind for b in result.bifurcations] == [BORDER_COLLISION] * 2
    assert all(b.is_bifurcation for b in result.bifurcations)
    assert np.all(result.n_stable() == 1)


def test_nonsmooth_fold_is_a_border_collision():
    # right slope 1.2: for h < 0 a stable (2h) and an unstable (-5h) fixed point, which meet
    # at h = 0 and vanish together
    result = run(one_unit(0.7), np.linspace(-1, 1, 11) + 0.013)
    assert [(b.kind, b.appears) for b in result.bifurcations] == [(BORDER_COLLISION, False)] * 2


def test_reversed_sweep_pairs_the_same_events():
    base = pl.PLRNN([0.5], [[0.2]], [0.0])
    result = run(ParameterFamily(base, ("h", 0, -1.0)), np.linspace(-1, 1, 11) + 0.013)
    assert [b.kind for b in result.bifurcations] == [PERSISTENCE, PERSISTENCE]


def test_crossing_a_boundary_where_the_map_is_smooth_is_persistence():
    # Unit 2's ReLU has zero outgoing weight, so z2 = 0 is a region boundary at which the
    # map does not change at all: the stable fixed point (0.5 + p, ...) crossing it must
    # persist.  Its z2 = p / (1 - 0.6) crosses 0 at p = 0.
    base = pl.PLRNN([0.5, 0.6], [[0.1, 0.0], [0.0, 0.0]], [1.0, 0.0])
    result = run(ParameterFamily(base, ("h", 1)), np.linspace(-1, 1, 11) + 0.013)
    assert [b.kind for b in result.bifurcations] == [PERSISTENCE, PERSISTENCE]
    assert all(abs(b.parameter) <= 1e-8 for b in result.bifurcations)


def test_toy_models_node_to_unstable_focus_stays_a_border_collision():
    family = ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)))
    result = run(family, np.linspace(-0.045, -0.03, 4))
    kinds = {(b.kind, b.stable_before, b.stable_after) for b in result.bifurcations
             if b.order == 1}
    assert kinds == {(BORDER_COLLISION, True, None), (BORDER_COLLISION, None, False)}


def test_grid_and_sweep_agree_on_persistence():
    # over (h, w): the crossing at h = 0 persists for right slopes 0.5 + w in (0, 1), is a
    # bifurcation for negative right slopes (orientation) and above 1 (nonsmooth fold)
    family = ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.0]), ("h", 0), ("W", (0, 0)))
    hs = np.linspace(-1, 1, 6) + 0.013
    ws = np.array([-0.9, -0.2, 0.3, 0.8])
    grid = pl.sweep_grid(family, hs, ws, 1, rng=0, n_jobs=1, progress=False, tol=1e-8)
    for j, w in enumerate(ws):
        on_line = [b for b in grid.bifurcations if abs(b.parameter[1] - w) < 1e-12]
        expected = PERSISTENCE if 0 < 0.5 + w < 1 else BORDER_COLLISION
        assert on_line and {b.kind for b in on_line} == {expected}
        line = run(ParameterFamily(pl.PLRNN([0.5], [[w]], [0.0]), ("h", 0)), hs)
        assert {b.kind for b in line.bifurcations} == {expected}


def test_kind_lists():
    assert PERSISTENCE in KINDS and PERSISTENCE not in BIFURCATION_KINDS
    assert set(BIFURCATION_KINDS) | {PERSISTENCE} == set(KINDS)


def test_a_sweep_value_exactly_on_a_flip_does_not_hide_it():
    # z -> 1.5 z (z <= 0), b z (z > 0), + 1: the fixed point 1 / (1 - b) has multiplier b;
    # with b = -1 itself among the values (multiplier exactly -1, not stable), the flip
    # must still be located between -1 and the next value.
    base = pl.PLRNN([1.5], [[-1.5]], [1.0])
    family = ParameterFamily(base, ("W", (0, 0)))          # right slope b = p
    values = np.array([-1.2, -1.1, -1.0, -0.9, -0.8])
    assert values[2] == -1.0
    result = run(family, values)
    flips = [b for b in result.bifurcations if b.kind == "degenerate flip"]
    assert len(flips) == 1 and abs(flips[0].parameter + 1.0) <= 1e-7
    assert flips[0].stable_after is True and flips[0].stable_before is False
