"""Chapter 8 at full size: training with and without generalized teacher forcing.

Trains, for each of ``--seeds`` seeds, the toy student of chapter 7 and a shallow PLRNN on
Lorenz-63 data with three forcing schemes (none, adaptive GTF, sparse teacher forcing every
tau steps; settings in ``plrnn_lib.training.gtf_study``), and stores per run in
``book/data/gtf_training.npz``: the training loss and the free-running loss per epoch, the
mean forcing strength per epoch, the detected loss jumps, D_stsp and D_H of the free-running
final model, Theorem 3's threshold for it, the cycles SCYFI finds in it, and the first 2,000
steps of its free run (Lorenz only; the toy's are recomputed from the stored parameters).

Runs are independent tasks for ``plrnn_lib.parallel.run_tasks``: local processes by
default, a dask cluster with ``--scheduler ADDRESS``.  Usage::

    python scripts/gtf_training.py                         # 5 seeds, both problems
    python scripts/gtf_training.py --seeds 2 --epochs 20 --out /tmp/small.npz
"""
from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from plrnn_lib.parallel import run_tasks
from plrnn_lib.training.gtf_study import (LORENZ, METHODS, TOY, lorenz_data, toy_data,
                                          training_run)

ROOT = Path(__file__).resolve().parents[1]


def pack(runs, prefix):
    """Arrays for np.savez: curves padded with NaN, scalars, and jumps/cycles as JSON."""
    n = max(len(r["loss"]) for r in runs)

    def curves(key):
        out = np.full((len(runs), n), np.nan)
        for i, r in enumerate(runs):
            out[i, :len(r[key])] = r[key]
        return out

    out = {f"{prefix}_{key}": curves(key)
           for key in ("loss", "free_loss", "grad_norm", "alpha")}
    out[f"{prefix}_method"] = np.array([r["method"] for r in runs])
    for key in ("d_stsp", "d_h", "threshold"):
        out[f"{prefix}_{key}"] = np.array([r[key] for r in runs], dtype=float)
    out[f"{prefix}_diverged_at"] = np.array([-1 if r["diverged_at"] is None
                                             else r["diverged_at"] for r in runs])
    out[f"{prefix}_details"] = np.array(json.dumps([
        dict(jumps=r["jumps"], free_jumps=r["free_jumps"], cycles=r["cycles"],
             params={k: np.asarray(v).tolist() for k, v in r["params"].items()},
             gtf_updates=np.asarray(r.get("gtf_updates", [])).tolist(),
             gtf_values=np.asarray(r.get("gtf_values", [])).tolist())
        for r in runs]))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="runs per scheme and problem")
    parser.add_argument("--epochs", type=int, default=None,
                        help="epochs of the Lorenz runs (default: the settings')")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="local worker processes")
    parser.add_argument("--scheduler", default=None, help="dask scheduler address")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "book" / "data" / "gtf_training.npz")
    args = parser.parse_args()
    opts = dict(n_jobs=args.jobs, scheduler=args.scheduler)
    lorenz = dict(LORENZ)
    if args.epochs is not None:
        lorenz["n_epochs"] = args.epochs

    start = time.perf_counter()
    # the same seeds for every scheme: task i of each scheme gets the same generator
    toy = toy_data(TOY)
    toy_runs = []
    for method in METHODS:
        toy_runs += run_tasks(training_run, [(method, TOY, toy)] * args.seeds,
                              seed=args.seed, desc=f"toy, {method}", **opts)
    t_toy = time.perf_counter() - start
    data = lorenz_data(lorenz)
    lorenz_runs = []
    for method in METHODS:
        lorenz_runs += run_tasks(training_run, [(method, lorenz, data)] * args.seeds,
                                 seed=args.seed + 1, desc=f"Lorenz, {method}", **opts)
    t_lorenz = time.perf_counter() - start - t_toy
    free_runs = np.stack([r["free_run"] if len(r["free_run"]) == 2000
                          else np.full((2000, 3), np.nan) for r in lorenz_runs])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out, **pack(toy_runs, "toy"), **pack(lorenz_runs, "lorenz"),
        lorenz_free_runs=free_runs.astype(np.float32),
        toy_settings=repr(TOY), lorenz_settings=repr(lorenz),
        seeds=args.seeds, seed=args.seed,
        note=f"scripts/gtf_training.py on {platform.node()}: toy {t_toy:.0f} s, "
             f"Lorenz {t_lorenz:.0f} s")
    print(f"wrote {args.out} (toy {t_toy:.0f} s, Lorenz {t_lorenz:.0f} s)")
    for name, runs in (("toy", toy_runs), ("Lorenz", lorenz_runs)):
        for method in METHODS:
            sel = [r for r in runs if r["method"] == method]
            print(f"{name:6s} {method:4s}: jumps {[len(r['jumps']) for r in sel]}, "
                  f"D_stsp median {np.median([r['d_stsp'] for r in sel]):.3g}, "
                  f"D_H median {np.median([r['d_h'] for r in sel]):.3g}")


if __name__ == "__main__":
    main()
