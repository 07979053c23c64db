r"""Figures for chapter 5: bifurcation diagrams, bifurcation manifolds and a sweep widget.

All pictures read the results of the sweeps in ``plrnn_lib.bifurcations``
(Eisenmann et al., 2023, section 3 and Fig. 2):

- :func:`plot_bifurcation_diagram`: every cycle point found by ``pl.sweep`` against the
  parameter, stable filled blue, unstable open red, with each located bifurcation marked by a
  vertical line in the colour of its kind;
- :func:`plot_manifolds`: a parameter plane (``pl.sweep_grid``, or the arrays stored by
  ``scripts/toy_bifurcation_grid.py``) coloured by the number of stable objects, with the
  located bifurcation points on top, one marker per kind;
- :func:`plot_cobweb` (1-D maps) and :func:`plot_phase_cycles` (2-D maps): the dynamics at one
  parameter value, with the cycles found there;
- :func:`bifurcation_explorer`: a live widget, a slider over the sweep's values that redraws
  the phase portrait beside the bifurcation diagram;
- :func:`bifurcation_animation`: the same picture as a kernel-free ``to_jshtml`` animation.

The four kinds of bifurcation of a piecewise-linear map, and the persistence events that are
not bifurcations, keep one colour and one marker in every figure (:data:`KIND_STYLES`).
"""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, as_int, as_real
from ..bifurcations.events import (BORDER_COLLISION, CENTRE, DEGENERATE_FLIP,
                                   DEGENERATE_TRANSCRITICAL, PERSISTENCE)
from ..bifurcations.sweep import GridSweep, Sweep, _grid_from_arrays, _kinds_filter
from ..models.base import PiecewiseAffineModel
from ._animation import render_jshtml
from ._limits import as_limits
from ._live import LiveFigure
from .phase import draw_regions
from .style import COLORS, stability_marker

#: One colour, marker and short name per kind of bifurcation, shared by every figure.
KIND_STYLES = {
    BORDER_COLLISION: dict(color="#7b3294", marker="s", short="BCB"),
    DEGENERATE_TRANSCRITICAL: dict(color="#e66101", marker="^", short="DTB"),
    DEGENERATE_FLIP: dict(color="#008837", marker="v", short="flip"),
    CENTRE: dict(color="#0571b0", marker="D", short="NS type"),
    # not a bifurcation: drawn light, and named so in legends
    PERSISTENCE: dict(color="#9a9a9a", marker="o", short="persist.",
                      legend="persistence (no bifurcation)"),
}

#: Kernel-free animations refuse more frames than this (each frame is a PNG in the page).
MAX_FRAMES = 25


# -- argument checks ----------------------------------------------------------------------------
def _require_axes(ax, name="ax"):
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes, got {type(ax).__name__}")
    return ax


def _require_sweep(sweep_result, name="sweep_result"):
    if not isinstance(sweep_result, Sweep):
        raise TypeError(f"{name} must be the result of pl.sweep (a Sweep), got {type(sweep_result).__name__}")
    return sweep_result


def _require_family(family, sweep_result):
    if not callable(family):
        raise TypeError(f"family must be callable, p -> model (e.g. pl.ParameterFamily), got {type(family).__name__}")
    model = family(float(sweep_result.values[0]))
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"family must return a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    if model.M != 2:
        raise ValueError(f"family must give models with M = 2 latent states for a phase portrait, got M = {model.M}")
    return model


