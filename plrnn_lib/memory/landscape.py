r"""The one-unit teacher-student problem: its loss, gradient and Hessian in closed form.

A student unit :math:`h_t = \lambda h_{t-1} + \gamma x_t` learns to reproduce a teacher unit
:math:`h^*_t = \lambda^* h^*_{t-1} + \gamma^* x_t` fed the same white input of mean
:math:`\mu` and variance :math:`\sigma^2` (Zucchet and Orvieto, 2024). The stationary loss
:math:`L = \tfrac12 \mathbb{E}|h_t - h^*_t|^2` is

.. math::

    L = \tfrac12\Big[\mu^2 \Big|\frac{\gamma}{1-\lambda} - \frac{\gamma^*}{1-\lambda^*}\Big|^2
      + \sigma^2\Big(\frac{\gamma^2}{1-|\lambda|^2} + \frac{\gamma^{*2}}{1-|\lambda^*|^2}
      - 2\,\mathrm{Re}\,\frac{\gamma\gamma^*}{1-\lambda\bar\lambda^*}\Big)\Big],

with :math:`\gamma = \gamma^* = 1` (unnormalised) or :math:`\gamma = \sqrt{1-|\lambda|^2}`
(normalised). The student's :math:`\lambda` is a function of two real parameters
:math:`(w_1, w_2)`, one of three parametrisations:

``"polar"``
    :math:`\lambda = \nu e^{i\theta}` with :math:`(w_1, w_2) = (\nu, \theta)`;
``"exponential"``
    :math:`\lambda = \exp(-e^{w_1} + i e^{w_2})`, the LRU's (Orvieto et al., 2023);
``"optimal"``
    :math:`\nu = \tanh w_1`, :math:`\theta = \frac{1-\nu^2}{\nu\sqrt{1+\nu^2}}\, w_2`, which
    turns the normalised loss's Hessian at a real optimum into the identity.

Derivatives are exact: the terms are holomorphic functions of :math:`\lambda` times real
functions of :math:`\nu`, differentiated in polar coordinates and carried through the
parametrisation by the chain rule :math:`H_w = J^\top H_{\nu\theta} J + \sum_k g_k
\nabla^2 \phi_k`.
"""
from __future__ import annotations

import numpy as np

from .._checks import as_bool, as_real
from ._validate import as_lambda

#: The parametrisations of the student's eigenvalue understood by this module.
PARAMETRISATIONS = ("polar", "exponential", "optimal")


def _check_parametrisation(parametrisation):
    if parametrisation not in PARAMETRISATIONS:
        raise ValueError(f"parametrisation must be one of {PARAMETRISATIONS}, "
                         f"got {parametrisation!r}")


def _as_parameter(name, value):
    arr = np.asarray(value)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real numbers")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (found NaN or inf)")
    return arr


def _angle_factor(nu):
    # c(nu) = (1 - nu^2) / (nu sqrt(1 + nu^2)) of the "optimal" parametrisation
    return (1 - nu**2) / (nu * np.sqrt(1 + nu**2))


def _to_polar(w1, w2, parametrisation):
    """(nu, theta), their Jacobian J[k, i] = d phi_k / d w_i and second derivatives T[k, i, j]."""
    shape = np.broadcast(w1, w2).shape
    w1, w2 = np.broadcast_to(w1, shape), np.broadcast_to(w2, shape)
    J = np.zeros(shape + (2, 2))
    T = np.zeros(shape + (2, 2, 2))
    if parametrisation == "polar":
        nu, theta = w1.copy(), w2.copy()
        J[..., 0, 0] = 1.0
        J[..., 1, 1] = 1.0
    elif parametrisation == "exponential":
        log_nu = -np.exp(w1)
        nu, theta = np.exp(log_nu), np.exp(w2)
        J[..., 0, 0] = nu * log_nu
        T[..., 0, 0, 0] = nu * log_nu * (1 + log_nu)
        J[..., 1, 1] = theta
        T[..., 1, 1, 1] = theta
    else:
        nu = np.tanh(w1)
        dnu = 1 - nu**2
        d2nu = -2 * nu * dnu
        c = _angle_factor(nu)
        l1 = -2 * nu / (1 - nu**2) - 1 / nu - nu / (1 + nu**2)
        dl1 = -2 * (1 + nu**2) / (1 - nu**2) ** 2 + 1 / nu**2 - (1 - nu**2) / (1 + nu**2) ** 2
        dc, d2c = c * l1, c * (l1**2 + dl1)
        theta = c * w2
        J[..., 0, 0] = dnu
        T[..., 0, 0, 0] = d2nu
        J[..., 1, 0] = dc * dnu * w2
        J[..., 1, 1] = c
        T[..., 1, 0, 0] = (d2c * dnu**2 + dc * d2nu) * w2
        T[..., 1, 0, 1] = T[..., 1, 1, 0] = dc * dnu
    return nu, theta, J, T


