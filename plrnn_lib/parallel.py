r"""A minimal stand-in for the project's parallel runner, :func:`run_tasks`.

Helper "protocol" owns the full version of this module (batching, nested-pool guards,
argument checks); this one has the same signature and the same reproducibility rule so that
scripts/memory_adam_rates.py runs before the branches are merged. Task :math:`i` receives
``numpy.random.default_rng(SeedSequence(seed).spawn(n)[i])`` (NumPy's random module,
Harris et al., 2020), so results do not depend on the number of workers.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np

__all__ = ["run_tasks"]


def _call(fn, task, seed_seq):
    return fn(task, np.random.default_rng(seed_seq))


def run_tasks(fn, tasks, *, seed=None, executor=None, n_jobs=None, scheduler=None,
              progress=True, desc=None):
    r"""Call ``fn(task, rng)`` for every task and return the results in task order.

    Each task :math:`i` of :math:`n` draws from its own generator
    :math:`g_i` = ``default_rng(SeedSequence(seed).spawn(n)[i])`` (Harris et al., 2020), so
    the results are the same serially (``n_jobs=1``), on local processes (the default), on a
    dask.distributed cluster (``scheduler``, its address) or on any
    ``concurrent.futures.Executor`` passed as ``executor``.

    Parameters
    ----------
    fn : callable
        Module-level function ``fn(task, rng)`` (picklable).
    tasks : sequence
    seed : None or int
    executor : concurrent.futures.Executor, optional
    n_jobs : int, optional
        Local worker processes (default: all cores; 1 runs in this process).
    scheduler : str, optional
        Address of a dask.distributed scheduler.
    progress : bool
    desc : str, optional
        Label of the progress bar.

    Returns
    -------
    list
    """
    from tqdm.auto import tqdm

    if not callable(fn):
        raise TypeError(f"fn must be callable as fn(task, rng), got {type(fn).__name__}")
    tasks = list(tasks)
    seeds = np.random.SeedSequence(seed).spawn(len(tasks))
    bar = tqdm(total=len(tasks), desc=desc, disable=not progress, leave=False)
    if executor is None and scheduler is None and n_jobs == 1:
        results = []
        for task, s in zip(tasks, seeds):
            results.append(_call(fn, task, s))
            bar.update()
        bar.close()
        return results
    own = None
    if executor is None:
        if scheduler is not None:
            from distributed import Client

            own = Client(scheduler)
            executor = own.get_executor()
        else:
            own = executor = ProcessPoolExecutor(max_workers=n_jobs)
    try:
        futures = [executor.submit(_call, fn, task, s) for task, s in zip(tasks, seeds)]
        results = []
        for f in futures:
            results.append(f.result())
            bar.update()
    finally:
        bar.close()
        if own is not None:
            own.close() if scheduler is not None else own.shutdown()
    return results
