r"""Chapter 9's study: a shallow PLRNN trained with GTF on a neuron's membrane voltage.

Eisenmann et al. (2023, sect. 5) train a shallow PLRNN (M = 6, H = 20) with generalized
teacher forcing (:math:`\alpha = 0.07`; Hess et al., 2023) on the z-scored membrane voltage of
a cortical neuron, see a loss jump during training, and find with SCYFI that a stable
high-order cycle - the spiking - is born there.  This module holds the pieces of that
study that both ``scripts/neuron_training.py`` (full size) and chapter 9 (reduced size) use,
so the two compute the same thing:

- :func:`training_series`: the recording cut, downsampled and z-scored;
- :func:`initial_model`: the initialisation of the GTF reference code;
- :class:`ExponentialDecay`: the learning-rate schedule (picklable, so runs can resume);
- :class:`ChunkedRun`: the training loop in resumable chunks, every epoch's parameters kept;
- :func:`spike_times`, :func:`free_run`, :func:`attracting_cycle`,
  :func:`checkpoint_task`, :func:`analyse`: what the chapter measures on the recording and
  on the trained models (SCYFI at checkpoints, the free run's attractor);
- :func:`stored_results`: the stored full-size results.
"""
from __future__ import annotations

import pickle
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .._checks import as_float_array, as_int, as_real, as_rng
from ..models import ShallowPLRNN
from .optimizers import RAdam
from .recordings import load_membrane_recordings, prepare_series
from .trainer import train

#: The settings of the full-size run (``scripts/neuron_training.py``); the chapter runs a
#: reduced version with fewer epochs.
SETTINGS = dict(sweep="B6_IDRest_183", start=0.8, stop=2.7, downsample=3,
                M=6, H=20, alpha=0.07, batch_size=16, window=200, batches_per_epoch=10,
                clip_norm=50.0,
                learning_rate=1e-3, final_learning_rate=1e-5, n_epochs=10000,
                model_seed=0, train_seed=1, max_order=40)

#: Keys of :data:`SETTINGS` that only the analysis reads (a stored run may differ in them).
ANALYSIS_KEYS = ("max_order",)

_PARAMETER_NAMES = ("A", "W1", "W2", "h1", "h2")

#: The stored results of ``scripts/neuron_training.py`` that chapter 9 loads.
STORED_PATH = Path(__file__).resolve().parents[2] / "book" / "data" / "neuron_training.npz"


class NeuronSeries(NamedTuple):
    """The training series of chapter 9 and how it maps back to the recording.

    ``x`` (T, 1) is the z-scored voltage; ``mean_mV`` and ``sd_mV`` undo the z-scoring
    (:math:`v = \\bar v + s_v x`); ``step_seconds`` is the time between its samples;
    ``raw_mV`` and ``raw_step_seconds`` are the recording's cut before downsampling.
    """

    x: np.ndarray
    mean_mV: float
    sd_mV: float
    step_seconds: float
    raw_mV: np.ndarray
    raw_step_seconds: float


def training_series(settings=None, recordings=None) -> NeuronSeries:
    r"""The voltage of one sweep during the current step, downsampled and z-scored.

    The part of sweep ``settings['sweep']`` from ``start`` to ``stop`` seconds (inside the
    current step, after the first spikes' adaptation) is low-pass filtered and decimated by
    ``downsample`` (:func:`~plrnn_lib.training.prepare_series`), then z-scored,
    :math:`x_t = (v_{qt} - \bar v) / s_v`, as Eisenmann et al. (2023) train on the z-scored
    voltage.

    Parameters
    ----------
    settings : dict, optional
        Keys ``sweep``, ``start``, ``stop``, ``downsample`` (default :data:`SETTINGS`).
    recordings : MembraneRecordings, optional
        Default: the recordings shipped with the book.
    """
    s = SETTINGS if settings is None else settings
    rec = load_membrane_recordings() if recordings is None else recordings
    start = as_real("settings['start']", s["start"], minimum=0.0)
    stop = as_real("settings['stop']", s["stop"], minimum=start)
    q = as_int("settings['downsample']", s["downsample"], minimum=1)
    dt = rec.sampling_interval
    v = np.asarray(rec.sweep(s["sweep"]), dtype=float)
    i0, i1 = int(round(start / dt)), int(round(stop / dt))
    if i1 > v.size or i1 - i0 < 2 * q:
        raise ValueError(f"settings: start={start} and stop={stop} s do not cut a series "
                         f"from a sweep of {v.size * dt:.3g} s")
    raw = v[i0:i1]
    down = prepare_series(raw, downsample=q, zscore=False)[:, 0]
    mean, sd = float(down.mean()), float(down.std())
    return NeuronSeries(((down - mean) / sd)[:, None], mean, sd, q * dt, raw, dt)


