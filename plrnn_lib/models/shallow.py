"""The shallow PLRNN (shPLRNN) of Hess et al. (2023)."""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, as_int, as_range, as_real, as_rng
from .base import PiecewiseAffineModel, _frozen


class ShallowPLRNN(PiecewiseAffineModel):
    r"""Shallow piecewise-linear RNN.

    .. math:: z_t = A \circ z_{t-1} + W_1\,\mathrm{relu}(W_2 z_{t-1} + h_2) + h_1

    with diagonal ``A``, ``W1`` (M, H), ``W2`` (H, M).  Its linear regions are the sign
    patterns :math:`d = [W_2 z + h_2 > 0]` (H bits, not all of which occur), and in region
    ``d``, with :math:`D = \mathrm{diag}(d)`, the map is affine
    (Hess et al., 2023; Eisenmann et al., 2023, appendix):

    .. math:: F(z) = (\mathrm{diag}(A) + W_1 D W_2)\, z + h_1 + W_1 D h_2 .

    Parameters
    ----------
    A : array_like, shape (M,)
    W1 : array_like, shape (M, H)
    W2 : array_like, shape (H, M)
    h1 : array_like, shape (M,)
    h2 : array_like, shape (H,)
    """

    _param_names = ("A", "W1", "W2", "h1", "h2")

    def __init__(self, A, W1, W2, h1, h2):
        a = as_float_array("A", A, ndim=1)
        M = a.shape[0]
        if M == 0:
            raise ValueError("A must describe at least one latent state, got shape (0,)")
        W1 = as_float_array("W1", W1, ndim=2, shape=(M, None))
        H = W1.shape[1]
        if H == 0:
            raise ValueError("W1 must have at least one hidden unit (shape (M, H) with H >= 1)")
        self._a = _frozen(a)
        self._A = _frozen(np.diag(a))
        self._W = _frozen(W1)
        self._G = _frozen(as_float_array("W2", W2, shape=(H, M)))
        self._b = _frozen(as_float_array("h1", h1, shape=(M,)))
        self._g = _frozen(as_float_array("h2", h2, shape=(H,)))
        self._C = None

    @property
    def H(self) -> int:
        """Number of hidden units."""
        return self._W.shape[1]

    @property
    def A(self):
        """Diagonal of the auto-regression, shape (M,) (read-only)."""
        return self._a

    @property
    def W1(self):
        """Output weights of the hidden layer, shape (M, H)."""
        return self._W

    @property
    def W2(self):
        """Input weights of the hidden layer, shape (H, M); its rows define the switching
        boundaries :math:`(W_2 z + h_2)_k = 0`."""
        return self._G

    @property
    def h1(self):
        """Bias of the latent state, shape (M,)."""
        return self._b

    @property
    def h2(self):
        """Bias of the hidden layer, shape (H,)."""
        return self._g

    def params(self) -> dict:
        """Named parameters ``A`` (M,), ``W1``, ``W2``, ``h1``, ``h2``; read-only arrays."""
        return {"A": self._a, "W1": self._W, "W2": self._G, "h1": self._b, "h2": self._g}

    @classmethod
    def random(cls, M, H, rng=None, *, a_range=(0.3, 0.9), w_scale=1.0):
        """A random shallow PLRNN for examples and tests (entries Gaussian, scaled by 1/sqrt)."""
        M = as_int("M", M, minimum=1)
        H = as_int("H", H, minimum=1)
        w_scale = as_real("w_scale", w_scale, minimum=0.0)
        lo, hi = as_range("a_range", a_range)
        rng = as_rng(rng)
        a = rng.uniform(lo, hi, size=M)
        W1 = rng.normal(0.0, w_scale / np.sqrt(H), size=(M, H))
        W2 = rng.normal(0.0, 1.0 / np.sqrt(M), size=(H, M))
        return cls(a, W1, W2, rng.normal(size=M), rng.normal(size=H))

    def __repr__(self):
        return f"ShallowPLRNN(M={self.M}, H={self.H})"
