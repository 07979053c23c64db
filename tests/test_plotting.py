"""Phase portraits, the live PLRNN widget and the kernel-free sweep animation."""
import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import plrnn_lib as pl  # noqa: E402
from plrnn_lib import plotting  # noqa: E402

ipywidgets = pytest.importorskip("ipywidgets")

# The 2-D toy PLRNN of Eisenmann et al. (2023).
TOY = pl.models.TOY_PLRNN_PARAMETERS
FRAME = re.compile(r'frames\[(\d+)\] = "data:image/png;base64,([^"]*)"')


pytestmark = pytest.mark.usefixtures("close_figures")


def orbit_line(ax):
    """The Line2D drawn by draw_orbit (the one with the most points)."""
    return max(ax.get_lines(), key=lambda line: len(line.get_xdata()))


# -- region codes --------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["plrnn", "shallow"])
def test_region_codes_on_grid_equal_model_region(rng, kind):
    if kind == "plrnn":
        m = pl.PLRNN.random(2, rng)
    else:
        m = pl.ShallowPLRNN.random(2, 5, rng)
    X, Y, codes = plotting.region_codes_on_grid(m, (-2.0, 1.5), (-1.0, 3.0), n=41)
    assert X.shape == Y.shape == codes.shape == (41, 41)
    for i, j in rng.integers(0, 41, size=(60, 2)):
        d = m.region([X[i, j], Y[i, j]])
        assert codes[i, j] == sum(int(b) << k for k, b in enumerate(d))


# -- parameters by name --------------------------------------------------------------------------
def test_set_parameter_changes_exactly_one_entry(toy):
    for name in plotting.PARAMETERS:
        m2 = plotting.set_parameter(toy, name, 0.123)
        assert plotting.get_parameter(m2, name) == 0.123
        changed = [n for n in plotting.PARAMETERS
                   if plotting.get_parameter(m2, n) != plotting.get_parameter(toy, n)]
        assert changed == [name]
    # the original model is untouched
    np.testing.assert_array_equal(toy.A, np.diag(TOY["A"]))
    # names follow the text's 1-based indices: w12 is W[0, 1]
    assert plotting.get_parameter(toy, "w12") == TOY["W"][0][1]
    assert plotting.get_parameter(toy, "h2") == TOY["h"][1]


def test_parameters_go_through_the_model_protocol(toy):
    # a diagonal A stays a diagonal: params()['A'] keeps shape (2,) (with_params(A=full
    # matrix) would have turned it into a (2, 2) matrix)
    m = plotting.set_parameter(toy, "a22", 0.5)
    assert m.params()["A"].shape == (2,)
    np.testing.assert_array_equal(m.params()["A"], [TOY["A"][0], 0.5])
    # an off-diagonal entry makes A a full matrix that keeps the diagonal
    m = plotting.set_parameter(toy, "a12", 0.25)
    np.testing.assert_array_equal(m.params()["A"], [[TOY["A"][0], 0.25], [0.0, TOY["A"][1]]])
    # a model built with a full A: entries are read and set in place
    full = pl.PLRNN([[0.8, 0.1], [-0.2, 0.9]], TOY["W"], TOY["h"])
    assert plotting.get_parameter(full, "a21") == -0.2
    m = plotting.set_parameter(full, "a11", 0.3)
    np.testing.assert_array_equal(m.params()["A"], [[0.3, 0.1], [-0.2, 0.9]])
    # the new model's map is the map of its parameters
    z = np.array([0.7, -0.4])
    A = np.array([[0.3, 0.1], [-0.2, 0.9]])
    np.testing.assert_allclose(m.step(z), A @ z + np.array(TOY["W"]) @ np.maximum(z, 0)
                               + TOY["h"], rtol=0, atol=1e-14)


def test_explorer_of_a_full_A_model_keeps_its_off_diagonal_entries():
    full = pl.PLRNN([[0.8, 0.1], [-0.2, 0.9]], TOY["W"], TOY["h"])
    ex = plotting.plrnn_explorer(full, n_steps=20)
    ex.sliders["a11"].value = 0.5
    np.testing.assert_array_equal(ex.current_model().A, [[0.5, 0.1], [-0.2, 0.9]])


