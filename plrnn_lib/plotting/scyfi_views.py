r"""Pictures of cycles and of SCYFI at work: a live stepping widget and a kernel-free animation.

SCYFI (Eisenmann et al., 2023, Algorithm 1) assumes a region sequence :math:`d_1, \dots, d_k`,
solves the candidate cycle

.. math:: (I - P)\, z_1 = c, \qquad P = W_{\Omega_k} \cdots W_{\Omega_1}, \qquad
          z_{j+1} = W_{\Omega_j} z_j + h,

checks which regions the candidate's points really lie in, and either stores a real cycle
or *jumps* to those regions.  :func:`draw_scyfi_step` draws one such step of a 2-D model on
its phase plane, with a strip below showing the assumed and the actual region sequence:

- the assumed regions are hatched and outlined in the accent colour (orange), so they
  stand out on every region's own light fill;
- the candidate's points are joined in their order; points inside their assumed region are
  grey dots, points outside it are orange crosses (the virtual part of the candidate);
- a real cycle is drawn with the book's stability markers (filled blue: stable, open red:
  unstable);
- the strip's lower row (actual regions) is the next step's upper row (assumed) whenever
  the step was virtual: that is the jump.

:func:`scyfi_stepper` wraps this in ipywidgets (Next, Reset and a seed box) driven by
:func:`plrnn_lib.trace_scyfi`; :func:`scyfi_animation` renders the same steps as a
JavaScript animation (:meth:`matplotlib.animation.Animation.to_jshtml`) for the static book.
:func:`draw_cycles` draws the cycles a search returned.
"""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, as_int
from ..cycles import ScyfiTrace, trace_scyfi
from ..cycles.cycle import Cycle
from ..cycles.keys import region_code
from ..models.base import PiecewiseAffineModel
from ._animation import render_jshtml
from ._limits import as_limits as _limits
from ._live import LiveFigure
from .phase import draw_regions, region_codes_on_grid
from .style import COLORS, REGION_FILLS, stability_marker

#: gid of the line that holds the candidate's points in :func:`draw_scyfi_step` (for tests).
CANDIDATE_GID = "scyfi-candidate"


# -- argument checks ----------------------------------------------------------------------------
def _require_model_2d(model):
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    if model.M != 2:
        raise ValueError(f"model must have M = 2 latent states for a phase plane, got M = {model.M}")


def _require_trace(trace, model=None):
    if not isinstance(trace, ScyfiTrace):
        raise TypeError(f"trace must be a ScyfiTrace from plrnn_lib.trace_scyfi, got {type(trace).__name__}")
    if len(trace) == 0:
        raise ValueError("trace must hold at least one step")
    if model is not None and trace.points.shape[2] != model.M:
        raise ValueError(f"trace has points of dimension {trace.points.shape[2]}, but the model has M = {model.M}")


def region_label(d):
    """A sign pattern as a string of 0s and 1s, e.g. ``'10'`` for ``d = (1, 0)``."""
    return "".join("1" if b else "0" for b in np.asarray(d, dtype=bool))


def view_limits(points, pad=0.15, min_width=1.0, include_origin=True):
    """Axis limits ``(xlim, ylim)`` that contain every finite point of ``points`` (..., 2).

    Each side is widened by ``pad`` times the span (at least ``min_width`` wide), and by
    default the origin, where the PLRNN's switching boundaries cross, is kept in view.
    """
    pts = as_float_array("points", points, finite=False)
    if pts.ndim < 1 or pts.shape[-1] != 2:
        raise ValueError(f"points must have shape (..., 2), got {pts.shape}")
    pts = pts.reshape(-1, 2)
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if include_origin:
        pts = np.vstack([pts, np.zeros((1, 2))])
    if pts.shape[0] == 0:
        return (-1.0, 1.0), (-1.0, 1.0)
    lims = []
    for lo, hi in zip(pts.min(axis=0), pts.max(axis=0)):
        span = max(hi - lo, min_width)
        mid = 0.5 * (lo + hi)
        lo, hi = min(lo, mid - span / 2), max(hi, mid + span / 2)
        lims.append((float(lo - pad * span), float(hi + pad * span)))
    return lims[0], lims[1]


