"""Benchmark of the SCYFI engine (run: ``python benchmarks/scyfi.py``; a script, not a test).

Measures, in one run and side by side:

1. the numba engine (:func:`plrnn_lib.find_cycles`) against
   - the engine as it was before the rewrite (``plrnn_lib/cycles/_engine.py`` at commit
     98208fc, loaded from the git history and run on the same models, seeds and random
     streams; the script asserts the same sequences evaluated and the same cycles), as
     region sequences per second and their ratio.  Without the git history the rates
     recorded on 2026-12-01 (``RECORDED_BASELINE``) are printed instead;
   - a plain Python/numpy version of the same loop below (same seed, same SplitMix64
     stream, same decisions; asserted: the same region sequences visited, the same cycles),
     as a speed-up.  Both implement the engine's deviation from the reference loop
     (sequences tried before, up to a cyclic shift, are neither jumped into nor drawn
     again; see :func:`plrnn_lib.find_cycles`): the engine by 64-bit hashes in a set, the
     Python version by exact keys in a set.
   The cases with cycles at M = 10 and M = 50 are constructed (:func:`slaved_model`): two
   1-D units with a stable 2-cycle each drive a contracting rest, so every cycle of the
   pair lifts to exactly one cycle of the whole model (one fixed point, four 2-cycles).
2. the time of one order-1 search step (build W_Omega, solve (I - W_Omega) z = h, check the
   regions) against one bare ``numpy.linalg.solve`` of the same size.
3. the arithmetic floor of one candidate at M = 10 (k - 1 compositions of region maps,
   the LU solve, k - 1 region maps applied to the points, each timed in a bare loop over 64
   random sequences) against both engines' cost per sequence: the old engine's time over
   the floor bounds the speed-up any engine built from these operations can reach
   (:func:`arithmetic_floor`).  The LU is timed beside the same elimination compiled as C
   (benchmarks/_lu_reference.c, gcc -O2 -march=native), when a C compiler is at hand: at
   M = 10 it is bound by the latency of the pivot chain, and the C version is no faster
   (445-511 ns against numba's 379-419 in a run on 2026-12-01, after the elimination lost
   its chain of divisions and its serial scale; before that C was 10-25 % faster).
   (numba leaves LLVM's SLP vectoriser off, numba PR #8852, so the products and the maps
   are vectorised by hand: register-blocked kernels written as numba intrinsics,
   ``plrnn_lib.cycles._linalg.compose_at`` and ``affine_map_at``; the product kernel
   beats dgemm's call and packing overhead up to M = 15, where an earlier intrinsic that
   kept its sums in memory only tied dgemm.)
4. the solver crossovers behind ``LAPACK_MIN_SIZE`` (elimination vs LAPACK's dgesv) and
   ``LOOP_MATMUL_MAX`` / ``VECTOR_MATMUL_MAX`` (plain loop, register-blocked vector kernel
   and BLAS's dgemm for one composition of region maps), measured per size.

Targets: >= 1 million sequences per second on the toy model (orders 1-8); >= 3x the old
engine at M = 10; >= 30x the Python loop at M = 2, >= 10x at M = 10; one order-1 step
<= 1.2x a bare solve at M = 50.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path

import numpy as np
import scipy.linalg

import plrnn_lib as pl
from _timing import best_time, best_times
from plrnn_lib.cycles import _arguments, _linalg, default_inner_loops, default_outer_loops, \
    trace_scyfi
from plrnn_lib.cycles._search import REDRAW_TRIES

ROOT = Path(__file__).resolve().parents[1]
MASK = (1 << 64) - 1
BASELINE_COMMIT = "98208fc"
#: Sequences per second of the engine before the rewrite, measured by the lead on this
#: machine on 2026-12-01 at 14:50 UTC (benchmarks/scyfi.py at 98208fc), for when the git
#: history is not at hand.
RECORDED_BASELINE = {"M=2 (toy model, orders 1-8)": 279015, "M=10 (random, orders 1-5)": 358505,
                     "M=50 (random, orders 1-2)": 38636}


class SplitMix64:
    """The engine's generator in plain Python integers."""

    def __init__(self, state):
        self.state = int(state)

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        x = self.state
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
        return x ^ (x >> 31)

    def regions(self, k, M):
        D = np.zeros((k, M), dtype=bool)
        for j in range(k):
            word = 0
            for i in range(M):
                if i % 64 == 0:
                    word = self.next()
                D[j, i] = (word >> (i % 64)) & 1
        return D


