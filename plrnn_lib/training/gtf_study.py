r"""Chapter 8's experiments: training with and without generalized teacher forcing.

Two problems, each trained from the same starts with three forcing schemes:

- ``"none"``: no forcing (:math:`\alpha = 0`), the free-running loss of chapters 6 and 7;
- ``"gtf"``: adaptive GTF, :class:`~plrnn_lib.training.AdaptiveAlpha` (Hess et al., 2023);
- ``"stf"``: sparse teacher forcing every :math:`\tau` steps,
  :class:`~plrnn_lib.training.SparseForcing` (Mikhaeil et al., 2022).

The problems are the 2-D toy student of chapter 7 (Eisenmann et al., 2023) and the
Lorenz-63 system (Lorenz, 1963), simulated with SciPy, standardised and observed with noise,
learned by a shallow PLRNN.  :func:`training_run` is the task that
``scripts/gtf_training.py`` runs at full size through :func:`plrnn_lib.parallel.run_tasks`
and chapter 8 at reduced size: both compute the same thing from the task's generator.
Each run reports its loss curves, loss jumps, the forcing over training, the reconstruction
measures :math:`D_{stsp}` and :math:`D_H` of the freely running final model, and the cycles
SCYFI finds in it.
"""
from __future__ import annotations

import warnings

import numpy as np

from ..models import ShallowPLRNN, toy_plrnn
from .forcing import AdaptiveAlpha, SparseForcing, alpha_threshold
from .gradients import loss
from .jumps import detect_jumps
from .measures import power_spectrum_distance, state_space_divergence
from .trainer import train

#: The forcing schemes compared.
METHODS = ("none", "gtf", "stf")

#: Settings of the toy problem (chapter 7's student, all parameters trained).
TOY = dict(problem="toy", n_sequences=8, length=100, data_seed=1, n_epochs=400,
           learning_rate=0.005, noise=0.05, start_low=(-0.6, -0.6), start_high=(-0.1, -0.05),
           stf_interval=10, gtf_initial=0.0, gtf_interval=5, gtf_decay=0.999,
           eval_length=2000,
           max_order=20)

#: Settings of the Lorenz-63 problem (full size: ``scripts/gtf_training.py``).
LORENZ = dict(problem="lorenz", n_steps=20000, dt=0.01, obs_noise=0.05, data_seed=7,
              hidden=50, n_epochs=200, batches_per_epoch=25, window=200, batch_size=16,
              learning_rate=(1e-3, 1e-5), stf_interval=15, gtf_initial=1.0, gtf_interval=5,
              gtf_decay=0.999, eval_length=10000, eval_window=25, max_order=8)


def lorenz63(n_steps, *, dt=0.01, sigma=10.0, rho=28.0, beta=8.0 / 3.0, z0=(1.0, 1.0, 1.0),
             n_transient=1000):
    r"""A trajectory of the Lorenz-63 system, sampled every ``dt``.

    .. math:: \dot x = \sigma (y - x), \quad \dot y = x(\rho - z) - y, \quad
              \dot z = xy - \beta z

    (Lorenz, 1963), integrated with :func:`scipy.integrate.solve_ivp` (RK45, relative
    tolerance 1e-9); the first ``n_transient`` samples are dropped so the trajectory lies
    on the attractor.

    Returns
    -------
    ndarray, shape (n_steps, 3)
    """
    from scipy.integrate import solve_ivp

    def field(_, u):
        x, y, z = u
        return [sigma * (y - x), x * (rho - z) - y, x * y - beta * z]

    total = n_steps + n_transient
    t_eval = dt * np.arange(total)
    sol = solve_ivp(field, (0.0, t_eval[-1]), z0, t_eval=t_eval, rtol=1e-9, atol=1e-9)
    return sol.y.T[n_transient:]


def lorenz_data(settings=LORENZ):
    """Standardised Lorenz-63 data: (clean, noisy) arrays of shape (n_steps, 3).

    The clean series is the reference of the measures; the noisy one (Gaussian noise of
    ``obs_noise`` standard deviations) is what the models are trained on, as in the
    benchmark data of Hess et al. (2023).
    """
    x = lorenz63(settings["n_steps"], dt=settings["dt"])
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    rng = np.random.default_rng(settings["data_seed"])
    return x, x + settings["obs_noise"] * rng.standard_normal(x.shape)


def toy_data(settings=TOY):
    """Trajectories of the toy model from random initial states, (n_sequences, length, 2)."""
    teacher = toy_plrnn()
    rng = np.random.default_rng(settings["data_seed"])
    return np.stack([teacher.simulate(rng.uniform(-1, 1, 2), settings["length"] - 1)
                     for _ in range(settings["n_sequences"])])


def initial_shallow_plrnn(M, H, rng):
    r"""A random shallow PLRNN to start training from.

    :math:`a_m = 0.9`, :math:`W_1 \sim \mathcal N(0, 0.1^2/H)`, :math:`W_2 \sim \mathcal
    N(0, 1/M)`, :math:`h_1 = 0`, :math:`h_2 \sim U(-1, 1)`: a contracting start whose
    hidden units switch inside the standardised data's range.
    """
    return ShallowPLRNN(np.full(M, 0.9), rng.normal(0.0, 0.1 / np.sqrt(H), (M, H)),
                        rng.normal(0.0, 1.0 / np.sqrt(M), (H, M)), np.zeros(M),
                        rng.uniform(-1.0, 1.0, H))


