"""Checks for the exercises of chapter 2 (fixed points and cycles region by region)."""
from __future__ import annotations

import itertools

import numpy as np

from ..models.examples import TOY_PLRNN_PARAMETERS
from ._feedback import ExerciseError, check_array, passed

__all__ = ["check_region_fixed_point"]


def _toy_affine(d):
    A = np.diag(TOY_PLRNN_PARAMETERS["A"])
    W = np.array(TOY_PLRNN_PARAMETERS["W"])
    return A + W * np.asarray(d, dtype=float)[None, :], np.array(TOY_PLRNN_PARAMETERS["h"])


def check_region_fixed_point(z_star):
    r"""Check the toy model's fixed point in region :math:`d = (1, 1)`,
    :math:`z^* = (I - W_\Omega)^{-1} h` (chapter 2; Eisenmann et al., 2023, Eq. 6 with
    :math:`k = 1`).

    The expected point solves the linear system built from the toy model's published
    parameters; the check also confirms :math:`F(z^*) = z^*` on the answer itself.

    Parameters
    ----------
    z_star : array_like, shape (2,)
        The student's fixed point.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    J, h = _toy_affine((1, 1))
    expected = np.linalg.solve(np.eye(2) - J, h)
    if np.shape(z_star) == (2,):
        answer = np.asarray(z_star, dtype=float)
        for d in itertools.product((0, 1), repeat=2):
            Jd, _ = _toy_affine(d)
            if d != (1, 1) and np.allclose(answer, np.linalg.solve(np.eye(2) - Jd, h)):
                raise ExerciseError(f"z_star is the fixed point of the affine map of region "
                                    f"{d}, not of region (1, 1): use W_Omega = A + W")
        if np.allclose(answer, np.linalg.solve(np.eye(2) - J.T, h)):
            raise ExerciseError("z_star solves (I - W_Omega^T) z = h: W_Omega is transposed")
        if np.allclose(answer, np.linalg.solve(np.eye(2) + J, h)):
            raise ExerciseError("z_star solves (I + W_Omega) z = h: the fixed point equation "
                                "z = W_Omega z + h gives (I - W_Omega) z = h")
        if np.allclose(answer, J @ h + h) or np.allclose(answer, J @ h):
            raise ExerciseError("z_star is one step of the map, not its fixed point: solve "
                                "(I - W_Omega) z = h")
    check_array("z_star", z_star, expected, rtol=1e-7, atol=1e-10,
                what="the fixed point of region (1, 1)")
    return passed("z* = (I - W_Omega)^{-1} h lies in region (1, 1), so it is real.")
