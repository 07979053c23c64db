r"""Lyapunov exponents, basins of attraction and the border-collision normal form.

A sweep (:func:`~plrnn_lib.sweep`) lists the fixed points and cycles of a map up to some
order, but an orbit need not end on any of them: it can wander on a chaotic attractor (which
holds infinitely many cycles, all unstable) or on a closed invariant curve.  The tools here
say what orbits actually do:

* :func:`lyapunov_exponents`: the whole Lyapunov spectrum of one orbit, by QR
  re-orthonormalisation of the products of region Jacobians (Benettin et al., 1980;
  Eckmann and Ruelle, 1985); a positive largest exponent means chaos;
* :func:`lyapunov_sweep`: the spectrum at every value of a one-parameter family;
* :func:`attractor_labels`: which stable cycle, if any, each of many initial states
  reaches, the raw material of a picture of basins of attraction;
* :func:`skew_tent_map` and :func:`robust_chaos_interval`: the one-dimensional
  border-collision normal form (Nusse and Yorke, 1992) and its region of robust chaos
  (Banerjee et al., 1998).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .._checks import as_float_array, as_int, as_real
from ..models import _kernels
from ..models.base import PiecewiseAffineModel

#: An orbit whose largest coordinate exceeds this (or turns inf/NaN) counts as diverging.
DIVERGENCE_BOUND = 1e100

#: A column of :math:`J Q` whose component orthogonal to the columns before it is at most
#: this fraction of its norm is numerically dependent on them: the Jacobian product has lost
#: a dimension (a singular region Jacobian), and its exponent is :math:`-\infty`.
RANK_TOL = 16 * np.finfo(float).eps

# Status codes of the kernels.
_OK, _DIVERGED = 0, 1


# -- numba kernels ------------------------------------------------------------------------------
@njit(cache=True)
def _diverged(z, bound):
    for i in range(z.shape[0]):
        if not (abs(z[i]) <= bound):  # also catches NaN
            return True
    return False


@njit(cache=True)
def _step_into(A, W, G, g, b, z, out, u, gate_is_identity):
    """out = F(z) = A z + W relu(G z + g) + b, in preallocated buffers (u holds the gates).

    The basin loop takes millions of steps of a small map; numba's matrix products allocate
    and call BLAS for every step, which costs more than the arithmetic itself.  (The
    Lyapunov kernel uses the models' own step instead, so that its orbit is exactly the one
    ``model.simulate`` returns: on a chaotic orbit a different rounding would give another
    orbit after a few dozen steps.)
    """
    M = z.shape[0]
    H = u.shape[0]
    for k in range(H):
        if gate_is_identity:
            s = z[k]
        else:
            s = g[k]
            for m in range(M):
                s += G[k, m] * z[m]
        u[k] = s if s > 0.0 else 0.0
    for i in range(M):
        s = b[i]
        for m in range(M):
            s += A[i, m] * z[m]
        for k in range(H):
            s += W[i, k] * u[k]
        out[i] = s


@njit(cache=True)
def _project_out(v, Q, j):
    """v minus its components along the columns 0..j-1 of Q, twice ("twice is enough"), in
    place; returns the norm of what is left."""
    M = v.shape[0]
    for _ in range(2):
        for i in range(j):
            r = 0.0
            for m in range(M):
                r += Q[m, i] * v[m]
            for m in range(M):
                v[m] -= r * Q[m, i]
    return math.sqrt(np.sum(v * v))


@njit(cache=True)
def _orthonormalise(V, Q, log_norms, rank_tol):
    """Gram-Schmidt of the columns of V into Q (in place); log of the new R diagonal.

    Two passes of modified Gram-Schmidt keep Q orthonormal to rounding.  A column that is
    numerically dependent on the ones before it gets log norm -inf and is replaced by the
    unit vector most orthogonal to them, so Q stays a basis.
    """
    M = V.shape[0]
    v = np.empty(M)
    for j in range(M):
        for i in range(M):
            v[i] = V[i, j]
        size = math.sqrt(np.sum(v * v))
        norm = _project_out(v, Q, j)
        if size > 0.0 and norm > rank_tol * size:
            log_norms[j] = math.log(norm)
            for m in range(M):
                Q[m, j] = v[m] / norm
            continue
        log_norms[j] = -np.inf
        best, best_norm = np.zeros(M), -1.0
        for e in range(M):
            w = np.zeros(M)
            w[e] = 1.0
            wn = _project_out(w, Q, j)
            if wn > best_norm:
                best, best_norm = w, wn
        for m in range(M):
            Q[m, j] = best[m] / best_norm


@njit(cache=True)
def _lyapunov_kernel(A, W, G, g, b, z0, n_transient, n_steps, gate_is_identity, bound,
                     rank_tol):
    """Sum over n_steps of log |R_jj| of the QR steps; returns (sums, status, steps done)."""
    M = A.shape[0]
    H = G.shape[0]
    z = z0.copy()
    for t in range(n_transient):
        z = _kernels.step(A, W, G, g, b, z, gate_is_identity)
        if _diverged(z, bound):
            return np.zeros(M), _DIVERGED, t + 1
    Q = np.eye(M)
    V = np.empty((M, M))
    GQ = np.empty((H, M))
    log_norms = np.empty(M)
    sums = np.zeros(M)
    for t in range(n_steps):
        u = _kernels.gate(G, g, z, gate_is_identity)     # d = [u > 0], the region of z
        # V = J(d) Q = A Q + W diag(d) G Q: the Jacobian of the step from z, applied to the
        # current orthonormal frame without forming J
        if gate_is_identity:
            for k in range(H):
                for j in range(M):
                    GQ[k, j] = Q[k, j]
        else:
            for k in range(H):
                for j in range(M):
                    s = 0.0
                    for m in range(M):
                        s += G[k, m] * Q[m, j]
                    GQ[k, j] = s
        for i in range(M):
            for j in range(M):
                s = 0.0
                for m in range(M):
                    s += A[i, m] * Q[m, j]
                for k in range(H):
                    if u[k] > 0.0:
                        s += W[i, k] * GQ[k, j]
                V[i, j] = s
        _orthonormalise(V, Q, log_norms, rank_tol)
        for j in range(M):
            sums[j] += log_norms[j]
        z = _kernels.step(A, W, G, g, b, z, gate_is_identity)
        if _diverged(z, bound):
            return sums, _DIVERGED, n_transient + t + 1
    return sums, _OK, n_transient + n_steps


@njit(cache=True)
def _labels_kernel(A, W, G, g, b, starts, targets, owners, n_steps, tol, gate_is_identity,
                   bound):
    """For each start: index of the target set (owners) first come within tol of, else -1/-2."""
    n, M = starts.shape
    out = np.empty(n, dtype=np.int64)
    steps = np.empty(n, dtype=np.int64)
    z = np.empty(M)
    nxt = np.empty(M)
    u = np.empty(G.shape[0])
    for s in range(n):
        for m in range(M):
            z[m] = starts[s, m]
        label = -1
        taken = n_steps
        for t in range(n_steps + 1):
            for p in range(targets.shape[0]):
                dist = 0.0
                for m in range(M):
                    dist = max(dist, abs(z[m] - targets[p, m]))
                if dist <= tol:
                    label = owners[p]
                    break
            if label >= 0:
                taken = t
                break
            if t == n_steps:
                break
            _step_into(A, W, G, g, b, z, nxt, u, gate_is_identity)
            z, nxt = nxt, z
            if _diverged(z, bound):
                label = -2
                taken = t + 1
                break
        out[s] = label
        steps[s] = taken
    return out, steps


# -- argument checks --------------------------------------------------------------------------
def _require_model(model):
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    return model


def _kernel_args(model):
    A, W, G, g, b, identity = model.affine_parts()
    return (np.ascontiguousarray(A), np.ascontiguousarray(W), np.ascontiguousarray(G),
            np.ascontiguousarray(g), np.ascontiguousarray(b)), bool(identity)


# -- Lyapunov exponents -------------------------------------------------------------------------
def lyapunov_exponents(model, z0, n_steps, n_transient=1000):
    r"""The Lyapunov spectrum of the orbit of ``model`` from ``z0``, by QR re-orthonormalisation.

    The orbit :math:`z_{t+1} = F(z_t)` is first run for ``n_transient`` steps
    (:math:`T` below), so that it has settled on its attractor.  Along the next
    :math:`n` = ``n_steps`` steps the tangent dynamics is the product of the region
    Jacobians :math:`J_t = J(d_t) = A + W\,\mathrm{diag}(d_t)\,G`,
    :math:`d_t = [G z_t + g > 0]`, and an orthonormal frame :math:`Q_t` follows it:

    .. math:: J_t\, Q_t = Q_{t+1} R_t, \qquad
              \lambda_i = \frac{1}{n} \sum_{t=T}^{T+n-1} \log \lvert (R_t)_{ii} \rvert ,

    with :math:`Q_T = I` and :math:`R_t` upper triangular with a positive diagonal
    (Benettin et al., 1980; Eckmann and Ruelle, 1985).  As :math:`n \to \infty` the
    :math:`\lambda_i` converge to the Lyapunov exponents of the orbit (Oseledets' theorem).
    Closed forms the tests check: on an orbit that stays in one region the map is affine
    and :math:`\lambda_i = \log\lvert\mu_i\rvert`, :math:`\mu_i` the eigenvalues of
    :math:`J(d)`; on a stable :math:`k`-cycle :math:`\lambda_i = \log\lvert\mu_i\rvert / k`,
    :math:`\mu_i` its multipliers (the eigenvalues of :math:`P = J_k \cdots J_1`,
    Eisenmann et al., 2023); and always
    :math:`\sum_i \lambda_i = \frac1n \sum_t \log\lvert\det J_t\rvert`.

    A positive largest exponent on a bounded orbit means chaos: nearby orbits separate
    like :math:`e^{\lambda_1 t}`.  An exponent of 0 (within :math:`O(1/n)`) belongs to a
    quasi-periodic orbit on a closed invariant curve, or to a non-hyperbolic cycle.  A
    region Jacobian that is singular (a zero column of :math:`A + W D`, common in PLRNNs)
    annihilates a direction for good: that exponent is :math:`-\infty`.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
        External inputs (C) are ignored: the exponents of the autonomous map.
    z0 : array_like, shape (M,)
        Initial state.
    n_steps : int
        Steps averaged over (>= 1).  The error of an exponent decays like
        :math:`1/\sqrt{n}` on a chaotic attractor and like :math:`1/n` on a cycle.
    n_transient : int
        Steps run first and not averaged over (>= 0).

    Returns
    -------
    ndarray, shape (M,)
        :math:`\lambda_1 \ge \dots \ge \lambda_M`, in nats per step (``-inf`` for a
        direction a singular Jacobian annihilated).

    Raises
    ------
    ValueError
        When the orbit diverges (a coordinate beyond :data:`DIVERGENCE_BOUND` in absolute
        value): the exponents describe bounded orbits.

    Examples
    --------
    >>> import plrnn_lib as pl
    >>> tent = pl.skew_tent_map(1.5, -1.5)      # slopes of modulus 1.5 everywhere
    >>> float(pl.lyapunov_exponents(tent, [0.1], 10_000)[0])  # doctest: +ELLIPSIS
    0.405465...
    """
    _require_model(model)
    z0 = as_float_array("z0", z0, shape=(model.M,))
    n_steps = as_int("n_steps", n_steps, minimum=1)
    n_transient = as_int("n_transient", n_transient, minimum=0)
    arrays, identity = _kernel_args(model)
    sums, status, done = _lyapunov_kernel(*arrays, z0, n_transient, n_steps, identity,
                                          DIVERGENCE_BOUND, RANK_TOL)
    if status == _DIVERGED:
        raise ValueError(f"the orbit from z0 diverges (a coordinate passed "
                         f"{DIVERGENCE_BOUND:.0e} after {done} steps); Lyapunov exponents "
                         "are defined here for bounded orbits")
    return np.sort(sums / n_steps)[::-1]


def lyapunov_sweep(family, values, z0, n_steps, n_transient=1000, *, progress=True):
    r"""The Lyapunov spectrum along a one-parameter family, one orbit per value.

    For each :math:`p` in ``values`` the orbit of :math:`F_p` = ``family(p)`` from the same
    :math:`z_0` = ``z0`` gives :func:`lyapunov_exponents` (QR method: Benettin et al.,
    1980; Eckmann and Ruelle, 1985),

    .. math:: \lambda_i(p) = \lim_{n\to\infty} \frac1n \sum_{t} \log\lvert (R_t)_{ii}\rvert,
              \qquad J_p(d_t)\, Q_t = Q_{t+1} R_t .

    Plotted beside a bifurcation diagram (Eisenmann et al., 2023), :math:`\lambda_1(p)`
    tells the stable cycles (negative) from quasi-periodic motion (zero) and chaos
    (positive).

    Parameters
    ----------
    family : callable
        ``family(p)`` returns the model at parameter ``p`` (e.g. a ``ParameterFamily``).
    values : array_like, shape (n,)
        Parameter values.
    z0, n_steps, n_transient
        As for :func:`lyapunov_exponents`.
    progress : bool
        Show a progress bar over the values.

    Returns
    -------
    ndarray, shape (n, M)
        Row ``i`` is the spectrum at ``values[i]``, descending; a row of NaN where the orbit
        diverges.
    """
    from tqdm.auto import tqdm

    if not callable(family):
        raise TypeError(f"family must be callable, p -> model, got {type(family).__name__}")
    values = as_float_array("values", values, ndim=1)
    if values.size == 0:
        raise ValueError("values must hold at least one parameter value")
    n_steps = as_int("n_steps", n_steps, minimum=1)
    n_transient = as_int("n_transient", n_transient, minimum=0)
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True or False, got {type(progress).__name__}")
    first = _require_model(family(float(values[0])))
    z0 = as_float_array("z0", z0, shape=(first.M,))
    out = np.full((values.size, first.M), np.nan)
    for i, v in enumerate(tqdm(values, desc="Lyapunov exponents", disable=not progress,
                               leave=False)):
        model = _require_model(family(float(v)))
        try:
            out[i] = lyapunov_exponents(model, z0, n_steps, n_transient)
        except ValueError as exc:
            if "diverges" not in str(exc):
                raise
    return out


# -- basins of attraction -----------------------------------------------------------------------
def attractor_labels(model, starts, cycles, n_steps=5000, point_tol=1e-7):
    r"""Which of the given cycles each initial state reaches: the basins of attraction.

    Every start :math:`z_0` is iterated, :math:`z_{t+1} = F(z_t)`, until it comes within
    ``point_tol`` (max-norm) of a point of one of ``cycles``, for at most ``n_steps`` steps.  For
    stable cycles this labels the basin of attraction of each (the set of states whose
    orbits converge to it); a start that reaches none of them within ``n_steps`` lies in
    the basin of some other attractor (a cycle not listed, a chaotic attractor, an
    invariant curve) or converges too slowly to tell.  With two coexisting attractors
    this is the picture of multistability in Eisenmann et al. (2023): the same model,
    different long-run behaviour depending on :math:`z_0`.

    Near a stable cycle with multipliers :math:`\mu_i` an orbit approaches like
    :math:`\max_i\lvert\mu_i\rvert^{t/k}`, so ``n_steps`` must exceed about
    :math:`k \log(\mathrm{point\_tol}) / \log\max_i\lvert\mu_i\rvert` for starts to be labelled.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
    starts : array_like, shape (n, M)
        Initial states (e.g. a grid over the phase plane).
    cycles : sequence of Cycle
        The target cycles (usually the stable ones: an unstable cycle is reached only from
        its stable set).
    n_steps : int
        Largest number of steps per start.
    point_tol : float
        Distance to a cycle point (max-norm) that counts as arrived.

    Returns
    -------
    labels : ndarray of int, shape (n,)
        Index into ``cycles`` of the cycle reached, -1 when none was reached within
        ``n_steps``, -2 when the orbit diverged.
    steps : ndarray of int, shape (n,)
        Steps taken until arrival (``n_steps`` when none was reached).
    """
    _require_model(model)
    starts = as_float_array("starts", starts, ndim=2)
    if starts.shape[1] != model.M:
        raise ValueError(f"starts must have shape (n, {model.M}), got {starts.shape}")
    if isinstance(cycles, (str, bytes)) or not hasattr(cycles, "__iter__"):
        raise TypeError(f"cycles must be a sequence of Cycle objects, got {type(cycles).__name__}")
    cycles = list(cycles)
    points, owners = [], []
    for i, c in enumerate(cycles):
        pts = getattr(c, "points", None)
        if pts is None:
            raise TypeError(f"cycles must hold Cycle objects (with .points), got {type(c).__name__}")
        pts = as_float_array(f"cycles[{i}].points", pts, ndim=2)
        if pts.shape[1] != model.M:
            raise ValueError(f"cycles[{i}] has points of dimension {pts.shape[1]}, the model {model.M}")
        points.append(pts)
        owners.extend([i] * len(pts))
    n_steps = as_int("n_steps", n_steps, minimum=0)
    point_tol = as_real("point_tol", point_tol, minimum=0.0)
    targets = np.vstack(points) if points else np.empty((0, model.M))
    arrays, identity = _kernel_args(model)
    labels, steps = _labels_kernel(*arrays, starts, np.ascontiguousarray(targets),
                                   np.asarray(owners, dtype=np.int64), n_steps, point_tol, identity,
                                   DIVERGENCE_BOUND)
    return labels, steps


# -- the one-dimensional border-collision normal form -------------------------------------------
def skew_tent_map(left_slope, right_slope, mu=1.0):
    r"""The 1-D border-collision normal form (skew tent map) as a one-unit PLRNN.

    .. math:: x_{t+1} = \begin{cases} a\, x_t + \mu, & x_t \le 0,\\
                                      b\, x_t + \mu, & x_t > 0, \end{cases}

    with :math:`a` = ``left_slope`` and :math:`b` = ``right_slope``: every continuous
    piecewise-linear map of the line with one kink can be brought to this form near a
    border collision, which happens at :math:`\mu = 0` (Nusse and Yorke, 1992).  As a PLRNN
    it is :math:`A = a`, :math:`W = b - a`, :math:`h = \mu`, since
    :math:`a x + (b - a)\operatorname{relu}(x) + \mu` has slope :math:`a` left of 0 and
    :math:`b` right of it.  For :math:`\mu > 0` the map is conjugate, by
    :math:`x \mapsto x/\mu`, to the one with :math:`\mu = 1`, so its dynamics is the same
    for every :math:`\mu > 0`: what a border collision creates is there at full strength
    at once.

    Parameters
    ----------
    left_slope, right_slope : float
        :math:`a` and :math:`b`.
    mu : float
        The bias :math:`\mu` (the distance from the border collision).

    Returns
    -------
    PLRNN
    """
    from ..models.plrnn import PLRNN

    a = as_real("left_slope", left_slope)
    b = as_real("right_slope", right_slope)
    mu = as_real("mu", mu)
    return PLRNN([a], [[b - a]], [mu])


def robust_chaos_interval(left_slope):
    r"""The right slopes :math:`b` for which the skew tent map has a robust chaotic attractor.

    For :math:`a` = ``left_slope`` :math:`> 1` and :math:`\mu > 0`, the skew tent map of
    :func:`skew_tent_map` has a chaotic attractor for every

    .. math:: -\frac{a}{a - 1} < b < -1

    (Nusse and Yorke, 1992; Banerjee et al., 1998).  The interval
    :math:`I = [F(\mu), \mu] = [\mu(1 + b), \mu]` between the image of the kink and its
    second image is then mapped into itself (the lower bound on :math:`b` says
    :math:`F(\mu(1+b)) \ge \mu(1+b)`), and both slopes exceed 1 in modulus, so every cycle
    in :math:`I` is unstable and every orbit there has Lyapunov exponent at least
    :math:`\min(\log a, \log\lvert b\rvert) > 0`.  No parameter change inside the region
    can open a periodic window: the chaos is *robust*.  At :math:`b = -a/(a-1)` the
    attractor touches the repelling fixed point :math:`\mu/(1-a) < 0` and is destroyed
    (a boundary crisis); beyond it orbits escape to :math:`-\infty`.

    Parameters
    ----------
    left_slope : float
        :math:`a > 1`.

    Returns
    -------
    (float, float)
        :math:`(-a/(a-1), -1)`.
    """
    a = as_real("left_slope", left_slope)
    if not a > 1.0:
        raise ValueError(f"left_slope must be > 1 for the robust chaos region, got {a}")
    return -a / (a - 1.0), -1.0