# -- cycles -------------------------------------------------------------------------------------
def draw_cycles(ax, cycles, *, lines=True, ms=6, label=True):
    """Draw cycles on a 2-D phase plane: points with the stability markers, joined in order.

    Stable cycles are filled blue, unstable and saddle cycles open red (see
    :func:`~plrnn_lib.plotting.stability_marker`).  With ``lines=True`` consecutive points
    are joined by a thin line that closes the loop.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    cycles : Cycle or iterable of Cycle
        E.g. a :class:`~plrnn_lib.cycles.CycleSet`; every cycle must have 2-D points.
    lines : bool
    ms : float
        Marker size.
    label : bool
        Give each cycle a legend label such as ``'stable 16-cycle'``.

    Returns
    -------
    list of Line2D
        The marker lines, one per cycle, in the order drawn.
    """
    if isinstance(cycles, Cycle):
        cycles = [cycles]
    if isinstance(cycles, (str, bytes)) or not hasattr(cycles, "__iter__"):
        raise TypeError(f"cycles must be a Cycle or an iterable of Cycle, got {type(cycles).__name__}")
    cycles = list(cycles)
    for i, c in enumerate(cycles):
        if not isinstance(c, Cycle):
            raise TypeError(f"cycles[{i}] must be a Cycle, got {type(c).__name__}")
        if c.points.shape[1] != 2:
            raise ValueError(f"cycles[{i}] has {c.points.shape[1]}-D points; draw_cycles needs 2-D ones")
    drawn = []
    for c in cycles:
        style = stability_marker(c.stable)
        if lines and c.order > 1:
            loop = np.vstack([c.points, c.points[:1]])
            ax.plot(loop[:, 0], loop[:, 1], "-", color=style["markeredgecolor"], lw=0.8,
                    alpha=0.6, zorder=3)
        what = "fixed point" if c.order == 1 else f"{c.order}-cycle"
        (line,) = ax.plot(c.points[:, 0], c.points[:, 1], ms=ms, zorder=4,
                          label=f"{c.stability} {what}" if label else None, **style)
        drawn.append(line)
    return drawn


# -- one SCYFI step -----------------------------------------------------------------------------
#: Hatch pattern of the assumed regions in :func:`draw_scyfi_step`.
ASSUMED_HATCH = "///"


def _mark_assumed(ax, model, assumed, xlim, ylim, n=120):
    """Hatch and outline, in the accent colour, every region of the view that is assumed.

    A translucent tint would mix with the region's own fill (orange over the lilac of
    d = 11 looks pink), so the colour named in the text would not be the colour seen;
    hatching keeps the accent colour pure on any fill.  Returns whether anything was marked.
    """
    import matplotlib as mpl

    X, Y, codes = region_codes_on_grid(model, xlim, ylim, n)
    wanted = [region_code(d) for d in assumed]
    mask = np.isin(codes, wanted).astype(float)
    if not mask.any():
        return False
    # the hatch colour of a collection is read from rcParams when the collection is made
    with mpl.rc_context({"hatch.color": COLORS["accent"], "hatch.linewidth": 1.0}):
        ax.contourf(X, Y, mask, levels=[0.5, 1.5], colors="none", hatches=[ASSUMED_HATCH],
                    zorder=0.5)
    if 0 < mask.sum() < mask.size:
        ax.contour(X, Y, mask, levels=[0.5], colors=COLORS["accent"], linewidths=1.6,
                   zorder=0.6)
    return True


