r"""One parallel runner for every grid of independent runs: :func:`run_tasks`.

Bifurcation grids, seeds x settings of training experiments and scaling measurements are
all the same computation: call one function on many tasks, each with its own random
numbers, and collect the results in order.  :func:`run_tasks` does that on

* the local cores (a process pool; the default),
* any :class:`concurrent.futures.Executor` passed as ``executor``,
* a dask.distributed cluster, when ``scheduler`` is its address,

always through the same code path, with a progress bar.

**Reproducibility.**  Task :math:`i` receives the generator
``numpy.random.default_rng(SeedSequence(seed).spawn(n)[i])``: the children of
:meth:`numpy.random.SeedSequence.spawn` are independent streams (NumPy's random module,
Harris et al., 2020), and which one a task gets depends only on its position in ``tasks``.
So a seeded run gives the same results serially, on two cores or on a cluster of any size,
whatever order the tasks finish in.

**Cost.**  Tasks travel to the workers in contiguous batches (up to 16 per worker), so many
small tasks do not each pay the inter-process round trip; the batching cannot change a
result, because every task's generator is fixed before the batches are formed.
"""
from __future__ import annotations

import json
import multiprocessing
import numbers
import os
import pickle
import sys
import warnings
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from ._checks import as_bool, as_int

__all__ = ["run_tasks", "task_seeds"]

#: Batches per worker (more balance the load and move the progress bar in smaller steps;
#: fewer save round trips between processes).
BATCHES_PER_WORKER = 16

# True inside the worker processes of a pool this module started: a task that itself calls
# run_tasks (a training grid whose runs sweep, say) then runs serially instead of nesting
# pools inside pools (see _inside_a_worker for the other kinds of worker).
_in_worker = False


def _mark_worker():
    global _in_worker
    _in_worker = True


