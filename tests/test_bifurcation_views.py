"""Bifurcation diagrams, manifolds, the sweep widget and its kernel-free animation."""
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import plrnn_lib as pl  # noqa: E402
from plrnn_lib import plotting  # noqa: E402
from plrnn_lib.bifurcations import (BORDER_COLLISION, DEGENERATE_FLIP,  # noqa: E402
                                    DEGENERATE_TRANSCRITICAL, ParameterFamily)

FRAME = re.compile(r'frames\[(\d+)\] = "data:image/png;base64,([^"]*)"')
TOY = pl.models.TOY_PLRNN_PARAMETERS


pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.fixture(scope="module")
def flip_sweep():
    # z' = w relu(z) + 1: fixed point 1 / (1 - w) with multiplier w (flip at w = -1), and for
    # w < -1 the stable 2-cycle {1, 1 + w}, born at w = -1 by a border collision.
    family = ParameterFamily(pl.PLRNN([0.0], [[0.0]], [1.0]), ("W", (0, 0)))
    return family, pl.sweep(family, np.linspace(-1.5, -0.5, 11) + 0.0017, 2, rng=0, n_jobs=1,
                            progress=False)


@pytest.fixture(scope="module")
def toy_sweep():
    # the toy model's fixed point collides with z2 = 0 at a11 = 1 - w21 h1 / (-h2)
    family = ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)))
    return family, pl.sweep(family, np.linspace(-0.06, -0.02, 9), 2, rng=0, n_jobs=1, progress=False)


def as_pairs(x, y):
    return sorted(zip(np.round(np.asarray(x, float), 12), np.round(np.asarray(y, float), 12)))


# -- the diagram ---------------------------------------------------------------------------------
def test_diagram_plots_exactly_the_sweeps_cycle_points(flip_sweep):
    _, result = flip_sweep
    fig, ax = plt.subplots()
    art = plotting.plot_bifurcation_diagram(ax, result)
    for stable in (True, False):
        line = art["stable" if stable else "unstable"]
        expected = [(v, z) for v, cs in zip(result.values, result.cycles) for c in cs
                    if bool(c.stable) == stable for z in c.points[:, 0]]
        assert as_pairs(line.get_xdata(), line.get_ydata()) == as_pairs(*zip(*expected)) if expected else \
            len(line.get_xdata()) == 0
        # stable points are filled, unstable ones open
        assert (line.get_markerfacecolor() == "white") == (not stable)
    # the closed forms: a stable 2-cycle {1, 1 + w} left of w = -1, a fixed point 1 / (1 - w)
    stable = art["stable"]
    for p, z in zip(stable.get_xdata(), stable.get_ydata()):
        assert np.isclose(z, 1 / (1 - p)) or (p < -1 and (np.isclose(z, 1.0) or np.isclose(z, 1 + p)))


def test_marked_bifurcations_sit_at_the_located_parameters(flip_sweep):
    _, result = flip_sweep
    fig, ax = plt.subplots()
    art = plotting.plot_bifurcation_diagram(ax, result)
    located = sorted({round(b.parameter, 9) for b in result.bifurcations})
    marked = sorted({round(line.get_xdata()[0], 9) for line in art["lines"]})
    assert marked == located
    kinds = {s["kind"] for s in art["sites"]}
    assert kinds == {DEGENERATE_FLIP, BORDER_COLLISION}
    for s in art["sites"]:
        assert abs(s["parameter"] - (-1.0)) < 1e-6  # the flip and the 2-cycle's BCB
    # one line per (parameter, kind): the two BCB events of the 2-cycle and the fixed point
    # merge with nothing of another kind
    assert len(art["lines"]) == len({(round(s["parameter"], 6), s["kind"]) for s in art["sites"]})
    # the marker colour tells the kind
    for line, s in zip(art["lines"], art["sites"]):
        assert line.get_color() == plotting.KIND_STYLES[s["kind"]]["color"]


def test_diagram_filters_kinds_and_marks_the_current_value(flip_sweep):
    _, result = flip_sweep
    fig, ax = plt.subplots()
    art = plotting.plot_bifurcation_diagram(ax, result, kinds=DEGENERATE_FLIP, current=-0.8)
    assert [s["kind"] for s in art["sites"]] == [DEGENERATE_FLIP]
    assert art["current"].get_xdata()[0] == -0.8