def same_point(x, y, tol):
    return np.abs(x - y).max() <= tol * (1.0 + max(np.abs(x).max(), np.abs(y).max()))


def sequence_key(D):
    """The region sequence up to cyclic shifts: its smallest rotation, as a tuple of row bytes."""
    rows = tuple(d.tobytes() for d in D)
    return min(rows[s:] + rows[:s] for s in range(len(rows)))


def draw_fresh(rng, k, M, visited):
    """Random regions, redrawn (up to REDRAW_TRIES draws in all) while tried before."""
    for _ in range(REDRAW_TRIES):
        D = rng.regions(k, M)
        if sequence_key(D) not in visited:
            break
    return D


def solve_unit_minus(P, c):
    """z with (I - P) z = c, or None when I - P is numerically singular by the engine's rule
    (a pivot of the LU factorisation with partial pivoting at most 1e-12 max(1, max|I - P|)),
    here through scipy's LU, not the engine's elimination."""
    a = np.eye(P.shape[0]) - P
    if not np.all(np.isfinite(a)):
        return None
    _, _, U = scipy.linalg.lu(a)
    if np.min(np.abs(np.diag(U))) <= 1e-12 * max(1.0, np.abs(a).max()):
        return None
    z = np.linalg.solve(a, c)
    return z if np.all(np.isfinite(z)) else None


def python_scyfi_order(A, W, h, k, n_outer, n_inner, state, tol=1e-9, visited=None):
    """SCYFI for one order of a PLRNN in plain Python/numpy (the loop of Eisenmann et al., 2023).

    With the engine's deviation: sequences tried before (up to a cyclic shift) are neither
    jumped into nor drawn again (up to REDRAW_TRIES draws).
    """
    M = A.shape[0]
    rng = SplitMix64(state)
    tried = set()
    found, n_eval, outer = [], 0, 0
    while outer < n_outer:
        outer += 1
        D = draw_fresh(rng, k, M, tried)
        inner = 0
        while inner < n_inner:
            inner += 1
            n_eval += 1
            if visited is not None:
                visited.append(D.copy())
            tried.add(sequence_key(D))
            Js = [A + W * D[j][None, :] for j in range(k)]    # W_Omega = A + W diag(d)
            P, c = Js[0], h.copy()
            for j in range(1, k):
                P = Js[j] @ P
                c = Js[j] @ c + h
            z = solve_unit_minus(P, c)
            if z is None:
                D = draw_fresh(rng, k, M, tried)
                continue
            points = [z]
            for j in range(k - 1):
                points.append(Js[j] @ points[-1] + h)
            points = np.array(points)
            actual = points > 0
            if not np.array_equal(actual, D):
                if sequence_key(actual) in tried:              # a path already walked
                    D = draw_fresh(rng, k, M, tried)
                else:
                    D = actual                                 # jump
                continue
            # a lower period: the regions repeat with period p, or the points close early
            lower = any(k % p == 0 and (np.array_equal(D, np.roll(D, -p, axis=0))
                                        or same_point(points[0], points[p], tol))
                        for p in range(1, k))
            known = any(sequence_key(D) == sequence_key(r) or same_point(points[0], q, tol)
                        for f, r in found for q in f)
            if not lower and not known:
                found.append((points, D.copy()))
                outer, inner = 0, 0
            D = draw_fresh(rng, k, M, tried)
    return [p for p, _ in found], n_eval


def python_find_cycles(model, max_order, seed, visited=None):
    base = _arguments.stream_base(np.random.default_rng(seed))
    cycles, evaluated = [], {}
    for k in range(1, max_order + 1):
        state = int(_arguments.stream_state(base, k)[0])
        found, n_eval = python_scyfi_order(
            np.array(model.A), np.array(model.W), np.array(model.h), k, default_outer_loops(k),
            default_inner_loops(k), state, visited=None if visited is None else visited.setdefault(k, []))
        cycles += found
        evaluated[k] = n_eval
    return cycles, evaluated


