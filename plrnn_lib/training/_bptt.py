"""numba kernels for back-propagation through time (BPTT) with generalized teacher forcing.

One forward and one backward sweep over the common piecewise-affine form of both models,

    z_t = A z~_{t-1} + W relu(G z~_{t-1} + g) + b + drive_t,

(the PLRNN is G = I, g = 0; the shallow PLRNN has a diagonal A) with the GTF-forced state
z~_t, whose first N units are (1 - alpha_t) z_t + alpha_t x_t (the strength may change
from step to step: constant for GTF, 0 or 1 for sparse teacher forcing).  Arrays are stored time-major,
(T, B, M), so that each time step's batch block is contiguous: the per-step products then
run as loops over contiguous rows for small models, or as one BLAS call for large ones,
and the parameter gradients are single matrix products over all steps at the end.
"""
import numpy as np
from numba import njit

# The forward and backward sweeps allow floating-point reassociation (and fused multiply-add)
# so that LLVM vectorises their short dot products; they make no finite-math assumption, so
# a diverging run still produces inf or NaN for the trainer to detect.
FASTMATH = {"reassoc", "contract"}

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


@njit(cache=True, fastmath=FASTMATH)
def forward(A, diag_A, W, G, g, b, gate_is_identity, X, alphas, drive, Zf, U, R, E):
    """Run the forced model on a batch; return the loss and fill the work arrays.

    Shapes (time-major): X (T, B, N) data; alphas (T,) the forcing strength of each step
    (alphas[0] unused: z~_1 is data); drive (T, B, M) the input term C s_t, or an empty
    array without inputs.  Filled: ``Zf`` (T, B, M) the forced states z~_t, ``U`` (T, B, H)
    the gate inputs u_t = G z~_t + g (not used for the PLRNN, whose u_t is z~_t), ``R``
    (T, B, H) relu(u_t) (rows t < T - 1), ``E`` (T, B, N) the scaled errors
    dL/dz_t = 2 (z_t - x_t) / (B (T - 1) N) on the observed units (rows t >= 1).
    The caller's work arrays are reused between calls: fresh multi-megabyte arrays cost
    more in page faults than the whole sweep.
    """
    T, B, N = X.shape
    M = A.shape[0]
    H = G.shape[0]
    use_blas = M * H >= _BLAS_MIN_WORK
    has_drive = drive.shape[0] > 0
    scale = 2.0 / (B * (T - 1) * N)
    WT = np.ascontiguousarray(W.T)
    GT = np.ascontiguousarray(G.T)
    AT = np.ascontiguousarray(A.T)
    az = np.empty((B, M))
    for i in range(B):
        for m in range(M):
            Zf[0, i, m] = X[0, i, m] if m < N else 0.0
    loss = 0.0
    # the usual trained PLRNN (diagonal A, G = I) with a small M: one fused pass per sample
    fused = gate_is_identity and diag_A and not use_blas
    for t in range(1, T):
        prev = Zf[t - 1]
        r = R[t - 1]
        z = Zf[t]
        if fused:
            for i in range(B):
                for k in range(M):
                    v = prev[i, k]
                    r[i, k] = v if v > 0.0 else 0.0
                for m in range(M):
                    acc = A[m, m] * prev[i, m] + b[m]
                    for k in range(M):
                        acc += W[m, k] * r[i, k]
                    if has_drive:
                        acc += drive[t, i, m]
                    z[i, m] = acc
                for n in range(N):
                    err = z[i, n] - X[t, i, n]
                    loss += err * err
                    E[t, i, n] = scale * err
                    z[i, n] = (1.0 - alphas[t]) * z[i, n] + alphas[t] * X[t, i, n]
            continue
        if gate_is_identity:
            for i in range(B):
                for k in range(H):
                    v = prev[i, k]
                    r[i, k] = v if v > 0.0 else 0.0
        else:
            u = U[t - 1]
            _rows_times(prev, GT, u, use_blas)
            for i in range(B):
                for k in range(H):
                    v = u[i, k] + g[k]
                    u[i, k] = v
                    r[i, k] = v if v > 0.0 else 0.0
        _rows_times(r, WT, z, use_blas)
        if diag_A:
            for i in range(B):
                for m in range(M):
                    z[i, m] += A[m, m] * prev[i, m] + b[m]
        else:
            _rows_times(prev, AT, az, use_blas)
            for i in range(B):
                for m in range(M):
                    z[i, m] += az[i, m] + b[m]
        if has_drive:
            for i in range(B):
                for m in range(M):
                    z[i, m] += drive[t, i, m]
        # the loss sees the prediction z_t; then z_t becomes the forced state in place
        for i in range(B):
            for n in range(N):
                err = z[i, n] - X[t, i, n]
                loss += err * err
                E[t, i, n] = scale * err
                z[i, n] = (1.0 - alphas[t]) * z[i, n] + alphas[t] * X[t, i, n]
    return loss / (B * (T - 1) * N)