def initial_model(M, H, rng=None) -> ShallowPLRNN:
    r"""A shallow PLRNN initialised as in the GTF reference code (Hess et al., 2023).

    :math:`A = \mathrm{diag}(K)` with :math:`K = (R^\top R / M + I) / \lambda_{\max}` for a
    standard normal :math:`R \in \mathbb{R}^{M \times M}` (a normalised positive definite
    matrix, Talathi and Vartak, 2016), so :math:`0 < a_m \le 1`;
    :math:`W_1 \sim U(-1/\sqrt H, 1/\sqrt H)`, :math:`W_2 \sim U(-1/\sqrt M, 1/\sqrt M)`
    entrywise, :math:`h_1 = 0`, :math:`h_2 = 0`.

    Parameters
    ----------
    M, H : int
        Latent and hidden units.
    rng : None, int or numpy.random.Generator
    """
    M = as_int("M", M, minimum=1)
    H = as_int("H", H, minimum=1)
    rng = as_rng(rng)
    R = rng.standard_normal((M, M))
    K = R.T @ R / M + np.eye(M)
    K /= np.max(np.abs(np.linalg.eigvalsh(K)))
    W1 = rng.uniform(-1.0, 1.0, size=(M, H)) / np.sqrt(H)
    W2 = rng.uniform(-1.0, 1.0, size=(H, M)) / np.sqrt(M)
    return ShallowPLRNN(np.diag(K).copy(), W1, W2, np.zeros(M), np.zeros(H))


class ExponentialDecay:
    r"""Learning rate decaying exponentially from ``start`` to ``end`` over ``n_steps``.

    .. math:: \eta_k = \eta_0 \, (\eta_{end} / \eta_0)^{\min(k / n, 1)}

    for update :math:`k = 1, 2, \dots`; the schedule of the GTF reference code (Hess et
    al., 2023: from :math:`10^{-3}` towards :math:`10^{-6}`).  A class rather than a
    closure so that an optimiser holding it can be pickled (resumable runs).
    """

    def __init__(self, start, end, n_steps):
        self.start = as_real("start", start, minimum=0.0)
        self.end = as_real("end", end, minimum=0.0)
        self.n_steps = as_int("n_steps", n_steps, minimum=1)
        if self.start == 0.0 or self.end == 0.0:
            raise ValueError("start and end must be positive learning rates")

    def __call__(self, step):
        fraction = min(step / self.n_steps, 1.0)
        return self.start * (self.end / self.start) ** fraction

    def __repr__(self):
        return f"ExponentialDecay({self.start:g}, {self.end:g}, {self.n_steps})"


def flatten_params(params) -> np.ndarray:
    """A shallow PLRNN's parameters as one vector (A, W1, W2, h1, h2 in this order)."""
    return np.concatenate([np.ravel(params[k]) for k in _PARAMETER_NAMES])


def unflatten_params(vector, M, H) -> dict:
    """The inverse of :func:`flatten_params` for a model with M latent and H hidden units."""
    shapes = {"A": (M,), "W1": (M, H), "W2": (H, M), "h1": (M,), "h2": (H,)}
    vector = as_float_array("vector", vector, ndim=1)
    size = sum(int(np.prod(s)) for s in shapes.values())
    if vector.size != size:
        raise ValueError(f"vector must have {size} entries for M={M}, H={H}, "
                         f"got {vector.size}")
    out, i = {}, 0
    for name in _PARAMETER_NAMES:
        n = int(np.prod(shapes[name]))
        out[name] = vector[i:i + n].reshape(shapes[name])
        i += n
    return out


