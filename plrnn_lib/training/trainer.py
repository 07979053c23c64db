"""Training a PLRNN by BPTT: random windows, an optimiser, teacher forcing, a history.

:func:`train` is the one training loop of Parts III and IV of the book.  It is kept small and
open: the forcing strength is a number or a *forcing rule* (any callable, see
:func:`train`), so later chapters can plug in adaptive GTF or sparse forcing without a new
loop, and every epoch leaves a parameter snapshot in the :class:`TrainingHistory`, on which
SCYFI or the bifurcation tools can be run afterwards (``history.model_at(epoch)``).
"""
from __future__ import annotations

import warnings

import numpy as np
from tqdm.auto import tqdm

from .._checks import as_bool, as_float_array, as_int, as_real, as_rng
from .gradients import _check_model, _raw_loss_and_grad, as_forcing, gradient_norm
from .optimizers import make_optimizer


class TrainingHistory:
    r"""What a training run leaves behind: per-epoch loss, gradient norm and parameters.

    The loss is the GTF loss :math:`L(\theta_e)` of :func:`loss_and_grad` and the gradient
    norm :math:`\lVert\nabla_\theta L\rVert_2` over the trained entries; loss jumps in it
    are where bifurcations of the model happen (Eisenmann et al., 2023), which is why every
    epoch's parameters :math:`\theta_e` are kept for SCYFI.

    Attributes
    ----------
    loss : ndarray, shape (n_epochs,)
        Mean training loss of the batches of each epoch (each computed before its update).
    grad_norm : ndarray, shape (n_epochs,)
        Mean Euclidean norm of the gradient of the trained entries, before clipping.
    alpha : ndarray, shape (n_epochs,)
        Mean forcing strength used in each epoch (averaged over the steps of a window
        when the strength varies with the step, as in sparse teacher forcing).
    forcing : float, ndarray or callable
        The ``alpha`` passed to :func:`train`; a forcing rule such as
        :class:`~plrnn_lib.training.AdaptiveAlpha` keeps its own per-update record.
    snapshots : list of dict
        ``snapshots[e]`` holds the parameters after epoch ``e`` (``snapshots[0]``: the start).
    model : PLRNN or ShallowPLRNN
        The model after the last completed update.
    diverged_at : int or None
        The epoch in which the run diverged (loss or gradient not finite, or above
        ``max_loss``); the history then ends before it.
    message : str
        How the run ended.
    """

    def __init__(self, model):
        self._template = model
        self.model = model
        self.snapshots = [model.params()]
        self._loss, self._grad_norm, self._alpha = [], [], []
        self.diverged_at = None
        self.message = "not run"
        self.optimizer = None
        self.forcing = None

    @property
    def loss(self):
        """Mean training loss per epoch (epochs 1..n)."""
        return np.array(self._loss)

    @property
    def grad_norm(self):
        """Mean gradient norm per epoch (epochs 1..n)."""
        return np.array(self._grad_norm)

    @property
    def alpha(self):
        """Mean forcing strength per epoch (epochs 1..n)."""
        return np.array(self._alpha)

    @property
    def n_epochs(self):
        """Number of completed epochs."""
        return len(self._loss)

    @property
    def epochs(self):
        """Epoch numbers 1..n, aligned with :attr:`loss` and :attr:`grad_norm`."""
        return np.arange(1, self.n_epochs + 1)

    def model_at(self, epoch):
        """The model after ``epoch`` epochs (0: the initial model)."""
        epoch = as_int("epoch", epoch, minimum=0, maximum=self.n_epochs)
        return self._template.replace(**self.snapshots[epoch])

    def parameter(self, name):
        """One parameter over training, stacked: shape ``(n_epochs + 1, *shape)``."""
        if name not in self.snapshots[0]:
            raise ValueError(f"name must be one of {', '.join(self.snapshots[0])}, got {name!r}")
        return np.stack([s[name] for s in self.snapshots])

    def __repr__(self):
        return f"TrainingHistory(n_epochs={self.n_epochs}, message={self.message!r})"


def _as_sequences(name, data, n_units=None):
    arr = as_float_array(name, data, ndim=(2, 3))
    if arr.ndim == 2:
        arr = arr[None]
    if arr.shape[0] == 0 or arr.shape[1] == 0 or arr.shape[2] == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if n_units is not None and arr.shape[2] != n_units:
        raise ValueError(f"{name} must have {n_units} columns, got shape {arr.shape}")
    return arr


