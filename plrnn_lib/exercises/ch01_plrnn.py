"""Checks for the exercises of chapter 1 (the PLRNN and its linear regions)."""
from __future__ import annotations

import numpy as np

from ..models.examples import TOY_PLRNN_PARAMETERS
from ._feedback import ExerciseError, check_array, passed

__all__ = ["check_region_matrix"]

#: The region of exercise ex-01-region-matrix: unit 1 on, unit 2 off.
REGION_MATRIX_REGION = (1, 0)


def check_region_matrix(W_omega):
    r"""Check the toy model's region matrix :math:`W_\Omega = A + W D_\Omega` for
    :math:`d = (1, 0)` (chapter 1; Eisenmann et al., 2023, Eq. 2).

    The expected matrix is built from the toy model's published parameters, column by
    column: :math:`D_\Omega` keeps column :math:`m` of :math:`W` when :math:`d_m = 1`.

    Parameters
    ----------
    W_omega : array_like, shape (2, 2)
        The student's matrix.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    A = np.diag(TOY_PLRNN_PARAMETERS["A"])
    W = np.array(TOY_PLRNN_PARAMETERS["W"])
    d = np.array(REGION_MATRIX_REGION, dtype=float)
    expected = A + W * d[None, :]
    answer = W_omega
    if W_omega is not None and np.shape(W_omega) == (2, 2):
        answer = np.asarray(W_omega, dtype=float)
        rows = "scales the rows of W instead of its columns (D_Omega W instead of W D_Omega)"
        region_01 = ("is the matrix of region (0, 1): d_m = 1 means z_m > 0, so for "
                     "d = (1, 0) unit 1 is on and column 1 of W is kept")
        scaled_rows = np.allclose(answer, A + d[:, None] * W)
        other_region = np.allclose(answer, A + W * (1 - d)[None, :])
        if scaled_rows and other_region:
            raise ExerciseError(f"W_omega either {rows}, or it {region_01}")
        if scaled_rows:
            raise ExerciseError(f"W_omega {rows}: multiplying by D_Omega from the right "
                                "switches off the columns of the units that are off")
        if other_region:
            raise ExerciseError(f"W_omega {region_01}")
        if np.allclose(answer, W * d[None, :]):
            raise ExerciseError("W_omega is W D_Omega without A: the self-connections A act "
                                "in every region")
        if np.allclose(answer, A + W):
            raise ExerciseError("W_omega is A + W, the matrix of region (1, 1): unit 2 is off "
                                "in region (1, 0), so its column of W must be dropped")
    check_array("W_omega", answer, expected, rtol=1e-9, atol=1e-12,
                what="the matrix of region d = (1, 0)")
    return passed("W_Omega = A + W D_Omega keeps column 1 of W and drops column 2.")