class ChunkedRun:
    r"""A long GTF training run in chunks that can be stopped and resumed bit for bit.

    Each chunk is a call of :func:`~plrnn_lib.train` (exact BPTT of the GTF loss with
    :math:`\alpha` = ``settings['alpha']``, RAdam, random windows) that continues with the
    same optimiser object (its moments and step count, hence its learning-rate schedule)
    and the same window-drawing generator, so a run in chunks equals the run in one piece.
    After every chunk the state can be written to ``path`` (:meth:`save`) and read back
    (:meth:`load`); every epoch's parameters are kept (``params``, one row per epoch 0..n,
    float64) so SCYFI can be run on any checkpoint afterwards (Eisenmann et al., 2023, run
    it every 40 epochs around the jump).

    Parameters
    ----------
    series : array_like, shape (T, 1)
        The training series (:func:`training_series`).
    settings : dict, optional
        Default :data:`SETTINGS`.
    """

    def __init__(self, series, settings=None):
        s = dict(SETTINGS if settings is None else settings)
        self.settings = s
        self.series = as_float_array("series", series, ndim=2)
        M, H = as_int("settings['M']", s["M"], minimum=1), as_int("settings['H']", s["H"],
                                                                  minimum=1)
        if self.series.shape[1] > M:
            raise ValueError(f"series has {self.series.shape[1]} columns, more than M = {M}")
        self.model = initial_model(M, H, s["model_seed"])
        n_updates = s["n_epochs"] * s["batches_per_epoch"]
        self.optimizer = RAdam(ExponentialDecay(s["learning_rate"], s["final_learning_rate"],
                                                n_updates))
        self.rng = np.random.default_rng(s["train_seed"])
        self.loss, self.grad_norm = [], []
        self.params = [flatten_params(self.model.params())]
        self.seconds = 0.0
        self.message = "not started"
        self.diverged = False

    @property
    def n_epochs(self):
        """Epochs completed."""
        return len(self.loss)

    @property
    def done(self):
        """True when the run has its ``settings['n_epochs']`` epochs or has diverged."""
        return self.diverged or self.n_epochs >= self.settings["n_epochs"]

    def run(self, n_epochs, progress=False):
        """Train ``n_epochs`` more epochs (fewer if the run would pass its length)."""
        import time

        n_epochs = min(as_int("n_epochs", n_epochs, minimum=0),
                       self.settings["n_epochs"] - self.n_epochs)
        if n_epochs <= 0 or self.diverged:
            return self
        s = self.settings
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            hist = train(self.model, self.series, n_epochs=n_epochs,
                         batches_per_epoch=s["batches_per_epoch"], window=s["window"],
                         batch_size=s["batch_size"], optimizer=self.optimizer,
                         alpha=s["alpha"], clip_norm=s["clip_norm"], seed=self.rng,
                         progress=progress)
        self.seconds += time.perf_counter() - start
        self.loss.extend(hist.loss.tolist())
        self.grad_norm.extend(hist.grad_norm.tolist())
        self.params.extend(flatten_params(p) for p in hist.snapshots[1:])
        self.model = hist.model
        if hist.diverged_at is not None:
            self.diverged = True
            self.message = f"diverged in epoch {self.n_epochs + 1}"
        else:
            self.message = f"{self.n_epochs} epochs"
        return self

    def model_at(self, epoch) -> ShallowPLRNN:
        """The model after ``epoch`` epochs (0: the initial model)."""
        epoch = as_int("epoch", epoch, minimum=0, maximum=self.n_epochs)
        return self.model.replace(**unflatten_params(self.params[epoch],
                                                      self.settings["M"], self.settings["H"]))

    def save(self, path):
        """Write the run's state (a pickle; keep it out of the repository)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with open(tmp, "wb") as f:
            pickle.dump(self.__dict__, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)    # never leave a half-written state behind

    @classmethod
    def load(cls, path, settings=None):
        """Read a state written by :meth:`save`; ``settings`` (if given) must match it."""
        with open(path, "rb") as f:
            state = pickle.load(f)
        def training_part(d):
            return {k: v for k, v in d.items() if k not in ANALYSIS_KEYS}

        if settings is not None and training_part(state["settings"]) != \
                training_part(dict(settings)):
            raise ValueError(f"{path} holds a run with other settings: "
                             f"{state['settings']} (asked for {dict(settings)})")
        run = cls.__new__(cls)
        run.__dict__.update(state)
        if settings is not None:
            run.settings = dict(settings)
        return run


# -- what the chapter measures ----------------------------------------------------------------
def spike_times(v, *, threshold=0.0, refractory=2):
    r"""Indices where ``v`` crosses ``threshold`` upwards (spikes), at least ``refractory``
    samples apart.

    A spike is counted at the first sample :math:`t` with :math:`v_{t-1} < \theta \le v_t`;
    with the threshold at 0 mV (or a z-score well above rest) this is the usual spike
    detection of current-clamp recordings.

    Returns
    -------
    ndarray of int
    """
    v = as_float_array("v", v, ndim=1)
    threshold = as_real("threshold", threshold)
    refractory = as_int("refractory", refractory, minimum=1)
    up = np.flatnonzero((v[:-1] < threshold) & (v[1:] >= threshold)) + 1
    kept = []
    for t in up:
        if not kept or t - kept[-1] >= refractory:
            kept.append(int(t))
    return np.array(kept, dtype=int)


def free_run(model, x0, n_steps, *, n_transient=0):
    r"""The model's free-running voltage :math:`z_{t,1}` from :math:`z_1 = (x_0, 0, \dots, 0)`.

    The first latent unit is the observed voltage (identity observation model), the others
    start at 0 as in the GTF loss (Hess et al., 2023).  Returns ``n_steps`` values after
    ``n_transient`` discarded steps; orbits that leave every bound give ``inf``.
    """
    n_steps = as_int("n_steps", n_steps, minimum=1)
    n_transient = as_int("n_transient", n_transient, minimum=0)
    x0 = as_real("x0", x0)
    z0 = np.zeros(model.M)
    z0[0] = x0
    with np.errstate(all="ignore"):
        traj = model.simulate(z0, n_transient + n_steps - 1)[n_transient:, 0]
    return np.where(np.isfinite(traj), traj, np.inf)


class CycleRecord(NamedTuple):
    """Cycles of one checkpoint, as stored: one row per cycle, voltages concatenated.

    ``orders[i]``, ``stable[i]``, ``radius[i]`` (spectral radius of its k-step Jacobian);
    the voltages :math:`z_1` of cycle i's points are ``voltages[offsets[i]:offsets[i+1]]``.
    """

    orders: np.ndarray
    stable: np.ndarray
    radius: np.ndarray
    voltages: np.ndarray
    offsets: np.ndarray


def cycle_table(cycles) -> CycleRecord:
    """Flatten a CycleSet (or sequence of Cycles) into a :class:`CycleRecord`."""
    cycles = list(cycles)
    orders = np.array([c.order for c in cycles], dtype=int)
    offsets = np.concatenate([[0], np.cumsum(orders)]).astype(int)
    volts = (np.concatenate([c.points[:, 0] for c in cycles]) if cycles
             else np.zeros(0))
    return CycleRecord(orders, np.array([bool(c.stable) for c in cycles], dtype=bool),
                       np.array([c.spectral_radius for c in cycles], dtype=float),
                       volts, offsets)


def training_task(task, rng):
    r"""One full training run, resumable: a task for :func:`plrnn_lib.parallel.run_tasks`.

    ``task`` is ``(settings, state_path, chunk_epochs)``.  The run continues from the state
    at ``state_path`` when there is one (same settings), trains in chunks of
    ``chunk_epochs`` epochs and saves its state after each, so an interrupted run picks up
    where it stopped and ends exactly as an uninterrupted one (:class:`ChunkedRun`).  The
    generator ``rng`` is not used: the settings' seeds fix the run.  Returns the path.
    """
    settings, state_path, chunk = task
    state_path = Path(state_path)
    if state_path.is_file():
        run = ChunkedRun.load(state_path, settings)
    else:
        run = ChunkedRun(training_series(settings).x, settings)
    while not run.done:
        run.run(chunk)
        run.save(state_path)
        print(f"{run.message}: loss {run.loss[-1]:.4f}, {run.seconds:.0f} s", flush=True)
    return str(state_path)


def attractor_period(model, x0, *, n_transient=4000, max_period=400, tol=1e-9):
    r"""The period of the attractor that the free run from :math:`(x_0, 0, \dots, 0)` reaches.

    After ``n_transient`` steps, the smallest :math:`k \le` ``max_period`` with
    :math:`\lVert z_{T-k} - z_T \rVert_\infty \le tol\,(1 + \lVert z_T \rVert_\infty)` is the
    period (a piecewise-linear map reaches a stable cycle geometrically fast, so after the
    transient its points repeat to rounding).  Returns ``(k, points)`` with the orbit's last
    k points (k, M), or ``(0, None)`` when no period up to ``max_period`` shows (a longer
    cycle, a quasi-periodic or chaotic attractor) or the orbit diverges.
    """
    n_transient = as_int("n_transient", n_transient, minimum=1)
    max_period = as_int("max_period", max_period, minimum=1)
    z0 = np.zeros(model.M)
    z0[0] = as_real("x0", x0)
    with np.errstate(all="ignore"):
        traj = model.simulate(z0, n_transient + max_period)
    if not np.all(np.isfinite(traj[-max_period - 1:])):
        return 0, None
    last = traj[-1]
    scale = tol * (1.0 + np.max(np.abs(last)))
    for k in range(1, max_period + 1):
        if np.max(np.abs(traj[-1 - k] - last)) <= scale:
            return k, traj[len(traj) - k:]
    return 0, None


def attracting_cycle(model, x0, **kwargs):
    r"""The stable cycle that the free run from :math:`(x_0, 0, \dots)` settles on, exactly.

    :func:`attractor_period` gives the period k and the orbit's last k points; their linear
    regions seed SCYFI at order k (:func:`~plrnn_lib.find_cycles` with ``seeds``), which
    solves :math:`(I - P) z = c` for that region sequence (Eisenmann et al., 2023), so the
    cycle's points are exact rather than a simulation's approximation.  Returns the
    :class:`~plrnn_lib.Cycle`, or None when the orbit is not periodic up to
    ``max_period``.
    """
    from ..cycles import find_cycles

    k, points = attractor_period(model, x0, **kwargs)
    if k == 0:
        return None
    regions = np.array([model.region(p) for p in points])
    found = find_cycles(model, k, min_order=k, seeds=[regions], outer_loops=0, rng=0)
    for c in found:
        if c.order == k and np.allclose(np.sort(c.points[:, 0]), np.sort(points[:, 0]),
                                        atol=1e-6 * (1 + np.max(np.abs(points)))):
            return c
    return None


def checkpoint_epochs(n_epochs, jump_epoch, *, every=500, around=30, step=3):
    """Epochs at which the study runs SCYFI: every ``every`` epochs, every ``step`` epochs
    within ``around`` of the jump, and the last epoch; sorted, without repeats."""
    epochs = set(range(0, n_epochs + 1, every)) | {n_epochs}
    if jump_epoch is not None:
        lo, hi = max(0, jump_epoch - around), min(n_epochs, jump_epoch + around)
        epochs |= set(range(lo, hi + 1, step)) | {jump_epoch - 1, jump_epoch}
    return np.array(sorted(e for e in epochs if 0 <= e <= n_epochs), dtype=int)


def checkpoint_task(task, rng):
    r"""SCYFI and the free run's attractor at one checkpoint (a task for ``run_tasks``).

    ``task`` is ``(params, max_order, x0)``.  SCYFI searches orders 1..``max_order`` over
    the shallow PLRNN's pool of sampled regions with ``outer_loops=5``,
    ``inner_loops=200`` (lighter than the reference counts, which a search of 40 orders at
    many checkpoints cannot afford on two cores), and the attracting cycle of the free run
    from :math:`(x_0, 0, \dots)` (:func:`attracting_cycle`) is added when SCYFI missed it
    or it lies beyond ``max_order``.  Returns ``(CycleRecord, attractor period or 0)``.
    """
    from ..cycles import find_cycles

    params, max_order, x0 = task
    model = ShallowPLRNN(**params)
    cycles = list(find_cycles(model, max_order, rng=rng, outer_loops=5, inner_loops=200))
    attracting = attracting_cycle(model, x0)
    if attracting is not None and not any(attracting.same_as(c) for c in cycles):
        cycles.append(attracting)
    period = 0 if attracting is None else attracting.order
    return cycle_table(cycles), period


def main_jump(loss, **rule):
    """The detected loss jump (:func:`~plrnn_lib.training.detect_jumps`) with the largest
    factor of change, or None."""
    from .jumps import detect_jumps

    jumps = detect_jumps(loss, **rule)
    if not jumps:
        return None
    return max(jumps, key=lambda j: abs(np.log(j.ratio)))


def analyse(state_path, out_path, settings=None, *, machine="", n_jobs=None,
            scheduler=None, progress=True):
    """Stage 2 of ``scripts/neuron_training.py``: jumps, SCYFI at checkpoints, stored file.

    Writes ``out_path`` (.npz) with the loss curve, the detected jumps, the parameters and
    the cycles (orders, stability, spectral radii, voltages) at every checkpoint, the final
    model's attracting cycle in full, and the wall times.
    """
    import time

    from ..parallel import run_tasks
    from .jumps import detect_jumps

    s = dict(SETTINGS if settings is None else settings)
    run = ChunkedRun.load(state_path, s)
    x = training_series(s).x
    loss = np.asarray(run.loss)
    jumps = detect_jumps(loss)
    jump = main_jump(loss)
    epochs = checkpoint_epochs(run.n_epochs, None if jump is None else jump.index)
    start = time.perf_counter()
    tasks = [(run.model_at(int(e)).params(), s["max_order"], float(x[0, 0])) for e in epochs]
    results = run_tasks(checkpoint_task, tasks, seed=2023, n_jobs=n_jobs,
                        scheduler=scheduler, progress=progress, desc="SCYFI at checkpoints")
    seconds = time.perf_counter() - start
    final = run.model_at(run.n_epochs)
    final_cycle = attracting_cycle(final, float(x[0, 0]))
    table = {k: [] for k in ("orders", "stable", "radius", "offsets", "voltages")}
    owner, n_points = [], 0
    for i, (rec, _) in enumerate(results):
        owner.extend([i] * len(rec.orders))
        table["orders"].append(rec.orders)
        table["stable"].append(rec.stable)
        table["radius"].append(rec.radius)
        table["voltages"].append(rec.voltages)
        table["offsets"].append(rec.offsets[:-1] + n_points)
        n_points += rec.voltages.size
    cat = {k: np.concatenate(v) if v else np.zeros(0) for k, v in table.items()}
    params = np.stack([run.params[int(e)] for e in epochs])
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out, settings=np.array(repr(s)), loss=loss, grad_norm=np.asarray(run.grad_norm),
        jump_index=np.array([j.index for j in jumps], dtype=int),
        jump_ratio=np.array([j.ratio for j in jumps]),
        checkpoint_epochs=epochs, checkpoint_params=params,
        checkpoint_period=np.array([p for _, p in results], dtype=int),
        cycle_checkpoint=np.array(owner, dtype=int), cycle_order=cat["orders"].astype(int),
        cycle_stable=cat["stable"].astype(bool), cycle_radius=cat["radius"],
        cycle_offset=cat["offsets"].astype(int), cycle_voltage=cat["voltages"],
        final_cycle_points=(np.zeros((0, s["M"])) if final_cycle is None
                            else final_cycle.points),
        final_cycle_regions=(np.zeros((0, s["H"]), dtype=bool) if final_cycle is None
                             else final_cycle.regions),
        training_seconds=run.seconds, scyfi_seconds=seconds, machine=machine)
    print(f"wrote {out}: {len(epochs)} checkpoints, jumps at {[j.index for j in jumps]}, "
          f"final attracting cycle of order "
          f"{0 if final_cycle is None else final_cycle.order}; SCYFI {seconds:.0f} s")
    return out


def stored_results(path=None, *, seed=0) -> dict:
    r"""The stored results of ``scripts/neuron_training.py`` as a dict of arrays.

    ``settings`` is the settings dict of the run (stored as its ``repr``); the other keys
    are those :func:`analyse` writes: the loss :math:`L_e` per epoch, the jumps, the
    checkpoints' parameters and cycles (Eisenmann et al., 2023, Fig. 8 analyses one such
    run), the final attracting cycle and the wall times.
    """
    import ast

    if path is None:
        seed = as_int("seed", seed, minimum=0)
        path = STORED_PATH if seed == 0 else STORED_PATH.with_name(
            f"{STORED_PATH.stem}_seed{seed}{STORED_PATH.suffix}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path: no stored results at {path}; run "
                                "scripts/neuron_training.py")
    with np.load(path, allow_pickle=False) as f:
        data = {k: f[k] for k in f.files}
    data["settings"] = ast.literal_eval(str(data["settings"]))
    return data
