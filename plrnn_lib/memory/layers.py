r"""Linear recurrent layers with exact gradients: dense, block diagonal, complex diagonal, LRU.

Every layer maps an input sequence :math:`x_1, \dots, x_T \in \mathbb{R}^K` to outputs

.. math::

    h_t = \Lambda h_{t-1} + \tilde B x_t, \quad h_0 = 0, \qquad
    \hat y_t = \mathrm{Re}(C h_t) + D x_t ,

and differs only in how the recurrence :math:`\Lambda` and the input matrix
:math:`\tilde B` are parametrised (Zucchet and Orvieto, 2024; Orvieto et al., 2023):

``"dense"``
    real :math:`\Lambda = A \in \mathbb{R}^{n\times n}`, parameters ``A, B, C, D``;
``"block_diagonal"``
    real :math:`\Lambda` with 2 x 2 blocks on the diagonal, parameters ``blocks`` (n/2, 2, 2),
    ``B, C, D``;
``"complex_diagonal"``
    :math:`\Lambda = \mathrm{diag}(\lambda)`, :math:`\lambda \in \mathbb{C}^n` stored as
    ``lam_re, lam_im``; :math:`\tilde B = B_\mathrm{re} + i B_\mathrm{im}`,
    :math:`C = C_\mathrm{re} + i C_\mathrm{im}`;
``"lru"``
    the LRU: :math:`\lambda = \exp(-e^{\nu_{\mathrm{log}}} + i e^{\theta_{\mathrm{log}}})`
    and a learned input normalisation
    :math:`\tilde B = \mathrm{diag}(e^{\gamma_{\mathrm{log}}})(B_\mathrm{re} + i B_\mathrm{im})`,
    parameters ``nu_log, theta_log, gamma_log, B_re, B_im, C_re, C_im, D``.

The loss on a batch is :math:`L = \frac{1}{2 BTm}\sum_{b,t,o} (\hat y_{bto} - y_{bto})^2`.
Its gradient is backpropagation through time: the adjoint :math:`\delta_t = \Lambda^\top
\delta_{t+1} + C^\top g_t` (:math:`\bar\Lambda` and :math:`\bar C` for the complex layers,
with Wirtinger cotangents :math:`\partial_\mathrm{Re} + i\,\partial_\mathrm{Im}`) is the
forward recurrence run backwards. The dense and block-diagonal layers run it in one fused
numba kernel each, which accumulates the sums over time and batch that give the parameter
gradients step by step (the dense layer's per-step products are BLAS gemms on contiguous
(batch, n) rows, ``_kernels.dense_loss_and_grad``). The
diagonal layers (complex diagonal, LRU) take their gradient in one forward-mode sweep
instead: a diagonal recurrence needs only n tangents, so no states are stored (see
``_kernels.diagonal_loss_and_grad``); the result equals backpropagation's.
"""
from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np

from .._checks import as_float_array, as_int, as_real, as_rng
from ._kernels import (blocks_backward, blocks_forward, dense_forward, dense_loss_and_grad,
                       diagonal_backward, diagonal_forward, diagonal_loss_and_grad, recur_blocks,
                       recur_dense, recur_diagonal)

#: Layer kinds and their parameter names, in the order of the flat parameter vector.
PARAMETER_NAMES = MappingProxyType({
    "dense": ("A", "B", "C", "D"),
    "block_diagonal": ("blocks", "B", "C", "D"),
    "complex_diagonal": ("lam_re", "lam_im", "B_re", "B_im", "C_re", "C_im", "D"),
    "lru": ("nu_log", "theta_log", "gamma_log", "B_re", "B_im", "C_re", "C_im", "D"),
})


