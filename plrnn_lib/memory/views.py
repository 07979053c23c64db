r"""Figures and widgets of chapter 10: one unit's state and sensitivity as memory grows.

One panel shows a simulated input, the state :math:`h_t` and its sensitivity
:math:`\partial h_t/\partial\lambda` with their stationary two-standard-deviation bands; the
other places :math:`(\lambda, \rho)` on the curves :math:`\mathbb{E}[h^2]` and
:math:`\mathbb{E}[(\partial_\lambda h)^2]` (Zucchet and Orvieto, 2024). The live widget moves
:math:`\lambda` and :math:`\rho` with sliders; the kernel-free version is an animation over
:math:`\lambda` at a fixed :math:`\rho`.
"""
from __future__ import annotations

import numpy as np

from .._checks import as_int, as_real
from ..plotting._animation import render_jshtml
from ..plotting._live import LiveFigure
from ..plotting.style import COLORS, FIGSIZE
from .montecarlo import ar1_inputs, simulate_unit
from .signal import hidden_second_moment, sensitivity_second_moment

#: Largest :math:`\lambda` the chapter 10 views accept (the moments diverge at 1).
MAX_LAMBDA = 0.995


def _check_unit(lam, rho):
    lam = as_real("lam", lam, minimum=-MAX_LAMBDA, maximum=MAX_LAMBDA)
    rho = as_real("rho", rho, minimum=-1.0, maximum=1.0)
    return lam, rho


def draw_memory_panels(lam, rho, axes, *, n_show=400, seed=0):
    r"""Draw one unit's trajectories and its place on the moment curves into two axes.

    Left: the last ``n_show`` steps of an AR(1) input :math:`x_t` (correlation :math:`\rho`),
    the state :math:`h_t = \lambda h_{t-1} + x_t` and the sensitivity
    :math:`s_t = \lambda s_{t-1} + h_{t-1}`, each divided by its stationary standard deviation
    from the closed forms, so the bands at :math:`\pm 2` hold about 95 % of the points.
    Right: :math:`\mathbb{E}[h^2]` and :math:`\mathbb{E}[s^2]` against :math:`1 - \lambda`
    (log-log) at this :math:`\rho`, the current :math:`\lambda` marked
    (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    lam : float
        In [-0.995, 0.995].
    rho : float
        In [-1, 1].
    axes : sequence of two matplotlib Axes
    n_show : int
        Steps shown on the left.
    seed : int
        Seed of the input sequence.

    Returns
    -------
    dict
        ``{"h": ..., "dh_dlam": ...}``, the shown trajectories.
    """
    lam, rho = _check_unit(lam, rho)
    n_show = as_int("n_show", n_show, minimum=10)
    burn = int(np.ceil(40 / (1 - abs(lam))))
    x = ar1_inputs(1, burn + n_show, rho, rng=as_int("seed", seed, minimum=0))[0]
    h, s = simulate_unit(lam, x)
    h, s, x = h[-n_show:], s[-n_show:], x[-n_show:]
    sd_h = np.sqrt(hidden_second_moment(lam, rho))
    sd_s = np.sqrt(sensitivity_second_moment(lam, rho))
    left, right = axes
    t = np.arange(n_show)
    left.plot(t, x, color=COLORS["data"], lw=0.8, label="input $x_t$")
    left.plot(t, h / sd_h, color=COLORS["stable"], lw=1.1, label=r"$h_t / \sigma_h$")
    left.plot(t, s / sd_s, color=COLORS["accent"], lw=1.1,
              label=r"$\partial_\lambda h_t / \sigma_{\partial h}$")
    for y in (-2, 2):
        left.axhline(y, color=COLORS["boundary"], lw=0.7, ls="--")
    left.set_xlabel("time step (last steps of a long run)")
    left.set_ylabel("value / stationary s.d.")
    left.set_ylim(-4.5, 4.5)
    left.legend(loc="lower left", fontsize=8, ncols=3)
    left.set_title(rf"$\sigma_h = {sd_h:.3g}$,  $\sigma_{{\partial h}} = {sd_s:.3g}$",
                   fontsize=11)

    one_minus = np.logspace(-3, 0, 200)
    grid = 1 - one_minus[one_minus <= 1 - 1e-9]
    right.loglog(1 - grid, hidden_second_moment(grid, rho), color=COLORS["stable"],
                 label=r"$\mathbb{E}[h^2]$")
    right.loglog(1 - grid, sensitivity_second_moment(grid, rho), color=COLORS["accent"],
                 label=r"$\mathbb{E}[(\partial_\lambda h)^2]$")
    if lam > 0:
        right.loglog([1 - lam], [sd_h**2], "o", color=COLORS["stable"])
        right.loglog([1 - lam], [sd_s**2], "o", color=COLORS["accent"])
    right.invert_xaxis()
    right.set_xlabel(r"$1 - \lambda$ (memory grows to the right)")
    right.set_ylabel("second moment")
    right.set_title(rf"$\lambda = {lam:.3f}$, $\rho = {rho:.2f}$", fontsize=11)
    right.legend(loc="upper left", fontsize=9)
    return {"h": h, "dh_dlam": s}