def _legend_handles(marked, virtual, real_style):
    """Proxy artists for the legend of one step: only what the step shows."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    if marked:
        handles.append(Patch(facecolor="none", edgecolor=COLORS["accent"], hatch=ASSUMED_HATCH,
                             label="assumed regions"))
    if virtual:
        handles.append(Line2D([], [], marker="o", color=COLORS["virtual"], ls="-", lw=0.8,
                              ms=5, label="candidate points"))
        handles.append(Line2D([], [], marker="x", color=COLORS["accent"], ls="none", ms=8,
                              mew=2.2, label="outside assumed region"))
    if real_style is not None:
        handles.append(Line2D([], [], label="real cycle (stable)" if real_style[1] else
                              "real cycle (unstable)", **real_style[0]))
    return handles


def _draw_strip(ax, assumed, actual, status):
    """Two rows of k cells: the assumed regions (top) and the actual ones (bottom)."""
    k = assumed.shape[0]
    ax.clear()
    for row, seq, name in ((1, assumed, "assumed"), (0, actual, "actual")):
        for j, d in enumerate(seq):
            code = region_code(d)
            bad = row == 0 and not np.array_equal(d, assumed[j])
            ax.add_patch(_rect(j, row, REGION_FILLS[code % len(REGION_FILLS)],
                               COLORS["accent"] if bad else "#999999", 2.0 if bad else 0.6))
            if status != "singular" or row == 1:
                ax.text(j + 0.5, row + 0.5, region_label(d), ha="center", va="center",
                        fontsize=7 if k > 8 else 9, family="monospace")
        ax.text(-0.2, row + 0.5, name, ha="right", va="center", fontsize=9)
    ax.set_xlim(-0.05, k + 0.05)
    ax.set_ylim(-0.05, 2.05)
    ax.set_axis_off()


def _rect(x, y, face, edge, lw):
    from matplotlib.patches import Rectangle

    return Rectangle((x + 0.04, y + 0.06), 0.92, 0.88, facecolor=face, edgecolor=edge, lw=lw)


#: What the title of the last step of a trace says instead of the next move (see ``end``).
END_TEXT = {"finished": "search finished: no new cycle in the last restarts",
            "recorded": "last recorded step (the search goes on)"}


def _move_text(step, end):
    if end is not None:
        return END_TEXT[end]
    if step.next_move == "jump":
        return "next: jump to the actual regions"
    return "next: redraw random regions"


def draw_scyfi_step(model, step, xlim, ylim, *, ax=None, strip_ax=None, total=None, end=None,
                    legend=True):
    """Draw one SCYFI step of a 2-D model: assumed regions, candidate, actual regions, outcome.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
        The model the step belongs to (``M = 2``).
    step : TraceStep
        One step of :func:`plrnn_lib.trace_scyfi` (``trace[i]``).
    xlim, ylim : (float, float)
        The view; candidate points outside it are counted in the title.
    ax : matplotlib.axes.Axes, optional
        The phase plane (a new figure with a region strip below is made when omitted).
    strip_ax : matplotlib.axes.Axes, optional
        Where the assumed/actual region sequences are drawn (omitted: no strip).
    total : int, optional
        Number of steps of the trace, for the title ("step i of total").
    end : {None, 'finished', 'recorded'}
        For the last step of a trace: 'finished' when the search stopped there by itself
        (:attr:`ScyfiTrace.finished <plrnn_lib.cycles.ScyfiTrace>`), 'recorded' when only
        the recording stopped (``max_steps``).  The title then says so instead of naming a
        next move that will not be shown.
    legend : bool
        Add a legend of the marks the step shows (assumed regions, candidate, crosses).

    Returns
    -------
    ax : matplotlib.axes.Axes
        The phase plane.  Its line with gid :data:`CANDIDATE_GID` holds the candidate's
        points (in order); nothing is drawn for a singular step.
    """
    from ..cycles.trace import TraceStep

    _require_model_2d(model)
    if not isinstance(step, TraceStep):
        raise TypeError(f"step must be a TraceStep (an element of a ScyfiTrace), got {type(step).__name__}")
    if step.points.shape[1] != 2:
        raise ValueError(f"step has {step.points.shape[1]}-D points; the phase plane needs 2-D ones")
    xlim, ylim = _limits("xlim", xlim), _limits("ylim", ylim)
    if end is not None and end not in END_TEXT:
        raise ValueError(f"end must be None, 'finished' or 'recorded', got {end!r}")
    if ax is None:
        import matplotlib.pyplot as plt

        fig, (ax, strip_ax) = plt.subplots(2, 1, figsize=(5.2, 6.0), height_ratios=[5, 1])
    draw_regions(ax, model, xlim, ylim, label=True, n=150)
    marked = _mark_assumed(ax, model, step.assumed, xlim, ylim)
    pts = step.points
    k = pts.shape[0]
    real_style = None
    if step.status != "singular":
        inside = ~np.any(step.actual != step.assumed, axis=1)
        if k > 1:
            loop = np.vstack([pts, pts[:1]])
            ax.plot(loop[:, 0], loop[:, 1], "-", color=COLORS["virtual"], lw=0.8, zorder=3)
        if step.is_real:
            from ..cycles import cycle_candidate

            stable = bool(np.all(np.abs(np.linalg.eigvals(cycle_candidate(model, step.assumed).jacobian)) < 1))
            style = stability_marker(stable)
            real_style = (style, stable)
            (cand,) = ax.plot(pts[:, 0], pts[:, 1], ms=7, zorder=5, **style)
        else:
            (cand,) = ax.plot(pts[:, 0], pts[:, 1], "o", color=COLORS["virtual"], ms=5, zorder=4)
            ax.plot(pts[~inside, 0], pts[~inside, 1], "x", color=COLORS["accent"], ms=9, mew=2.2,
                    zorder=5)
        cand.set_gid(CANDIDATE_GID)
        ax.plot(*pts[0], "o", ms=11, mfc="none", mec=COLORS["orbit"], mew=1.0, zorder=6)
        outside = int(np.sum((pts[:, 0] < xlim[0]) | (pts[:, 0] > xlim[1])
                             | (pts[:, 1] < ylim[0]) | (pts[:, 1] > ylim[1])))
    else:
        outside = 0
    where = f" of {total}" if total is not None else ""
    title = f"step {step.index + 1}{where}: {step.status}\n{_move_text(step, end)}"
    if outside:
        title += f"  ({outside} points outside the view)"
    ax.set_title(title, fontsize=10)
    if legend:
        handles = _legend_handles(marked, step.status.startswith("virtual"), real_style)
        if handles:
            ax.legend(handles=handles, loc="best", fontsize=7, framealpha=0.9)
    if strip_ax is not None:
        _draw_strip(strip_ax, step.assumed, step.actual, step.status)
    return ax


# -- the live widget ----------------------------------------------------------------------------
#: Largest seed the stepper accepts.
MAX_SEED = 2 ** 31 - 1


class ScyfiStepper(LiveFigure):
    """A live widget that steps through SCYFI on a 2-D phase plane (build with :func:`scyfi_stepper`).

    Attributes
    ----------
    trace : ScyfiTrace
        The recorded search for the current seed.
    position : int
        Index of the step on display.
    next_button, reset_button : ipywidgets.Button
        *Next* is disabled on the last recorded step.
    seed_box : ipywidgets.IntText
        Changing the seed re-runs :func:`plrnn_lib.trace_scyfi` and goes back to step 1.  A
        seed outside ``0 .. MAX_SEED`` is refused: the box returns to the last valid seed and
        the status line says why (rather than clamping it silently).
    status : ipywidgets.HTML
        The status line: step, cycles found so far, and at the last step whether the search
        finished or only the recording stopped.
    output : ipywidgets.Output
    box : ipywidgets.Box
    figure : matplotlib Figure or None
        The figure of the last redraw.
    """

    def __init__(self, model, order, seed, max_steps, xlim, ylim, trace_kwargs):
        import ipywidgets as widgets

        self.model, self.order, self.max_steps = model, order, max_steps
        self._xlim, self._ylim = xlim, ylim
        self._trace_kwargs = trace_kwargs
        self.position = 0
        self.next_button = widgets.Button(description="Next", button_style="primary", icon="step-forward")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self._seed = seed
        self._message = ""
        self.seed_box = widgets.IntText(value=seed, description="seed", continuous_update=False,
                                        layout=widgets.Layout(width="180px"))
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self.next_button.on_click(lambda _: self.next())
        self.reset_button.on_click(lambda _: self.reset())
        self.seed_box.observe(self._new_seed, names="value")
        self.box = widgets.VBox([widgets.HBox([self.next_button, self.reset_button, self.seed_box]),
                                 self.status, self.output])
        self._retrace()

    def _retrace(self):
        self.trace = trace_scyfi(self.model, self.order, rng=self._seed,
                                 max_steps=self.max_steps, **self._trace_kwargs)
        if self._xlim is None or self._ylim is None:
            xl, yl = view_limits(self.trace.points)
            self.xlim = self._xlim or xl
            self.ylim = self._ylim or yl
        else:
            self.xlim, self.ylim = self._xlim, self._ylim
        self.position = 0
        self.redraw()

    def _new_seed(self, change=None):
        value = self.seed_box.value
        if value == self._seed:          # the box was set back after a refused seed
            return
        if not 0 <= value <= MAX_SEED:
            self._message = (f"seed {value} refused: a seed must be between 0 and {MAX_SEED:,}; "
                             f"still showing seed {self._seed}")
            self.seed_box.value = self._seed
            self._update_status()
            return
        self._message = ""
        self._seed = int(value)
        self._retrace()

    @property
    def seed(self):
        """The seed of the search on display."""
        return self._seed

    @property
    def at_end(self):
        """True on the last recorded step (then *Next* is disabled)."""
        return self.position == len(self.trace) - 1

    @property
    def step(self):
        """The :class:`~plrnn_lib.cycles.TraceStep` on display."""
        return self.trace[self.position]

    def next(self):
        """Advance one step (stays on the last recorded step) and redraw."""
        self.position = min(self.position + 1, len(self.trace) - 1)
        return self.redraw()

    def reset(self):
        """Go back to the first step and redraw."""
        self.position = 0
        return self.redraw()

    def draw(self):
        """Draw the current step on a new figure and return it."""
        import matplotlib.pyplot as plt

        fig, (ax, strip) = plt.subplots(2, 1, figsize=(5.2, 6.0), height_ratios=[5, 1])
        draw_scyfi_step(self.model, self.step, self.xlim, self.ylim, ax=ax, strip_ax=strip,
                        total=len(self.trace), end=self._end())
        return fig

    def _end(self):
        if not self.at_end:
            return None
        return "finished" if self.trace.finished else "recorded"

    def _update_status(self):
        n_found = int(np.sum(self.trace.status[: self.position + 1] == 1))
        text = (f"order k = {self.order}, seed {self._seed}: step {self.position + 1} of "
                f"{len(self.trace)}, {n_found} new cycle(s) found so far")
        if self.at_end:
            text += ("; the search finished here" if self.trace.finished else
                     f"; the last recorded step (max_steps = {self.max_steps})")
        if self._message:
            text += f"<br><b>{self._message}</b>"
        self.status.value = text

    def redraw(self, change=None):
        """Show the current step's figure and status line; return the figure."""
        self.next_button.disabled = self.at_end
        self._update_status()
        return super().redraw()


