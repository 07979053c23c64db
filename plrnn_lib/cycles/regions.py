"""Pools of linear regions that the cycle searches draw from.

For the PLRNN every one of the ``2**M`` sign patterns ``d = [z > 0]`` is a region.  For the
shallow PLRNN the regions are sign patterns of ``W2 z + h2``: an arrangement of H
hyperplanes in R^M has at most ``sum_{i<=M} C(H, i)`` cells, so most of the ``2**H``
patterns never occur and drawing them would waste the search (Eisenmann et al., 2023,
appendix; the reference code draws from patterns seen along trajectories).
"""
from __future__ import annotations

import numpy as np

from .._checks import as_int, as_real, as_rng
from ._arguments import check_model
from .keys import code_order, regions_from_codes

#: all_regions refuses more gates than this (2**24 rows of bools already take 400 MB).
MAX_ALL_REGIONS_GATES = 24


def all_regions(n_gates):
    r"""Every sign pattern of ``n_gates`` bits, shape (2**n_gates, n_gates); row r has bits of r.

    Row :math:`r` is the pattern :math:`d` with :math:`d_m = \lfloor r / 2^m \rfloor \bmod 2`
    for :math:`m = 0, \dots,` ``n_gates - 1``, so its region code
    :math:`\sum_m d_m 2^m` is :math:`r`.  For a PLRNN with M units these are its
    :math:`2^M` linear regions :math:`d = [z > 0]`, all nonempty (Eisenmann et al., 2023).
    """
    n_gates = as_int("n_gates", n_gates, minimum=0, maximum=MAX_ALL_REGIONS_GATES)
    return regions_from_codes(np.arange(2 ** n_gates), n_gates)


def sampled_regions(model, rng=None, n_starts=200, n_steps=100, scale=None):
    r"""Sign patterns that occur at sampled points and along simulated trajectories.

    ``n_starts`` points are drawn from N(0, scale^2 I) (``scale`` defaults to
    ``2 (1 + max |b| + max |g|)``, the size of the region where the biases place the
    hyperplanes and the dynamics); each is iterated ``n_steps`` times, and the sign patterns
    ``[G z + g > 0]`` of every finite point (starts included) form the pool:

    .. math:: \bigl\{\, [G z^{(i)}_t + g > 0] \;:\; z^{(i)}_0 \sim N(0, s^2 I),\;
              z^{(i)}_t = F(z^{(i)}_{t-1}),\; i \le n_{\mathrm{starts}},\;
              0 \le t \le n_{\mathrm{steps}} \,\bigr\},

    with :math:`s` = ``scale``; an orbit is dropped from the step at which it leaves
    :math:`\lVert z \rVert_\infty \le 10^{12}` or stops being finite.  Points on attractors
    and transients are where cycles live, the starts cover the cells near them.  Drawing
    SCYFI's random regions from such a pool rather than from all :math:`2^H` patterns follows
    the public code of SCYFI (Eisenmann et al., 2023) for the shallow PLRNN
    (Hess et al., 2023).

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
    rng : None, int or numpy.random.Generator
        Source of the starting points.
    n_starts, n_steps : int
    scale : float, optional

    Returns
    -------
    ndarray of bool, (n_patterns, n_gates)
        Distinct patterns, in lexicographic order of the rows (first gate first; the order
        SCYFI's random draws index into).
    """
    check_model(model)
    rng = as_rng(rng)
    n_starts = as_int("n_starts", n_starts, minimum=1)
    n_steps = as_int("n_steps", n_steps, minimum=0)
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    if scale is None:
        scale = 2.0 * (1.0 + np.max(np.abs(b)) + (np.max(np.abs(g)) if g.size else 0.0))
    scale = as_real("scale", scale, minimum=0.0)
    z = rng.normal(0.0, scale, size=(n_starts, model.M))
    patterns = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_steps + 1):
            u = z @ G.T + g
            ok = np.all(np.isfinite(u), axis=1)
            patterns.append(u[ok] > 0)
            z = z @ A.T + np.maximum(u, 0.0) @ W.T + b
            # diverging orbits carry no further information
            z[~np.all(np.isfinite(z), axis=1) | (np.abs(z).max(axis=1) > 1e12)] = np.nan
    pats = np.unique(np.concatenate(patterns), axis=0)
    return np.ascontiguousarray(pats.astype(bool))


