"""Run independent tasks locally or on a cluster, reproducibly (minimal version).

Helper "protocol" owns the full version of this module; this one has the same signature so
the training scripts run before the branches are merged.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np
from tqdm.auto import tqdm


def run_tasks(fn, tasks, *, seed=None, executor=None, n_jobs=None, scheduler=None,
              progress=True, desc=None):
    r"""Call ``fn(task, rng)`` for every task and return the results in task order.

    Each task gets its own generator from :math:`\mathrm{SeedSequence}(\text{seed})`
    ``.spawn(n)`` (O'Neill, 2014, the PCG streams numpy uses), so the results do not
    depend on how many workers run them.  Local processes by default (``n_jobs=1``: serial,
    in this process), a dask.distributed cluster when ``scheduler`` (an address) is given,
    or any ``concurrent.futures.Executor`` passed as ``executor``.  ``fn`` and the tasks
    must be picklable (module-level functions).
    """
    tasks = list(tasks)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(tasks))]
    bar = tqdm(total=len(tasks), desc=desc, disable=not progress)
    if executor is None and scheduler is None and n_jobs == 1:
        out = []
        for task, rng in zip(tasks, rngs):
            out.append(fn(task, rng))
            bar.update()
        bar.close()
        return out
    own = None
    if scheduler is not None:
        from dask.distributed import Client
        own = Client(scheduler)
        executor = own.get_executor()
    elif executor is None:
        own = executor = ProcessPoolExecutor(n_jobs or os.cpu_count())
    try:
        futures = {executor.submit(fn, t, r): i for i, (t, r) in enumerate(zip(tasks, rngs))}
        out = [None] * len(tasks)
        for f in as_completed(futures):
            out[futures[f]] = f.result()
            bar.update()
    finally:
        bar.close()
        if own is not None:
            (own.close if scheduler is not None else own.shutdown)()
    return out
