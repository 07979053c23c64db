r"""Deep recurrent networks at initialisation, with exact gradients (chapter 13).

The stack of Zucchet and Orvieto (2024, Sec. 5): a linear encoder, ``n_layers`` blocks

.. math::

    a = \mathrm{LN}_1(z), \quad r = \mathrm{Rec}(a), \quad c = \mathrm{LN}_2(\mathrm{GELU}(r)),
    \quad z \leftarrow z + (c W_1^\top + b_1) \odot \sigma(c W_2^\top + b_2),

and a linear decoder; :math:`\mathrm{LN}` is layer normalisation with a gain and a bias
(Ba et al., 2016), or the identity when ``layer_norm=False``; GELU is
:math:`x\,\Phi(x)` (Hendrycks and Gimpel, 2016); the last step is a gated linear unit
(Dauphin et al., 2017) with a skip connection. The recurrence is one of

``"complex_diagonal"``
    :math:`h_t = \lambda \odot h_{t-1} + \tilde B a_t`, :math:`r_t = \mathrm{Re}(C h_t) +
    D \odot a_t`, :math:`\lambda` stored as its real and imaginary parts, no normalisation;
``"lru"``
    the same with :math:`\lambda = \exp(-e^{\nu_\log} + i e^{\theta_\log})` and
    :math:`\tilde B = \mathrm{diag}(e^{\gamma_\log}) B` (Orvieto et al., 2023);
``"gru"``
    :math:`u_t = \sigma(W_u a_t + U_u h_{t-1} + b_u)`, :math:`s_t = \sigma(W_s a_t +
    U_s h_{t-1} + b_s)`, :math:`c_t = \tanh(W_c a_t + U_c (s_t \odot h_{t-1}) + b_c)`,
    :math:`h_t = (1 - u_t) \odot h_{t-1} + u_t \odot c_t`, :math:`r_t = C h_t`
    (Cho et al., 2014) with the chrono initialisation of the update gate
    (Tallec and Ollivier, 2018).

Memory is set by :math:`T`: :math:`|\lambda|` (and the GRU's :math:`1 - u` at
initialisation) is drawn uniformly in :math:`[1 - 1/T, 1 - 1/(2T)]`.
:meth:`DeepRecurrentNetwork.loss_and_grad` returns the loss
:math:`L = \frac{1}{2BLd_\mathrm{out}}\sum (\hat y - y)^2` and its exact gradient,
backpropagated by hand through every block; the recurrences run in numba kernels.
"""
from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np
from numba import njit
from scipy.special import erf

from .._checks import as_bool, as_float_array, as_int, as_real, as_rng
from ._kernels import recur_diagonal

#: Recurrences of the stack and the names of their parameters (per layer).
RECURRENCES = MappingProxyType({
    "complex_diagonal": ("lam_re", "lam_im", "B_re", "B_im", "C_re", "C_im", "D"),
    "lru": ("nu_log", "theta_log", "gamma_log", "B_re", "B_im", "C_re", "C_im", "D"),
    "gru": ("W_u", "W_s", "W_c", "U_u", "U_s", "U_c", "b_u", "b_s", "b_c", "C"),
})

#: Parameter group of each per-layer parameter name (what chapter 13 averages over).
PARAMETER_GROUPS = MappingProxyType({
    "lam_re": "lambda", "lam_im": "lambda", "nu_log": "nu", "theta_log": "theta",
    "gamma_log": "gamma", "B_re": "B", "B_im": "B", "C_re": "C", "C_im": "C", "D": "D",
    "W_u": "W (input)", "W_s": "W (input)", "W_c": "W (input)",
    "U_u": "U (recurrent)", "U_s": "U (recurrent)", "U_c": "U (recurrent)",
    "b_u": "b (gates)", "b_s": "b (gates)", "b_c": "b (gates)", "C": "C",
    "ln1_gain": "norm", "ln1_bias": "norm", "ln2_gain": "norm", "ln2_bias": "norm",
    "glu_W1": "GLU", "glu_b1": "GLU", "glu_W2": "GLU", "glu_b2": "GLU",
    "enc_W": "encoder", "enc_b": "encoder", "dec_W": "decoder", "dec_b": "decoder",
})

