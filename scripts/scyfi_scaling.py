"""Full-size scaling runs of SCYFI for chapter 4 (book/04_scaling.ipynb).

Measures the number of region sequences SCYFI evaluates until it has found a *known* set of
cycles, with an unbounded budget (plrnn_lib.cycles.scaling.regions_until_found: the search
is rerun with the outer-loop budget doubled until every known cycle is found, or until a
cap on the regions is used up; such *censored* runs are counted separately, never averaged):

1. versus the number of units M, for fixed points (k = 1), in three regimes of random
   PLRNNs scaled so that the mean max |eigenvalue| of the region matrices W_Omega is 0.7,
   1.25 or 2.3 (Eisenmann et al., 2023); every model has one planted fixed point
   (plrnn_lib.cycles.scaling.regime_model).  For M <= EXHAUSTIVE_M the known set is every
   fixed point (exhaustive enumeration, the paper's "until all cycles found"); above, it is
   the planted fixed point.  Beside it, every model also gets one SCYFI run with the
   reference budgets (scaling.reference_search): did it find the planted fixed point, and
   after how many regions was its last discovery (the cost a fixed-budget run reports);
2. versus the cycle order k for M = 2 (toy-like rotating PLRNNs): regions until the last
   k-cycle of a reference-budget run was found, beside the brute-force expectation
   (2^(Mk) + 1) / (n k + 1) (a random search hitting one of the k rotations of one of the
   n k-cycles; scaling.random_search_expectation);
3. versus M for models with ||A|| + ||W|| < 1 (the linear-time theorem), unbounded budget.

The plan (sizes, models per size, caps) is fixed, so the stored numbers do not depend on the
machine.  Every model is one task of plrnn_lib.parallel.run_tasks with its own random stream
(SeedSequence(SEED + part).spawn), so the results are the same serially, on the local cores
(--jobs) or on a dask.distributed cluster (--scheduler ADDRESS).  The results go to
book/data/scyfi_scaling.json (a few kB), which the chapter loads.

Usage:  python scripts/scyfi_scaling.py [--quick] [--out PATH] [--jobs N] [--scheduler ADDRESS]
  --quick              tiny sizes (a smoke test, about a minute)
  --jobs N             local worker processes (default: all cores)
  --scheduler ADDRESS  run the tasks on a dask.distributed scheduler instead
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import plrnn_lib as pl  # noqa: E402
from plrnn_lib.cycles import scaling  # noqa: E402
from plrnn_lib.parallel import run_tasks  # noqa: E402

SEED = 20231017
EXHAUSTIVE_M = 10
LINEAR_NORM_SUM = 0.9
SCREEN_MAX_ORDER = 24      # the orders screened for in the scaling with k

# (sizes, models per size, cap on the regions of one search by size).  The caps are lower
# for the largest sizes of the expanding regimes, where one region costs a linear solve of
# size M and nearly every search is censored anyway (the medians double every few units);
# the stored rows carry their cap.
FULL_PLAN = {
    "0.7": ([2, 4, 8, 16, 32, 64, 96, 127], 20, {}),
    "1.25": ([2, 4, 6, 8, 12, 16, 20, 24, 32, 40, 48, 64, 96, 127], 10,
             {64: 50_000, 96: 20_000, 127: 20_000}),
    "2.3": ([4, 6, 8, 10, 12, 16, 20, 24, 28, 32, 40, 50], 10, {40: 50_000, 50: 50_000}),
}
FULL_CAP = 200_000
QUICK_PLAN = {
    "0.7": ([2, 4, 8, 16], 5, {}),
    "1.25": ([2, 4, 8, 127], 3, {127: 200}),
    "2.3": ([4, 6, 8], 5, {}),
}
QUICK_CAP = 10_000


# -- one task each (module-level functions, so that they can go to other processes) ----------
def versus_M_task(task, rng):
    """One model of one regime and size: the unbounded count and a reference-budget run."""
    name, target, M, cap = task
    model, z_star = scaling.regime_model(M, target, rng)
    known = pl.exhaustive_cycles(model, 1) if M <= EXHAUSTIVE_M else [z_star]
    # both searches get the same stream: a reference run that finds the planted fixed point
    # has walked the first steps of the unbounded search (the chapter checks this)
    search_seed = int(rng.integers(0, 2 ** 63))
    n = scaling.regions_until_found(model, known, np.random.default_rng(search_seed),
                                    max_regions=cap)
    ref = scaling.reference_search(model, [z_star], np.random.default_rng(search_seed))
    return dict(count=n, n_known=len(known), ref_found_planted=ref.found_known,
                ref_n_found=ref.n_found, ref_last=ref.last_found_after,
                ref_evaluated=ref.evaluated)


def screen_task(n_models, rng):
    """Draw ``n_models`` rotating 2-D models and list the cycle orders a cheap search finds."""
    out = []
    for _ in range(n_models):
        model = scaling.rotating_model(rng)
        screen = pl.find_cycles(model, SCREEN_MAX_ORDER, rng=rng, outer_loops=10,
                                inner_loops=50)
        out.append(dict(A=model.A.tolist(), W=model.W.tolist(), h=model.h.tolist(),
                        orders=sorted(screen.orders)))
    return out


def versus_k_task(task, rng):
    """SCYFI at one order alone with the reference budgets: cost until its last k-cycle."""
    params, k = task
    model = pl.PLRNN(params["A"], params["W"], params["h"])
    cs = pl.find_cycles(model, k, min_order=k, rng=rng).of_order(k)
    return dict(cost=scaling.last_found_after(cs), n_cycles=len(cs))


def linear_task(M, rng):
    """A model with ||A|| + ||W|| = 0.9 < 1: regions until its unique fixed point is found."""
    model = scaling.contractive_model(M, LINEAR_NORM_SUM, rng)
    cs = pl.find_cycles(model, 1, rng=rng)
    assert len(cs) == 1, "a contraction has exactly one fixed point"
    return scaling.regions_until_found(model, cs, rng)



# -- the parts ------------------------------------------------------------------------------
def _summary(values):
    return (float(np.mean(values)) if values else None,
            float(np.median(values)) if values else None)


def versus_M(plan, default_cap, runner):
    regimes = {}
    for part, (name, (Ms, n_models, caps)) in enumerate(plan.items()):
        target = float(name)
        tasks = [(name, target, M, caps.get(M, default_cap)) for M in Ms for _ in range(n_models)]
        t0 = time.perf_counter()
        results = runner(versus_M_task, tasks, SEED + 1 + part, f"regime {name}")
        rows = []
        for i, M in enumerate(Ms):
            res = results[i * n_models:(i + 1) * n_models]
            counts = [r["count"] for r in res if r["count"] is not None]
            mean, median = _summary(counts)
            ref_last = [r["ref_last"] for r in res if r["ref_last"] is not None]
            rows.append(dict(
                M=M, n_models=n_models, known="all" if M <= EXHAUSTIVE_M else "planted",
                max_regions=caps.get(M, default_cap), mean=mean, median=median, counts=counts,
                censored=n_models - len(counts), n_known=[r["n_known"] for r in res],
                reference=dict(found_planted=sum(r["ref_found_planted"] for r in res),
                               n_found=[r["ref_n_found"] for r in res],
                               last_found_after=ref_last,
                               evaluated=[r["ref_evaluated"] for r in res])))
            r = rows[-1]
            print(f"  {name:>4} M={M:4d}: median {r['median']}  censored {r['censored']}/"
                  f"{n_models} (cap {r['max_regions']:,}); reference budget found the planted "
                  f"fixed point in {r['reference']['found_planted']}/{n_models}", flush=True)
        regimes[name] = dict(target=target, exhaustive_M=EXHAUSTIVE_M, planned_M=Ms, rows=rows,
                             seconds=round(time.perf_counter() - t0, 1))
    return regimes


def versus_k(ks, n_batches, batch_size, n_per_k, runner):
    """Screen ``n_batches * batch_size`` models; for each k measure the first ``n_per_k``."""
    t0 = time.perf_counter()
    screened = runner(screen_task, [batch_size] * n_batches, SEED + 10, "screen (k)")
    models = [m for batch in screened for m in batch]
    chosen = {k: [m for m in models if k in m["orders"]][:n_per_k] for k in ks}
    tasks = [(m, k) for k in ks for m in chosen[k]]
    results = runner(versus_k_task, tasks, SEED + 11, "versus k")
    per_k = {k: [] for k in ks}
    for (_, k), r in zip(tasks, results):
        if r["cost"] is not None:       # the screen's cycle was found again (nearly always)
            per_k[k].append(r)
    rows = []
    for k in ks:
        if not per_k[k]:
            continue
        counts = [r["cost"] for r in per_k[k]]
        n_cyc = [r["n_cycles"] for r in per_k[k]]
        brute = [scaling.random_search_expectation(2, k, n) for n in n_cyc]
        rows.append(dict(k=k, n_models=len(counts), mean=float(np.mean(counts)),
                         median=float(np.median(counts)), counts=counts, n_cycles=n_cyc,
                         brute_force=float(np.mean(brute))))
        print(f"  k={k:3d}: {len(counts)} models, mean {rows[-1]['mean']:10.1f}, "
              f"brute force {rows[-1]['brute_force']:.3g}", flush=True)
    return dict(M=2, rows=rows, models_drawn=len(models),
                seconds=round(time.perf_counter() - t0, 1))


def linear_time(Ms, n_models, runner):
    t0 = time.perf_counter()
    tasks = [M for M in Ms for _ in range(n_models)]
    counts = runner(linear_task, tasks, SEED + 20, "linear time")
    rows = []
    for i, M in enumerate(Ms):
        c = counts[i * n_models:(i + 1) * n_models]
        rows.append(dict(M=M, n_models=n_models, mean=float(np.mean(c)), max=int(np.max(c)),
                         counts=c))
        print(f"  M={M:4d}: mean {rows[-1]['mean']:.2f}, max {rows[-1]['max']}", flush=True)
    return dict(norm_sum=LINEAR_NORM_SUM, rows=rows, seconds=round(time.perf_counter() - t0, 1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "book" / "data" / "scyfi_scaling.json"))
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--scheduler", default=None)
    args = parser.parse_args(argv)

    def runner(fn, tasks, seed, desc):
        return run_tasks(fn, tasks, seed=seed, n_jobs=args.jobs, scheduler=args.scheduler,
                         desc=desc)

    t_start = time.perf_counter()
    cpu_start = time.process_time()
    if args.quick:
        plan, cap = QUICK_PLAN, QUICK_CAP
        k_plan = (list(range(1, 9)), 4, 25, 2)
        lin = ([2, 4, 8, 16, 32], 5)
    else:
        plan, cap = FULL_PLAN, FULL_CAP
        k_plan = (list(range(1, SCREEN_MAX_ORDER + 1)), 40, 75, 8)
        lin = ([2, 4, 8, 16, 32, 64, 127], 10)
    results = {}
    print("versus M (k = 1)", flush=True)
    results["regimes"] = versus_M(plan, cap, runner)
    print(f"versus k (M = 2): k in 1..{max(k_plan[0])}", flush=True)
    results["versus_k"] = versus_k(*k_plan, runner)
    print(f"linear-time theorem: ||A|| + ||W|| = {LINEAR_NORM_SUM}", flush=True)
    results["linear_time"] = linear_time(*lin, runner)
    command = "python scripts/scyfi_scaling.py" + (" --quick" if args.quick else "")
    results["meta"] = dict(
        seed=SEED, quick=args.quick, seconds=round(time.perf_counter() - t_start, 1),
        # CPU time of the workers is not seen from here; with --jobs 1 this is all of it
        main_process_cpu_seconds=round(time.process_time() - cpu_start, 1),
        jobs=args.jobs, scheduler=args.scheduler is not None, command=command,
        python=platform.python_version(), numpy=np.__version__, plrnn_lib=pl.__version__,
        date=time.strftime("%Y-%m-%d"))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1024:.1f} kB) after {results['meta']['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
