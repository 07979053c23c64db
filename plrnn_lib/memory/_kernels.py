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


@njit(cache=True)
def recur_diagonal(lam, drive, reverse):
    # complex diagonal recurrence, element-wise
    T, B, n = drive.shape
    out = np.empty_like(drive)
    state = np.zeros((B, n), dtype=drive.dtype)
    for k in range(T):
        t = T - 1 - k if reverse else k
        for b in range(B):
            for i in range(n):
                state[b, i] = lam[i] * state[b, i] + drive[t, b, i]
        out[t] = state
    return out
