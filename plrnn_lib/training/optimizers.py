"""First-order optimisers over a model's named parameters: gradient descent, Adam, RAdam.

Each optimiser keeps its state per parameter name and maps ``(params, grads)`` (dicts of
arrays keyed like ``model.params()``) to new parameters, so the trainer can rebuild the
model with ``model.replace(**new)``.  The updates are cheap next to a BPTT sweep, so they are
plain numpy.
"""
from __future__ import annotations

import numpy as np

from .._checks import as_real


def _learning_rate(value):
    if callable(value):
        return value
    return as_real("learning_rate", value, minimum=0.0)


class Optimizer:
    r"""Base class of the optimisers: :math:`\theta_k = \theta_{k-1} - \eta_k\, u_k`.

    A learning rate :math:`\eta_k` (a number, or a function of the step count 1, 2, ...),
    per-parameter state, and the direction :math:`u_k` that a subclass computes from the
    gradient (Ruder, 2016, reviews the family).
    """

    def __init__(self, learning_rate):
        self.learning_rate = _learning_rate(learning_rate)
        self.n_steps = 0
        self.state = {}

    def current_learning_rate(self):
        """The learning rate for the next step."""
        lr = self.learning_rate
        if callable(lr):
            return as_real("learning_rate(step)", lr(self.n_steps + 1), minimum=0.0)
        return lr

    def reset(self):
        """Forget the moments and the step count."""
        self.n_steps = 0
        self.state = {}

    def step(self, params, grads):
        """Return the updated parameters ``{name: new array}`` for the names in ``grads``.

        Parameters
        ----------
        params : dict of ndarray
            Current values (e.g. ``model.params()``).
        grads : dict of ndarray
            Gradients of the loss, keyed like ``params``; names missing here are left alone.
        """
        lr = self.current_learning_rate()
        self.n_steps += 1
        return {name: np.asarray(params[name], dtype=float) - lr * self._update(name, g)
                for name, g in grads.items()}

    def _update(self, name, grad):  # pragma: no cover - every optimiser defines it
        raise NotImplementedError


class GradientDescent(Optimizer):
    r"""Plain gradient descent, optionally with heavy-ball momentum.

    .. math:: v_k = \mu v_{k-1} + \nabla L(\theta_{k-1}), \qquad \theta_k = \theta_{k-1} - \eta v_k

    (:math:`\mu = 0` is plain gradient descent; Polyak, 1964.)

    Parameters
    ----------
    learning_rate : float or callable
        :math:`\eta`, or a function of the step number 1, 2, ... returning it.
    momentum : float
        :math:`\mu \in [0, 1)`.
    """

    def __init__(self, learning_rate=1e-2, momentum=0.0):
        super().__init__(learning_rate)
        self.momentum = as_real("momentum", momentum, minimum=0.0)
        if self.momentum >= 1.0:
            raise ValueError(f"momentum must be < 1, got {self.momentum}")

    def _update(self, name, grad):
        if self.momentum == 0.0:
            return grad
        v = self.momentum * self.state.get(name, 0.0) + grad
        self.state[name] = v
        return v


def adam_moments(m, v, grad, step, beta1, beta2):
    r"""Adam's moment update and bias correction (Kingma and Ba, 2015), for step k >= 1.

    .. math::

        m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k, \quad
        v_k = \beta_2 v_{k-1} + (1-\beta_2) g_k^2, \quad
        \hat m_k = \frac{m_k}{1-\beta_1^k}, \quad \hat v_k = \frac{v_k}{1-\beta_2^k}.

    The one place both Adams of the library (:class:`Adam` here, on named parameters, and
    :func:`plrnn_lib.memory.adam_update`, on a flat vector) take their moments from.

    Returns
    -------
    (m, v, m_hat, v_hat)
    """
    m = beta1 * m + (1.0 - beta1) * grad
    v = beta2 * v + (1.0 - beta2) * grad * grad
    return m, v, m / (1.0 - beta1 ** step), v / (1.0 - beta2 ** step)


class Adam(Optimizer):
    r"""Adam (Kingma and Ba, 2015).

    .. math::

        m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k, \quad
        v_k = \beta_2 v_{k-1} + (1-\beta_2) g_k^2, \quad
        \theta_k = \theta_{k-1} - \eta \frac{m_k / (1-\beta_1^k)}{\sqrt{v_k/(1-\beta_2^k)} + \epsilon}.
    """

    def __init__(self, learning_rate=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(learning_rate)
        self.beta1, self.beta2 = _betas(betas)
        self.eps = as_real("eps", eps, minimum=0.0)

    def _moments(self, name, grad):
        m, v = self.state.get(name, (0.0, 0.0))
        # self.n_steps already counts this step
        m, v, m_hat, v_hat = adam_moments(m, v, grad, self.n_steps, self.beta1, self.beta2)
        self.state[name] = (m, v)
        return m_hat, v_hat

    def _update(self, name, grad):
        m_hat, v_hat = self._moments(name, grad)
        return m_hat / (np.sqrt(v_hat) + self.eps)


class RAdam(Adam):
    r"""Rectified Adam (Liu et al., 2020), the optimiser of the GTF reference code.

    Adam's step is multiplied by the variance rectification
    :math:`r_k = \sqrt{\frac{(\rho_k-4)(\rho_k-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_k}}`
    with :math:`\rho_\infty = 2/(1-\beta_2) - 1`,
    :math:`\rho_k = \rho_\infty - 2k\beta_2^k/(1-\beta_2^k)`; while :math:`\rho_k \le 5` the
    variance estimate is not trusted and the step is momentum SGD,
    :math:`\theta_k = \theta_{k-1} - \eta\, m_k/(1-\beta_1^k)`.
    """

    def _update(self, name, grad):
        m_hat, v_hat = self._moments(name, grad)
        k = self.n_steps
        rho_inf = 2.0 / (1.0 - self.beta2) - 1.0
        rho = rho_inf - 2.0 * k * self.beta2 ** k / (1.0 - self.beta2 ** k)
        if rho <= 5.0:
            return m_hat
        r = np.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
        return r * m_hat / (np.sqrt(v_hat) + self.eps)


def _betas(betas):
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    b1 = as_real("betas[0]", betas[0], minimum=0.0)
    b2 = as_real("betas[1]", betas[1], minimum=0.0)
    if b1 >= 1.0 or b2 >= 1.0:
        raise ValueError(f"betas must lie in [0, 1), got {tuple(betas)}")
    return b1, b2


_BY_NAME = {"adam": Adam, "radam": RAdam, "gd": GradientDescent, "sgd": GradientDescent}


def make_optimizer(optimizer, learning_rate=None):
    """An :class:`Optimizer` from a name ('adam', 'radam', 'gd') or an instance (returned)."""
    if isinstance(optimizer, Optimizer):
        if learning_rate is not None:
            raise ValueError("learning_rate is given twice: set it on the optimizer instance")
        return optimizer
    if not isinstance(optimizer, str) or optimizer.lower() not in _BY_NAME:
        raise ValueError(f"optimizer must be one of {', '.join(sorted(_BY_NAME))} or an "
                         f"Optimizer instance, got {optimizer!r}")
    cls = _BY_NAME[optimizer.lower()]
    return cls() if learning_rate is None else cls(learning_rate)
