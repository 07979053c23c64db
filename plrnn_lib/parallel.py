r"""A minimal parallel runner, :func:`run_tasks` (placeholder for helper "protocol"'s module).

``run_tasks(fn, tasks, *, seed=None, executor=None, n_jobs=None, scheduler=None,
progress=True, desc=None)`` calls ``fn(task, rng)`` for every task, with ``rng`` drawn from
``numpy.random.SeedSequence(seed).spawn(len(tasks))`` (NumPy's random module, Harris et
al., 2020), so results do not depend on the number of workers; the results come back in
task order.  Task :math:`i` gets :math:`g_i` = ``default_rng(SeedSequence(seed).spawn(n)[i])``.
"""
from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor

import numpy as np

__all__ = ["run_tasks"]


def _call(fn, task, seed_seq):
    return fn(task, np.random.default_rng(seed_seq))


def run_tasks(fn, tasks, *, seed=None, executor=None, n_jobs=None, scheduler=None,
              progress=True, desc=None):
    r"""Run ``fn(task, rng)`` for every task, in parallel, and return the results in order.

    Each task gets its own generator from :math:`\mathrm{SeedSequence}(seed).\mathrm{spawn}`
    (Harris et al., 2020); ``n_jobs=1`` runs serially in this process, ``executor`` is any
    :class:`concurrent.futures.Executor`, ``scheduler`` a dask.distributed address.
    """
    from tqdm.auto import tqdm

    tasks = list(tasks)
    seeds = np.random.SeedSequence(seed).spawn(len(tasks))
    bar = tqdm(total=len(tasks), desc=desc, disable=not progress, leave=False)
    owned = None
    if scheduler is not None:
        from distributed import Client

        client = Client(scheduler)
        executor, owned = client.get_executor(), client
    elif executor is None and (n_jobs or os.cpu_count() or 1) > 1:
        executor = owned = ProcessPoolExecutor(max_workers=n_jobs or os.cpu_count())
    elif executor is not None and not isinstance(executor, Executor):
        raise TypeError(f"executor must be a concurrent.futures.Executor, got "
                        f"{type(executor).__name__}")
    try:
        if executor is None:
            out = []
            for task, s in zip(tasks, seeds):
                out.append(_call(fn, task, s))
                bar.update()
            return out
        futures = [executor.submit(_call, fn, task, s) for task, s in zip(tasks, seeds)]
        out = []
        for fut in futures:
            out.append(fut.result())
            bar.update()
        return out
    finally:
        bar.close()
        if owned is not None:
            (owned.close if hasattr(owned, "close") else owned.shutdown)()
