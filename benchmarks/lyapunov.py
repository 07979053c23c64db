"""The numba Lyapunov and basin kernels against plain numpy loops, measured side by side.

``pl.lyapunov_exponents`` follows an orthonormal frame along an orbit with a hand-written
two-pass Gram-Schmidt inside one compiled loop; ``pl.attractor_labels`` iterates many
initial states in one compiled loop with preallocated buffers.  This script runs each beside
a plain numpy version of the same computation (``numpy.linalg.qr`` per step; the model's
``step`` per state), checks that they agree, and prints the wall times and their ratio.

Usage: python benchmarks/lyapunov.py [--steps 20000] [--starts 400]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import plrnn_lib as pl

MODEL = pl.ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)))(-0.02)   # chaotic (chapter 5)
Z0 = np.array([0.5, -1.0])


def numpy_spectrum(model, z0, n_steps):
    """The QR method with numpy: J_t Q_t = Q_{t+1} R_t, signs fixed so diag(R) > 0."""
    orbit = model.simulate(z0, n_steps)
    Q, sums = np.eye(model.M), np.zeros(model.M)
    for z in orbit[:-1]:
        Q, R = np.linalg.qr(model.jacobian(z) @ Q)
        signs = np.sign(np.diag(R))
        Q, sums = Q * signs, sums + np.log(np.abs(np.diag(R)))
    return np.sort(sums / n_steps)[::-1]


def numpy_labels(model, starts, cycle, n_steps, tol):
    points = cycle.points
    out = np.full(len(starts), -1)
    for s, z in enumerate(starts):
        for _ in range(n_steps + 1):
            if np.min(np.max(np.abs(points - z), axis=1)) <= tol:
                out[s] = 0
                break
            z = model.step(z)
    return out


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--starts", type=int, default=400)
    args = parser.parse_args()

    pl.lyapunov_exponents(MODEL, Z0, 10, n_transient=0)               # compile first
    fast, t_fast = timed(lambda: pl.lyapunov_exponents(MODEL, Z0, args.steps, n_transient=0))
    slow, t_slow = timed(lambda: numpy_spectrum(MODEL, Z0, args.steps))
    assert np.allclose(fast, slow, rtol=1e-8, atol=1e-12), (fast, slow)
    print(f"Lyapunov spectrum, toy model, {args.steps} steps: numba {t_fast * 1e3:.1f} ms, "
          f"numpy {t_slow * 1e3:.0f} ms, ratio {t_slow / t_fast:.0f}x "
          f"(spectrum {fast.round(5)} in both)")

    coexist = pl.ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)))(-0.0008)
    (cycle,) = [c for c in pl.find_cycles(coexist, 16, rng=0, min_order=16) if c.stable]
    starts = np.random.default_rng(0).uniform([-1, -3.5], [3.5, 2], (args.starts, 2))
    pl.attractor_labels(coexist, starts[:2], [cycle], n_steps=10)     # compile first
    (fast, _), t_fast = timed(lambda: pl.attractor_labels(coexist, starts, [cycle],
                                                          n_steps=800, tol=1e-6))
    slow, t_slow = timed(lambda: numpy_labels(coexist, starts, cycle, 800, 1e-6))
    agree = float(np.mean(fast == slow))
    print(f"basins, {args.starts} starts x up to 800 steps: numba {t_fast * 1e3:.1f} ms, "
          f"numpy {t_slow * 1e3:.0f} ms, ratio {t_slow / t_fast:.0f}x "
          f"(labels agree at {agree:.1%} of starts)")


if __name__ == "__main__":
    main()