def lambda_from_parameters(w1, w2, parametrisation="polar"):
    r"""The student's eigenvalue :math:`\lambda(w_1, w_2)` under a parametrisation.

    ``"polar"``: :math:`\lambda = w_1 e^{i w_2}`; ``"exponential"``:
    :math:`\lambda = \exp(-e^{w_1} + i e^{w_2})` (Orvieto et al., 2023); ``"optimal"``:
    :math:`\nu = \tanh w_1`, :math:`\lambda = \nu \exp\big(i w_2 (1-\nu^2)/(\nu\sqrt{1+\nu^2})\big)`
    (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    w1, w2 : array_like
        Broadcast against each other.
    parametrisation : {"polar", "exponential", "optimal"}

    Returns
    -------
    complex ndarray
    """
    _check_parametrisation(parametrisation)
    w1, w2 = _as_parameter("w1", w1), _as_parameter("w2", w2)
    nu, theta, _, _ = _to_polar(w1, w2, parametrisation)
    return nu * np.exp(1j * theta)


def parameters_from_lambda(lam, parametrisation="polar"):
    r"""Invert :func:`lambda_from_parameters`: the parameters :math:`(w_1, w_2)` of ``lam``.

    Polar: :math:`(|\lambda|, \arg\lambda)`; exponential: :math:`(\ln(-\ln|\lambda|),
    \ln\arg\lambda)`, which needs :math:`\arg\lambda > 0`; optimal:
    :math:`(\operatorname{artanh}|\lambda|, \arg\lambda\, \nu\sqrt{1+\nu^2}/(1-\nu^2))`
    (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    lam : array_like, complex
        Nonzero, modulus < 1.
    parametrisation : {"polar", "exponential", "optimal"}

    Returns
    -------
    (ndarray, ndarray)
    """
    _check_parametrisation(parametrisation)
    lam = as_lambda("lam", lam)
    nu, theta = np.abs(lam), np.angle(lam)
    if parametrisation != "polar" and np.any(nu == 0):
        raise ValueError(f"lam must be nonzero under the {parametrisation} parametrisation")
    if parametrisation == "polar":
        return nu, theta
    if parametrisation == "exponential":
        if np.any(theta <= 0):
            raise ValueError("lam must have a positive angle under the exponential "
                             "parametrisation (theta = exp(w2) > 0)")
        return np.log(-np.log(nu)), np.log(theta)
    return np.arctanh(nu), theta / _angle_factor(nu)


