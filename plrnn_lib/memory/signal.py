r"""Signal propagation in one linear recurrent unit, in closed form.

The unit :math:`h_t = \lambda h_{t-1} + x_t` is driven by a stationary input with unit variance
and autocorrelation :math:`\mathbb{E}[x_t x_{t-\Delta}] = \rho^{|\Delta|}`. Everything here
follows from one function, the stationary cross moment of two such units fed the same input
(Zucchet and Orvieto, 2024),

.. math::

    f(\lambda_1, \lambda_2) = \lim_{t \to \infty} \mathbb{E}[h_t(\lambda_1) h_t(\lambda_2)]
    = \frac{1 - \rho^2 \lambda_1 \lambda_2}
           {(1 - \lambda_1 \lambda_2)(1 - \rho \lambda_1)(1 - \rho \lambda_2)} ,

which is holomorphic in both arguments. Because the input is real,
:math:`\overline{h_t(\lambda)} = h_t(\bar\lambda)`, so for a complex :math:`\lambda` the
second moment of the state is :math:`\mathbb{E}|h_t|^2 = f(\lambda, \bar\lambda)` and the one
of its sensitivity :math:`\mathbb{E}|\mathrm{d}h_t/\mathrm{d}\lambda|^2 =
\partial_{\lambda_1}\partial_{\lambda_2} f(\lambda, \bar\lambda)`. For a real
:math:`\lambda` these are :math:`\mathbb{E}[h_t^2]` and
:math:`\mathbb{E}[(\mathrm{d}h_t/\mathrm{d}\lambda)^2]`. Every function accepts real or
complex ``lam`` and broadcasts ``lam`` against ``rho``.
"""
from __future__ import annotations

import numpy as np

from .._checks import as_bool
from ._validate import as_correlation, as_lambda


def _cross(a, b, rho):
    return (1 - rho**2 * a * b) / ((1 - a * b) * (1 - rho * a) * (1 - rho * b))


def _mixed_derivative(a, b, rho):
    # d^2 f / da db through the logarithmic derivative of f = N / (P Q R):
    # f_ab = f [(d_a log f)(d_b log f) + d_a d_b log f], with d_a d_b log f = 1/P^2 - rho^2/N^2.
    n = 1 - rho**2 * a * b
    p = 1 - a * b
    da = b / p + rho / (1 - rho * a) - rho**2 * b / n
    db = a / p + rho / (1 - rho * b) - rho**2 * a / n
    return _cross(a, b, rho) * (da * db + 1 / p**2 - rho**2 / n**2)


def _real_part(value):
    # f(lam, conj lam) and its mixed derivative are real; drop the rounding-level imaginary part
    return np.real(value) if np.iscomplexobj(value) else value


def _result(value):
    return float(value) if np.ndim(value) == 0 else value


def cross_moment(lam1, lam2, rho):
    r"""Stationary cross moment :math:`\mathbb{E}[h_t(\lambda_1) h_t(\lambda_2)]` of two units.

    Both units, :math:`h_t(\lambda) = \lambda h_{t-1}(\lambda) + x_t`, read the same stationary
    input of unit variance with :math:`\mathbb{E}[x_t x_{t-\Delta}] = \rho^{|\Delta|}`
    (Zucchet and Orvieto, 2024):

    .. math::

        f(\lambda_1, \lambda_2) = \frac{1 - \rho^2 \lambda_1 \lambda_2}
        {(1 - \lambda_1 \lambda_2)(1 - \rho \lambda_1)(1 - \rho \lambda_2)} .

    Parameters
    ----------
    lam1, lam2 : array_like, real or complex
        Recurrent weights, each of modulus < 1.
    rho : array_like
        Input autocorrelation per step, in [-1, 1].

    Returns
    -------
    float, or complex or float array
        :math:`f(\lambda_1, \lambda_2)`, broadcast over the arguments. With
        ``lam2 = conj(lam1)`` it is :math:`\mathbb{E}|h_t(\lambda_1)|^2`.
    """
    a, b = as_lambda("lam1", lam1), as_lambda("lam2", lam2)
    r = as_correlation("rho", rho)
    value = _cross(a, b, r)
    return complex(value) if np.ndim(value) == 0 and np.iscomplexobj(value) else _result(value)


