"""Bifurcation manifolds of the paper's 2-D toy PLRNN over (Δa11, Δa22) in [-1, 1]^2.

Eisenmann et al. (2023, Fig. 2) cut the parameter plane of their toy model into regions with
different sets of cycles.  This script runs :func:`plrnn_lib.sweep_grid` over that plane and
stores, in a small compressed file that chapter 5 loads:

- ``n_cycles``, ``n_stable``: (n, n) counts of cycles and of stable cycles up to ``max_order``;
- ``event_points`` (m, 2), ``event_kinds`` (m,), ``event_orders`` (m,): the located and
  classified bifurcation points on the grid edges;
- the grid axes, the settings and the wall time.

Usage::

    python scripts/toy_bifurcation_grid.py                 # the full 200 x 200 grid
    python scripts/toy_bifurcation_grid.py --n 40 --out /tmp/small.npz
"""
from __future__ import annotations

import argparse
import os
import platform
import time
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
    parser.add_argument("--max-order", type=int, default=16, help="largest cycle order (default 16)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--out", type=Path, default=ROOT / "book" / "data" / "toy_bifurcation_grid.npz")
    args = parser.parse_args()

    values = np.linspace(-1.0, 1.0, args.n)
    start = time.perf_counter()
    result = pl.sweep_grid(toy_family(), values, values, args.max_order, rng=args.seed,
                           n_jobs=args.jobs, progress=True)
    seconds = time.perf_counter() - start
    events = result.bifurcations
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        values1=values, values2=values,
        n_cycles=result.n_cycles().astype(np.int16), n_stable=result.n_stable().astype(np.int16),
        event_points=np.array([b.parameter for b in events]).reshape(-1, 2),
        event_kinds=np.array([b.kind for b in events], dtype="U32"),
        event_orders=np.array([b.order for b in events], dtype=np.int16),
        max_order=args.max_order, seed=args.seed, seconds=seconds, filled=result.filled,
        machine=f"{platform.machine()}, {os.cpu_count()} cores",
    )
    kinds, counts = np.unique([b.kind for b in events], return_counts=True)
    print(f"{args.n} x {args.n} grid, cycles up to order {args.max_order}: {seconds:.1f} s wall time")
    print(f"cycles added by the fill pass: {result.filled}")
    for k, c in zip(kinds, counts):
        print(f"  {k}: {c} located points")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
