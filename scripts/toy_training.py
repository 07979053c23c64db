"""Chapter 7 at full size: the toy model's loss landscape and training runs with loss jumps.

A 2-D student PLRNN (the toy model of Eisenmann et al., 2023, with its self-weights
a11, a22 shifted by (Δa11, Δa22)) is trained by BPTT on trajectories of the toy model
itself.  This script stores in ``book/data/toy_training.npz``:

- ``loss``, ``grad_norm``: (n, n) log10 of the loss and of the gradient norm with respect to
  (a11, a22) over the same (Δa11, Δa22) grid as ``toy_bifurcation_grid.npz``;
- for ``--seeds`` runs that train only (a11, a22) from random starts, and as many that train
  every parameter: the paths in the plane, the loss curves, the detected loss jumps and the
  bifurcations that SCYFI and ``pl.sweep`` find on the updates around each jump, and a
  control: the same search on random updates away from any jump.

Grids and runs are independent tasks for ``plrnn_lib.parallel.run_tasks``: local processes
by default, a dask cluster with ``--scheduler ADDRESS``.  Usage::

    python scripts/toy_training.py                        # 200 x 200 grid, 16 + 16 runs
    python scripts/toy_training.py --n 40 --seeds 4 --out /tmp/small.npz
"""
from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np

from plrnn_lib.parallel import run_tasks
from plrnn_lib.training.toy_study import (SETTINGS, landscape_row, teacher_data,
                                          training_run)

ROOT = Path(__file__).resolve().parents[1]

def pack_runs(runs, prefix):
    """Arrays for np.savez: paths, curves and a flat table of jumps and their events."""
    n = max(len(r["loss"]) for r in runs)
    out = {f"{prefix}_paths": np.full((len(runs), n + 1, 2), np.nan, dtype=np.float32),
           f"{prefix}_loss": np.full((len(runs), n), np.nan),
           f"{prefix}_grad_norm": np.full((len(runs), n), np.nan, dtype=np.float32)}
    table = []
    for i, r in enumerate(runs):
        k = len(r["loss"])
        out[f"{prefix}_paths"][i, :k + 1] = r["path"]
        out[f"{prefix}_loss"][i, :k] = r["loss"]
        out[f"{prefix}_grad_norm"][i, :k] = r["grad_norm"]
        for index, ratio, events in r["jumps"]:
            text = "; ".join(f"{kind}:{order}@{e}" for e, kind, order in events)
            table.append((i, index, ratio, len(events), text))
    out[f"{prefix}_jump_run"] = np.array([t[0] for t in table], dtype=np.int16)
    out[f"{prefix}_jump_index"] = np.array([t[1] for t in table], dtype=np.int32)
    out[f"{prefix}_jump_ratio"] = np.array([t[2] for t in table])
    out[f"{prefix}_jump_events"] = np.array([t[4] for t in table], dtype="U400")
    out[f"{prefix}_controls"] = np.array([r["controls"] for r in runs], dtype=np.int16)
    out[f"{prefix}_controls_with"] = np.array([r["controls_with"] for r in runs],
                                              dtype=np.int16)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="grid points per axis")
    parser.add_argument("--seeds", type=int, default=16, help="runs of each kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="local worker processes")
    parser.add_argument("--scheduler", default=None, help="dask scheduler address")
    parser.add_argument("--out", type=Path, default=ROOT / "book" / "data" / "toy_training.npz")
    args = parser.parse_args()

    X = teacher_data()
    values = np.linspace(-1.0, 1.0, args.n)
    start = time.perf_counter()
    opts = dict(n_jobs=args.jobs, scheduler=args.scheduler)
    rows = run_tasks(landscape_row, [(v, values, X) for v in values], seed=args.seed,
                     desc="landscape", **opts)
    land = np.stack(rows)                     # (n, 2, n): row i is Δa11 = values[i]
    t_land = time.perf_counter() - start
    diag = run_tasks(training_run, [("diagonal", X, SETTINGS)] * args.seeds,
                     seed=args.seed + 1, desc="runs (a11, a22)", **opts)
    full = run_tasks(training_run, [("all", X, SETTINGS)] * args.seeds,
                     seed=args.seed + 2, desc="runs (all)", **opts)
    seconds = time.perf_counter() - start
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out, values1=values, values2=values,
        # log10 values to 3 digits are plenty for a picture; float16 halves the file
        loss=land[:, 0, :].astype(np.float16), grad_norm=land[:, 1, :].astype(np.float16),
        **pack_runs(diag, "diag"), **pack_runs(full, "all"),
        settings=np.array(repr(SETTINGS)), seed=args.seed, seconds=seconds,
        landscape_seconds=t_land, machine=platform.machine())
    print(f"wrote {args.out} in {seconds:.0f} s (landscape {t_land:.0f} s)")


if __name__ == "__main__":
    main()
