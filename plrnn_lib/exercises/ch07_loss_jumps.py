"""Checks for the exercises of chapter 7 (loss jumps during training)."""
from __future__ import annotations

import numpy as np

from ..training.jumps import detect_jumps
from ._feedback import ExerciseError, passed

__all__ = ["exercise_loss_curve", "check_jump_epochs"]


def exercise_loss_curve(n_epochs=300, seed=7):
    r"""A loss curve with a few cliffs, for exercise ex-07-jump-rule.

    A slow decay :math:`L_t = 2\,e^{-t/150}` with 1 % multiplicative noise, a drop by a
    factor 5 at epoch 60, a rise by a factor 3 at epoch 131 and a drop by a factor 10 spread
    over the epochs 200 and 201 (so two consecutive steps pass the rule and must be merged):
    the kind of curve whose loss jumps Eisenmann et al. (2023) relate to bifurcations.

    Parameters
    ----------
    n_epochs : int
        Length of the curve (> 210).
    seed : int
        Seed of the noise.

    Returns
    -------
    numpy.ndarray, shape (n_epochs,)
        Positive losses, one per epoch.
    """
    if int(n_epochs) != n_epochs or n_epochs <= 210:
        raise ValueError(f"n_epochs must be an integer above 210, got {n_epochs}")
    t = np.arange(int(n_epochs))
    log_loss = np.log(2.0) - t / 150 + 0.01 * np.random.default_rng(seed).normal(size=t.size)
    log_loss[60:] -= np.log(5.0)
    log_loss[131:] += np.log(3.0)
    log_loss[200:] -= np.log(10.0) / 3
    log_loss[201:] -= 2 * np.log(10.0) / 3
    return np.exp(log_loss)


def check_jump_epochs(jump_epochs):
    r"""Check the epochs of the jumps of :func:`exercise_loss_curve` found by the jump rule of
    chapter 7: with :math:`r_i = \log L_i - \log L_{i-1}` and :math:`s_i` the median of
    :math:`|r_j|` over the 20 steps before, epoch :math:`i` is a jump when
    :math:`|r_i| > 10\,s_i` and :math:`e^{|r_i|} > 1.25`; of consecutive jump epochs only the
    largest step is kept (the loss jumps of Eisenmann et al., 2023).

    The expected epochs come from ``pl.training.detect_jumps``.

    Parameters
    ----------
    jump_epochs : sequence of int
        The student's jump epochs, in increasing order.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    expected = [j.index for j in detect_jumps(exercise_loss_curve())]
    if jump_epochs is None:
        raise ExerciseError("jump_epochs is None: did the cell assign your answer?")
    try:
        got = np.asarray(jump_epochs, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ExerciseError("jump_epochs should be a list of epochs (integers), got "
                            f"{type(jump_epochs).__name__}") from None
    if np.any(got != np.round(got)):
        raise ExerciseError("jump_epochs should hold epochs (integers), not losses or ratios")
    got = [int(v) for v in got]
    if got == expected:
        return passed(f"{len(expected)} jumps, at epochs {expected}.")
    if sorted(got) == expected:
        raise ExerciseError("jump_epochs has the right epochs in the wrong order: sort them")
    if [g + 1 for g in got] == expected:
        raise ExerciseError("every epoch is one too small: the step r_i = log L_i - "
                            "log L_(i-1) belongs to epoch i, the epoch after the change "
                            "(np.diff shifts indices by one)")
    if [g - 1 for g in got] == expected:
        raise ExerciseError("every epoch is one too large: the step r_i = log L_i - "
                            "log L_(i-1) belongs to epoch i")
    if set(expected) < set(got) and all(
            any(abs(g - e) == 1 for e in expected) for g in set(got) - set(expected)):
        raise ExerciseError("jump_epochs lists a jump twice on consecutive epochs: of "
                            "consecutive jump epochs keep only the one with the largest step")
    if set(got) < set(expected):
        missing = sorted(set(expected) - set(got))
        raise ExerciseError(f"{len(missing)} jump(s) missing (of {len(expected)}); did you "
                            "keep only the drops? Jumps up count as well (use |r_i|)")
    extra = sorted(set(got) - set(expected))
    raise ExerciseError(f"jump_epochs has {len(got)} epochs, expected {len(expected)}; "
                        f"{len(extra)} of yours are not jumps by the rule (is the typical "
                        "step the median of |r_j| over the 20 steps before, not including "
                        "step i itself?)")
