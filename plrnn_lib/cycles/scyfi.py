r"""SCYFI: the Searcher for CYcles and FIxed points of Eisenmann et al. (2023).

For a region sequence :math:`d_1, \dots, d_k` the map is affine on each step, so a k-cycle
through those regions solves the linear system

.. math:: (I - P)\, z_1 = c, \qquad P = J_k \cdots J_1, \qquad
          c = \sum_{j=1}^{k} J_k \cdots J_{j+1}\, c_j,

with :math:`J_j = A + W D_j G` and :math:`c_j = b + W D_j g`.  The candidate is a real cycle
only if every point lies in its assumed region; otherwise SCYFI *jumps* to the regions the
virtual points lie in and tries again, redrawing random regions when a budget of inner
iterations runs out (Eisenmann et al., 2023, Algorithm 1).  Unlike the reference, the search
never jumps into (nor, within a few redraws, draws) a region sequence it has already tried;
see :func:`find_cycles`.
"""
from __future__ import annotations

import numbers

import numpy as np

from .._checks import as_bool, as_int, as_real, as_region, as_rng
from ..models.base import PiecewiseAffineModel
from . import _engine
from .cycle import Cycle, CycleCandidate, CycleSet
from .regions import realisable_regions, sampled_regions


def default_outer_loops(order):
    r"""Reference number of random re-initialisations N_out for a cycle order k.

    .. math:: N_{\mathrm{out}}(k) = \begin{cases} 10 & k < 8, \\ 40 & 8 \le k < 30, \\
              100 & k \ge 30, \end{cases}

    the values of the public SCYFI code (Eisenmann et al., 2023).  A search of order k stops
    after :math:`N_{\mathrm{out}}` consecutive re-initialisations that found no new cycle
    (a new cycle resets the count; see :func:`find_cycles`).
    """
    return 10 if order < 8 else 40 if order < 30 else 100


def default_inner_loops(order):
    r"""Reference number of iterations N_in per re-initialisation for a cycle order k.

    .. math:: N_{\mathrm{in}}(k) = \begin{cases} 20 & k < 3, \\ 60 & 3 \le k < 6, \\
              300 & 6 \le k < 8, \\ 1080 & 8 \le k < 20, \\ 1115 & k \ge 20, \end{cases}

    the values of the public SCYFI code (Eisenmann et al., 2023).  Each iteration solves one
    candidate :math:`(I - P) z_1 = c` and jumps to the regions its points lie in (or redraws);
    after :math:`N_{\mathrm{in}}` iterations without a new cycle the search re-initialises.
    """
    if order < 3:
        return 20
    if order < 6:
        return 60
    if order < 8:
        return 300
    if order < 20:
        return 1080
    return 1115


# ----------------------------------------------------------------------------------------
# argument handling shared by find_cycles, trace_scyfi and exhaustive_cycles

def check_model(model):
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    return model


def check_tol(tol):
    return as_real("tol", tol, minimum=0.0, maximum=1e-2)


def _loops(name, value, order, default):
    if value is None:
        return default(order)
    if callable(value):
        return as_int(f"{name}({order})", value(order), minimum=0)
    return as_int(name, value, minimum=0)


def region_sequence(name, value, model, order=None):
    """A region sequence as a (k, n_gates) bool array (also accepts a Cycle or a 1-D region)."""
    if isinstance(value, (Cycle, CycleCandidate)):
        value = value.regions if isinstance(value, Cycle) else value.assumed
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a (k, {model.n_gates}) array of bools")
    try:
        arr = np.asarray(value)
    except ValueError as exc:       # ragged nested lists
        raise ValueError(f"{name} must be a (k, {model.n_gates}) array of bools: {exc}") from None
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(f"{name} must have shape (k, {model.n_gates}) with k >= 1, got {np.shape(value)}")
    if order is not None and arr.shape[0] != order:
        raise ValueError(f"{name} must have {order} rows, got {arr.shape[0]}")
    rows = [as_region(f"{name}[{j}]", arr[j], model.n_gates) for j in range(arr.shape[0])]
    return np.ascontiguousarray(np.array(rows, dtype=bool))