def test_bifurcation_sites_merge_cycles_born_together(toy_sweep):
    _, result = toy_sweep
    # the stable fixed point of region (1, 0) disappears and the unstable one of (1, 1) appears
    events = [b for b in result.bifurcations if b.order == 1]
    assert len(events) == 2
    sites = result.sites()
    crit = 1 - TOY["W"][1][0] * TOY["h"][0] / (-TOY["h"][1]) - TOY["A"][0]
    assert len(sites) == 1 and sites[0]["kind"] == BORDER_COLLISION
    assert abs(sites[0]["parameter"] - crit) < 1e-6


# -- manifolds -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dtb_grid():
    # z' = a z + w relu(z) + 0.5: the positive fixed point exists iff a + w < 1
    family = ParameterFamily(pl.PLRNN([0.0], [[0.0]], [0.5]), ("A", (0, 0)), ("W", (0, 0)))
    a = np.linspace(-0.5, 0.9, 6) + 0.001
    w = np.linspace(-0.5, 1.3, 7) + 0.002
    return pl.sweep_grid(family, a, w, 1, rng=0, n_jobs=1, progress=False, tol=1e-8)


def test_manifolds_colour_each_cell_by_its_number_of_stable_objects(dtb_grid):
    fig, ax = plt.subplots()
    art = plotting.plot_manifolds(ax, dtb_grid)
    counts = np.asarray(art["mesh"].get_array()).reshape(len(dtb_grid.values2), len(dtb_grid.values1))
    np.testing.assert_array_equal(counts.T, dtb_grid.n_stable())
    expected = dtb_grid.values1[:, None] + dtb_grid.values2[None, :] < 1
    np.testing.assert_array_equal(dtb_grid.n_stable() > 0, expected)
    # the DTB points are drawn where they were located, on the line a + w = 1
    line = art["points"][DEGENERATE_TRANSCRITICAL]
    np.testing.assert_allclose(np.c_[line.get_xdata(), line.get_ydata()],
                               dtb_grid.curves(DEGENERATE_TRANSCRITICAL))
    np.testing.assert_allclose(line.get_xdata() + line.get_ydata(), 1.0, atol=1e-6)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["degenerate transcritical (DTB)"]


def test_manifolds_accept_the_stored_arrays(dtb_grid, tmp_path):
    path = tmp_path / "grid.npz"
    np.savez(path, **dtb_grid.to_arrays())
    fig, (a1, a2) = plt.subplots(1, 2)
    live = plotting.plot_manifolds(a1, dtb_grid, count="cycles")
    with np.load(path) as stored:
        loaded = plotting.plot_manifolds(a2, stored, count="cycles")
    np.testing.assert_array_equal(live["counts"], loaded["counts"])
    np.testing.assert_array_equal(live["counts"], dtb_grid.n_cycles())
    # and the same bifurcation points, of the same kinds
    for k, line in live["points"].items():
        np.testing.assert_array_equal(line.get_xydata(), loaded["points"][k].get_xydata())


# -- the dynamics at one value ------------------------------------------------------------------
def test_cobweb_follows_the_orbit():
    m = pl.PLRNN([0.5], [[0.2]], [0.1])
    fig, ax = plt.subplots()
    traj = plotting.plot_cobweb(ax, m, -1.0, n_steps=12, xlim=(-1.5, 1.5))
    np.testing.assert_allclose(traj, m.simulate([-1.0], 12)[:, 0])
    stair = [l for l in ax.get_lines() if len(l.get_xdata()) == 25][0]
    x, y = stair.get_xdata(), stair.get_ydata()
    # vertical segments end on the graph, horizontal ones on the diagonal
    np.testing.assert_allclose(y[1::2], [m.step([v])[0] for v in x[1::2]])
    np.testing.assert_allclose(x[2::2], y[2::2])


def test_phase_cycles_draw_stable_filled_and_unstable_open(toy_sweep):
    family, result = toy_sweep
    i = len(result.values) - 1
    fig, ax = plt.subplots()
    art = plotting.plot_phase_cycles(ax, family(result.values[i]), result.cycles[i], (-1, 3), (-3, 2))
    n_stable = sum(bool(c.stable) for c in result.cycles[i])
    assert len(art["stable"]) == n_stable and len(art["unstable"]) == len(result.cycles[i]) - n_stable
    for line in art["unstable"]:
        assert line.get_markerfacecolor() == "white"


