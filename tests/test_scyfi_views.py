"""The SCYFI stepping widget, its kernel-free animation and the cycle drawings (chapter 3)."""
import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import plrnn_lib as pl  # noqa: E402
from plrnn_lib.plotting import scyfi_views as sv  # noqa: E402

ipywidgets = pytest.importorskip("ipywidgets")

TOY = pl.models.TOY_PLRNN_PARAMETERS
FRAME = re.compile(r'frames\[(\d+)\] = "data:image/png;base64,([^"]*)"')


pytestmark = pytest.mark.usefixtures("close_figures")


def candidate_line(fig):
    lines = [l for ax in fig.axes for l in ax.get_lines() if l.get_gid() == sv.CANDIDATE_GID]
    assert len(lines) == 1
    return np.column_stack([lines[0].get_xdata(), lines[0].get_ydata()])


# -- the animation --------------------------------------------------------------------------------
def test_animation_has_one_distinct_frame_per_traced_step(toy):
    trace = pl.trace_scyfi(toy, 16, rng=0, max_steps=6)
    assert len(trace) == 6
    html = sv.scyfi_animation(toy, trace, dpi=40).data
    frames = FRAME.findall(html)
    assert sorted(int(i) for i, _ in frames) == list(range(6))
    pngs = [base64.b64decode(data) for _, data in frames]
    assert all(p.startswith(b"\x89PNG") for p in pngs)
    assert len(set(pngs)) == 6  # every step looks different
    assert len(html) < 3e6


def test_animation_refuses_long_traces_and_bad_arguments(toy):
    trace = pl.trace_scyfi(toy, 2, rng=0, max_steps=12)
    with pytest.raises(ValueError, match="max_frames"):
        sv.scyfi_animation(toy, trace, max_frames=5)
    with pytest.raises(TypeError, match="trace"):
        sv.scyfi_animation(toy, trace.points)
    with pytest.raises(ValueError, match="dpi"):
        sv.scyfi_animation(toy, trace, dpi=5)
    with pytest.raises(ValueError, match="xlim"):
        sv.scyfi_animation(toy, trace, xlim=(1.0, -1.0))
    with pytest.raises(ValueError, match="model"):
        sv.scyfi_animation(pl.PLRNN.random(3, rng=0), trace)


# -- one step -------------------------------------------------------------------------------------
def test_drawn_candidate_is_the_trace_candidate_and_marks_virtual_points(toy):
    trace = pl.trace_scyfi(toy, 16, rng=0, max_steps=5)
    xlim, ylim = sv.view_limits(trace.points)
    for step in trace:
        fig, (ax, strip) = plt.subplots(2, 1)
        sv.draw_scyfi_step(toy, step, xlim, ylim, ax=ax, strip_ax=strip)
        assert np.array_equal(candidate_line(fig), step.points)
        crosses = [l for l in ax.get_lines() if l.get_marker() == "x"]
        outside = np.any(step.actual != step.assumed, axis=1)
        if step.status == "virtual":
            # the crosses are exactly the points outside their assumed region
            assert len(crosses) == 1 and len(crosses[0].get_xdata()) == outside.sum() > 0
            assert np.array_equal(crosses[0].get_xdata(), step.points[outside, 0])
        else:
            assert not crosses and not outside.any()
        assert step.status in ax.get_title()
        plt.close(fig)


def test_view_limits_contain_every_point(rng):
    pts = rng.normal(scale=5.0, size=(7, 3, 2))
    pts[0, 0] = np.nan
    (x0, x1), (y0, y1) = sv.view_limits(pts)
    finite = pts.reshape(-1, 2)[np.all(np.isfinite(pts.reshape(-1, 2)), axis=1)]
    assert x0 < finite[:, 0].min() and x1 > finite[:, 0].max()
    assert y0 < finite[:, 1].min() and y1 > finite[:, 1].max()
    assert x0 < 0 < x1 and y0 < 0 < y1
    with pytest.raises(ValueError, match="points"):
        sv.view_limits(np.zeros((4, 3)))


# -- the widget -----------------------------------------------------------------------------------
def test_next_advances_the_trace_and_draws_its_candidate(toy):
    w = sv.scyfi_stepper(toy, 16, seed=0, max_steps=8)
    assert w.position == 0
    assert np.array_equal(candidate_line(w.figure), w.trace.points[0])
    for i in range(1, 5):
        w.next_button.click()
        assert w.position == i
        assert np.array_equal(candidate_line(w.figure), w.trace.points[i])
        # after a virtual step the assumed regions are the previous step's actual regions
        if w.trace[i - 1].status == "virtual":
            assert np.array_equal(w.trace.assumed[i], w.trace.actual[i - 1])
    # the trace is the one trace_scyfi records with the same seed
    ref = pl.trace_scyfi(toy, 16, rng=0, max_steps=8)
    assert np.array_equal(w.trace.points, ref.points, equal_nan=True)
    w.reset_button.click()
    assert w.position == 0
    for _ in range(20):  # Next stops at the last recorded step
        w.next()
    assert w.position == len(w.trace) - 1


def test_seed_box_retraces_and_returns_to_the_first_step(toy):
    w = sv.scyfi_stepper(toy, 16, seed=0, max_steps=8)
    w.next()
    w.seed_box.value = 3
    assert w.position == 0
    ref = pl.trace_scyfi(toy, 16, rng=3, max_steps=8)
    assert np.array_equal(w.trace.assumed, ref.assumed)
    assert np.array_equal(candidate_line(w.figure), ref.points[0])
    assert w.seed_box.continuous_update is False


def test_stepper_rejects_bad_arguments_by_name(toy):
    with pytest.raises(ValueError, match="model"):
        sv.scyfi_stepper(pl.PLRNN.random(3, rng=0), 2)
    with pytest.raises(TypeError, match="model"):
        sv.scyfi_stepper("toy", 2)
    with pytest.raises(ValueError, match="order"):
        sv.scyfi_stepper(toy, 0)
    with pytest.raises(ValueError, match="max_steps"):
        sv.scyfi_stepper(toy, 2, max_steps=0)
    with pytest.raises(ValueError, match="seed"):
        sv.scyfi_stepper(toy, 2, seed=-1)
    with pytest.raises(TypeError, match="rng"):
        sv.scyfi_stepper(toy, 2, rng=1)


# -- cycles ---------------------------------------------------------------------------------------
def test_draw_cycles_marks_stability(toy):
    cs = pl.find_cycles(toy, 16, min_order=16, rng=0)
    fig, ax = plt.subplots()
    lines = sv.draw_cycles(ax, cs)
    assert len(lines) == len(cs) >= 2
    for line, c in zip(lines, cs):
        assert np.array_equal(np.column_stack([line.get_xdata(), line.get_ydata()]), c.points)
        filled = line.get_markerfacecolor() != "white"
        assert filled == c.stable
    with pytest.raises(TypeError, match=r"cycles\[0\]"):
        sv.draw_cycles(ax, [np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"cycles\[0\]"):
        sv.draw_cycles(ax, pl.find_cycles(pl.PLRNN.random(3, rng=0), 1, rng=0)[:1])