def check_seeds(seeds, model, max_order):
    """Group seed region sequences by order: dict k -> (n, k, n_gates) bool."""
    out = {}
    if seeds is None:
        return out
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError("seeds must be an iterable of region sequences (each (k, n_gates) bool) or Cycles")
    if isinstance(seeds, np.ndarray) and seeds.ndim == 3:
        seeds = list(seeds)
    if isinstance(seeds, Cycle):
        seeds = [seeds]
    for i, s in enumerate(seeds):
        seq = region_sequence(f"seeds[{i}]", s, model)
        if seq.shape[0] > max_order:
            raise ValueError(f"seeds[{i}] has order {seq.shape[0]} > max_order={max_order}")
        out.setdefault(seq.shape[0], []).append(seq)
    return {k: np.ascontiguousarray(np.stack(v)) for k, v in out.items()}


def region_pool_for(model, region_pool, rng):
    """The pool random regions are drawn from: (0, H) means 'every pattern, fair coins'."""
    H = model.n_gates
    if region_pool is None:
        region_pool = "all" if model.affine_parts().gate_is_identity else "sampled"
    if isinstance(region_pool, str):
        if region_pool == "all":
            return np.zeros((0, H), dtype=bool)
        if region_pool == "sampled":
            return sampled_regions(model, rng)
        if region_pool == "realisable":
            return realisable_regions(model)
        raise ValueError(f"region_pool must be 'all', 'sampled', 'realisable' or an array, got {region_pool!r}")
    arr = np.asarray(region_pool)
    if arr.ndim != 2 or arr.shape[1] != H or arr.shape[0] == 0:
        raise ValueError(f"region_pool must have shape (n, {H}) with n >= 1, got {arr.shape}")
    return region_sequence("region_pool", arr, model)


def stream_base(rng):
    """One 64-bit draw from the user's generator; every order derives its own stream from it."""
    return int(rng.integers(0, 2 ** 63, dtype=np.int64))


def stream_state(base, order):
    """SplitMix64 state of the stream for one order (independent of which orders are run)."""
    return np.array([(base + 0xD1B54A32D192ED03 * order) % 2 ** 64], dtype=np.uint64)


def make_cycle(model, points, regions, found_after=None):
    P = np.eye(model.M)
    for d in regions:
        P = model.region_matrix(d) @ P
    return Cycle(points, regions, P, found_after)


def run_order(model, order, n_outer, n_inner, pool, seeds, state, tol, record=None, max_steps=0):
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    if seeds is None:
        seeds = np.zeros((0, order, model.n_gates), dtype=bool)
    return _engine.scyfi_search(A, W, G, g, b, gate_is_identity, order, n_outer, n_inner,
                                pool, seeds, state, tol, record, max_steps)


# ----------------------------------------------------------------------------------------

