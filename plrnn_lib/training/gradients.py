"""The loss of a PLRNN under generalized teacher forcing and its exact gradient (BPTT)."""
from __future__ import annotations

import threading

import numpy as np

from .._checks import as_float_array, as_real
from ..models import PLRNN, ShallowPLRNN
from . import _bptt


def _check_model(model):
    if not isinstance(model, (PLRNN, ShallowPLRNN)):
        raise TypeError("model must be a PLRNN or a ShallowPLRNN, got "
                        f"{type(model).__name__}")


def _has_diagonal_A(model):
    """True when A is trained through its diagonal (params()['A'] has shape (M,))."""
    return model.params()["A"].ndim == 1


def check_batch(model, X, inputs=None, name="X"):
    """Validate a batch ``X`` (B, T, N) and optional ``inputs`` (B, T, K) for ``model``.

    Returns the arrays as C-contiguous float64 (``inputs`` None when not given). Errors name
    the argument: a batch needs at least two time steps and 1 <= N <= M observed units.
    """
    _check_model(model)
    X = as_float_array(name, X, ndim=3)
    B, T, N = X.shape
    if B == 0:
        raise ValueError(f"{name} must hold at least one sequence, got shape {X.shape}")
    if T < 2:
        raise ValueError(f"{name} must have at least 2 time steps (the loss starts at t = 2), "
                         f"got shape {X.shape}")
    if not 1 <= N <= model.M:
        raise ValueError(f"{name} must observe between 1 and M = {model.M} units (its last "
                         f"axis), got shape {X.shape}")
    if inputs is not None:
        if isinstance(model, ShallowPLRNN) or model.C is None:
            raise ValueError("inputs were given but the model has no input matrix C")
        inputs = as_float_array("inputs", inputs, shape=(B, T, model.K))
    return X, inputs


class _Workspace(threading.local):
    """Work arrays of the BPTT sweep, reused between calls of the same size (per thread).

    A training loop calls the kernels thousands of times with one shape; allocating the
    multi-megabyte arrays afresh each time costs more in page faults than the sweep itself.
    """

    def __init__(self):
        self.key = None
        self.arrays = None

    def get(self, T, B, M, H, N, gated):
        key = (T, B, M, H, N, gated)
        if key != self.key:
            self.arrays = (np.empty((T, B, M)),                      # Zf
                           np.empty((T, B, H) if gated else (0, 0, 0)),  # U
                           np.empty((T, B, H)),                      # R
                           np.empty((T, B, N)),                      # E
                           np.empty((T, B, M)),                      # delta
                           np.empty((T, B, H)))                      # eta
            self.key = key
        return self.arrays


_WORKSPACE = _Workspace()
_NO_DRIVE = np.zeros((0, 0, 0))


def as_forcing(alpha, T, name="alpha"):
    """A forcing strength in [0, 1], or one per time step (shape (T,)), as a (T,) array."""
    if np.ndim(alpha) == 0:
        return np.full(T, as_real(name, alpha, minimum=0.0, maximum=1.0))
    alphas = as_float_array(name, alpha, shape=(T,))
    if np.any((alphas < 0.0) | (alphas > 1.0)):
        raise ValueError(f"{name} must lie in [0, 1] at every step, got values from "
                         f"{alphas.min():.3g} to {alphas.max():.3g}")
    return alphas


def _forward(model, X, alpha, inputs):
    """Checked arguments -> (loss, work arrays, time-major inputs or None)."""
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    diag_A = _has_diagonal_A(model)
    B, T, N = X.shape
    Xt = np.ascontiguousarray(X.transpose(1, 0, 2))
    if inputs is not None:
        St = np.ascontiguousarray(inputs.transpose(1, 0, 2))
        drive = np.ascontiguousarray(St @ model.C.T)
    else:
        St, drive = None, _NO_DRIVE
    work = _WORKSPACE.get(T, B, model.M, G.shape[0], N, not gate_is_identity)
    Zf, U, R, E = work[:4]
    alphas = np.full(T, float(alpha)) if np.ndim(alpha) == 0 else alpha
    value = _bptt.forward(A, diag_A, W, G, g, b, gate_is_identity, Xt, alphas, drive,
                          Zf, U, R, E)
    return float(value), work, St


def _raw_loss_and_grad(model, X, alpha, inputs):
    """Loss and gradients keyed like ``model.params()``; arguments already checked."""
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    diag_A = _has_diagonal_A(model)
    value, (Zf, U, R, E, delta, eta), St = _forward(model, X, alpha, inputs)
    alphas = np.full(X.shape[1], float(alpha)) if np.ndim(alpha) == 0 else alpha
    _bptt.backward(A, diag_A, W, G, Zf if gate_is_identity else U, gate_is_identity, alphas,
                   E, delta, eta)
    dA, dW, dG, dg, db = _bptt.parameter_gradients(diag_A, gate_is_identity, Zf, R, delta,
                                                   eta)
    if isinstance(model, ShallowPLRNN):
        grads = {"A": np.diag(dA).copy(), "W1": dW, "W2": dG, "h1": db, "h2": dg}
    else:
        grads = {"A": np.diag(dA).copy() if diag_A else dA, "W": dW, "h": db}
        if model.C is not None:
            if St is None:
                grads["C"] = np.zeros_like(model.C)
            else:
                K = St.shape[2]
                grads["C"] = delta[1:].reshape(-1, model.M).T @ St[1:].reshape(-1, K)
    return value, grads


