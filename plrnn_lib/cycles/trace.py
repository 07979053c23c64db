"""A step-by-step record of SCYFI for teaching (chapter 3's widget).

:func:`trace_scyfi` runs the *same* numba loop as :func:`find_cycles` for one order, with
the same random stream, but passes record buffers; numba compiles the recording branches
only into that specialisation, so the plain search pays nothing for them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import as_int
from . import _arguments as _args
from . import _search
from ._arguments import POINT_TOL, check_model
from .cycle import CycleSet
from .scyfi import default_inner_loops, default_outer_loops

#: Names of the step outcomes.
STATUS_NAMES = {
    _search.VIRTUAL: "virtual",
    _search.REAL_NEW: "real (new)",
    _search.REAL_DUPLICATE: "real (found before)",
    _search.REAL_LOWER_ORDER: "real (lower period)",
    _search.SINGULAR: "singular",
    _search.VIRTUAL_VISITED: "virtual (visited)",
}


@dataclass(frozen=True)
class TraceStep:
    r"""One SCYFI iteration (Eisenmann et al., 2023, Algorithm 1).

    For the assumed regions :math:`d_1, \dots, d_k` the step solves the candidate cycle

    .. math:: (I - P)\, z_1 = c, \qquad P = J(d_k) \cdots J(d_1), \qquad
              z_{j+1} = J(d_j)\, z_j + c(d_j),

    and records the regions :math:`a_j = [G z_j + g > 0]` the points really lie in.  The
    candidate is real when :math:`a_j = d_j` for every j, virtual otherwise.  After a virtual
    candidate the next step assumes :math:`a_1, \dots, a_k` (a jump) unless that sequence was
    tried before (status 'virtual (visited)'); after any other outcome it draws random regions.

    Attributes
    ----------
    index : int
    outer, inner : int
        The loop counters after this step (both 0 right after a new cycle).
    assumed : (k, n_gates) bool
        The regions the candidate was solved for.
    points : (k, M)
        The candidate's points (NaN when ``I - P`` was singular).
    actual : (k, n_gates) bool
        The regions the points really lie in.
    status : str
        'virtual', 'virtual (visited)', 'real (new)', 'real (found before)',
        'real (lower period)' or 'singular'.  'virtual (visited)' is a virtual candidate
        whose actual regions were tried before (up to a cyclic shift), so the search does
        not jump there (a deviation from the reference, see :func:`~plrnn_lib.find_cycles`).
    next_move : str
        'jump' (to ``actual``, after a 'virtual' candidate) or 'redraw' (random regions).
    """

    index: int
    outer: int
    inner: int
    assumed: np.ndarray
    points: np.ndarray
    actual: np.ndarray
    status: str

    @property
    def is_real(self) -> bool:
        """True when the candidate was a real cycle (new, found before or of lower period)."""
        return self.status.startswith("real")

    @property
    def next_move(self) -> str:
        """'jump' (to ``actual``, after a 'virtual' candidate) or 'redraw' (random regions)."""
        return "jump" if self.status == "virtual" else "redraw"


class ScyfiTrace:
    r"""The record of a SCYFI run for one order: arrays over steps plus :class:`TraceStep` views.

    Step :math:`n` holds the assumed regions :math:`d^{(n)}_1, \dots, d^{(n)}_k`, the candidate
    points solving :math:`(I - P^{(n)})\, z_1 = c^{(n)}` and the regions
    :math:`a^{(n)}_j = [G z_j + g > 0]` they lie in.  The next step assumes
    :math:`d^{(n+1)} = a^{(n)}` after a virtual candidate (a jump; see :class:`TraceStep`)
    and random regions otherwise.  ``inner`` counts the steps since the last
    re-initialisation (at most :math:`N_{\mathrm{in}}`), ``outer`` the re-initialisations
    (at most :math:`N_{\mathrm{out}}`); a new cycle resets both to 0
    (Eisenmann et al., 2023, Algorithm 1).

    Attributes
    ----------
    order : int
    assumed, actual : ndarray of bool, (n_steps, k, n_gates)
    points : ndarray, (n_steps, k, M)
    status : ndarray of int8, (n_steps,)  (codes; ``STATUS_NAMES`` maps them to text)
    outer, inner : ndarray of int, (n_steps,)
    cycles : CycleSet
        The cycles found within the recorded steps.
    finished : bool
        True when the search ended by itself within ``max_steps``.
    """

    def __init__(self, order, assumed, points, actual, status, outer, inner, cycles, finished):
        self.order = order
        self.assumed, self.points, self.actual = assumed, points, actual
        self.status, self.outer, self.inner = status, outer, inner
        self.cycles = cycles
        self.finished = finished

    def __len__(self):
        return self.status.shape[0]

    def __getitem__(self, i):
        n = len(self)
        if not isinstance(i, (int, np.integer)):
            raise TypeError("ScyfiTrace indices must be integers")
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"step {i} out of range for a trace of {n} steps")
        return TraceStep(int(i), int(self.outer[i]), int(self.inner[i]), self.assumed[i],
                         self.points[i], self.actual[i], STATUS_NAMES[int(self.status[i])])

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def status_names(self):
        """The outcome of every step as text."""
        return [STATUS_NAMES[int(s)] for s in self.status]

    def __repr__(self):
        counts = {}
        for name in self.status_names():
            counts[name] = counts.get(name, 0) + 1
        summary = ", ".join(f"{v} {k}" for k, v in counts.items())
        return (f"ScyfiTrace(order={self.order}, steps={len(self)}, {summary}; "
                f"{len(self.cycles)} cycles, finished={self.finished})")


def trace_scyfi(model, order, *, rng=None, max_steps=200, outer_loops=None, inner_loops=None,
                seeds=None, region_pool=None, point_tol=POINT_TOL):
    r"""Record SCYFI's iterations for one cycle order.

    Each step solves :math:`(I - P) z_1 = c` for the assumed regions and records the
    candidate points, the regions they really lie in, and the outcome; the next step jumps
    to those regions (virtual candidate) or redraws (Eisenmann et al., 2023, Algorithm 1).
    A virtual candidate pointing into regions tried before is marked 'virtual (visited)' and
    followed by a redraw instead of a jump (see :func:`~plrnn_lib.find_cycles`).
    With the same ``rng`` and settings the steps are exactly those of
    ``find_cycles(model, max_order, ...)`` for this order.

    Parameters
    ----------
    model, rng, outer_loops, inner_loops, region_pool, point_tol
        As in :func:`find_cycles`.
    order : int
        The cycle order k.
    max_steps : int
        Stop recording after this many steps (the search may then be unfinished).
    seeds : iterable of (order, n_gates) bool arrays, optional
        Region sequences tried first.

    Returns
    -------
    ScyfiTrace
    """
    check_model(model)
    order = as_int("order", order, minimum=1)
    max_steps = as_int("max_steps", max_steps, minimum=1, maximum=10_000_000)
    point_tol = _args.check_point_tol(point_tol)
    _args.check_loop_counts(outer_loops, inner_loops)
    seeds = _args.seeds_by_order(seeds, model, order)
    if any(k != order for k in seeds):
        raise ValueError(f"seeds must all have {order} rows for a trace of order {order}")
    base, pool = _args.streams(model, rng, region_pool)   # as find_cycles and trace_scyfi
    n_outer = _args.loop_count("outer_loops", outer_loops, order, default_outer_loops)
    n_inner = _args.loop_count("inner_loops", inner_loops, order, default_inner_loops)
    record = _search.empty_trace_record(max_steps, order, model.M, model.n_gates)
    pts, regs, after, n_eval, n_sing, n_steps = _args.run_order(
        model, order, n_outer, n_inner, pool, seeds.get(order), _args.stream_state(base, order),
        point_tol, _args.region_maps_for(model, order), record)
    n_steps = int(n_steps)
    cycles = CycleSet([_args.make_cycle(model, p, r, a) for p, r, a in zip(pts, regs, after)],
                      {order: int(n_eval)}, {order: int(n_sing)})
    finished = n_steps < max_steps or _ends_here(record, n_steps, n_outer, n_inner,
                                                 seeds.get(order))
    return ScyfiTrace(order, *(r[:n_steps] for r in record), cycles=cycles, finished=finished)


def _ends_here(record, n_steps, n_outer, n_inner, seeds):
    """Whether the search would stop right after exactly ``max_steps`` steps."""
    outer, inner = record.outer[n_steps - 1], record.inner[n_steps - 1]
    return seeds is None and outer >= n_outer and inner >= n_inner
