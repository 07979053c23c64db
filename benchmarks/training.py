"""Benchmark of one loss-and-gradient evaluation (run: ``python benchmarks/training.py``).

The same PLRNN (diagonal A, full W, bias h), the same batch (16 sequences of length 200,
N = min(M, 3) observed units, GTF with alpha = 0.1) and float64 in three implementations,
measured side by side in one run, each on one thread:

- ``plrnn_lib.loss_and_grad``: the numba forward/backward sweep (BPTT written out);
- PyTorch: the loss written with tensors over the batch, a Python loop over time, autograd;
- JAX: the same loss with ``lax.scan``, ``jax.jit(jax.value_and_grad(...))``.

For each M in 3, 10, 50 it prints the time per evaluation (median of several repeats, each
long enough to be timed well), the ratios PyTorch/numba and JAX/numba, and the largest
relative difference of the gradients of all three.  Targets (issue 11): at least 30x PyTorch
and 2x JAX for M <= 10; at least 5x PyTorch and not slower than JAX at M = 50.

PyTorch and JAX are benchmark anchors only: ``pip install -r benchmarks/requirements.txt``.
"""
from __future__ import annotations

import os

# one thread for everyone, set before the libraries start their thread pools
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"
os.environ["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=false "
                           "intra_op_parallelism_threads=1")

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402

import plrnn_lib as pl  # noqa: E402

B, T, ALPHA = 16, 200, 0.1


def make_problem(M, seed=0):
    """A stable random PLRNN and noisy data from it: (model, X of shape (B, T, N))."""
    rng = np.random.default_rng(seed)
    model = pl.PLRNN.random(M, rng, a_range=(0.5, 0.9), w_scale=0.5)
    N = min(M, 3)
    X = np.stack([model.simulate(rng.normal(size=M), T - 1)[:, :N] for _ in range(B)])
    return model, X + 0.1 * rng.normal(size=X.shape)


def numba_runner(model, X):
    def run():
        return pl.loss_and_grad(model, X, ALPHA)
    loss, g = run()
    return run, loss, g


def torch_runner(model, X):
    import torch
    torch.set_num_threads(1)
    p = model.params()
    a = torch.tensor(np.array(p["A"]), requires_grad=True)
    W = torch.tensor(np.array(p["W"]), requires_grad=True)
    h = torch.tensor(np.array(p["h"]), requires_grad=True)
    Xt = torch.tensor(X)
    Bn, Tn, N = X.shape
    M = model.M

    def loss_fn():
        z = torch.cat([Xt[:, 0], torch.zeros(Bn, M - N, dtype=torch.float64)], dim=1)
        total = 0.0
        for t in range(1, Tn):
            zn = a * z + torch.relu(z) @ W.T + h
            err = zn[:, :N] - Xt[:, t]
            total = total + (err * err).sum()
            z = torch.cat([(1 - ALPHA) * zn[:, :N] + ALPHA * Xt[:, t], zn[:, N:]], dim=1)
        return total / (Bn * (Tn - 1) * N)

    def run():
        for q in (a, W, h):
            q.grad = None
        loss = loss_fn()
        loss.backward()
        return loss
    loss = run().detach()
    grads = {"A": a.grad.numpy().copy(), "W": W.grad.numpy().copy(), "h": h.grad.numpy().copy()}
    return run, float(loss), grads


def jax_runner(model, X):
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    Bn, Tn, N = X.shape
    M = model.M
    Xs = jnp.asarray(np.ascontiguousarray(X.transpose(1, 0, 2)))  # (T, B, N) for scan

    def loss_fn(params, Xs):
        a, W, h = params
        z0 = jnp.concatenate([Xs[0], jnp.zeros((Bn, M - N))], axis=1)

        def step(z, x):
            zn = a * z + jax.nn.relu(z) @ W.T + h
            err = zn[:, :N] - x
            zf = jnp.concatenate([(1 - ALPHA) * zn[:, :N] + ALPHA * x, zn[:, N:]], axis=1)
            return zf, jnp.sum(err * err)

        _, errs = jax.lax.scan(step, z0, Xs[1:])
        return jnp.sum(errs) / (Bn * (Tn - 1) * N)

    vg = jax.jit(jax.value_and_grad(loss_fn))
    p = model.params()
    params = tuple(jnp.asarray(np.array(p[k])) for k in ("A", "W", "h"))

    def run():
        loss, g = vg(params, Xs)
        jax.block_until_ready(g)
        return loss
    loss, g = vg(params, Xs)
    grads = {k: np.asarray(v) for k, v in zip(("A", "W", "h"), g)}
    return run, float(loss), grads


def interleaved_times(runs, repeats=7, min_time=0.1):
    """Median seconds per call of each function, timed in turns.

    Each round times every function once (for at least ``min_time`` seconds), so a change
    of machine load in between hits all of them alike; the median over the rounds is kept.
    """
    numbers = {}
    for name, run in runs.items():
        number, seconds = timeit.Timer(run).autorange()
        numbers[name] = max(1, int(number * min_time / max(seconds, 1e-9)))
    samples = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            seconds = timeit.Timer(run).timeit(numbers[name])
            samples[name].append(seconds / numbers[name])
    return {name: float(np.median(v)) for name, v in samples.items()}


def max_rel_diff(g1, g2):
    """Largest difference of two gradient dicts, relative to the largest entry."""
    num = max(float(np.max(np.abs(g1[k] - g2[k]))) for k in g1)
    den = max(float(np.max(np.abs(g1[k]))) for k in g1)
    return num / den


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 10, 50])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    try:
        import jax
        import torch
    except ImportError as exc:
        sys.exit(f"{exc.name} is missing: pip install -r benchmarks/requirements.txt")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, torch "
          f"{torch.__version__}, jax {jax.__version__}; one thread each; float64")
    print(f"batch B = {B}, length T = {T}, alpha = {ALPHA}, N = min(M, 3)\n")
    head = (f"{'M':>4} {'numba':>10} {'PyTorch':>10} {'JAX':>10} {'PyTorch/numba':>14} "
            f"{'JAX/numba':>10} {'|dg| torch':>11} {'|dg| jax':>9}  targets")
    print(head)
    print("-" * len(head))
    all_met = True
    for M in args.sizes:
        model, X = make_problem(M)
        runners = {}
        for name, make in (("numba", numba_runner), ("torch", torch_runner),
                           ("jax", jax_runner)):
            runners[name] = make(model, X)
        losses = {k: v[1] for k, v in runners.items()}
        assert max(losses.values()) - min(losses.values()) <= 1e-10 * max(losses.values()), \
            losses
        grads = {k: v[2] for k, v in runners.items()}
        d_torch = max_rel_diff(grads["numba"], grads["torch"])
        d_jax = max_rel_diff(grads["numba"], grads["jax"])
        t = interleaved_times({k: v[0] for k, v in runners.items()}, repeats=args.repeats)
        r_torch, r_jax = t["torch"] / t["numba"], t["jax"] / t["numba"]
        if M <= 10:
            met = r_torch >= 30 and r_jax >= 2
            want = ">=30x, >=2x"
        else:
            met = r_torch >= 5 and r_jax >= 1
            want = ">=5x, >=1x"
        all_met &= met
        print(f"{M:>4} {t['numba'] * 1e6:>8.1f}us {t['torch'] * 1e6:>8.1f}us "
              f"{t['jax'] * 1e6:>8.1f}us {r_torch:>13.1f}x {r_jax:>9.2f}x "
              f"{d_torch:>11.1e} {d_jax:>9.1e}  {want}: {'met' if met else 'MISSED'}")
    print("\nall targets met" if all_met else "\nsome targets missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