LN_EPS = 1e-5


# ------------------------------------------------------------------- numba: the GRU
@njit(cache=True)
def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


@njit(cache=True)
def gru_forward(Xu, Xs, Xc, U_u, U_s, U_c):
    # time-major (L, B, n) input drives (W a_t + b); returns states and gates for BPTT
    L, Bn, n = Xu.shape
    H = np.empty((L, Bn, n))
    Ug = np.empty((L, Bn, n))
    Sg = np.empty((L, Bn, n))
    Cg = np.empty((L, Bn, n))
    h = np.zeros((Bn, n))
    U_uT, U_sT, U_cT = U_u.T.copy(), U_s.T.copy(), U_c.T.copy()
    for t in range(L):
        u = _sigmoid(Xu[t] + h @ U_uT)
        s = _sigmoid(Xs[t] + h @ U_sT)
        c = np.tanh(Xc[t] + (s * h) @ U_cT)
        h = (1.0 - u) * h + u * c
        H[t], Ug[t], Sg[t], Cg[t] = h, u, s, c
    return H, Ug, Sg, Cg


@njit(cache=True)
def gru_backward(dH, H, Ug, Sg, Cg, U_u, U_s, U_c):
    # BPTT of gru_forward: cotangents of the three input drives and of U_u, U_s, U_c
    L, Bn, n = dH.shape
    dXu = np.empty((L, Bn, n))
    dXs = np.empty((L, Bn, n))
    dXc = np.empty((L, Bn, n))
    gU_u = np.zeros((n, n))
    gU_s = np.zeros((n, n))
    gU_c = np.zeros((n, n))
    carry = np.zeros((Bn, n))
    zero = np.zeros((Bn, n))
    for t in range(L - 1, -1, -1):
        h_prev = H[t - 1] if t > 0 else zero
        u, s, c = Ug[t], Sg[t], Cg[t]
        dh = dH[t] + carry
        d_pre_c = dh * u * (1.0 - c * c)
        d_pre_u = dh * (c - h_prev) * u * (1.0 - u)
        d_sh = d_pre_c @ U_c
        d_pre_s = d_sh * h_prev * s * (1.0 - s)
        carry = dh * (1.0 - u) + d_sh * s + d_pre_u @ U_u + d_pre_s @ U_s
        gU_c += d_pre_c.T @ (s * h_prev)
        gU_u += d_pre_u.T @ h_prev
        gU_s += d_pre_s.T @ h_prev
        dXu[t], dXs[t], dXc[t] = d_pre_u, d_pre_s, d_pre_c
    return dXu, dXs, dXc, gU_u, gU_s, gU_c


# --------------------------------------------------------------- small differentiable ops
def _lin(X, W, b=None):
    out = (X.reshape(-1, X.shape[-1]) @ W.T).reshape(X.shape[:-1] + (W.shape[0],))
    return out if b is None else out + b


def _lin_back(dY, X, W):
    """Gradients of X @ W.T + b: (dX, dW, db)."""
    dY2, X2 = dY.reshape(-1, dY.shape[-1]), X.reshape(-1, X.shape[-1])
    return (dY2 @ W).reshape(X.shape), dY2.T @ X2, dY2.sum(0)


def _ln(X, gain, bias):
    mu = X.mean(-1, keepdims=True)
    s = np.sqrt(X.var(-1, keepdims=True) + LN_EPS)
    xhat = (X - mu) / s
    return xhat * gain + bias, (xhat, s)


def _ln_back(dY, cache, gain):
    xhat, s = cache
    dxhat = dY * gain
    dX = (dxhat - dxhat.mean(-1, keepdims=True)
          - xhat * (dxhat * xhat).mean(-1, keepdims=True)) / s
    return dX, (dY * xhat).reshape(-1, xhat.shape[-1]).sum(0), dY.reshape(-1, xhat.shape[-1]).sum(0)


