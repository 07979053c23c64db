"""Checks for the exercises of chapter 4 (how SCYFI scales)."""
from __future__ import annotations

import numpy as np

from ..models.plrnn import PLRNN
from ._feedback import ExerciseError, check_number, passed

__all__ = ["check_norm_bound"]

#: The model of exercise ex-04-norm-bound: ``pl.PLRNN.random(NORM_BOUND_M, rng=NORM_BOUND_SEED,
#: w_scale=NORM_BOUND_W_SCALE, a_range=NORM_BOUND_A_RANGE)``.
NORM_BOUND_M = 12
NORM_BOUND_SEED = 4
NORM_BOUND_W_SCALE = 0.2
NORM_BOUND_A_RANGE = (0.1, 0.5)


def norm_bound_model():
    """The random PLRNN of exercise ex-04-norm-bound (the same one the notebook builds)."""
    return PLRNN.random(NORM_BOUND_M, rng=NORM_BOUND_SEED, w_scale=NORM_BOUND_W_SCALE,
                        a_range=NORM_BOUND_A_RANGE)


def check_norm_bound(bound):
    r"""Check :math:`\lVert A \rVert_2 + \lVert W \rVert_2` for the model of exercise
    ex-04-norm-bound, the quantity whose being below 1 makes SCYFI's fixed-point search take
    at most linear time (chapter 4; Eisenmann et al., 2023, Theorem 1).

    The expected value takes the spectral norms (largest singular values) with
    ``np.linalg.svd`` of the model's parameters.

    Parameters
    ----------
    bound : float
        The student's value of the bound.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    model = norm_bound_model()
    A, W = np.diag(model.params()["A"]), np.array(model.params()["W"])
    expected = sum(float(np.linalg.svd(X, compute_uv=False)[0]) for X in (A, W))
    if np.ndim(bound) == 0 and not isinstance(bound, (bool, str, bytes)) and bound is not None:
        try:
            value = float(bound)
        except (TypeError, ValueError):
            value = None
        if value is not None and not np.isclose(value, expected, rtol=1e-8):
            def spectral_radius(X):
                return float(np.max(np.abs(np.linalg.eigvals(X))))
            wrong = {
                "the Frobenius norm (np.linalg.norm without ord=2) instead of the spectral "
                "norm": np.linalg.norm(A) + np.linalg.norm(W),
                "spectral radii (largest |eigenvalue|) instead of norms: a spectral radius "
                "can be much smaller than the norm": spectral_radius(A) + spectral_radius(W),
                "the norm of A + W instead of the sum of the two norms":
                    np.linalg.norm(A + W, 2),
            }
            for words, wrong_value in wrong.items():
                if np.isclose(value, wrong_value, rtol=1e-8):
                    raise ExerciseError(f"bound is {value:.6g}: you used {words}")
    check_number("bound", bound, expected, rtol=1e-8,
                 what="||A||_2 + ||W||_2 of the exercise's model")
    verdict = "below 1: the theorem applies" if expected < 1 else "not below 1"
    return passed(f"||A|| + ||W|| = {expected:.4f}, {verdict}.")
