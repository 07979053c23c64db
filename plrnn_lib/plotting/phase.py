"""Phase portraits of 2-D piecewise-linear maps: regions, switching boundaries, orbits."""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, as_int
from ..cycles.keys import region_codes
from ..models.base import PiecewiseAffineModel
from .style import COLORS, REGION_FILLS


def _require_2d(model):
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    if model.M != 2:
        raise ValueError(f"model must have M = 2 latent states for a phase portrait, got M = {model.M}")


def region_codes_on_grid(model, xlim, ylim, n=300):
    """Integer region code (sign pattern read as binary, first unit = lowest bit) on a grid.

    Returns ``(X, Y, codes)`` with ``codes[i, j]`` the region of ``(X[i, j], Y[i, j])``.
    """
    _require_2d(model)
    n = as_int("n", n, minimum=2)
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    Z = np.stack([X.ravel(), Y.ravel()], axis=1)
    parts = model.affine_parts()
    bits = (Z @ parts.G.T + parts.g) > 0
    codes = region_codes(bits).reshape(X.shape)
    return X, Y, codes


def draw_regions(ax, model, xlim, ylim, label=True, n=300):
    """Shade the linear regions of a 2-D model, draw its switching boundaries and label regions.

    For the PLRNN the boundaries are the axes ``z_1 = 0`` and ``z_2 = 0``; for the shallow
    PLRNN the lines ``(W_2 z + h_2)_k = 0``.  With ``label=True`` each region is labelled
    with its sign pattern ``d``.
    """
    X, Y, codes = region_codes_on_grid(model, xlim, ylim, n)
    present = np.unique(codes)
    lookup = {c: i for i, c in enumerate(present)}
    idx = np.vectorize(lookup.get)(codes)
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap([REGION_FILLS[int(c) % len(REGION_FILLS)] for c in present])
    ax.pcolormesh(X, Y, idx, cmap=cmap, shading="auto", vmin=-0.5, vmax=len(present) - 0.5,
                  rasterized=True, zorder=0)
    parts = model.affine_parts()
    G, g = parts.G, parts.g
    xs = np.linspace(*xlim, 2)
    for k in range(G.shape[0]):
        a, b = G[k]
        if abs(b) > 1e-12:
            ax.plot(xs, -(a * xs + g[k]) / b, color=COLORS["boundary"], lw=1.0, zorder=1)
        elif abs(a) > 1e-12:
            ax.axvline(-g[k] / a, color=COLORS["boundary"], lw=1.0, zorder=1)
    if label:
        H = G.shape[0]
        for c in present:
            mask = codes == c
            if mask.sum() < 0.01 * codes.size:
                continue
            cx, cy = X[mask].mean(), Y[mask].mean()
            d = "".join(str((int(c) >> k) & 1) for k in range(H))
            ax.text(cx, cy, f"d={d}", ha="center", va="center", fontsize=8, color="#555555", zorder=2)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    return ax


def draw_vector_field(ax, model, xlim, ylim, n=15):
    """Arrows from z to F(z) - z on an n x n grid (the one-step displacement)."""
    _require_2d(model)
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    Z = np.stack([X.ravel(), Y.ravel()], axis=1)
    F = np.array([model.step(z) for z in Z])
    D = F - Z
    ax.quiver(Z[:, 0], Z[:, 1], D[:, 0], D[:, 1], angles="xy", color="#9aa5b1", width=0.003,
              zorder=1)
    return ax


def draw_orbit(ax, model, z0, n_steps, n_transient=0, lines=True, **kwargs):
    """Simulate from ``z0`` and draw ``n_steps`` steps (points joined by thin lines) after
    the first ``n_transient`` steps, which are not drawn."""
    _require_2d(model)
    z0 = as_float_array("z0", z0, shape=(2,))
    n_steps = as_int("n_steps", n_steps, minimum=0)
    n_transient = as_int("n_transient", n_transient, minimum=0)
    traj = model.simulate(z0, n_transient + n_steps)[n_transient:]
    style = dict(color=COLORS["orbit"], ms=3, lw=0.6, zorder=3)
    style.update(kwargs)
    ax.plot(traj[:, 0], traj[:, 1], "o-" if lines else "o", **style)
    return traj