def _polar_loss_derivatives(nu, theta, teacher, normalised, mean, variance):
    """Loss, gradient and Hessian in (nu, theta), vectorised over nu and theta."""
    lam = nu * np.exp(1j * theta)
    e = np.exp(1j * theta)
    ts = teacher
    if normalised:
        r, r1, r2 = np.sqrt(1 - nu**2), -nu / np.sqrt(1 - nu**2), -(1 - nu**2) ** -1.5
        ts_scale = np.sqrt(1 - abs(ts) ** 2)
    else:
        r, r1, r2 = np.ones_like(nu), np.zeros_like(nu), np.zeros_like(nu)
        ts_scale = 1.0

    def holo(F, F1, F2):
        # derivatives of u = r(nu) F(lam): value, (u_nu, u_theta), (u_nn, u_nt, u_tt)
        Fn, Ft = F1 * e, F1 * 1j * lam
        Fnn, Fnt, Ftt = F2 * e**2, F2 * 1j * lam * e + F1 * 1j * e, -F2 * lam**2 - F1 * lam
        return (r * F, (r1 * F + r * Fn, r * Ft),
                (r2 * F + 2 * r1 * Fn + r * Fnn, r1 * Ft + r * Fnt, r * Ftt))

    # mean part: D = r/(1 - lam) - teacher's, |D|^2
    one = 1 / (1 - lam)
    D, (Dn, Dt), (Dnn, Dnt, Dtt) = holo(one, one**2, 2 * one**3)
    D = D - ts_scale / (1 - ts)
    cD = np.conj(D)
    m0 = np.abs(D) ** 2
    mn, mt = 2 * np.real(cD * Dn), 2 * np.real(cD * Dt)
    mnn = 2 * np.real(np.conj(Dn) * Dn + cD * Dnn)
    mnt = 2 * np.real(np.conj(Dn) * Dt + cD * Dnt)
    mtt = 2 * np.real(np.conj(Dt) * Dt + cD * Dtt)
    # variance part: r^2 / (1 - nu^2) + teacher's - 2 Re(r gamma* / (1 - lam conj(teacher)))
    if normalised:
        p0, pn, pnn = np.ones_like(nu), np.zeros_like(nu), np.zeros_like(nu)
    else:
        q = 1 - nu**2
        p0, pn, pnn = 1 / q, 2 * nu / q**2, (2 + 6 * nu**2) / q**3
    p_teacher = ts_scale**2 / (1 - abs(ts) ** 2)
    cb = np.conj(ts)
    cross = 1 / (1 - lam * cb)
    Q, (Qn, Qt), (Qnn, Qnt, Qtt) = holo(ts_scale * cross, ts_scale * cb * cross**2,
                                        2 * ts_scale * cb**2 * cross**3)
    v0 = p0 + p_teacher - 2 * np.real(Q)
    vn, vt = pn - 2 * np.real(Qn), -2 * np.real(Qt)
    vnn, vnt, vtt = pnn - 2 * np.real(Qnn), -2 * np.real(Qnt), -2 * np.real(Qtt)

    mu2 = mean**2
    loss = 0.5 * (mu2 * m0 + variance * v0)
    grad = np.stack([0.5 * (mu2 * mn + variance * vn), 0.5 * (mu2 * mt + variance * vt)], -1)
    hnn = 0.5 * (mu2 * mnn + variance * vnn)
    hnt = 0.5 * (mu2 * mnt + variance * vnt)
    htt = 0.5 * (mu2 * mtt + variance * vtt)
    hess = np.stack([np.stack([hnn, hnt], -1), np.stack([hnt, htt], -1)], -2)
    return loss, grad, hess


def _check_common(teacher, normalised, input_mean, input_variance, parametrisation):
    _check_parametrisation(parametrisation)
    teacher = as_lambda("teacher", teacher)
    if teacher.ndim != 0:
        raise ValueError(f"teacher must be a single eigenvalue, got shape {teacher.shape}")
    return (complex(teacher), as_bool("normalised", normalised),
            as_real("input_mean", input_mean), as_real("input_variance", input_variance, minimum=0))