def scyfi_stepper(model, order, *, seed=0, max_steps=60, xlim=None, ylim=None, **trace_kwargs):
    """A live widget: step through SCYFI's search for ``order``-cycles of a 2-D model.

    Each press of *Next* shows the next iteration of :func:`plrnn_lib.trace_scyfi`: the
    assumed regions (hatched orange), the candidate cycle solved for them, the regions its
    points really lie in, whether it is real or virtual, and the move to the next step (see
    :func:`draw_scyfi_step`).  On the last recorded step *Next* is disabled and the title says
    whether the search finished there or only the recording stopped.  *Reset* goes back to
    the first step; the seed box re-runs the search with another random stream (a seed
    outside ``0 .. 2**31 - 1`` is refused with a message).  Needs a running kernel; for the
    static book use :func:`scyfi_animation`.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
        A 2-D model.
    order : int
        The cycle order k searched.
    seed : int
        Initial seed of the search (>= 0).
    max_steps : int
        Number of steps recorded (1 to 10,000).
    xlim, ylim : (float, float), optional
        The view; by default it contains every recorded candidate point.
    **trace_kwargs
        Passed to :func:`plrnn_lib.trace_scyfi` (``outer_loops``, ``inner_loops``, ...).

    Returns
    -------
    ScyfiStepper
    """
    _require_model_2d(model)
    order = as_int("order", order, minimum=1)
    seed = as_int("seed", seed, minimum=0, maximum=MAX_SEED)
    max_steps = as_int("max_steps", max_steps, minimum=1, maximum=10_000)
    xlim = None if xlim is None else _limits("xlim", xlim)
    ylim = None if ylim is None else _limits("ylim", ylim)
    for name in ("rng", "max_steps"):
        if name in trace_kwargs:
            raise TypeError(f"{name} is set by scyfi_stepper itself (use seed= and max_steps=)")
    return ScyfiStepper(model, order, seed, max_steps, xlim, ylim, trace_kwargs)