_SQRT2 = math.sqrt(2.0)


def _gelu(X):
    return X * 0.5 * (1.0 + erf(X / _SQRT2))


def _gelu_grad(X):
    return 0.5 * (1.0 + erf(X / _SQRT2)) + X * np.exp(-0.5 * X * X) / math.sqrt(2 * math.pi)


def _sig(X):
    return 0.5 * (1.0 + np.tanh(0.5 * X))


# ------------------------------------------------------------------------ inputs
def correlated_inputs(batch_size, length, dim, *, rho=0.997, correlated_variance=0.044,
                      white_variance=0.326, rng=None):
    r"""Synthetic input sequences with the autocorrelation of text embeddings.

    Each of the ``dim`` features is independently
    :math:`x_t = \sqrt{\sigma_c^2}\, a_t + \sqrt{\sigma_w^2}\, \varepsilon_t` with
    :math:`a` a stationary unit-variance AR(1) process of coefficient :math:`\rho` and
    :math:`\varepsilon` white noise, so :math:`R(0) = \sigma_c^2 + \sigma_w^2` and
    :math:`R(\Delta) = \sigma_c^2 \rho^{|\Delta|}` for :math:`\Delta \ne 0`. The defaults
    give :math:`R(\Delta) \approx 0.044 \cdot 0.997^{\Delta}` and :math:`R(0) \approx 0.37`,
    what Zucchet and Orvieto (2024) measured on BERT input embeddings of Wikipedia text;
    these sequences stand in for that data, which is not used here.

    Parameters
    ----------
    batch_size, length, dim : int
    rho : float
        In [0, 1).
    correlated_variance, white_variance : float
    rng : None, int or numpy.random.Generator

    Returns
    -------
    ndarray, shape (batch_size, length, dim)
    """
    batch_size = as_int("batch_size", batch_size, minimum=1)
    length = as_int("length", length, minimum=1)
    dim = as_int("dim", dim, minimum=1)
    rho = as_real("rho", rho, minimum=0)
    if rho >= 1:
        raise ValueError(f"rho must be < 1, got {rho}")
    correlated_variance = as_real("correlated_variance", correlated_variance, minimum=0)
    white_variance = as_real("white_variance", white_variance, minimum=0)
    rng = as_rng(rng)
    a = np.empty((batch_size, length, dim))
    a[:, 0] = rng.standard_normal((batch_size, dim))
    noise = rng.standard_normal((batch_size, length, dim)) * math.sqrt(1 - rho**2)
    for t in range(1, length):
        a[:, t] = rho * a[:, t - 1] + noise[:, t]
    return (math.sqrt(correlated_variance) * a
            + math.sqrt(white_variance) * rng.standard_normal((batch_size, length, dim)))


