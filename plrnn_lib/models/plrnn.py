"""The piecewise-linear RNN (PLRNN) of Durstewitz (2017) and Eisenmann et al. (2023)."""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, as_int, as_range, as_real, as_rng
from .base import PiecewiseAffineModel, _frozen


class PLRNN(PiecewiseAffineModel):
    r"""Piecewise-linear recurrent neural network.

    .. math:: z_t = F(z_{t-1}) = A z_{t-1} + W\,\mathrm{relu}(z_{t-1}) + C s_t + h

    Inside the linear region with sign pattern :math:`d = [z > 0]` the map is affine,
    :math:`F(z) = W_\Omega z + h` with :math:`W_\Omega = A + W\,\mathrm{diag}(d)`; there are
    :math:`2^M` such regions (Eisenmann et al., 2023, eqs. 1-2).

    Parameters
    ----------
    A : array_like, shape (M,) or (M, M)
        Auto-regression weights: a diagonal given as a vector, or a full matrix.
    W : array_like, shape (M, M)
        Connectivity applied to ``relu(z)``.
    h : array_like, shape (M,)
        Bias.
    C : array_like, shape (M, K), optional
        Input weights for external inputs ``s_t``.

    Examples
    --------
    >>> import plrnn_lib as pl
    >>> m = pl.PLRNN([0.5, 0.5], [[0, -0.6], [0.5, 0]], [0.3, -0.9])
    >>> m.simulate([0.1, 0.2], 3).shape
    (4, 2)
    """

    _gate_is_identity = True
    _param_names = ("A", "W", "h", "C")

    def __init__(self, A, W, h, C=None):
        A = as_float_array("A", A, ndim=(1, 2))
        M = A.shape[0]
        if M == 0:
            raise ValueError("A must describe at least one latent state, got shape (0,)")
        # A given as a vector is a diagonal parameter: params() and the gradients keep it (M,).
        self._diagonal_A = A.ndim == 1
        if A.ndim == 1:
            A = np.diag(A)
        elif A.shape != (M, M):
            raise ValueError(f"A must be (M,) or square (M, M), got shape {A.shape}")
        self._A = _frozen(A)
        self._W = _frozen(as_float_array("W", W, shape=(M, M)))
        self._b = _frozen(as_float_array("h", h, shape=(M,)))
        self._C = _frozen(as_float_array("C", C, ndim=2, shape=(M, None), allow_none=True))
        self._G = _frozen(np.eye(M))
        self._g = _frozen(np.zeros(M))

    @property
    def A(self):
        """Auto-regression matrix (M, M) (diagonal for a diagonal PLRNN)."""
        return self._A

    @property
    def W(self):
        """Connectivity (M, M)."""
        return self._W

    @property
    def h(self):
        """Bias (M,)."""
        return self._b

    @property
    def C(self):
        """Input matrix (M, K) or None."""
        return self._C

    @property
    def has_diagonal_A(self) -> bool:
        """True when A is diagonal (the usual trained PLRNN)."""
        return bool(np.all(self._A == np.diag(np.diag(self._A))))

    def region_matrix(self, d):
        r"""Return :math:`W_\Omega = A + W\,\mathrm{diag}(d)` for the region with sign pattern ``d``."""
        return super().region_matrix(d)

    def params(self) -> dict:
        """Named parameters: ``A`` ((M,) when given as a diagonal, else (M, M)), ``W``,
        ``h`` and, with inputs, ``C``; read-only arrays."""
        out = {"A": _frozen(np.diag(self._A)) if self._diagonal_A else self._A,
               "W": self._W, "h": self._b}
        if self._C is not None:
            out["C"] = self._C
        return out

    def with_params(self, A=None, W=None, h=None, C=None):
        """Return a copy with some parameters replaced (the others kept); see :meth:`replace`."""
        named = {k: v for k, v in dict(A=A, W=W, h=h, C=C).items() if v is not None}
        return self.replace(**named)

    @classmethod
    def random(cls, M, rng=None, *, a_range=(0.3, 0.9), w_scale=1.0, h_scale=1.0, K=0):
        r"""A random PLRNN for examples and tests.

        ``A = diag(a)`` with ``a`` uniform in ``a_range``; ``W`` has zero diagonal and
        off-diagonal entries from :math:`N(0, w\_scale^2 / M)`; ``h`` from
        :math:`N(0, h\_scale^2)`; ``C`` from :math:`N(0, 1)` when ``K > 0``.

        Parameters
        ----------
        M : int
            Number of latent states (>= 1).
        rng : None, int or numpy.random.Generator
            Source of randomness; an integer seed makes the model reproducible.
        """
        M = as_int("M", M, minimum=1)
        K = as_int("K", K, minimum=0)
        w_scale = as_real("w_scale", w_scale, minimum=0.0)
        h_scale = as_real("h_scale", h_scale, minimum=0.0)
        lo, hi = as_range("a_range", a_range)
        rng = as_rng(rng)
        a = rng.uniform(lo, hi, size=M)
        W = rng.normal(0.0, w_scale / np.sqrt(M), size=(M, M))
        np.fill_diagonal(W, 0.0)
        h = rng.normal(0.0, h_scale, size=M)
        C = rng.normal(size=(M, K)) if K > 0 else None
        return cls(a, W, h, C)

    def __repr__(self):
        return f"PLRNN(M={self.M}, K={self.K})"
