"""Argument handling shared by find_cycles, trace_scyfi, exhaustive_cycles and cycle_candidate.

Every public entry point of the cycle searches converts its arguments here, so a bad value
is reported with the argument's name before it reaches a numba kernel.
"""
from __future__ import annotations

import functools

import numpy as np

from .._checks import as_int, as_real, as_region, as_rng, is_seed
from ..models.base import PiecewiseAffineModel
from . import _linalg, _search
from .cycle import Cycle, CycleCandidate

#: Default relative tolerance to call two points of the searches equal (``point_tol``).
POINT_TOL = 1e-9


def check_model(model):
    """``model`` itself, or a TypeError when it is not a PLRNN or ShallowPLRNN."""
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    return model


def check_point_tol(point_tol):
    """The relative point tolerance as a float in [0, 1e-2]."""
    return as_real("point_tol", point_tol, minimum=0.0, maximum=1e-2)


def check_loop_counts(outer_loops, inner_loops):
    """Reject non-integer or negative loop counts early (callables are checked per order)."""
    for name, value in (("outer_loops", outer_loops), ("inner_loops", inner_loops)):
        if value is not None and not callable(value):
            as_int(name, value, minimum=0)


def loop_count(name, value, order, default):
    """N_out or N_in for one order: the default, a callable of the order, or an int."""
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
        raise ValueError(f"{name} must have shape (k, {model.n_gates}) with k >= 1, "
                         f"got {np.shape(value)}")
    if order is not None and arr.shape[0] != order:
        raise ValueError(f"{name} must have {order} rows, got {arr.shape[0]}")
    rows = [as_region(f"{name}[{j}]", arr[j], model.n_gates) for j in range(arr.shape[0])]
    return np.ascontiguousarray(np.array(rows, dtype=bool))


def seeds_by_order(seeds, model, max_order):
    """Group seed region sequences by order: dict k -> (n, k, n_gates) bool."""
    out = {}
    if seeds is None:
        return out
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError("seeds must be an iterable of region sequences "
                        "(each (k, n_gates) bool) or Cycles")
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


def _pool_or_default(model, pool):
    """``pool``, or for None the default: 'all' for the PLRNN, 'sampled' otherwise."""
    if pool is None:
        return "all" if model.affine_parts().gate_is_identity else "sampled"
    return pool


def region_pool(model, pool, rng):
    """The pool random regions are drawn from: (0, H) means 'every pattern, fair coins'."""
    from .regions import realisable_regions, sampled_regions

    H = model.n_gates
    pool = _pool_or_default(model, pool)
    if isinstance(pool, str):
        if pool == "all":
            return np.zeros((0, H), dtype=bool)
        if pool == "sampled":
            return sampled_regions(model, rng)
        if pool == "realisable":
            return realisable_regions(model)
        raise ValueError(f"region_pool must be 'all', 'sampled', 'realisable' or an array, "
                         f"got {pool!r}")
    arr = np.asarray(pool)
    if arr.ndim != 2 or arr.shape[1] != H or arr.shape[0] == 0:
        raise ValueError(f"region_pool must have shape (n, {H}) with n >= 1, got {arr.shape}")
    return region_sequence("region_pool", arr, model)


def stream_base(rng):
    """One 64-bit draw from the user's generator; every order derives its own stream from it."""
    return int(rng.integers(0, 2 ** 63, dtype=np.int64))


@functools.lru_cache(maxsize=1024)
def _stream_base_of_seed(seed):
    return stream_base(np.random.default_rng(seed))


def streams(model, rng, pool):
    """(stream base, region pool) for ``rng`` (None, a seed or a Generator) and the
    ``region_pool`` argument: the base is drawn first, then a sampled pool from the same
    generator.

    For an integer seed and a pool that draws nothing, no generator is made: the base of
    a seed is always the same and is remembered.  (Making numpy's Generator costs about
    13 us, a quarter of the Python around a search, and sweeps call the search with one
    seed at every parameter value.)
    """
    pool = _pool_or_default(model, pool)
    draws = isinstance(pool, str) and pool == "sampled"
    if not draws and is_seed(rng):
        return _stream_base_of_seed(int(rng)), region_pool(model, pool, None)
    rng = as_rng(rng)
    base = stream_base(rng)
    return base, region_pool(model, pool, rng)


def stream_state(base, order):
    """SplitMix64 state of the stream for one order (independent of which orders are run)."""
    return np.array([(base + 0xD1B54A32D192ED03 * order) % 2 ** 64], dtype=np.uint64)


def make_cycle(model, points, regions, found_after=None):
    """A :class:`Cycle` with its k-step Jacobian P = J(d_k) ... J(d_1)."""
    P = np.eye(model.M)
    for d in regions:
        P = model.region_matrix(d) @ P
    return Cycle(points, regions, P, found_after)


def region_maps_for(model, max_order):
    """Region-map buffers for searches of ``model`` up to ``max_order`` (shared by the orders)."""
    return _linalg.region_map_table(model.M, model.n_gates, max_order)


def run_order(model, order, n_outer, n_inner, pool, seeds, state, point_tol, maps,
              record=None):
    """SCYFI's kernel for one order (a :class:`~._search.TraceRecord` as ``record`` traces it)."""
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    if seeds is None:
        seeds = np.zeros((0, order, model.n_gates), dtype=bool)
    return _search.scyfi_search(A, W, G, g, b, gate_is_identity, order, n_outer, n_inner,
                                pool, seeds, state, point_tol, _linalg.lapack_from(), maps,
                                record)


def candidate(model, regions):
    """(ok, points, actual, P, c) of one region sequence (k, n_gates), as the searches solve it."""
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    return _search.candidate_for(A, W, G, g, b, gate_is_identity, regions,
                                 _linalg.lapack_from())
