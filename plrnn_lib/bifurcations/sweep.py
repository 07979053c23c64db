r"""Parameter sweeps: the cycles of a model family along a line or over a grid.

One function per question:

* :func:`sweep` — "what happens to the cycles as I move one parameter?": the cycles and their
  stability at each value, every bifurcation located and classified, and the data of a
  bifurcation diagram;
* :func:`sweep_grid` — "where in this parameter plane do the cycles change?": cycles per
  grid point and the bifurcation curves between grid points (Eisenmann et al., 2023, Fig. 2);
* :func:`orbit_diagram` — "what does the model do in the long run?", by simulation.

**Continuation.**  A cycle's region sequence changes only at a bifurcation, so the sequences
found at one parameter value are the best guesses for the next.  Each point's SCYFI search is
seeded with its neighbour's cycles, and after all points are searched a *fill pass* checks
every cycle found anywhere at each neighbouring point (one linear solve each), repeating until
nothing new turns up.  A cycle found at any one value is thereby tracked along its whole
interval of existence, so a light random search per point suffices.

**Parallelism.**  Points are split into contiguous chunks (continuation runs within a chunk:
a row of a grid, or :data:`CHUNK_SIZE` values of a line), and the chunks go through
:func:`plrnn_lib.parallel.run_tasks`: a process pool over the local cores by default, any
:class:`concurrent.futures.Executor` given as ``executor``, or a dask.distributed cluster
given by its ``scheduler`` address; the bisections that locate the bifurcations follow the
same path, one task per edge between neighbouring points.  Each chunk draws its random
numbers from its own child of :class:`numpy.random.SeedSequence`, so a seeded sweep gives
the same result wherever it runs.  The family must be picklable for other processes: use
:class:`ParameterFamily` or a module-level function rather than a lambda (a lambda makes the
sweep run serially, with a warning).
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

import numpy as np

from .._checks import as_bool, as_float_array, as_int, as_real, as_rng
from ..parallel import run_tasks
from .events import (KINDS, Bifurcation, canonical_sequence, evaluate_sequence, locate_all,
                     mark_persistence, sequence_from_key)


def continuation_inner_loops(order):
    """Inner-loop budget per point under continuation: the reference N_in, capped at 30.

    Seeds and the fill pass carry every cycle found anywhere along its interval of
    existence, so each point needs only a light random search for cycles that are new there.
    benchmarks/sweep_continuation.py measures it against independent searches with the
    reference loop counts, side by side: wall times, their ratio and the cycles each missed.
    """
    from ..cycles import default_inner_loops

    return min(default_inner_loops(order), 30)


#: The light SCYFI effort per point used with continuation (a module-level function, so
#: the settings can be sent to worker processes).
CONTINUATION_SEARCH = {"outer_loops": 1, "inner_loops": continuation_inner_loops}


# -- the work of one chunk (runs in a worker process) ------------------------------------------

def _search_chunk(points, rng, *, family, max_order, continuation, search_kwargs):
    """Search each parameter point of a chunk in turn; with continuation, seed by the last one."""
    from ..cycles import find_cycles  # imported here so workers import lazily

    found = []
    previous = None
    for p in points:
        model = family(*p)
        seeds = [c.regions for c in previous] if (continuation and previous is not None) else None
        cycles = find_cycles(model, max_order, rng=rng, seeds=seeds, **search_kwargs)
        found.append(cycles)
        previous = cycles
    return found


def _run_searches(family, chunks, max_order, continuation, search_kwargs, rng, runner, desc):
    """Search every chunk through the parallel runner; the cycles per point, in order."""
    search = partial(_search_chunk, family=family, max_order=max_order,
                     continuation=continuation, search_kwargs=search_kwargs)
    results = run_tasks(search, chunks, seed=rng, desc=desc, **runner)
    return [cs for chunk in results for cs in chunk]


#: Values per chunk of a 1-D sweep.  Fixed, not derived from the core count, so that a
#: seeded sweep gives the same result on every machine and with every executor.
CHUNK_SIZE = 16


# -- the fill pass ----------------------------------------------------------------------------

def _fill(family, params, cycle_sets, neighbours):
    """Check, at every point, each cycle found at a neighbour; add those that are real there.

    Returns the cycles per point (dicts keyed by :func:`canonical_sequence`) and the number of
    cycles added.  Runs to a fixed point, so a cycle seen at one value spreads along its whole
    interval of existence.
    """
    from ..cycles import Cycle

    keys = [{canonical_sequence(c.regions): c for c in cs} for cs in cycle_sets]
    tried = [set(k) for k in keys]
    pending = list(range(len(params)))
    added = 0
    while pending:
        i = pending.pop()
        for j in neighbours(i):
            new = [key for key in keys[i] if key not in tried[j]]
            if not new:
                continue
            tried[j].update(new)
            model = family(*params[j])
            grew = False
            for key in new:
                regions = sequence_from_key(key)
                state = evaluate_sequence(model, regions)
                if state.real:
                    keys[j][key] = Cycle(state.points, regions, state.jacobian)
                    added += 1
                    grew = True
            if grew:
                pending.append(j)
    return keys, added


def _cycle_state(c):
    return bool(c.stable)


def _changed_between(keys_a, keys_b):
    """The keys of the cycles whose existence or stability differs from a to b, sorted."""
    changed = []
    for key in sorted(set(keys_a) | set(keys_b)):
        ca, cb = keys_a.get(key), keys_b.get(key)
        if ca is None or cb is None or _cycle_state(ca) != _cycle_state(cb):
            changed.append(key)
    return changed


def _events_between(edge, rng, *, family, tol):
    """Locate the bifurcations of every changed cycle along one edge (a task of the runner).

    ``edge`` is ``(p_a, p_b, keys)``, the keys those of :func:`_changed_between`; ``rng`` is
    not used (bisection draws no random numbers).
    """
    p_a, p_b, changed = edge
    events = []
    for key in changed:
        events.extend(locate_all(family, sequence_from_key(key), p_a, p_b, tol=tol))
    return mark_persistence(events)


def _sweep_points(family, params, chunks, neighbours, edges, max_order, continuation,
                  search_kwargs, tol, rng, runner, desc, locate_events):
    """Search every parameter point, fill from neighbours, and locate events along edges.

    Returns the cycles per point (CycleSets, in the order of ``params``), the bifurcations
    found on the ``edges`` (pairs of point indices), and the number of cycles the fill added.
    """
    from ..cycles import CycleSet

    found = _run_searches(family, chunks, max_order, continuation, search_kwargs, rng, runner,
                          desc)
    filled = 0
    if continuation:
        keys, filled = _fill(family, params, found, neighbours)
    else:
        keys = [{canonical_sequence(c.regions): c for c in cs} for cs in found]
    cycle_sets = [CycleSet(sorted(k.values(), key=lambda c: (c.order, canonical_sequence(c.regions))))
                  for k in keys]
    events = []
    if locate_events:
        # the edges are independent: they go through the runner too, so a cluster that
        # searched the grid also locates its bifurcations
        changed = [(params[a], params[b], _changed_between(keys[a], keys[b])) for a, b in edges]
        changed = [edge for edge in changed if edge[2]]
        # seed=0: bisection draws no random numbers, so any fixed seed spares the OS entropy
        with warnings.catch_warnings():
            # an unpicklable family was reported once, by the search
            warnings.filterwarnings("ignore", message="fn or the tasks cannot be pickled")
            located = run_tasks(partial(_events_between, family=family, tol=tol), changed,
                                seed=0, desc=f"{desc}: locating bifurcations", **runner)
        events = [event for per_edge in located for event in per_edge]
    return cycle_sets, events, filled


# -- results ----------------------------------------------------------------------------------

def _check_kind(kind, allow_none=False):
    if kind is None and allow_none:
        return
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")


def _kinds_filter(kinds, name="kinds"):
    """A tuple of kinds from None (all of :data:`KINDS`), one kind, or a sequence of kinds."""
    if kinds is None:
        return KINDS
    if isinstance(kinds, str):
        kinds = (kinds,)
    kinds = tuple(kinds)
    for k in kinds:
        if k not in KINDS:
            raise ValueError(f"{name} must name kinds from {KINDS}, got {k!r}")
    return kinds


@dataclass
class Sweep:
    r"""The result of :func:`sweep`: the cycles of :math:`F_p` = ``family(p)`` along a line.

    For values :math:`p_1 < \dots < p_n`, ``cycles[i]`` holds the cycles of :math:`F_{p_i}`
    of orders :math:`k \le` ``max_order``, and ``bifurcations`` the parameters :math:`p^*`
    between consecutive values where a cycle appears, disappears or changes stability.
    :meth:`diagram` gives the data of the bifurcation diagram, one point
    :math:`(p_i, (z_j)_m)` per point :math:`z_j` of every cycle at :math:`p_i`, :math:`m` the
    chosen coordinate (Eisenmann et al., 2023).

    Attributes
    ----------
    values : ndarray, shape (n,)
        The parameter values.
    cycles : list of CycleSet
        The cycles found at each value.
    bifurcations : list of Bifurcation
        Every bifurcation between consecutive values, located to ``tol`` and classified.
    max_order : int
        Largest cycle order searched.
    seconds : float
        Wall time of the sweep.
    filled : int
        Cycles the fill pass added (missed by the searches at those values).
    """

    values: np.ndarray
    cycles: list
    bifurcations: list
    max_order: int
    seconds: float = 0.0
    filled: int = 0

    def n_cycles(self, stable_only=False):
        """Number of (stable) cycles at each value."""
        return np.array([sum(1 for c in cs if (c.stable or not stable_only)) for cs in self.cycles])

    def n_stable(self):
        """Number of stable cycles at each value."""
        return self.n_cycles(stable_only=True)

    def diagram(self, coordinate=0):
        """Data of a bifurcation diagram: every cycle point against the parameter.

        Returns a dict of equal-length arrays: ``p`` (parameter), ``z`` (the chosen coordinate
        of a cycle point), ``stable`` (bool), ``order`` (int).
        """
        coordinate = as_int("coordinate", coordinate, minimum=0)
        p, z, stable, order = [], [], [], []
        for value, cs in zip(self.values, self.cycles):
            for c in cs:
                if coordinate >= c.points.shape[1]:
                    raise ValueError(f"coordinate must be < M = {c.points.shape[1]}, got {coordinate}")
                for pt in c.points:
                    p.append(value)
                    z.append(pt[coordinate])
                    stable.append(bool(c.stable))
                    order.append(c.order)
        return {"p": np.array(p), "z": np.array(z), "stable": np.array(stable, dtype=bool),
                "order": np.array(order, dtype=int)}

    def of_kind(self, kind):
        """The bifurcations of one kind (see :data:`plrnn_lib.bifurcations.KINDS`)."""
        _check_kind(kind)
        return [b for b in self.bifurcations if b.kind == kind]

    def sites(self, kinds=None, tol=None):
        r"""The distinct places where bifurcations were located, one per (parameter, kind).

        Two cycles born together in one border collision (a stable and an unstable one, say)
        are each located, at parameters :math:`p^*_1, p^*_2` within a bracket of each other;
        here bifurcations of one kind with :math:`|p^*_1 - p^*_2| \le` ``tol`` are one site
        (Eisenmann et al., 2023, for the kinds).

        Parameters
        ----------
        kinds : str or sequence of str, optional
            Keep only these kinds (default: all of :data:`~plrnn_lib.bifurcations.KINDS`).
        tol : float, optional
            Parameters closer than this are one site (default: 10 times the largest
            bisection bracket).

        Returns
        -------
        list of dict
            Sorted by parameter, each with keys ``parameter`` (float), ``kind`` and
            ``orders`` (the cycle orders involved, sorted).
        """
        kinds = _kinds_filter(kinds)
        events = [b for b in self.bifurcations if b.kind in kinds]
        if tol is None:
            tol = 10 * max([b.bracket for b in events] + [1e-9])
        tol = as_real("tol", tol, minimum=0.0)
        sites = []
        for b in sorted(events, key=lambda b: (b.kind, b.parameter)):
            last = sites[-1] if sites else None
            if last is not None and last["kind"] == b.kind and \
                    abs(b.parameter - last["parameter"]) <= tol:
                last["orders"].add(b.order)
                continue
            sites.append({"parameter": float(b.parameter), "kind": b.kind, "orders": {b.order}})
        for s in sites:
            s["orders"] = sorted(s["orders"])
        return sorted(sites, key=lambda s: s["parameter"])


_UNKNOWN = -1  # a None (does not exist on that side) among the int8 flags of stored events


def _flag(value):
    return _UNKNOWN if value is None else int(bool(value))


def _unflag(value):
    return None if int(value) == _UNKNOWN else bool(value)


@dataclass
class GridSweep:
    r"""The result of :func:`sweep_grid`: the cycles of :math:`F_p` = ``family(p)`` over a grid.

    Grid point :math:`(i, j)` is :math:`p_{ij} = (p^{(1)}_i, p^{(2)}_j)` and ``cycles[i, j]``
    holds the cycles of :math:`F_{p_{ij}}` of orders :math:`k \le` ``max_order``.  Along each
    edge between neighbours in a row or a column where the set of cycles or their stability
    differs, bisection locates the points :math:`p^* \in \mathbb{R}^2` where a cycle
    appears, disappears or changes stability; together they trace the bifurcation curves of
    the parameter plane (Eisenmann et al., 2023, Fig. 2, for the toy model over
    :math:`(\Delta a_{11}, \Delta a_{22})`).

    :meth:`to_arrays` turns the result into plain arrays (for ``numpy.savez``) and
    :meth:`from_arrays` back; a grid read back keeps the counts of cycles and every
    bifurcation, but not the cycles themselves (``cycles`` is None).

    Attributes
    ----------
    values1, values2 : ndarray
        The grid axes; point ``(i, j)`` is ``(values1[i], values2[j])``.
    cycles : ndarray of CycleSet, shape (n1, n2), or None
        None for a grid read by :meth:`from_arrays`.
    bifurcations : list of Bifurcation
        Located on the grid edges where the set of cycles or their stability changes; their
        ``parameter`` is a point of the plane.  Together they trace the bifurcation curves.
        Empty when :func:`sweep_grid` ran with ``locate_events=False``.
    max_order : int
        Largest cycle order searched.
    seconds : float
        Wall time of the sweep.
    filled : int
        Cycles the fill pass added (missed by the searches at those points).
    """

    values1: np.ndarray
    values2: np.ndarray
    cycles: np.ndarray | None
    bifurcations: list
    max_order: int
    seconds: float = 0.0
    filled: int = 0
    #: The arrays :meth:`from_arrays` needs (the others of :meth:`to_arrays` it reads when
    #: present).
    REQUIRED_ARRAYS: ClassVar[tuple] = ("values1", "values2", "n_cycles", "n_stable",
                                        "event_points", "event_kinds", "event_orders",
                                        "max_order")
    # (n_cycles, n_stable) of a grid read from arrays, whose cycles are not kept
    _stored_counts: tuple | None = field(default=None, init=False, repr=False)

    def n_cycles(self, stable_only=False):
        """(n1, n2) array: number of (stable) cycles at each grid point."""
        if self.cycles is None:
            if self._stored_counts is None:
                raise ValueError("this GridSweep holds neither cycles nor stored counts; build "
                                 "it with pl.sweep_grid or GridSweep.from_arrays")
            return self._stored_counts[1 if stable_only else 0].copy()
        out = np.zeros(self.cycles.shape, dtype=int)
        for idx, cs in np.ndenumerate(self.cycles):
            out[idx] = sum(1 for c in cs if (c.stable or not stable_only))
        return out

    def n_stable(self):
        """(n1, n2) array: number of stable cycles (stable objects) at each grid point."""
        return self.n_cycles(stable_only=True)

    def curves(self, kind=None):
        """The located bifurcation points as an (n, 2) array, optionally of one kind."""
        _check_kind(kind, allow_none=True)
        pts = [b.parameter for b in self.bifurcations if kind is None or b.kind == kind]
        return np.array(pts, dtype=float).reshape(-1, 2)

    def to_arrays(self):
        """The grid as a dict of plain arrays, for ``numpy.savez_compressed`` and plotting.

        Returns
        -------
        dict
            ``values1`` (n1,), ``values2`` (n2,); ``n_cycles``, ``n_stable`` (n1, n2);
            per located bifurcation (m of them): ``event_points`` (m, 2), ``event_kinds``
            (m,), ``event_orders`` (m,), ``event_regions`` (m, k, n_gates) bool (the region
            sequence, padded with False past its order; k is the largest order),
            ``event_appears``, ``event_stable_before``, ``event_stable_after`` (m,) int8
            (1 true, 0 false, -1 None) and ``event_brackets`` (m,); the scalars
            ``max_order``, ``seconds`` and ``filled``.
        """
        events = self.bifurcations
        k = max([b.order for b in events], default=0)
        n_gates = max([np.shape(b.regions)[1] for b in events if b.regions is not None],
                      default=0)
        regions = np.zeros((len(events), k, n_gates), dtype=bool)
        for i, b in enumerate(events):
            if b.regions is not None:
                regions[i, :b.order] = b.regions
        return {
            "values1": np.asarray(self.values1, dtype=float),
            "values2": np.asarray(self.values2, dtype=float),
            "n_cycles": self.n_cycles(), "n_stable": self.n_stable(),
            "event_points": self.curves(),
            "event_kinds": np.array([b.kind for b in events], dtype="U32"),
            "event_orders": np.array([b.order for b in events], dtype=np.int16),
            "event_regions": regions,
            "event_appears": np.array([_flag(b.appears) for b in events], dtype=np.int8),
            "event_stable_before": np.array([_flag(b.stable_before) for b in events],
                                            dtype=np.int8),
            "event_stable_after": np.array([_flag(b.stable_after) for b in events],
                                           dtype=np.int8),
            "event_brackets": np.array([b.bracket for b in events], dtype=float),
            "max_order": np.int64(self.max_order), "seconds": np.float64(self.seconds),
            "filled": np.int64(self.filled),
        }

    @classmethod
    def from_arrays(cls, arrays):
        """A grid from the arrays of :meth:`to_arrays`, e.g. a file read by ``numpy.load``.

        Parameters
        ----------
        arrays : mapping
            A dict, or the ``numpy.load`` of a ``.npz`` file, with at least the arrays of
            :attr:`REQUIRED_ARRAYS`; other keys (a script's settings) are ignored.
            Without ``event_regions`` and the event flags (files written before they were
            stored) those attributes of the bifurcations are None and the brackets NaN.

        Returns
        -------
        GridSweep
            With ``cycles`` None: :meth:`n_cycles` and :meth:`n_stable` return the stored
            counts.
        """
        return _grid_from_arrays(arrays, "arrays")


def _grid_from_arrays(arrays, name):
    """GridSweep.from_arrays, with errors that name the caller's argument ``name``."""
    if not hasattr(arrays, "keys") or not hasattr(arrays, "__getitem__"):
        raise TypeError(f"{name} must be a GridSweep's arrays (a dict, or a numpy.load of an "
                        f".npz file), got {type(arrays).__name__}")
    keys = set(arrays.keys())
    missing = sorted(set(GridSweep.REQUIRED_ARRAYS) - keys)
    if missing:
        raise ValueError(f"{name} is missing the arrays {missing}")
    v1 = as_float_array(f"{name}['values1']", arrays["values1"], ndim=1)
    v2 = as_float_array(f"{name}['values2']", arrays["values2"], ndim=1)
    counts = []
    for key in ("n_cycles", "n_stable"):
        arr = np.asarray(arrays[key])
        if arr.shape != (v1.size, v2.size) or not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"{name}['{key}'] must be integers of shape ({v1.size}, {v2.size}), "
                             f"got {arr.dtype} {arr.shape}")
        counts.append(arr.astype(int))
    points = as_float_array(f"{name}['event_points']", arrays["event_points"]).reshape(-1, 2)
    m = len(points)

    def per_event(key, default):
        if key not in keys:
            return [default] * m
        arr = np.asarray(arrays[key])
        if arr.shape[:1] != (m,):
            raise ValueError(f"{name}['{key}'] must have one entry per event point ({m}), got "
                             f"shape {arr.shape}")
        return arr

    kinds = per_event("event_kinds", None).astype(str)
    for kind in set(kinds.tolist()):
        if kind not in KINDS:
            raise ValueError(f"{name}['event_kinds'] must hold kinds from {KINDS}, got {kind!r}")
    orders = per_event("event_orders", None).astype(int)
    regions = per_event("event_regions", None)
    appears = per_event("event_appears", _UNKNOWN)
    before = per_event("event_stable_before", _UNKNOWN)
    after = per_event("event_stable_after", _UNKNOWN)
    brackets = per_event("event_brackets", np.nan)
    events = [Bifurcation(parameter=points[i].copy(), kind=str(kinds[i]), order=int(orders[i]),
                          regions=None if regions[i] is None
                          else np.asarray(regions[i][:orders[i]], dtype=bool),
                          appears=_unflag(appears[i]), stable_before=_unflag(before[i]),
                          stable_after=_unflag(after[i]), bracket=float(brackets[i]))
              for i in range(m)]
    seconds = float(np.asarray(arrays["seconds"])) if "seconds" in keys else 0.0
    filled = int(np.asarray(arrays["filled"])) if "filled" in keys else 0
    grid = GridSweep(v1, v2, None, events, int(np.asarray(arrays["max_order"])), seconds, filled)
    grid._stored_counts = tuple(counts)
    return grid


