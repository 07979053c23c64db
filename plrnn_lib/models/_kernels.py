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


@njit(cache=True)
def region_matrix(A, W, G, d, gate_is_identity):
    """J(d) = A + W diag(d) G, the Jacobian in the region with sign pattern d."""
    M = A.shape[0]
    J = A.copy()
    H = d.shape[0]
    for k in range(H):
        if d[k]:
            if gate_is_identity:
                for i in range(M):
                    J[i, k] += W[i, k]
            else:
                for i in range(M):
                    wik = W[i, k]
                    for j in range(M):
                        J[i, j] += wik * G[k, j]
    return J


@njit(cache=True)
def region_offset(W, g, b, d, gate_is_identity):
    """c(d) = b + W diag(d) g, the constant term of F in the region d."""
    c = b.copy()
    if gate_is_identity:
        return c
    M = b.shape[0]
    for k in range(d.shape[0]):
        if d[k]:
            for i in range(M):
                c[i] += W[i, k] * g[k]
    return c
