"""Chapter 9 at full size: a shallow PLRNN trained with GTF on a neuron's membrane voltage.

Stage 1 trains the model of ``plrnn_lib.training.neuron_study.SETTINGS`` (M = 6, H = 20,
alpha = 0.07, RAdam, batches of 16 windows of 200 steps) in resumable chunks; its state,
with every epoch's parameters, lives in ``_build/neuron_training/`` (not in the
repository).  Run the script again after an interruption and it continues where it
stopped.  Stage 2 detects the loss jumps, runs SCYFI on checkpoints along training (coarse
over the whole run, every few epochs around the largest jump, and at the end) and writes
the small results the chapter loads to ``book/data/neuron_training.npz`` (model seed 0)
and ``book/data/neuron_training_seed1.npz`` (seed 1, and so on).

Training runs and checkpoint searches are tasks for ``plrnn_lib.parallel.run_tasks``
(local processes by default, a dask cluster with ``--scheduler ADDRESS``).  Usage::

    python scripts/neuron_training.py                  # train (resumes), then analyse
    python scripts/neuron_training.py --epochs 300 --state /tmp/s.pkl --out /tmp/n.npz
"""
from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from plrnn_lib.parallel import run_tasks
from plrnn_lib.training import neuron_study as ns

ROOT = Path(__file__).resolve().parents[1]


def state_path(path, seed):
    """The state file of the run from model seed ``seed`` (seed 0: ``path`` itself)."""
    return path if seed == 0 else path.with_name(f"{path.stem}_seed{seed}{path.suffix}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None,
                        help="override the number of epochs (a smaller trial)")
    parser.add_argument("--chunk", type=int, default=500, help="epochs between saves")
    parser.add_argument("--state", type=Path,
                        default=ROOT / "_build" / "neuron_training" / "state.pkl")
    parser.add_argument("--out", type=Path, default=ROOT / "book" / "data" /
                        "neuron_training.npz")
    parser.add_argument("--seeds", type=int, default=2,
                        help="runs from model seeds 0, 1, ... (each analysed)")
    parser.add_argument("--train-only", action="store_true")
    parser.add_argument("--jobs", type=int, default=None, help="local worker processes")
    parser.add_argument("--scheduler", default=None, help="dask scheduler address")
    args = parser.parse_args()

    settings = dict(ns.SETTINGS)
    if args.epochs is not None:
        settings["n_epochs"] = args.epochs
    opts = dict(n_jobs=args.jobs, scheduler=args.scheduler)
    start = time.perf_counter()
    tasks = [(dict(settings, model_seed=seed), str(state_path(args.state, seed)), args.chunk)
             for seed in range(args.seeds)]
    run_tasks(ns.training_task, tasks, seed=0, desc="training", **opts)
    print(f"training stage: {time.perf_counter() - start:.0f} s")
    if args.train_only:
        return
    for seed in range(args.seeds):
        out = args.out if seed == 0 else args.out.with_name(
            f"{args.out.stem}_seed{seed}{args.out.suffix}")
        ns.analyse(state_path(args.state, seed), out, dict(settings, model_seed=seed),
                   machine=platform.machine(), **opts)


if __name__ == "__main__":
    main()
