"""numba kernels of the linear recurrences: ``H[t] = op(H[t-1]) + E[t]``, ``H[-1] = 0``.

Arrays are time-major, shape (T, B, n), so one time step of a whole batch is contiguous.
The adjoint (backpropagation through time) is the same recurrence run backwards in time
with the transposed (or conjugated) operator, so these three kernels serve the forward
pass, the backward pass and forward-mode tangents alike.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def recur_dense(A_T, drive, reverse):
    # H[t] = H[t-1] @ A_T + drive[t]: row-vector form, so one BLAS gemm per time step
    T = drive.shape[0]
    out = np.empty_like(drive)
    state = np.zeros_like(drive[0])
    for k in range(T):
        t = T - 1 - k if reverse else k
        state = state @ A_T + drive[t]
        out[t] = state
    return out


@njit(cache=True)
def recur_blocks(blocks, drive, reverse, transpose):
    # 2 x 2 blocks act on consecutive unit pairs (2j, 2j + 1)
    T, B, n = drive.shape
    out = np.empty_like(drive)
    state = np.zeros((B, n))
    for k in range(T):
        t = T - 1 - k if reverse else k
        for b in range(B):
            for j in range(n // 2):
                u, v = state[b, 2 * j], state[b, 2 * j + 1]
                if transpose:
                    nu = blocks[j, 0, 0] * u + blocks[j, 1, 0] * v
                    nv = blocks[j, 0, 1] * u + blocks[j, 1, 1] * v
                else:
                    nu = blocks[j, 0, 0] * u + blocks[j, 0, 1] * v
                    nv = blocks[j, 1, 0] * u + blocks[j, 1, 1] * v
                state[b, 2 * j] = nu + drive[t, b, 2 * j]
                state[b, 2 * j + 1] = nv + drive[t, b, 2 * j + 1]
        out[t] = state
    return out


@njit(cache=True, fastmath=True)
def recur_diagonal(lam, drive, reverse):
    # complex diagonal recurrence, element-wise; each step reads the previous output row
    # (memory-bound: one read and one write of the (T, B, n) array)
    T, B, n = drive.shape
    out = np.empty_like(drive)
    first = T - 1 if reverse else 0
    step = -1 if reverse else 1
    out[first] = drive[first]
    for k in range(1, T):
        t = first + step * k
        for b in range(B):
            for i in range(n):
                out[t, b, i] = lam[i] * out[t - step, b, i] + drive[t, b, i]
    return out


@njit(cache=True, fastmath=True)
def diagonal_forward(lam, B, C, D, xt):
    # fused forward pass of a complex diagonal layer: states H and real outputs Y,
    # y_t = Re(C h_t) + D x_t, without materialising the drive B x_t
    T, Bn, k = xt.shape
    n = lam.shape[0]
    m = C.shape[0]
    H = np.empty((T, Bn, n), dtype=np.complex128)
    Y = np.empty((T, Bn, m))
    state = np.zeros(n, dtype=np.complex128)
    for b in range(Bn):
        state[:] = 0.0
        for t in range(T):
            for i in range(n):
                drive = 0.0j
                for j in range(k):
                    drive += B[i, j] * xt[t, b, j]
                state[i] = lam[i] * state[i] + drive
                H[t, b, i] = state[i]
            for o in range(m):
                acc = 0.0
                for i in range(n):
                    acc += C[o, i].real * state[i].real - C[o, i].imag * state[i].imag
                for j in range(k):
                    acc += D[o, j] * xt[t, b, j]
                Y[t, b, o] = acc
    return H, Y


@njit(cache=True, fastmath=True)
def diagonal_backward(lam, C, xt, H, g):
    # fused BPTT of a complex diagonal layer with Wirtinger cotangents (d/dRe + i d/dIm):
    # delta_t = conj(lam) delta_{t+1} + conj(C)^T g_t, accumulated into the gradients of
    # lam, the complex input matrix, the complex output matrix and D on the fly
    T, Bn, k = xt.shape
    n = lam.shape[0]
    m = C.shape[0]
    g_lam = np.zeros(n, dtype=np.complex128)
    g_B = np.zeros((n, k), dtype=np.complex128)
    g_C = np.zeros((m, n), dtype=np.complex128)
    g_D = np.zeros((m, k))
    delta = np.zeros(n, dtype=np.complex128)
    lam_c = np.conj(lam)
    C_c = np.conj(C)
    for b in range(Bn):
        delta[:] = 0.0
        for t in range(T - 1, -1, -1):
            for o in range(m):
                go = g[t, b, o]
                for i in range(n):
                    g_C[o, i] += go * np.conj(H[t, b, i])
                for j in range(k):
                    g_D[o, j] += go * xt[t, b, j]
            for i in range(n):
                d = lam_c[i] * delta[i]
                for o in range(m):
                    d += g[t, b, o] * C_c[o, i]
                delta[i] = d
                if t > 0:
                    g_lam[i] += d * np.conj(H[t - 1, b, i])
                for j in range(k):
                    g_B[i, j] += d * xt[t, b, j]
    return g_lam, g_B, g_C, g_D


@njit(cache=True, fastmath=True)
def blocks_forward(blocks, B, C, D, xt):
    # fused forward pass of a block-diagonal layer (2 x 2 blocks on unit pairs)
    T, Bn, k = xt.shape
    n = B.shape[0]
    m = C.shape[0]
    H = np.empty((T, Bn, n))
    Y = np.empty((T, Bn, m))
    state = np.zeros(n)
    drive = np.zeros(n)
    for b in range(Bn):
        state[:] = 0.0
        for t in range(T):
            for i in range(n):
                acc = 0.0
                for j in range(k):
                    acc += B[i, j] * xt[t, b, j]
                drive[i] = acc
            for p in range(n // 2):
                u, v = state[2 * p], state[2 * p + 1]
                state[2 * p] = blocks[p, 0, 0] * u + blocks[p, 0, 1] * v + drive[2 * p]
                state[2 * p + 1] = blocks[p, 1, 0] * u + blocks[p, 1, 1] * v + drive[2 * p + 1]
            for i in range(n):
                H[t, b, i] = state[i]
            for o in range(m):
                acc = 0.0
                for i in range(n):
                    acc += C[o, i] * state[i]
                for j in range(k):
                    acc += D[o, j] * xt[t, b, j]
                Y[t, b, o] = acc
    return H, Y


@njit(cache=True, fastmath=True)
def blocks_backward(blocks, C, xt, H, g):
    # fused BPTT of a block-diagonal layer: delta_t = blocks^T delta_{t+1} + C^T g_t
    T, Bn, k = xt.shape
    n = H.shape[2]
    m = C.shape[0]
    g_blocks = np.zeros(blocks.shape)
    g_B = np.zeros((n, k))
    g_C = np.zeros((m, n))
    g_D = np.zeros((m, k))
    delta = np.zeros(n)
    for b in range(Bn):
        delta[:] = 0.0
        for t in range(T - 1, -1, -1):
            for o in range(m):
                go = g[t, b, o]
                for i in range(n):
                    g_C[o, i] += go * H[t, b, i]
                for j in range(k):
                    g_D[o, j] += go * xt[t, b, j]
            for p in range(n // 2):
                u, v = delta[2 * p], delta[2 * p + 1]
                nu = blocks[p, 0, 0] * u + blocks[p, 1, 0] * v
                nv = blocks[p, 0, 1] * u + blocks[p, 1, 1] * v
                for o in range(m):
                    nu += C[o, 2 * p] * g[t, b, o]
                    nv += C[o, 2 * p + 1] * g[t, b, o]
                delta[2 * p], delta[2 * p + 1] = nu, nv
                if t > 0:
                    hu, hv = H[t - 1, b, 2 * p], H[t - 1, b, 2 * p + 1]
                    g_blocks[p, 0, 0] += nu * hu
                    g_blocks[p, 0, 1] += nu * hv
                    g_blocks[p, 1, 0] += nv * hu
                    g_blocks[p, 1, 1] += nv * hv
            for i in range(n):
                for j in range(k):
                    g_B[i, j] += delta[i] * xt[t, b, j]
    return g_blocks, g_B, g_C, g_D