# ------------------------------------------------------------------------- the network
class DeepRecurrentNetwork:
    r"""A stack of recurrent blocks with exact gradients (Zucchet and Orvieto, 2024).

    Each block computes :math:`z \leftarrow z + \mathrm{GLU}(\mathrm{LN}_2(\mathrm{GELU}(
    \mathrm{Rec}(\mathrm{LN}_1(z)))))` (the module docstring spells it out). Parameters live in one dict of named
    arrays: ``enc_W, enc_b, dec_W, dec_b`` and, for layer ``l``, ``"l{l}.<name>"`` with
    the recurrence's names (:data:`RECURRENCES`), ``ln1_gain, ln1_bias, ln2_gain,
    ln2_bias`` (with layer norm) and ``glu_W1, glu_b1, glu_W2, glu_b2``.

    Parameters
    ----------
    recurrence : {"complex_diagonal", "lru", "gru"}
    params : dict
    layer_norm : bool
    """

    def __init__(self, recurrence, params, layer_norm=True):
        if recurrence not in RECURRENCES:
            raise ValueError(f"recurrence must be one of {tuple(RECURRENCES)}, "
                             f"got {recurrence!r}")
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict, got {type(params).__name__}")
        self.recurrence = recurrence
        self.layer_norm = as_bool("layer_norm", layer_norm)
        self._params = {k: as_float_array(f"params['{k}']", v).copy() for k, v in params.items()}
        for a in self._params.values():
            a.setflags(write=False)
        n_layers = 0
        while f"l{n_layers}.glu_W1" in self._params:
            n_layers += 1
        if n_layers == 0 or "enc_W" not in self._params or "dec_W" not in self._params:
            raise ValueError("params must hold enc_W, dec_W and at least layer l0")
        self.n_layers = n_layers
        self.d_out, self.d_model = self._params["dec_W"].shape
        self.d_in = self._params["enc_W"].shape[1]
        for name in self._names():
            if name not in self._params:
                raise ValueError(f"params is missing {name!r}")

    def _names(self):
        names = ["enc_W", "enc_b"]
        for l in range(self.n_layers):
            per = list(RECURRENCES[self.recurrence]) + ["glu_W1", "glu_b1", "glu_W2", "glu_b2"]
            if self.layer_norm:
                per += ["ln1_gain", "ln1_bias", "ln2_gain", "ln2_bias"]
            names += [f"l{l}.{p}" for p in per]
        return names + ["dec_W", "dec_b"]

    def params(self):
        """The named parameter arrays (read-only)."""
        return dict(self._params)

    def flat(self):
        """All parameters in one vector (in the order of :meth:`parameter_slices`)."""
        return np.concatenate([self._params[k].ravel() for k in self._names()])

    def parameter_slices(self):
        """``{name: slice}`` locating each parameter in :meth:`flat`."""
        out, start = {}, 0
        for k in self._names():
            out[k] = slice(start, start + self._params[k].size)
            start += self._params[k].size
        return out

    def from_flat(self, vector):
        """A network of the same structure with parameters read from ``vector``."""
        slices = self.parameter_slices()
        vector = as_float_array("vector", vector, ndim=1,
                                shape=(sum(s.stop - s.start for s in slices.values()),))
        return DeepRecurrentNetwork(self.recurrence, {
            k: vector[s].reshape(self._params[k].shape) for k, s in slices.items()},
            self.layer_norm)

    def flatten_grads(self, grads):
        """A gradient dict as one vector, like :meth:`flat`."""
        return np.concatenate([np.asarray(grads[k], float).ravel() for k in self._names()])

    # ------------------------------------------------------------- recurrences
    def _lam(self, p, l):
        if self.recurrence == "complex_diagonal":
            return p[f"l{l}.lam_re"] + 1j * p[f"l{l}.lam_im"]
        return np.exp(-np.exp(p[f"l{l}.nu_log"]) + 1j * np.exp(p[f"l{l}.theta_log"]))

    def _rec_forward(self, l, a):
        p = self._params
        pre = f"l{l}."
        if self.recurrence == "gru":
            Xu = _lin(a, p[pre + "W_u"], p[pre + "b_u"])
            Xs = _lin(a, p[pre + "W_s"], p[pre + "b_s"])
            Xc = _lin(a, p[pre + "W_c"], p[pre + "b_c"])
            H, Ug, Sg, Cg = gru_forward(Xu, Xs, Xc, p[pre + "U_u"], p[pre + "U_s"],
                                        p[pre + "U_c"])
            return _lin(H, p[pre + "C"]), (H, Ug, Sg, Cg)
        lam = self._lam(p, l)
        Bt = p[pre + "B_re"] + 1j * p[pre + "B_im"]
        if self.recurrence == "lru":
            Bt = np.exp(p[pre + "gamma_log"])[:, None] * Bt
        H = recur_diagonal(lam, np.ascontiguousarray(_lin(a.astype(complex), Bt)), False)
        r = (_lin(np.ascontiguousarray(H.real), p[pre + "C_re"])
             - _lin(np.ascontiguousarray(H.imag), p[pre + "C_im"]) + p[pre + "D"] * a)
        return r, (H, lam, Bt)

    def _rec_backward(self, l, a, cache, dr, grads):
        p = self._params
        pre = f"l{l}."
        if self.recurrence == "gru":
            H, Ug, Sg, Cg = cache
            dH, grads[pre + "C"] = (_lin(dr, p[pre + "C"].T),
                                    dr.reshape(-1, dr.shape[-1]).T @ H.reshape(-1, H.shape[-1]))
            dXu, dXs, dXc, gUu, gUs, gUc = gru_backward(
                np.ascontiguousarray(dH), H, Ug, Sg, Cg, p[pre + "U_u"], p[pre + "U_s"],
                p[pre + "U_c"])
            grads[pre + "U_u"], grads[pre + "U_s"], grads[pre + "U_c"] = gUu, gUs, gUc
            da = np.zeros_like(a)
            for gate, dX in (("u", dXu), ("s", dXs), ("c", dXc)):
                d, grads[pre + "W_" + gate], grads[pre + "b_" + gate] = _lin_back(
                    dX, a, p[pre + "W_" + gate])
                da += d
            return da
        H, lam, Bt = cache
        C = p[pre + "C_re"] + 1j * p[pre + "C_im"]
        grads[pre + "D"] = (dr * a).reshape(-1, a.shape[-1]).sum(0)
        da = p[pre + "D"] * dr
        dr2 = dr.reshape(-1, dr.shape[-1])
        H2 = H.reshape(-1, H.shape[-1])
        g_C = dr2.T @ np.conj(H2)                      # Wirtinger: d/dRe + i d/dIm
        grads[pre + "C_re"], grads[pre + "C_im"] = g_C.real, g_C.imag
        # adjoint: delta_t = conj(lam) delta_{t+1} + conj(C)^T dr_t
        delta = recur_diagonal(np.conj(lam), np.ascontiguousarray(_lin(dr.astype(complex),
                                                                       np.conj(C).T)), True)
        g_lam = np.einsum("tbi,tbi->i", delta[1:], np.conj(H[:-1]))
        D2 = delta.reshape(-1, delta.shape[-1])
        g_Bt = D2.T @ a.reshape(-1, a.shape[-1])
        da = da + (np.conj(D2) @ Bt).real.reshape(a.shape)
        if self.recurrence == "complex_diagonal":
            grads[pre + "lam_re"], grads[pre + "lam_im"] = g_lam.real, g_lam.imag
            grads[pre + "B_re"], grads[pre + "B_im"] = g_Bt.real, g_Bt.imag
        else:
            grads[pre + "nu_log"] = np.real(np.conj(g_lam) * (-np.exp(p[pre + "nu_log"]) * lam))
            grads[pre + "theta_log"] = np.real(np.conj(g_lam)
                                               * (1j * np.exp(p[pre + "theta_log"]) * lam))
            gamma = np.exp(p[pre + "gamma_log"])
            Bc = p[pre + "B_re"] + 1j * p[pre + "B_im"]
            grads[pre + "gamma_log"] = gamma * np.sum(np.real(np.conj(g_Bt) * Bc), axis=1)
            g_B = gamma[:, None] * g_Bt
            grads[pre + "B_re"], grads[pre + "B_im"] = g_B.real, g_B.imag
        return da

    # --------------------------------------------------------------- forward, loss
    def _check_inputs(self, u):
        u = as_float_array("u", u, ndim=3)
        if u.shape[2] != self.d_in:
            raise ValueError(f"u must have shape (batch, L, {self.d_in}), got {u.shape}")
        return np.ascontiguousarray(u.transpose(1, 0, 2))

    def _forward(self, ut):
        p = self._params
        z = _lin(ut, p["enc_W"], p["enc_b"])
        caches = []
        for l in range(self.n_layers):
            pre = f"l{l}."
            if self.layer_norm:
                a, ln1 = _ln(z, p[pre + "ln1_gain"], p[pre + "ln1_bias"])
            else:
                a, ln1 = z, None
            r, rec = self._rec_forward(l, a)
            g = _gelu(r)
            if self.layer_norm:
                c, ln2 = _ln(g, p[pre + "ln2_gain"], p[pre + "ln2_bias"])
            else:
                c, ln2 = g, None
            P = _lin(c, p[pre + "glu_W1"], p[pre + "glu_b1"])
            Q = _sig(_lin(c, p[pre + "glu_W2"], p[pre + "glu_b2"]))
            caches.append((z, a, ln1, rec, r, c, ln2, P, Q))
            z = z + P * Q
        return _lin(z, p["dec_W"], p["dec_b"]), z, caches

    def forward(self, u, return_states=False):
        r"""Outputs :math:`\hat y` (and the recurrences' states) for inputs ``u``.

        Runs the stack of the module docstring (Zucchet and Orvieto, 2024).

        Parameters
        ----------
        u : array_like, shape (batch, L, d_in)
        return_states : bool
            Also return a list with each layer's states :math:`h`, shape (batch, L, n)
            (complex for the diagonal recurrences).

        Returns
        -------
        ndarray, shape (batch, L, d_out), or (outputs, states)
        """
        out, _, caches = self._forward(self._check_inputs(u))
        out = out.transpose(1, 0, 2).copy()
        if not return_states:
            return out
        return out, [c[3][0].transpose(1, 0, 2).copy() for c in caches]

    def loss(self, u, y):
        r"""The loss :math:`L = \frac{1}{2BLd_\mathrm{out}}\sum (\hat y - y)^2`.

        Parameters
        ----------
        u : array_like, shape (batch, L, d_in)
        y : array_like, shape (batch, L, d_out)

        Returns
        -------
        float
        """
        return self.loss_and_grad(u, y, grad=False)[0]

    def loss_and_grad(self, u, y, grad=True):
        r"""The loss and its exact gradient, backpropagated through every block.

        :math:`L = \frac{1}{2BLd_\mathrm{out}}\sum (\hat y - y)^2`; the cotangent runs back
        through the decoder, each block's GLU, layer norms, GELU and recurrence (its adjoint
        recurrence in time, Wirtinger cotangents for complex states) and the skip
        connections, to the encoder (Zucchet and Orvieto, 2024).

        Parameters
        ----------
        u : array_like, shape (batch, L, d_in)
        y : array_like, shape (batch, L, d_out)
        grad : bool

        Returns
        -------
        loss : float
        grads : dict or None
            Keyed like :meth:`params`.
        """
        ut = self._check_inputs(u)
        y = as_float_array("y", y, ndim=3)
        if y.shape != (ut.shape[1], ut.shape[0], self.d_out):
            raise ValueError(f"y must have shape {(ut.shape[1], ut.shape[0], self.d_out)}, "
                             f"got {y.shape}")
        out, z, caches = self._forward(ut)
        res = out - y.transpose(1, 0, 2)
        loss = 0.5 * float(np.mean(res**2))
        if not grad:
            return loss, None
        p = self._params
        grads = {}
        dz, grads["dec_W"], grads["dec_b"] = _lin_back(res / res.size, z, p["dec_W"])
        for l in range(self.n_layers - 1, -1, -1):
            pre = f"l{l}."
            z_in, a, ln1, rec, r, c, ln2, P, Q = caches[l]
            dP, dQ = dz * Q, dz * P
            dc, grads[pre + "glu_W1"], grads[pre + "glu_b1"] = _lin_back(dP, c, p[pre + "glu_W1"])
            dc2, grads[pre + "glu_W2"], grads[pre + "glu_b2"] = _lin_back(
                dQ * Q * (1 - Q), c, p[pre + "glu_W2"])
            dc = dc + dc2
            if self.layer_norm:
                dg, grads[pre + "ln2_gain"], grads[pre + "ln2_bias"] = _ln_back(
                    dc, ln2, p[pre + "ln2_gain"])
            else:
                dg = dc
            dr = dg * _gelu_grad(r)
            da = self._rec_backward(l, a, rec, dr, grads)
            if self.layer_norm:
                dzl, grads[pre + "ln1_gain"], grads[pre + "ln1_bias"] = _ln_back(
                    da, ln1, p[pre + "ln1_gain"])
            else:
                dzl = da
            dz = dz + dzl
        _, grads["enc_W"], grads["enc_b"] = _lin_back(dz, ut, p["enc_W"])
        return loss, {k: grads[k] for k in self._names()}

    def __repr__(self):
        return (f"DeepRecurrentNetwork(recurrence={self.recurrence!r}, "
                f"n_layers={self.n_layers}, d_model={self.d_model}, "
                f"layer_norm={self.layer_norm})")