@njit(cache=True, fastmath=FASTMATH)
def backward(A, diag_A, W, G, U, gate_is_identity, alphas, E, delta, eta):
    """Fill the adjoints delta_t = dL/dz_t (T, B, M) and eta_t = dL/du_t (T, B, H).

    delta_t = e_t + D_alpha (A^T delta_{t+1} + G^T eta_t),  eta_t = [u_t > 0] (W^T delta_{t+1}),
    with e_t the direct loss term (``E``) and D_alpha = diag(1 - alphas[t] on the N observed
    units, 1 elsewhere), the derivative of the forcing z~_t = (1 - alpha_t) z_t + alpha_t x_t.
    ``U`` holds the gate inputs (the forced states ``Zf`` for the PLRNN).  Row 0 of delta is
    not used (z~_1 is data); eta[t] belongs to the step t -> t + 1.
    """
    T, B, N = E.shape
    M = A.shape[0]
    H = G.shape[0]
    use_blas = M * H >= _BLAS_MIN_WORK
    back = np.empty((B, M))
    WT = np.ascontiguousarray(W.T)
    delta[T - 1, :, :] = 0.0
    fused = gate_is_identity and diag_A and not use_blas
    for t in range(T - 1, 0, -1):
        d = delta[t]
        if fused:
            e = eta[t - 1]
            u = U[t - 1]
            dp = delta[t - 1]
            for i in range(B):
                for n in range(N):
                    d[i, n] += E[t, i, n]
                for k in range(M):
                    if u[i, k] > 0.0:
                        acc = 0.0
                        for m in range(M):
                            acc += WT[k, m] * d[i, m]   # W[m, k], read along a row
                        e[i, k] = acc
                    else:
                        e[i, k] = 0.0
                if t > 1:
                    for m in range(M):
                        dp[i, m] = e[i, m] + A[m, m] * d[i, m]
                    for n in range(N):
                        dp[i, n] *= 1.0 - alphas[t - 1]
            continue
        # the error term at step t (delta[t] already holds what flows back from t + 1)
        for i in range(B):
            for n in range(N):
                d[i, n] += E[t, i, n]
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
        dp = delta[t - 1]
        if gate_is_identity:
            for i in range(B):
                for m in range(M):
                    back[i, m] = e[i, m]
        else:
            _rows_times(e, G, back, use_blas)
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
                dp[i, n] *= 1.0 - alphas[t - 1]


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
    dA = np.zeros((M, M))
    db = np.zeros(M)
    for j in range(n):
        for m in range(M):
            db[m] += D[j, m]
    if diag_A:
        for j in range(n):
            for m in range(M):
                dA[m, m] += D[j, m] * P[j, m]
    else:
        dA[:, :] = np.dot(D.T, P)
    dW = np.dot(D.T, Rf)
    dG = np.zeros((H, M))
    dg = np.zeros(H)
    if not gate_is_identity:
        Ef = eta[:T - 1].reshape((n, H))
        dG[:, :] = np.dot(Ef.T, P)
        for j in range(n):
            for k in range(H):
                dg[k] += Ef[j, k]
    return dA, dW, dG, dg, db