class MemoryExplorer(LiveFigure):
    r"""Live sliders for :math:`\lambda` and :math:`\rho` over :func:`draw_memory_panels`.

    Build it with :func:`memory_explorer`; it redraws when a slider is released. The unit is
    :math:`h_t = \lambda h_{t-1} + x_t` with AR(1) inputs (Zucchet and Orvieto, 2024).

    Attributes
    ----------
    sliders : dict
        ``{"lam": FloatSlider, "rho": FloatSlider}``.
    output : ipywidgets.Output
    box : ipywidgets.Box
    figure : matplotlib Figure or None
    """

    def __init__(self, lam, rho, seed):
        import ipywidgets as widgets

        self.seed = seed
        self.sliders = {
            "lam": widgets.FloatSlider(value=lam, min=0.0, max=MAX_LAMBDA, step=0.005,
                                       description="λ", continuous_update=False,
                                       readout_format=".3f"),
            "rho": widgets.FloatSlider(value=rho, min=0.0, max=1.0, step=0.01,
                                       description="ρ", continuous_update=False,
                                       readout_format=".2f")}
        for s in self.sliders.values():
            s.observe(self.redraw, names="value")
        self.output = widgets.Output()
        self.box = widgets.VBox([widgets.HBox(list(self.sliders.values())), self.output])
        self.redraw()

    def draw(self):
        """Draw both panels for the sliders' values on a new figure and return it."""
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["wide"])
        draw_memory_panels(self.sliders["lam"].value, self.sliders["rho"].value, axes,
                           seed=self.seed)
        return fig


def memory_explorer(lam=0.9, rho=0.5, *, seed=0):
    r"""A live widget: sliders for :math:`\lambda` and :math:`\rho` of one recurrent unit.

    Shows :func:`draw_memory_panels` for :math:`h_t = \lambda h_{t-1} + x_t`,
    :math:`\mathbb{E}[x_t x_{t-\Delta}] = \rho^{|\Delta|}` (Zucchet and Orvieto, 2024). Needs a
    running kernel; the kernel-free version is :func:`memory_animation`.

    Parameters
    ----------
    lam : float
        Starting :math:`\lambda`, in [0, 0.995].
    rho : float
        Starting :math:`\rho`, in [0, 1].
    seed : int
        Seed of the shown input sequence.

    Returns
    -------
    MemoryExplorer
    """
    lam = as_real("lam", lam, minimum=0.0, maximum=MAX_LAMBDA)
    rho = as_real("rho", rho, minimum=0.0, maximum=1.0)
    return MemoryExplorer(lam, rho, as_int("seed", seed, minimum=0))


def memory_animation(rho, lam_values, *, seed=0, interval=600, dpi=80):
    r"""A kernel-free animation of :func:`draw_memory_panels` over ``lam_values`` at fixed ``rho``.

    Each frame is one :math:`\lambda` of the unit :math:`h_t = \lambda h_{t-1} + x_t`
    (Zucchet and Orvieto, 2024), rendered into a JavaScript player that runs in the static
    HTML book.

    Parameters
    ----------
    rho : float
    lam_values : array_like, shape (n_frames,)
        At most 30 values in [-0.995, 0.995].
    seed : int
    interval : int
        Milliseconds between frames.
    dpi : int

    Returns
    -------
    IPython.display.HTML
    """
    import matplotlib.pyplot as plt

    from .._checks import as_float_array

    rho = as_real("rho", rho, minimum=-1.0, maximum=1.0)
    lam_values = as_float_array("lam_values", lam_values, ndim=1)
    if not 1 <= lam_values.size <= 30:
        raise ValueError(f"lam_values must hold 1 to 30 values, got {lam_values.size}")
    for lam in lam_values:
        _check_unit(lam, rho)
    seed = as_int("seed", seed, minimum=0)
    fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["wide"], dpi=dpi, layout="none")
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.3)

    def frame(i):
        for ax in axes:
            ax.clear()
        draw_memory_panels(lam_values[i], rho, axes, seed=seed)

    return render_jshtml(fig, frame, lam_values.size, interval=as_int("interval", interval,
                                                                       minimum=10),
                         dpi=as_int("dpi", dpi, minimum=20, maximum=200))