def hidden_second_moment(lam, rho):
    r"""Stationary second moment of the state, :math:`\mathbb{E}|h_t|^2`.

    For :math:`h_t = \lambda h_{t-1} + x_t` with unit-variance inputs correlated as
    :math:`\rho^{|\Delta|}` (Zucchet and Orvieto, 2024),

    .. math::

        \mathbb{E}[h_t^2] = \frac{1 + \rho\lambda}{(1 - \lambda^2)(1 - \rho\lambda)}
        \quad (\lambda \text{ real}), \qquad
        \mathbb{E}|h_t|^2 = f(\lambda, \bar\lambda) \quad (\lambda \text{ complex}).

    White inputs (:math:`\rho = 0`) give :math:`1/(1-\lambda^2)`, constant ones
    (:math:`\rho = 1`) give :math:`1/(1-\lambda)^2`.

    Parameters
    ----------
    lam : array_like, real or complex
        Recurrent weight(s), modulus < 1.
    rho : array_like
        Input autocorrelation per step, in [-1, 1]; broadcast against ``lam``.

    Returns
    -------
    float or ndarray
    """
    lam = as_lambda("lam", lam)
    r = as_correlation("rho", rho)
    return _result(_real_part(_cross(lam, np.conj(lam), r)))


def sensitivity_second_moment(lam, rho):
    r"""Stationary second moment of the sensitivity :math:`\mathrm{d}h_t/\mathrm{d}\lambda`.

    The sensitivity obeys :math:`\partial_\lambda h_t = \lambda\, \partial_\lambda h_{t-1} +
    h_{t-1}`; its second moment is the mixed derivative of the cross moment
    (Zucchet and Orvieto, 2024),

    .. math::

        \mathbb{E}\Big[\Big(\frac{\mathrm{d}h_t}{\mathrm{d}\lambda}\Big)^2\Big]
        = \frac{\partial^2 f}{\partial\lambda_1 \partial\lambda_2}\Big|_{\lambda, \lambda}
        = \frac{(1 + \lambda^2)(1 - \rho^2\lambda^2) + 2\rho\lambda(1 - \lambda^2)}
               {(1 - \lambda^2)^3 (1 - \rho\lambda)^2}

    for a real :math:`\lambda`, and :math:`\partial_{\lambda_1}\partial_{\lambda_2}
    f(\lambda, \bar\lambda)` for a complex one (:math:`h_t` is holomorphic in
    :math:`\lambda`, so :math:`\mathrm{d}h_t/\mathrm{d}\lambda` is its complex derivative).
    It grows as :math:`(1-\lambda)^{-3}` for white and as :math:`(1-\lambda)^{-4}` for
    constant inputs: the curse of memory.

    Parameters
    ----------
    lam : array_like, real or complex
        Recurrent weight(s), modulus < 1.
    rho : array_like
        Input autocorrelation per step, in [-1, 1]; broadcast against ``lam``.

    Returns
    -------
    float or ndarray
    """
    lam = as_lambda("lam", lam)
    r = as_correlation("rho", rho)
    return _result(_real_part(_mixed_derivative(lam, np.conj(lam), r)))


def normalisation_factor(lam):
    r"""The input normalisation :math:`\gamma(\lambda) = \sqrt{1 - |\lambda|^2}`.

    Used as :math:`h_t = \lambda h_{t-1} + \gamma x_t` by the LRU (Orvieto et al., 2023): with
    white inputs it makes :math:`\mathbb{E}|h_t|^2 = 1` for every :math:`\lambda`.

    Parameters
    ----------
    lam : array_like, real or complex
        Recurrent weight(s), modulus < 1.

    Returns
    -------
    float or ndarray
    """
    lam = as_lambda("lam", lam)
    return _result(np.sqrt(1 - np.abs(lam) ** 2))