def deep_network(recurrence, memory, *, n_layers=4, d_in=16, d_model=32, n_states=32,
                 d_out=None, layer_norm=True, rng=None):
    r"""A :class:`DeepRecurrentNetwork` initialised with memory :math:`T`.

    :math:`|\lambda|` uniform in :math:`[1 - 1/T, 1 - 1/(2T)]`, phases uniform in
    :math:`[0, \pi]`; the LRU's :math:`\gamma = \sqrt{1-|\lambda|^2}` (Orvieto et al., 2023);
    the GRU's update-gate bias by chrono initialisation (Tallec and Ollivier, 2018),
    :math:`b_u = -\log(\tau - 1)` with :math:`\tau` uniform in :math:`[T, 2T]`, so that
    :math:`1 - \sigma(b_u) = 1 - 1/\tau` lies in the same interval (clipped at
    :math:`\tau - 1 \ge 10^{-2}`). Input and output matrices are Gaussian with variance
    1/fan-in (complex ones split evenly between real and imaginary parts); layer-norm
    gains 1 and biases 0. The set-up of Zucchet and Orvieto (2024, Sec. 5).

    Parameters
    ----------
    recurrence : {"complex_diagonal", "lru", "gru"}
    memory : float
        :math:`T \ge 1`.
    n_layers, d_in, d_model, n_states : int
    d_out : int, optional
        Defaults to ``d_in``.
    layer_norm : bool
    rng : None, int or numpy.random.Generator

    Returns
    -------
    DeepRecurrentNetwork
    """
    if recurrence not in RECURRENCES:
        raise ValueError(f"recurrence must be one of {tuple(RECURRENCES)}, got {recurrence!r}")
    T = as_real("memory", memory, minimum=1)
    n_layers = as_int("n_layers", n_layers, minimum=1)
    d_in = as_int("d_in", d_in, minimum=1)
    d = as_int("d_model", d_model, minimum=1)
    n = as_int("n_states", n_states, minimum=1)
    d_out = d_in if d_out is None else as_int("d_out", d_out, minimum=1)
    rng = as_rng(rng)

    def gauss(shape, fan_in):
        return rng.normal(0, 1 / math.sqrt(fan_in), size=shape)

    p = {"enc_W": gauss((d, d_in), d_in), "enc_b": np.zeros(d)}
    for l in range(n_layers):
        pre = f"l{l}."
        if recurrence == "gru":
            tau = rng.uniform(T, 2 * T, size=n)
            for gate in "usc":
                p[pre + "W_" + gate] = gauss((n, d), d)
                p[pre + "U_" + gate] = gauss((n, n), n)
            p[pre + "b_u"] = -np.log(np.maximum(tau - 1, 1e-2))
            p[pre + "b_s"], p[pre + "b_c"] = np.zeros(n), np.zeros(n)
            p[pre + "C"] = gauss((d, n), n)
        else:
            nu = rng.uniform(1 - 1 / T, 1 - 1 / (2 * T), size=n)
            theta = rng.uniform(0, math.pi, size=n)
            if recurrence == "complex_diagonal":
                p[pre + "lam_re"], p[pre + "lam_im"] = nu * np.cos(theta), nu * np.sin(theta)
            else:
                p[pre + "nu_log"] = np.log(-np.log(np.maximum(nu, 1e-300)))
                p[pre + "theta_log"] = np.log(np.maximum(theta, 1e-12))
                p[pre + "gamma_log"] = 0.5 * np.log(np.maximum(1 - nu**2, 1e-300))
            p[pre + "B_re"], p[pre + "B_im"] = gauss((n, d), 2 * d), gauss((n, d), 2 * d)
            p[pre + "C_re"], p[pre + "C_im"] = gauss((d, n), 2 * n), gauss((d, n), 2 * n)
            p[pre + "D"] = rng.normal(size=d)
        p[pre + "glu_W1"], p[pre + "glu_b1"] = gauss((d, d), d), np.zeros(d)
        p[pre + "glu_W2"], p[pre + "glu_b2"] = gauss((d, d), d), np.zeros(d)
        if layer_norm:
            p[pre + "ln1_gain"], p[pre + "ln1_bias"] = np.ones(d), np.zeros(d)
            p[pre + "ln2_gain"], p[pre + "ln2_bias"] = np.ones(d), np.zeros(d)
    p["dec_W"], p["dec_b"] = gauss((d_out, d), d), np.zeros(d_out)
    return DeepRecurrentNetwork(recurrence, p, layer_norm)