def test_phase_orbit_skips_the_transient(toy_sweep):
    family, result = toy_sweep
    model = family(result.values[0])
    fig, ax = plt.subplots()
    art = plotting.plot_phase_cycles(ax, model, [], (-1, 3), (-3, 2), z0=(0.5, -1.0), n_steps=40,
                                     n_transient=25)
    np.testing.assert_array_equal(art["orbit"], model.simulate([0.5, -1.0], 65)[25:])
    drawn = plotting.draw_orbit(ax, model, (0.5, -1.0), 40, n_transient=25)
    np.testing.assert_array_equal(drawn, art["orbit"])
    with pytest.raises(ValueError, match="^n_transient"):
        plotting.plot_phase_cycles(ax, model, [], (-1, 3), (-3, 2), z0=(0.5, -1.0),
                                   n_transient=-1)
    with pytest.raises(TypeError, match="^n_transient"):
        plotting.draw_orbit(ax, model, (0.5, -1.0), 40, n_transient=2.5)


# -- widget and animation -----------------------------------------------------------------------
def test_widget_redraws_at_the_slider_value(toy_sweep):
    pytest.importorskip("ipywidgets")
    family, result = toy_sweep
    ex = plotting.bifurcation_explorer(family, result, start=-0.03, xlim=(-1, 3), ylim=(-3, 2))
    assert ex.slider.continuous_update is False
    assert ex.value == pytest.approx(-0.03)
    ex.slider.value = 1
    assert ex.value == result.values[1]
    ax_phase, ax_diag = ex.figure.axes[:2]
    accent = [l for l in ax_diag.get_lines() if l.get_color() == plotting.COLORS["accent"]]
    assert accent and accent[0].get_xdata()[0] == result.values[1]
    assert f"{result.values[1]:.4f}" in ax_phase.get_title()


def test_animation_has_one_frame_per_requested_value_and_stays_small(toy_sweep):
    family, result = toy_sweep
    chosen = result.values[[0, 3, 8]]
    html = plotting.bifurcation_animation(family, result, xlim=(-1, 3), ylim=(-3, 2), values=chosen)
    frames = FRAME.findall(html.data)
    assert len(frames) == 3 == html.n_frames
    np.testing.assert_array_equal(html.values, chosen)
    assert len(html.data) < 3e6
    default = plotting.bifurcation_animation(family, result, xlim=(-1, 3), ylim=(-3, 2), n_frames=4)
    assert len(FRAME.findall(default.data)) == 4
    assert plotting.frame_indices(result, n_frames=50).tolist() == list(range(len(result.values)))
    # the rcParams of the caller are untouched (constrained layout stays on in the book style)
    plotting.use_book_style()
    plotting.bifurcation_animation(family, result, xlim=(-1, 3), ylim=(-3, 2), n_frames=2)
    assert matplotlib.rcParams["figure.constrained_layout.use"] is True


# -- argument checks -----------------------------------------------------------------------------
def test_bad_arguments_name_themselves(flip_sweep, toy_sweep, dtb_grid):
    _, result = flip_sweep
    family, toy = toy_sweep
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="^ax"):
        plotting.plot_bifurcation_diagram("ax", result)
    with pytest.raises(TypeError, match="^sweep_result"):
        plotting.plot_bifurcation_diagram(ax, dtb_grid)
    with pytest.raises(ValueError, match="^coordinate"):
        plotting.plot_bifurcation_diagram(ax, result, coordinate=3)
    with pytest.raises(ValueError, match="^kinds"):
        plotting.plot_bifurcation_diagram(ax, result, kinds="saddle-node")
    with pytest.raises(TypeError, match="^grid_result"):
        plotting.plot_manifolds(ax, result)
    with pytest.raises(ValueError, match="^grid_result is missing"):
        plotting.plot_manifolds(ax, {"values1": [0, 1]})
    with pytest.raises(ValueError, match="^count"):
        plotting.plot_manifolds(ax, dtb_grid, count="unstable")
    with pytest.raises(ValueError, match="^model"):
        plotting.plot_cobweb(ax, pl.toy_plrnn(), 0.1)
    with pytest.raises(ValueError, match="^xlim"):
        plotting.plot_cobweb(ax, pl.PLRNN([0.5], [[0.2]], [0.1]), 0.1, xlim=(1, -1))
    with pytest.raises(ValueError, match="^family"):
        plotting.bifurcation_animation(flip_sweep[0], result)  # a 1-D family has no phase plane
    with pytest.raises(ValueError, match="^values"):
        plotting.bifurcation_animation(family, toy, values=[0.123])
    with pytest.raises(ValueError, match="^n_frames"):
        plotting.bifurcation_animation(family, toy, n_frames=26)
    with pytest.raises(ValueError, match="^dpi"):
        plotting.bifurcation_animation(family, toy, dpi=1000)
    with pytest.raises(ValueError, match="^start"):
        plotting.bifurcation_explorer(family, toy, start=5.0)
    with pytest.raises(TypeError, match="^family"):
        plotting.bifurcation_explorer(3, toy)