# -- the public sweeps ------------------------------------------------------------------------

def _check_family(family, n_params):
    if not callable(family):
        raise TypeError(f"family must be callable, p -> model (e.g. pl.ParameterFamily), got {type(family).__name__}")
    n = getattr(family, "n_params", None)
    if n is not None and n != n_params:
        raise ValueError(f"family has {n} parameter axes, but this sweep needs {n_params}")


def _model_at(family, point):
    """family(*point), checked to be a model, so a wrong family fails here and not in a worker."""
    from ..models.base import PiecewiseAffineModel

    try:
        model = family(*point)
    except TypeError as exc:
        raise TypeError(f"family could not be called with {len(point)} parameter(s): {exc}") from None
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"family(p) must return a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    return model


def _as_values(name, values):
    """Check a 1-D increasing array of parameter values."""
    values = as_float_array(name, values, ndim=1)
    if values.size < 2:
        raise ValueError(f"{name} must hold at least 2 parameter values, got {values.size}")
    if np.any(np.diff(values) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return values


#: The keywords of :func:`~plrnn_lib.find_cycles` that ``search_kwargs`` may set (a sweep
#: sets ``rng`` and ``seeds`` itself).
SEARCH_KEYWORDS = ("outer_loops", "inner_loops", "region_pool", "min_order", "point_tol")


def _check_options(continuation, progress, search_kwargs, locate_events=True):
    for name, flag in (("continuation", continuation), ("progress", progress),
                       ("locate_events", locate_events)):
        as_bool(name, flag)
    if search_kwargs is None:
        return dict(CONTINUATION_SEARCH) if continuation else {}
    if not isinstance(search_kwargs, dict):
        raise TypeError(f"search_kwargs must be a dict of find_cycles keywords, got {type(search_kwargs).__name__}")
    unknown = sorted(set(search_kwargs) - set(SEARCH_KEYWORDS))
    if unknown:
        raise ValueError(f"search_kwargs has keywords find_cycles does not take in a sweep: {unknown}; "
                         f"allowed: {list(SEARCH_KEYWORDS)}")
    return dict(search_kwargs)


def sweep(family, values, max_order, *, continuation=True, tol=1e-7, rng=None, executor=None,
          n_jobs=None, scheduler=None, progress=True, search_kwargs=None):
    r"""Sweep one parameter: cycles, stability and bifurcations of ``family(p)`` for p in ``values``.

    At each value SCYFI finds the cycles up to ``max_order``; between consecutive values every
    cycle whose existence or stability differs is followed by bisection to the parameter where
    it changes (to within ``tol``) and the change is classified as a border collision,
    degenerate transcritical, degenerate flip or Neimark-Sacker bifurcation
    (Eisenmann et al., 2023, section 3).

    In formulas: for each :math:`p_i` the cycles of :math:`F_{p_i}` = ``family(p_i)`` of
    orders :math:`k \le` ``max_order`` are found; a cycle with region sequence
    :math:`d_1, \dots, d_k` is followed between :math:`p_i` and :math:`p_{i+1}` through its
    candidate :math:`(I - P(p))\, z_1 = c(p)`, :math:`P(p) = J_p(d_k) \cdots J_p(d_1)`, and
    :func:`~plrnn_lib.bifurcations.locate` halves the bracket until it is at most ``tol``
    wide.

    Parameters
    ----------
    family : callable
        ``family(p)`` returns the model at parameter ``p`` (a :class:`ParameterFamily`, e.g.
        :meth:`ParameterFamily.segment` between two training checkpoints, or any picklable
        callable).
    values : array_like, shape (n,)
        Strictly increasing parameter values.
    max_order : int
        Largest cycle order searched.
    continuation : bool
        Seed each search with the neighbouring value's cycles, run a light search, and fill
        (see the module notes).  ``False`` runs independent full searches with the reference
        loop counts, which is slower and can miss cycles.
    tol : float
        Bisection tolerance: the width, in parameter units, of the bracket each located
        bifurcation lies in.
    rng : None, int or numpy.random.Generator
        Makes the sweep reproducible, wherever it runs.
    executor : concurrent.futures.Executor, optional
        Where the chunks of values run (see :func:`plrnn_lib.parallel.run_tasks`).
    n_jobs : int, optional
        Workers of the default local process pool (default: every core); 1 runs in this
        process.
    scheduler : str, optional
        Address of a dask.distributed scheduler to run the chunks on.
    progress : bool
        Show a progress bar (over chunks of values).
    search_kwargs : dict, optional
        Passed to :func:`plrnn_lib.find_cycles` (e.g. ``outer_loops``); the default with
        continuation is :data:`CONTINUATION_SEARCH` (one restart, inner loops capped at 30).

    Returns
    -------
    Sweep
    """
    _check_family(family, 1)
    values = _as_values("values", values)
    max_order = as_int("max_order", max_order, minimum=1)
    tol = as_real("tol", tol, minimum=0.0)
    rng = as_rng(rng)
    search_kwargs = _check_options(continuation, progress, search_kwargs)
    runner = dict(executor=executor, n_jobs=n_jobs, scheduler=scheduler, progress=progress)
    start = time.perf_counter()
    params = [(float(v),) for v in values]
    _model_at(family, params[0])
    n = len(params)
    size = CHUNK_SIZE if continuation else 1
    chunks = [params[a:a + size] for a in range(0, n, size)]
    cycle_sets, events, filled = _sweep_points(
        family, params, chunks, lambda i: [j for j in (i - 1, i + 1) if 0 <= j < n],
        [(i, i + 1) for i in range(n - 1)], max_order, continuation, search_kwargs, tol, rng,
        runner, "sweep", locate_events=True)
    events.sort(key=lambda b: b.parameter)
    return Sweep(values, cycle_sets, events, max_order, time.perf_counter() - start, filled)


def sweep_grid(family, values1, values2, max_order, *, continuation=True, tol=1e-6, rng=None,
               executor=None, n_jobs=None, scheduler=None, progress=True, search_kwargs=None,
               locate_events=True):
    r"""Sweep two parameters over a grid: cycles per point and the bifurcation curves.

    Point ``(i, j)`` is ``family(values1[i], values2[j])``.  Continuation runs along each row
    of the grid and the fill pass across all eight neighbours; every grid edge across which the
    set of cycles or their stability changes is bisected, which locates and classifies a point
    of a bifurcation curve (Eisenmann et al., 2023, Fig. 2 draws these curves for the toy model
    over :math:`(\Delta a_{11}, \Delta a_{22})`).

    Parameters are those of :func:`sweep` (the rows of the grid are the chunks that run in
    parallel); ``locate_events=False`` skips the bisection and returns only the cycles per
    point.

    Returns
    -------
    GridSweep
    """
    _check_family(family, 2)
    values1 = _as_values("values1", values1)
    values2 = _as_values("values2", values2)
    max_order = as_int("max_order", max_order, minimum=1)
    tol = as_real("tol", tol, minimum=0.0)
    rng = as_rng(rng)
    search_kwargs = _check_options(continuation, progress, search_kwargs, locate_events)
    runner = dict(executor=executor, n_jobs=n_jobs, scheduler=scheduler, progress=progress)
    start = time.perf_counter()
    n1, n2 = values1.size, values2.size
    params = [(float(a), float(b)) for a in values1 for b in values2]
    _model_at(family, params[0])
    # one chunk per row: continuation runs along values2
    chunks = [params[i * n2:(i + 1) * n2] for i in range(n1)]

    def neighbours(idx):
        # Diagonal neighbours too: a thin tongue of existence that runs obliquely to the
        # grid (resonance tongues of high-order cycles do) connects its cells only diagonally.
        i, j = divmod(idx, n2)
        out = []
        for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)):
            a, b = i + di, j + dj
            if 0 <= a < n1 and 0 <= b < n2:
                out.append(a * n2 + b)
        return out

    edges = [(idx, idx + 1) for idx in range(len(params)) if (idx % n2) + 1 < n2]
    edges += [(idx, idx + n2) for idx in range(len(params) - n2)]
    cycle_sets, events, filled = _sweep_points(
        family, params, chunks, neighbours, edges, max_order, continuation, search_kwargs, tol,
        rng, runner, "grid sweep", locate_events)
    grid = np.empty((n1, n2), dtype=object)
    for idx, cs in enumerate(cycle_sets):
        grid[divmod(idx, n2)] = cs
    return GridSweep(values1, values2, grid, events, max_order, time.perf_counter() - start, filled)


