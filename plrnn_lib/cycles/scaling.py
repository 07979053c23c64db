r"""How SCYFI's cost scales (chapter 4): random PLRNNs in a chosen regime, and the cost measure.

Eisenmann et al. (2023, Fig. 2 of the NeurIPS version) report the number of linear regions
SCYFI searches until all cycles are found, against the number of units M, for random
PLRNNs whose region matrices :math:`W_\Omega = A + W D_\Omega` have a mean largest
eigenvalue modulus of about 0.71, 1.25 or 2.33.  This module draws such models
(:func:`regime_model`, :func:`contractive_model`), estimates the regime
(:func:`mean_max_eigenvalue`) and measures the cost with an unbounded budget
(:func:`regions_until_found`): the search runs until a *known* set of cycles has been found,
so the count does not depend on when a finite budget gives up.  Beside it,
:func:`reference_search` reports what one run with the reference budgets finds, and
:func:`random_search_expectation` the cost of a random search over region sequences,

.. math:: \mathbb{E}[T] = \frac{2^{Mk} + 1}{n k + 1},

for n k-cycles, each entered at any of its k points.
"""
from __future__ import annotations

import math
from typing import NamedTuple, Optional

import numpy as np

from .._checks import as_int, as_real, as_rng
from ..models.plrnn import PLRNN
from .cycle import Cycle
from .scyfi import check_model, default_inner_loops, find_cycles

__all__ = ["mean_max_eigenvalue", "regime_model", "contractive_model", "regions_until_found",
           "reference_search", "ReferenceSearch", "random_search_expectation",
           "rotating_model", "last_found_after"]


def mean_max_eigenvalue(model, rng=None, n_regions=200):
    r"""Mean over random linear regions of the largest eigenvalue modulus of :math:`W_\Omega`.

    .. math:: \bar\rho = \frac{1}{n} \sum_{i=1}^{n} \max |\operatorname{eig}(A + W D_{\Omega_i})|,

    with :math:`D_{\Omega_i}` drawn with a fair coin per unit.  This is the regime parameter
    of the scaling experiments of Eisenmann et al. (2023) (0.71, 1.25, 2.33).

    Parameters
    ----------
    model : PLRNN
    rng : None, int or numpy.random.Generator
    n_regions : int
        Number of random regions averaged over.

    Returns
    -------
    float
    """
    if not isinstance(model, PLRNN):
        raise TypeError(f"model must be a PLRNN, got {type(model).__name__}")
    n_regions = as_int("n_regions", n_regions, minimum=1)
    rng = as_rng(rng)
    D = rng.random((n_regions, model.M)) < 0.5
    return float(np.mean([np.abs(np.linalg.eigvals(model.region_matrix(d))).max() for d in D]))


def _random_parts(M, rng):
    a = rng.uniform(0.3, 0.9, size=M)
    W = rng.normal(0.0, 1.0 / np.sqrt(M), size=(M, M))
    np.fill_diagonal(W, 0.0)
    return a, W


def regime_model(M, target, rng=None, *, n_regions=64):
    r"""A random PLRNN with mean max :math:`|\lambda(W_\Omega)| \approx` ``target`` and a planted fixed point.

    :math:`A = \operatorname{diag}(a)`, :math:`a_i \sim U(0.3, 0.9)`, and :math:`W` with zero
    diagonal and :math:`N(0, 1/M)` entries are scaled by one factor :math:`s`; since
    :math:`W_\Omega(sA, sW) = s\, W_\Omega(A, W)`, every eigenvalue scales by :math:`s` and
    :math:`s = \text{target} / \bar\rho(A, W)` sets the regime (:func:`mean_max_eigenvalue`
    over ``n_regions`` regions).  A point :math:`z^* \sim N(0, I)` is then made a fixed point,

    .. math:: h = z^* - W_{\Omega(z^*)} z^*,

    so every model has at least one known fixed point (Eisenmann et al., 2023, scaling
    experiments; the planting is this book's choice, the regimes are the paper's).

    Parameters
    ----------
    M : int
        Number of units (>= 1).
    target : float
        Mean max eigenvalue modulus, > 0.
    rng : None, int or numpy.random.Generator
    n_regions : int
        Regions used to estimate the scale factor.

    Returns
    -------
    (PLRNN, numpy.ndarray)
        The model and the planted fixed point :math:`z^*` (shape (M,)).
    """
    M = as_int("M", M, minimum=1)
    target = as_real("target", target, minimum=1e-12)
    n_regions = as_int("n_regions", n_regions, minimum=1)
    rng = as_rng(rng)
    a, W = _random_parts(M, rng)
    s = target / mean_max_eigenvalue(PLRNN(a, W, np.zeros(M)), rng, n_regions)
    a, W = a * s, W * s
    z = rng.normal(size=M)
    h = z - (np.diag(a) + W * (z > 0)) @ z
    return PLRNN(a, W, h), z


