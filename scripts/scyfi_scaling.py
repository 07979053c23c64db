"""Full-size scaling runs of SCYFI for chapter 4 (book/04_scaling.ipynb).

Measures the number of region sequences SCYFI evaluates until it has found every cycle it
will find ("until all found" = the evaluation count at which the last cycle was found,
``max(c.found_after)``), averaged over random PLRNNs:

1. versus the number of units M, for fixed points (k = 1), in three regimes of random
   PLRNNs scaled so that the mean max |eigenvalue| of the region matrices W_Omega is 0.7,
   1.25 or 2.3 (Eisenmann et al., 2023, Fig. 3); every model has one planted fixed point
   so that there is always something to find;
2. versus the cycle order k for M = 2 (toy-like rotating PLRNNs), beside the brute-force
   expectation (2^(Mk) + 1) / (#cycles + 1);
3. versus M for models with ||A|| + ||W|| < 1 (the linear-time theorem).

Each part has a time limit: sizes are run in increasing order and a part stops when its
limit is used up (the stored file says which sizes were done).  The results go to
book/data/scyfi_scaling.json (a few kB), which the chapter loads.

Usage:  python scripts/scyfi_scaling.py [--quick] [--out PATH] [--scale-time FACTOR]
  --quick          tiny sizes (a smoke test, about a minute)
  --scale-time F   multiply every part's time limit by F (default 1: about 18 minutes)
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


# -- models -------------------------------------------------------------------------------------
def mean_max_eigenvalue(A, W, rng, n_regions=24):
    """Mean over random regions d of max |eigenvalue| of W_Omega = A + W diag(d)."""
    M = A.shape[0]
    D = rng.random((n_regions, M)) < 0.5
    return float(np.mean([np.abs(np.linalg.eigvals(A + W * d)).max() for d in D]))


def regime_model(M, target, rng):
    """A random PLRNN whose region matrices have mean max |eigenvalue| ~ ``target``.

    A = diag(a), a ~ U(0.3, 0.9), and W (zero diagonal, N(0, 1/M) entries) are scaled by one
    factor s; since W_Omega(sA, sW) = s W_Omega(A, W), the mean spectral radius becomes
    ``target``.  Then a point z* ~ N(0, I) is planted as a fixed point: h = z* - W_Omega z*
    with Omega the region of z*.  Returns (model, z*).
    """
    a = rng.uniform(0.3, 0.9, size=M)
    W = rng.normal(0.0, 1.0 / np.sqrt(M), size=(M, M))
    np.fill_diagonal(W, 0.0)
    s = target / mean_max_eigenvalue(np.diag(a), W, rng)
    a, W = a * s, W * s
    z = rng.normal(size=M)
    h = z - (np.diag(a) + W * (z > 0)) @ z
    return pl.PLRNN(a, W, h), z


def contractive_model(M, norm_sum, rng):
    """A random PLRNN with ||A||_2 + ||W||_2 = norm_sum (< 1: the linear-time theorem)."""
    a = rng.uniform(0.3, 0.9, size=M)
    W = rng.normal(0.0, 1.0 / np.sqrt(M), size=(M, M))
    np.fill_diagonal(W, 0.0)
    s = norm_sum / (np.abs(a).max() + np.linalg.norm(W, 2))
    return pl.PLRNN(a * s, W * s, rng.normal(size=M))


def rotating_model(rng):
    """A random 2-D PLRNN that rotates: in region d = (1, 1), W_Omega = r R(theta).

    theta = 2 pi / kappa with kappa ~ U(2, 30) and r ~ U(0.95, 1.3) (mildly expanding), as in
    the toy model whose region (1, 1) is an expanding rotation; A = diag(a), a ~ U(0.3, 1),
    h ~ N(0, I).  Such models have cycles of many different orders.
    """
    theta = 2 * np.pi / rng.uniform(2.0, 30.0)
    r = rng.uniform(0.95, 1.3)
    a = rng.uniform(0.3, 1.0, size=2)
    R = r * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    return pl.PLRNN(a, R - np.diag(a), rng.normal(size=2))


def until_all_found(cycles):
    """Evaluations until the last cycle was found (None when nothing was found)."""
    after = [c.found_after for c in cycles]
    return max(after) if after else None


# -- the three experiments ----------------------------------------------------------------------
def versus_M(target, Ms, n_models, loops, rng, time_limit):
    start = time.perf_counter()
    rows = []
    for M in Ms:
        if time.perf_counter() - start > time_limit:
            print(f"  time limit reached before M = {M}", flush=True)
            break
        counts, n_cycles, planted, t0 = [], [], 0, time.perf_counter()
        for _ in range(n_models):
            model, z_star = regime_model(M, target, rng)
            cs = pl.find_cycles(model, 1, rng=rng, outer_loops=loops[0], inner_loops=loops[1])
            counts.append(until_all_found(cs))
            n_cycles.append(len(cs))
            planted += any(np.allclose(c.points[0], z_star, atol=1e-8) for c in cs)
        found = [c for c in counts if c is not None]
        rows.append(dict(M=M, n_models=n_models, mean=float(np.mean(found)), median=float(np.median(found)),
                         counts=found, n_fixed_points=n_cycles, planted_found=planted,
                         seconds=round(time.perf_counter() - t0, 2)))
        print(f"  M={M:4d}: mean {rows[-1]['mean']:10.1f}  fixed points {np.mean(n_cycles):5.1f}  "
              f"planted found {planted}/{n_models}  ({rows[-1]['seconds']} s)", flush=True)
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
                    per_k[k].append((until_all_found(cs), len(cs)))
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
            cs = pl.find_cycles(model, 1, rng=rng, outer_loops=20, inner_loops=50)
            assert len(cs) == 1, "a contraction has exactly one fixed point"
            counts.append(until_all_found(cs))
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
        plan = {"0.7": ([2, 4, 8, 16], 5, (20, 50), 30), "1.25": ([2, 4, 8], 5, (50, 100), 30),
                "2.3": ([4, 6, 8], 5, (50, 100), 30)}
        ks, k_models, k_limit = list(range(1, 9)), 3, 30
        lin = ([2, 4, 8, 16, 32], 5, 15)
    else:
        plan = {"0.7": ([2, 4, 8, 16, 32, 64, 96, 128], 20, (50, 100), 150 * f),
                "1.25": ([2, 4, 8, 16, 24, 32, 48, 64, 96, 128], 10, (100, 200), 390 * f),
                "2.3": ([10, 14, 18, 22, 26, 30, 40, 50], 8, (100, 200), 240 * f)}
        ks, k_models, k_limit = list(range(1, 25)), 8, 210 * f
        lin = ([2, 4, 8, 16, 32, 64, 128], 10, 60 * f)
    t_start = time.perf_counter()
    results = {"regimes": {}}
    for name, (Ms, n, loops, limit) in plan.items():
        print(f"regime mean max|lambda| = {name}: M in {Ms}, {n} models, loops {loops}", flush=True)
        t0 = time.perf_counter()
        rows = versus_M(REGIMES[name], Ms, n, loops, rng, limit)
        results["regimes"][name] = dict(target=REGIMES[name], outer_loops=loops[0], inner_loops=loops[1],
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
