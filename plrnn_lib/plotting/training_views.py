"""Figures for Part III (chapters 6 and 7): moving pictures along parameter and training paths.

- :func:`frames_animation`: any per-frame drawing function as a kernel-free animation (the
  book's JavaScript player), for a picture that moves along a parameter path;
- :func:`draw_bifurcation_points`: the located bifurcation points of a parameter plane
  (``pl.sweep_grid`` or the stored toy-model grid) drawn over another picture of the same
  plane, such as a loss landscape, with the marker and colour of their kind.
"""
from __future__ import annotations

import numpy as np

from .._checks import as_int, as_real
from ._animation import render_jshtml
from ..bifurcations.sweep import GridSweep, _grid_from_arrays, _kinds_filter
from .bifurcation_views import KIND_STYLES, _require_axes


def frames_animation(fig, draw_frame, n_frames, *, interval=500, dpi=80):
    """A kernel-free animation: ``draw_frame(i)`` redraws ``fig`` for frame ``i``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure the frames are drawn into (closed afterwards).
    draw_frame : callable
        ``draw_frame(i)`` for ``i = 0 .. n_frames - 1``; it clears and redraws what moves.
    n_frames : int
        Number of frames (each is a PNG embedded in the page: keep it to a few dozen).
    interval : int
        Milliseconds per frame.
    dpi : float
        Resolution of the frames.

    Returns
    -------
    IPython.display.HTML
        The player; ``.data`` holds its HTML.
    """
    if not callable(draw_frame):
        raise TypeError("draw_frame must be a callable draw_frame(i)")
    n_frames = as_int("n_frames", n_frames, minimum=1, maximum=60)
    interval = as_int("interval", interval, minimum=1)
    dpi = as_real("dpi", dpi, minimum=10.0)
    return render_jshtml(fig, draw_frame, n_frames, interval=interval, dpi=dpi)


def draw_bifurcation_points(ax, grid_result, *, kinds=None, markersize=2.0, legend=True,
                            legend_loc="lower left"):
    """Draw the located bifurcation points of a parameter plane over ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    grid_result : GridSweep or mapping
        A ``pl.sweep_grid`` result or its stored arrays (``GridSweep.to_arrays()``).
    kinds : str or sequence of str, optional
        Which kinds to draw (default: all).
    markersize : float
    legend : bool
        Add a legend of the kinds drawn.
    legend_loc : str

    Returns
    -------
    dict
        kind -> ``Line2D`` of its markers.
    """
    _require_axes(ax)
    if not isinstance(grid_result, GridSweep):
        grid_result = _grid_from_arrays(grid_result, "grid_result")
    points = grid_result.curves()
    event_kinds = np.array([b.kind for b in grid_result.bifurcations], dtype=str)
    markersize = as_real("markersize", markersize, minimum=0.0)
    out = {}
    for k in _kinds_filter(kinds):
        mask = event_kinds == k
        if not np.any(mask):
            continue
        st = KIND_STYLES[k]
        (out[k],) = ax.plot(points[mask, 0], points[mask, 1],
                            ls="none", marker=st["marker"], color=st["color"], ms=markersize,
                            markeredgewidth=0.0, label=f"{k} ({st['short']})", zorder=3)
    if legend and out:
        ax.legend(loc=legend_loc, fontsize=8, framealpha=0.85, markerscale=2.0)
    return out
