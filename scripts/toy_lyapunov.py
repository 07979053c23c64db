"""Lyapunov exponents of the toy PLRNN along chapter 5's sweep of Δa11, at full size.

Chapter 5 computes the largest exponent of the orbit from z0 = (0.5, -1) live at 121 values
of Δa11 in [-0.05, 0.03] (12,000 steps after 3,000 of transient).  This script does the same
on a grid ten times finer (1,201 values) with orbits of 100,000 steps after the same
transient, and stores, in a small compressed file that the chapter loads:

- ``values`` (n,), ``exponents`` (n, 2): the spectrum at each value (descending);
- the settings (``z0``, ``n_steps``, ``n_transient``), the wall time and the machine.

Usage::

    python scripts/toy_lyapunov.py                       # the full grid, local cores
    python scripts/toy_lyapunov.py --n 121 --n-steps 12000 --out /tmp/small.npz
    python scripts/toy_lyapunov.py --scheduler tcp://host:8786   # on a dask cluster
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np

import plrnn_lib as pl
from plrnn_lib.parallel import run_tasks

ROOT = Path(__file__).resolve().parents[1]
Z0 = (0.5, -1.0)


def toy_family():
    """The toy model with Δa11 as the parameter."""
    return pl.ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)))


def exponents_of_chunk(task, rng):
    """The spectrum at each value of one chunk (rng unused: the orbits are deterministic)."""
    values, n_steps, n_transient = task
    return pl.lyapunov_sweep(toy_family(), values, Z0, n_steps, n_transient, progress=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1201, help="values of Δa11 (default 1201)")
    parser.add_argument("--n-steps", type=int, default=100_000)
    parser.add_argument("--n-transient", type=int, default=3_000)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--scheduler", default=None, help="dask.distributed scheduler address")
    parser.add_argument("--out", type=Path, default=ROOT / "book" / "data" / "toy_lyapunov.npz")
    args = parser.parse_args()

    values = np.linspace(-0.05, 0.03, args.n)
    chunks = [(c, args.n_steps, args.n_transient) for c in np.array_split(values, 40)]
    start = time.perf_counter()
    parts = run_tasks(exponents_of_chunk, chunks, seed=0, n_jobs=args.jobs,
                      scheduler=args.scheduler, desc="Lyapunov exponents")
    seconds = time.perf_counter() - start
    exponents = np.vstack(parts)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, values=values, exponents=exponents, z0=np.array(Z0),
                        n_steps=args.n_steps, n_transient=args.n_transient, seconds=seconds,
                        machine=f"{platform.machine()}, {os.cpu_count()} cores")
    lam1 = exponents[:, 0]
    print(f"{args.n} values, {args.n_steps} steps each: {seconds:.1f} s wall time")
    print(f"largest exponent: {np.nanmin(lam1):+.4f} to {np.nanmax(lam1):+.4f}; positive at "
          f"{int(np.sum(lam1 > 1e-3))} of {args.n} values")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
