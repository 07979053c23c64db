r"""Families of models along straight lines in parameter space, picklable for other processes.

A family is a map :math:`p \mapsto F_p` from parameter values to models.
:class:`ParameterFamily` moves chosen entries of a base model's parameters,

.. math:: \theta(p) = \theta_0 + \sum_{a} p_a\, v_a ,

where :math:`\theta` stacks every array of the model's ``params()`` and :math:`v_a` is the
direction of axis :math:`a`.  The directions are either a few named entries (the
bifurcation manifolds of the toy model, Eisenmann et al., 2023, Fig. 2) or, with
:meth:`ParameterFamily.segment`, the whole difference between two models, so a sweep can
run along the straight path between two training checkpoints.  Models are built through the
parameter protocol (``params()`` / ``replace()``), so every model that has it works.
"""
from __future__ import annotations

import numbers

import numpy as np

from .._checks import as_real
from ..models.base import PiecewiseAffineModel


def _require_model(name, model):
    if not isinstance(model, PiecewiseAffineModel):
        raise TypeError(f"{name} must be a PLRNN or ShallowPLRNN, got {type(model).__name__}")
    return model


def _entry(name, index, shape, where):
    """Normalise ``index`` into a parameter of the given shape, or raise naming ``where``.

    A diagonal stored as a vector (the (M,) ``A`` of a diagonal PLRNN or of the shallow
    PLRNN) also accepts the matrix index ``(i, i)`` of its entry ``i``, so a family written
    for ``A[i, i]`` works whichever way the model holds ``A``.
    """
    index = (index,) if isinstance(index, numbers.Integral) else index
    try:
        index = tuple(int(i) for i in index)
    except TypeError:
        raise TypeError(f"{where}: index must be an integer or a tuple of integers, "
                        f"got {index!r}") from None
    if len(shape) == 1 and len(index) == 2:
        if index[0] != index[1]:
            raise ValueError(f"{where}: {name} of this model is a diagonal of shape {shape}, so "
                             f"only its entries (i, i) move, not {index}; build the model with a "
                             f"full (M, M) matrix {name} to move off-diagonal entries")
        index = index[:1]
    if len(index) != len(shape) or not all(-n <= i < n for i, n in zip(index, shape)):
        raise ValueError(f"{where}: index {index} is out of range for {name} of shape {shape}")
    return index


