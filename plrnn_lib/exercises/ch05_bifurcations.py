"""Checks for the exercises of chapter 5 (bifurcations in piecewise-linear maps)."""
from __future__ import annotations

import numpy as np

from ..cycles import find_cycles
from ..models.examples import toy_plrnn
from ._feedback import ExerciseError, check_number, passed

__all__ = ["check_cycle_lyapunov_exponent"]


def _stable_16_cycle():
    cycles = find_cycles(toy_plrnn(), 16, min_order=16, rng=0)
    stable = [c for c in cycles if c.stable]
    if len(stable) != 1:  # pragma: no cover - the toy model has exactly one
        raise RuntimeError("expected one stable 16-cycle in the toy model")
    return stable[0]


def check_cycle_lyapunov_exponent(exponent):
    r"""Check the largest Lyapunov exponent of an orbit on the toy model's stable 16-cycle,
    :math:`\lambda_{\max} = \tfrac{1}{k}\ln \max_i |\mu_i|` with :math:`\mu_i` the eigenvalues
    of the cycle's :math:`k`-step Jacobian :math:`P = W_{\Omega_k}\cdots W_{\Omega_1}`
    (chapter 5; Eisenmann et al., 2023; the QR method along an orbit converges to it).

    The expected value comes from the eigenvalues of the cycle that SCYFI finds, not from a
    simulation, so an estimate along an orbit passes within its accuracy
    (relative tolerance 2 %).

    Parameters
    ----------
    exponent : float
        The student's largest Lyapunov exponent (natural logarithm, per step).

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    cycle = _stable_16_cycle()
    log_multiplier = float(np.log(np.max(np.abs(cycle.eigenvalues))))
    expected = log_multiplier / cycle.order
    if np.ndim(exponent) == 0 and isinstance(exponent, (int, float, np.number)) \
            and not isinstance(exponent, bool):
        value = float(exponent)
        if np.isclose(value, log_multiplier, rtol=0.02):
            raise ExerciseError(f"exponent is {value:.6g}, the log of the 16-step multiplier: "
                                "divide by the order 16 to get a rate per step")
        if np.isclose(value, expected / np.log(10), rtol=0.02):
            raise ExerciseError(f"exponent is {value:.6g}: you used log10; Lyapunov "
                                "exponents use the natural logarithm")
        if np.isclose(value, np.max(np.abs(cycle.eigenvalues)) ** (1 / 16), rtol=0.02):
            raise ExerciseError(f"exponent is {value:.6g}, the multiplier per step: take its "
                                "natural logarithm")
    check_number("exponent", exponent, expected, rtol=0.02,
                 what="the largest Lyapunov exponent on the stable 16-cycle")
    return passed(f"lambda_max = ln(max |mu|) / 16 = {expected:.5f} < 0: the cycle attracts.")