def _trainable_masks(model, freeze, mask):
    params = model.params()
    if isinstance(freeze, str):
        freeze = (freeze,)
    freeze = tuple(freeze)
    for name in freeze:
        if name not in params:
            raise ValueError(f"freeze names unknown parameter {name!r}; the parameters are "
                             f"{', '.join(params)}")
    masks = {name: np.ones(p.shape, dtype=bool) for name, p in params.items()
             if name not in freeze}
    if mask is not None:
        if not isinstance(mask, dict):
            raise TypeError("mask must be a dict {parameter name: bool array of its shape}")
        for name, m in mask.items():
            if name not in params:
                raise ValueError(f"mask names unknown parameter {name!r}; the parameters are "
                                 f"{', '.join(params)}")
            m = np.asarray(m)
            if m.dtype != bool or m.shape != params[name].shape:
                raise ValueError(f"mask[{name!r}] must be a bool array of shape "
                                 f"{params[name].shape}, got {m.dtype} {m.shape}")
            if name in masks:
                masks[name] = masks[name] & m
    masks = {k: v for k, v in masks.items() if v.any()}
    if not masks:
        raise ValueError("freeze and mask leave no parameter to train")
    return masks


def train(model, data, *, n_epochs=100, batches_per_epoch=10, window=200, batch_size=16,
          optimizer="adam", learning_rate=None, alpha=0.0, clip_norm=None, freeze=(),
          mask=None, inputs=None, seed=None, max_loss=1e10, callbacks=(), progress=True,
          resume=None):
    r"""Train a PLRNN or shallow PLRNN on observed sequences by BPTT.

    Every update draws ``batch_size`` random windows of ``window`` time steps from ``data``,
    evaluates :func:`loss_and_grad`, the exact BPTT gradient of the GTF loss
    (Hess et al., 2023; Eisenmann et al., 2023)

    .. math:: L = \frac{1}{B(T-1)N}\sum_b\sum_{t\ge2}\lVert z_{t,1:N}-x_t\rVert^2,
              \quad z_t = F(\tilde z_{t-1}),\quad
              \tilde z_{t,1:N} = (1-\alpha) z_{t,1:N} + \alpha x_t,

    optionally clips the gradient to norm ``clip_norm`` (:math:`g \leftarrow g\,
    \min(1, c/\lVert g\rVert)`, Pascanu et al., 2013), and lets the optimiser update the
    trained entries.

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
        The initial model (not modified; models are immutable).
    data : array_like, shape (T, N) or (S, T, N)
        One sequence or S sequences of N <= M observed units.
    n_epochs, batches_per_epoch : int
        The run makes ``n_epochs * batches_per_epoch`` updates; the history records epochs.
    window, batch_size : int or None
        Length (>= 2, at most T) and number of the random windows of each batch.
        ``window=None`` uses whole sequences and ``batch_size=None`` every sequence once
        (with both None every update is a deterministic full-batch step).
    optimizer : {'adam', 'radam', 'gd'} or Optimizer
    learning_rate : float or callable, optional
        For an optimizer given by name (its default otherwise).
    alpha : float, array_like of shape (window,), or callable
        Forcing strength in [0, 1], one per step of a window, or a forcing rule
        ``alpha(model, X, update)`` returning either, called before every update with the
        current model, the batch (B, window, N) and the update number (0, 1, ...): the
        hook for adaptive GTF (:class:`~plrnn_lib.training.AdaptiveAlpha`) and sparse
        teacher forcing (:class:`~plrnn_lib.training.SparseForcing`).
    clip_norm : float, optional
        Rescale a gradient whose norm exceeds this value to this norm.
    freeze : str or sequence of str
        Names of parameters (keys of ``model.params()``) to keep fixed.
    mask : dict, optional
        ``{name: bool array}``: train only the True entries of a parameter (e.g.
        ``{'A': [True, True]}, freeze=('W', 'h')`` trains only the diagonal of A).
    inputs : array_like, shape (T, K) or (S, T, K), optional
        External inputs aligned with ``data`` (PLRNN with C).
    seed : int, optional
        Seed of the window draws.
    max_loss : float
        A loss above this (or a non-finite loss or gradient) stops the run as diverged.
    callbacks : sequence of callables
        ``callback(epoch, history)`` after every epoch; a callback that returns True stops
        the run.
    progress : bool
        Show a progress bar over the epochs.
    resume : TrainingHistory, optional
        Continue that run (its model and optimiser state); its history is extended and
        returned. ``model`` must then be ``resume.model``.

    Returns
    -------
    TrainingHistory
        Also returned when the run diverges; a RuntimeWarning then names the epoch.
    """
    _check_model(model)
    seqs = _as_sequences("data", data)
    S, T, N = seqs.shape
    if N > model.M:
        raise ValueError(f"data must observe at most M = {model.M} units, got {N} columns")
    n_epochs = as_int("n_epochs", n_epochs, minimum=0)
    batches_per_epoch = as_int("batches_per_epoch", batches_per_epoch, minimum=1)
    full_batch = batch_size is None
    window = T if window is None else as_int("window", window, minimum=2)
    if window > T:
        raise ValueError(f"window must be at most the sequence length {T} of data, got "
                         f"{window}")
    batch_size = S if full_batch else as_int("batch_size", batch_size, minimum=1)
    if inputs is not None:
        if getattr(model, "C", None) is None:
            raise ValueError("inputs were given but the model has no input matrix C")
        ins = _as_sequences("inputs", inputs, model.K)
        if ins.shape[:2] != (S, T):
            raise ValueError(f"inputs must cover the same sequences and steps as data "
                             f"{(S, T)}, got shape {ins.shape}")
    else:
        ins = None
    if callable(alpha):
        forcing = alpha
    else:
        fixed = as_forcing(alpha, window)
        forcing = None
    if clip_norm is not None:
        clip_norm = as_real("clip_norm", clip_norm, minimum=0.0)
        if clip_norm == 0.0:
            raise ValueError("clip_norm must be positive")
    max_loss = as_real("max_loss", max_loss, minimum=0.0)
    if callable(callbacks):
        callbacks = (callbacks,)
    callbacks = tuple(callbacks)
    if not all(callable(c) for c in callbacks):
        raise TypeError("callbacks must be callables callback(epoch, history)")
    progress = as_bool("progress", progress)
    masks = _trainable_masks(model, freeze, mask)
    rng = as_rng(seed)

    if resume is not None:
        if not isinstance(resume, TrainingHistory):
            raise TypeError("resume must be a TrainingHistory")
        if resume.model is not model:
            raise ValueError("resume: pass resume.model as model to continue that run")
        history = resume
        opt = resume.optimizer
        if opt is None or learning_rate is not None or not isinstance(optimizer, str):
            opt = make_optimizer(optimizer, learning_rate)
    else:
        history = TrainingHistory(model)
        opt = make_optimizer(optimizer, learning_rate)
    history.optimizer = opt
    history.forcing = alpha
    first_epoch = history.n_epochs + 1
    update = (first_epoch - 1) * batches_per_epoch

    history.message = f"completed {n_epochs} epochs"
    bar = tqdm(range(first_epoch, first_epoch + n_epochs), desc="training",
               disable=not progress, leave=False)
    for epoch in bar:
        losses, norms, alphas = [], [], []
        for _ in range(batches_per_epoch):
            seq = np.arange(S) if full_batch else rng.integers(0, S, size=batch_size)
            start = rng.integers(0, T - window + 1, size=batch_size)
            idx = start[:, None] + np.arange(window)
            X = seqs[seq[:, None], idx]
            s = ins[seq[:, None], idx] if ins is not None else None
            a = fixed if forcing is None else as_forcing(forcing(model, X, update), window,
                                                         "alpha(model, X, update)")
            loss, grads = _raw_loss_and_grad(model, X, a, s)
            grads = {k: grads[k] * m for k, m in masks.items()}
            norm = gradient_norm(grads)
            if not (np.isfinite(loss) and loss <= max_loss and np.isfinite(norm)):
                history.diverged_at = epoch
                history.message = (f"training diverged in epoch {epoch} (update {update}): "
                                   f"loss {loss:.3g}, gradient norm {norm:.3g}; the history "
                                   f"keeps epochs 0..{epoch - 1}")
                warnings.warn(history.message, RuntimeWarning, stacklevel=2)
                bar.close()
                return history
            if clip_norm is not None and norm > clip_norm:
                grads = {k: g * (clip_norm / norm) for k, g in grads.items()}
            new = opt.step(model.params(), grads)
            params = model.params()
            new = {k: np.where(masks[k], v, params[k]) for k, v in new.items()}
            model = model.replace(**new)
            losses.append(loss)
            norms.append(norm)
            alphas.append(a[1:].mean())
            update += 1
        history.model = model
        history.snapshots.append(model.params())
        history._loss.append(float(np.mean(losses)))
        history._grad_norm.append(float(np.mean(norms)))
        history._alpha.append(float(np.mean(alphas)))
        if progress:
            bar.set_postfix(loss=f"{history._loss[-1]:.4g}")
        if any(bool(cb(epoch, history)) for cb in callbacks):
            history.message = f"stopped by a callback after epoch {epoch}"
            break
    bar.close()
    return history