def signal_propagation(network, u, y, burn_in=None):
    r"""The statistics of chapter 13: :math:`E[|h|^2]` per layer, mean squared gradients.

    :math:`E[|h|^2]` is averaged over batch, units and the time steps after ``burn_in``
    (default: the first half), so it approximates the stationary second moment
    (Zucchet and Orvieto, 2024). The gradient statistics are
    :math:`\frac{1}{|G|}\sum_{\theta \in G} (\partial L/\partial\theta)^2` per parameter
    group :math:`G` (:data:`PARAMETER_GROUPS`), pooled over layers, and per layer for the
    recurrence's groups.

    Parameters
    ----------
    network : DeepRecurrentNetwork
    u : array_like, shape (batch, L, d_in)
    y : array_like, shape (batch, L, d_out)
    burn_in : int, optional

    Returns
    -------
    dict
        ``"h2"``: ndarray (n_layers,); ``"grad2"``: {group: float};
        ``"grad2_per_layer"``: {group: ndarray (n_layers,)}; ``"loss"``: float.
    """
    if not isinstance(network, DeepRecurrentNetwork):
        raise TypeError(f"network must be a DeepRecurrentNetwork, got {type(network).__name__}")
    loss, grads = network.loss_and_grad(u, y)
    _, states = network.forward(u, return_states=True)
    L = states[0].shape[1]
    burn_in = L // 2 if burn_in is None else as_int("burn_in", burn_in, minimum=0, maximum=L - 1)
    h2 = np.array([float(np.mean(np.abs(h[:, burn_in:]) ** 2)) for h in states])
    sums, counts = {}, {}
    per_layer = {}
    for name, g in grads.items():
        base = name.split(".", 1)[-1]
        group = PARAMETER_GROUPS[base]
        sums[group] = sums.get(group, 0.0) + float(np.sum(g**2))
        counts[group] = counts.get(group, 0) + g.size
        if "." in name and base in RECURRENCES[network.recurrence]:
            l = int(name[1:name.index(".")])
            arr = per_layer.setdefault(group, np.zeros((network.n_layers, 2)))
            arr[l] += (float(np.sum(g**2)), g.size)
    return {"h2": h2, "grad2": {k: sums[k] / counts[k] for k in sums},
            "grad2_per_layer": {k: v[:, 0] / v[:, 1] for k, v in per_layer.items()},
            "loss": loss}
