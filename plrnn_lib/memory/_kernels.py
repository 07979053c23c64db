"""numba kernels of the linear recurrences: ``H[t] = op(H[t-1]) + E[t]``, ``H[-1] = 0``.

Arrays are time-major, shape (T, B, n), so one time step of a whole batch is contiguous.
The adjoint (backpropagation through time) is the same recurrence run backwards in time
with the transposed (or conjugated) operator, so the three ``recur_*`` kernels serve the
forward pass, the backward pass and forward-mode tangents alike. Training uses fused
kernels per layer kind (``dense_loss_and_grad``, ``blocks_backward``,
``diagonal_loss_and_grad``) that never form the drive E as a (T, B, n) array.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def recur_dense(A_T, drive, reverse):
    # H[t] = H[t-1] @ A_T + drive[t]: row-vector form, one BLAS gemm per time step written
    # straight into the output row (no temporary per step)
    T = drive.shape[0]
    out = np.empty_like(drive)
    first = T - 1 if reverse else 0
    step = -1 if reverse else 1
    out[first] = drive[first]
    for k in range(1, T):
        t = first + step * k
        np.dot(out[t - step], A_T, out[t])
        out[t] += drive[t]
    return out


# A product with a side this short (one input, one output in the teacher-student task)
# runs as plain loops: a BLAS call per time step would cost more than its few flops.
_THIN = 4


@njit(cache=True, fastmath=True)
def _add_product(out, a, b, scratch):
    # out += a @ b; scratch (shaped like out) takes the BLAS product of a wide one
    p, r = a.shape
    q = b.shape[1]
    if q <= _THIN:
        for i in range(p):
            for j in range(q):
                acc = 0.0
                for l in range(r):
                    acc += a[i, l] * b[l, j]
                out[i, j] += acc
    elif p <= _THIN or r <= _THIN:
        for i in range(p):
            for l in range(r):
                ail = a[i, l]
                for j in range(q):
                    out[i, j] += ail * b[l, j]
    else:
        np.dot(a, b, scratch)
        out += scratch


@njit(cache=True, fastmath=True)
def _dense_output_step(t, H, Y, A_T, B_T, C_T, D_T, xt, scratch_bn, scratch_bm):
    # H[t] = H[t-1] @ A^T + x_t @ B^T and Y[t] = H[t] @ C^T + x_t @ D^T, in place: the
    # recurrence is one contiguous gemm into H[t], the input and output products follow
    # while H[t] is still in cache (no (T, batch, n) drive array is ever formed)
    Ht = H[t]
    if t == 0:
        Ht[:] = 0.0
    else:
        np.dot(H[t - 1], A_T, Ht)
    _add_product(Ht, xt[t], B_T, scratch_bn)
    Yt = Y[t]
    Yt[:] = 0.0
    _add_product(Yt, Ht, C_T, scratch_bm)
    _add_product(Yt, xt[t], D_T, scratch_bm)


@njit(cache=True)
def dense_forward(A, B, C, D, xt):
    # states H (T, batch, n) and outputs Y (T, batch, m) of a dense layer, time-major
    T, Bn, k = xt.shape
    n = A.shape[0]
    m = C.shape[0]
    A_T, B_T = np.ascontiguousarray(A.T), np.ascontiguousarray(B.T)
    C_T, D_T = np.ascontiguousarray(C.T), np.ascontiguousarray(D.T)
    H = np.empty((T, Bn, n))
    Y = np.empty((T, Bn, m))
    scratch_bn = np.empty((Bn, n))
    scratch_bm = np.empty((Bn, m))
    for t in range(T):
        _dense_output_step(t, H, Y, A_T, B_T, C_T, D_T, xt, scratch_bn, scratch_bm)
    return H, Y


@njit(cache=True, fastmath=True)
def dense_loss_and_grad(A, B, C, D, xt, yt):
    # loss and exact gradient of a dense layer by backpropagation through time.
    # Forward: the states H are stored; the residual's cotangent g_t = dL/dy_t replaces
    # the outputs in place and dL/dC = sum_t g_t^T H[t], dL/dD = sum_t g_t^T x_t are
    # accumulated while H[t] is in cache. Backward: the adjoint (row form)
    # delta_t = delta_{t+1} @ A + g_t @ C lives in two (batch, n) buffers, and each step
    # adds delta_t^T H[t-1] to dL/dA and x_t^T delta_t to (dL/dB)^T. Three
    # (batch, n) x (n, n) gemms per time step in all. The per-step dL/dA product on a
    # cached delta_t measured faster (13 ms against 18 ms for the 64-unit student, batch
    # 128, T = 300) than storing every delta_t for one large gemm, which writes and
    # re-reads a (T, batch, n) array.
    T, Bn, k = xt.shape
    n = A.shape[0]
    m = C.shape[0]
    scale = 1.0 / (T * Bn * m)
    A_T, B_T = np.ascontiguousarray(A.T), np.ascontiguousarray(B.T)
    C_T, D_T = np.ascontiguousarray(C.T), np.ascontiguousarray(D.T)
    H = np.empty((T, Bn, n))
    G = np.empty((T, Bn, m))
    scratch_bn = np.empty((Bn, n))
    scratch_bm = np.empty((Bn, m))
    g_A = np.zeros((n, n))
    g_B_T = np.zeros((k, n))     # transposed: its rows add contiguous rows of delta_t
    g_C = np.zeros((m, n))
    g_D = np.zeros((m, k))
    scratch_nn = np.empty((n, n))
    scratch_kn = np.empty((k, n))
    scratch_mn = np.empty((m, n))
    scratch_mk = np.empty((m, k))
    loss = 0.0
    for t in range(T):
        _dense_output_step(t, H, G, A_T, B_T, C_T, D_T, xt, scratch_bn, scratch_bm)
        Gt = G[t]
        for b in range(Bn):
            for o in range(m):
                r = Gt[b, o] - yt[t, b, o]
                loss += r * r
                Gt[b, o] = r * scale
        _add_product(g_C, Gt.T, H[t], scratch_mn)
        _add_product(g_D, Gt.T, xt[t], scratch_mk)
    delta = np.empty((2, Bn, n))
    for s in range(T):
        t = T - 1 - s
        cur = delta[s % 2]
        if s == 0:
            cur[:] = 0.0
        else:
            np.dot(delta[(s - 1) % 2], A, cur)
        _add_product(cur, G[t], C, scratch_bn)
        _add_product(g_B_T, xt[t].T, cur, scratch_kn)
        if t > 0:
            _add_product(g_A, cur.T, H[t - 1], scratch_nn)
    return 0.5 * loss * scale, g_A, np.ascontiguousarray(g_B_T.T), g_C, g_D


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
    # y_t = Re(C h_t) + D x_t, without materialising the drive B x_t. Time is the outer
    # loop so that H and Y are written in memory order, and the complex products are
    # spelled out in real arithmetic, which the compiler vectorises over the units.
    T, Bn, k = xt.shape
    n = lam.shape[0]
    m = C.shape[0]
    lr, li = lam.real.copy(), lam.imag.copy()
    Br, Bi = B.real.copy(), B.imag.copy()
    Cr, Ci = C.real.copy(), C.imag.copy()
    H = np.empty((T, Bn, n), dtype=np.complex128)
    Hf = H.view(np.float64)          # interleaved (re, im) pairs, shape (T, Bn, 2n)
    Y = np.empty((T, Bn, m))
    sr = np.zeros((Bn, n))
    si = np.zeros((Bn, n))
    for t in range(T):
        for b in range(Bn):
            for i in range(n):
                ur = lr[i] * sr[b, i] - li[i] * si[b, i]
                ui = lr[i] * si[b, i] + li[i] * sr[b, i]
                for j in range(k):
                    ur += Br[i, j] * xt[t, b, j]
                    ui += Bi[i, j] * xt[t, b, j]
                sr[b, i] = ur
                si[b, i] = ui
                Hf[t, b, 2 * i] = ur
                Hf[t, b, 2 * i + 1] = ui
            for o in range(m):
                acc = 0.0
                for i in range(n):
                    acc += Cr[o, i] * sr[b, i] - Ci[o, i] * si[b, i]
                for j in range(k):
                    acc += D[o, j] * xt[t, b, j]
                Y[t, b, o] = acc
    return H, Y


@njit(cache=True, fastmath=True)
def diagonal_backward(lam, C, xt, H, g):
    # fused BPTT of a complex diagonal layer with Wirtinger cotangents (d/dRe + i d/dIm):
    # delta_t = conj(lam) delta_{t+1} + conj(C)^T g_t, accumulated into the gradients of
    # lam, the complex input matrix, the complex output matrix and D on the fly; time-major
    # like diagonal_forward, in real arithmetic
    T, Bn, k = xt.shape
    n = lam.shape[0]
    m = C.shape[0]
    lr, li = lam.real.copy(), lam.imag.copy()
    Cr, Ci = C.real.copy(), C.imag.copy()
    Hf = H.view(np.float64)
    glr = np.zeros(n)
    gli = np.zeros(n)
    gBr = np.zeros((n, k))
    gBi = np.zeros((n, k))
    gCr = np.zeros((m, n))
    gCi = np.zeros((m, n))
    g_D = np.zeros((m, k))
    dr = np.zeros((Bn, n))
    di = np.zeros((Bn, n))
    for t in range(T - 1, -1, -1):
        for b in range(Bn):
            for o in range(m):
                go = g[t, b, o]
                for i in range(n):
                    # g * conj(h)
                    gCr[o, i] += go * Hf[t, b, 2 * i]
                    gCi[o, i] -= go * Hf[t, b, 2 * i + 1]
                for j in range(k):
                    g_D[o, j] += go * xt[t, b, j]
            for i in range(n):
                # conj(lam) * delta
                ur = lr[i] * dr[b, i] + li[i] * di[b, i]
                ui = lr[i] * di[b, i] - li[i] * dr[b, i]
                for o in range(m):
                    # + g * conj(C)
                    ur += g[t, b, o] * Cr[o, i]
                    ui -= g[t, b, o] * Ci[o, i]
                dr[b, i] = ur
                di[b, i] = ui
                if t > 0:
                    # delta * conj(h_{t-1})
                    hr = Hf[t - 1, b, 2 * i]
                    hi = Hf[t - 1, b, 2 * i + 1]
                    glr[i] += ur * hr + ui * hi
                    gli[i] += ui * hr - ur * hi
                for j in range(k):
                    gBr[i, j] += ur * xt[t, b, j]
                    gBi[i, j] += ui * xt[t, b, j]
    return glr + 1j * gli, gBr + 1j * gBi, gCr + 1j * gCi, g_D


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


@njit(cache=True, fastmath=True)
def diagonal_loss_and_grad(lam, B, C, D, xt, yt):
    # loss and exact gradient of a complex diagonal layer in one forward sweep, without
    # storing the states. A diagonal recurrence lets forward-mode differentiation carry only
    # n (not n^2) tangents: with s_t = dh_t/dlam = lam s_{t-1} + h_{t-1} and
    # e_t = dh_t/dB~ = lam e_{t-1} + x_t (one per input), the Wirtinger gradient of a
    # holomorphic parameter p is sum_t conj(q_t dh_t/dp), q_t = C^T g_t, g_t = dL/dy_t.
    # The gradient equals backpropagation's, but nothing of size (T, batch, n) is written.
    T, Bn, k = xt.shape
    n = lam.shape[0]
    m = C.shape[0]
    lr, li = lam.real.copy(), lam.imag.copy()
    Br, Bi = B.real.copy(), B.imag.copy()
    Cr, Ci = C.real.copy(), C.imag.copy()
    scale = 1.0 / (T * Bn * m)
    hr = np.zeros((Bn, n))
    hi = np.zeros((Bn, n))
    sr = np.zeros((Bn, n))
    si = np.zeros((Bn, n))
    er = np.zeros((Bn, k, n))
    ei = np.zeros((Bn, k, n))
    qr = np.empty(n)
    qi = np.empty(n)
    g = np.empty(m)
    glr = np.zeros(n)
    gli = np.zeros(n)
    gBr = np.zeros((k, n))
    gBi = np.zeros((k, n))
    gCr = np.zeros((m, n))
    gCi = np.zeros((m, n))
    g_D = np.zeros((m, k))
    loss = 0.0
    for t in range(T):
        for b in range(Bn):
            # tangents first: s_t needs h_{t-1}, which the state rows still hold
            for i in range(n):
                ur = lr[i] * sr[b, i] - li[i] * si[b, i] + hr[b, i]
                si[b, i] = lr[i] * si[b, i] + li[i] * sr[b, i] + hi[b, i]
                sr[b, i] = ur
            for j in range(k):
                xj = xt[t, b, j]
                for i in range(n):
                    ur = lr[i] * er[b, j, i] - li[i] * ei[b, j, i] + xj
                    ei[b, j, i] = lr[i] * ei[b, j, i] + li[i] * er[b, j, i]
                    er[b, j, i] = ur
            for i in range(n):
                ur = lr[i] * hr[b, i] - li[i] * hi[b, i]
                hi[b, i] = lr[i] * hi[b, i] + li[i] * hr[b, i]
                hr[b, i] = ur
            for j in range(k):
                xj = xt[t, b, j]
                for i in range(n):
                    hr[b, i] += Br[i, j] * xj
                    hi[b, i] += Bi[i, j] * xj
            # output, residual and its cotangent g_t
            for o in range(m):
                acc = 0.0
                for i in range(n):
                    acc += Cr[o, i] * hr[b, i] - Ci[o, i] * hi[b, i]
                for j in range(k):
                    acc += D[o, j] * xt[t, b, j]
                r = acc - yt[t, b, o]
                loss += r * r
                g[o] = r * scale
                for i in range(n):
                    # g conj(h)
                    gCr[o, i] += g[o] * hr[b, i]
                    gCi[o, i] -= g[o] * hi[b, i]
                for j in range(k):
                    g_D[o, j] += g[o] * xt[t, b, j]
            # q = C^T g (complex), then conj(q s) and conj(q e)
            for i in range(n):
                qr[i] = 0.0
                qi[i] = 0.0
            for o in range(m):
                for i in range(n):
                    qr[i] += g[o] * Cr[o, i]
                    qi[i] += g[o] * Ci[o, i]
            for i in range(n):
                glr[i] += qr[i] * sr[b, i] - qi[i] * si[b, i]
                gli[i] -= qr[i] * si[b, i] + qi[i] * sr[b, i]
            for j in range(k):
                for i in range(n):
                    gBr[j, i] += qr[i] * er[b, j, i] - qi[i] * ei[b, j, i]
                    gBi[j, i] -= qr[i] * ei[b, j, i] + qi[i] * er[b, j, i]
    g_B = np.empty((n, k), dtype=np.complex128)
    for i in range(n):
        for j in range(k):
            g_B[i, j] = complex(gBr[j, i], gBi[j, i])
    return 0.5 * loss * scale, glr + 1j * gli, g_B, gCr + 1j * gCi, g_D
