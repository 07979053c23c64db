"""Exhaustive cycle search: every region sequence of a given length (Eisenmann et al., 2023)."""
from __future__ import annotations

import numpy as np

from .._checks import as_int
from . import _engine
from .cycle import CycleSet
from .regions import realisable_regions
from .scyfi import check_model, check_tol, make_cycle, region_sequence

#: Default limit on the number of region sequences ``n_regions ** order`` to try.
MAX_SEQUENCES = 2 ** 22


def exhaustive_cycles(model, order, *, regions=None, max_sequences=MAX_SEQUENCES, tol=1e-9):
    r"""Every cycle of minimal period ``order``, by trying every region sequence.

    For each sequence :math:`d_1..d_k` the candidate :math:`(I - P) z_1 = c`,
    :math:`P = J(d_k) \cdots J(d_1)`, is solved and kept when its points lie in their
    regions (a real cycle; Eisenmann et al., 2023).  There are ``n_regions ** order``
    sequences (``2**(M k)`` for the PLRNN), which is the brute force SCYFI avoids.  Only
    sequences whose first region is their smallest (one rotation of every cycle) are solved.
    Sequences with a singular ``I - P`` (no isolated cycle) are skipped.

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
    tol : float
        Relative tolerance to call two points equal.

    Returns
    -------
    CycleSet
    """
    check_model(model)
    order = as_int("order", order, minimum=1)
    max_sequences = as_int("max_sequences", max_sequences, minimum=1)
    tol = check_tol(tol)
    if regions is None:
        # counting first: realisable_regions is cheap for the PLRNN and linear in cells otherwise
        if model._gate_is_identity and model.n_gates * order > max_sequences.bit_length():
            _too_many(2 ** model.n_gates, order, max_sequences)
        pool = realisable_regions(model)
    else:
        pool = region_sequence("regions", regions, model)
        pool = np.unique(pool, axis=0)
    n = pool.shape[0]
    if n ** order > max_sequences:
        _too_many(n, order, max_sequences)
    A, W, G, g, b = model.affine_parts()
    pts, regs, n_eval = _engine.exhaustive_search(A, W, G, g, b, model._gate_is_identity,
                                                  pool, order, tol)
    cycles = [make_cycle(model, p, r) for p, r in zip(pts, regs)]
    return CycleSet(cycles, {order: int(n_eval)})


def _too_many(n, order, max_sequences):
    raise ValueError(
        f"exhaustive search over {n} regions and order={order} needs {n}**{order} = {n ** order} "
        f"region sequences, more than max_sequences={max_sequences}; use find_cycles (SCYFI) "
        f"or pass a larger max_sequences")
