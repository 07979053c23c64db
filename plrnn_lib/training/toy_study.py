"""Chapter 7's experiment: a 2-D student PLRNN trained on trajectories of the toy model.

The student is the toy model of Eisenmann et al. (2023) with its self-weights shifted,
``A = A_toy + (Δa11, Δa22)``; the data are trajectories of the toy model itself.  The
functions here are the tasks that ``scripts/toy_training.py`` runs at full size through
``plrnn_lib.parallel.run_tasks`` and that chapter 7 runs at reduced size, so both compute
exactly the same thing (a run is reproduced bit for bit from its task's generator).
"""
from __future__ import annotations

import warnings

import numpy as np

from ..models import toy_plrnn
from .gradients import loss_and_grad
from .jumps import detect_jumps, explain_jumps, segment_family
from .trainer import train

#: The experiment's settings, shared with chapter 7 (which runs a reduced version).
SETTINGS = dict(n_sequences=8, length=100, data_seed=1, n_epochs=400, learning_rate=0.01,
                start_low=(-0.6, -0.6), start_high=(-0.1, -0.05), max_order=20,
                all_learning_rate=0.005, all_noise=0.05, n_controls=20)


def teacher_data(settings=SETTINGS):
    """The training data: trajectories of the toy model from random initial states."""
    teacher = toy_plrnn()
    rng = np.random.default_rng(settings["data_seed"])
    return np.stack([teacher.simulate(rng.uniform(-1, 1, 2), settings["length"] - 1)
                     for _ in range(settings["n_sequences"])])


def landscape_row(task, rng):
    """log10 loss and gradient norm (w.r.t. a11, a22) along one row of the grid."""
    d1, values2, X = task
    teacher = toy_plrnn()
    a0 = np.array(teacher.params()["A"])
    out = np.full((2, len(values2)), np.inf)
    for j, d2 in enumerate(values2):
        with np.errstate(all="ignore"):
            value, g = loss_and_grad(teacher.replace(A=a0 + [d1, d2]), X)
        if np.isfinite(value):
            out[0, j] = np.log10(max(value, 1e-300))
            out[1, j] = np.log10(max(np.hypot(*g["A"]), 1e-300))
    return out


def training_run(task, rng):
    """One run from a random start; jumps, their bifurcations and a control sample."""
    which, X, s = task
    teacher = toy_plrnn()
    a0 = np.array(teacher.params()["A"])
    start = rng.uniform(s["start_low"], s["start_high"])
    model = teacher.replace(A=a0 + start)
    kwargs = dict(n_epochs=s["n_epochs"], batches_per_epoch=1, window=None, batch_size=None,
                  optimizer="adam", progress=False)
    if which == "diagonal":
        kwargs.update(freeze=("W", "h"), learning_rate=s["learning_rate"])
    else:
        p = teacher.params()
        model = model.replace(W=p["W"] + s["all_noise"] * rng.normal(size=(2, 2)),
                              h=p["h"] + s["all_noise"] * rng.normal(size=2))
        kwargs.update(learning_rate=s["all_learning_rate"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        hist = train(model, X, **kwargs)
    jumps = detect_jumps(hist.loss)
    explained = explain_jumps(hist, jumps, s["max_order"], before=2, after=1,
                              rng=int(rng.integers(2**31)))
    rows = []
    for ex in explained:
        events = sorted({(e, b.kind, int(b.order)) for e, b in ex.bifurcations})
        rows.append((ex.jump.index, ex.jump.ratio, events))
    near = set()
    for j in jumps:
        near.update(range(j.index - 3, j.index + 4))
    candidates = [e for e in range(1, hist.n_epochs + 1) if e not in near]
    controls = rng.choice(candidates, min(s["n_controls"], len(candidates)), replace=False)
    from ..bifurcations import sweep
    with_bif = 0
    for e in controls:
        res = sweep(segment_family(hist.model_at(e - 1), hist.model_at(e)),
                       np.linspace(0, 1, 5), s["max_order"], rng=0, n_jobs=1, progress=False)
        with_bif += bool(res.bifurcations)
    return dict(path=hist.parameter("A") - a0, loss=hist.loss, grad_norm=hist.grad_norm,
                jumps=rows, controls=len(controls), controls_with=with_bif)