def loss_and_grad(model, X, alpha=0.0, inputs=None):
    r"""Mean squared prediction error of a PLRNN under teacher forcing, and its exact gradient.

    With an identity observation model (the first N latent units are the observations) and
    generalized teacher forcing (GTF) with :math:`\alpha \in [0, 1]`
    (Hess et al., 2023; Eisenmann et al., 2023):

    .. math::

        z_1 = (x_1, 0), \qquad z_t = F(\tilde z_{t-1}) + C s_t, \qquad
        \tilde z_{t,1:N} = (1-\alpha) z_{t,1:N} + \alpha x_t, \quad
        \tilde z_{t,N+1:M} = z_{t,N+1:M},

    .. math::

        L = \frac{1}{B (T-1) N} \sum_{b=1}^{B} \sum_{t=2}^{T} \lVert z_{t,1:N} - x_t \rVert^2 .

    :math:`\alpha = 0` is the free-running model started from the first observation,
    :math:`\alpha = 1` classical teacher forcing of the observed units.  The strength may
    also vary with the step, :math:`\alpha_t`: sparse teacher forcing (Mikhaeil et al.,
    2022) is :math:`\alpha_t = 1` every :math:`\tau` steps and 0 otherwise
    (:class:`~plrnn_lib.training.SparseForcing`).  The gradient is
    computed exactly by back-propagation through time, in one compiled forward and backward
    sweep: with :math:`\delta_t = \partial L / \partial z_t`,
    :math:`\delta_t = e_t + D_\alpha J_t^\top \delta_{t+1}`, where :math:`J_t` is the
    Jacobian of :math:`F` at :math:`\tilde z_t` and
    :math:`D_\alpha = \mathrm{diag}(1-\alpha, \dots, 1-\alpha, 1, \dots, 1)`.  On a switching
    boundary the one-sided derivative from the side ``relu`` input :math:`\le 0` is used.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
    X : array_like, shape (B, T, N)
        A batch of B observed sequences of length T >= 2 on N <= M units.
    alpha : float or array_like, shape (T,)
        GTF forcing strength in [0, 1], or one per time step (``alpha[0]`` is not used).
    inputs : array_like, shape (B, T, K), optional
        External inputs :math:`s_t` (PLRNN with an input matrix C only); ``inputs[:, 0]``
        is not used, since :math:`z_1` is data.

    Returns
    -------
    loss : float
    grads : dict of ndarray
        Keyed and shaped like ``model.params()``: ``'A'`` ((M,) for a diagonal A, else
        (M, M)), ``'W'``, ``'h'`` and ``'C'`` for a PLRNN; ``'A'``, ``'W1'``, ``'W2'``,
        ``'h1'``, ``'h2'`` for a ShallowPLRNN.

    Examples
    --------
    >>> import numpy as np, plrnn_lib as pl
    >>> m = pl.toy_plrnn()
    >>> X = m.simulate([0.5, 0.0], 49)[None, :, :1]  # observe unit 1; z_1 = (x_1, 0)
    >>> loss, grads = pl.loss_and_grad(m, X)
    >>> round(loss, 12), grads['A'].shape
    (0.0, (2,))
    """
    _check_model(model)
    X, inputs = check_batch(model, X, inputs)
    alpha = as_forcing(alpha, X.shape[1])
    return _raw_loss_and_grad(model, X, alpha, inputs)


def loss(model, X, alpha=0.0, inputs=None):
    r"""The loss of :func:`loss_and_grad` without the gradient (the same forward sweep).

    The GTF loss of Hess et al. (2023), with the forcing of :func:`loss_and_grad`:

    .. math:: L = \frac{1}{B (T-1) N} \sum_{b} \sum_{t=2}^{T} \lVert z_{t,1:N} - x_t \rVert^2
    """
    _check_model(model)
    X, inputs = check_batch(model, X, inputs)
    alpha = as_forcing(alpha, X.shape[1])
    return _forward(model, X, alpha, inputs)[0]


def gradient_norm(grads):
    r"""Euclidean norm of all gradient entries together, :math:`\lVert \nabla_\theta L \rVert_2`.

    The quantity whose divergence or vanishing at bifurcations Theorems 1 and 2 of
    Eisenmann et al. (2023) describe.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged gradient is reported as inf
        return float(np.sqrt(sum(float(np.sum(np.square(v))) for v in grads.values())))
