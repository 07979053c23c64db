"""Continuation against independent searches in a parameter sweep, measured side by side.

A sweep can search every parameter value from scratch with SCYFI's reference loop counts
("independent"), or seed each search with its neighbour's cycles, run a light search and fill
in cycles found at neighbouring values ("continuation", the default of ``pl.sweep``).  This
script runs both, in one process each, on the same sweep of the paper's toy model and
prints the wall times, their ratio, and the cycles each found that the other missed.

Usage: python benchmarks/sweep_continuation.py [--n 31] [--max-order 16] [--grid 8]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import plrnn_lib as pl
from plrnn_lib.bifurcations import canonical_sequence

TOY = pl.toy_plrnn()


def keys_per_point(cycle_sets):
    flat = cycle_sets.ravel() if isinstance(cycle_sets, np.ndarray) else cycle_sets
    return [{canonical_sequence(c.regions) for c in cs} for cs in flat]


def compare(name, run):
    t = time.perf_counter()
    cont = run(continuation=True)
    t_cont = time.perf_counter() - t
    t = time.perf_counter()
    indep = run(continuation=False)
    t_indep = time.perf_counter() - t
    kc, ki = keys_per_point(cont.cycles), keys_per_point(indep.cycles)
    missed_by_indep = sum(len(c - i) for c, i in zip(kc, ki))
    missed_by_cont = sum(len(i - c) for c, i in zip(kc, ki))
    total = sum(len(c | i) for c, i in zip(kc, ki))
    print(f"{name}")
    print(f"  independent searches (reference loops): {t_indep:8.2f} s, {total - missed_by_indep} of {total} cycles")
    print(f"  continuation (seeds + light search + fill): {t_cont:8.2f} s, {total - missed_by_cont} of {total} cycles")
    print(f"  speed-up: {t_indep / t_cont:.1f}x; cycles independent searches missed: {missed_by_indep}; "
          f"continuation missed: {missed_by_cont}")
    return t_indep / t_cont, missed_by_indep, missed_by_cont


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=31, help="values of the 1-D sweep")
    parser.add_argument("--grid", type=int, default=8, help="points per axis of the 2-D sweep")
    parser.add_argument("--max-order", type=int, default=16)
    args = parser.parse_args()

    family1 = pl.ParameterFamily(TOY, ("A", (0, 0)))
    values = np.linspace(-1.0, 1.0, args.n)
    pl.find_cycles(TOY, 2, rng=0)  # compile before timing
    compare(f"1-D sweep of Δa11, {args.n} values, cycles up to order {args.max_order}",
            lambda continuation: pl.sweep(family1, values, args.max_order, rng=0, n_jobs=1,
                                          progress=False, continuation=continuation))
    family2 = pl.ParameterFamily(TOY, ("A", (0, 0)), ("A", (1, 1)))
    grid = np.linspace(-1.0, 1.0, args.grid)
    compare(f"2-D sweep of (Δa11, Δa22), {args.grid} x {args.grid} grid, cycles up to order {args.max_order}",
            lambda continuation: pl.sweep_grid(family2, grid, grid, args.max_order, rng=0, n_jobs=1,
                                               progress=False, continuation=continuation,
                                               locate_events=False))


if __name__ == "__main__":
    main()
