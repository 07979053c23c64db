"""Checks for the exercises of chapter 11 (loss landscapes, the Hessian and Adam)."""
from __future__ import annotations

import numpy as np

from ._feedback import ExerciseError, check_array, passed

__all__ = ["check_exponential_hessian"]

#: The teacher of exercise ex-11-exp-hessian: lambda* = nu exp(i theta).
EXP_HESSIAN_NU = 0.99
EXP_HESSIAN_THETA = np.pi / 100


def check_exponential_hessian(H):
    r"""Check the Hessian at the optimum of the normalised one-unit loss under the
    exponential parametrisation :math:`\nu = \exp(-e^{w_1})`, :math:`\theta = e^{w_2}`, at the
    teacher :math:`\lambda^* = 0.99\,e^{i\pi/100}` (chapter 11; Zucchet and Orvieto, 2024):

    .. math:: H = \mathrm{diag}\Big(\frac{(\nu\ln\nu)^2}{(1-\nu^2)^2},\
              \theta^{*2}\,\frac{\nu^2(1+\nu^2)}{(1-\nu^2)^2}\Big).

    The expected matrix is this closed form.

    Parameters
    ----------
    H : array_like, shape (2, 2)
        The student's Hessian with respect to :math:`(w_1, w_2)`.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    nu, theta = EXP_HESSIAN_NU, EXP_HESSIAN_THETA
    radial = (nu * np.log(nu)) ** 2 / (1 - nu ** 2) ** 2
    polar_angular = nu ** 2 * (1 + nu ** 2) / (1 - nu ** 2) ** 2
    expected = np.diag([radial, theta ** 2 * polar_angular])
    if np.shape(H) == (2, 2):
        arr = np.asarray(H, dtype=float)
        if np.allclose(arr, np.diag([radial, polar_angular]), rtol=1e-3):
            raise ExerciseError("H[1, 1] is the polar coordinates' angular curvature: "
                                "theta = exp(w2) adds the factor (d theta / d w2)^2 = theta^2")
        if np.allclose(arr, np.diag([radial, theta * polar_angular]), rtol=1e-3):
            raise ExerciseError("H[1, 1] has the factor theta instead of theta^2: the chain "
                                "rule squares d theta / d w2")
        if np.allclose(np.diag(arr), np.diag(expected), rtol=1e-3) \
                and not np.allclose(arr, expected, rtol=1e-3, atol=1e-6):
            raise ExerciseError("H has the right diagonal but non-zero off-diagonal entries: "
                                "at the optimum the radial and angular directions decouple")
    check_array("H", H, expected, rtol=1e-3, atol=1e-9,
                what="the Hessian in (w1, w2) at lambda* = 0.99 exp(i pi / 100)")
    return passed(f"H = diag({radial:.4f}, {theta ** 2 * polar_angular:.4f}): the angle is "
                  "flat only because theta* is small.")