def contractive_model(M, norm_sum=0.9, rng=None):
    r"""A random PLRNN with :math:`\lVert A \rVert_2 + \lVert W \rVert_2 =` ``norm_sum``.

    With ``norm_sum < 1`` every :math:`W_\Omega` has norm below one, the map is a
    contraction with exactly one fixed point, and SCYFI finds it in at most linear time
    (Eisenmann et al., 2023, Theorem 3).  Parts drawn as in :func:`regime_model`,
    :math:`h \sim N(0, I)`.

    Parameters
    ----------
    M : int
    norm_sum : float
        Target :math:`\lVert A \rVert_2 + \lVert W \rVert_2`, > 0.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    PLRNN
    """
    M = as_int("M", M, minimum=1)
    norm_sum = as_real("norm_sum", norm_sum, minimum=1e-12)
    rng = as_rng(rng)
    a, W = _random_parts(M, rng)
    s = norm_sum / (np.abs(a).max() + np.linalg.norm(W, 2))
    return PLRNN(a * s, W * s, rng.normal(size=M))


def _known_points(known, model):
    """Known cycles as a list of (k, M) point arrays, plus their common order."""
    if isinstance(known, Cycle):
        known = [known]
    if isinstance(known, np.ndarray) and known.ndim == 1:
        known = [known]
    if isinstance(known, (str, bytes)) or not hasattr(known, "__iter__"):
        raise TypeError("known must be a Cycle, a point (M,) or an iterable of Cycles / point arrays")
    out = []
    for i, c in enumerate(known):
        pts = c.points if isinstance(c, Cycle) else np.asarray(c, dtype=float)
        if pts.ndim == 1:
            pts = pts[None, :]
        if pts.ndim != 2 or pts.shape[1] != model.M or not np.all(np.isfinite(pts)):
            raise ValueError(f"known[{i}] must be a finite (k, {model.M}) array of cycle points, "
                             f"got shape {np.shape(pts)}")
        out.append(pts)
    if not out:
        raise ValueError("known must contain at least one cycle")
    orders = {p.shape[0] for p in out}
    if len(orders) != 1:
        raise ValueError(f"known cycles must all have the same order, got orders {sorted(orders)}")
    return out, orders.pop()


def _matches(pts, cycle, atol):
    """Whether ``cycle`` has the points ``pts`` (any cyclic shift)."""
    if cycle.points.shape != pts.shape:
        return False
    scale = atol * (1.0 + np.abs(pts).max())
    return any(np.abs(np.roll(cycle.points, s, axis=0) - pts).max() <= scale for s in range(pts.shape[0]))


