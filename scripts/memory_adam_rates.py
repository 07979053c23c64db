"""Chapter 11, full size: Adam's effective learning rates at the end of training from scratch.

Zucchet and Orvieto (2024) read Adam's second-moment estimates at the end of training runs on
a small linear teacher (two conjugate eigenvalue pairs of modulus 0.99) and compare the
effective learning rate lr / (sqrt(v_hat) + eps) on the dense RNN's A with that on the
complex diagonal RNN's lambda. This script repeats that protocol with plrnn_lib's layers:
the chapter's teacher, a dense student (4 units, initialised with nu0 = 0) and a complex
diagonal student (2 units, |lambda| on the ring [0.9, 0.999]), Adam at a constant learning
rate 1e-3, batches of 32 fresh sequences of length 300, several seeds. The runs go through
plrnn_lib.parallel.run_tasks (local cores by default, a dask.distributed cluster with
--scheduler ADDRESS); each gets its own random stream, so the results do not depend on
where it runs. It writes the final losses and the median effective rates per parameter
group to book/data/memory_adam_rates.json (small), which chapter 11 loads.

    .venv/bin/python scripts/memory_adam_rates.py [--steps 10000] [--seeds 10] [--scheduler ADDRESS]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import plrnn_lib as pl
from plrnn_lib.parallel import run_tasks

mem = pl.memory
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "data" / "memory_adam_rates.json"
TEACHER_SEED = 20240601   # chapter 11's seed: the same teacher as in the chapter
RUN_SEED = 11             # root of the runs' random streams (initialisation and data)


def chapter_teacher():
    """The teacher of chapter 11 (built with the same draws in the same order)."""
    rng = np.random.default_rng(TEACHER_SEED)
    lam = 0.99 * np.exp(1j * np.array([0.2, 0.9]))
    B_c = rng.normal(size=(2, 1)) + 1j * rng.normal(size=(2, 1))
    C_c = rng.normal(size=(1, 2)) + 1j * rng.normal(size=(1, 2))
    return mem.LinearRecurrentLayer("complex_diagonal", {
        "lam_re": lam.real, "lam_im": lam.imag, "B_re": B_c.real, "B_im": B_c.imag,
        "C_re": C_c.real, "C_im": C_c.imag, "D": rng.normal(size=(1, 1))})


def run(task, rng):
    """One training run: task = (kind, seed index, steps); rng draws the init and the data."""
    kind, seed, steps = task
    teacher = chapter_teacher()
    if kind == "dense":
        student = mem.dense_layer(4, rng=rng)
        blocks = {"A": ["A"]}
    else:
        student = mem.complex_diagonal_layer(2, nu_min=0.9, nu_max=0.999, rng=rng)
        blocks = {"lambda": ["lam_re", "lam_im"]}
    result = mem.train_adam(student, teacher, steps, lr=1e-3, batch_size=32, seq_len=300,
                            rng=rng, progress=False)
    eff = result.effective_learning_rates
    medians = {name: float(np.median(np.concatenate([eff[p].ravel() for p in parts])))
               for name, parts in blocks.items()}
    medians.update({p: float(np.median(v)) for p, v in eff.items()})
    return {"kind": kind, "seed": seed, "final_loss": float(np.mean(result.losses[-100:])),
            "first_loss": float(result.losses[0]), "median_effective_lr": medians}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--scheduler", default=None,
                        help="address of a dask.distributed scheduler (default: local cores)")
    args = parser.parse_args()
    start = time.time()
    tasks = [(kind, seed, args.steps) for seed in range(args.seeds)
             for kind in ("dense", "diagonal")]
    runs = run_tasks(run, tasks, seed=RUN_SEED, scheduler=args.scheduler,
                     desc="training runs")
    OUT.write_text(json.dumps({"steps": args.steps, "lr": 1e-3, "batch_size": 32,
                               "run_seed": RUN_SEED,
                               "seq_len": 300, "runs": runs,
                               "seconds": round(time.time() - start, 1)}, indent=1))
    for r in runs:
        print(r["kind"], r["seed"], f"loss {r['first_loss']:.3g} -> {r['final_loss']:.3g}",
              {k: f"{v:.2e}" for k, v in r["median_effective_lr"].items()})
    print(f"wrote {OUT} in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
