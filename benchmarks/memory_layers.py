"""Linear recurrent layers: the library's numba BPTT against a plain numpy time loop.

Times one loss-and-gradient evaluation at chapter 12's size (64 hidden units, batch 128,
T = 300, one input, one output) for each layer kind, side by side in one run, and prints the
ratios. The numpy baseline runs the same equations with one vectorised numpy operation per
time step and einsum for the sums over time and batch (the natural way to write BPTT
without a compiler); both give the same loss and gradients, which the script checks before
timing. Run it on an otherwise idle machine; it sets numpy's BLAS to one thread.

    .venv/bin/python benchmarks/memory_layers.py [--repeats 5]
"""
from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")   # one BLAS thread for both sides, before numpy loads

import numpy as np

import plrnn_lib as pl
from _timing import best_time

mem = pl.memory


def numpy_loss_and_grad(layer, x, y):
    """Loss and the gradients of the effective (recurrence, B_eff, C_eff, D), numpy only."""
    op, B, C, D = layer._effective()          # the same effective matrices as the library
    xt = x.transpose(1, 0, 2)
    T = xt.shape[0]
    complex_layer = layer.kind in ("complex_diagonal", "lru")
    if layer.kind == "block_diagonal":
        A = np.zeros((layer.n_hidden, layer.n_hidden))
        for j, blk in enumerate(op):
            A[2 * j:2 * j + 2, 2 * j:2 * j + 2] = blk
        op = A
    H = np.zeros((T,) + (x.shape[0], layer.n_hidden), complex if complex_layer else float)
    h = np.zeros(H.shape[1:], H.dtype)
    for t in range(T):
        h = (h * op if complex_layer else h @ op.T) + xt[t] @ B.T
        H[t] = h
    Y = np.real(H @ C.T) + xt @ D.T
    r = Y - y.transpose(1, 0, 2)
    g = r / r.size
    delta = np.zeros_like(h)
    D_all = np.empty_like(H)
    Cc = np.conj(C) if complex_layer else C
    for t in range(T - 1, -1, -1):
        delta = (delta * np.conj(op) if complex_layer else delta @ op) + g[t] @ Cc
        D_all[t] = delta
    if complex_layer:
        g_op = np.einsum("tbi,tbi->i", D_all[1:], np.conj(H[:-1]))
        g_C = np.einsum("tbo,tbi->oi", g, np.conj(H))
    else:
        g_op = np.einsum("tbi,tbj->ij", D_all[1:], H[:-1])
        g_C = np.einsum("tbo,tbi->oi", g, H)
    g_B = np.einsum("tbi,tbk->ik", D_all, xt)
    g_D = np.einsum("tbo,tbk->ok", g, xt)
    return 0.5 * np.mean(r**2), g_op, g_B, g_C, g_D


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 300, 1))
    teacher = mem.linear_teacher(10, 0.9, rng=1)
    y = teacher.forward(x)
    makers = {"dense": lambda: mem.dense_layer(64, rng=2),
              "block_diagonal": lambda: mem.block_diagonal_layer(64, nu_min=0.5, rng=2),
              "complex_diagonal": lambda: mem.complex_diagonal_layer(64, nu_min=0.5, rng=2),
              "lru": lambda: mem.lru_layer(64, nu_min=0.5, rng=2)}
    print(f"loss and gradient, 64 units, batch 128, T = 300 (best of {args.repeats})")
    print(f"{'layer':18s} {'plrnn_lib':>11s} {'numpy loop':>11s} {'ratio':>7s}")
    for kind, make in makers.items():
        layer = make()
        layer.loss_and_grad(x, y)                      # compile (numba cache) and warm up
        loss, grads = layer.loss_and_grad(x, y)
        ref_loss, ref_g_op, ref_g_B, ref_g_C, ref_g_D = numpy_loss_and_grad(layer, x, y)
        assert np.isclose(loss, ref_loss, rtol=1e-10)
        assert np.allclose(grads["D"], ref_g_D, atol=1e-12)
        if kind in ("dense", "block_diagonal"):
            assert np.allclose(grads["B"], ref_g_B, atol=1e-12)
            assert np.allclose(grads["C"], ref_g_C, atol=1e-12)
        elif kind == "complex_diagonal":
            assert np.allclose(grads["B_re"] + 1j * grads["B_im"], ref_g_B, atol=1e-12)
            assert np.allclose(grads["C_re"] + 1j * grads["C_im"], ref_g_C, atol=1e-12)
        if kind == "dense":
            assert np.allclose(grads["A"], ref_g_op, rtol=1e-8, atol=1e-12)
        elif kind == "block_diagonal":
            for j, blk in enumerate(grads["blocks"]):
                assert np.allclose(blk, ref_g_op[2 * j:2 * j + 2, 2 * j:2 * j + 2], atol=1e-12)
        elif kind == "complex_diagonal":
            assert np.allclose(grads["lam_re"] + 1j * grads["lam_im"], ref_g_op, atol=1e-12)
        t_lib = best_time(lambda: layer.loss_and_grad(x, y), args.repeats)
        t_np = best_time(lambda: numpy_loss_and_grad(layer, x, y), args.repeats)
        print(f"{kind:18s} {t_lib * 1e3:9.1f} ms {t_np * 1e3:9.1f} ms {t_np / t_lib:6.2f}x")


if __name__ == "__main__":
    main()
