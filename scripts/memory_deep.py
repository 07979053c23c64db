"""Chapter 13, full size: signal propagation in deep recurrent stacks at initialisation.

For each recurrence (complex diagonal, LRU, GRU), with and without layer norm, and each
memory T, builds a stack of plrnn_lib.memory.deep_network (4 layers by default) and
measures, from its exact gradient, E[|h|^2] per layer and the mean squared gradient per
parameter group (plrnn_lib.memory.signal_propagation), the set-up of Zucchet and Orvieto
(2024, Sec. 5). Inputs are correlated synthetic sequences with the autocorrelation of BERT
input embeddings, R(D) = 0.044 * 0.997^D plus a white part (plrnn_lib.memory.
correlated_inputs), and the loss is next-step prediction of those inputs; the paper uses
Wikipedia text, which is not used here.

One JSON line per (recurrence, layer norm, T, seed) goes to book/data/memory_deep.jsonl as
soon as it is computed; a restarted script skips what is stored (resumable). Grids run
through plrnn_lib.parallel.run_tasks (--scheduler ADDRESS for a dask cluster).

    .venv/bin/python scripts/memory_deep.py [--d-model 64] [--n-states 64] [--length 1024]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from plrnn_lib.memory.deep import correlated_inputs, deep_network, signal_propagation
from plrnn_lib.parallel import append_records, read_records, run_tasks

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "data" / "memory_deep.jsonl"
MEMORIES = (1, 2, 5, 10, 20, 50, 100)


def key(task):
    return ("{recurrence}|ln={layer_norm}|T={memory}|seed={seed}|layers={n_layers}|"
            "d={d_model}|n={n_states}|L={length}|B={batch_size}".format(**task))


def measure(task, rng=None):
    """One configuration; its own seed fixes the network and the inputs (rng is ignored)."""
    seed = np.random.default_rng([task["seed"], 13])
    x = correlated_inputs(task["batch_size"], task["length"] + 1, task["d_in"], rng=seed)
    net = deep_network(task["recurrence"], task["memory"], n_layers=task["n_layers"],
                       d_in=task["d_in"], d_model=task["d_model"], n_states=task["n_states"],
                       layer_norm=task["layer_norm"],
                       rng=np.random.default_rng([task["seed"], int(task["memory"] * 1000)]))
    start = time.time()
    stats = signal_propagation(net, x[:, :-1], x[:, 1:])
    return {**task, "key": key(task), "h2": stats["h2"].tolist(), "grad2": stats["grad2"],
            "grad2_per_layer": {k: v.tolist() for k, v in stats["grad2_per_layer"].items()},
            "loss": stats["loss"], "seconds": round(time.time() - start, 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-layers", type=int, default=4)
    parser.add_argument("--d-in", type=int, default=32)
    parser.add_argument("--d-model", type=int, default=64)
    parser.add_argument("--n-states", type=int, default=64)
    parser.add_argument("--length", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--memories", type=float, nargs="+", default=list(MEMORIES))
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    start = time.time()
    tasks = [dict(recurrence=rec, layer_norm=ln, memory=float(T), seed=seed,
                  n_layers=args.n_layers, d_in=args.d_in, d_model=args.d_model,
                  n_states=args.n_states, length=args.length, batch_size=args.batch_size)
             for seed in range(args.seeds) for rec in ("complex_diagonal", "lru", "gru")
             for ln in (False, True) for T in args.memories]
    done = set(read_records(args.out))
    todo = [t for t in tasks if key(t) not in done]
    print(f"{len(tasks)} configurations, {len(tasks) - len(todo)} stored, {len(todo)} to do",
          flush=True)
    chunk = max(2, 2 * (args.n_jobs or 2))
    for i in range(0, len(todo), chunk):
        results = run_tasks(measure, todo[i:i + chunk], seed=0, n_jobs=args.n_jobs,
                            scheduler=args.scheduler, desc=f"configurations {i + 1}-")
        append_records(args.out, results)
        for r in results:
            print(r["recurrence"], r["layer_norm"], r["memory"],
                  {k: f"{v:.1e}" for k, v in r["grad2"].items()}, flush=True)
    print(f"done in {time.time() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