# -- the static portrait -------------------------------------------------------------------------
def test_phase_portrait_orbit_and_region_matrices(toy):
    ax, traj = plotting.draw_phase_portrait(toy, [0.5, -1.0], 150)
    expected = toy.simulate([0.5, -1.0], 150)
    np.testing.assert_array_equal(traj, expected)
    line = orbit_line(ax)
    np.testing.assert_array_equal(line.get_xdata(), expected[:, 0])
    np.testing.assert_array_equal(line.get_ydata(), expected[:, 1])
    # every quadrant is in the default view, so all four regions are labelled with W_Omega
    fig, ax2 = plt.subplots()
    labelled = plotting.label_region_matrices(ax2, toy, (-1, 3), (-3.5, 1.5))
    assert set(labelled) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    for d, J in labelled.items():
        np.testing.assert_allclose(J, toy.A + toy.W @ np.diag(d))
    texts = [t.get_text() for t in ax2.texts]
    assert any("0.84 -0.64" in t and "0.53  0.96" in t for t in texts)  # W_Omega for d = (1, 1)


def test_view_with_one_region_labels_only_it(toy):
    fig, ax = plt.subplots()
    labelled = plotting.label_region_matrices(ax, toy, (0.5, 2.0), (-2.0, -0.5))
    assert list(labelled) == [(1, 0)]


def test_format_matrix():
    assert plotting.widgets.format_matrix([[1, -0.5], [0.25, 2]], 2) == "[ 1.00 -0.50]\n[ 0.25  2.00]"


# -- the live widget -----------------------------------------------------------------------------
def test_widget_redraw_draws_the_orbit_of_the_slider_model(toy):
    ex = plotting.plrnn_explorer(toy, z0=(0.5, -1.0), n_steps=120)
    assert all(s.continuous_update is False for s in ex.sliders.values())
    assert set(ex.sliders) == set(plotting.widgets.DEFAULT_SLIDERS) | {"z0_1", "z0_2"}
    # the initial figure: the model as given
    np.testing.assert_array_equal(orbit_line(ex.figure.axes[0]).get_xdata(),
                                  toy.simulate([0.5, -1.0], 120)[:, 0])
    # moving sliders triggers a redraw through the observers
    ex.sliders["a11"].value = 0.7
    ex.sliders["w21"].value = 0.4
    ex.sliders["z0_2"].value = 0.25
    model = ex.current_model()
    assert plotting.get_parameter(model, "a11") == 0.7
    assert plotting.get_parameter(model, "w21") == 0.4
    assert plotting.get_parameter(model, "a22") == TOY["A"][1]
    expected = pl.PLRNN([0.7, TOY["A"][1]], [[0, TOY["W"][0][1]], [0.4, 0]], TOY["h"]).simulate(
        [0.5, 0.25], 120)
    line = orbit_line(ex.figure.axes[0])
    np.testing.assert_array_equal(line.get_xdata(), expected[:, 0])
    np.testing.assert_array_equal(line.get_ydata(), expected[:, 1])
    # the previous figures were closed, so redraws do not pile up
    assert plt.get_fignums() == [ex.figure.number]
    assert "application/vnd.jupyter.widget-view+json" in ex._repr_mimebundle_()