def normalised_hidden_second_moment(lam, rho):
    r"""Second moment of the state with normalised input, :math:`\gamma^2\,\mathbb{E}|h_t|^2`.

    For :math:`h_t = \lambda h_{t-1} + \gamma x_t` with :math:`\gamma = \sqrt{1 - |\lambda|^2}`
    (Orvieto et al., 2023; Zucchet and Orvieto, 2024) the state's second moment is
    :math:`(1 - |\lambda|^2)\, f(\lambda, \bar\lambda)`: exactly 1 for white inputs, and
    :math:`(1 + \lambda)/(1 - \lambda)` for constant ones (real :math:`\lambda`).

    Parameters
    ----------
    lam : array_like, real or complex
    rho : array_like
        In [-1, 1], broadcast against ``lam``.

    Returns
    -------
    float or ndarray
    """
    lam = as_lambda("lam", lam)
    r = as_correlation("rho", rho)
    return _result((1 - np.abs(lam) ** 2) * _real_part(_cross(lam, np.conj(lam), r)))


def normalised_sensitivity_second_moment(lam, rho):
    r"""Second moment of the sensitivity :math:`\mathrm{d}h_t/\mathrm{d}\lambda` with normalised input.

    :math:`\gamma = \sqrt{1 - |\lambda|^2}` is treated as a separate parameter, as in the LRU
    where it is learned (Orvieto et al., 2023), so it only rescales the sensitivity
    (Zucchet and Orvieto, 2024):

    .. math::

        \mathbb{E}\Big|\frac{\partial h_t}{\partial\lambda}\Big|^2
        = (1 - |\lambda|^2)\, \partial_{\lambda_1}\partial_{\lambda_2} f(\lambda, \bar\lambda) ,

    which still diverges as :math:`\lambda \to 1`: :math:`(1+\lambda^2)/(1-\lambda^2)^2` for
    white inputs.

    Parameters
    ----------
    lam : array_like, real or complex
    rho : array_like
        In [-1, 1], broadcast against ``lam``.

    Returns
    -------
    float or ndarray
    """
    lam = as_lambda("lam", lam)
    r = as_correlation("rho", rho)
    return _result((1 - np.abs(lam) ** 2) * _real_part(_mixed_derivative(lam, np.conj(lam), r)))


def exponential_sensitivity_second_moment(lam, rho, normalised=True):
    r"""Sensitivity to :math:`\omega_\nu` under the exponential parametrisation.

    The LRU writes :math:`\lambda = \exp(-e^{\omega_\nu} + i\theta)` (Orvieto et al., 2023), so
    :math:`\partial\lambda/\partial\omega_\nu = \lambda \ln|\lambda|` and
    (Zucchet and Orvieto, 2024)

    .. math::

        \mathbb{E}\Big|\frac{\partial h_t}{\partial\omega_\nu}\Big|^2
        = |\lambda|^2 \ln^2|\lambda| \; \gamma^2 \;
          \partial_{\lambda_1}\partial_{\lambda_2} f(\lambda, \bar\lambda),

    with :math:`\gamma^2 = 1 - |\lambda|^2` (``normalised=True``) or 1. Since
    :math:`\ln|\lambda| \approx -(1 - |\lambda|)`, the factor cancels two powers of
    :math:`1/(1-|\lambda|)`: enough to keep the normalised sensitivity bounded for white
    inputs (about 0.5 at :math:`\lambda = 0.99`), not for correlated ones, whose sensitivity
    diverges one power faster.

    Parameters
    ----------
    lam : array_like, real or complex
        Nonzero, modulus < 1.
    rho : array_like
        In [-1, 1], broadcast against ``lam``.
    normalised : bool
        Include the input normalisation :math:`\gamma`.

    Returns
    -------
    float or ndarray
    """
    lam = as_lambda("lam", lam)
    r = as_correlation("rho", rho)
    normalised = as_bool("normalised", normalised)
    modulus = np.abs(lam)
    if np.any(modulus == 0):
        raise ValueError("lam must be nonzero under the exponential parametrisation")
    value = modulus**2 * np.log(modulus) ** 2 * _real_part(_mixed_derivative(lam, np.conj(lam), r))
    if normalised:
        value = value * (1 - modulus**2)
    return _result(value)