def _shapes(kind, n, k, m):
    if kind == "dense":
        return {"A": (n, n), "B": (n, k), "C": (m, n), "D": (m, k)}
    if kind == "block_diagonal":
        return {"blocks": (n // 2, 2, 2), "B": (n, k), "C": (m, n), "D": (m, k)}
    shapes = {"B_re": (n, k), "B_im": (n, k), "C_re": (m, n), "C_im": (m, n), "D": (m, k)}
    if kind == "complex_diagonal":
        return {"lam_re": (n,), "lam_im": (n,), **shapes}
    return {"nu_log": (n,), "theta_log": (n,), "gamma_log": (n,), **shapes}


def _apply(X, M):
    """``X @ M`` for a stack X of shape (..., p) and M (p, q), as one 2-D BLAS product."""
    return (X.reshape(-1, X.shape[-1]) @ M).reshape(X.shape[:-1] + (M.shape[1],))


def _real_output(H, C):
    """``Re(H @ C.T)`` without forming the complex product."""
    if np.iscomplexobj(H) or np.iscomplexobj(C):
        C = np.asarray(C, complex)
        return _apply(np.ascontiguousarray(H.real), C.real.T) - _apply(
            np.ascontiguousarray(H.imag), C.imag.T)
    return _apply(H, C.T)


class LinearRecurrentLayer:
    r"""A linear recurrent layer: named parameters, forward pass, loss and exact gradient.

    Implements :math:`h_t = \Lambda h_{t-1} + \tilde B x_t`, :math:`\hat y_t =
    \mathrm{Re}(C h_t) + D x_t` for the four kinds of the module docstring (Zucchet and
    Orvieto, 2024; Orvieto et al., 2023). Parameters are read-only arrays; :meth:`replace`
    returns a new layer, :meth:`flat` and :meth:`from_flat` convert to and from one vector
    (in the order of ``PARAMETER_NAMES[kind]``).

    Parameters
    ----------
    kind : {"dense", "block_diagonal", "complex_diagonal", "lru"}
    params : dict
        The kind's parameters (see ``PARAMETER_NAMES``), shapes as in the module docstring:
        ``B`` (or ``B_re``) is (n, K), ``C`` (or ``C_re``) is (m, n), ``D`` is (m, K).
    """

    def __init__(self, kind, params):
        if kind not in PARAMETER_NAMES:
            raise ValueError(f"kind must be one of {tuple(PARAMETER_NAMES)}, got {kind!r}")
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict, got {type(params).__name__}")
        names = PARAMETER_NAMES[kind]
        missing = [p for p in names if p not in params]
        extra = [p for p in params if p not in names]
        if missing or extra:
            raise ValueError(f"a {kind} layer needs parameters {names}; "
                             f"missing {missing}, unexpected {extra}")
        # own copies: the read-only flag must not reach the caller's arrays
        arrays = {p: as_float_array(f"params['{p}']", params[p]).copy() for p in names}
        b_name = "B" if "B" in arrays else "B_re"
        c_name = "C" if "C" in arrays else "C_re"
        if arrays[b_name].ndim != 2 or arrays[c_name].ndim != 2:
            raise ValueError(f"params['{b_name}'] and params['{c_name}'] must be 2-D")
        n, k = arrays[b_name].shape
        m = arrays[c_name].shape[0]
        if kind == "block_diagonal" and n % 2:
            raise ValueError(f"a block_diagonal layer needs an even number of units, got {n}")
        for p, shape in _shapes(kind, n, k, m).items():
            if arrays[p].shape != shape:
                raise ValueError(f"params['{p}'] must have shape {shape}, got {arrays[p].shape}")
            arrays[p].setflags(write=False)
        self.kind = kind
        self._params = arrays
        self.n_hidden, self.n_inputs, self.n_outputs = n, k, m

    # ----------------------------------------------------------------- parameters
    def params(self):
        """The named parameter arrays (read-only), in the order of ``PARAMETER_NAMES[kind]``."""
        return dict(self._params)

    def replace(self, **named):
        """A new layer of the same kind with some parameters replaced."""
        params = self.params()
        for name in named:
            if name not in params:
                raise ValueError(f"a {self.kind} layer has no parameter {name!r}; "
                                 f"it has {tuple(params)}")
        params.update(named)
        return LinearRecurrentLayer(self.kind, params)

    @property
    def n_parameters(self):
        """Number of real parameters."""
        return sum(a.size for a in self._params.values())

    def flat(self):
        """All parameters in one vector, in the order of ``PARAMETER_NAMES[kind]``."""
        return np.concatenate([a.ravel() for a in self._params.values()])

    def parameter_slices(self):
        """``{name: slice}`` locating each parameter in :meth:`flat`."""
        out, start = {}, 0
        for name, a in self._params.items():
            out[name] = slice(start, start + a.size)
            start += a.size
        return out

    def from_flat(self, vector):
        """A new layer of the same kind and sizes with parameters read from ``vector``."""
        vector = as_float_array("vector", vector, ndim=1, shape=(self.n_parameters,))
        return LinearRecurrentLayer(self.kind, {
            name: vector[s].reshape(self._params[name].shape)
            for name, s in self.parameter_slices().items()})

    def flatten_grads(self, grads):
        """A gradient dict (as from :meth:`loss_and_grad`) as one vector, like :meth:`flat`."""
        return np.concatenate([np.asarray(grads[name], float).ravel() for name in self._params])

    # ---------------------------------------------------------- effective system
    def eigenvalues(self):
        r"""Eigenvalues of the recurrence :math:`\Lambda` (complex, shape (n,) or (n/2,) pairs).

        For the dense and block-diagonal layers the eigenvalues of the real matrix; for the
        complex layers the diagonal :math:`\lambda` (Zucchet and Orvieto, 2024).
        """
        p = self._params
        if self.kind == "dense":
            return np.linalg.eigvals(p["A"])
        if self.kind == "block_diagonal":
            return np.concatenate([np.linalg.eigvals(b) for b in p["blocks"]])
        return self._lambda()

    def _lambda(self):
        p = self._params
        if self.kind == "complex_diagonal":
            return p["lam_re"] + 1j * p["lam_im"]
        return np.exp(-np.exp(p["nu_log"]) + 1j * np.exp(p["theta_log"]))

    def _effective(self):
        """(operator, B_eff, C_eff, D): the recurrence, input and output matrices."""
        p = self._params
        if self.kind == "dense":
            return p["A"], p["B"], p["C"], p["D"]
        if self.kind == "block_diagonal":
            return p["blocks"], p["B"], p["C"], p["D"]
        B = p["B_re"] + 1j * p["B_im"]
        if self.kind == "lru":
            B = np.exp(p["gamma_log"])[:, None] * B
        return self._lambda(), B, p["C_re"] + 1j * p["C_im"], p["D"]

    def _recur(self, op, drive, reverse=False, adjoint=False):
        if self.kind == "dense":
            A_T = op if adjoint else op.T   # row form: H[t] = H[t-1] @ A^T (@ A for the adjoint)
            return recur_dense(np.ascontiguousarray(A_T), drive, reverse)
        if self.kind == "block_diagonal":
            return recur_blocks(np.ascontiguousarray(op), drive, reverse, adjoint)
        return recur_diagonal(np.conj(op) if adjoint else op, drive, reverse)

    def _check_inputs(self, x, name="x"):
        x = as_float_array(name, x, ndim=3)
        if x.shape[2] != self.n_inputs:
            raise ValueError(f"{name} must have shape (batch, T, {self.n_inputs}), got {x.shape}")
        if x.shape[1] < 1 or x.shape[0] < 1:
            raise ValueError(f"{name} must hold at least one sequence of one step, got {x.shape}")
        return np.ascontiguousarray(x.transpose(1, 0, 2))   # time-major (T, B, K)

    def _run(self, xt):
        op, B, C, D = self._effective()
        if self.kind == "block_diagonal":
            return blocks_forward(np.ascontiguousarray(op), np.ascontiguousarray(B),
                                  np.ascontiguousarray(C), np.ascontiguousarray(D), xt)
        if self.kind in ("complex_diagonal", "lru"):
            return diagonal_forward(op, np.ascontiguousarray(B), np.ascontiguousarray(C),
                                    np.ascontiguousarray(D), xt)
        return dense_forward(op, B, C, D, xt)

    # ---------------------------------------------------------------- public API
    def forward(self, x, return_states=False):
        r"""Outputs :math:`\hat y_t = \mathrm{Re}(C h_t) + D x_t` for a batch of sequences.

        Runs :math:`h_t = \Lambda h_{t-1} + \tilde B x_t` from :math:`h_0 = 0`
        (Zucchet and Orvieto, 2024).

        Parameters
        ----------
        x : array_like, shape (batch, T, K)
        return_states : bool
            Also return the states :math:`h_t`, shape (batch, T, n) (complex for the complex
            layers).

        Returns
        -------
        ndarray, shape (batch, T, m), or (outputs, states)
        """
        xt = self._check_inputs(x)
        H, Y = self._run(xt)
        Y = Y.transpose(1, 0, 2).copy()
        return (Y, H.transpose(1, 0, 2).copy()) if return_states else Y

    def loss(self, x, y):
        r"""The batch loss :math:`L = \frac{1}{2BTm}\sum (\hat y - y)^2`.

        The mean squared error of Zucchet and Orvieto (2024).

        Parameters
        ----------
        x : array_like, shape (batch, T, K)
        y : array_like, shape (batch, T, m)

        Returns
        -------
        float
        """
        return self.loss_and_grad(x, y, grad=False)[0]

    def loss_and_grad(self, x, y, grad=True):
        r"""The batch loss and its exact gradient by backpropagation through time.

        :math:`L = \frac{1}{2BTm}\sum_{b,t,o}(\hat y_{bto} - y_{bto})^2`. With
        :math:`g_t = \partial L/\partial \hat y_t` the adjoint runs backwards,
        :math:`\delta_t = \Lambda^\top\delta_{t+1} + C^\top g_t` (conjugates for complex
        layers), and :math:`\partial L/\partial\Lambda = \sum_t \delta_t h_{t-1}^\top`,
        :math:`\partial L/\partial\tilde B = \sum_t \delta_t x_t^\top`,
        :math:`\partial L/\partial C = \sum_t g_t h_t^\top`, then the chain rule to the
        kind's own parameters (Zucchet and Orvieto, 2024; Orvieto et al., 2023).

        Parameters
        ----------
        x : array_like, shape (batch, T, K)
        y : array_like, shape (batch, T, m)
        grad : bool
            Compute the gradient (otherwise ``None`` is returned in its place).

        Returns
        -------
        loss : float
        grads : dict or None
            Keyed like :meth:`params`, each shaped like its parameter.
        """
        xt = self._check_inputs(x)
        y = as_float_array("y", y, ndim=3)
        if y.shape != (xt.shape[1], xt.shape[0], self.n_outputs):
            raise ValueError(f"y must have shape {(xt.shape[1], xt.shape[0], self.n_outputs)}, "
                             f"got {y.shape}")
        yt = y.transpose(1, 0, 2)
        if grad and self.kind == "dense":
            # one fused kernel (see dense_loss_and_grad): three gemms per time step
            p = self._params
            loss, g_A, g_B, g_C, g_D = dense_loss_and_grad(p["A"], p["B"], p["C"], p["D"], xt,
                                                           np.ascontiguousarray(yt))
            return loss, self._pull_back(g_A, g_B, g_C, g_D)
        if grad and self.kind in ("complex_diagonal", "lru"):
            # one fused forward-mode sweep (see diagonal_loss_and_grad): no stored states
            op, B, C, D = self._effective()
            loss, g_lam, g_B, g_C, g_D = diagonal_loss_and_grad(
                op, np.ascontiguousarray(B), np.ascontiguousarray(C), np.ascontiguousarray(D),
                xt, np.ascontiguousarray(yt))
            return loss, self._pull_back(g_lam, g_B, g_C, g_D)
        H, Y = self._run(xt)
        residual = Y - yt
        loss = 0.5 * float(np.mean(residual**2))
        if not grad:
            return loss, None
        g = residual / residual.size
        op, B, C, D = self._effective()
        if self.kind == "block_diagonal":
            g_op, g_B, g_C, g_D = blocks_backward(np.ascontiguousarray(op),
                                                  np.ascontiguousarray(C), xt, H,
                                                  np.ascontiguousarray(g))
            eff = (g_op, g_B, g_C)
        else:
            g_lam, g_B, g_C, g_D = diagonal_backward(op, np.ascontiguousarray(C), xt, H,
                                                      np.ascontiguousarray(g))
            eff = (g_lam, g_B, g_C)
        return loss, self._pull_back(*eff, g_D)

    def _pull_back(self, g_op, g_B, g_C, g_D):
        """Gradients of the effective (op, B_eff, C_eff, D) -> the kind's own parameters."""
        p = self._params
        if self.kind == "dense":
            return {"A": g_op, "B": g_B, "C": g_C, "D": g_D}
        if self.kind == "block_diagonal":
            return {"blocks": g_op, "B": g_B, "C": g_C, "D": g_D}
        out = {}
        if self.kind == "complex_diagonal":
            out["lam_re"], out["lam_im"] = np.real(g_op), np.imag(g_op)
            g_Bc = g_B
        else:
            lam = self._lambda()
            # d lam / d nu_log = -exp(nu_log) lam, d lam / d theta_log = i exp(theta_log) lam;
            # a real parameter's gradient is Re(conj(cotangent) * d lam / d parameter)
            out["nu_log"] = np.real(np.conj(g_op) * (-np.exp(p["nu_log"]) * lam))
            out["theta_log"] = np.real(np.conj(g_op) * (1j * np.exp(p["theta_log"]) * lam))
            gamma = np.exp(p["gamma_log"])
            Bc = p["B_re"] + 1j * p["B_im"]
            out["gamma_log"] = gamma * np.sum(np.real(np.conj(g_B) * Bc), axis=1)
            g_Bc = gamma[:, None] * g_B
        out["B_re"], out["B_im"] = np.real(g_Bc), np.imag(g_Bc)
        out["C_re"], out["C_im"] = np.real(g_C), np.imag(g_C)
        out["D"] = g_D
        return {name: out[name] for name in PARAMETER_NAMES[self.kind]}

    def _tangent_effective(self, direction):
        """Directional derivative of (op, B_eff, C_eff, D) along a flat parameter direction."""
        d = {name: direction[s].reshape(self._params[name].shape)
             for name, s in self.parameter_slices().items()}
        if self.kind in ("dense", "block_diagonal"):
            return d["A" if self.kind == "dense" else "blocks"], d["B"], d["C"], d["D"]
        p = self._params
        dBc = d["B_re"] + 1j * d["B_im"]
        if self.kind == "complex_diagonal":
            return d["lam_re"] + 1j * d["lam_im"], dBc, d["C_re"] + 1j * d["C_im"], d["D"]
        lam = self._lambda()
        dlam = lam * (-np.exp(p["nu_log"]) * d["nu_log"] + 1j * np.exp(p["theta_log"])
                      * d["theta_log"])
        gamma = np.exp(p["gamma_log"])
        Bc = p["B_re"] + 1j * p["B_im"]
        dB = gamma[:, None] * (dBc + d["gamma_log"][:, None] * Bc)
        return dlam, dB, d["C_re"] + 1j * d["C_im"], d["D"]

    def output_jacobian(self, x, progress=False):
        r"""Exact derivative of every output with respect to every parameter (forward mode).

        Along a parameter direction the tangent of the state obeys the layer's own
        recurrence, :math:`\dot h_t = \Lambda \dot h_{t-1} + \dot\Lambda h_{t-1} +
        \dot{\tilde B} x_t`, and :math:`\dot{\hat y}_t = \mathrm{Re}(C\dot h_t + \dot C h_t)
        + \dot D x_t` (Zucchet and Orvieto, 2024); one run per parameter.

        Parameters
        ----------
        x : array_like, shape (batch, T, K)
        progress : bool
            Show a progress bar over the parameters.

        Returns
        -------
        ndarray, shape (batch, T, m, n_parameters)
        """
        xt = self._check_inputs(x)
        H, _ = self._run(xt)
        op, B, C, D = self._effective()
        H_prev = np.concatenate([np.zeros_like(H[:1]), H[:-1]])
        P = self.n_parameters
        out = np.empty(H.shape[:2] + (self.n_outputs, P))
        from tqdm.auto import tqdm

        for j in tqdm(range(P), desc="output Jacobian", disable=not progress, leave=False):
            direction = np.zeros(P)
            direction[j] = 1.0
            d_op, dB, dC, dD = self._tangent_effective(direction)
            if self.kind == "dense":
                drive_op = _apply(H_prev, d_op.T)
            elif self.kind == "block_diagonal":
                T, Bn, n = H.shape
                drive_op = np.einsum("kij,tbkj->tbki", d_op,
                                     H_prev.reshape(T, Bn, n // 2, 2)).reshape(H.shape)
            else:
                drive_op = d_op * H_prev
            dH = self._recur(op, np.ascontiguousarray(drive_op + _apply(xt, dB.T)))
            out[..., j] = _real_output(dH, C) + _real_output(H, dC) + _apply(xt, dD.T)
        return out.transpose(1, 0, 2, 3)

    def __repr__(self):
        return (f"LinearRecurrentLayer(kind={self.kind!r}, n_hidden={self.n_hidden}, "
                f"n_inputs={self.n_inputs}, n_outputs={self.n_outputs})")


def gauss_newton_hessian(layer, x):
    r"""The Gauss-Newton matrix :math:`G = \frac{1}{BTm} J^\top J` of the batch loss.

    :math:`J` is the exact output Jacobian (:meth:`LinearRecurrentLayer.output_jacobian`).
    For :math:`L = \frac{1}{2BTm}\sum(\hat y - y)^2` the Hessian is
    :math:`\nabla^2 L = G + \frac{1}{BTm}\sum (\hat y - y)\nabla^2\hat y`; at a zero-loss
    optimum (a student set exactly to its teacher) the second term vanishes and :math:`G`
    is the exact Hessian (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    layer : LinearRecurrentLayer
    x : array_like, shape (batch, T, K)

    Returns
    -------
    ndarray, shape (n_parameters, n_parameters)
    """
    if not isinstance(layer, LinearRecurrentLayer):
        raise TypeError(f"layer must be a LinearRecurrentLayer, got {type(layer).__name__}")
    J = layer.output_jacobian(x)
    J = J.reshape(-1, J.shape[-1])
    return J.T @ J / J.shape[0]


def finite_difference_hessian(layer, x, y, step=1e-6):
    r"""Hessian of the batch loss by central differences of the exact gradient.

    Column :math:`j` is :math:`(\nabla L(\theta + \epsilon e_j) - \nabla L(\theta -
    \epsilon e_j)) / 2\epsilon`, with :math:`\epsilon` = ``step`` times
    :math:`\max(1, |\theta_j|)`; the result is symmetrised. An independent check of
    :func:`gauss_newton_hessian` (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    layer : LinearRecurrentLayer
    x : array_like, shape (batch, T, K)
    y : array_like, shape (batch, T, m)
    step : float

    Returns
    -------
    ndarray, shape (n_parameters, n_parameters)
    """
    if not isinstance(layer, LinearRecurrentLayer):
        raise TypeError(f"layer must be a LinearRecurrentLayer, got {type(layer).__name__}")
    step = as_real("step", step, minimum=0)
    if step == 0:
        raise ValueError("step must be positive")
    theta = layer.flat()
    H = np.empty((theta.size, theta.size))
    for j in range(theta.size):
        eps = step * max(1.0, abs(theta[j]))
        plus, minus = theta.copy(), theta.copy()
        plus[j] += eps
        minus[j] -= eps
        g_plus = layer.flatten_grads(layer.from_flat(plus).loss_and_grad(x, y)[1])
        g_minus = layer.flatten_grads(layer.from_flat(minus).loss_and_grad(x, y)[1])
        H[:, j] = (g_plus - g_minus) / (2 * eps)
    return 0.5 * (H + H.T)


# ------------------------------------------------------------------- constructors
def _ring(rng, n, nu_min, nu_max, theta_max):
    # uniform on the ring's area, as the LRU initialisation (Orvieto et al., 2023)
    u = rng.uniform(size=n)
    nu = np.sqrt(u * (nu_max**2 - nu_min**2) + nu_min**2)
    theta = rng.uniform(0, theta_max, size=n)
    return nu, theta


def _check_sizes(n_hidden, n_inputs, n_outputs):
    return (as_int("n_hidden", n_hidden, minimum=1), as_int("n_inputs", n_inputs, minimum=1),
            as_int("n_outputs", n_outputs, minimum=1))


def _check_ring(nu_min, nu_max, theta_max):
    nu_min = as_real("nu_min", nu_min, minimum=0, maximum=1)
    nu_max = as_real("nu_max", nu_max, minimum=0, maximum=1)
    if nu_min > nu_max or nu_max >= 1:
        raise ValueError(f"need 0 <= nu_min <= nu_max < 1, got nu_min={nu_min}, nu_max={nu_max}")
    return nu_min, nu_max, as_real("theta_max", theta_max, minimum=0, maximum=2 * math.pi)


def remapped_eigenvalue_matrix(n, nu0, theta0=math.pi, rng=None):
    r"""A random real matrix with eigenvalues pushed onto the ring :math:`[\nu_0, 1)`.

    Draws :math:`A_0` with entries :math:`\mathcal{N}(0, 1/n)`, diagonalises it,
    :math:`A_0 = V \mathrm{diag}(l) V^{-1}`, and maps each eigenvalue to
    :math:`[\nu_0 + (1-\nu_0)\tanh|l|]\, e^{i \arg(l)\, \theta_0/\pi}`; the result
    :math:`\mathrm{Re}(V \mathrm{diag}(\lambda) V^{-1})` is real because conjugate eigenvalues
    stay conjugate. The teacher of Zucchet and Orvieto (2024), their Fig. 3.

    Parameters
    ----------
    n : int
    nu0 : float
        In [0, 1).
    theta0 : float
        Largest angle, in (0, pi].
    rng : None, int or numpy.random.Generator

    Returns
    -------
    ndarray, shape (n, n)
    """
    n = as_int("n", n, minimum=1)
    nu0 = as_real("nu0", nu0, minimum=0)
    if nu0 >= 1:
        raise ValueError(f"nu0 must be < 1, got {nu0}")
    theta0 = as_real("theta0", theta0, minimum=0, maximum=math.pi)
    rng = as_rng(rng)
    A0 = rng.normal(0.0, 1.0 / math.sqrt(n), size=(n, n))
    l, V = np.linalg.eig(A0)
    lam = (nu0 + (1 - nu0) * np.tanh(np.abs(l))) * np.exp(1j * np.angle(l) * theta0 / math.pi)
    return np.real(V @ np.diag(lam) @ np.linalg.inv(V))


def linear_teacher(n_hidden, nu0, *, n_inputs=1, n_outputs=1, theta0=math.pi, rng=None):
    r"""The dense linear teacher of the teacher-student task (Zucchet and Orvieto, 2024).

    :math:`A` from :func:`remapped_eigenvalue_matrix` (eigenvalues on :math:`[\nu_0, 1)`),
    :math:`B, D \sim \mathcal{N}(0, 1)`, :math:`C \sim \mathcal{N}(0, 1/n)`; the teacher
    computes :math:`h_t = A h_{t-1} + B x_t`, :math:`y_t = C h_t + D x_t`.

    Parameters
    ----------
    n_hidden : int
    nu0 : float
        Smallest eigenvalue modulus, in [0, 1): memory grows as it approaches 1.
    n_inputs, n_outputs : int
    theta0 : float
    rng : None, int or numpy.random.Generator

    Returns
    -------
    LinearRecurrentLayer
        Of kind ``"dense"``.
    """
    n, k, m = _check_sizes(n_hidden, n_inputs, n_outputs)
    rng = as_rng(rng)
    A = remapped_eigenvalue_matrix(n, nu0, theta0, rng)
    return LinearRecurrentLayer("dense", {
        "A": A, "B": rng.normal(size=(n, k)), "C": rng.normal(0, 1 / math.sqrt(n), size=(m, n)),
        "D": rng.normal(size=(m, k))})


def dense_layer(n_hidden, n_inputs=1, n_outputs=1, *, nu0=0.0, rng=None):
    r"""A dense linear RNN initialised like the teacher with memory :math:`\nu_0`.

    :math:`A` from :func:`remapped_eigenvalue_matrix` (``nu0 = 0``, the paper's best choice
    for the dense student), :math:`B \sim \mathcal{N}(0, 1/K)`,
    :math:`C \sim \mathcal{N}(0, 1/n)`, :math:`D = 0`; :math:`h_t = A h_{t-1} + B x_t`,
    :math:`\hat y_t = C h_t + D x_t` (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    n_hidden, n_inputs, n_outputs : int
    nu0 : float
    rng : None, int or numpy.random.Generator

    Returns
    -------
    LinearRecurrentLayer
    """
    n, k, m = _check_sizes(n_hidden, n_inputs, n_outputs)
    rng = as_rng(rng)
    return LinearRecurrentLayer("dense", {
        "A": remapped_eigenvalue_matrix(n, nu0, math.pi, rng),
        "B": rng.normal(0, 1 / math.sqrt(k), size=(n, k)),
        "C": rng.normal(0, 1 / math.sqrt(n), size=(m, n)), "D": np.zeros((m, k))})


def block_diagonal_layer(n_hidden, n_inputs=1, n_outputs=1, *, nu_min=0.0, nu_max=1 - 1e-3,
                         theta_max=math.pi, rng=None):
    r"""A block-diagonal linear RNN with rotation-and-decay blocks on unit pairs.

    Each block is :math:`\nu\begin{pmatrix}\cos\theta & -\sin\theta\\ \sin\theta &
    \cos\theta\end{pmatrix}`, with the eigenvalues :math:`\nu e^{\pm i\theta}`, drawn on the ring
    :math:`[\nu_\min, \nu_\max]` as the LRU draws its :math:`\lambda` (Orvieto et al., 2023);
    the real counterpart of a complex diagonal layer (Zucchet and Orvieto, 2024).
    :math:`B \sim \mathcal{N}(0, 1/K)`, :math:`C \sim \mathcal{N}(0, 1/n)`, :math:`D = 0`.

    Parameters
    ----------
    n_hidden : int
        Even.
    n_inputs, n_outputs : int
    nu_min, nu_max, theta_max : float
    rng : None, int or numpy.random.Generator

    Returns
    -------
    LinearRecurrentLayer
    """
    n, k, m = _check_sizes(n_hidden, n_inputs, n_outputs)
    if n % 2:
        raise ValueError(f"n_hidden must be even for 2 x 2 blocks, got {n}")
    nu_min, nu_max, theta_max = _check_ring(nu_min, nu_max, theta_max)
    rng = as_rng(rng)
    nu, theta = _ring(rng, n // 2, nu_min, nu_max, theta_max)
    c, s = nu * np.cos(theta), nu * np.sin(theta)
    blocks = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)
    return LinearRecurrentLayer("block_diagonal", {
        "blocks": blocks, "B": rng.normal(0, 1 / math.sqrt(k), size=(n, k)),
        "C": rng.normal(0, 1 / math.sqrt(n), size=(m, n)), "D": np.zeros((m, k))})


def _complex_io(rng, n, k, m):
    return {"B_re": rng.normal(0, 1 / math.sqrt(2 * k), size=(n, k)),
            "B_im": rng.normal(0, 1 / math.sqrt(2 * k), size=(n, k)),
            "C_re": rng.normal(0, 1 / math.sqrt(n), size=(m, n)),
            "C_im": rng.normal(0, 1 / math.sqrt(n), size=(m, n)), "D": np.zeros((m, k))}


def complex_diagonal_layer(n_hidden, n_inputs=1, n_outputs=1, *, nu_min=0.0, nu_max=1 - 1e-3,
                           theta_max=math.pi, rng=None):
    r"""A complex diagonal linear RNN, :math:`h_t = \lambda \odot h_{t-1} + \tilde B x_t`.

    :math:`\lambda` uniform on the ring :math:`\nu_\min \le |\lambda| \le \nu_\max`,
    :math:`0 \le \arg\lambda \le \theta_\max` (Orvieto et al., 2023), no input normalisation;
    :math:`\hat y_t = \mathrm{Re}(C h_t) + D x_t` (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    n_hidden, n_inputs, n_outputs : int
    nu_min, nu_max, theta_max : float
    rng : None, int or numpy.random.Generator

    Returns
    -------
    LinearRecurrentLayer
    """
    n, k, m = _check_sizes(n_hidden, n_inputs, n_outputs)
    nu_min, nu_max, theta_max = _check_ring(nu_min, nu_max, theta_max)
    rng = as_rng(rng)
    nu, theta = _ring(rng, n, nu_min, nu_max, theta_max)
    return LinearRecurrentLayer("complex_diagonal", {
        "lam_re": nu * np.cos(theta), "lam_im": nu * np.sin(theta), **_complex_io(rng, n, k, m)})


def lru_layer(n_hidden, n_inputs=1, n_outputs=1, *, nu_min=0.0, nu_max=1 - 1e-3,
              theta_max=math.pi, rng=None):
    r"""An LRU: exponential parametrisation and a learned input normalisation.

    :math:`\lambda = \exp(-e^{\nu_{\mathrm{log}}} + i e^{\theta_{\mathrm{log}}})` uniform
    on the ring as in :func:`complex_diagonal_layer`, and
    :math:`\gamma = e^{\gamma_{\mathrm{log}}}` initialised to
    :math:`\sqrt{1 - |\lambda|^2}` (Orvieto et al., 2023; Zucchet and Orvieto, 2024).

    Parameters
    ----------
    n_hidden, n_inputs, n_outputs : int
    nu_min, nu_max, theta_max : float
        ``nu_min`` > 0 and ``theta_max`` > 0 (the logarithms must exist).
    rng : None, int or numpy.random.Generator

    Returns
    -------
    LinearRecurrentLayer
    """
    n, k, m = _check_sizes(n_hidden, n_inputs, n_outputs)
    nu_min, nu_max, theta_max = _check_ring(nu_min, nu_max, theta_max)
    if nu_min <= 0 or theta_max <= 0:
        raise ValueError("an LRU needs nu_min > 0 and theta_max > 0 (log-parametrised)")
    rng = as_rng(rng)
    nu, theta = _ring(rng, n, nu_min, nu_max, theta_max)
    theta = np.maximum(theta, 1e-12 * theta_max)
    return LinearRecurrentLayer("lru", {
        "nu_log": np.log(-np.log(nu)), "theta_log": np.log(theta),
        "gamma_log": 0.5 * np.log(1 - nu**2), **_complex_io(rng, n, k, m)})


# -------------------------------------------------------------------- conversions
def to_dense(layer):
    r"""The equivalent dense real layer (same outputs for every input).

    A complex unit :math:`h = u + iv` with :math:`\lambda = a + ib` is the real pair
    :math:`(u, v)` with block :math:`\begin{pmatrix} a & -b \\ b & a\end{pmatrix}`, input rows
    :math:`(\mathrm{Re}\tilde B, \mathrm{Im}\tilde B)` and output columns
    :math:`(\mathrm{Re}\,C, -\mathrm{Im}\,C)`, since :math:`\mathrm{Re}(C h) = \mathrm{Re}\,C\,u
    - \mathrm{Im}\,C\,v` (Zucchet and Orvieto, 2024). A complex layer with n units becomes a
    dense one with 2n.

    Parameters
    ----------
    layer : LinearRecurrentLayer

    Returns
    -------
    LinearRecurrentLayer
        Of kind ``"dense"``.
    """
    if not isinstance(layer, LinearRecurrentLayer):
        raise TypeError(f"layer must be a LinearRecurrentLayer, got {type(layer).__name__}")
    op, B, C, D = layer._effective()
    if layer.kind == "dense":
        return LinearRecurrentLayer("dense", layer.params())
    if layer.kind == "block_diagonal":
        n = layer.n_hidden
        A = np.zeros((n, n))
        for j, block in enumerate(op):
            A[2 * j:2 * j + 2, 2 * j:2 * j + 2] = block
        return LinearRecurrentLayer("dense", {"A": A, "B": B, "C": C, "D": D})
    n = op.size
    A = np.zeros((2 * n, 2 * n))
    for j, lam in enumerate(op):
        A[2 * j:2 * j + 2, 2 * j:2 * j + 2] = [[lam.real, -lam.imag], [lam.imag, lam.real]]
    Br = np.empty((2 * n, B.shape[1]))
    Br[0::2], Br[1::2] = B.real, B.imag
    Cr = np.empty((C.shape[0], 2 * n))
    Cr[:, 0::2], Cr[:, 1::2] = C.real, -C.imag
    return LinearRecurrentLayer("dense", {"A": A, "B": Br, "C": Cr, "D": D})


def similarity_transform(layer, Q):
    r"""A dense layer with the same outputs in new coordinates :math:`h' = Q h`.

    :math:`A' = Q A Q^{-1}`, :math:`B' = Q B`, :math:`C' = C Q^{-1}`, :math:`D' = D`: the
    input-output map :math:`\hat y_t = \sum_k C A^k B x_{t-k} + D x_t` is unchanged
    (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    layer : LinearRecurrentLayer
        Of kind ``"dense"``.
    Q : array_like, shape (n, n)
        Invertible.

    Returns
    -------
    LinearRecurrentLayer
    """
    if not isinstance(layer, LinearRecurrentLayer) or layer.kind != "dense":
        raise TypeError("layer must be a dense LinearRecurrentLayer")
    n = layer.n_hidden
    Q = as_float_array("Q", Q, shape=(n, n))
    if np.linalg.cond(Q) > 1e12:
        raise ValueError("Q must be invertible (its condition number exceeds 1e12)")
    Qinv = np.linalg.inv(Q)
    p = layer.params()
    return LinearRecurrentLayer("dense", {"A": Q @ p["A"] @ Qinv, "B": Q @ p["B"],
                                          "C": p["C"] @ Qinv, "D": p["D"]})


def complex_diagonal_from_dense(layer, tol=1e-10):
    r"""The complex diagonal layer with the same outputs as a dense one (its eigenbasis).

    With :math:`A = V\,\mathrm{diag}(\lambda)\,V^{-1}` and :math:`z = V^{-1}h`,
    :math:`\hat y_t = \sum_i (CV)_i z_{t,i} + D x_t`. The terms of a conjugate pair are
    conjugate, so one complex unit per pair with output weight :math:`2(CV)_i` carries both
    (through :math:`\mathrm{Re}`); a real eigenvalue keeps weight :math:`(CV)_i`
    (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    layer : LinearRecurrentLayer
        Of kind ``"dense"``, with a diagonalisable :math:`A`.
    tol : float
        Imaginary parts below ``tol`` count as real eigenvalues.

    Returns
    -------
    LinearRecurrentLayer
        Of kind ``"complex_diagonal"``, one unit per real eigenvalue or conjugate pair.
    """
    if not isinstance(layer, LinearRecurrentLayer) or layer.kind != "dense":
        raise TypeError("layer must be a dense LinearRecurrentLayer")
    tol = as_real("tol", tol, minimum=0)
    p = layer.params()
    lam, V = np.linalg.eig(p["A"])
    if np.linalg.cond(V) > 1e10:
        raise ValueError("layer's A is not (numerically) diagonalisable")
    Vinv = np.linalg.inv(V)
    Bz, Cz = Vinv @ p["B"], p["C"] @ V
    keep = lam.imag > tol
    real = np.abs(lam.imag) <= tol
    lam_k = np.concatenate([lam[keep], lam[real].real.astype(complex)])
    B_k = np.concatenate([Bz[keep], Bz[real]])
    C_k = np.concatenate([2 * Cz[:, keep], Cz[:, real]], axis=1)
    if 2 * keep.sum() + real.sum() != lam.size:
        raise ValueError("eigenvalues of layer's A do not come in conjugate pairs within tol")
    return LinearRecurrentLayer("complex_diagonal", {
        "lam_re": lam_k.real, "lam_im": lam_k.imag, "B_re": B_k.real, "B_im": B_k.imag,
        "C_re": C_k.real, "C_im": C_k.imag, "D": p["D"]})
