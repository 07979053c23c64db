"""One training step of chapter 12's students: plrnn_lib against PyTorch and JAX.

A step is the loss, its exact gradient and one Adam update, for a 64-unit student (batch
128, T = 300, one input, one output; the teacher-student task of Zucchet and Orvieto,
2024), for the four students: dense, block diagonal, complex diagonal and LRU. Every
framework runs on ONE thread, side by side in this one run:

* plrnn_lib: ``LinearRecurrentLayer.loss_and_grad`` (numba kernels; for the dense layer
  one fused BPTT kernel, three BLAS gemms per time step on contiguous rows; one fused
  forward-mode sweep for the diagonal layers) and the Adam update of
  :func:`plrnn_lib.memory.adam_update`;
* PyTorch (eager, autograd through a Python loop over time, ``torch.optim.Adam``);
* JAX (``jax.lax.scan`` over time, ``jax.value_and_grad``, the whole step ``jax.jit``-ed,
  Adam written out).

Before timing, the script checks that the three give the same loss and gradients for the
same parameters and batch, and it prints the largest relative gradient difference. After a
warm-up (JIT compilation excluded for all) the three are timed in ``--repeats`` rounds,
one step of each per round, interleaved, so that load from other processes on the machine
falls on all three alike. The table gives the best step of each; the speed-up over the
faster of PyTorch and JAX is also given per round (median and worst). The verdict line
says whether both the ratio of the best steps and the median round reach ``--target``
(default 1.2: clearly faster, not by noise).

    pip install -r benchmarks/requirements.txt      # torch==2.13.0 (CPU) and jax[cpu]
    .venv/bin/python benchmarks/memory_training.py [--repeats 7]
"""
from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"          # one BLAS thread for every side, before numpy loads
os.environ["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=false "
                           "intra_op_parallelism_threads=1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("JAX_ENABLE_X64", "1")   # float64 everywhere, as plrnn_lib

import numpy as np

import plrnn_lib as pl
from _timing import round_times

mem = pl.memory
KINDS = ("dense", "block_diagonal", "complex_diagonal", "lru")
LR = 1e-3


def make_student(kind, rng):
    if kind == "dense":
        return mem.dense_layer(64, rng=rng)
    if kind == "block_diagonal":
        return mem.block_diagonal_layer(64, nu_min=0.5, rng=rng)
    if kind == "complex_diagonal":
        return mem.complex_diagonal_layer(64, nu_min=0.5, rng=rng)
    return mem.lru_layer(64, nu_min=0.5, rng=rng)


# ----------------------------------------------------------------------------- plrnn_lib
def plrnn_step(layer, x, y, state):
    loss, grads = layer.loss_and_grad(x, y)
    theta, state = mem.adam_update(layer.flat(), layer.flatten_grads(grads), state, LR)
    return layer.from_flat(theta), state, loss


# ------------------------------------------------------------------------------- PyTorch
def torch_model(torch, kind, params):
    """The student's forward pass and loss in torch, on the layer's own parameters."""
    P = {k: torch.tensor(np.array(v), requires_grad=True) for k, v in params.items()}

    def loss_fn(x, y):
        # x (T, B, K), y (T, B, m): time-major like the library
        if kind == "dense":
            Bx = x @ P["B"].T
            h = torch.zeros(x.shape[1], P["A"].shape[0], dtype=x.dtype)
            hs = []
            for t in range(x.shape[0]):
                h = h @ P["A"].T + Bx[t]
                hs.append(h)
            Y = torch.stack(hs) @ P["C"].T
        elif kind == "block_diagonal":
            blk = P["blocks"]
            Bx = (x @ P["B"].T).reshape(x.shape[0], x.shape[1], -1, 2)
            h = torch.zeros(Bx.shape[1:], dtype=x.dtype)
            hs = []
            for t in range(x.shape[0]):
                h = torch.einsum("pij,bpj->bpi", blk, h) + Bx[t]
                hs.append(h)
            Y = torch.stack(hs).reshape(x.shape[0], x.shape[1], -1) @ P["C"].T
        else:
            # real arithmetic: torch's complex autograd is far slower on the CPU
            if kind == "complex_diagonal":
                lr, li = P["lam_re"], P["lam_im"]
                Br, Bi = P["B_re"], P["B_im"]
            else:
                nu, theta = torch.exp(-torch.exp(P["nu_log"])), torch.exp(P["theta_log"])
                lr, li = nu * torch.cos(theta), nu * torch.sin(theta)
                gamma = torch.exp(P["gamma_log"])[:, None]
                Br, Bi = gamma * P["B_re"], gamma * P["B_im"]
            ur, ui = x @ Br.T, x @ Bi.T
            hr = torch.zeros(x.shape[1], lr.shape[0], dtype=x.dtype)
            hi = torch.zeros_like(hr)
            hrs, his = [], []
            for t in range(x.shape[0]):
                hr, hi = lr * hr - li * hi + ur[t], lr * hi + li * hr + ui[t]
                hrs.append(hr)
                his.append(hi)
            Y = torch.stack(hrs) @ P["C_re"].T - torch.stack(his) @ P["C_im"].T
        Y = Y + x @ P["D"].T
        return 0.5 * torch.mean((Y - y) ** 2)

    return P, loss_fn


# ----------------------------------------------------------------------------------- JAX
def jax_step_fn(jax, jnp, kind):
    """A jitted Adam step on a dict of parameters, the recurrence a lax.scan."""

    def loss_fn(P, x, y):
        if kind == "dense":
            Bx = x @ P["B"].T

            def cell(h, u):
                h = h @ P["A"].T + u
                return h, h
            _, H = jax.lax.scan(cell, jnp.zeros((x.shape[1], P["A"].shape[0])), Bx)
            Y = H @ P["C"].T
        elif kind == "block_diagonal":
            blk = P["blocks"]
            Bx = (x @ P["B"].T).reshape(x.shape[0], x.shape[1], -1, 2)

            def cell(h, u):
                h = jnp.einsum("pij,bpj->bpi", blk, h) + u
                return h, h
            _, H = jax.lax.scan(cell, jnp.zeros(Bx.shape[1:]), Bx)
            Y = H.reshape(x.shape[0], x.shape[1], -1) @ P["C"].T
        else:
            if kind == "complex_diagonal":
                lam = P["lam_re"] + 1j * P["lam_im"]
                Bc = P["B_re"] + 1j * P["B_im"]
            else:
                lam = jnp.exp(-jnp.exp(P["nu_log"]) + 1j * jnp.exp(P["theta_log"]))
                Bc = jnp.exp(P["gamma_log"])[:, None] * (P["B_re"] + 1j * P["B_im"])
            Bx = x @ Bc.T

            def cell(h, u):
                h = lam * h + u
                return h, h
            _, H = jax.lax.scan(cell, jnp.zeros((x.shape[1], lam.shape[0]), Bc.dtype), Bx)
            Y = H.real @ P["C_re"].T - H.imag @ P["C_im"].T
        Y = Y + x @ P["D"].T
        return 0.5 * jnp.mean((Y - y) ** 2)

    value_and_grad = jax.jit(jax.value_and_grad(loss_fn))

    @jax.jit
    def step(P, m, v, k, x, y):
        loss, g = jax.value_and_grad(loss_fn)(P, x, y)
        m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
        v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
        P = jax.tree_util.tree_map(
            lambda p, a, b: p - LR * (a / (1 - 0.9**k)) / (jnp.sqrt(b / (1 - 0.999**k)) + 1e-8),
            P, m, v)
        return P, m, v, loss

    return value_and_grad, step


def relative_difference(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), 1e-300))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--target", type=float, default=1.2,
                        help="speed-up over the faster of PyTorch and JAX to call a win")
    args = parser.parse_args()
    import jax
    import jax.numpy as jnp
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    rng = np.random.default_rng(0)
    teacher = mem.linear_teacher(10, 0.9, rng=1)
    x, y = mem.teacher_batch(teacher, 128, 300, rng)
    xt, yt = x.transpose(1, 0, 2).copy(), y.transpose(1, 0, 2).copy()
    print("one training step (loss, exact gradient, Adam), 64 units, batch 128, T = 300, "
          f"one thread each, best of {args.repeats} interleaved rounds")
    print(f"{'student':17s} {'plrnn_lib':>10s} {'PyTorch':>10s} {'JAX':>10s} "
          f"{'torch/lib':>9s} {'jax/lib':>8s} {'faster/lib (median, worst)':>27s} "
          f"{'grad diff (torch, jax)':>23s}")
    verdicts = []
    for kind in args.kinds:
        layer = make_student(kind, np.random.default_rng(2))
        params = layer.params()
        # gradients of the three on the same parameters and batch
        loss, grads = layer.loss_and_grad(x, y)
        P, torch_loss_fn = torch_model(torch, kind, params)
        t_loss = torch_loss_fn(torch.tensor(xt), torch.tensor(yt))
        t_loss.backward()
        value_and_grad, jax_step = jax_step_fn(jax, jnp, kind)
        JP = {k: jnp.asarray(np.array(v)) for k, v in params.items()}
        j_loss, j_grads = value_and_grad(JP, jnp.asarray(xt), jnp.asarray(yt))
        assert np.isclose(loss, t_loss.item(), rtol=1e-9), (loss, t_loss.item())
        assert np.isclose(loss, float(j_loss), rtol=1e-9), (loss, float(j_loss))
        diff_t = max(relative_difference(grads[k], P[k].grad.numpy()) for k in grads)
        diff_j = max(relative_difference(grads[k], j_grads[k]) for k in grads)
        assert diff_t < 1e-7 and diff_j < 1e-7, (diff_t, diff_j)

        # plrnn_lib
        state = mem.adam_state(layer.n_parameters)
        lib = {"layer": layer, "state": state}

        def lib_step():
            lib["layer"], lib["state"], _ = plrnn_step(lib["layer"], x, y, lib["state"])
        lib_step()

        # PyTorch
        opt = torch.optim.Adam(list(P.values()), lr=LR)
        tx, ty = torch.tensor(xt), torch.tensor(yt)

        def torch_step():
            opt.zero_grad()
            torch_loss_fn(tx, ty).backward()
            opt.step()
        torch_step()

        # JAX
        jx, jy = jnp.asarray(xt), jnp.asarray(yt)
        zeros = {k: jnp.zeros_like(v) for k, v in JP.items()}
        box = {"P": JP, "m": zeros, "v": zeros, "k": 1}

        def jax_step_once():
            box["P"], box["m"], box["v"], loss = jax_step(box["P"], box["m"], box["v"],
                                                          box["k"], jx, jy)
            loss.block_until_ready()
            box["k"] += 1
        jax_step_once()

        times = round_times((lib_step, torch_step, jax_step_once), args.repeats)
        t_lib, t_torch, t_jax = times.min(axis=0)
        # per round: the faster framework of that round against ours of that round
        rounds = np.minimum(times[:, 1], times[:, 2]) / times[:, 0]
        median, worst = float(np.median(rounds)), float(rounds.min())
        print(f"{kind:17s} {t_lib * 1e3:7.1f} ms {t_torch * 1e3:7.1f} ms {t_jax * 1e3:7.1f} ms "
              f"{t_torch / t_lib:8.2f}x {t_jax / t_lib:7.2f}x {median:17.2f}x {worst:6.2f}x "
              f"{diff_t:11.1e} {diff_j:9.1e}")
        faster = "JAX" if t_jax < t_torch else "PyTorch"
        verdicts.append(
            f"{kind}: {min(t_torch, t_jax) / t_lib:.2f}x the faster framework ({faster}; "
            f"{t_jax / t_lib:.2f}x JAX, {t_torch / t_lib:.2f}x PyTorch), median round "
            f"{median:.2f}x: "
            + ("target met" if min(min(t_torch, t_jax) / t_lib, median) >= args.target
               else "TARGET MISSED") + f" (>= {args.target:g}x)")
    print()
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
