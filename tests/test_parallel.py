"""The parallel runner: results in task order, seeds independent of where tasks run."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from plrnn_lib.parallel import run_tasks, task_seeds


def draw(task, rng):
    """A task whose result depends on its argument and on its random numbers."""
    return (task, rng.integers(0, 2**62, size=3).tolist(), float(rng.normal()))


def fail_on_three(task, rng):
    if task == 3:
        raise ArithmeticError(f"task {task} failed")
    return task


def nested(task, rng):
    """A task that runs a grid of its own (as a training run that sweeps would)."""
    inner = run_tasks(draw, [task, task + 1], seed=int(rng.integers(0, 2**31)), progress=False)
    return [x[1] for x in inner]


def in_a_worker(task, rng):
    import plrnn_lib.parallel as parallel

    return parallel._inside_a_worker()


def expected_draws(tasks, seed):
    # independent of the runner: numpy's own SeedSequence.spawn, one child per position
    children = np.random.SeedSequence(seed).spawn(len(tasks))
    return [draw(t, np.random.default_rng(c)) for t, c in zip(tasks, children)]


TASKS = list(range(23))


def test_serial_run_gives_each_task_its_spawned_generator_in_task_order():
    assert run_tasks(draw, TASKS, seed=7, n_jobs=1, progress=False) == expected_draws(TASKS, 7)


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_results_do_not_depend_on_the_number_of_threads(workers):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        out = run_tasks(draw, TASKS, seed=7, executor=pool, progress=False)
    assert out == expected_draws(TASKS, 7)


def test_process_pool_equals_serial():
    assert run_tasks(draw, TASKS, seed=11, n_jobs=2, progress=False) == expected_draws(TASKS, 11)


def test_tasks_get_distinct_streams_and_unseeded_runs_differ():
    out = run_tasks(draw, [0] * 10, seed=3, n_jobs=1, progress=False)
    assert len({tuple(x[1]) for x in out}) == 10
    a = run_tasks(draw, [0, 1], n_jobs=1, progress=False)
    b = run_tasks(draw, [0, 1], n_jobs=1, progress=False)
    assert a != b


def test_seed_forms():
    by_int = run_tasks(draw, TASKS[:4], seed=5, n_jobs=1, progress=False)
    by_sequence = run_tasks(draw, TASKS[:4], seed=np.random.SeedSequence(5), n_jobs=1,
                            progress=False)
    assert by_int == by_sequence
    # a Generator is drawn from: the same state gives the same run, and it advances
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    first = run_tasks(draw, TASKS[:4], seed=g1, n_jobs=1, progress=False)
    assert first == run_tasks(draw, TASKS[:4], seed=g2, n_jobs=1, progress=False)
    assert first != run_tasks(draw, TASKS[:4], seed=g1, n_jobs=1, progress=False)
    assert [len(task_seeds(0, n)) for n in (0, 1, 5)] == [0, 1, 5]


def test_no_tasks_no_work():
    assert run_tasks(draw, [], seed=0, progress=False) == []


@pytest.mark.parametrize("options", [dict(n_jobs=1), dict(n_jobs=2)])
def test_a_failing_task_raises_its_own_exception(options):
    with pytest.raises(ArithmeticError, match="task 3"):
        run_tasks(fail_on_three, range(6), seed=0, progress=False, **options)


def test_an_unpicklable_function_runs_serially_with_a_warning():
    with pytest.warns(UserWarning, match="cannot be pickled"):
        out = run_tasks(lambda t, rng: draw(t, rng), TASKS[:5], seed=2, n_jobs=2, progress=False)
    assert out == expected_draws(TASKS[:5], 2)


def test_tasks_in_a_process_pool_know_they_are_in_a_worker():
    assert run_tasks(in_a_worker, range(4), seed=0, n_jobs=2, progress=False) == [True] * 4
    assert run_tasks(in_a_worker, range(2), seed=0, n_jobs=1, progress=False) == [False] * 2


def test_a_task_that_runs_tasks_itself_works_inside_a_process_pool():
    seed_children = np.random.SeedSequence(4).spawn(3)
    expected = []
    for t, child in zip(range(3), seed_children):
        inner_seed = int(np.random.default_rng(child).integers(0, 2**31))
        expected.append([x[1] for x in expected_draws([t, t + 1], inner_seed)])
    assert run_tasks(nested, range(3), seed=4, n_jobs=2, progress=False) == expected


def test_a_dask_cluster_gives_the_serial_result():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        by_address = run_tasks(draw, TASKS, seed=13, scheduler=cluster.scheduler_address,
                               progress=False)
        with distributed.Client(cluster) as client:
            by_client = run_tasks(draw, TASKS, seed=13, scheduler=client, progress=False)
            by_executor = run_tasks(draw, TASKS, seed=13, executor=client.get_executor(),
                                    progress=False)
    expected = expected_draws(TASKS, 13)
    assert by_address == expected
    assert by_client == expected
    assert by_executor == expected


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(fn=3), TypeError, "^fn"),
    (dict(tasks="abc"), TypeError, "^tasks"),
    (dict(tasks=5), TypeError, "^tasks"),
    (dict(seed=-1), ValueError, "^seed"),
    (dict(seed=1.5), TypeError, "^seed"),
    (dict(seed=True), TypeError, "^seed"),
    (dict(n_jobs=0), ValueError, "^n_jobs"),
    (dict(executor="pool"), TypeError, "^executor"),
    (dict(scheduler=8786), TypeError, "^scheduler"),
    (dict(executor=ThreadPoolExecutor(1), scheduler="tcp://127.0.0.1:1"), ValueError,
     "^executor and scheduler"),
    (dict(executor=ThreadPoolExecutor(1), n_jobs=2), ValueError, "^n_jobs"),
    (dict(progress="yes"), TypeError, "^progress"),
    (dict(desc=3), TypeError, "^desc"),
])
def test_bad_arguments_name_themselves(kwargs, error, match):
    call = dict(fn=draw, tasks=[1, 2])
    call.update(kwargs)
    with pytest.raises(error, match=match):
        run_tasks(call.pop("fn"), call.pop("tasks"), **call)


def test_a_task_that_runs_tasks_itself_runs_them_serially_on_a_dask_worker(monkeypatch):
    distributed = pytest.importorskip("distributed")
    import plrnn_lib.parallel as parallel

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started inside a dask worker")

    seed_children = np.random.SeedSequence(4).spawn(3)
    expected = []
    for t, child in zip(range(3), seed_children):
        inner_seed = int(np.random.default_rng(child).integers(0, 2**31))
        expected.append([x[1] for x in expected_draws([t, t + 1], inner_seed)])
    # in-process workers (threads) share this module, so the patch reaches the inner runs
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
        out = run_tasks(nested, range(3), seed=4, scheduler=cluster.scheduler_address,
                        progress=False)
    assert out == expected


@pytest.mark.parametrize("n_tasks, workers", [(1, 1), (7, 2), (200, 2), (1000, 3), (33, None)])
def test_batches_cover_every_task_once_in_order(n_tasks, workers):
    from plrnn_lib.parallel import BATCHES_PER_WORKER, _batches

    batches = _batches(n_tasks, workers)
    assert [i for b in batches for i in b] == list(range(n_tasks))
    if workers is not None:
        assert len(batches) <= BATCHES_PER_WORKER * workers


def test_large_batches_give_the_same_results():
    # 300 tasks on one known worker: batches of 19 tasks each
    with ThreadPoolExecutor(max_workers=1) as pool:
        out = run_tasks(draw, range(300), seed=1, executor=pool, progress=False)
    assert out == expected_draws(list(range(300)), 1)