# -- the bifurcation diagram --------------------------------------------------------------------
def plot_bifurcation_diagram(ax, sweep_result, coordinate=0, *, kinds=None, annotate=None,
                             legend=True, markersize=3.0, current=None, xlabel="parameter $p$",
                             ylabel=None):
    r"""Draw a bifurcation diagram: every cycle point of a sweep against the parameter.

    For each parameter value :math:`p` of ``sweep_result`` and each cycle
    :math:`\{z^{(1)}, \dots, z^{(k)}\}` that ``pl.sweep`` found there, the points
    :math:`(p, z^{(j)}_m)`, ``m = coordinate``, are drawn: filled blue for stable cycles (all
    eigenvalues of the :math:`k`-step Jacobian inside the unit circle), open red for unstable
    ones.  Each located bifurcation (Eisenmann et al., 2023, section 3) is marked by a dotted
    vertical line at its parameter and a marker on the top edge, coloured by kind
    (:data:`KIND_STYLES`).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    sweep_result : Sweep
        The result of ``pl.sweep``.
    coordinate : int
        Which state coordinate to plot (0-based).
    kinds : str or sequence of str, optional
        Mark only bifurcations of these kinds (default: all).
    annotate : bool, optional
        Write the short name and the cycle orders next to each mark (default: when there are
        at most 6 sites).
    legend : bool or str
        Add a legend (stable, unstable, and each kind present); a string is its ``loc``.
    markersize : float
        Size of the cycle points.
    current : float, optional
        Mark this parameter value with a vertical line in the accent colour (the widget's
        slider position).
    xlabel, ylabel : str, optional
        Axis labels; ``ylabel`` defaults to :math:`z_{m}`.

    Returns
    -------
    dict
        ``"stable"`` and ``"unstable"``: the two ``Line2D`` of cycle points; ``"sites"``: the
        marked sites (see :meth:`~plrnn_lib.bifurcations.Sweep.sites`); ``"lines"``: their
        vertical lines; ``"current"``: the accent line or None.
    """
    _require_axes(ax)
    _require_sweep(sweep_result)
    coordinate = as_int("coordinate", coordinate, minimum=0)
    markersize = as_real("markersize", markersize, minimum=0.0)
    kinds = _kinds_filter(kinds)
    data = sweep_result.diagram(coordinate)
    artists = {}
    for stable, label in ((True, "stable cycle points"), (False, "unstable cycle points")):
        mask = data["stable"] == stable
        style = stability_marker(stable)
        style["markeredgewidth"] = 0.9
        (line,) = ax.plot(data["p"][mask], data["z"][mask], ms=markersize, label=label,
                          zorder=3 if stable else 2, **style)
        artists["stable" if stable else "unstable"] = line
    sites = sweep_result.sites(kinds)
    if annotate is None:
        annotate = len(sites) <= 6
    trans = ax.get_xaxis_transform()
    lines, seen = [], set()
    for n, s in enumerate(sites):
        st = KIND_STYLES[s["kind"]]
        name = st.get("legend", f"{s['kind']} ({st['short']})")
        label = name if s["kind"] not in seen else None
        seen.add(s["kind"])
        lines.append(ax.axvline(s["parameter"], color=st["color"], ls=":", lw=1.2, zorder=1))
        ax.plot([s["parameter"]], [1.0], transform=trans, marker=st["marker"], color=st["color"],
                ms=7, ls="none", clip_on=False, label=label, zorder=4)
        if annotate:
            orders = ",".join(str(k) for k in s["orders"])
            ax.annotate(f"{st['short']} (k={orders})", (s["parameter"], 1.0), xycoords=trans,
                        xytext=(3, -4 - 11 * (n % 2)), textcoords="offset points", fontsize=8,
                        color=st["color"], ha="left", va="top")
    artists["sites"], artists["lines"] = sites, lines
    artists["current"] = None
    if current is not None:
        current = as_real("current", current)
        artists["current"] = ax.axvline(current, color=COLORS["accent"], lw=2.0, alpha=0.8, zorder=0)
    ax.set_xlim(sweep_result.values[0], sweep_result.values[-1])
    # parameter values like -0.0375 run together at the default tick density
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel if ylabel is not None else f"$z_{{{coordinate + 1}}}$")
    if legend:
        ax.legend(loc=legend if isinstance(legend, str) else "best", fontsize=8, framealpha=0.85)
    return artists


