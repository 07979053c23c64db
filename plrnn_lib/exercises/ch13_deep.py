"""Checks for the exercises of chapter 13 (deep recurrent networks at initialisation)."""
from __future__ import annotations

import numpy as np

from ..memory.deep import deep_network
from ._feedback import ExerciseError, _as_array, check_array, passed, require_answer

__all__ = ["check_unit_activity", "check_chrono_bias"]

#: The input of exercise ex-13-unit-activity (the chapter's text-like inputs): white
#: variance, AR(1) variance and its correlation; and the memories T of the unit.
WHITE_VARIANCE = 0.326
CORRELATED_VARIANCE = 0.044
RHO = 0.997
MEMORIES = (10, 100, 1000)

#: The memory of exercise ex-13-chrono-bias.
CHRONO_MEMORY = 50


def _activity(lam, rho):
    """E[h^2] of h_t = lam h_{t-1} + x_t, real lam, unit-variance AR(1) input (by summing
    the geometric series of lagged covariances, not from pl.memory.signal)."""
    lags = np.arange(1, 20000)
    return (1 + 2 * np.sum(lam**lags * rho**lags)) / (1 - lam**2)


def check_unit_activity(h2_raw, h2_normalised):
    r"""Check :math:`E[h^2]` of one unit :math:`h_t = \lambda h_{t-1} + \gamma x_t` with
    :math:`\lambda = 1 - 1/T` for :math:`T = 10, 100, 1000` and the chapter's text-like
    inputs (white variance 0.326 plus an AR(1) part of variance 0.044, :math:`\rho =
    0.997`), without (:math:`\gamma = 1`) and with (:math:`\gamma = \sqrt{1-\lambda^2}`)
    normalisation (Zucchet and Orvieto, 2024, Sec. 5; Orvieto et al., 2023).

    The two input parts are independent, so their moments add, weighted by the variances:
    :math:`E[h^2] = \gamma^2 [0.326/(1-\lambda^2) + 0.044\,(1+\rho\lambda)/((1-\lambda^2)
    (1-\rho\lambda))]`. The check sums the lagged covariances
    :math:`E[h^2] = (1 + 2\sum_{k\ge1} \lambda^k \rho^k)/(1-\lambda^2)` instead.

    Parameters
    ----------
    h2_raw, h2_normalised : array_like, shape (3,)
        :math:`E[h^2]` for T = 10, 100, 1000 without and with normalisation.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    require_answer("h2_raw", h2_raw)
    require_answer("h2_normalised", h2_normalised)
    lam = 1 - 1 / np.array(MEMORIES, dtype=float)
    white = np.array([_activity(v, 0.0) for v in lam])
    corr = np.array([_activity(v, RHO) for v in lam])
    raw = WHITE_VARIANCE * white + CORRELATED_VARIANCE * corr
    normalised = (1 - lam**2) * raw
    for name, answer, expected in (("h2_raw", h2_raw, raw),
                                   ("h2_normalised", h2_normalised, normalised)):
        if answer is not None and np.shape(answer) == expected.shape:
            arr = np.asarray(answer, dtype=float)
            gamma2 = 1 - lam**2 if name == "h2_normalised" else 1.0
            near = dict(rtol=1e-4, atol=0)
            if np.allclose(arr, gamma2 * (white + corr), **near):
                raise ExerciseError(f"{name}: the two input parts must be weighted by their "
                                    "variances 0.326 and 0.044")
            if np.allclose(arr, gamma2 * WHITE_VARIANCE * white, **near):
                raise ExerciseError(f"{name}: the correlated AR(1) part (variance 0.044, "
                                    "rho = 0.997) is missing")
            if np.allclose(arr, gamma2 * CORRELATED_VARIANCE * corr, **near):
                raise ExerciseError(f"{name}: the white part (variance 0.326) is missing")
            if name == "h2_normalised" and np.allclose(arr, np.sqrt(1 - lam**2) * raw, **near):
                raise ExerciseError("h2_normalised: the input is scaled by gamma, so the "
                                    "second moment by gamma^2 = 1 - lambda^2, not gamma")
            if name == "h2_normalised" and np.allclose(arr, raw, **near):
                raise ExerciseError("h2_normalised equals h2_raw: multiply by "
                                    "gamma^2 = 1 - lambda^2")
        check_array(name, answer, expected, rtol=1e-4,
                    what="E[h^2] for T = 10, 100, 1000")
    return passed(f"without normalisation E[h^2] grows from {raw[0]:.3g} to {raw[-1]:.3g}; "
                  f"with it from {normalised[0]:.3g} to {normalised[-1]:.3g}.")


def check_chrono_bias(tau, b_u):
    r"""Check the chrono initialisation of a GRU's update-gate bias for memory
    :math:`T = 50` (Tallec and Ollivier, 2018; chapter 13).

    The timescales :math:`\tau` must lie in :math:`[T, 2T]` and the bias must make the
    forgetting factor at zero input :math:`1 - \sigma(b_u) = 1 - 1/\tau`, that is
    :math:`b_u = -\log(\tau - 1)`. The check recomputes :math:`1 - \sigma(b_u)` and compares
    it with the range the library's ``deep_network("gru", 50)`` gives.

    Parameters
    ----------
    tau : array_like, shape (n,)
        The drawn timescales.
    b_u : array_like, shape (n,)
        The update-gate biases.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    require_answer("tau", tau)
    require_answer("b_u", b_u)
    T = CHRONO_MEMORY
    tau = _as_array("tau", tau)
    if tau.ndim != 1 or tau.size < 2:
        raise ExerciseError(f"tau should be a vector of timescales, got shape {tau.shape}")
    if tau.min() < T or tau.max() > 2 * T:
        raise ExerciseError(f"tau lies in [{tau.min():.3g}, {tau.max():.3g}], expected "
                            f"values in [T, 2T] = [{T}, {2 * T}]")
    if b_u is not None and np.shape(b_u) == tau.shape:
        arr = np.asarray(b_u, dtype=float)
        if np.allclose(arr, -np.log(tau)):
            raise ExerciseError("b_u = -log(tau) gives 1 - sigma(b_u) = 1 - 1/(tau + 1): "
                                "use -log(tau - 1)")
        if np.allclose(arr, np.log(tau - 1)):
            raise ExerciseError("b_u has the wrong sign: log(tau - 1) opens the update gate "
                                "(u near 1) and the unit forgets at once")
    check_array("b_u", b_u, -np.log(tau - 1), rtol=1e-8,
                what="update-gate bias, 1 - sigmoid(b_u) = 1 - 1/tau")
    keep = 1 - 1 / (1 + np.exp(-np.asarray(b_u, dtype=float)))
    gru = deep_network("gru", T, n_layers=1, d_in=1, d_model=2, n_states=64, rng=0)
    library = 1 - 1 / (1 + np.exp(-gru.params()["l0.b_u"]))
    lo, hi = library.min(), library.max()
    if keep.min() < 1 - 1 / T - 1e-9 or keep.max() > 1 - 1 / (2 * T) + 1e-9 \
            or not (lo >= 1 - 1 / T - 1e-9 and hi <= 1 - 1 / (2 * T) + 1e-9):
        raise ExerciseError(f"1 - sigma(b_u) lies in [{keep.min():.4f}, {keep.max():.4f}], "
                            f"expected [1 - 1/T, 1 - 1/(2T)] = [{1 - 1 / T}, "
                            f"{1 - 1 / (2 * T)}]")
    return passed(f"at zero input each unit keeps 1 - 1/tau in [{keep.min():.4f}, "
                  f"{keep.max():.4f}] of its state per step, like the library's GRU "
                  f"([{lo:.4f}, {hi:.4f}]).")
