"""The piecewise-affine structure shared by the PLRNN and the shallow PLRNN.

Both models can be written as

.. math:: F(z) = A z + W\\,\\mathrm{relu}(G z + g) + b ,

and inside a linear region, the set where the sign pattern
:math:`d = [G z + g > 0]` is constant, :math:`F` is affine:

.. math:: F(z) = \\underbrace{(A + W D G)}_{J(d)} z + \\underbrace{b + W D g}_{c(d)},
   \\qquad D = \\mathrm{diag}(d).

(Eisenmann et al., 2023, eq. 2; Hess et al., 2023, for the shallow PLRNN.)
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._checks import as_float_array, as_int, as_region
from . import _kernels


class AffineParts(NamedTuple):
    """The common form :math:`F(z) = A z + W\\,\\mathrm{relu}(G z + g) + b` of a model.

    ``gate_is_identity`` is True when :math:`G = I` and :math:`g = 0` (the PLRNN), which lets
    the numba kernels skip the product :math:`G z`.
    """

    A: np.ndarray
    W: np.ndarray
    G: np.ndarray
    g: np.ndarray
    b: np.ndarray
    gate_is_identity: bool


def _frozen(arr):
    """A read-only copy: a model's parameters cannot change under the cycles found for it."""
    if arr is None:
        return None
    out = np.array(arr, dtype=np.float64, copy=True, order="C")
    out.flags.writeable = False
    return out


