"""Benchmark of the SCYFI engine (run: ``python benchmarks/scyfi.py``; a script, not a test).

Measures, in one run and side by side:

1. the numba engine (:func:`plrnn_lib.find_cycles`) against a plain Python/numpy version of
   the same loop below (same seed, same SplitMix64 stream, same decisions; the script
   asserts that both visit exactly the same region sequences and find the same cycles),
   as a speed-up at M = 2, 10, 50, and the regions (sequences) evaluated per second.  Both
   implement the engine's deviation from the reference loop (sequences tried before, up to
   a cyclic shift, are neither jumped into nor drawn again; see :func:`plrnn_lib.find_cycles`):
   the engine by 64-bit hashes in a set, the Python version by exact keys in a set;
2. the time of one order-1 search step (build W_Omega, solve (I - W_Omega) z = h, check the
   regions) against one bare ``numpy.linalg.solve`` of the same size.  (The engine solves
   small systems by its own elimination loop and systems from M = 24 on by LAPACK called
   inside numba, see ``plrnn_lib.cycles._engine.LAPACK_MIN_SIZE``.)

Targets: >= 30x at M = 2, >= 10x at M = 10; one order-1 step <= 1.2x a bare solve at M = 50.
"""
from __future__ import annotations

import sys
import time
import timeit

import numpy as np

import plrnn_lib as pl
from plrnn_lib.cycles import default_inner_loops, default_outer_loops, trace_scyfi
from plrnn_lib.cycles._engine import REDRAW_TRIES
from plrnn_lib.cycles.scyfi import stream_base, stream_state

MASK = (1 << 64) - 1


class SplitMix64:
    """The engine's generator in plain Python integers."""

    def __init__(self, state):
        self.state = int(state)

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        x = self.state
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
        return x ^ (x >> 31)

    def regions(self, k, M):
        D = np.zeros((k, M), dtype=bool)
        for j in range(k):
            word = 0
            for i in range(M):
                if i % 64 == 0:
                    word = self.next()
                D[j, i] = (word >> (i % 64)) & 1
        return D


def same_point(x, y, tol):
    return np.abs(x - y).max() <= tol * (1.0 + max(np.abs(x).max(), np.abs(y).max()))


def sequence_key(D):
    """The region sequence up to cyclic shifts: its smallest rotation, as a tuple of row bytes."""
    rows = tuple(d.tobytes() for d in D)
    return min(rows[s:] + rows[:s] for s in range(len(rows)))


def draw_fresh(rng, k, M, visited):
    """Random regions, redrawn (up to REDRAW_TRIES draws in all) while tried before."""
    for _ in range(REDRAW_TRIES):
        D = rng.regions(k, M)
        if sequence_key(D) not in visited:
            break
    return D


def python_scyfi_order(A, W, h, k, n_outer, n_inner, state, tol=1e-9, visited=None):
    """SCYFI for one order of a PLRNN in plain Python/numpy (the loop of Eisenmann et al., 2023).

    With the engine's deviation: sequences tried before (up to a cyclic shift) are neither
    jumped into nor drawn again (up to REDRAW_TRIES draws).
    """
    M = A.shape[0]
    rng = SplitMix64(state)
    eye = np.eye(M)
    tried = set()
    found, n_eval, outer = [], 0, 0
    while outer < n_outer:
        outer += 1
        D = draw_fresh(rng, k, M, tried)
        inner = 0
        while inner < n_inner:
            inner += 1
            n_eval += 1
            if visited is not None:
                visited.append(D.copy())
            tried.add(sequence_key(D))
            Js = [A + W * D[j][None, :] for j in range(k)]    # W_Omega = A + W diag(d)
            P, c = Js[0], h.copy()
            for j in range(1, k):
                P = Js[j] @ P
                c = Js[j] @ c + h
            try:
                z = np.linalg.solve(eye - P, c)
                ok = bool(np.all(np.isfinite(z)))
            except np.linalg.LinAlgError:
                ok = False
            if not ok:
                D = draw_fresh(rng, k, M, tried)
                continue
            points = [z]
            for j in range(k - 1):
                points.append(Js[j] @ points[-1] + h)
            points = np.array(points)
            actual = points > 0
            if not np.array_equal(actual, D):
                if sequence_key(actual) in tried:              # a path already walked
                    D = draw_fresh(rng, k, M, tried)
                else:
                    D = actual                                 # jump
                continue
            lower = any(k % p == 0 and same_point(points[0], points[p], tol) for p in range(1, k))
            known = any(same_point(points[0], q, tol) for f in found for q in f)
            if not lower and not known:
                found.append(points)
                outer, inner = 0, 0
            D = draw_fresh(rng, k, M, tried)
    return found, n_eval


