"""Bifurcation manifolds of the paper's 2-D toy PLRNN over (Δa11, Δa22) in [-1, 1]^2.

Eisenmann et al. (2023, Fig. 2) cut the parameter plane of their toy model into regions with
different sets of cycles.  This script runs :func:`plrnn_lib.sweep_grid` over that plane and
stores :meth:`plrnn_lib.GridSweep.to_arrays` in a small compressed file that chapter 5 reads
back with ``pl.GridSweep.from_arrays(numpy.load(path))``:

- ``n_cycles``, ``n_stable``: (n, n) counts of cycles and of stable cycles up to ``max_order``;
- ``event_points`` (m, 2), ``event_kinds`` (m,), ``event_orders`` (m,) and the rest of each
  located and classified bifurcation (region sequence, stability on either side, bracket);
- the grid axes, the settings, the wall time and where it ran.

Usage::

    python scripts/toy_bifurcation_grid.py                 # the full 200 x 200 grid
    python scripts/toy_bifurcation_grid.py --n 40 --out /tmp/small.npz
    python scripts/toy_bifurcation_grid.py --scheduler tcp://10.0.0.5:8786   # on a cluster

The rows of the grid are independent tasks of :func:`plrnn_lib.parallel.run_tasks`, so the
result for a given ``--seed`` is the same on the local cores (``--jobs``) and on a
dask.distributed cluster (``--scheduler``, whose workers need plrnn_lib installed).
"""
from __future__ import annotations

import argparse
import os
import platform
from pathlib import Path

import numpy as np

import plrnn_lib as pl

ROOT = Path(__file__).resolve().parents[1]


def toy_family():
    """The toy model with (Δa11, Δa22) as the two parameter axes."""
    return pl.ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)), ("A", (1, 1)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="grid points per axis (default 200)")
    parser.add_argument("--max-order", type=int, default=16,
                        help="largest cycle order (default 16)")
    parser.add_argument("--seed", type=int, default=0)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=int, default=None,
                       help="local worker processes (default: all cores)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run the grid on this dask.distributed scheduler")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "book" / "data" / "toy_bifurcation_grid.npz")
    args = parser.parse_args()

    values = np.linspace(-1.0, 1.0, args.n)
    result = pl.sweep_grid(toy_family(), values, values, args.max_order, rng=args.seed,
                           n_jobs=args.jobs, scheduler=args.scheduler, progress=True)
    machine = (f"dask scheduler {args.scheduler}" if args.scheduler
               else f"{platform.machine()}, {os.cpu_count()} cores")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **result.to_arrays(), seed=args.seed, machine=machine)
    # what the file holds, read back as chapter 5 reads it
    with np.load(args.out) as stored:
        check = pl.GridSweep.from_arrays(stored)
    assert np.array_equal(check.n_stable(), result.n_stable())
    assert len(check.bifurcations) == len(result.bifurcations)
    kinds, counts = np.unique([b.kind for b in result.bifurcations], return_counts=True)
    print(f"{args.n} x {args.n} grid, cycles up to order {args.max_order}: "
          f"{result.seconds:.1f} s wall time ({machine})")
    print(f"cycles added by the fill pass: {result.filled}")
    for k, c in zip(kinds, counts):
        print(f"  {k}: {c} located points")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
