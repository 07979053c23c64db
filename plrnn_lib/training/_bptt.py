"""numba kernels for back-propagation through time (BPTT) with generalized teacher forcing.

One forward and one backward sweep over the common piecewise-affine form of both models,

    z_t = A z~_{t-1} + W relu(G z~_{t-1} + g) + b + drive_t,

(the PLRNN is G = I, g = 0; the shallow PLRNN has a diagonal A) with the GTF-forced state
z~_t, whose first N units are (1 - alpha) z_t + alpha x_t.  Arrays are stored time-major,
(T, B, M), so that each time step's batch block is contiguous: the per-step products then
run as loops over contiguous rows for small models, or as one BLAS call for large ones,
and the parameter gradients are single matrix products over all steps at the end.
"""
import numpy as np
from numba import njit

# Above this many multiply-adds per sample and step (M * H), a BLAS call for the batch block
# is cheaper than hand-written loops (measured by benchmarks/training.py).
_BLAS_MIN_WORK = 400


@njit(cache=True)
def _rows_times(X, Mat, out, use_blas):
    """out[i] = X[i] @ Mat for every row i (out = X @ Mat, X (B, P), Mat (P, Q))."""
    if use_blas:
        out[:, :] = np.dot(X, Mat)
        return
    B, P = X.shape
    Q = Mat.shape[1]
    for i in range(B):
        for q in range(Q):
            out[i, q] = 0.0
        for p in range(P):
            x = X[i, p]
            if x != 0.0:
                for q in range(Q):
                    out[i, q] += x * Mat[p, q]


@njit(cache=True)
def forward(A, diag_A, W, G, g, b, gate_is_identity, X, alpha, drive):
    """Run the forced model on a batch; return (loss, forced states, gates, predictions).

    Shapes: X (T, B, N) time-major data, drive (T, B, M) the input term C s_t (zeros
    without inputs).  Returns ``Zf`` (T, B, M) the forced states z~_t, ``U`` (T, B, H) the
    gate pre-activations u_t = G z~_t + g (U[t] for t < T - 1 only), ``Z`` (T, B, M) the
    predictions z_t (row 0 unused).
    """
    T, B, N = X.shape
    M = A.shape[0]
    H = G.shape[0]
    use_blas = M * H >= _BLAS_MIN_WORK
    AT = np.ascontiguousarray(A.T)
    WT = np.ascontiguousarray(W.T)
    GT = np.ascontiguousarray(G.T)
    Zf = np.zeros((T, B, M))
    U = np.zeros((T, B, H))
    R = np.zeros((T, B, H))
    Z = np.zeros((T, B, M))
    for i in range(B):
        for n in range(N):
            Zf[0, i, n] = X[0, i, n]
    loss = 0.0
    for t in range(1, T):
        prev = Zf[t - 1]
        u = U[t - 1]
        r = R[t - 1]
        if gate_is_identity:
            u[:, :] = prev
        else:
            _rows_times(prev, GT, u, use_blas)
            for i in range(B):
                for k in range(H):
                    u[i, k] += g[k]
        for i in range(B):
            for k in range(H):
                r[i, k] = u[i, k] if u[i, k] > 0.0 else 0.0
        z = Z[t]
        _rows_times(r, WT, z, use_blas)
        if diag_A:
            for i in range(B):
                for m in range(M):
                    z[i, m] += A[m, m] * prev[i, m] + b[m] + drive[t, i, m]
        else:
            az = np.empty((B, M))
            _rows_times(prev, AT, az, use_blas)
            for i in range(B):
                for m in range(M):
                    z[i, m] += az[i, m] + b[m] + drive[t, i, m]
        zf = Zf[t]
        for i in range(B):
            for m in range(M):
                zf[i, m] = z[i, m]
            for n in range(N):
                err = z[i, n] - X[t, i, n]
                loss += err * err
                zf[i, n] = (1.0 - alpha) * z[i, n] + alpha * X[t, i, n]
    loss /= B * (T - 1) * N
    return loss, Zf, U, R, Z


@njit(cache=True)
def backward(A, diag_A, W, G, gate_is_identity, X, alpha, Zf, U, Z):
    """Return the adjoints delta_t = dL/dz_t (T, B, M) and eta_t = dL/du_t (T, B, H).

    delta_t = e_t + D_alpha (A^T delta_{t+1} + G^T eta_t),  eta_t = [u_t > 0] (W^T delta_{t+1}),
    with e_t the direct loss term and D_alpha = diag(1 - alpha on the N observed units, 1
    elsewhere), the derivative of the forcing z~_t = (1 - alpha) z_t + alpha x_t.
    Row 0 of delta is unused (z~_1 is data); eta[t] belongs to the step t -> t + 1.
    """
    T, B, N = X.shape
    M = A.shape[0]
    H = G.shape[0]
    use_blas = M * H >= _BLAS_MIN_WORK
    scale = 2.0 / (B * (T - 1) * N)
    delta = np.zeros((T, B, M))
    eta = np.zeros((T, B, H))
    back = np.empty((B, M))
    for t in range(T - 1, 0, -1):
        d = delta[t]
        # the error term at step t (delta[t] already holds what flows back from t + 1)
        for i in range(B):
            for n in range(N):
                d[i, n] += scale * (Z[t, i, n] - X[t, i, n])
        # through the gate of step t - 1 -> t
        e = eta[t - 1]
        _rows_times(d, W, e, use_blas)
        u = U[t - 1]
        for i in range(B):
            for k in range(H):
                if u[i, k] <= 0.0:
                    e[i, k] = 0.0
        if t == 1:
            break
        # dL/dz~_{t-1} = A^T delta_t + G^T eta_{t-1}, then through the forcing of step t - 1
        if gate_is_identity:
            back[:, :] = e[:, :M]
        else:
            _rows_times(e, G, back, use_blas)
        dp = delta[t - 1]
        if diag_A:
            for i in range(B):
                for m in range(M):
                    dp[i, m] = back[i, m] + A[m, m] * d[i, m]
        else:
            _rows_times(d, A, dp, use_blas)
            for i in range(B):
                for m in range(M):
                    dp[i, m] += back[i, m]
        for i in range(B):
            for n in range(N):
                dp[i, n] *= 1.0 - alpha
    return delta, eta


@njit(cache=True)
def parameter_gradients(diag_A, gate_is_identity, Zf, R, delta, eta):
    """Sum the per-step contributions into dA, dW, dG, dg, db.

    dA = sum_t delta_t z~_{t-1}^T (its diagonal only when A is diagonal), dW = sum_t delta_t
    relu(u_{t-1})^T, db = sum_t delta_t, dG = sum_t eta_{t-1} z~_{t-1}^T, dg = sum_t eta_{t-1};
    each sum is one matrix product over all steps and sequences.
    """
    T, B, M = Zf.shape
    H = R.shape[2]
    n = (T - 1) * B
    D = delta[1:].reshape((n, M))
    P = Zf[:T - 1].reshape((n, M))
    Rf = R[:T - 1].reshape((n, H))
    E = eta[:T - 1].reshape((n, H))
    if diag_A:
        dA = np.zeros((M, M))
        for j in range(n):
            for m in range(M):
                dA[m, m] += D[j, m] * P[j, m]
    else:
        dA = np.dot(D.T, P)
    dW = np.dot(D.T, Rf)
    db = D.sum(axis=0) if n > 0 else np.zeros(M)
    if gate_is_identity:
        dG = np.zeros((H, M))
        dg = np.zeros(H)
    else:
        dG = np.dot(E.T, P)
        dg = E.sum(axis=0)
    return dA, dW, dG, dg, db
