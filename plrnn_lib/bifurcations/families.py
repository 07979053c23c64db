"""One- and two-parameter families of models, picklable so sweeps can run in other processes."""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array
from ..models.base import PiecewiseAffineModel
from ..models.plrnn import PLRNN
from ..models.shallow import ShallowPLRNN

_PLRNN_PARAMS = ("A", "W", "h")
_SHALLOW_PARAMS = ("A", "W1", "W2", "h1", "h2")


class ParameterFamily:
    r"""A model whose parameters are shifted along fixed directions: ``model(p)``.

    ``ParameterFamily(model, ("A", (0, 0)), ("A", (1, 1)))`` is the two-parameter family
    :math:`A \mapsto A + \Delta a_{11} e_1 e_1^\top + \Delta a_{22} e_2 e_2^\top` used for the
    toy model's bifurcation manifolds (Eisenmann et al., 2023, Fig. 2).  Calling it with one
    number per target returns the shifted model; ``p = 0`` gives back the base model.

    A target is ``(name, index)`` or ``(name, index, weight)``: entry ``index`` of parameter
    ``name`` moves by ``weight * p``.  Several targets may share one parameter axis by
    passing a list of targets as one axis, e.g. ``[("W", (0, 1)), ("W", (1, 0), -1.0)]``.

    Unlike a lambda, a family can be sent to worker processes, which is what lets
    :func:`sweep` and :func:`sweep_grid` run in parallel.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
        The base model, ``p = 0``.
    *axes : tuple or list of tuples
        One entry per parameter axis.
    """

    def __init__(self, model, *axes):
        if not isinstance(model, PiecewiseAffineModel):
            raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
        if not axes:
            raise ValueError("axes: give at least one (name, index) target to move")
        self.model = model
        self._base = self._parameters(model)
        self.axes = []
        for a, axis in enumerate(axes):
            targets = [axis] if isinstance(axis, tuple) else list(axis)
            if not targets:
                raise ValueError(f"axes[{a}] is empty")
            parsed = []
            for t in targets:
                if not isinstance(t, tuple) or len(t) not in (2, 3):
                    raise TypeError(f"axes[{a}] targets must be (name, index) or (name, index, weight), got {t!r}")
                name, index = t[0], t[1]
                weight = float(t[2]) if len(t) == 3 else 1.0
                if name not in self._base:
                    raise ValueError(f"axes[{a}]: unknown parameter {name!r}; choose from {sorted(self._base)}")
                index = (index,) if np.isscalar(index) else tuple(index)
                try:
                    self._base[name][index]
                except (IndexError, TypeError):
                    raise ValueError(f"axes[{a}]: index {index} is out of range for {name} of shape "
                                     f"{self._base[name].shape}") from None
                parsed.append((name, index, weight))
            self.axes.append(parsed)

    @staticmethod
    def _parameters(model):
        if isinstance(model, ShallowPLRNN):
            return {n: np.array(getattr(model, n), dtype=float) for n in _SHALLOW_PARAMS}
        if isinstance(model, PLRNN):
            params = {n: np.array(getattr(model, n), dtype=float) for n in _PLRNN_PARAMS}
            if model.C is not None:
                params["C"] = np.array(model.C)
            return params
        raise TypeError(f"model must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")

    @property
    def n_params(self) -> int:
        """Number of parameter axes."""
        return len(self.axes)

    def __call__(self, *p):
        if len(p) == 1 and np.ndim(p[0]) == 1:
            p = tuple(p[0])
        if len(p) != self.n_params:
            raise ValueError(f"p: this family has {self.n_params} parameter(s), got {len(p)} value(s)")
        params = {k: v.copy() for k, v in self._base.items()}
        for value, targets in zip(p, self.axes):
            for name, index, weight in targets:
                params[name][index] += weight * float(value)
        if isinstance(self.model, ShallowPLRNN):
            return ShallowPLRNN(params["A"], params["W1"], params["W2"], params["h1"], params["h2"])
        return PLRNN(params["A"], params["W"], params["h"], params.get("C"))

    def __repr__(self):
        return f"ParameterFamily({self.model!r}, axes={self.axes})"


def as_values(name, values):
    """Check a 1-D increasing array of parameter values."""
    values = as_float_array(name, values, ndim=1)
    if values.size < 2:
        raise ValueError(f"{name} must hold at least 2 parameter values, got {values.size}")
    if np.any(np.diff(values) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return values