def one_unit_loss_derivatives(w1, w2, teacher, *, parametrisation="polar", normalised=False,
                              input_mean=0.0, input_variance=1.0):
    r"""Loss, gradient and Hessian of the one-unit teacher-student problem, in closed form.

    The loss is :math:`L = \tfrac12\mathbb{E}|h_t - h^*_t|^2` of the module docstring
    (Zucchet and Orvieto, 2024),

    .. math::

        L = \tfrac12\Big[\mu^2\Big|\frac{\gamma}{1-\lambda} - \frac{\gamma^*}{1-\lambda^*}\Big|^2
        + \sigma^2\Big(\frac{\gamma^2}{1-|\lambda|^2} + \frac{\gamma^{*2}}{1-|\lambda^*|^2}
        - 2\,\mathrm{Re}\frac{\gamma\gamma^*}{1-\lambda\bar\lambda^*}\Big)\Big],

    as a function of the student's parameters :math:`(w_1, w_2)`; its gradient
    :math:`\nabla_w L = J^\top \nabla_{\nu\theta} L` and Hessian
    :math:`\nabla^2_w L = J^\top \nabla^2_{\nu\theta} L\, J + \sum_k \partial_k L\,
    \nabla^2_w \phi_k` follow by the chain rule through :math:`\phi: w \mapsto (\nu, \theta)`.

    Parameters
    ----------
    w1, w2 : array_like
        Student parameters, broadcast against each other (shape S).
    teacher : complex
        The teacher's eigenvalue :math:`\lambda^*`, modulus < 1.
    parametrisation : {"polar", "exponential", "optimal"}
    normalised : bool
        Normalise the input of student and teacher by :math:`\gamma = \sqrt{1-|\lambda|^2}`.
    input_mean, input_variance : float
        :math:`\mu` and :math:`\sigma^2` of the white input.

    Returns
    -------
    loss : ndarray, shape S
    grad : ndarray, shape S + (2,)
    hessian : ndarray, shape S + (2, 2)
    """
    teacher, normalised, mean, variance = _check_common(teacher, normalised, input_mean,
                                                        input_variance, parametrisation)
    w1, w2 = _as_parameter("w1", w1), _as_parameter("w2", w2)
    nu, theta, J, T = _to_polar(w1, w2, parametrisation)
    if np.any(np.abs(nu) >= 1):
        raise ValueError("the student's |lambda| must be < 1 (w1 out of range)")
    if parametrisation != "polar" and np.any(nu == 0):
        raise ValueError("the student's lambda must be nonzero")
    loss, g, H = _polar_loss_derivatives(nu, theta, teacher, normalised, mean, variance)
    grad = np.einsum("...ki,...k->...i", J, g)
    hess = np.einsum("...ki,...kl,...lj->...ij", J, H, J) + np.einsum("...k,...kij->...ij", g, T)
    return loss, grad, hess


def one_unit_loss(w1, w2, teacher, *, parametrisation="polar", normalised=False,
                  input_mean=0.0, input_variance=1.0):
    r"""The one-unit teacher-student loss :math:`L(w_1, w_2)` on a grid (no derivatives).

    :math:`L = \tfrac12\mathbb{E}|h_t - h^*_t|^2` in closed form, see
    :func:`one_unit_loss_derivatives` (Zucchet and Orvieto, 2024):
    :math:`L = \tfrac12[\mu^2|\gamma/(1-\lambda) - \gamma^*/(1-\lambda^*)|^2 +
    \sigma^2(\gamma^2/(1-|\lambda|^2) + \gamma^{*2}/(1-|\lambda^*|^2)
    - 2\,\mathrm{Re}\,\gamma\gamma^*/(1-\lambda\bar\lambda^*))]`.

    Parameters
    ----------
    w1, w2 : array_like
        Broadcast against each other.
    teacher : complex
    parametrisation : {"polar", "exponential", "optimal"}
    normalised : bool
    input_mean, input_variance : float

    Returns
    -------
    ndarray
    """
    teacher, normalised, mean, variance = _check_common(teacher, normalised, input_mean,
                                                        input_variance, parametrisation)
    lam = lambda_from_parameters(w1, w2, parametrisation)
    if np.any(np.abs(lam) >= 1):
        raise ValueError("the student's |lambda| must be < 1 (w1 out of range)")
    g = np.sqrt(1 - np.abs(lam) ** 2) if normalised else 1.0
    gs = np.sqrt(1 - abs(teacher) ** 2) if normalised else 1.0
    mean_part = np.abs(g / (1 - lam) - gs / (1 - teacher)) ** 2
    var_part = (g**2 / (1 - np.abs(lam) ** 2) + gs**2 / (1 - abs(teacher) ** 2)
                - 2 * np.real(g * gs / (1 - lam * np.conj(teacher))))
    return 0.5 * (mean**2 * mean_part + variance * var_part)
