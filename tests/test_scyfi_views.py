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


def _accent_pixels(fig, ax, box):
    """Number of pixels in the data box ((x0, x1), (y0, y1)) close to the accent colour."""
    from matplotlib.colors import to_rgb

    fig.canvas.draw()
    img = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    (x0, x1), (y0, y1) = box
    (px0, py0), (px1, py1) = ax.transData.transform([(x0, y0), (x1, y1)])
    height = img.shape[0]
    rows = slice(int(height - max(py0, py1)), int(height - min(py0, py1)))
    cols = slice(int(min(px0, px1)), int(max(px0, px1)))
    accent = 255 * np.array(to_rgb(pl.plotting.COLORS["accent"]))
    return int(np.sum(np.linalg.norm(img[rows, cols] - accent, axis=-1) < 40))


def test_assumed_regions_are_marked_in_pure_accent_colour(toy):
    """The text calls the assumed regions orange: every assumed region shows the accent
    colour itself (not a tint mixed with the region's fill, which looked pink on d = 11),
    and regions that are not assumed show none of it."""
    trace = pl.trace_scyfi(toy, 16, rng=0, max_steps=12)
    step = trace[11]
    assumed = {sv.region_label(d) for d in step.assumed}
    assert assumed == {"10", "11"}                          # 00 and 01 are not assumed
    fig, (ax, strip) = plt.subplots(2, 1, figsize=(5.2, 6.0), height_ratios=[5, 1], dpi=80)
    sv.draw_scyfi_step(toy, step, (-1.0, 8.5), (-6.0, 7.5), ax=ax, strip_ax=strip,
                       legend=False)
    # boxes away from the candidate's points (near (1.5, 0.5)) and the region labels
    assert _accent_pixels(fig, ax, ((4.5, 8.0), (4.5, 7.0))) > 100      # d = 11, assumed
    assert _accent_pixels(fig, ax, ((4.5, 8.0), (-5.5, -4.5))) > 30     # d = 10, assumed
    assert _accent_pixels(fig, ax, ((-0.9, -0.2), (-5.5, -4.0))) == 0   # d = 00
    assert _accent_pixels(fig, ax, ((-0.9, -0.2), (4.5, 7.0))) == 0     # d = 01


def test_last_step_says_how_the_trace_ended(toy):
    unfinished = pl.trace_scyfi(toy, 16, rng=0, max_steps=5)
    finished = pl.trace_scyfi(toy, 1, rng=0, max_steps=10_000)
    assert not unfinished.finished and finished.finished
    for trace, end in ((unfinished, "recorded"), (finished, "finished")):
        fig, ax = plt.subplots()
        sv.draw_scyfi_step(toy, trace[-1], (-1.0, 8.5), (-6.0, 7.5), ax=ax, end=end)
        title = ax.get_title()
        assert sv.END_TEXT[end] in title and "next:" not in title
        plt.close(fig)
    fig, ax = plt.subplots()
    sv.draw_scyfi_step(toy, unfinished[2], (-1.0, 8.5), (-6.0, 7.5), ax=ax)
    assert "next:" in ax.get_title()
    with pytest.raises(ValueError, match="end"):
        sv.draw_scyfi_step(toy, unfinished[0], (-1.0, 8.5), (-6.0, 7.5), ax=ax, end="done")


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


def test_next_is_disabled_at_the_last_step_and_the_title_says_why(toy):
    w = sv.scyfi_stepper(toy, 16, seed=0, max_steps=4)
    while not w.next_button.disabled:
        assert "next:" in w.figure.axes[0].get_title()
        w.next_button.click()
    assert w.position == len(w.trace) - 1 == 3 and w.at_end
    title = w.figure.axes[0].get_title()
    assert "next:" not in title and sv.END_TEXT["recorded"] in title
    assert "max_steps" in w.status.value
    w.reset_button.click()
    assert not w.next_button.disabled
    # a search that ends within the recorded steps says that it finished
    w = sv.scyfi_stepper(toy, 1, seed=0, max_steps=10_000)
    assert w.trace.finished
    for _ in range(len(w.trace)):
        w.next()
    assert w.next_button.disabled and "finished" in w.status.value
    assert sv.END_TEXT["finished"] in w.figure.axes[0].get_title()


def test_a_negative_seed_is_refused_with_a_message(toy):
    w = sv.scyfi_stepper(toy, 16, seed=5, max_steps=6)
    w.next()
    before = w.trace.assumed.copy()
    for bad in (-1, sv.MAX_SEED + 1):
        w.seed_box.value = bad
        assert w.seed_box.value == 5 and w.seed == 5            # back to the last valid seed
        assert "refused" in w.status.value and str(bad) in w.status.value
        assert np.array_equal(w.trace.assumed, before) and w.position == 1
    w.seed_box.value = 0                                         # a valid seed clears it
    assert w.seed == 0 and "refused" not in w.status.value
    assert np.array_equal(w.trace.assumed, pl.trace_scyfi(toy, 16, rng=0, max_steps=6).assumed)


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
