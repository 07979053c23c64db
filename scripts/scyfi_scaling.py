"""Full-size scaling runs of SCYFI for chapter 4 (book/04_scaling.ipynb).

Measures the number of region sequences SCYFI evaluates until it has found a *known* set of
cycles, with an unbounded budget (plrnn_lib.cycles.regions_until_found: the search is rerun
with the outer-loop budget doubled until every known cycle is found, or until a cap on the
regions is exhausted; such censored runs are counted separately), averaged over random PLRNNs:

1. versus the number of units M, for fixed points (k = 1), in three regimes of random
   PLRNNs scaled so that the mean max |eigenvalue| of the region matrices W_Omega is 0.7,
   1.25 or 2.3 (Eisenmann et al., 2023); every model has one planted fixed point
   (plrnn_lib.cycles.regime_model).  For M <= EXHAUSTIVE_M the known set is every fixed
   point (exhaustive enumeration, the paper's "until all cycles found"); above, it is the
   planted fixed point;
2. versus the cycle order k for M = 2 (toy-like rotating PLRNNs), beside the brute-force
   expectation (2^(Mk) + 1) / (#cycles + 1); fixed reference budgets, cost = evaluations
   until the last k-cycle was found;
3. versus M for models with ||A|| + ||W|| < 1 (the linear-time theorem), unbounded budget.

Each part has a time limit: sizes are run in increasing order and a part stops when its
limit is used up (the stored file says which sizes were done).  The results go to
book/data/scyfi_scaling.json (a few kB), which the chapter loads.

Usage:  python scripts/scyfi_scaling.py [--quick] [--out PATH] [--scale-time FACTOR]
  --quick          tiny sizes (a smoke test, about a minute)
  --scale-time F   multiply every part's time limit by F (default 1: at most about 16 minutes)
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

SEED = 20231017
REGIMES = {"0.7": 0.7, "1.25": 1.25, "2.3": 2.3}


# -- models (regime and contractive models live in plrnn_lib.cycles.scaling) ---------------------
from plrnn_lib.cycles.scaling import (contractive_model, last_found_after, regime_model,  # noqa: E402
                                     regions_until_found, rotating_model)

EXHAUSTIVE_M = 10


def versus_M(target, Ms, n_models, max_regions, rng, time_limit):
    start = time.perf_counter()
    rows = []
    for M in Ms:
        if time.perf_counter() - start > time_limit:
            print(f"  time limit reached before M = {M}", flush=True)
            break
        counts, n_known, censored, t0 = [], [], 0, time.perf_counter()
        for _ in range(n_models):
            model, z_star = regime_model(M, target, rng)
            known = pl.exhaustive_cycles(model, 1) if M <= EXHAUSTIVE_M else [z_star]
            n = regions_until_found(model, known, rng, max_regions=max_regions)
            n_known.append(len(known))
            if n is None:
                censored += 1
            else:
                counts.append(n)
        rows.append(dict(M=M, n_models=n_models, known="all" if M <= EXHAUSTIVE_M else "planted",
                         mean=float(np.mean(counts)) if counts else None,
                         median=float(np.median(counts)) if counts else None,
                         counts=counts, n_known=n_known, censored=censored, max_regions=max_regions,
                         seconds=round(time.perf_counter() - t0, 2)))
        r = rows[-1]
        print(f"  M={M:4d}: mean {r['mean'] if r['mean'] is None else round(r['mean'], 1)}  "
              f"median {r['median']}  known {np.mean(n_known):4.1f}  censored {censored}/{n_models}  "
              f"({r['seconds']} s)", flush=True)
    return rows


def versus_k(ks, n_models, rng, time_limit):
    """For every k: regions searched until all k-cycles were found, over rotating 2-D models.

    Models are drawn at random (:func:`rotating_model`) and screened by a cheap search
    (10 x 50 iterations per order) for the orders they have; for each order found (and
    still wanted) SCYFI is run again at that order alone, with the reference loop counts and
    a fresh random stream, and that run is measured.
    """
    start = time.perf_counter()
    per_k = {k: [] for k in ks}
    n_drawn = 0
    while time.perf_counter() - start < time_limit and min(len(v) for v in per_k.values()) < n_models:
        model = rotating_model(rng)
        n_drawn += 1
        screen = pl.find_cycles(model, max(ks), rng=rng, outer_loops=10, inner_loops=50)
        for k in screen.orders:
            if k in per_k and len(per_k[k]) < n_models:
                cs = pl.find_cycles(model, k, min_order=k, rng=rng).of_order(k)
                if len(cs):
                    per_k[k].append((last_found_after(cs), len(cs)))
    rows = []
    for k in ks:
        if not per_k[k]:
            continue
        counts = [c for c, _ in per_k[k]]
        n_cyc = [n for _, n in per_k[k]]
        brute = float(np.mean([(2.0 ** (2 * k) + 1) / (n + 1) for n in n_cyc]))
        rows.append(dict(k=k, n_models=len(counts), mean=float(np.mean(counts)), counts=counts,
                         n_cycles=n_cyc, brute_force=brute))
        print(f"  k={k:3d}: {len(counts)} models, mean {rows[-1]['mean']:10.1f}, brute force {brute:.3g}", flush=True)
    return rows, n_drawn


def linear_time(Ms, n_models, norm_sum, rng, time_limit):
    start = time.perf_counter()
    rows = []
    for M in Ms:
        if time.perf_counter() - start > time_limit:
            break
        counts = []
        for _ in range(n_models):
            model = contractive_model(M, norm_sum, rng)
            cs = pl.find_cycles(model, 1, rng=rng)
            assert len(cs) == 1, "a contraction has exactly one fixed point"
            counts.append(regions_until_found(model, cs, rng))
        rows.append(dict(M=M, n_models=n_models, mean=float(np.mean(counts)), max=int(np.max(counts)),
                         counts=counts))
        print(f"  M={M:4d}: mean {rows[-1]['mean']:.2f}, max {rows[-1]['max']}", flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "book" / "data" / "scyfi_scaling.json"))
    parser.add_argument("--scale-time", type=float, default=1.0)
    args = parser.parse_args(argv)
    f = args.scale_time
    rng = np.random.default_rng(SEED)
    if args.quick:
        plan = {"0.7": ([2, 4, 8, 16], 5, 10 ** 4, 30), "1.25": ([2, 4, 8], 5, 10 ** 4, 30),
                "2.3": ([4, 6, 8], 5, 10 ** 4, 30)}
        ks, k_models, k_limit = list(range(1, 9)), 3, 30
        lin = ([2, 4, 8, 16, 32], 5, 15)
    else:
        plan = {"0.7": ([2, 4, 8, 16, 32, 64, 96, 128], 20, 2 * 10 ** 5, 120 * f),
                "1.25": ([2, 4, 6, 8, 12, 16, 20, 24, 32, 40, 48], 10, 2 * 10 ** 5, 300 * f),
                "2.3": ([4, 6, 8, 10, 12, 16, 20, 24, 28, 32], 10, 2 * 10 ** 5, 240 * f)}
        ks, k_models, k_limit = list(range(1, 25)), 8, 180 * f
        lin = ([2, 4, 8, 16, 32, 64, 128], 10, 60 * f)
    t_start = time.perf_counter()
    results = {"regimes": {}}
    for name, (Ms, n, cap, limit) in plan.items():
        print(f"regime mean max|lambda| = {name}: M in {Ms}, {n} models, at most {cap} regions", flush=True)
        t0 = time.perf_counter()
        rows = versus_M(REGIMES[name], Ms, n, cap, rng, limit)
        results["regimes"][name] = dict(target=REGIMES[name], max_regions=cap, exhaustive_M=EXHAUSTIVE_M,
                                        planned_M=Ms, rows=rows, seconds=round(time.perf_counter() - t0, 1))
    print(f"versus k (M = 2): k in 1..{max(ks)}", flush=True)
    t0 = time.perf_counter()
    rows, n_drawn = versus_k(ks, k_models, rng, k_limit)
    results["versus_k"] = dict(M=2, rows=rows, models_drawn=n_drawn, seconds=round(time.perf_counter() - t0, 1))
    print("linear-time theorem: ||A|| + ||W|| = 0.9", flush=True)
    t0 = time.perf_counter()
    results["linear_time"] = dict(norm_sum=0.9, rows=linear_time(lin[0], lin[1], 0.9, rng, lin[2]),
                                  seconds=round(time.perf_counter() - t0, 1))
    results["meta"] = dict(seed=SEED, quick=args.quick, seconds=round(time.perf_counter() - t_start, 1),
                           command="python scripts/scyfi_scaling.py" + (" --quick" if args.quick else ""),
                           python=platform.python_version(), numpy=np.__version__,
                           plrnn_lib=pl.__version__, date=time.strftime("%Y-%m-%d"))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1024:.1f} kB) after {results['meta']['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