def python_find_cycles(model, max_order, seed, visited=None):
    base = stream_base(np.random.default_rng(seed))
    cycles, evaluated = [], {}
    for k in range(1, max_order + 1):
        state = int(stream_state(base, k)[0])
        found, n_eval = python_scyfi_order(model.A, model.W, model.h, k, default_outer_loops(k),
                                           default_inner_loops(k), state,
                                           visited=None if visited is None else visited.setdefault(k, []))
        cycles += found
        evaluated[k] = n_eval
    return cycles, evaluated


def best_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def compare(model, max_order, seed, repeat_numba=7, repeat_python=1):
    # correctness first: same regions visited, same cycles
    visited = {}
    py_cycles, py_eval = python_find_cycles(model, max_order, seed, visited)
    nb = pl.find_cycles(model, max_order, rng=seed)
    assert nb.evaluated == py_eval, (nb.evaluated, py_eval)
    for k in range(1, max_order + 1):
        tr = trace_scyfi(model, k, rng=seed, max_steps=len(visited[k]))
        assert np.array_equal(tr.assumed, np.array(visited[k])), f"order {k}: different regions visited"
    assert len(py_cycles) == len(nb)
    for pts in py_cycles:
        assert any(c.order == len(pts) and same_point(c.points[0], q, 1e-7) for c in nb for q in pts)
    t_nb = best_time(lambda: pl.find_cycles(model, max_order, rng=seed), repeat_numba)
    t_py = best_time(lambda: python_find_cycles(model, max_order, seed), repeat_python)
    n = sum(nb.evaluated.values())
    return dict(t_nb=t_nb, t_py=t_py, n_eval=n, n_cycles=len(nb))


def main():
    rows = []
    toy = pl.toy_plrnn()
    cases = [("M=2 (toy model, orders 1-8)", toy, 8, 30.0),
             ("M=10 (random, orders 1-5)", pl.PLRNN.random(10, rng=10, w_scale=1.5), 5, 10.0),
             ("M=50 (random, orders 1-2)", pl.PLRNN.random(50, rng=50, w_scale=1.0), 2, None)]
    pl.find_cycles(toy, 2, rng=0)  # compile (or load the cache) outside the timings
    print("numba engine vs plain Python/numpy, same seed (asserted: same regions visited, same cycles)")
    print(f"{'case':30s} {'sequences':>9s} {'cycles':>6s} {'numba s':>9s} {'python s':>9s} "
          f"{'speed-up':>8s} {'numba regions/s':>15s} {'target':>7s} {'':5s}")
    for name, model, K, target in cases:
        r = compare(model, K, seed=1)
        ratio = r["t_py"] / r["t_nb"]
        verdict = "" if target is None else ("PASS" if ratio >= target else "MISS")
        rows.append((name, ratio, target, verdict))
        print(f"{name:30s} {r['n_eval']:9d} {r['n_cycles']:6d} {r['t_nb']:9.4f} {r['t_py']:9.3f} "
              f"{ratio:7.1f}x {r['n_eval'] / r['t_nb']:15.0f} "
              f"{'' if target is None else f'>={target:.0f}x':>7s} {verdict:5s}")

    print("\none order-1 search step vs one bare numpy.linalg.solve of the same size")
    print(f"{'M':>4s} {'step us':>9s} {'solve us':>9s} {'ratio':>7s} {'target':>7s}")
    for M in (2, 10, 50):
        model = pl.PLRNN.random(M, rng=M, w_scale=1.0)
        n_outer = 200 if M == 50 else 2000
        cs = pl.find_cycles(model, 1, rng=0, outer_loops=n_outer)
        a = np.eye(M) - model.region_matrix(np.ones(M, dtype=bool))
        rhs = model.h.copy()
        number = 2000
        # interleaved best-of-7, so both sides see the same machine load
        steps, solves = [], []
        for _ in range(7):
            steps.append(best_time(lambda: pl.find_cycles(model, 1, rng=0, outer_loops=n_outer), 1)
                         / cs.evaluated[1])
            solves.append(timeit.timeit(lambda: np.linalg.solve(a, rhs), number=number) / number)
        step, solve = min(steps), min(solves)
        ratio = step / solve
        verdict = ""
        if M == 50:
            verdict = "PASS" if ratio <= 1.2 else "MISS"
            rows.append(("order-1 step / solve, M=50", ratio, 1.2, verdict))
        print(f"{M:4d} {step * 1e6:9.2f} {solve * 1e6:9.2f} {ratio:7.2f} "
              f"{'<=1.2' if M == 50 else '':>7s} {verdict}")
    missed = [r for r in rows if r[3] == "MISS"]
    print("\nall targets met" if not missed else f"\nmissed: {[r[0] for r in missed]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