# -- bifurcation manifolds ----------------------------------------------------------------------
def plot_manifolds(ax, grid_result, *, count="stable", kinds=None, legend=True, colorbar=True,
                   markersize=3.0, xlabel=r"$\Delta a_{11}$", ylabel=r"$\Delta a_{22}$", vmax=None):
    r"""Draw bifurcation manifolds: a parameter plane coloured by the number of stable objects.

    Each grid point :math:`(p_1, p_2) = (\text{values1}[i], \text{values2}[j])` is a cell
    coloured by the number of stable cycles (``count="stable"``) or of all cycles
    (``count="cycles"``) found there.  Where this number changes, a bifurcation curve runs
    between the cells; the points located on it by bisection are drawn on top, with the
    marker and colour of their kind (:data:`KIND_STYLES`), as in Eisenmann et al. (2023,
    Fig. 2).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    grid_result : GridSweep or mapping
        A result of ``pl.sweep_grid``, or a mapping of its arrays (see
        :meth:`~plrnn_lib.bifurcations.GridSweep.to_arrays`), e.g. the ``numpy.load`` of the
        file written by ``scripts/toy_bifurcation_grid.py``.
    count : {"stable", "cycles"}
        What colours the cells.
    kinds : str or sequence of str, optional
        Which kinds of bifurcation point to draw (default: all).
    legend : bool
        Add a legend of the kinds present.
    colorbar : bool
        Add a colour bar with integer ticks.
    markersize : float
        Size of the bifurcation markers.
    xlabel, ylabel : str
        Axis labels (the defaults suit the toy model's plane).
    vmax : int, optional
        Top of the colour scale (default: the largest count); give the same value to two
        panels to compare them.

    Returns
    -------
    dict
        ``"mesh"``: the ``QuadMesh``; ``"points"``: kind -> ``Line2D`` of its markers;
        ``"colorbar"``: the colour bar or None; ``"counts"``: the (n1, n2) array drawn.
    """
    _require_axes(ax)
    if not isinstance(grid_result, GridSweep):
        if not hasattr(grid_result, "keys"):
            raise TypeError("grid_result must be a GridSweep (pl.sweep_grid) or a mapping of "
                            f"its arrays, got {type(grid_result).__name__}")
        grid_result = _grid_from_arrays(grid_result, "grid_result")
    data = {"values1": grid_result.values1, "values2": grid_result.values2,
            "n_cycles": grid_result.n_cycles(), "n_stable": grid_result.n_stable(),
            "event_points": grid_result.curves(),
            "event_kinds": np.array([b.kind for b in grid_result.bifurcations], dtype=str)}
    if count not in ("stable", "cycles"):
        raise ValueError(f"count must be 'stable' or 'cycles', got {count!r}")
    kinds = _kinds_filter(kinds)
    markersize = as_real("markersize", markersize, minimum=0.0)
    counts = data["n_stable"] if count == "stable" else data["n_cycles"]
    top = int(counts.max()) if vmax is None else as_int("vmax", vmax, minimum=0)
    top = max(top, 1)
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    base = plt.get_cmap("Greys" if count == "stable" else "Blues")
    cmap = ListedColormap([base(0.04 + 0.4 * i / top) for i in range(top + 1)])
    norm = BoundaryNorm(np.arange(-0.5, top + 1.5), cmap.N)
    mesh = ax.pcolormesh(data["values1"], data["values2"], counts.T, cmap=cmap, norm=norm,
                         shading="nearest", rasterized=True, zorder=0)
    points = {}
    for k in kinds:
        mask = data["event_kinds"] == k
        if not mask.any():
            continue
        st = KIND_STYLES[k]
        (points[k],) = ax.plot(data["event_points"][mask, 0], data["event_points"][mask, 1],
                               ls="none", marker=st["marker"], color=st["color"], ms=markersize,
                               markeredgewidth=0.0, label=st.get("legend", f"{k} ({st['short']})"),
                               zorder=2)
    cbar = None
    if colorbar:
        cbar = ax.figure.colorbar(mesh, ax=ax, ticks=np.arange(top + 1), shrink=0.85)
        cbar.set_label("stable objects" if count == "stable" else "cycles")
    ax.set_xlim(data["values1"][0], data["values1"][-1])
    ax.set_ylim(data["values2"][0], data["values2"][-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend and points:
        ax.legend(loc="lower left", fontsize=8, framealpha=0.85, markerscale=1.5)
    return {"mesh": mesh, "points": points, "colorbar": cbar, "counts": counts}


# -- the dynamics at one parameter value ---------------------------------------------------------
def plot_cobweb(ax, model, z0, n_steps=30, xlim=(-2.0, 2.0), *, title=None):
    r"""Cobweb plot of a 1-D piecewise-linear map :math:`z_t = F(z_{t-1})`.

    Draws the graph of :math:`F` (its kink at the switching boundary :math:`z = 0` for the
    PLRNN), the diagonal :math:`z_t = z_{t-1}` (fixed points are its crossings with the
    graph) and the staircase of the orbit from ``z0``: up to the graph, across to the diagonal.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    model : PLRNN or ShallowPLRNN
        A model with ``M = 1``.
    z0 : float
        Initial state (the orange dot).
    n_steps : int
        Steps of the staircase (>= 1).
    xlim : (float, float)
        The view, on both axes.
    title : str, optional

    Returns
    -------
    ndarray, shape (n_steps + 1,)
        The orbit drawn.
    """
    _require_axes(ax)
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    if model.M != 1:
        raise ValueError(f"model must have M = 1 latent state for a cobweb plot, got M = {model.M}")
    z0 = as_real("z0", z0)
    n_steps = as_int("n_steps", n_steps, minimum=1)
    xlim = as_limits("xlim", xlim)
    xs = np.union1d(np.linspace(*xlim, 201), [0.0])
    ys = np.array([model.step([x])[0] for x in xs])
    ax.axvline(0.0, color=COLORS["boundary"], lw=0.8, ls="--", zorder=0)
    ax.plot(xlim, xlim, color="#999999", lw=1.0, zorder=1, label="$z_t = z_{t-1}$")
    ax.plot(xs, ys, color=COLORS["orbit"], lw=1.8, zorder=2, label="$F(z)$")
    traj = model.simulate([z0], n_steps)[:, 0]
    # the staircase (z_0, z_0) -> (z_0, z_1) -> (z_1, z_1) -> (z_1, z_2) -> ...
    path_x = np.repeat(traj, 2)[:-1]
    path_y = np.concatenate([traj[:1], np.repeat(traj[1:], 2)])
    ax.plot(path_x, path_y, color=COLORS["accent"], lw=0.9, zorder=3)
    ax.plot([z0], [z0], "o", color=COLORS["accent"], ms=6, zorder=4)
    ax.set_xlim(*xlim)
    ax.set_ylim(*xlim)
    ax.set_xlabel("$z_{t-1}$")
    ax.set_ylabel("$z_t$")
    if title is not None:
        ax.set_title(title)
    return traj


def plot_phase_cycles(ax, model, cycles, xlim, ylim, *, z0=None, n_steps=400, n_transient=0,
                      regions=True, legend=True, title=None, markersize=5.0):
    """Phase portrait of a 2-D map with its cycles: stable filled blue, unstable open red.

    Shades the linear regions and draws the switching boundaries (as chapter 1), the points of
    each cycle in ``cycles`` joined in their order by a thin line, and optionally one orbit
    simulated from ``z0`` (dark dots: ``n_steps`` steps after ``n_transient`` transient steps
    that are not drawn).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    model : PLRNN or ShallowPLRNN
        A model with ``M = 2``.
    cycles : sequence of Cycle
        E.g. ``pl.find_cycles(model, k)`` or one entry of ``Sweep.cycles``.
    xlim, ylim : (float, float)
        The view.
    z0 : array_like, shape (2,), optional
        Initial state of an orbit to draw.
    n_steps, n_transient : int
        Steps of the orbit drawn, and the steps run before them that are not drawn.
    regions : bool
        Shade the linear regions.
    legend : bool
        Add a legend (stable / unstable).
    title : str, optional
    markersize : float

    Returns
    -------
    dict
        ``"stable"`` and ``"unstable"``: lists of ``Line2D`` (one per cycle);
        ``"orbit"``: the simulated states drawn, or None.
    """
    _require_axes(ax)
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    if model.M != 2:
        raise ValueError(f"model must have M = 2 latent states for a phase portrait, got M = {model.M}")
    xlim, ylim = as_limits("xlim", xlim), as_limits("ylim", ylim)
    n_steps = as_int("n_steps", n_steps, minimum=1)
    n_transient = as_int("n_transient", n_transient, minimum=0)
    markersize = as_real("markersize", markersize, minimum=0.0)
    if isinstance(cycles, (str, bytes)) or not hasattr(cycles, "__iter__"):
        raise TypeError(f"cycles must be a sequence of Cycle objects, got {type(cycles).__name__}")
    cycles = list(cycles)
    for c in cycles:
        if not hasattr(c, "points") or not hasattr(c, "stable"):
            raise TypeError(f"cycles must hold Cycle objects (with .points and .stable), got {type(c).__name__}")
    if regions:
        draw_regions(ax, model, xlim, ylim, label=False, n=100)
    orbit = None
    if z0 is not None:
        z0 = as_float_array("z0", z0, shape=(2,))
        with np.errstate(invalid="ignore", over="ignore"):
            orbit = model.simulate(z0, n_transient + n_steps)[n_transient:]
        ax.plot(orbit[:, 0], orbit[:, 1], "o", color=COLORS["orbit"], ms=1.6, alpha=0.6, zorder=2)
    out = {"stable": [], "unstable": [], "orbit": orbit}
    labelled = set()
    for c in sorted(cycles, key=lambda c: bool(c.stable)):
        stable = bool(c.stable)
        pts = np.vstack([c.points, c.points[:1]])
        color = COLORS["stable"] if stable else COLORS["unstable"]
        ax.plot(pts[:, 0], pts[:, 1], "-", color=color, lw=0.6, alpha=0.6, zorder=3)
        label = None if stable in labelled else ("stable cycle" if stable else "unstable cycle")
        labelled.add(stable)
        (line,) = ax.plot(c.points[:, 0], c.points[:, 1], ms=markersize, label=label,
                          zorder=5 if stable else 4, **stability_marker(stable))
        out["stable" if stable else "unstable"].append(line)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    if legend and labelled:
        ax.legend(loc="lower right", fontsize=8, framealpha=0.85)
    if title is not None:
        ax.set_title(title)
    return out


def _cycle_summary(cycles):
    n = len(cycles)
    n_stable = sum(1 for c in cycles if c.stable)
    orders = sorted({c.order for c in cycles})
    return f"{n} cycle{'s' if n != 1 else ''} (orders {', '.join(map(str, orders))}), {n_stable} stable" \
        if n else "no cycles found"


def draw_sweep_frame(axes, family, sweep_result, index, coordinate=0, xlim=(-1.0, 3.0),
                     ylim=(-3.5, 1.5), *, z0=None, n_steps=200, n_transient=200,
                     parameter_name="p",
                     diagram=True):
    """One frame of the sweep widget: the phase portrait at ``values[index]`` and the diagram.

    The left axes show :func:`plot_phase_cycles` of ``family(values[index])`` with the cycles
    the sweep found at that value; the right axes the :func:`plot_bifurcation_diagram` of the
    whole sweep with the current value marked in orange.

    Parameters
    ----------
    axes : tuple of two matplotlib.axes.Axes
        Phase portrait and diagram axes.
    family : callable
        The sweep's family, ``family(p)`` -> a 2-D model.
    sweep_result : Sweep
    index : int
        Which of the sweep's values to show.
    coordinate : int
        Coordinate plotted in the diagram.
    xlim, ylim : (float, float)
        View of the phase portrait.
    z0 : array_like, shape (2,), optional
        Initial state of an orbit drawn in the portrait.
    n_steps, n_transient : int
        Steps of the orbit drawn, after a transient of ``n_transient`` steps not drawn.
    parameter_name : str
        Name of the parameter in titles and labels (TeX allowed).
    diagram : bool
        Redraw the diagram (False keeps the diagram axes untouched).

    Returns
    -------
    dict
        ``"phase"``: the result of :func:`plot_phase_cycles`; ``"diagram"``: that of
        :func:`plot_bifurcation_diagram` or None.
    """
    _require_sweep(sweep_result)
    index = as_int("index", index, minimum=0, maximum=len(sweep_result.values) - 1)
    ax_phase, ax_diag = axes
    value = float(sweep_result.values[index])
    model = family(value)
    cycles = list(sweep_result.cycles[index])
    phase = plot_phase_cycles(ax_phase, model, cycles, xlim, ylim, z0=z0, n_steps=n_steps,
                              n_transient=n_transient, legend=True,
                              title=f"{parameter_name} = {value:.4f}")
    ax_phase.text(0.02, 0.98, _cycle_summary(cycles), transform=ax_phase.transAxes, ha="left",
                  va="top", fontsize=8, color="#333333", zorder=6,
                  bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.75))
    diag = None
    if diagram:
        diag = plot_bifurcation_diagram(ax_diag, sweep_result, coordinate, current=value,
                                        xlabel=parameter_name, annotate=False)
    return {"phase": phase, "diagram": diag}


def _check_view_args(family, sweep_result, coordinate, xlim, ylim, z0, n_steps, n_transient):
    _require_sweep(sweep_result)
    _require_family(family, sweep_result)
    coordinate = as_int("coordinate", coordinate, minimum=0, maximum=1)
    xlim, ylim = as_limits("xlim", xlim), as_limits("ylim", ylim)
    if z0 is not None:
        z0 = as_float_array("z0", z0, shape=(2,))
    n_steps = as_int("n_steps", n_steps, minimum=1)
    n_transient = as_int("n_transient", n_transient, minimum=0)
    return coordinate, xlim, ylim, z0, n_steps, n_transient


_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "mu": "μ",
          "lambda": "λ", "tau": "τ", "theta": "θ", "rho": "ρ", "sigma": "σ", "omega": "ω"}
