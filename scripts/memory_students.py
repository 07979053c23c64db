"""Chapter 12, full size: the teacher-student grid of Zucchet and Orvieto (2024, Fig. 3).

Trains 64-unit students on the 10-unit linear teacher (plrnn_lib.memory.students) with Adam
and a cosine schedule, batch 128, T = 300, and stores each run's final loss (on 1024 fresh
sequences) and a short loss curve, one JSON line per run, in
book/data/memory_students.jsonl. Three groups of runs, in this order:

1. "main": the dense RNN and the LRU for nu0 = 0.36 ... 0.99 (the paper's seven values);
2. "ablation": block diagonal, more neurons, complex diagonal, normalised diagonal at
   nu0 = 0.99 (the RNN and LRU of group 1 complete the ablation);
3. "heads": the dense RNN with 1, 2, 4, 8, 16 and 32 heads at nu0 = 0.99, with their own
   number of steps (--heads-steps; the dense runs are the slow ones);

each for every seed and every learning rate of the architecture's grid (--lr-dense for the
dense students, --lr-diagonal for the others); chapter 12 takes the best learning rate per
architecture and nu0, as the paper does. The book's file (chapter 12 lists it) is what
these three calls store, about 2.5 h on two cores in all (one hour of it the last call):

    .venv/bin/python scripts/memory_students.py
    .venv/bin/python scripts/memory_students.py --groups main --lr-dense 3e-4 1e-3 3e-3 \\
        --lr-diagonal 3e-3 1e-2 3e-2
    .venv/bin/python scripts/memory_students.py --groups main --steps 10000 --seeds 1 \\
        --lr-dense 3e-4 1e-3 3e-3 --lr-diagonal 3e-3 1e-2 3e-2

The paper's grid is 10 seeds x 10k steps for every group, and e.g.

    .venv/bin/python scripts/memory_students.py --steps 10000 --heads-steps 0 --seeds 10 \\
        --lr-dense 1e-4 3e-4 1e-3 3e-3 --lr-diagonal 1e-3 3e-3 1e-2 3e-2 --scheduler ADDR

runs the full grid on a dask.distributed cluster. The script is resumable: finished runs
are appended to the file as they complete (in chunks through plrnn_lib.parallel.run_tasks)
and skipped when it is started again, so an interrupted run loses at most the runs in
flight. Each run carries its own seed (run_student_task), so the stored numbers do not
depend on chunking, worker count or restarts.

    .venv/bin/python scripts/memory_students.py [--steps 1000] [--heads-steps 500] \\
        [--seeds 2] [--n-jobs 2]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from plrnn_lib.memory.students import run_student_task, task_key
from plrnn_lib.parallel import append_records, read_records, run_tasks

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "data" / "memory_students.jsonl"
NU0S = (0.36, 0.68, 0.84, 0.92, 0.96, 0.98, 0.99)
ABLATION = ("block_diagonal", "more_neurons", "complex_diagonal", "normalised_diagonal")
HEADS = (1, 2, 4, 8, 16, 32)


def grid(args):
    """The runs in the order they are done: group by group, seed by seed."""
    tasks = []
    common = dict(n_steps=args.steps, batch_size=args.batch_size, seq_len=args.seq_len)

    def lrs(arch):
        return args.lr_dense if arch == "rnn" else args.lr_diagonal

    for seed in range(args.seeds):
        # the slow dense runs side by side, so that no worker waits for one in its chunk
        for arch in ("rnn", "lru"):
            for nu0 in NU0S:
                tasks += [dict(group="main", architecture=arch, nu0=nu0, lr=lr, seed=seed,
                               **common) for lr in lrs(arch)]
        for arch in ABLATION:
            tasks += [dict(group="ablation", architecture=arch, nu0=0.99, lr=lr, seed=seed,
                           **common) for lr in lrs(arch)]
        # the head count at its own (smaller) number of steps, one head included, so that
        # the comparison between head counts is like for like
        heads_common = {**common, "n_steps": args.heads_steps or args.steps}
        for heads in HEADS:
            tasks += [dict(group="heads", architecture="rnn", n_heads=heads, nu0=0.99, lr=lr,
                           seed=seed, **heads_common) for lr in lrs("rnn")]
    return tasks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--heads-steps", type=int, default=500,
                        help="steps of the head-count runs (0: the same as --steps)")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seq-len", type=int, default=300)
    parser.add_argument("--lr-dense", type=float, nargs="+", default=[1e-3])
    parser.add_argument("--lr-diagonal", type=float, nargs="+", default=[3e-3, 1e-2])
    parser.add_argument("--groups", nargs="+", default=["main", "ablation", "heads"],
                        choices=["main", "ablation", "heads"],
                        help="which groups of runs to do (several scripts may share the file)")
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="local worker processes (default: the cores available)")
    parser.add_argument("--scheduler", default=None,
                        help="address of a dask.distributed scheduler (default: local cores)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    start = time.time()
    tasks = [t for t in grid(args) if t["group"] in args.groups]
    done = set(read_records(args.out))
    todo = [t for t in tasks if task_key(t) not in done]
    print(f"{len(tasks)} runs in the grid, {len(tasks) - len(todo)} already stored in "
          f"{args.out}, {len(todo)} to do", flush=True)
    chunk = max(2, 2 * (args.n_jobs or 2))
    for i in range(0, len(todo), chunk):
        part = todo[i:i + chunk]
        results = run_tasks(run_student_task, part, seed=0, n_jobs=args.n_jobs,
                            scheduler=args.scheduler,
                            desc=f"runs {i + 1}-{i + len(part)} of {len(todo)}")
        for r in results:
            r["seconds_since_start"] = round(time.time() - start, 1)
        append_records(args.out, results)
        for r in results:
            print(f"{r['group']:9s} {r['architecture']:20s} heads={r.get('n_heads', 1):<3d}"
                  f"nu0={r['nu0']:.2f} lr={r['lr']:.0e} seed={r['seed']} "
                  f"final loss {r['final_loss']:.3e}", flush=True)
    print(f"done in {time.time() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
