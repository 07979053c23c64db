"""Exhaustive cycle search: every region sequence of a given length (Eisenmann et al., 2023)."""
from __future__ import annotations

import math

import numpy as np

from .._checks import as_int
from . import _linalg, _search
from ._arguments import POINT_TOL, check_model, check_point_tol, make_cycle, region_sequence
from .cycle import CycleSet
from .regions import realisable_regions

#: Default limit on the number of region sequences ``n_regions ** order`` to try.
MAX_SEQUENCES = 2 ** 22
#: Largest memory for the region matrices (n_regions x M x M floats) of one exhaustive search.
MAX_BYTES = 2 ** 30


def exhaustive_cycles(model, order, *, regions=None, max_sequences=MAX_SEQUENCES,
                      point_tol=POINT_TOL):
    r"""Every cycle of minimal period ``order``, by trying every region sequence.

    For each sequence :math:`d_1..d_k` the candidate :math:`(I - P) z_1 = c`,
    :math:`P = J(d_k) \cdots J(d_1)`, is solved and kept when its points lie in their
    regions (a real cycle; Eisenmann et al., 2023).  There are ``n_regions ** order``
    sequences (``2**(M k)`` for the PLRNN), which is the brute force SCYFI avoids.  Only
    sequences whose first region is their smallest (one rotation of every cycle) are solved.
    Sequences with a numerically singular ``I - P`` (the rule of
    :func:`~plrnn_lib.cycle_candidate`) are skipped.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
    order : int
        The minimal period k (1 for fixed points).
    regions : (n, n_gates) bool array, optional
        The regions to combine.  Default: all ``2**M`` patterns for the PLRNN and exactly
        the realisable (nonempty) ones for the shallow PLRNN
        (:func:`~plrnn_lib.cycles.regions.realisable_regions`).
    max_sequences : int
        Refuse (ValueError) when ``n ** order`` exceeds this (default ``2**22``).
    point_tol : float
        Relative tolerance to call two points equal (as in :func:`~plrnn_lib.find_cycles`).

    Returns
    -------
    CycleSet
    """
    check_model(model)
    order = as_int("order", order, minimum=1)
    max_sequences = as_int("max_sequences", max_sequences, minimum=1)
    point_tol = check_point_tol(point_tol)
    if regions is None:
        # Count before enumerating: the PLRNN has exactly 2**M regions; H hyperplanes cut R^M
        # into at least H + 1 and at most sum_{i <= M} C(H, i) regions (Zaslavsky), and
        # enumerating them by linear programming takes long, so refuse early when even the
        # fewest would be too many.
        if model.affine_parts().gate_is_identity:
            _check_count(2, model.n_gates, order, max_sequences)
            _check_bytes(2 ** model.n_gates, model.M)
        else:
            _check_count(model.n_gates + 1, 1, order, max_sequences)
        pool = realisable_regions(model)
    else:
        pool = region_sequence("regions", regions, model)
        pool = np.unique(pool, axis=0)
    n = pool.shape[0]
    _check_count(n, 1, order, max_sequences)
    _check_bytes(n, model.M)
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    pts, regs, n_eval = _search.exhaustive_search(A, W, G, g, b, gate_is_identity, pool, order,
                                                  point_tol, _linalg.lapack_from())
    cycles = [make_cycle(model, p, r) for p, r in zip(pts, regs)]
    return CycleSet(cycles, {order: int(n_eval)})


def _check_bytes(n, M):
    """Refuse when the matrices of n regions of an M-unit model exceed MAX_BYTES."""
    needed = n * M * M * 8
    if needed > MAX_BYTES:
        raise ValueError(
            f"exhaustive search over {n} regions of a model with M={M} needs "
            f"{needed / 2 ** 30:.1f} GiB for their matrices, more than "
            f"{MAX_BYTES / 2 ** 30:.0f} GiB; use find_cycles (SCYFI) or pass fewer regions")


def _check_count(base, power, order, max_sequences):
    """Refuse when (base**power)**order region sequences exceed max_sequences.

    A huge order is refused without computing its count, and the message stays short.
    """
    n_log2 = power * order * math.log2(base)
    # exact integers where they stay small, logarithms beyond (a huge order answers at once)
    too_many = base ** (power * order) > max_sequences if n_log2 < 4096 else True
    if too_many:
        n = f"{base}**{power * order}" if power > 1 else f"{base}**{order}"
        size = f" = {base ** (power * order):,}" if n_log2 <= 64 else ""
        raise ValueError(
            f"exhaustive search with order={order} needs {n}{size} region sequences, more "
            f"than max_sequences={max_sequences}; use find_cycles (SCYFI) or pass a larger "
            f"max_sequences")
