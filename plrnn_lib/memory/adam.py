r"""Teacher-student training of linear recurrent layers with Adam, and Adam's effective rates.

Adam (Kingma and Ba, 2015) divides each coordinate's step by the root of a running mean of
its squared gradient, :math:`\hat v`. The step it actually takes along coordinate :math:`i`
is :math:`\eta\, \hat m_i / (\sqrt{\hat v_i} + \epsilon)`, so
:math:`\eta_i^\mathrm{eff} = \eta / (\sqrt{\hat v_i} + \epsilon)` is its *effective learning
rate*. Zucchet and Orvieto (2024) compare it across parameters: Adam can absorb a sharp
direction that sits on one coordinate, not one spread over many.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .._checks import as_bool, as_int, as_real, as_rng
from ..training.optimizers import adam_moments
from .layers import LinearRecurrentLayer


def teacher_batch(teacher, batch_size, seq_len, rng=None):
    r"""Inputs :math:`x_t \sim \mathcal{N}(0, I)` i.i.d. and the teacher's outputs.

    The data of the teacher-student task of Zucchet and Orvieto (2024):
    :math:`y = \text{teacher}(x)`, :math:`\hat y_t = \mathrm{Re}(C h_t) + D x_t`.

    Parameters
    ----------
    teacher : LinearRecurrentLayer
    batch_size, seq_len : int
    rng : None, int or numpy.random.Generator

    Returns
    -------
    (x, y) : ndarrays of shape (batch_size, seq_len, K) and (batch_size, seq_len, m)
    """
    if not isinstance(teacher, LinearRecurrentLayer):
        raise TypeError(f"teacher must be a LinearRecurrentLayer, got {type(teacher).__name__}")
    batch_size = as_int("batch_size", batch_size, minimum=1)
    seq_len = as_int("seq_len", seq_len, minimum=1)
    x = as_rng(rng).standard_normal((batch_size, seq_len, teacher.n_inputs))
    return x, teacher.forward(x)


class AdamResult(NamedTuple):
    r"""What :func:`train_adam` returns (Kingma and Ba, 2015; Zucchet and Orvieto, 2024).

    Attributes
    ----------
    layer : LinearRecurrentLayer
        The trained student.
    losses : ndarray, shape (n_steps,)
        Batch loss before each step.
    second_moments : dict
        Adam's bias-corrected :math:`\hat v` per parameter after the last step.
    effective_learning_rates : dict
        :math:`\eta_\mathrm{last} / (\sqrt{\hat v} + \epsilon)` per parameter, with the
        learning rate of the last step.
    """

    layer: LinearRecurrentLayer
    losses: np.ndarray
    second_moments: dict
    effective_learning_rates: dict


class AdamState(NamedTuple):
    r"""Adam's running moments and step count (Kingma and Ba, 2015).

    Attributes
    ----------
    m, v : ndarray
        Running means of the gradient and of its square, :math:`m` and :math:`v`.
    step : int
        Number of updates taken so far.
    """

    m: np.ndarray
    v: np.ndarray
    step: int


def adam_state(n_parameters):
    r"""Adam's initial state for ``n_parameters`` parameters: :math:`m = v = 0`, no steps.

    The start of Adam (Kingma and Ba, 2015).

    Parameters
    ----------
    n_parameters : int

    Returns
    -------
    AdamState
    """
    n_parameters = as_int("n_parameters", n_parameters, minimum=1)
    return AdamState(np.zeros(n_parameters), np.zeros(n_parameters), 0)


def adam_update(theta, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    r"""One Adam step (Kingma and Ba, 2015) on a flat parameter vector.

    .. math::

        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \theta \leftarrow \theta - \eta \frac{m / (1-\beta_1^k)}{\sqrt{v/(1-\beta_2^k)}
        + \epsilon}.

    Parameters
    ----------
    theta, grad : ndarray, shape (P,)
    state : AdamState
    lr : float
        This step's learning rate :math:`\eta`.
    beta1, beta2, eps : float

    Returns
    -------
    (theta, state) : the updated parameters and a new AdamState
    """
    if not isinstance(state, AdamState):
        raise TypeError(f"state must be an AdamState, got {type(state).__name__}")
    theta = np.asarray(theta, float)
    grad = np.asarray(grad, float)
    if theta.shape != state.m.shape or grad.shape != state.m.shape:
        raise ValueError(f"theta and grad must have shape {state.m.shape}, got {theta.shape} "
                         f"and {grad.shape}")
    k = state.step + 1
    m, v, m_hat, v_hat = adam_moments(state.m, state.v, grad, k, beta1, beta2)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), AdamState(m, v, k)


def cosine_rate(lr, step, n_steps):
    r"""The cosine schedule :math:`\eta_k = \eta\,\tfrac12(1 + \cos(\pi k / K))`, k from 0.

    As used by Zucchet and Orvieto (2024) for the teacher-student task.

    Parameters
    ----------
    lr : float
    step, n_steps : int

    Returns
    -------
    float
    """
    return lr * 0.5 * (1 + math.cos(math.pi * step / n_steps))


def train_adam(student, teacher, n_steps, *, lr=1e-3, batch_size=128, seq_len=300,
               schedule="constant", beta1=0.9, beta2=0.999, eps=1e-8, rng=None,
               progress=True):
    r"""Train a student layer on a teacher's outputs with Adam; record its effective rates.

    Each step draws a fresh batch (:func:`teacher_batch`), takes the exact gradient
    (:meth:`LinearRecurrentLayer.loss_and_grad`) and applies Adam (Kingma and Ba, 2015):

    .. math::

        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \theta \leftarrow \theta - \eta_k \frac{m / (1-\beta_1^k)}{\sqrt{v/(1-\beta_2^k)} + \epsilon},

    with :math:`\eta_k = \eta` (``"constant"``) or :math:`\eta\,\tfrac12(1 + \cos(\pi k/K))`
    (``"cosine"``), the set-up of Zucchet and Orvieto (2024).

    Parameters
    ----------
    student, teacher : LinearRecurrentLayer
        Same numbers of inputs and outputs.
    n_steps : int
    lr : float
    batch_size, seq_len : int
    schedule : {"constant", "cosine"}
    beta1, beta2, eps : float
    rng : None, int or numpy.random.Generator
    progress : bool
        Show a progress bar.

    Returns
    -------
    AdamResult
    """
    for name, layer in (("student", student), ("teacher", teacher)):
        if not isinstance(layer, LinearRecurrentLayer):
            raise TypeError(f"{name} must be a LinearRecurrentLayer, got {type(layer).__name__}")
    if (student.n_inputs, student.n_outputs) != (teacher.n_inputs, teacher.n_outputs):
        raise ValueError("student and teacher must have the same numbers of inputs and outputs")
    n_steps = as_int("n_steps", n_steps, minimum=1)
    lr = as_real("lr", lr, minimum=0)
    beta1 = as_real("beta1", beta1, minimum=0, maximum=1)
    beta2 = as_real("beta2", beta2, minimum=0, maximum=1)
    eps = as_real("eps", eps, minimum=0)
    if beta1 == 1 or beta2 == 1:
        raise ValueError("beta1 and beta2 must be < 1")
    if schedule not in ("constant", "cosine"):
        raise ValueError(f"schedule must be 'constant' or 'cosine', got {schedule!r}")
    progress = as_bool("progress", progress)
    rng = as_rng(rng)
    theta = student.flat()
    state = adam_state(theta.size)
    losses = np.empty(n_steps)
    layer = student
    from tqdm.auto import tqdm

    rate = lr
    for k in tqdm(range(n_steps), desc="Adam", disable=not progress, leave=False):
        x, y = teacher_batch(teacher, batch_size, seq_len, rng)
        loss, grads = layer.loss_and_grad(x, y)
        if not np.isfinite(loss):
            raise FloatingPointError(f"the loss diverged at step {k + 1}; lower lr (got {lr})")
        losses[k] = loss
        rate = lr if schedule == "constant" else cosine_rate(lr, k, n_steps)
        theta, state = adam_update(theta, layer.flatten_grads(grads), state, rate,
                                   beta1, beta2, eps)
        layer = layer.from_flat(theta)
    v_hat = state.v / (1 - beta2**state.step)
    slices = layer.parameter_slices()
    shapes = {name: a.shape for name, a in layer.params().items()}
    v_dict = {name: v_hat[s].reshape(shapes[name]) for name, s in slices.items()}
    eff = {name: rate / (np.sqrt(val) + eps) for name, val in v_dict.items()}
    return AdamResult(layer, losses, v_dict, eff)