def _seed_sequence(seed):
    """The root SeedSequence of a run from None, an int >= 0, a SeedSequence or a Generator."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        # draws advance the caller's generator, so two runs from one generator differ, and
        # the same generator state gives the same run
        return np.random.SeedSequence(seed.integers(0, 2**32, size=4, dtype=np.uint64).tolist())
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError("seed must be None, a non-negative integer, a numpy.random.SeedSequence "
                        f"or a numpy.random.Generator, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.SeedSequence(int(seed))


def task_seeds(seed, n_tasks):
    r"""The seed sequences of ``n_tasks`` tasks: ``SeedSequence(seed).spawn(n_tasks)``.

    Task :math:`i` of :func:`run_tasks` draws from
    :math:`g_i` = ``numpy.random.default_rng(task_seeds(seed, n)[i])``, :math:`0 \le i < n`.
    The spawned children of a :class:`~numpy.random.SeedSequence` are independent streams
    (NumPy's random module, Harris et al., 2020), so a task's random numbers depend only on
    ``seed`` and its position, never on where or when it runs.

    Parameters
    ----------
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        The run's seed; ``None`` takes fresh entropy from the operating system, and a
        Generator is drawn from (so it advances).
    n_tasks : int
        Number of tasks.

    Returns
    -------
    list of numpy.random.SeedSequence
    """
    n_tasks = as_int("n_tasks", n_tasks, minimum=0)
    return _seed_sequence(seed).spawn(n_tasks)


def _run_batch(fn, tasks, seeds):
    """Run ``fn(task, rng)`` for one batch, in whatever process the batch landed in."""
    return [fn(task, np.random.default_rng(s)) for task, s in zip(tasks, seeds)]


def _inside_a_worker():
    """True in a worker of a pool of ours, a daemonic process, or a dask worker's thread."""
    if _in_worker or multiprocessing.current_process().daemon:
        return True
    if "distributed" in sys.modules:  # only then can this be a dask worker
        try:
            sys.modules["distributed"].get_worker()
        except (ValueError, AttributeError):
            return False
        return True
    return False


def _local_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _picklable(fn, tasks):
    try:
        pickle.dumps(fn)
        if tasks:
            pickle.dumps(tasks[0])
    except Exception:
        return False
    return True


def _is_client(obj):
    try:
        from distributed import Client
    except ImportError:
        return False
    return isinstance(obj, Client)


def _check_arguments(fn, tasks, executor, n_jobs, scheduler, progress, desc):
    if not callable(fn):
        raise TypeError(f"fn must be callable as fn(task, rng), got {type(fn).__name__}")
    if isinstance(tasks, (str, bytes, dict)) or not hasattr(tasks, "__iter__"):
        raise TypeError(f"tasks must be a sequence of task arguments, got {type(tasks).__name__}")
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError("executor must be a concurrent.futures.Executor, got "
                        f"{type(executor).__name__}")
    if scheduler is not None and not isinstance(scheduler, str) and not _is_client(scheduler):
        raise TypeError("scheduler must be a dask.distributed scheduler address (a string such "
                        f"as 'tcp://10.0.0.5:8786') or a Client, got {type(scheduler).__name__}")
    if executor is not None and scheduler is not None:
        raise ValueError("executor and scheduler: give at most one of them")
    if n_jobs is not None:
        n_jobs = as_int("n_jobs", n_jobs, minimum=1)
        if executor is not None or scheduler is not None:
            raise ValueError("n_jobs sets the size of the local process pool; it cannot be "
                             "combined with executor or scheduler, which bring their own workers")
    as_bool("progress", progress)
    if desc is not None and not isinstance(desc, str):
        raise TypeError(f"desc must be a string or None, got {type(desc).__name__}")
    return list(tasks), n_jobs


def _dask_executor(scheduler):
    """(executor, workers, close) for a dask.distributed scheduler address or Client."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed is in requirements.txt
        raise ImportError("scheduler needs dask.distributed: pip install 'dask[distributed]'") \
            from None
    owned = isinstance(scheduler, str)
    client = Client(scheduler) if owned else scheduler
    workers = max(1, sum(client.nthreads().values()))
    # pure=False: two tasks that happen to be equal are still two runs (their seeds differ
    # anyway, but the keys must not depend on dask hashing a Generator)
    executor = client.get_executor(pure=False)

    def close():
        if owned:
            client.close()

    return executor, workers, close


def _pick_executor(fn, tasks, executor, n_jobs, scheduler):
    """Return (executor or None for serial, number of workers, cleanup function)."""
    if scheduler is not None:
        return _dask_executor(scheduler)
    if executor is not None:
        workers = getattr(executor, "_max_workers", None)
        return executor, workers if isinstance(workers, int) and workers > 0 else None, \
            lambda: None
    if n_jobs is None:
        n_jobs = 1 if _inside_a_worker() else _local_cores()
    n_jobs = min(n_jobs, len(tasks))
    if n_jobs <= 1:
        return None, 1, lambda: None
    if not _picklable(fn, tasks):
        warnings.warn("fn or the tasks cannot be pickled (a lambda or a local function?), so "
                      "they run in this process; use module-level functions (and e.g. "
                      "pl.ParameterFamily) to run them in parallel", stacklevel=3)
        return None, 1, lambda: None
    pool = ProcessPoolExecutor(max_workers=n_jobs, initializer=_mark_worker)
    return pool, n_jobs, lambda: pool.shutdown(wait=True, cancel_futures=True)


def _batches(n_tasks, workers):
    """Contiguous index ranges: one per task, or BATCHES_PER_WORKER per worker when known."""
    if workers is None:
        size = 1
    else:
        size = max(1, -(-n_tasks // (BATCHES_PER_WORKER * workers)))
    return [range(a, min(a + size, n_tasks)) for a in range(0, n_tasks, size)]


def run_tasks(fn, tasks, *, seed=None, executor=None, n_jobs=None, scheduler=None,
              progress=True, desc=None):
    r"""Call ``fn(task, rng)`` for every task, in parallel, and return the results in order.

    .. math:: r_i = f(t_i, g_i), \qquad i = 0, \dots, n - 1,

    with :math:`f` = ``fn``, :math:`t_i` = ``tasks[i]`` and :math:`g_i` its own generator,
    ``default_rng(SeedSequence(seed).spawn(n)[i])`` (see :func:`task_seeds`; NumPy's
    random module, Harris et al., 2020).  A seeded run therefore returns the same list
    whether it ran serially, over local processes or on a dask.distributed cluster
    (Rocklin, 2015), with any number of workers.

    Parameters
    ----------
    fn : callable
        ``fn(task, rng)``; for other processes it must be picklable (a module-level
        function, or a :func:`functools.partial` of one).
    tasks : sequence
        One argument per call (picklable for other processes), e.g. parameter tuples.
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Root of the tasks' generators; ``None`` takes fresh entropy.
    executor : concurrent.futures.Executor, optional
        Run the tasks here (a thread pool, a process pool, a dask ``Client.get_executor()``);
        it is not shut down afterwards.
    n_jobs : int, optional
        Workers of the default local process pool (default: the cores this process may use;
        1 inside a worker of another run); 1 runs every task in this process, in order.
    scheduler : str, optional
        Address of a dask.distributed scheduler (e.g. ``"tcp://10.0.0.5:8786"``), or a
        ``distributed.Client`` already connected to one: the tasks run on its workers,
        which must have plrnn_lib installed.
    progress : bool
        Show a progress bar over the tasks.
    desc : str, optional
        Label of the progress bar.

    Returns
    -------
    list
        ``[fn(tasks[0], rng_0), fn(tasks[1], rng_1), ...]``.

    Raises
    ------
    Exception
        The first exception a task raised; the tasks not yet started are cancelled.

    Notes
    -----
    With the default local pool, an ``fn`` that cannot be pickled (a lambda) makes the run
    serial with a warning.  Where the pool starts fresh interpreters instead of forking
    (macOS, Windows), ``fn`` must also be importable from a module, not defined in a
    notebook cell.  Tasks go to the workers in contiguous batches, up to
    :data:`BATCHES_PER_WORKER` per worker, which changes nothing in the results.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from plrnn_lib.parallel import run_tasks
    >>> def noisy_square(x, rng):
    ...     return x * x + rng.normal(scale=1e-3)
    >>> serial = run_tasks(noisy_square, [1.0, 2.0, 3.0], seed=0, n_jobs=1, progress=False)
    >>> with ThreadPoolExecutor(max_workers=2) as pool:
    ...     threaded = run_tasks(noisy_square, [1.0, 2.0, 3.0], seed=0, executor=pool,
    ...                          progress=False)
    >>> serial == threaded
    True
    """
    tasks, n_jobs = _check_arguments(fn, tasks, executor, n_jobs, scheduler, progress, desc)
    seeds = task_seeds(seed, len(tasks))
    if not tasks:
        return []
    from tqdm.auto import tqdm

    pool, workers, close = _pick_executor(fn, tasks, executor, n_jobs, scheduler)
    results = [None] * len(tasks)
    try:
        if pool is None:
            with tqdm(total=len(tasks), desc=desc, disable=not progress, leave=False) as bar:
                for i, task in enumerate(tasks):
                    results[i] = _run_batch(fn, [task], [seeds[i]])[0]
                    bar.update(1)
            return results
        futures = {}
        for batch in _batches(len(tasks), workers):
            part = [tasks[i] for i in batch]
            futures[pool.submit(_run_batch, fn, part, [seeds[i] for i in batch])] = batch
        # the bar starts after the pool's processes are forked (tqdm may run a thread)
        with tqdm(total=len(tasks), desc=desc, disable=not progress, leave=False) as bar:
            try:
                for future in as_completed(futures):
                    batch = futures[future]
                    for i, value in zip(batch, future.result()):
                        results[i] = value
                    bar.update(len(batch))
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    finally:
        close()
    return results


# -- resumable result files -------------------------------------------------------------------
# The full-size scripts (scripts/memory_*.py) append one JSON line per finished run and skip,
# when restarted, the runs already stored. A kill can leave half a line at the end; the
# reader ignores it and the next append cuts it off first, so a restart loses at most the
# runs in flight and never merges a torn line with a new record.

def read_records(path):
    """{key: record} of the JSON lines file ``path`` (empty when missing).

    Each line is a JSON object with a ``"key"``; a line that does not parse (a torn last
    line) or has no key is skipped, and a later record with the same key replaces the
    earlier one.
    """
    path = Path(path)
    records = {}
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and "key" in record:
                records[record["key"]] = record
    return records


def append_records(path, records):
    """Append ``records`` (dicts with a ``"key"``) to the JSON lines file ``path``.

    An unfinished last line left by an interrupted writer is removed first, so every record
    lands on a line of its own; the file is flushed to disk before returning.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as fh:
        if fh.seek(0, os.SEEK_END) > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":            # a torn tail: cut back to the last newline
                fh.seek(0)
                fh.truncate(fh.read().rfind(b"\n") + 1)
        fh.seek(0, os.SEEK_END)
        for record in records:
            fh.write((json.dumps(record) + "\n").encode())
        fh.flush()
        os.fsync(fh.fileno())
