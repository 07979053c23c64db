"""numba kernels shared by the PLRNN and the shallow PLRNN.

Both models are piecewise-affine maps of one form,

    F(z) = A z + W relu(G z + g) + b,

with the PLRNN as G = I, g = 0, b = h and the shallow PLRNN as A = diag(a), W = W1,
G = W2, g = h2, b = h1.  Writing the kernels once over (A, W, G, g, b) lets every later
algorithm (simulation, SCYFI, sweeps) serve both models.  ``gate_is_identity`` skips the
product G z for the PLRNN, where it would double the cost of a step.
"""
import numpy as np
from numba import njit


@njit(cache=True)
def gate(G, g, z, gate_is_identity):
    """Return the region variables u = G z + g (u = z for the PLRNN)."""
    if gate_is_identity:
        return z.copy()
    return G @ z + g


@njit(cache=True)
def step(A, W, G, g, b, z, gate_is_identity):
    """One step F(z) = A z + W relu(G z + g) + b."""
    u = gate(G, g, z, gate_is_identity)
    for i in range(u.shape[0]):
        if u[i] < 0.0:
            u[i] = 0.0
    return A @ z + W @ u + b


@njit(cache=True)
def simulate(A, W, G, g, b, z0, n_steps, drive, gate_is_identity):
    """Iterate z_t = F(z_{t-1}) + drive[t-1] for t = 1..n_steps; row 0 is z0.

    ``drive`` has shape (n_steps, M) and holds C s_t (zeros without inputs).
    """
    M = z0.shape[0]
    out = np.empty((n_steps + 1, M))
    out[0] = z0
    z = z0.copy()
    for t in range(n_steps):
        z = step(A, W, G, g, b, z, gate_is_identity) + drive[t]
        out[t + 1] = z
    return out


@njit(cache=True, inline="always")
def fill_region_matrix(A, W, G, D, row, gate_is_identity, Jtab, slot):
    """In place: Jtab[slot, :, :M] = A + W diag(d) G with d = D[row], the linear part of F
    in the region with sign pattern d.

    The one fill of a region matrix: :func:`region_matrix` and the cycle searches
    (plrnn_lib.cycles) call it on preallocated buffers; the searches' tables have one
    column more, for the offset (:func:`fill_region_offset`).  Rows and slots are indices
    rather than views, since a view costs a reference-count round trip that the searches
    pay per region; for the same reason it is inlined where it is called (a call would
    pass five arrays).
    """
    M = A.shape[0]
    if gate_is_identity:
        # row by row (contiguous): column h of W enters where d_h is on
        for i in range(M):
            for j in range(M):
                Jtab[slot, i, j] = A[i, j] + W[i, j] if D[row, j] else A[i, j]
        return
    for i in range(M):
        for j in range(M):
            Jtab[slot, i, j] = A[i, j]
    for h in range(D.shape[1]):
        if D[row, h]:
            for i in range(M):
                wih = W[i, h]
                for j in range(M):
                    Jtab[slot, i, j] += wih * G[h, j]


@njit(cache=True, inline="always")
def fill_region_offset(W, g, b, D, row, gate_is_identity, table, slot):
    """In place: the last column of table[slot] = b + W diag(d) g with d = D[row], the
    constant part of F (the searches keep each region's map as one block [J | c])."""
    M = b.shape[0]
    last = table.shape[2] - 1
    for i in range(M):
        table[slot, i, last] = b[i]
    if gate_is_identity:
        return
    for h in range(D.shape[1]):
        if D[row, h]:
            for i in range(M):
                table[slot, i, last] += W[i, h] * g[h]


@njit(cache=True)
def region_matrix(A, W, G, d, gate_is_identity):
    """J(d) = A + W diag(d) G, the Jacobian in the region with sign pattern d."""
    J = np.empty((1,) + A.shape)
    fill_region_matrix(A, W, G, d.reshape(1, d.shape[0]), 0, gate_is_identity, J, 0)
    return J[0]


@njit(cache=True)
def region_offset(W, g, b, d, gate_is_identity):
    """c(d) = b + W diag(d) g, the constant term of F in the region d."""
    c = np.empty((1, b.shape[0], 1))
    fill_region_offset(W, g, b, d.reshape(1, d.shape[0]), 0, gate_is_identity, c, 0)
    return c[0, :, 0].copy()