def slaved_model(M, seed):
    """A PLRNN with known cycles: units 0 and 1 are 1-D piecewise-linear maps with slopes
    (-0.5, -1.5) and (-0.4, -1.6), each with an unstable fixed point and a stable 2-cycle
    (|product of slopes| < 1); units 2.. are contracting (A in (0.2, 0.6), weak W) and
    driven by units 0 and 1.  So the model has one fixed point and four 2-cycles (each of
    the pair's cycles, lifted), two of them stable."""
    rng = np.random.default_rng(seed)
    A = np.empty(M)
    W = np.zeros((M, M))
    h = np.empty(M)
    A[0], W[0, 0], h[0] = -0.5, -1.0, 1.0
    A[1], W[1, 1], h[1] = -0.4, -1.2, 0.7
    A[2:] = rng.uniform(0.2, 0.6, M - 2)
    W[2:, 2:] = rng.normal(scale=0.1 / np.sqrt(M), size=(M - 2, M - 2))
    W[2:, :2] = rng.normal(scale=0.3, size=(M - 2, 2))
    h[2:] = rng.normal(scale=0.5, size=M - 2)
    return pl.PLRNN(A, W, h)


# -- the engine before the rewrite -----------------------------------------------------------

def load_baseline_engine():
    """The module plrnn_lib/cycles/_engine.py at BASELINE_COMMIT, or None without git history."""
    try:
        source = subprocess.run(["git", "show", f"{BASELINE_COMMIT}:plrnn_lib/cycles/_engine.py"],
                                cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    folder = Path(tempfile.gettempdir()) / f"plrnn_engine_{BASELINE_COMMIT}"
    folder.mkdir(exist_ok=True)
    path = folder / f"engine_{BASELINE_COMMIT}.py"
    if not path.exists() or path.read_text() != source:
        path.write_text(source)
    name = f"engine_{BASELINE_COMMIT}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module      # numba's on-disk cache finds its kernels' module by name
    spec.loader.exec_module(module)
    return module


def baseline_find_cycles(engine, model, max_order, seed, min_order=1):
    """The old engine's kernel for orders min_order..max_order with find_cycles' streams and
    loop counts.

    Returns (points per cycle, sequences evaluated per order).  Without the Python wrapper
    (no Cycle objects are built), so its rate is if anything flattered.
    """
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    base = _arguments.stream_base(np.random.default_rng(seed))
    pool = np.zeros((0, model.n_gates), dtype=bool)
    points, evaluated = [], {}
    for k in range(min_order, max_order + 1):
        seeds = np.zeros((0, k, model.n_gates), dtype=bool)
        out = engine.scyfi_search(A, W, G, g, b, gate_is_identity, k, default_outer_loops(k),
                                  default_inner_loops(k), pool, seeds,
                                  _arguments.stream_state(base, k), 1e-9, None, 0)
        points += list(out[0])
        evaluated[k] = int(out[3])
    return points, evaluated


def assert_same_cycles(found, reference_points):
    assert len(found) == len(reference_points), (len(found), len(reference_points))
    for pts in reference_points:
        assert any(c.order == len(pts) and same_point(c.points[0], q, 1e-7) for c in found
                   for q in pts)


def compare(model, max_order, seed, old_engine, repeat=40):
    # correctness first: same regions visited, same cycles, as the Python loop and the old engine
    visited = {}
    py_cycles, py_eval = python_find_cycles(model, max_order, seed, visited)
    nb = pl.find_cycles(model, max_order, rng=seed)
    assert nb.evaluated == py_eval, (nb.evaluated, py_eval)
    for k in range(1, max_order + 1):
        tr = trace_scyfi(model, k, rng=seed, max_steps=len(visited[k]))
        assert np.array_equal(tr.assumed, np.array(visited[k])), f"order {k}: different regions visited"
    assert_same_cycles(nb, py_cycles)
    if old_engine is not None:
        old_points, old_eval = baseline_find_cycles(old_engine, model, max_order, seed)
        assert old_eval == nb.evaluated, (old_eval, nb.evaluated)
        assert_same_cycles(nb, old_points)
    # Timings order by order (every order has its own random stream, so find_cycles with
    # min_order = max_order = k repeats exactly the work of order k), interleaved new / old,
    # best of `repeat` runs per order, summed over the orders.  Short runs (about a
    # millisecond) and many of them: on a shared, loaded machine a whole multi-order search
    # is rarely left uninterrupted, and a best of 7 whole searches swung the M = 10 ratio
    # between 0.8x and 2.6x from run to run; per-order bests are reproducible.
    # Besides find_cycles, the new engine's kernel alone (as the old one is timed: no
    # argument checks, Generator or Cycle objects), to separate engine from wrapper.
    t_new = t_kernel = t_old = 0.0
    for k in range(1, max_order + 1):
        runs = {"new": lambda: pl.find_cycles(model, k, min_order=k, rng=seed),
                "kernel": lambda: new_kernel_order(model, k, seed)}
        if old_engine is not None:
            runs["old"] = lambda: baseline_find_cycles(old_engine, model, k, seed, min_order=k)
        best = best_times(runs, repeat)
        t_new += best["new"]
        t_kernel += best["kernel"]
        t_old += best.get("old", np.inf)
    t_py = best_time(lambda: python_find_cycles(model, max_order, seed), 1)
    return dict(t_new=t_new, t_kernel=t_kernel, t_old=t_old if old_engine is not None else None,
                t_py=t_py, n_eval=sum(nb.evaluated.values()), n_cycles=len(nb))


def new_kernel_order(model, k, seed):
    """The new engine's kernel for order k with find_cycles' stream, loop counts and a fresh
    region cache, without find_cycles' Python around it."""
    base, pool = _arguments.streams(model, seed, None)
    return _arguments.run_order(model, k, default_outer_loops(k), default_inner_loops(k), pool,
                                None, _arguments.stream_state(base, k), _arguments.POINT_TOL,
                                _arguments.region_maps_for(model, k))


def solver_crossovers():
    """Print elimination vs dgesv and loop vs dgemm per size (section 4)."""
    from numba import njit

    @njit
    def solve_many(P, rhs, mat, out, pivots, lapack_from, n):
        ok = 0
        for _ in range(n):
            ok += _linalg.solve_unit_minus(P, rhs, mat, out, pivots, lapack_from)
        return ok

    print("\nsolver crossover: (I - P) z = c by the elimination and by dgesv, us per solve")
    print(f"{'n':>4s} {'elimination':>12s} {'dgesv':>8s}")
    rng = np.random.default_rng(0)
    for n in (8, 12, 16, 20, 24, 32, 40, 48, 56, 64, 96):
        P = rng.normal(scale=0.3 / np.sqrt(n), size=(n, n))
        rhs = rng.normal(size=n)
        runs = {lapack_from: (P, rhs.copy(), np.empty((n, n)), np.empty(n),
                              _linalg.pivot_scratch(n), lapack_from)
                for lapack_from in (_linalg.NEVER, 1)}
        number = 4000 // n
        for args in runs.values():
            solve_many(*args, 10)
        best = best_times({lapack_from: (lambda args=args: solve_many(*args, number))
                           for lapack_from, args in runs.items()}, 25)
        best = {lapack_from: t / number for lapack_from, t in best.items()}
        print(f"{n:4d} {best[_linalg.NEVER] * 1e6:12.2f} {best[1] * 1e6:8.2f}"
              f"{'   <- LAPACK_MIN_SIZE' if n == _linalg.LAPACK_MIN_SIZE else ''}")
    print("\nproduct crossover: one composition [J | c] o [X | x] by the plain loop, the"
          " register-blocked vector kernel and BLAS's dgemm, ns per product")
    print(f"{'n':>4s} {'loop':>8s} {'vectors':>8s} {'dgemm':>8s}")
    compose_many = _compose_many_kernel()
    for n in (2, 3, 4, 5, 6, 8, 10, 12, 15, 16, 20):
        Jtab = rng.normal(size=(2, n, n + 1))
        out = np.empty((n, n + 1))
        number = 200000 // n
        paths = ("loop", "vectors", "dgemm")
        runs = {path: (lambda path=path: compose_many(Jtab, out, number, paths.index(path)))
                for path in paths}
        for fn in runs.values():
            fn()
        best = best_times(runs, 5)
        mark = ("   <- LOOP_MATMUL_MAX" if n == _linalg.LOOP_MATMUL_MAX else
                "   <- VECTOR_MATMUL_MAX" if n == _linalg.VECTOR_MATMUL_MAX else "")
        vectors = (f"{best['vectors'] / number * 1e9:8.0f}"
                   if 3 <= n <= _linalg.VECTOR_MATMUL_MAX else f"{'-':>8s}")
        print(f"{n:4d} {best['loop'] / number * 1e9:8.0f} {vectors} "
              f"{best['dgemm'] / number * 1e9:8.0f}{mark}")


_KERNELS = {}


def _compose_many_kernel():
    if "compose" not in _KERNELS:
        from numba import njit

        @njit
        def compose_many(Jtab, out, number, path):
            for _ in range(number):
                if path == 2:
                    _linalg.compose_by_blas(Jtab, 1, Jtab[0], out)
                elif path == 1:
                    _linalg.compose_by_vectors(Jtab, 1, Jtab[0], out)
                else:
                    _linalg.compose_by_loop(Jtab, 1, Jtab[0], out)
            return out[0, 0]
        _KERNELS["compose"] = compose_many
    return _KERNELS["compose"]


def _floor_kernels():
    """numba loops that time the arithmetic of one candidate (section 3), compiled once.

    Each loops over many distinct candidates, as a search does: on one matrix solved over
    and over, the branch predictor learns every pivot, which flatters the LU.
    """
    if "floor" not in _KERNELS:
        from numba import njit

        @njit
        def products(Jtab, idx, Pc, spare, number):
            # the k - 1 compositions of each candidate, as the engine forms them
            acc = 0.0
            for _ in range(number):
                for s in range(idx.shape[0]):
                    _linalg.cycle_product(Jtab, idx[s], Pc, spare)
                    acc += Pc[0, 0]
            return acc

        @njit
        def solves(Ps, mat, rhs, out, pivots, lapack_from, number):
            ok = 0
            for _ in range(number):
                for s in range(Ps.shape[0]):
                    ok += _linalg.solve_affine(Ps[s], rhs, mat, out, pivots, lapack_from)
            return ok

        @njit
        def matvecs(Jtab, idx, points, number):
            # the k - 1 maps that carry z_1 = points[0] to the points z_2 .. z_k, in turn
            acc = 0.0
            for _ in range(number):
                for s in range(idx.shape[0]):
                    for j in range(idx.shape[1] - 1):
                        _linalg.table_affine_apply(Jtab, idx[s, j], points, j, j + 1)
                    acc += points[-1, 0]
            return acc
        _KERNELS["floor"] = (products, solves, matvecs)
    return _KERNELS["floor"]


def c_solver():
    """The engine's elimination (partial pivoting, the same singular rule) compiled as C
    with ``cc -O2 -march=native`` from benchmarks/_lu_reference.c, or None without a C
    compiler: a floor for the LU that owes nothing to numba."""
    import ctypes
    import shutil

    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    library = Path(tempfile.mkdtemp(prefix="plrnn_lu_")) / "lu_reference.so"
    try:
        subprocess.run([compiler, "-O2", "-march=native", "-shared", "-fPIC", "-o",
                        str(library), str(ROOT / "benchmarks" / "_lu_reference.c")],
                       check=True, capture_output=True)
        lib = ctypes.CDLL(str(library))
    except (OSError, subprocess.CalledProcessError):
        return None
    lib.solve_unit_minus_many.restype = ctypes.c_int
    pointer = ctypes.POINTER(ctypes.c_double)

    def solve_many(Ps, number):
        return lib.solve_unit_minus_many(Ps.ctypes.data_as(pointer), Ps.shape[0], Ps.shape[1],
                                         number)
    return solve_many


#: How many random sequences the floor (section 3) loops over.
FLOOR_SEQUENCES = 64


def arithmetic_floor(model, old_engine, seed=1, orders=(1, 3, 5), repeat=100, number=4):
    """Section 3: what one candidate's arithmetic alone costs, against the engines.

    For a candidate of order k at M = 10 the engine must compose k maps (k - 1 products
    [J | c] o [X | x], by the vector kernel), solve (I - P) z = c by an LU factorisation with
    partial pivoting (the singular rule needs its pivots) and carry z_1 to z_2 .. z_k by
    k - 1 region maps.  Timed here in bare loops over FLOOR_SEQUENCES random sequences with
    nothing else
    (no region checks, hashing, random draws), this is a floor for the cost of a sequence;
    the old engine's time per sequence over it bounds the speed-up over the old engine of
    any engine built from these operations.  Beside the numba LU, the same elimination
    compiled as C: at this size an LU with partial pivoting is bound by the latency of its
    chain of pivot searches and eliminations, far more than by the language.
    """
    products, solves, matvecs = _floor_kernels()
    c_solve = c_solver()
    A, W, G, g, b, gate_is_identity = model.affine_parts()
    M = model.M
    rng = np.random.default_rng(0)
    print(f"\narithmetic floor of one candidate at M = {M} (random model, {FLOOR_SEQUENCES} "
          f"random sequences, best of {repeat}), ns per sequence")
    print(f"{'k':>3s} {'prods':>6s} {'LU':>6s} {'LU in C':>7s} {'maps':>6s} {'floor':>6s} "
          f"{'new':>6s} {'old':>6s} {'old/new':>7s} {'old/floor':>9s}")
    for k in orders:
        n = FLOOR_SEQUENCES
        D = rng.random((n, k, M)) < 0.5
        maps = _linalg.region_map_table(M, model.n_gates, k)
        Jtab = maps[0]
        idx = np.empty((n, k), dtype=np.int64)
        Ps = np.empty((n, M, M + 1))
        spare = np.empty((M, M + 1))
        for s in range(n):
            _linalg.region_maps(A, W, G, g, b, D[s], gate_is_identity, maps, idx[s])
            _linalg.cycle_product(Jtab, idx[s], Ps[s], spare)
        points = np.empty((k, M))
        points[0] = rng.normal(size=M)
        solve_args = (Ps, np.empty((M, M)), np.empty(M), np.empty(M), _linalg.pivot_scratch(M),
                      _linalg.lapack_from())
        runs = {"prods": lambda: products(Jtab, idx, Ps[0].copy(), spare, number),
                "LU": lambda: solves(*solve_args, number),
                "maps": lambda: matvecs(Jtab, idx, points, number),
                "new": lambda: pl.find_cycles(model, k, min_order=k, rng=seed),
                "old": lambda: baseline_find_cycles(old_engine, model, k, seed, min_order=k)}
        if c_solve is not None:
            runs["LU in C"] = lambda: c_solve(Ps, number)
        if old_engine is None:
            del runs["old"]
        if k == 1:       # a fixed point: no products, no maps to apply
            del runs["prods"], runs["maps"]
        n_seq = pl.find_cycles(model, k, min_order=k, rng=seed).evaluated[k]
        per = {"new": n_seq, "old": n_seq}
        for fn in runs.values():
            fn()
        best = best_times(runs, repeat)
        ns = {name: best[name] / per.get(name, n * number) * 1e9 for name in best}
        for name in ("prods", "maps"):
            ns.setdefault(name, 0.0)
        floor = ns["prods"] + ns["LU"] + ns["maps"]
        old_ns = ns.get("old", np.nan)
        c_text = f"{ns['LU in C']:7.0f}" if "LU in C" in ns else f"{'-':>7s}"
        print(f"{k:3d} {ns['prods']:6.0f} {ns['LU']:6.0f} {c_text} {ns['maps']:6.0f} "
              f"{floor:6.0f} {ns['new']:6.0f} {old_ns:6.0f} {old_ns / ns['new']:6.2f}x "
              f"{old_ns / floor:8.2f}x")


def main():
    rows = []
    old_engine = load_baseline_engine()
    toy = pl.toy_plrnn()
    cases = [("M=2 (toy model, orders 1-8)", toy, 8),
             ("M=10 (random, orders 1-5)", pl.PLRNN.random(10, rng=10, w_scale=1.5), 5),
             ("M=10 (with cycles, orders 1-5)", slaved_model(10, 10), 5),
             ("M=50 (random, orders 1-2)", pl.PLRNN.random(50, rng=50, w_scale=1.0), 2),
             ("M=50 (with cycles, orders 1-2)", slaved_model(50, 50), 2)]
    pl.find_cycles(toy, 2, rng=0)  # compile (or load the cache) outside the timings
    where = (f"the engine at {BASELINE_COMMIT}, run side by side" if old_engine is not None
             else "rates recorded on 2026-12-01 (no git history here)")
    print(f"SCYFI sequences per second: this engine vs {where}; and vs a plain Python/numpy loop")
    print("(asserted for every case: same sequences evaluated, same regions visited, same cycles)")
    print("(kernel/old: the new engine's kernel alone against the old one's, both without the"
          " Python of find_cycles)")
    print(f"{'case':32s} {'seqs':>6s} {'cycles':>6s} {'new seq/s':>10s} {'old seq/s':>10s} "
          f"{'new/old':>7s} {'kernel/old':>10s} {'vs python':>9s}")
    for name, model, K in cases:
        r = compare(model, K, seed=1, old_engine=old_engine)
        rate = r["n_eval"] / r["t_new"]
        old_rate = r["n_eval"] / r["t_old"] if r["t_old"] else RECORDED_BASELINE.get(name)
        speedup = r["t_py"] / r["t_new"]
        old_text = f"{old_rate:10.0f}" if old_rate else f"{'-':>10s}"
        ratio_text = f"{rate / old_rate:6.2f}x" if old_rate else f"{'-':>7s}"
        kernel_rate = r["n_eval"] / r["t_kernel"]
        kernel_text = f"{kernel_rate / old_rate:9.2f}x" if old_rate else f"{'-':>10s}"
        print(f"{name:32s} {r['n_eval']:6d} {r['n_cycles']:6d} {rate:10.0f} {old_text} "
              f"{ratio_text} {kernel_text} {speedup:8.1f}x")
        if name.startswith("M=2"):
            rows.append(("toy: >= 1e6 sequences/s", rate >= 1e6))
            rows.append(("toy: >= 30x the Python loop", speedup >= 30))
        if name.startswith("M=10 (random") and old_rate:
            rows.append(("M=10: >= 3x the old engine", rate / old_rate >= 3))
            rows.append(("M=10: >= 10x the Python loop", speedup >= 10))

    print("\none order-1 search step vs one bare numpy.linalg.solve of the same size")
    print(f"{'M':>4s} {'step us':>9s} {'solve us':>9s} {'ratio':>7s}")
    for M in (2, 10, 50):
        model = pl.PLRNN.random(M, rng=M, w_scale=1.0)
        n_outer = 200 if M == 50 else 2000
        cs = pl.find_cycles(model, 1, rng=0, outer_loops=n_outer)
        a = np.eye(M) - model.region_matrix(np.ones(M, dtype=bool))
        rhs = np.array(model.h)
        number = 2000
        steps, solves = [], []
        for _ in range(7):
            steps.append(best_time(lambda: pl.find_cycles(model, 1, rng=0, outer_loops=n_outer), 1)
                         / cs.evaluated[1])
            solves.append(timeit.timeit(lambda: np.linalg.solve(a, rhs), number=number) / number)
        step, solve = min(steps), min(solves)
        if M == 50:
            rows.append(("order-1 step <= 1.2x a bare solve at M=50", step / solve <= 1.2))
        print(f"{M:4d} {step * 1e6:9.2f} {solve * 1e6:9.2f} {step / solve:7.2f}")

    arithmetic_floor(cases[1][1], old_engine)
    solver_crossovers()
    print("\ntargets:")
    for what, met in rows:
        print(f"  {'PASS' if met else 'MISS'}  {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
