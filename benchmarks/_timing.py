"""The timing loop every benchmark shares (the scripts import it as ``_timing``).

A benchmark here compares implementations side by side in one run; the best of several
repeats is the least disturbed by whatever else the shared machine is doing, and repeats
interleaved across the implementations expose them to the same load.
"""
from __future__ import annotations

import time


def best_time(fn, repeats):
    """The shortest of ``repeats`` wall-clock times of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def best_times(fns, repeats):
    """{name: shortest time} of the callables in the dict ``fns``, timed in turn, round by
    round, so that every one of them sees the same machine load."""
    best = {name: float("inf") for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            best[name] = min(best[name], best_time(fn, 1))
    return best
