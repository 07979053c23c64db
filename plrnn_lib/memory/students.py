r"""Teacher and student: which linear recurrent network learns a long memory (chapter 12).

The experiment of Zucchet and Orvieto (2024, Fig. 3). A dense linear *teacher* with 10
hidden units, :math:`h_t = A h_{t-1} + B x_t`, :math:`y_t = C h_t + D x_t`, whose
eigenvalues lie on the ring :math:`[\nu_0, 1)` (:func:`~plrnn_lib.memory.linear_teacher`),
is imitated by a 64-unit *student* trained with Adam and a cosine schedule on
:math:`L = \frac{1}{2BTm}\sum (\hat y - y)^2`, with fresh i.i.d. Gaussian inputs each step.
As :math:`\nu_0 \to 1` the teacher's memory grows, and the students differ in how well
Adam copes with the sharp directions that long memory creates:

=======================  ==============================================================
``"rnn"``                dense :math:`A` (``n_heads`` > 1: block diagonal with that many
                         dense blocks, the "heads")
``"block_diagonal"``     2 x 2 real blocks (the real form of a complex diagonal layer)
``"more_neurons"``       the block-diagonal student with twice the units (as many real
                         state variables as the complex students)
``"complex_diagonal"``   :math:`\lambda \in \mathbb{C}^n`, no input normalisation
``"normalised_diagonal"``  the complex diagonal student with its input matrix started at
                         :math:`\gamma_i = \sqrt{1-|\lambda_i|^2}` times the usual one
``"lru"``                exponential parametrisation and a learned :math:`\gamma`
                         (Orvieto et al., 2023)
=======================  ==============================================================

:func:`train_student` trains one student; :func:`run_student_task` is one cell of the grid
(picklable, for :func:`plrnn_lib.parallel.run_tasks`), whose own seed makes its result
independent of where and in which chunk it runs.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .._checks import as_bool, as_int, as_real, as_rng
from .adam import adam_state, adam_update, cosine_rate, teacher_batch
from .layers import (LinearRecurrentLayer, block_diagonal_layer, complex_diagonal_layer,
                     dense_layer, linear_teacher, lru_layer, remapped_eigenvalue_matrix)

#: The students of the ablation, in the order of the paper's figure.
ARCHITECTURES = ("rnn", "block_diagonal", "more_neurons", "complex_diagonal",
                 "normalised_diagonal", "lru")

#: Largest eigenvalue modulus at initialisation of the ring-initialised students.
NU_MAX = 0.999


def make_student(architecture, nu0, *, n_hidden=64, n_heads=1, rng=None):
    r"""A student of the teacher-student task, initialised for memory :math:`\nu_0`.

    The dense student starts like the teacher with :math:`\nu_0 = 0` (eigenvalues on the
    ring :math:`[0, 1)`); with ``n_heads`` > 1 its :math:`A` is block diagonal, one dense
    block of ``n_hidden / n_heads`` units per head. The other students draw their
    eigenvalues uniformly on the ring :math:`\nu_0 \le |\lambda| \le 0.999`, as the LRU
    initialisation does (Orvieto et al., 2023; Zucchet and Orvieto, 2024).

    Parameters
    ----------
    architecture : str
        One of :data:`ARCHITECTURES`.
    nu0 : float
        In [0, 1).
    n_hidden : int
        Units (``"more_neurons"`` has twice as many).
    n_heads : int
        Only for ``"rnn"``; must divide ``n_hidden``.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    LinearRecurrentLayer
    """
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}")
    nu0 = as_real("nu0", nu0, minimum=0)
    if nu0 >= NU_MAX:
        raise ValueError(f"nu0 must be < {NU_MAX}, got {nu0}")
    n_hidden = as_int("n_hidden", n_hidden, minimum=2)
    n_heads = as_int("n_heads", n_heads, minimum=1)
    if n_hidden % n_heads:
        raise ValueError(f"n_heads must divide n_hidden={n_hidden}, got {n_heads}")
    if n_heads > 1 and architecture != "rnn":
        raise ValueError("n_heads > 1 is only defined for architecture 'rnn'")
    rng = as_rng(rng)
    ring = dict(nu_min=nu0, nu_max=NU_MAX, rng=rng)
    if architecture == "rnn":
        layer = dense_layer(n_hidden, rng=rng)
        if n_heads > 1:
            size = n_hidden // n_heads
            A = np.zeros((n_hidden, n_hidden))
            for h in range(n_heads):
                block = slice(h * size, (h + 1) * size)
                A[block, block] = remapped_eigenvalue_matrix(size, 0.0, math.pi, rng)
            layer = layer.replace(A=A)
        return layer
    if architecture in ("block_diagonal", "more_neurons"):
        units = 2 * n_hidden if architecture == "more_neurons" else n_hidden
        return block_diagonal_layer(units + units % 2, **ring)
    if architecture == "lru":
        return lru_layer(n_hidden, **ring)
    layer = complex_diagonal_layer(n_hidden, **ring)
    if architecture == "normalised_diagonal":
        p = layer.params()
        gamma = np.sqrt(1 - p["lam_re"] ** 2 - p["lam_im"] ** 2)[:, None]
        layer = layer.replace(B_re=gamma * p["B_re"], B_im=gamma * p["B_im"])
    return layer


def head_mask(layer, n_heads):
    r"""Which entries of a dense student's parameters train: :math:`A`'s diagonal blocks.

    A student with ``n_heads`` heads is a dense layer whose :math:`A` stays block diagonal
    (Zucchet and Orvieto, 2024): its gradient is zero outside the blocks, so Adam, which
    updates coordinate by coordinate, never moves those entries.

    Parameters
    ----------
    layer : LinearRecurrentLayer
        Of kind ``"dense"``.
    n_heads : int

    Returns
    -------
    ndarray of bool, shape (layer.n_parameters,)
        In the order of :meth:`LinearRecurrentLayer.flat`.
    """
    if not isinstance(layer, LinearRecurrentLayer) or layer.kind != "dense":
        raise TypeError("layer must be a dense LinearRecurrentLayer")
    n = layer.n_hidden
    n_heads = as_int("n_heads", n_heads, minimum=1)
    if n % n_heads:
        raise ValueError(f"n_heads must divide n_hidden={n}, got {n_heads}")
    size = n // n_heads
    head = np.arange(n) // size
    mask = np.ones(layer.n_parameters, bool)
    mask[layer.parameter_slices()["A"]] = (head[:, None] == head[None, :]).ravel()
    return mask


class StudentResult(NamedTuple):
    r"""What :func:`train_student` returns (Zucchet and Orvieto, 2024).

    Attributes
    ----------
    layer : LinearRecurrentLayer
        The trained student.
    losses : ndarray, shape (n_steps,)
        Batch loss before each step.
    final_loss : float
        Loss of the trained student on ``eval_sequences`` fresh sequences,
        :math:`\frac{1}{2BTm}\sum (\hat y - y)^2`.
    """

    layer: LinearRecurrentLayer
    losses: np.ndarray
    final_loss: float


def train_student(student, teacher, n_steps, *, lr=1e-3, batch_size=128, seq_len=300,
                  n_heads=1, eval_sequences=1024, rng=None, progress=True):
    r"""Train a student on a teacher with Adam and a cosine schedule.

    Step :math:`k = 0, \dots, K-1` draws a fresh batch, takes the exact gradient and an
    Adam step (:func:`~plrnn_lib.memory.adam_update`) with rate
    :math:`\eta_k = \eta\,\tfrac12(1 + \cos(\pi k / K))` (Zucchet and Orvieto, 2024;
    Kingma and Ba, 2015). A dense student with ``n_heads`` > 1 trains only its diagonal
    blocks (:func:`head_mask`).

    Parameters
    ----------
    student, teacher : LinearRecurrentLayer
    n_steps : int
    lr : float
        Peak learning rate :math:`\eta`.
    batch_size, seq_len : int
    n_heads : int
    eval_sequences : int
        Fresh sequences for the final loss.
    rng : None, int or numpy.random.Generator
    progress : bool
        Show a progress bar.

    Returns
    -------
    StudentResult
        The final loss is ``inf`` if training diverged (a non-finite loss).
    """
    for name, layer in (("student", student), ("teacher", teacher)):
        if not isinstance(layer, LinearRecurrentLayer):
            raise TypeError(f"{name} must be a LinearRecurrentLayer, got {type(layer).__name__}")
    if (student.n_inputs, student.n_outputs) != (teacher.n_inputs, teacher.n_outputs):
        raise ValueError("student and teacher must have the same numbers of inputs and outputs")
    n_steps = as_int("n_steps", n_steps, minimum=1)
    lr = as_real("lr", lr, minimum=0)
    batch_size = as_int("batch_size", batch_size, minimum=1)
    seq_len = as_int("seq_len", seq_len, minimum=1)
    eval_sequences = as_int("eval_sequences", eval_sequences, minimum=1)
    progress = as_bool("progress", progress)
    rng = as_rng(rng)
    mask = head_mask(student, n_heads) if n_heads > 1 else None
    theta = student.flat()
    state = adam_state(theta.size)
    losses = np.full(n_steps, np.inf)
    layer = student
    from tqdm.auto import tqdm

    for k in tqdm(range(n_steps), desc=f"Adam ({student.kind})", disable=not progress,
                  leave=False):
        x, y = teacher_batch(teacher, batch_size, seq_len, rng)
        loss, grads = layer.loss_and_grad(x, y)
        losses[k] = loss
        if not np.isfinite(loss):
            return StudentResult(layer, losses, math.inf)
        g = layer.flatten_grads(grads)
        if mask is not None:
            g = np.where(mask, g, 0.0)
        theta, state = adam_update(theta, g, state, cosine_rate(lr, k, n_steps))
        layer = layer.from_flat(theta)
    final = 0.0
    chunk = min(eval_sequences, 256)
    done = 0
    while done < eval_sequences:
        size = min(chunk, eval_sequences - done)
        x, y = teacher_batch(teacher, size, seq_len, rng)
        final += layer.loss(x, y) * size
        done += size
    final /= eval_sequences
    return StudentResult(layer, losses, float(final) if np.isfinite(final) else math.inf)


def task_key(task):
    """A string naming a grid cell (architecture, heads, nu0, learning rate, seed)."""
    return (f"{task['architecture']}|heads={task.get('n_heads', 1)}|nu0={task['nu0']:.4f}|"
            f"lr={task['lr']:.3e}|seed={task['seed']}|steps={task['n_steps']}|"
            f"batch={task['batch_size']}|T={task['seq_len']}")


def run_student_task(task, rng=None):
    r"""One cell of the teacher-student grid; a module-level function for ``run_tasks``.

    The teacher (:func:`~plrnn_lib.memory.linear_teacher`, 10 units, memory
    :math:`\nu_0`) depends only on ``(seed, nu0)``, so every architecture of one seed
    learns the same teacher; the student and the data come from ``(seed, nu0, cell)``.
    The runner's ``rng`` is ignored on purpose: a cell's result must not depend on which
    chunk of a resumed grid it runs in (Zucchet and Orvieto, 2024).

    Parameters
    ----------
    task : dict
        Keys ``architecture, nu0, lr, seed, n_steps, batch_size, seq_len`` and optionally
        ``n_heads`` (default 1) and ``n_hidden`` (default 64).
    rng : ignored

    Returns
    -------
    dict
        The task, its ``key``, ``final_loss`` and ``loss_curve`` (the batch loss at 51
        evenly spaced steps).
    """
    if not isinstance(task, dict):
        raise TypeError(f"task must be a dict, got {type(task).__name__}")
    needed = ("architecture", "nu0", "lr", "seed", "n_steps", "batch_size", "seq_len")
    missing = [k for k in needed if k not in task]
    if missing:
        raise ValueError(f"task is missing {missing}")
    seed = as_int("task['seed']", task["seed"], minimum=0)
    nu_code = int(round(float(task["nu0"]) * 10_000))
    teacher = linear_teacher(10, task["nu0"], rng=np.random.default_rng([seed, nu_code]))
    arch_code = ARCHITECTURES.index(task["architecture"]) if task["architecture"] in \
        ARCHITECTURES else 99
    own = np.random.default_rng([seed, nu_code, arch_code, int(task.get("n_heads", 1)),
                                 int(round(math.log10(task["lr"]) * 1000)) + 100_000])
    student = make_student(task["architecture"], task["nu0"], n_hidden=task.get("n_hidden", 64),
                           n_heads=task.get("n_heads", 1), rng=own)
    result = train_student(student, teacher, task["n_steps"], lr=task["lr"],
                           batch_size=task["batch_size"], seq_len=task["seq_len"],
                           n_heads=task.get("n_heads", 1), rng=own, progress=False)
    idx = np.unique(np.linspace(0, task["n_steps"] - 1, 51).round().astype(int))
    curve = result.losses[idx]
    return {**task, "key": task_key(task), "final_loss": result.final_loss,
            "loss_curve_steps": idx.tolist(),
            "loss_curve": [float(v) if np.isfinite(v) else None for v in curve]}
