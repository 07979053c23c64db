"""One grid sweep serially, on the local process pool and on a dask cluster, side by side.

All three run through :func:`plrnn_lib.parallel.run_tasks`; the script prints their wall
times and the speed-up over the serial run, and checks that they return the same cycles at
every grid point and the same located bifurcations (the runner's per-task seeds make them
identical, so any difference is a bug, not noise).  The machine's other load shows up in
the times: compare the ratios of one run, not times across runs.

Usage: python benchmarks/sweep_parallel.py [--n 40] [--max-order 10] [--jobs 2] [--no-dask]
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

import plrnn_lib as pl
from plrnn_lib.bifurcations import canonical_sequence


def toy_family():
    return pl.ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)), ("A", (1, 1)))


def fingerprint(grid):
    """What must agree between runs: the cycles per point and the located points by kind."""
    cycles = [sorted(canonical_sequence(c.regions) for c in cs) for cs in grid.cycles.ravel()]
    events = sorted((b.kind, b.order, tuple(np.round(b.parameter, 12))) for b in grid.bifurcations)
    return cycles, events


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="grid points per axis (default 40)")
    parser.add_argument("--max-order", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2, help="local workers (default 2)")
    parser.add_argument("--no-dask", action="store_true", help="skip the dask LocalCluster")
    args = parser.parse_args()

    values = np.linspace(-1.0, 1.0, args.n)
    family = toy_family()
    pl.sweep_grid(family, values[:3], values[:3], 2, rng=0, n_jobs=1, progress=False)  # compile

    def run(**where):
        start = time.perf_counter()
        grid = pl.sweep_grid(family, values, values, args.max_order, rng=0, progress=False,
                             **where)
        return grid, time.perf_counter() - start

    runs = {"serial (n_jobs=1)": run(n_jobs=1),
            f"process pool (n_jobs={args.jobs})": run(n_jobs=args.jobs)}
    if not args.no_dask:
        from distributed import LocalCluster

        with LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            run(scheduler=cluster.scheduler_address)  # workers import plrnn_lib and compile
            runs[f"dask LocalCluster ({args.jobs} workers)"] = run(
                scheduler=cluster.scheduler_address)

    print(f"{args.n} x {args.n} grid of the toy model, cycles up to order {args.max_order}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    reference, t_serial = runs["serial (n_jobs=1)"]
    print(f"{'where':36s} {'seconds':>8s} {'speed-up':>9s}  same result")
    for name, (grid, seconds) in runs.items():
        same = fingerprint(grid) == fingerprint(reference)
        print(f"{name:36s} {seconds:8.2f} {t_serial / seconds:8.2f}x  {same}")
        assert same, f"{name} differs from the serial sweep"
    print(f"{len(reference.bifurcations)} bifurcation points, "
          f"{int(reference.n_cycles().sum())} cycles over the grid")


if __name__ == "__main__":
    main()