_SUBSCRIPT_CHARS = "0123456789+-=()aeijklmnoprstuvx"
_SUBSCRIPTS = str.maketrans(_SUBSCRIPT_CHARS, "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


def plain_label(tex):
    r"""A TeX parameter name as plain text for a widget label: ``$\Delta a_{11}$`` -> Δa₁₁.

    Widget descriptions show their text verbatim, so TeX would appear raw; Greek letters
    become Unicode, subscripts Unicode subscripts (where one exists), and the rest of the
    markup is dropped.
    """
    import re

    if not isinstance(tex, str):
        raise TypeError(f"tex must be a string, got {type(tex).__name__}")
    text = tex.replace("$", "")
    text = re.sub(r"\\([A-Za-z]+)\s*", lambda m: _GREEK.get(m.group(1), m.group(1)), text)

    def sub(m):
        body = m.group(1) or m.group(2)
        if all(c in _SUBSCRIPT_CHARS for c in body):
            return body.translate(_SUBSCRIPTS)
        return "_" + body

    text = re.sub(r"_\{([^}]*)\}|_(\w)", sub, text)
    text = text.replace("{", "").replace("}", "").replace(" ", "")
    return text or "p"


# -- the live widget ----------------------------------------------------------------------------
class BifurcationExplorer(LiveFigure):
    """A live view of a sweep: a slider over its values, the phase portrait and the diagram.

    Build it with :func:`bifurcation_explorer` and show it as the last expression of a cell.
    Releasing the slider (``continuous_update=False``) redraws both panels; the cycles come
    from the sweep, so a redraw needs no new search.

    Attributes
    ----------
    slider : ipywidgets.SelectionSlider
        Its value is the index into ``sweep_result.values``.
    output : ipywidgets.Output
    box : ipywidgets.VBox
    figure : matplotlib Figure or None
        The figure of the last redraw.
    """

    def __init__(self, family, sweep_result, index, options):
        import ipywidgets as widgets

        self.family = family
        self.sweep_result = sweep_result
        self.options = options
        labels = [(f"{v:.4f}", i) for i, v in enumerate(sweep_result.values)]
        self.slider = widgets.SelectionSlider(
            options=labels, value=index, description=plain_label(options["parameter_name"]),
            continuous_update=False, layout=widgets.Layout(width="520px"),
            style={"description_width": "initial"})
        self.slider.observe(self.redraw, names="value")
        self.output = widgets.Output()
        self.box = widgets.VBox([self.slider, self.output])
        self.redraw()

    @property
    def index(self):
        """Index of the current value in ``sweep_result.values``."""
        return int(self.slider.value)

    @property
    def value(self):
        """The current parameter value."""
        return float(self.sweep_result.values[self.index])

    def draw(self):
        """Draw both panels for the current value on a new figure and return it."""
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=self.options["figsize"])
        draw_sweep_frame(axes, self.family, self.sweep_result, self.index, **self.options["frame"])
        return fig



