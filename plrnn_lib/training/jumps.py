"""Loss jumps: abrupt changes of a training curve, found by a stated rule."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import as_float_array, as_int, as_real


class LossJump(NamedTuple):
    r"""One detected jump: ``loss[index]`` differs abruptly from ``loss[index - 1]``.

    ``ratio`` is :math:`L_i / L_{i-1}` (above 1: up, below 1: down) and ``score`` the size
    :math:`|\log L_i - \log L_{i-1}|` of the step in units of the typical step before it;
    the loss jumps of Eisenmann et al. (2023).
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


def segment_family(before, after):
    r"""The straight parameter path from one model to another, as a one-parameter family.

    ``family(p)`` is the model with parameters :math:`\theta(p) = \theta_0 + p\,(\theta_1 -
    \theta_0)`, so ``family(0)`` is ``before`` and ``family(1)`` is ``after``: one training
    update, on which :func:`plrnn_lib.sweep` can locate and classify every bifurcation
    crossed (Eisenmann et al., 2023, Fig. 2 and 4, run SCYFI on checkpoints around jumps).

    Parameters
    ----------
    before, after : PLRNN or ShallowPLRNN
        Two models of the same kind and size (e.g. ``history.model_at(e - 1)`` and
        ``history.model_at(e)``).

    Returns
    -------
    ParameterFamily
    """
    from ..bifurcations import ParameterFamily
    if type(before) is not type(after):
        raise TypeError("before and after must be models of the same kind, got "
                        f"{type(before).__name__} and {type(after).__name__}")
    p0, p1 = before.params(), after.params()
    if set(p0) != set(p1) or any(p0[k].shape != p1[k].shape for k in p0):
        raise ValueError("before and after must have parameters of the same names and shapes")
    targets = []
    for name in p0:
        diff = np.asarray(p1[name], dtype=float) - np.asarray(p0[name], dtype=float)
        # ParameterFamily moves a PLRNN's A as its (M, M) matrix: a diagonal entry is (i, i)
        as_matrix = name == "A" and diff.ndim == 1 and before.params()["A"].ndim == 1 \
            and before.__class__.__name__ == "PLRNN"
        for idx in zip(*np.nonzero(diff)):
            key = (int(idx[0]), int(idx[0])) if as_matrix else tuple(int(i) for i in idx)
            targets.append((name, key, float(diff[idx])))
    if not targets:
        raise ValueError("before and after have the same parameters: there is no path")
    return ParameterFamily(before, targets)


class JumpExplanation(NamedTuple):
    r"""The bifurcations crossed by the training updates around one loss jump.

    Each update :math:`\theta_{e-1} \to \theta_e` is swept along
    :math:`\theta_{e-1} + p\,(\theta_e - \theta_{e-1})`, :math:`p \in [0, 1]`
    (Eisenmann et al., 2023, relate loss jumps to the bifurcations crossed).

    ``updates`` lists the snapshot pairs ``(e - 1, e)`` swept; ``bifurcations`` holds
    ``(e, Bifurcation)`` pairs, the update and the located, classified event on it.
    """

    jump: LossJump
    updates: tuple
    bifurcations: list


def explain_jumps(history, jumps, max_order, *, before=1, after=0, n_values=5, rng=None,
                  n_jobs=1):
    r"""Run SCYFI along the training updates around each loss jump.

    For a jump at ``loss[i]`` (with one batch per epoch, ``loss[i]`` is the loss of snapshot
    ``i``), the updates from snapshot ``e - 1`` to ``e`` for
    :math:`e = i - \text{before} + 1, \dots, i + \text{after}` are each swept with
    :func:`plrnn_lib.sweep` along :func:`segment_family`, which finds the cycles up to
    ``max_order`` and locates and classifies every bifurcation on the way (Eisenmann et al.,
    2023, who run SCYFI on the checkpoints around a jump).

    Parameters
    ----------
    history : TrainingHistory
    jumps : sequence of LossJump
        From :func:`detect_jumps` applied to ``history.loss``.
    max_order : int
        Largest cycle order searched.
    before, after : int
        How many updates up to and after the jump to sweep.
    n_values : int
        Parameter values per update (the ends included); bisection does the rest.
    rng : int, optional
        Seed of the cycle searches.

    Returns
    -------
    list of JumpExplanation
    """
    from ..bifurcations import sweep
    before = as_int("before", before, minimum=1)
    after = as_int("after", after, minimum=0)
    n_values = as_int("n_values", n_values, minimum=2)
    out = []
    for jump in jumps:
        updates, found = [], []
        lo = max(1, jump.index - before + 1)
        hi = min(history.n_epochs, jump.index + after)
        for e in range(lo, hi + 1):
            m0, m1 = history.model_at(e - 1), history.model_at(e)
            if all(np.array_equal(m0.params()[k], m1.params()[k]) for k in m0.params()):
                continue
            res = sweep(segment_family(m0, m1), np.linspace(0.0, 1.0, n_values), max_order,
                        rng=rng, n_jobs=n_jobs, progress=False)
            updates.append((e - 1, e))
            found.extend((e, b) for b in res.bifurcations)
        out.append(JumpExplanation(jump, tuple(updates), found))
    return out
