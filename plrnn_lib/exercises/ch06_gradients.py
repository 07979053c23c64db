"""Checks for the exercises of chapter 6 (gradients at bifurcations)."""
from __future__ import annotations

import numpy as np

from ._feedback import ExerciseError, check_number, passed

__all__ = ["check_bias_gradient_exponent"]


def check_bias_gradient_exponent(exponent):
    r"""Check the exponent :math:`p` in :math:`|\partial L/\partial h| \propto \varepsilon^p`
    for the one-unit model :math:`z_t = (1-\varepsilon) z_{t-1} + h` near its degenerate
    transcritical bifurcation, for long trajectories (chapter 6; Eisenmann et al., 2023,
    Theorem 2).

    The closed form for :math:`T \to \infty`, :math:`\partial L/\partial h \to
    2 (z^* - c)/\varepsilon` with :math:`z^* = h/\varepsilon`, gives :math:`p = -2`; a slope
    fitted on a log-log plot passes within 0.1.

    Parameters
    ----------
    exponent : float
        The student's exponent: the slope of :math:`\log|\partial L/\partial h|` against
        :math:`\log\varepsilon`.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    expected = -2.0
    if isinstance(exponent, (int, float, np.number)) and not isinstance(exponent, bool):
        value = float(exponent)
        if abs(value + 3) < 0.1:
            raise ExerciseError(f"exponent is {value:.3g}, the exponent of the weights' "
                                "gradient: the bias moves the fixed point only through "
                                "1/epsilon once, so its gradient grows one power slower")
        if abs(value - 2) < 0.1:
            raise ExerciseError(f"exponent is {value:.3g}: it has the wrong sign; the gradient "
                                "grows as epsilon shrinks, so the slope against log epsilon "
                                "is negative")
        if abs(value + 1) < 0.1:
            raise ExerciseError(f"exponent is {value:.3g}: that is the growth of z* = "
                                "h / epsilon itself; the loss gradient carries another "
                                "1/epsilon from dz*/dh")
    check_number("exponent", exponent, expected, rtol=0.0, atol=0.1,
                 what="slope of log |dL/dh| against log epsilon")
    return passed("|dL/dh| ~ 2h / epsilon^2: exponent -2.")