def realisable_regions(model, max_patterns=2 ** 16):
    r"""Exactly the sign patterns ``[G z + g > 0]`` whose region has an interior point.

    A pattern :math:`d \in \{0, 1\}^H` is kept when, with :math:`s_i = 2 d_i - 1`,

    .. math:: t^* = \max_{z \in \mathbb{R}^M,\; t \le 1} \; t
              \quad\text{subject to}\quad s_i\, (G_i z + g_i) \ge t, \quad i = 1, \dots, H,

    is positive (above :math:`10^{-9}\,(1 + \max|G| + \max|g|)`).  An arrangement of H
    hyperplanes in :math:`\mathbb{R}^M` has at most :math:`\sum_{i=0}^{M} \binom{H}{i}`
    cells, far fewer than :math:`2^H` when :math:`H \gg M`, as in a shallow PLRNN
    (Hess et al., 2023); these cells are the regions a cycle search can visit
    (Eisenmann et al., 2023).

    Built gate by gate: a pattern of the first j gates is extended by one bit only when a
    linear programme (scipy HiGHS) finds z with ``s_i (G_i z + g_i) >= t`` for t > 0, so the
    number of programmes grows with the number of cells, not with ``2**H``.  Cells already
    witnessed by a point of a random cloud (strictly inside: no ``G_i z + g_i = 0``) skip
    their programme, which leaves only the small, far-out cells to linear programming.  For
    the PLRNN this is all ``2**M`` patterns.

    Returns
    -------
    ndarray of bool, (n_patterns, n_gates)
    """
    from scipy.optimize import linprog

    check_model(model)
    max_patterns = as_int("max_patterns", max_patterns, minimum=1)
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    if gate_is_identity:
        return all_regions(model.n_gates)
    H, M = G.shape
    scale = 1.0 + np.max(np.abs(G)) + np.max(np.abs(g))
    cost = np.zeros(M + 1)
    cost[-1] = -1.0  # maximise the margin t
    bounds = [(None, None)] * M + [(None, 1.0)]
    cloud_rng = np.random.default_rng(0)
    spread = 1.0 + np.max(np.abs(g)) / max(np.min(np.linalg.norm(G, axis=1)), 1e-300)
    cloud = np.concatenate([cloud_rng.normal(0.0, s * spread, size=(4000, M))
                            for s in (0.1, 0.3, 1.0, 3.0, 10.0)])
    u = cloud @ G.T + g
    witnesses = (u > 0)[np.all(u != 0, axis=1)]
    prefixes = [np.zeros(0, dtype=bool)]
    for j in range(H):
        seen = {w.tobytes() for w in witnesses[:, : j + 1]}
        extended = []
        for p in prefixes:
            for bit in (False, True):
                pat = np.append(p, bit)
                if pat.tobytes() in seen:
                    extended.append(pat)
                    continue
                sign = np.where(pat, 1.0, -1.0)
                # -s_i (G_i z + g_i) + t <= 0
                A_ub = np.hstack([-sign[:, None] * G[: j + 1], np.ones((j + 1, 1))])
                b_ub = sign * g[: j + 1]
                res = linprog(cost, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
                if res.status == 0 and -res.fun > 1e-9 * scale:
                    extended.append(pat)
        prefixes = extended
        if len(prefixes) > max_patterns:
            raise ValueError(f"more than max_patterns={max_patterns} realisable regions")
    pats = np.array(prefixes, dtype=bool).reshape(-1, H)
    return np.ascontiguousarray(pats[code_order(pats)])