def forcing_rule(method, settings):
    """The ``alpha`` argument of :func:`train` for a scheme of :data:`METHODS`."""
    if method == "none":
        return 0.0
    if method == "gtf":
        return AdaptiveAlpha(settings["gtf_initial"], interval=settings["gtf_interval"],
                             decay=settings["gtf_decay"])
    if method == "stf":
        return SparseForcing(settings["stf_interval"])
    raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def _free_run_loss(model, windows):
    with np.errstate(all="ignore"):
        value = loss(model, windows, 0.0)
    return value if np.isfinite(value) else np.inf


def _measures(model, reference, n_steps, start):
    """D_stsp and D_H of a free run of ``model`` against ``reference`` (inf if it diverges)."""
    N = reference.shape[1]
    z0 = np.zeros(model.M)
    z0[:N] = start
    with np.errstate(all="ignore"):
        run = model.simulate(z0, n_steps + 1000)[1001:, :N]
    if not np.all(np.isfinite(run)) or np.any(np.abs(run) > 1e6):
        return np.inf, 1.0, run[:0]
    d_stsp = state_space_divergence(reference, run)
    try:
        d_h = power_spectrum_distance(reference[:n_steps], run)
    except ValueError:           # a free run that settles on a point has no spectrum
        d_h = 1.0
    return d_stsp, d_h, run


def _cycles(model, max_order, seed):
    from ..cycles import find_cycles
    try:
        found = find_cycles(model, max_order, rng=seed)
    except ValueError:
        return []
    return sorted((int(c.order), bool(c.stable)) for c in found)


def training_run(task, rng):
    """One training run: ``task = (method, settings, data)``; returns a dict of results.

    ``data`` is ``toy_data(settings)`` for the toy problem and ``lorenz_data(settings)``
    for Lorenz-63.  The returned dict holds the training loss per epoch and the
    free-running loss on fixed evaluation windows, the detected loss jumps of both, the
    mean forcing strength per epoch (and the adaptive rule's record), Theorem 3's threshold
    of the final model, D_stsp and D_H of its free run, and the (order, stable) pairs of the
    cycles SCYFI finds in it.
    """
    method, s, data = task
    rule = forcing_rule(method, s)
    if s["problem"] == "toy":
        X = data
        teacher = toy_plrnn()
        p = teacher.params()
        start = rng.uniform(s["start_low"], s["start_high"])
        model = teacher.replace(A=p["A"] + start,
                                W=p["W"] + s["noise"] * rng.normal(size=(2, 2)),
                                h=p["h"] + s["noise"] * rng.normal(size=2))
        kwargs = dict(n_epochs=s["n_epochs"], batches_per_epoch=1, window=None,
                      batch_size=None, optimizer="adam", learning_rate=s["learning_rate"])
        eval_windows = X
        reference = teacher.simulate(X[0, -1], s["eval_length"] + 1000)[1001:]
        start_state = X[0, -1]
        seed = int(rng.integers(2**31))
    else:
        clean, noisy = data
        X = noisy[None]
        model = initial_shallow_plrnn(3, s["hidden"], rng)
        lr0, lr1 = s["learning_rate"]
        n_updates = s["n_epochs"] * s["batches_per_epoch"]
        kwargs = dict(n_epochs=s["n_epochs"], batches_per_epoch=s["batches_per_epoch"],
                      window=s["window"], batch_size=s["batch_size"], optimizer="radam",
                      learning_rate=lambda k: lr0 * (lr1 / lr0) ** (k / n_updates))
        w = s["eval_window"]
        starts = np.linspace(0, len(clean) - w, 64).astype(int)
        eval_windows = np.stack([clean[i:i + w] for i in starts])
        reference = clean[:s["eval_length"]]
        start_state = clean[0]
        seed = int(rng.integers(2**31))
    free_loss = []

    def record(epoch, history):
        free_loss.append(_free_run_loss(history.model, eval_windows))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        hist = train(model, X, alpha=rule, callbacks=(record,), progress=False,
                     seed=int(rng.integers(2**31)), **kwargs)
    final = hist.model
    d_stsp, d_h, run = _measures(final, reference, s["eval_length"], start_state)
    out = dict(method=method, loss=hist.loss, grad_norm=hist.grad_norm, alpha=hist.alpha,
               free_loss=np.array(free_loss), diverged_at=hist.diverged_at,
               jumps=[j.index for j in detect_jumps(hist.loss)],
               free_jumps=_jumps_of(np.array(free_loss)),
               threshold=alpha_threshold(final), d_stsp=d_stsp, d_h=d_h,
               cycles=_cycles(final, s["max_order"], seed),
               params=final.params(), free_run=run[:2000])
    if isinstance(rule, AdaptiveAlpha):
        out.update(gtf_updates=rule.updates, gtf_values=rule.values,
                   gtf_growth=rule.growth)
    return out


def _jumps_of(curve):
    """Jump epochs of a curve that may hold inf (a diverged free run): finite part only."""
    finite = np.isfinite(curve) & (curve > 0)
    if finite.sum() < 4:
        return []
    idx = np.flatnonzero(finite)
    return [int(idx[j.index]) for j in detect_jumps(curve[finite])]
