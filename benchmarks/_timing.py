"""The timing loop every benchmark shares (the scripts import it as ``_timing``).

A benchmark here compares implementations side by side in one run; the best of several
repeats is the least disturbed by whatever else the shared machine is doing, and repeats
interleaved across the implementations expose them to the same load.
"""
from __future__ import annotations

import time

import numpy as np


def best_time(fn, repeats):
    """The shortest of ``repeats`` wall-clock times of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def round_times(fns, repeats):
    """Seconds of each call, shape (repeats, len(fns)): round r calls every callable of the
    sequence ``fns`` once, in turn, so all of them see the same machine load."""
    times = np.empty((repeats, len(fns)))
    for r in range(repeats):
        for j, fn in enumerate(fns):
            times[r, j] = best_time(fn, 1)
    return times


def best_times(fns, repeats):
    """{name: shortest time} of the callables in the dict ``fns``, timed in interleaved
    rounds (:func:`round_times`)."""
    shortest = round_times(list(fns.values()), repeats).min(axis=0)
    return dict(zip(fns, shortest.tolist()))