def bifurcation_explorer(family, sweep_result, coordinate=0, xlim=(-1.0, 3.0), ylim=(-3.5, 1.5),
                         *, z0=None, n_steps=200, n_transient=200, start=None,
                         parameter_name="p",
                         figsize=(9.0, 4.0)):
    """A live widget: a slider over a sweep's values, the phase portrait beside the diagram.

    The left panel is the phase portrait of ``family(p)`` with the cycles the sweep found at
    ``p`` (stable filled blue, unstable open red) and, with ``z0``, one orbit; the right
    panel is the bifurcation diagram of the whole sweep with ``p`` marked (see
    :func:`draw_sweep_frame`).  Needs a running kernel; :func:`bifurcation_animation` is the
    kernel-free version.

    Parameters
    ----------
    family : callable
        The family the sweep ran on (``family(p)`` -> a model with ``M = 2``).
    sweep_result : Sweep
        The result of ``pl.sweep(family, values, ...)``.
    coordinate : int
        Coordinate in the diagram (0 or 1).
    xlim, ylim : (float, float)
        View of the phase portrait.
    z0 : array_like, shape (2,), optional
        Initial state of an orbit drawn in the portrait.
    n_steps, n_transient : int
        Steps of the orbit drawn, after a transient of ``n_transient`` steps not drawn.
    start : float, optional
        Initial slider position (the nearest sweep value; default: the middle one).
    parameter_name : str
        Name of the parameter in titles (TeX allowed).
    figsize : (float, float)

    Returns
    -------
    BifurcationExplorer
    """
    coordinate, xlim, ylim, z0, n_steps, n_transient = _check_view_args(
        family, sweep_result, coordinate, xlim, ylim, z0, n_steps, n_transient)
    values = sweep_result.values
    if start is None:
        index = len(values) // 2
    else:
        start = as_real("start", start)
        if not values[0] <= start <= values[-1]:
            raise ValueError(f"start must lie in the sweep's range [{values[0]}, {values[-1]}], got {start}")
        index = int(np.argmin(np.abs(values - start)))
    if not isinstance(parameter_name, str):
        raise TypeError(f"parameter_name must be a string, got {type(parameter_name).__name__}")
    figsize = tuple(as_float_array("figsize", figsize, shape=(2,)))
    options = {"parameter_name": parameter_name, "figsize": figsize,
               "frame": dict(coordinate=coordinate, xlim=xlim, ylim=ylim, z0=z0, n_steps=n_steps,
                             n_transient=n_transient, parameter_name=parameter_name)}
    return BifurcationExplorer(family, sweep_result, index, options)