def _overlapping_texts(ax):
    """Pairs of texts of ``ax`` whose drawn boxes (with their background box) overlap."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    for t, b in zip(texts, boxes):
        if t.get_bbox_patch() is not None:
            b.update_from_data_xy(t.get_bbox_patch().get_window_extent(renderer).get_points(),
                                  ignore=False)
    return [(texts[i].get_text().split("\n")[0], texts[j].get_text().split("\n")[0])
            for i in range(len(texts)) for j in range(i + 1, len(texts))
            if boxes[i].overlaps(boxes[j])]


@pytest.mark.parametrize("xlim, ylim", [((-1.0, 3.0), (-3.5, 1.5)), ((-1.5, 4.0), (-4.5, 2.0))])
def test_widget_marks_a_diverging_orbit_without_covering_a_label(toy, xlim, ylim):
    ex = plotting.plrnn_explorer(toy, n_steps=300, xlim=xlim, ylim=ylim)
    ex.sliders["a22"].value = 1.2  # |a22| > 1 with z2 < 0: z2 runs off to -infinity
    ax = ex.figure.axes[0]
    assert any("diverges" in t.get_text() for t in ax.texts)
    assert sum("W_\\Omega" in t.get_text() for t in ax.texts) == 4   # all four labels drawn
    ex.figure.canvas.draw()
    assert _overlapping_texts(ax) == []


def test_overlap_check_sees_an_overlap(toy):
    # the check above can fail: a text put on top of a region label is reported
    fig, ax = plt.subplots(figsize=plotting.FIGSIZE["square"])
    plotting.draw_phase_portrait(toy, [0.5, -1.0], 50, ax=ax)
    ax.text(0.03, 0.97, "orbit diverges", transform=ax.transAxes, ha="left", va="top")
    fig.canvas.draw()
    assert {"orbit diverges", "d = (0,1)"} in [set(pair) for pair in _overlapping_texts(ax)]


def test_widget_sliders_have_sensible_steps(toy):
    ex = plotting.plrnn_explorer(toy)
    for name, s in ex.sliders.items():
        positions = (s.max - s.min) / s.step
        # enough positions to stop on either side of a border collision (a11 = 0.800 for the
        # toy model), few enough that arrow keys get somewhere
        assert 60 <= positions <= 1000, (name, positions)
        # the readout shows every position
        decimals = int(s.readout_format.strip(".f"))
        assert round(s.step, decimals) == s.step, (name, s.readout_format)
    assert ex.sliders["a11"].min <= 0.79 and ex.sliders["a11"].max >= 0.81


@pytest.mark.parametrize("kwargs, name", [
    (dict(z0=(0.5,)), "z0"),
    (dict(z0=(9.0, 0.0)), "z0"),
    (dict(n_steps=0), "n_steps"),
    (dict(n_steps=2.5), "n_steps"),
    (dict(xlim=(1.0, -1.0)), "xlim"),
    (dict(ylim=(0.0, np.nan)), "ylim"),
    (dict(parameters=("a11", "b7")), "parameters"),
    (dict(parameters="a11"), "parameters"),
    (dict(step=0.0), "step"),
    (dict(step="fine"), "step"),
])
def test_widget_bad_arguments_name_the_argument(toy, kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        plotting.plrnn_explorer(toy, **kwargs)


def test_widget_needs_a_2d_plrnn(rng):
    with pytest.raises(ValueError, match="model"):
        plotting.plrnn_explorer(pl.PLRNN.random(3, rng))
    with pytest.raises(TypeError, match="model"):
        plotting.plrnn_explorer(pl.ShallowPLRNN.random(2, 4, rng))
    with pytest.raises(TypeError, match="model"):
        plotting.plrnn_explorer(np.eye(2))


# -- the kernel-free animation -------------------------------------------------------------------
def test_sweep_animation_has_one_frame_per_value(toy):
    values = np.linspace(0.75, 0.95, 7)
    html = plotting.sweep_animation(toy, "a11", values, n_steps=60, dpi=40)
    frames = FRAME.findall(html.data)
    assert [int(i) for i, _ in frames] == list(range(7))
    assert "new Array(7)" in html.data
    # every frame is a real PNG, and the frames differ (the parameter changes the picture)
    pngs = [base64.b64decode(b.replace("\\\n", "")) for _, b in frames]
    assert all(p.startswith(b"\x89PNG") for p in pngs)
    assert len(set(pngs)) == 7
    # the figure was closed, so the notebook shows only the player
    assert plt.get_fignums() == []


def test_sweep_animation_dpi_sets_frame_size(toy):
    sizes = []
    for dpi in (30, 60):
        html = plotting.sweep_animation(toy, "h1", [0.2, 0.4], n_steps=20, dpi=dpi)
        png = base64.b64decode(FRAME.findall(html.data)[0][1].replace("\\\n", ""))
        width = int.from_bytes(png[16:20], "big")  # IHDR width
        sizes.append(width)
    w, h = plotting.FIGSIZE["square"]
    assert sizes == [round(w * 30), round(w * 60)]


def test_sweep_frames_set_the_parameter(toy):
    values = [0.1, -0.3, 0.8]
    models = plotting.sweep_frames(toy, "w12", values)
    assert [plotting.get_parameter(m, "w12") for m in models] == values
    for m in models:
        np.testing.assert_array_equal(m.A, toy.A)
        np.testing.assert_array_equal(m.h, toy.h)


@pytest.mark.parametrize("args, kwargs, name", [
    (("q9", [0.1, 0.2]), {}, "parameter"),
    ((3, [0.1, 0.2]), {}, "parameter"),
    (("a11", []), {}, "values"),
    (("a11", [[0.1, 0.2]]), {}, "values"),
    (("a11", [0.1, np.inf]), {}, "values"),
    (("a11", np.linspace(0, 1, 61)), {}, "max_frames"),
    (("a11", [0.1]), dict(dpi=1000), "dpi"),
    (("a11", [0.1]), dict(interval=0), "interval"),
    (("a11", [0.1]), dict(z0=[1, 2, 3]), "z0"),
    (("a11", [0.1]), dict(xlim=(0, 0)), "xlim"),
])
def test_sweep_animation_bad_arguments_name_the_argument(toy, args, kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        plotting.sweep_animation(toy, *args, **kwargs)