def orbit_diagram(family, values, z0, n_transient=500, n_keep=100, coordinate=0):
    r"""Long-run states of ``family(p)`` by simulation, for an orbit (Feigenbaum-style) diagram.

    For each value :math:`p` the model :math:`F_p` = ``family(p)`` is iterated from
    :math:`z_0` = ``z0``, :math:`z_t = F_p(z_{t-1})`, and the chosen coordinate :math:`m` of
    the last ``n_keep`` states is kept: the pairs :math:`(p, (z_t)_m)` for
    :math:`T < t \le T + n` with :math:`T` = ``n_transient`` and :math:`n` = ``n_keep``.
    Only attracting sets reached from ``z0`` show up (stable cycles, but also chaotic
    attractors, which have no cycle to find), so the diagram complements
    :meth:`~plrnn_lib.bifurcations.Sweep.diagram`, which shows every cycle SCYFI finds,
    stable or not (Eisenmann et al., 2023).  Diverging orbits give inf/NaN entries, which
    plotting skips.

    Returns
    -------
    p, z : ndarray, shape (len(values) * n_keep,)
    """
    if not callable(family):
        raise TypeError(f"family must be callable, got {type(family).__name__}")
    values = as_float_array("values", values, ndim=1)
    n_transient = as_int("n_transient", n_transient, minimum=0)
    n_keep = as_int("n_keep", n_keep, minimum=1)
    coordinate = as_int("coordinate", coordinate, minimum=0)
    p_out, z_out = [], []
    for v in values:
        model = family(float(v))
        if coordinate >= model.M:
            raise ValueError(f"coordinate must be < M = {model.M}, got {coordinate}")
        traj = model.simulate(z0, n_transient + n_keep)[-n_keep:, coordinate]
        p_out.append(np.full(n_keep, v))
        z_out.append(traj)
    return np.concatenate(p_out), np.concatenate(z_out)