# -- the kernel-free version ----------------------------------------------------------------------
def frame_indices(sweep_result, values=None, n_frames=MAX_FRAMES):
    """Indices into ``sweep_result.values`` of the frames of :func:`bifurcation_animation`.

    Parameters
    ----------
    sweep_result : Sweep
    values : array_like, optional
        Parameter values to show; each must be one of the sweep's values (to 1e-9 relative
        to the sweep's range).  Default: ``n_frames`` values evenly spread over the sweep.
    n_frames : int
        Number of frames when ``values`` is not given (at most the number of sweep values).

    Returns
    -------
    ndarray of int
    """
    _require_sweep(sweep_result)
    grid = np.asarray(sweep_result.values, dtype=float)
    if values is None:
        n_frames = as_int("n_frames", n_frames, minimum=1)
        n_frames = min(n_frames, grid.size)
        return np.unique(np.round(np.linspace(0, grid.size - 1, n_frames)).astype(int))
    values = as_float_array("values", values, ndim=1)
    if values.size == 0:
        raise ValueError("values must hold at least one value")
    scale = 1e-9 * max(grid[-1] - grid[0], 1e-12)
    idx = np.array([int(np.argmin(np.abs(grid - v))) for v in values])
    bad = np.abs(grid[idx] - values) > scale
    if bad.any():
        raise ValueError(f"values must be values of the sweep; {values[bad][0]!r} is not one of them")
    return idx