def regions_until_found(model, known, rng=None, *, max_regions=10 ** 6, inner_loops=None, atol=1e-7):
    r"""Region sequences SCYFI evaluates until every cycle in ``known`` is found (unbounded budget).

    SCYFI (Eisenmann et al., 2023, Algorithm 1) stops after ``outer_loops`` random restarts
    without a new cycle, so with a fixed budget a hard cycle is simply never found and a
    "cost until all found" only counts the easy ones.  Here the budget is unbounded: the
    search of order :math:`k` is rerun with the same random stream and the outer-loop count
    doubled (1, 2, 4, ...) until all known cycles are among the results; the last rerun
    gets just enough restarts to evaluate ``max_regions`` sequences (rather than doubling
    past the cap), so a censored search costs two to three times the cap in all.  A run
    with a larger budget repeats the smaller run's steps exactly, so the measured count

    .. math:: n = \max_{c \in \text{known}} \mathtt{found\_after}(c)

    is the one an endless run would give.  This is the measure of the paper's scaling
    figure ("number of linear regions searched until all cycles found"), with the set of
    cycles fixed in advance (for instance by :func:`~plrnn_lib.cycles.exhaustive_cycles`,
    or the planted fixed point of :func:`regime_model`).

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
    known : Cycle, array_like (M,) or (k, M), or an iterable of them
        The cycles to find, all of the same order k (a point (M,) is a fixed point).
    rng : None, int or numpy.random.Generator
        One draw from it seeds the search stream.
    max_regions : int
        Give up once a run has evaluated more region sequences than this.
    inner_loops : int, optional
        N_in per restart (default: the reference value for order k).
    atol : float
        Relative tolerance for matching a found cycle to a known one.

    Returns
    -------
    int or None
        The count n, or None when the search needed more than ``max_regions`` region
        sequences to find every known cycle (a censored run): so every count returned is at
        most ``max_regions``.
    """
    check_model(model)
    points, k = _known_points(known, model)
    max_regions = as_int("max_regions", max_regions, minimum=1)
    if inner_loops is not None:
        inner_loops = as_int("inner_loops", inner_loops, minimum=1)
    atol = as_real("atol", atol, minimum=0.0, maximum=1e-2)
    seed = int(as_rng(rng).integers(0, 2 ** 63))
    # every restart runs its full inner loop, so this many restarts evaluate >= max_regions
    n_inner = default_inner_loops(k) if inner_loops is None else inner_loops
    last_outer = -(-max_regions // n_inner)
    outer = 1
    while True:
        cs = find_cycles(model, k, min_order=k, rng=np.random.default_rng(seed), outer_loops=outer,
                         inner_loops=inner_loops)
        after = []
        for pts in points:
            hit = [c.found_after for c in cs if _matches(pts, c, atol)]
            if not hit:
                break
            after.append(min(hit))
        if len(after) == len(points):
            # a run that overshoots the budget still found the last cycle after too many
            # sequences: censored like the runs that never found it
            return int(max(after)) if max(after) <= max_regions else None
        if cs.evaluated.get(k, 0) >= max_regions or outer >= last_outer:
            return None
        outer = min(2 * outer, last_outer)


class ReferenceSearch(NamedTuple):
    r"""What one SCYFI run with the reference budgets found (see :func:`reference_search`).

    Its cost is :math:`n_\mathrm{last} = \max_{c} \mathtt{found\_after}(c)` over the cycles
    found, the natural measure of a fixed-budget run (Eisenmann et al., 2023).
    """

    #: Whether every known cycle was among the results.
    found_known: bool
    #: Number of cycles of the order found (known or not).
    n_found: int
    #: ``found_after`` of the last cycle found, None when nothing was found.
    last_found_after: Optional[int]
    #: Region sequences evaluated in all (the run goes on after its last discovery).
    evaluated: int


def reference_search(model, known, rng=None, *, atol=1e-7):
    r"""One SCYFI run of the known cycles' order with the reference budgets, and what it found.

    With fixed budgets (:math:`N_\mathrm{out}`, :math:`N_\mathrm{in}` of the public code,
    Eisenmann et al., 2023) SCYFI stops after :math:`N_\mathrm{out}` restarts without a new
    cycle.  Its natural cost, "regions searched until the last cycle it found",

    .. math:: n_\mathrm{last} = \max_{c \in \text{found}} \mathtt{found\_after}(c),

    counts only the cycles that were easy enough to find; ``found_known`` says whether the
    known ones were among them.  With the same ``rng``, a run that found every known cycle
    replays the first steps of :func:`regions_until_found`, so both give the same count.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
    known : Cycle, array_like (M,) or (k, M), or an iterable of them
        The cycles to look for, all of the same order k.
    rng : None, int or numpy.random.Generator
        One draw from it seeds the search stream (as in :func:`regions_until_found`).
    atol : float
        Relative tolerance for matching a found cycle to a known one.

    Returns
    -------
    ReferenceSearch
    """
    check_model(model)
    points, k = _known_points(known, model)
    atol = as_real("atol", atol, minimum=0.0, maximum=1e-2)
    seed = int(as_rng(rng).integers(0, 2 ** 63))
    cs = find_cycles(model, k, min_order=k, rng=np.random.default_rng(seed))
    found = all(any(_matches(pts, c, atol) for c in cs) for pts in points)
    return ReferenceSearch(found_known=bool(found), n_found=len(cs),
                           last_found_after=last_found_after(cs),
                           evaluated=int(cs.evaluated.get(k, 0)))


def random_search_expectation(M, order, n_cycles, n_regions=None):
    r"""Expected draws of a random search without replacement until it hits a cycle.

    A k-cycle's region sequence can start at any of its k points, so each of ``n_cycles``
    cycles owns k of the :math:`N = R^k` region sequences (:math:`R = 2^M` regions for
    the PLRNN), :math:`m = n k` in all.  Drawing sequences at random without replacement,
    the first of the m is hit after

    .. math:: \mathbb{E}[T] = \frac{N + 1}{m + 1} = \frac{2^{Mk} + 1}{n k + 1}

    draws on average (the m hits cut the :math:`N - m` misses into m + 1 runs of equal
    expected length).  This is the brute-force reference of Eisenmann et al. (2023, scaling
    with k), with the k rotations of every cycle counted.  It is a *lower* bound for finding
    all n cycles.

    Parameters
    ----------
    M : int
        Units (>= 1); sets :math:`R = 2^M` unless ``n_regions`` is given.
    order : int
        The cycle order k (>= 1).
    n_cycles : int
        Number n of k-cycles (>= 0; with none the search draws all N sequences, N + 1 is
        returned as "never").
    n_regions : int, optional
        Number R of regions (e.g. the realisable ones of a shallow PLRNN).

    Returns
    -------
    float
    """
    M = as_int("M", M, minimum=1)
    order = as_int("order", order, minimum=1)
    n_cycles = as_int("n_cycles", n_cycles, minimum=0)
    R = 2 ** M if n_regions is None else as_int("n_regions", n_regions, minimum=1)
    log2_N = order * math.log2(R)
    m = n_cycles * order
    if log2_N > 1000:       # beyond floats: the + 1s no longer matter
        return math.inf
    return (float(R) ** order + 1.0) / (m + 1.0)


def rotating_model(rng=None):
    r"""A random two-unit PLRNN that rotates in region :math:`d = (1, 1)`, for the scaling in k.

    :math:`W_\Omega = r R(\theta)` in region (1, 1), with :math:`\theta = 2\pi/\kappa`,
    :math:`\kappa \sim U(2, 30)` and :math:`r \sim U(0.95, 1.3)` (mildly expanding, like the
    toy model of Eisenmann et al., 2023); :math:`A = \operatorname{diag}(a)`,
    :math:`a_i \sim U(0.3, 1)`, :math:`W = rR(\theta) - A`, :math:`h \sim N(0, I)`.  Such
    models have cycles of many orders.

    Parameters
    ----------
    rng : None, int or numpy.random.Generator

    Returns
    -------
    PLRNN
    """
    rng = as_rng(rng)
    theta = 2 * np.pi / rng.uniform(2.0, 30.0)
    r = rng.uniform(0.95, 1.3)
    a = rng.uniform(0.3, 1.0, size=2)
    R = r * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    return PLRNN(a, R - np.diag(a), rng.normal(size=2))


def last_found_after(cycles):
    r"""Evaluations until the last of ``cycles`` was found, :math:`\max_c \mathtt{found\_after}(c)`.

    The cost of one fixed-budget SCYFI run (Eisenmann et al., 2023).

    Parameters
    ----------
    cycles : CycleSet or iterable of Cycle

    Returns
    -------
    int or None
        None when ``cycles`` is empty.
    """
    after = []
    for i, c in enumerate(cycles):
        if not isinstance(c, Cycle):
            raise TypeError(f"cycles[{i}] must be a Cycle, got {type(c).__name__}")
        if c.found_after is None:
            raise ValueError(f"cycles[{i}] has no found_after (it did not come from find_cycles)")
        after.append(c.found_after)
    return max(after) if after else None
