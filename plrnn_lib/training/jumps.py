"""Loss jumps: abrupt changes of a training curve, found by a stated rule."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import as_float_array, as_int, as_real


class LossJump(NamedTuple):
    """One detected jump: ``loss[index]`` differs abruptly from ``loss[index - 1]``.

    ``ratio`` is ``loss[index] / loss[index - 1]`` (above 1: up, below 1: down) and
    ``score`` the size of the step in units of the typical step before it.
    """

    index: int
    ratio: float
    score: float


def detect_jumps(loss, *, window=20, threshold=10.0, min_ratio=1.25):
    r"""Find loss jumps: steps of the log-loss far larger than the steps just before them.

    With :math:`r_i = \log L_i - \log L_{i-1}` and :math:`s_i` the median of
    :math:`|r_j|` over the ``window`` steps before :math:`i`, step :math:`i` is a jump when

    .. math:: |r_i| > \text{threshold}\cdot s_i \quad\text{and}\quad
              e^{|r_i|} > \text{min\_ratio},

    i.e. the loss changes by at least the factor ``min_ratio`` in one step, many times more
    than it typically changed just before (the rule of the book, chapter 7; Eisenmann et
    al., 2023, call such abrupt changes loss jumps).  Of consecutive jump steps only the
    largest is kept.

    Parameters
    ----------
    loss : array_like, shape (n,)
        Positive losses, one per epoch (or update).
    window : int
        Number of preceding steps that set the typical step size (at least 2 are needed;
        the first steps use the ones available).
    threshold : float
        How many typical steps a jump must be.
    min_ratio : float
        Smallest factor of change that counts, > 1.

    Returns
    -------
    list of LossJump
    """
    loss = as_float_array("loss", loss, ndim=1)
    if np.any(loss <= 0):
        raise ValueError("loss must be positive (its logarithm is used)")
    window = as_int("window", window, minimum=2)
    threshold = as_real("threshold", threshold, minimum=0.0)
    min_ratio = as_real("min_ratio", min_ratio, minimum=1.0)
    r = np.diff(np.log(loss))
    found = []
    for i in range(2, r.size):
        past = np.abs(r[max(0, i - window):i])
        typical = np.median(past)
        size = abs(r[i])
        score = size / typical if typical > 0 else np.inf
        if score > threshold and size > np.log(min_ratio):
            found.append(LossJump(i + 1, float(np.exp(r[i])), float(score)))
    merged = []
    for jump in found:
        if merged and jump.index == merged[-1].index + 1:
            if abs(np.log(jump.ratio)) > abs(np.log(merged[-1].ratio)):
                merged[-1] = jump
            continue
        merged.append(jump)
    return merged