class PiecewiseAffineModel:
    r"""Common base of the PLRNN and the shallow PLRNN: a map that is affine on each region.

    :class:`~plrnn_lib.PLRNN` and :class:`~plrnn_lib.ShallowPLRNN` both iterate

    .. math:: z_t = F(z_{t-1}) + C s_t, \qquad F(z) = A z + W\,\mathrm{relu}(G z + g) + b,

    with M latent states, H = ``n_gates`` gates (the rows of :math:`G`) and, for the PLRNN
    only, optional external inputs :math:`s_t` (K of them).  The PLRNN is the case
    :math:`G = I`, :math:`g = 0`, :math:`b = h`; the shallow PLRNN has
    :math:`A = \mathrm{diag}(a)`, :math:`W = W_1`, :math:`G = W_2`, :math:`g = h_2`,
    :math:`b = h_1`.  On the linear region with sign pattern :math:`d = [G z + g > 0]` the
    map is affine, :math:`F(z) = J(d)\, z + c(d)` with
    :math:`J(d) = A + W\,\mathrm{diag}(d)\,G` and :math:`c(d) = b + W\,\mathrm{diag}(d)\,g`
    (Eisenmann et al., 2023, eq. 2; Hess et al., 2023, for the shallow PLRNN).  The methods
    here work in this common form, so the cycle searches and sweeps serve both models.

    Not instantiated directly: build a :class:`~plrnn_lib.PLRNN` or a
    :class:`~plrnn_lib.ShallowPLRNN`.
    """

    # A subclass's __init__ stores A (M, M), W (M, H), G (H, M), g (H,), b (M,) and C (M, K)
    # or None as self._A, _W, _G, _g, _b, _C (read-only, through _frozen), and sets
    # _gate_is_identity = True when G = I and g = 0 (the PLRNN). Subclasses name their
    # parameters in _param_names and implement params(); replace() then works for all.
    _gate_is_identity = False
    _param_names: tuple = ()

    # -- sizes -----------------------------------------------------------------------------
    @property
    def M(self) -> int:
        """Number of latent states."""
        return self._A.shape[0]

    @property
    def n_gates(self) -> int:
        """Length of a region code (M for the PLRNN, H for the shallow PLRNN)."""
        return self._G.shape[0]

    @property
    def K(self) -> int:
        """Number of external inputs (0 without C)."""
        return 0 if self._C is None else self._C.shape[1]

    @property
    def n_regions(self) -> int:
        """Number of sign patterns, ``2**n_gates`` (an upper bound for the shallow PLRNN)."""
        return 2 ** self.n_gates

    # -- checks ----------------------------------------------------------------------------
    def _state(self, z, name="z"):
        return as_float_array(name, z, shape=(self.M,))

    def _input(self, s, name="s"):
        if s is None:
            return None
        if self._C is None:
            raise ValueError(f"{name} was given but the model has no input matrix C")
        return as_float_array(name, s, shape=(self.K,))

    # -- the map -----------------------------------------------------------------------------
    def region(self, z):
        """Sign pattern of the region containing ``z`` (bool array of length ``n_gates``)."""
        z = self._state(z)
        return _kernels.gate(self._G, self._g, z, self._gate_is_identity) > 0

    def region_matrix(self, d):
        """Return ``J(d) = A + W diag(d) G``, the linear part of F in region ``d``."""
        d = as_region("d", d, self.n_gates)
        return _kernels.region_matrix(self._A, self._W, self._G, d, self._gate_is_identity)

    def region_offset(self, d):
        """Return ``c(d) = b + W diag(d) g``, the constant part of F in region ``d``."""
        d = as_region("d", d, self.n_gates)
        return _kernels.region_offset(self._W, self._g, self._b, d, self._gate_is_identity)

    def step(self, z, s=None):
        """Return ``F(z) + C s``, one step of the map."""
        z = self._state(z)
        s = self._input(s)
        out = _kernels.step(self._A, self._W, self._G, self._g, self._b, z, self._gate_is_identity)
        if s is not None:
            out = out + self._C @ s
        return out

    def __call__(self, z, s=None):
        return self.step(z, s)

    def simulate(self, z0, n_steps, inputs=None):
        """Iterate the map from ``z0``.

        Parameters
        ----------
        z0 : array_like, shape (M,)
        n_steps : int
            Number of steps; the result has ``n_steps + 1`` rows.
        inputs : array_like, shape (n_steps, K), optional
            External inputs; row ``t - 1`` drives step ``t``: ``z_t = F(z_{t-1}) + C s_t``.

        Returns
        -------
        ndarray, shape (n_steps + 1, M)
            The trajectory, row 0 being ``z0``.
        """
        z0 = self._state(z0, "z0")
        n_steps = as_int("n_steps", n_steps, minimum=0)
        if inputs is not None:
            if self._C is None:
                raise ValueError("inputs were given but the model has no input matrix C")
            inputs = as_float_array("inputs", inputs, shape=(n_steps, self.K))
        try:
            drive = np.zeros((n_steps, self.M)) if inputs is None \
                else np.ascontiguousarray(inputs @ self._C.T)
            return _kernels.simulate(self._A, self._W, self._G, self._g, self._b, z0, n_steps,
                                     drive, self._gate_is_identity)
        except MemoryError:
            gib = 2 * (n_steps + 1) * self.M * 8 / 2 ** 30
            raise ValueError(f"n_steps={n_steps} needs about {gib:.3g} GiB for the trajectory of "
                             f"{self.M} states, more than could be allocated") from None

    def jacobian(self, z):
        """Return dF/dz at ``z``: the region matrix of the region containing ``z``.

        On a switching boundary the one-sided Jacobian from the side ``G z + g <= 0`` is returned.
        """
        return self.region_matrix(self.region(z))

    def affine_parts(self) -> AffineParts:
        """Return the common form ``(A, W, G, g, b, gate_is_identity)`` used by the kernels.

        The arrays are the model's own, read-only.
        """
        return AffineParts(self._A, self._W, self._G, self._g, self._b,
                           bool(self._gate_is_identity))

    # -- the parameter protocol --------------------------------------------------------------
    def params(self) -> dict:
        """The model's named parameters as a dict of read-only arrays (see :meth:`replace`)."""
        raise NotImplementedError  # pragma: no cover - every concrete model defines it

    def replace(self, **named):
        """Return a new model of the same kind with the named parameters replaced.

        ``m.replace(W=W_new)`` keeps every other parameter of ``m``. The names are those of
        :meth:`params`; an unknown name is a TypeError that lists the valid ones.
        """
        unknown = sorted(set(named) - set(self._param_names))
        if unknown:
            raise TypeError(f"{type(self).__name__}.replace() got unknown parameter(s) "
                            f"{', '.join(unknown)}; the parameters are "
                            f"{', '.join(self._param_names)}")
        current = self.params()
        current.update({k: v for k, v in named.items()})
        return type(self)(**current)