def bifurcation_animation(family, sweep_result, coordinate=0, xlim=(-1.0, 3.0), ylim=(-3.5, 1.5),
                          *, values=None, n_frames=MAX_FRAMES, z0=None, n_steps=200,
                          n_transient=200,
                          parameter_name="p", figsize=(9.0, 4.0), dpi=70, interval=600):
    """The kernel-free sweep view: :func:`bifurcation_explorer`'s picture as a JS animation.

    Frame ``i`` is :func:`draw_sweep_frame` at the ``i``-th chosen sweep value: the phase
    portrait with the cycles found there, and the bifurcation diagram (drawn once) with the
    current value marked.  The frames are embedded as PNGs in a self-contained player
    (``matplotlib.animation.Animation.to_jshtml``) that works in the static HTML book.  25
    frames at the default size and ``dpi=70`` take about 1 to 2 MB.

    Parameters
    ----------
    family, sweep_result, coordinate, xlim, ylim, z0, n_steps, n_transient, parameter_name, figsize
        As for :func:`bifurcation_explorer`.
    values : array_like, optional
        The sweep values to show, one per frame (see :func:`frame_indices`); at most
        :data:`MAX_FRAMES`.
    n_frames : int
        Number of evenly spread frames when ``values`` is not given (at most ``MAX_FRAMES``).
    dpi : int
        Resolution of the frames (30 to 150).
    interval : int
        Milliseconds between frames (>= 10).

    Returns
    -------
    IPython.display.HTML
        The player; ``.data`` is its HTML and ``.n_frames`` the number of frames.
    """
    import matplotlib.pyplot as plt

    coordinate, xlim, ylim, z0, n_steps, n_transient = _check_view_args(
        family, sweep_result, coordinate, xlim, ylim, z0, n_steps, n_transient)
    n_frames = as_int("n_frames", n_frames, minimum=1, maximum=MAX_FRAMES)
    idx = frame_indices(sweep_result, values, n_frames)
    if idx.size > MAX_FRAMES:
        raise ValueError(f"values holds {idx.size} frames, more than {MAX_FRAMES}; use fewer to keep the page small")
    dpi = as_int("dpi", dpi, minimum=30, maximum=150)
    interval = as_int("interval", interval, minimum=10)
    figsize = tuple(as_float_array("figsize", figsize, shape=(2,)))
    fig, (ax_phase, ax_diag) = plt.subplots(1, 2, figsize=figsize, dpi=dpi, layout="none")
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.9, wspace=0.28)
    diag = plot_bifurcation_diagram(ax_diag, sweep_result, coordinate, annotate=False,
                                    xlabel=parameter_name, current=float(sweep_result.values[idx[0]]))
    marker = diag["current"]

    def frame(i):
        ax_phase.clear()
        draw_sweep_frame((ax_phase, ax_diag), family, sweep_result, int(idx[i]), coordinate, xlim,
                         ylim, z0=z0, n_steps=n_steps, n_transient=n_transient,
                         parameter_name=parameter_name, diagram=False)
        v = float(sweep_result.values[idx[i]])
        marker.set_xdata([v, v])

    out = render_jshtml(fig, frame, len(idx), interval=interval, dpi=dpi)
    out.n_frames = int(len(idx))
    out.values = np.asarray(sweep_result.values)[idx]
    return out
