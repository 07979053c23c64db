r"""Checks for the exercises of chapter 8 (generalized teacher forcing).

Each check recomputes the answer independently, from the model's matrices with NumPy, and
names the usual mistakes: a Frobenius instead of a spectral norm, the spectral radius
instead of the norm, :math:`1/r` instead of :math:`1 - 1/r`, a forgotten factor
:math:`1 - \alpha` (Eisenmann et al., 2023, Theorem 3; Hess et al., 2023).
"""
from __future__ import annotations

import numpy as np

from ..models import toy_plrnn
from ._feedback import ExerciseError, check_array, check_number, passed, require_answer

__all__ = ["check_gtf_threshold", "check_forced_jacobian_norms"]


def _toy_matrices():
    p = toy_plrnn().params()
    return np.diag(p["A"]), np.array(p["W"])


def check_gtf_threshold(alpha_star):
    r"""Check :math:`\alpha^* = 1 - 1/r`, :math:`r = \lVert A\rVert_2 + \lVert W\rVert_2`,
    for the toy PLRNN (Eisenmann et al., 2023, Theorem 3)."""
    require_answer("alpha_star", alpha_star)
    A, W = _toy_matrices()
    r = np.linalg.norm(A, 2) + np.linalg.norm(W, 2)
    expected = 1 - 1 / r
    value = np.asarray(alpha_star, dtype=float) if np.ndim(alpha_star) == 0 else None
    if value is not None and np.isfinite(value):
        fro = np.linalg.norm(A, "fro") + np.linalg.norm(W, "fro")
        radius = max(abs(np.linalg.eigvals(A))) + max(abs(np.linalg.eigvals(W)))
        for wrong, hint in ((1 / r, "that is 1/r; the threshold is 1 - 1/r"),
                            (r, "that is r itself; the threshold is 1 - 1/r"),
                            (1 - 1 / fro, "you used the Frobenius norm; Theorem 3 needs the "
                                          "spectral norm, np.linalg.norm(M, 2)"),
                            (1 - 1 / radius, "you used spectral radii (largest |eigenvalue|);"
                                             " Theorem 3 needs the spectral norm, "
                                             "np.linalg.norm(M, 2)"),
                            (1 - 1 / np.linalg.norm(A + W, 2),
                             "you took the norm of A + W (one region's Jacobian); r bounds "
                             "every region, ||A|| + ||W||")):
            if np.isclose(value, wrong, rtol=1e-6) and not np.isclose(wrong, expected):
                raise ExerciseError(f"alpha_star is {float(value):.6g}: {hint}")
        if not 0 <= value < 1:
            raise ExerciseError(f"alpha_star is {float(value):.6g}, but a forcing strength "
                                "lies in [0, 1)")
    check_number("alpha_star", alpha_star, expected, rtol=1e-6,
                 what="the GTF threshold 1 - 1/r")
    return passed(f"r = {r:.4f}, so any alpha above {expected:.4f} rules out DTBs.")


def check_forced_jacobian_norms(norms, X, alpha):
    r"""Check :math:`\lVert (1-\alpha) J(x_t)\rVert_2` for t = 2..T along one window ``X``
    (T, 2) of the toy PLRNN, with :math:`J(z) = A + W\,\mathrm{diag}(z > 0)`
    (Eisenmann et al., 2023, Theorem 3)."""
    require_answer("norms", norms)
    A, W = _toy_matrices()
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ExerciseError(f"X should be one window of shape (T, 2), got {X.shape}")
    raw = np.array([np.linalg.norm(A + W @ np.diag(x > 0), 2) for x in X[1:]])
    expected = (1 - alpha) * raw
    arr = np.asarray(norms, dtype=float)
    if arr.shape == (len(X),):
        raise ExerciseError(f"norms has {len(X)} entries, one per step of X; the Jacobians "
                            "act from t = 2 to T: drop the first state (x_1 is data)")
    if arr.shape == expected.shape and np.all(np.isfinite(arr)):
        if alpha != 0 and np.allclose(arr, raw, rtol=1e-6):
            raise ExerciseError("norms are those of J itself: multiply by 1 - alpha, the "
                                "derivative of the forcing")
        if alpha != 0 and np.allclose(arr, alpha * raw, rtol=1e-6):
            raise ExerciseError("norms are alpha ||J||: the forced map keeps 1 - alpha of "
                                "the model's step")
        prev = np.array([np.linalg.norm(A + W @ np.diag(x > 0), 2) for x in X[:-1]])
        if not np.allclose(raw, prev) and np.allclose(arr, (1 - alpha) * prev, rtol=1e-6):
            raise ExerciseError("norms are shifted by one step: use the states x_2..x_T")
    check_array("norms", norms, expected, rtol=1e-6,
                what="spectral norms of the forced Jacobians")
    return passed(f"the largest forced norm is {expected.max():.4f}"
                  + (" < 1: the forced map contracts along the window."
                     if expected.max() < 1 else "."))