class ParameterFamily:
    r"""A model whose parameters move along fixed directions: ``family(p)`` is a model.

    .. math:: \theta(p) = \theta_0 + \sum_{a=1}^{n} p_a\, v_a ,

    with :math:`\theta_0` the parameters of ``model`` (``model.params()``) and one direction
    :math:`v_a` per axis.  ``ParameterFamily(model, ("A", (0, 0)), ("A", (1, 1)))`` is the
    two-parameter family
    :math:`A \mapsto A + \Delta a_{11} e_1 e_1^\top + \Delta a_{22} e_2 e_2^\top` of the
    toy model's bifurcation manifolds (Eisenmann et al., 2023, Fig. 2).  Calling it with one
    number per axis returns the moved model (built by ``model.replace``); ``p = 0`` gives
    back the base model.  :meth:`segment` builds the one-parameter family of the straight
    path between two models.

    An axis is a target ``(name, index)`` or ``(name, index, weight)`` (entry ``index`` of
    parameter ``name`` of ``model.params()`` moves by ``weight * p``), or a list of targets
    that move together, e.g. ``[("W", (0, 1)), ("W", (1, 0), -1.0)]``.

    Unlike a lambda, a family can be sent to worker processes, which is what lets
    :func:`~plrnn_lib.sweep` and :func:`~plrnn_lib.sweep_grid` run in parallel.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
        The base model, ``p = 0``.
    *axes : tuple or list of tuples
        One entry per parameter axis.

    Attributes
    ----------
    model : PLRNN or ShallowPLRNN
        The base model.
    directions : tuple of dict
        Per axis, the direction :math:`v_a` as arrays keyed by parameter name (only the
        parameters the axis moves).
    """

    def __init__(self, model, *axes):
        _require_model("model", model)
        if not axes:
            raise ValueError("axes: give at least one (name, index) target to move")
        base = model.params()
        directions = []
        for a, axis in enumerate(axes):
            targets = [axis] if isinstance(axis, tuple) else axis
            if not isinstance(targets, list) or not targets:
                raise TypeError(f"axes[{a}] must be a (name, index) target or a non-empty list "
                                f"of them, got {axis!r}")
            direction = {}
            for t in targets:
                if not isinstance(t, tuple) or len(t) not in (2, 3):
                    raise TypeError(f"axes[{a}] targets must be (name, index) or "
                                    f"(name, index, weight), got {t!r}")
                name = t[0]
                if name not in base:
                    raise ValueError(f"axes[{a}]: unknown parameter {name!r}; choose from "
                                     f"{sorted(base)}")
                shape = base[name].shape
                index = _entry(name, t[1], shape, f"axes[{a}]")
                weight = as_real(f"axes[{a}] weight", t[2]) if len(t) == 3 else 1.0
                direction.setdefault(name, np.zeros(shape))[index] += weight
            directions.append(direction)
        self._set(model, directions)

    def _set(self, model, directions):
        self.model = model
        for direction in directions:
            for arr in direction.values():
                arr.flags.writeable = False
        self.directions = tuple(directions)
        self._base = model.params()

    @classmethod
    def segment(cls, model_a, model_b):
        r"""The straight path from ``model_a`` (p = 0) to ``model_b`` (p = 1).

        .. math:: \theta(p) = (1 - p)\, \theta_a + p\, \theta_b ,

        every parameter interpolated, so :func:`~plrnn_lib.sweep` over values in
        :math:`[0, 1]` (or :func:`~plrnn_lib.bifurcations.locate` between 0 and 1) finds the
        bifurcations between two training checkpoints, as Eisenmann et al. (2023) relate
        loss jumps to bifurcations crossed during training.

        Parameters
        ----------
        model_a, model_b : PLRNN or ShallowPLRNN
            Models of the same kind whose ``params()`` have the same names and shapes.

        Returns
        -------
        ParameterFamily
            A one-parameter family; values outside :math:`[0, 1]` extrapolate the line.
        """
        _require_model("model_a", model_a)
        _require_model("model_b", model_b)
        if type(model_a) is not type(model_b):
            raise TypeError(f"model_a and model_b must be of one kind, got "
                            f"{type(model_a).__name__} and {type(model_b).__name__}")
        pa, pb = model_a.params(), model_b.params()
        if set(pa) != set(pb):
            raise ValueError(f"model_a and model_b must have the same parameters, got "
                             f"{sorted(pa)} and {sorted(pb)}")
        for name in pa:
            if pa[name].shape != pb[name].shape:
                raise ValueError(f"model_b.{name} must have the shape of model_a.{name}, "
                                 f"{pa[name].shape}, got {pb[name].shape}")
        family = cls.__new__(cls)
        family._set(model_a, [{name: pb[name] - pa[name] for name in pa}])
        return family

    @property
    def n_params(self) -> int:
        """Number of parameter axes."""
        return len(self.directions)

    def __call__(self, *p):
        """The model at parameter point ``p`` (one number per axis, or one 1-D array)."""
        if len(p) == 1 and np.ndim(p[0]) == 1:
            p = tuple(p[0])
        if len(p) != self.n_params:
            raise ValueError(f"p: this family has {self.n_params} parameter(s), got {len(p)} "
                             "value(s)")
        moved = {}
        for value, direction in zip(p, self.directions):
            value = as_real("p", value)
            for name, v in direction.items():
                moved[name] = moved.get(name, self._base[name]) + value * v
        return self.model.replace(**moved)

    def __repr__(self):
        moved = sorted({name for d in self.directions for name in d})
        return (f"ParameterFamily({self.model!r}, {self.n_params} axis"
                f"{'' if self.n_params == 1 else 'es'} moving {', '.join(moved)})")
