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

import numpy as np

from .._checks import as_bool, as_int
from . import _arguments as _args
from ._arguments import POINT_TOL, check_model
from .cycle import CycleCandidate, CycleSet


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


def find_cycles(model, max_order, *, rng=None, outer_loops=None, inner_loops=None, seeds=None,
                region_pool=None, min_order=1, point_tol=POINT_TOL, progress=False):
    r"""Find fixed points and cycles up to ``max_order`` with SCYFI (Eisenmann et al., 2023).

    For each order k, SCYFI draws k random regions, solves :math:`(I - P) z_1 = c` with
    :math:`P = J_k \cdots J_1` for the candidate cycle, and checks the regions its points
    really lie in.  A match is a real cycle (stored unless it is a cyclic shift of one found
    before or has a smaller period); a mismatch is a virtual cycle and the search jumps to
    the regions its points lie in.  After ``inner_loops`` iterations it redraws random
    regions, ``outer_loops`` times; a new cycle resets both counters.  A numerically
    singular :math:`I - P` (a pivot of its LU factorisation at most :math:`10^{-12}
    \max(1, \max|I - P|)`; the rule of :func:`cycle_candidate`) counts as an iteration and
    triggers a redraw.

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
    point_tol : float
        Relative tolerance to call two points equal (deduplication, minimal period):
        :math:`\max_i |x_i - y_i| \le` ``point_tol`` :math:`(1 + \max_i \max(|x_i|, |y_i|))`.
        Cycles with the same region sequence up to rotation are one cycle whatever the
        tolerance.  (Parameter widths, e.g. of the sweeps' bisection, are ``tol``.)
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
    >>> len(cs.of_order(16).stable) >= 1
    True
    """
    check_model(model)
    max_order = as_int("max_order", max_order, minimum=1)
    min_order = as_int("min_order", min_order, minimum=1, maximum=max_order)
    point_tol = _args.check_point_tol(point_tol)
    progress = as_bool("progress", progress)
    _args.check_loop_counts(outer_loops, inner_loops)
    seeds_by_order = _args.seeds_by_order(seeds, model, max_order)
    base, pool = _args.streams(model, rng, region_pool)   # as find_cycles and trace_scyfi

    orders = range(min_order, max_order + 1)
    if progress:
        from tqdm.auto import tqdm
        orders = tqdm(orders, desc="SCYFI orders")
    cycles, evaluated, singular = [], {}, {}
    maps = _args.region_maps_for(model, max_order)
    for k in orders:
        n_outer = _args.loop_count("outer_loops", outer_loops, k, default_outer_loops)
        n_inner = _args.loop_count("inner_loops", inner_loops, k, default_inner_loops)
        pts, regs, after, n_eval, n_sing, _ = _args.run_order(
            model, k, n_outer, n_inner, pool, seeds_by_order.get(k),
            _args.stream_state(base, k), point_tol, maps)
        evaluated[k] = int(n_eval)
        singular[k] = int(n_sing)
        cycles.extend(_args.make_cycle(model, p, r, a) for p, r, a in zip(pts, regs, after))
    return CycleSet(cycles, evaluated, singular)


def cycle_candidate(model, regions):
    r"""The candidate cycle of an assumed region sequence (real or virtual).

    Solves :math:`(I - P) z_1 = c` with :math:`P = J(d_k) \cdots J(d_1)` and
    :math:`c = \sum_j J(d_k) \cdots J(d_{j+1}) c(d_j)`, then
    :math:`z_{j+1} = J(d_j) z_j + c(d_j)` (Eisenmann et al., 2023, eq. 5), with the solver
    and the singular rule of the searches: :math:`I - P` is numerically singular when a
    pivot :math:`u_{jj}` of its LU factorisation with partial pivoting has
    :math:`|u_{jj}| \le 10^{-12} \max(1, \max_{il} |(I - P)_{il}|)` (then
    :math:`\sigma_{\min}(I - P) \le 10^{-12}\, M \max(1, \max|I - P|)`; the scale is that
    of :math:`I` and :math:`P`, so a small :math:`I - P` near an eigenvalue 1 of :math:`P`
    counts as singular), or when the solution is not finite.  :func:`find_cycles`,
    :func:`exhaustive_cycles` and :func:`~plrnn_lib.bifurcations.evaluate_sequence` apply
    the same rule to the same numbers.

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
    D = _args.region_sequence("regions", regions, model)
    ok, pts, actual, P, c = _args.candidate(model, D)
    ok = bool(ok)
    return CycleCandidate(assumed=D, points=pts, actual=actual, jacobian=P, offset=c,
                          singular=not ok, is_real=ok and bool(np.array_equal(actual, D)))