# -- the kernel-free version --------------------------------------------------------------------
def scyfi_animation(model, trace, xlim=None, ylim=None, *, interval=1200, dpi=72, max_frames=40):
    """A kernel-free animation of a SCYFI trace: one frame per recorded step.

    Frame ``i`` is :func:`draw_scyfi_step` of ``trace[i]`` (the last frame says whether the
    search finished there or only the recording stopped); the frames are rendered to PNG
    and embedded in a JavaScript player (:meth:`matplotlib.animation.Animation.to_jshtml`),
    so it runs in the static HTML book.  About 20 frames at ``dpi=72`` take about 1 MB.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
        The 2-D model the trace was recorded for.
    trace : ScyfiTrace
        From :func:`plrnn_lib.trace_scyfi` (at most ``max_frames`` steps).
    xlim, ylim : (float, float), optional
        The view; by default it contains every candidate point of the trace.
    interval : int
        Milliseconds between frames (>= 10).
    dpi : int
        Resolution of the frames (20 to 200).
    max_frames : int
        Refuse longer traces, which would bloat the page.

    Returns
    -------
    IPython.display.HTML
        The player; its ``.data`` is the HTML text.
    """
    import matplotlib.pyplot as plt

    _require_model_2d(model)
    _require_trace(trace, model)
    max_frames = as_int("max_frames", max_frames, minimum=1)
    if len(trace) > max_frames:
        raise ValueError(f"trace holds {len(trace)} steps, more than max_frames = {max_frames}; "
                         "record fewer steps (trace_scyfi(..., max_steps=...)) to keep the page small")
    auto_x, auto_y = view_limits(trace.points)
    xlim = auto_x if xlim is None else _limits("xlim", xlim)
    ylim = auto_y if ylim is None else _limits("ylim", ylim)
    interval = as_int("interval", interval, minimum=10)
    dpi = as_int("dpi", dpi, minimum=20, maximum=200)

    fig, (ax, strip) = plt.subplots(2, 1, figsize=(5.2, 6.0), dpi=dpi, height_ratios=[5, 1],
                                    layout="none")
    fig.subplots_adjust(left=0.14, right=0.96, bottom=0.02, top=0.9, hspace=0.25)

    last = len(trace) - 1
    end = "finished" if trace.finished else "recorded"

    def frame(i):
        ax.clear()
        draw_scyfi_step(model, trace[i], xlim, ylim, ax=ax, strip_ax=strip, total=len(trace),
                        end=end if i == last else None)

    return render_jshtml(fig, frame, len(trace), interval=interval, dpi=dpi, default_mode="once")
