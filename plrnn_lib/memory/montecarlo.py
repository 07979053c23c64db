r"""Monte Carlo estimates of the one-unit moments, the independent check of the closed forms.

Many independent input sequences are simulated with a numba kernel; each sequence runs the
unit :math:`h_t = \lambda h_{t-1} + \gamma x_t` and its sensitivity
:math:`s_t = \partial_\lambda h_t = \lambda s_{t-1} + h_{t-1}` for every :math:`\lambda` of
a grid at once (the same inputs serve every :math:`\lambda`), long enough for the start
:math:`h_0 = s_0 = 0` to be forgotten. The final states of different sequences are
independent samples of the stationary distribution, so their mean estimates
:math:`\mathbb{E}|h|^2` and :math:`\mathbb{E}|s|^2` with an honest standard error.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from .._checks import as_bool, as_int, as_rng
from ._validate import as_correlation, as_lambda


def ar1_inputs(n_sequences, n_steps, rho, rng=None):
    r"""Stationary AR(1) input sequences with unit variance and correlation :math:`\rho^{|\Delta|}`.

    .. math::

        x_1 \sim \mathcal{N}(0, 1), \qquad
        x_t = \rho\, x_{t-1} + \sqrt{1 - \rho^2}\, \varepsilon_t,
        \quad \varepsilon_t \sim \mathcal{N}(0, 1),

    the input model of Zucchet and Orvieto (2024). ``rho = 1`` gives constant sequences,
    ``rho = 0`` white noise.

    Parameters
    ----------
    n_sequences, n_steps : int
    rho : float
        In [-1, 1].
    rng : None, int or numpy.random.Generator

    Returns
    -------
    ndarray, shape (n_sequences, n_steps)
    """
    n_sequences = as_int("n_sequences", n_sequences, minimum=1)
    n_steps = as_int("n_steps", n_steps, minimum=1)
    rho = float(as_correlation("rho", rho)) if np.ndim(rho) == 0 else None
    if rho is None:
        raise ValueError("rho must be a single number")
    rng = as_rng(rng)
    noise = rng.standard_normal((n_sequences, n_steps))
    return _ar1_filter(noise, rho)


@njit(cache=True)
def _ar1_filter(noise, rho):
    out = np.empty_like(noise)
    scale = math.sqrt(max(1.0 - rho * rho, 0.0))
    for i in range(noise.shape[0]):
        x = noise[i, 0]
        out[i, 0] = x
        for t in range(1, noise.shape[1]):
            x = rho * x + scale * noise[i, t]
            out[i, t] = x
    return out


@njit(cache=True)
def _accumulate_final_moments(inputs, lams, input_scales, sums):
    # sums[l] += (|h_T|^2, |h_T|^4, |s_T|^2, |s_T|^4) over the sequences in `inputs`
    n_seq, n_steps = inputs.shape
    for l in range(lams.shape[0]):
        lam = lams[l]
        g = input_scales[l]
        for i in range(n_seq):
            h = 0.0 * lam
            s = 0.0 * lam
            for t in range(n_steps):
                s = lam * s + h           # d/dlam of lam h_{t-1}: uses the old h
                h = lam * h + g * inputs[i, t]
            h2 = abs(h) ** 2
            s2 = abs(s) ** 2
            sums[l, 0] += h2
            sums[l, 1] += h2 * h2
            sums[l, 2] += s2
            sums[l, 3] += s2 * s2


class MonteCarloMoments(NamedTuple):
    r"""Monte Carlo estimates of :math:`\mathbb{E}|h|^2` and :math:`\mathbb{E}|\partial_\lambda h|^2`.

    Estimated over independent AR(1) input sequences as in Zucchet and Orvieto (2024); each
    estimate is a mean of ``n_sequences`` independent samples :math:`|h_T|^2` (or
    :math:`|s_T|^2`), and its standard error is
    :math:`\hat\sigma / \sqrt{n_\text{sequences}}`.

    Attributes
    ----------
    lam : ndarray
        The recurrent weights (real or complex), shape (L,).
    rho : float
    normalised : bool
        Whether the input was scaled by :math:`\gamma = \sqrt{1 - |\lambda|^2}`.
    hidden, hidden_se : ndarray
        Estimate of :math:`\mathbb{E}|h_t|^2` and its standard error, shape (L,).
    sensitivity, sensitivity_se : ndarray
        Estimate of :math:`\mathbb{E}|\partial h_t/\partial\lambda|^2` and its standard error.
    n_sequences, n_steps : int
    """

    lam: np.ndarray
    rho: float
    normalised: bool
    hidden: np.ndarray
    hidden_se: np.ndarray
    sensitivity: np.ndarray
    sensitivity_se: np.ndarray
    n_sequences: int
    n_steps: int


def default_n_steps(lam, rho, forget=40.0):
    r"""Steps after which a start at zero is forgotten to :math:`e^{-\text{forget}}`.

    The slowest memory is :math:`r = \max(|\lambda|, |\rho|)` (:math:`\rho` counts only below
    one: a constant input is stationary from the start), and transients decay like
    :math:`t^2 r^t` (the sensitivity of Zucchet and Orvieto (2024) carries a factor
    :math:`t`), so :math:`T = \lceil \text{forget}/(1 - r) \rceil` plus a margin for the
    polynomial factor.

    Parameters
    ----------
    lam : array_like
    rho : float
    forget : float

    Returns
    -------
    int
    """
    lam = as_lambda("lam", lam)
    rho = float(as_correlation("rho", rho))
    slowest = float(np.max(np.abs(lam))) if lam.size else 0.0
    if abs(rho) < 1:
        slowest = max(slowest, abs(rho))
    horizon = forget / (1.0 - slowest)
    return int(math.ceil(horizon + 3.0 * math.log(horizon + 1.0) / (1.0 - slowest)))


def monte_carlo_moments(lam, rho, n_sequences=4000, n_steps=None, *, normalised=False,
                        rng=None, chunk=256, progress=True):
    r"""Estimate :math:`\mathbb{E}|h_t|^2` and :math:`\mathbb{E}|\partial_\lambda h_t|^2` by simulation.

    Simulates :math:`h_t = \lambda h_{t-1} + \gamma x_t`,
    :math:`\partial_\lambda h_t = \lambda\, \partial_\lambda h_{t-1} + h_{t-1}` from zero on
    ``n_sequences`` independent AR(1) inputs (:func:`ar1_inputs`) and averages the final
    values, for every ``lam`` on the same inputs; :math:`\gamma = \sqrt{1 - |\lambda|^2}` when
    ``normalised`` and 1 otherwise. The estimates are independent of the closed forms of
    :mod:`plrnn_lib.memory.signal` (Zucchet and Orvieto, 2024), which they check.

    Parameters
    ----------
    lam : array_like, real or complex, shape (L,) or scalar
        Modulus < 1.
    rho : float
        Input autocorrelation per step, in [-1, 1].
    n_sequences : int
        Independent input sequences (samples per estimate).
    n_steps : int, optional
        Steps per sequence; by default :func:`default_n_steps`, which makes the bias of the
        zero start negligible against the standard error.
    normalised : bool
        Scale the input by :math:`\gamma`.
    rng : None, int or numpy.random.Generator
    chunk : int
        Sequences simulated per kernel call (lowered when needed so that ``chunk * n_steps``
        stays below 20 million floats).
    progress : bool
        Show a progress bar over the chunks.

    Returns
    -------
    MonteCarloMoments
    """
    lam_arr = np.atleast_1d(as_lambda("lam", lam))
    if lam_arr.ndim != 1:
        raise ValueError(f"lam must be a scalar or 1-D, got shape {lam_arr.shape}")
    if np.ndim(rho) != 0:
        raise ValueError("rho must be a single number")
    rho = float(as_correlation("rho", rho))
    n_sequences = as_int("n_sequences", n_sequences, minimum=2)
    n_steps = default_n_steps(lam_arr, rho) if n_steps is None else as_int("n_steps", n_steps,
                                                                          minimum=1)
    normalised = as_bool("normalised", normalised)
    chunk = as_int("chunk", chunk, minimum=1)
    # at most ~20 million inputs (160 MB) in memory at once, however long the sequences
    chunk = max(1, min(chunk, 20_000_000 // n_steps))
    progress = as_bool("progress", progress)
    rng = as_rng(rng)
    scales = np.sqrt(1 - np.abs(lam_arr) ** 2) if normalised else np.ones(lam_arr.shape)
    sums = np.zeros((lam_arr.shape[0], 4))
    from tqdm.auto import tqdm

    starts = range(0, n_sequences, chunk)
    for start in tqdm(starts, desc="Monte Carlo", disable=not progress, leave=False):
        size = min(chunk, n_sequences - start)
        inputs = _ar1_filter(rng.standard_normal((size, n_steps)), rho)
        _accumulate_final_moments(inputs, lam_arr, scales.astype(np.float64), sums)
    mean = sums / n_sequences
    # unbiased sample variance of the samples |h_T|^2 (|s_T|^2) from their first two moments
    var_h = np.maximum(mean[:, 1] - mean[:, 0] ** 2, 0.0) * n_sequences / (n_sequences - 1)
    var_s = np.maximum(mean[:, 3] - mean[:, 2] ** 2, 0.0) * n_sequences / (n_sequences - 1)
    return MonteCarloMoments(lam_arr, rho, normalised, mean[:, 0], np.sqrt(var_h / n_sequences),
                             mean[:, 2], np.sqrt(var_s / n_sequences), n_sequences, n_steps)


@njit(cache=True)
def _unit_trajectory(lam, scale, inputs, h, s):
    hv = 0.0 * lam
    sv = 0.0 * lam
    for t in range(inputs.shape[0]):
        sv = lam * sv + hv
        hv = lam * hv + scale * inputs[t]
        h[t] = hv
        s[t] = sv


def simulate_unit(lam, inputs, normalised=False):
    r"""One unit's states and sensitivities along one input sequence.

    .. math::

        h_t = \lambda h_{t-1} + \gamma x_t, \qquad
        \frac{\partial h_t}{\partial\lambda} = \lambda \frac{\partial h_{t-1}}{\partial\lambda}
        + h_{t-1}, \qquad h_0 = \frac{\partial h_0}{\partial\lambda} = 0,

    with :math:`\gamma = \sqrt{1 - |\lambda|^2}` when ``normalised`` and 1 otherwise
    (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    lam : float or complex
        Modulus < 1.
    inputs : array_like, shape (T,)
    normalised : bool

    Returns
    -------
    (h, dh_dlam) : ndarrays of shape (T,), complex when ``lam`` is
    """
    lam = as_lambda("lam", lam)
    if lam.ndim != 0:
        raise ValueError(f"lam must be a single number, got shape {lam.shape}")
    from .._checks import as_float_array

    inputs = as_float_array("inputs", inputs, ndim=1)
    normalised = as_bool("normalised", normalised)
    scale = float(np.sqrt(1 - abs(lam) ** 2)) if normalised else 1.0
    dtype = np.complex128 if np.iscomplexobj(lam) else np.float64
    h, s = np.empty(inputs.size, dtype), np.empty(inputs.size, dtype)
    _unit_trajectory(lam[()], scale, inputs, h, s)
    return h, s