def find_cycles(model, max_order, *, rng=None, outer_loops=None, inner_loops=None, seeds=None,
                region_pool=None, min_order=1, tol=1e-9, progress=False):
    r"""Find fixed points and cycles up to ``max_order`` with SCYFI (Eisenmann et al., 2023).

    For each order k, SCYFI draws k random regions, solves :math:`(I - P) z_1 = c` with
    :math:`P = J_k \cdots J_1` for the candidate cycle, and checks the regions its points
    really lie in.  A match is a real cycle (stored unless it is a cyclic shift of one found
    before or has a smaller period); a mismatch is a virtual cycle and the search jumps to
    the regions its points lie in.  After ``inner_loops`` iterations it redraws random
    regions, ``outer_loops`` times; a new cycle resets both counters.  A singular
    :math:`I - P` counts as an iteration and triggers a redraw.

    **Deviation from the reference algorithm.**  The search remembers every region
    sequence it has tried for an order (as 64-bit hashes that are equal for all cyclic
    shifts of a sequence, since a shifted sequence has the shifted candidate).  When a
    virtual candidate points into a sequence tried before, the jump is not taken and random
    regions are drawn instead (trace status 'virtual (visited)'), and a random draw of a
    sequence tried before is redrawn (up to 8 draws in all).  The reference jumps
    regardless, so a closed loop of virtual candidates (D1 -> D2 -> D1 -> ...) burns the
    rest of the inner budget, and chains that merge into paths already walked repeat them.
    A sequence tried before can only reproduce the candidate it gave then, so skipping it
    loses nothing and frees the iteration for a sequence not tried yet; the loop counts and
    the cost of an iteration are unchanged.  On a bank of 200 random PLRNNs (M = 2..6,
    orders <= 3, 226 cycles) with the reference loop counts, the reference rule finds 216
    cycles (the misses mostly unstable fixed points at M = 5, 6, reached by no jump chain),
    this rule all 226, for each of 20 seeds tried.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
        External inputs (C) are ignored: cycles of the autonomous map.
    max_order : int
        Search orders ``min_order .. max_order``.
    rng : None, int or numpy.random.Generator
        Source of randomness; a seed makes the search reproducible (each order uses its own
        stream derived from one draw, so :func:`trace_scyfi` replays an order exactly).
    outer_loops, inner_loops : int or callable, optional
        N_out and N_in; a callable maps the order to a count.  Default: the reference
        values (:func:`default_outer_loops`, :func:`default_inner_loops`).
    seeds : iterable of (k, n_gates) bool arrays or Cycle objects, optional
        Region sequences tried first (each opens an inner loop of its own, in addition to
        ``outer_loops``), e.g. the cycles at a neighbouring parameter value, for continuation.
    region_pool : {'all', 'sampled', 'realisable'} or (n, n_gates) bool array, optional
        Where random regions come from.  Default 'all' for the PLRNN (fair coins for each
        unit) and 'sampled' for the shallow PLRNN: sign patterns met at 200 random points
        and along their trajectories (:func:`~plrnn_lib.cycles.regions.sampled_regions`).
        'realisable' enumerates exactly the nonempty regions by linear programming.
        Jumps may still reach regions outside the pool.
    min_order : int
        First order searched (default 1).
    tol : float
        Relative tolerance to call two points equal (deduplication, minimal period).
    progress : bool
        Show a tqdm progress bar over the orders.

    Returns
    -------
    CycleSet
        Every cycle found, each once; ``evaluated[k]`` counts the region sequences tried.

    Examples
    --------
    >>> import plrnn_lib as pl
    >>> m = pl.PLRNN([0.83777, 0.96461], [[0, -0.64375], [0.52505, 0]], [0.37298, -0.97931])
    >>> cs = pl.find_cycles(m, 16, rng=0)
    >>> len(cs.of_order(16).stable()) >= 1
    True
    """
    check_model(model)
    max_order = as_int("max_order", max_order, minimum=1)
    min_order = as_int("min_order", min_order, minimum=1, maximum=max_order)
    tol = check_tol(tol)
    progress = as_bool("progress", progress)
    for name, value in (("outer_loops", outer_loops), ("inner_loops", inner_loops)):
        if value is not None and not callable(value):
            as_int(name, value, minimum=0)
    seeds_by_order = check_seeds(seeds, model, max_order)
    rng = as_rng(rng)
    base = stream_base(rng)
    pool = region_pool_for(model, region_pool, rng)

    orders = range(min_order, max_order + 1)
    if progress:
        from tqdm.auto import tqdm
        orders = tqdm(orders, desc="SCYFI orders")
    cycles, evaluated, singular = [], {}, {}
    for k in orders:
        n_outer = _loops("outer_loops", outer_loops, k, default_outer_loops)
        n_inner = _loops("inner_loops", inner_loops, k, default_inner_loops)
        pts, regs, after, n_eval, n_sing, _ = run_order(
            model, k, n_outer, n_inner, pool, seeds_by_order.get(k), stream_state(base, k), tol)
        evaluated[k] = int(n_eval)
        singular[k] = int(n_sing)
        cycles.extend(make_cycle(model, p, r, a) for p, r, a in zip(pts, regs, after))
    return CycleSet(cycles, evaluated, singular)


def cycle_candidate(model, regions):
    r"""The candidate cycle of an assumed region sequence (real or virtual).

    Solves :math:`(I - P) z_1 = c` with :math:`P = J(d_k) \cdots J(d_1)` and
    :math:`c = \sum_j J(d_k) \cdots J(d_{j+1}) c(d_j)`, then
    :math:`z_{j+1} = J(d_j) z_j + c(d_j)` (Eisenmann et al., 2023, eq. 5).

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
    regions : array_like of bool, (k, n_gates) or (n_gates,)
        The assumed regions ``d_1 .. d_k`` (a single region for a fixed point).

    Returns
    -------
    CycleCandidate
        With ``points``, ``actual`` regions, ``is_real`` and ``singular``.
    """
    check_model(model)
    D = region_sequence("regions", regions, model)
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    ok, pts, actual, P, c = _engine.candidate_for(A, W, G, g, b, gate_is_identity, D)
    ok = bool(ok)
    return CycleCandidate(assumed=D, points=pts, actual=actual, jacobian=P, offset=c,
                          singular=not ok, is_real=ok and bool(np.array_equal(actual, D)))
