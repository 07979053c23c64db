r"""Forcing rules for training: adaptive generalized teacher forcing and sparse forcing.

Generalized teacher forcing (GTF; Hess et al., 2023) pulls the observed units of the model's
state toward the data after every step, :math:`\tilde z_t = (1-\alpha) z_t + \alpha x_t`.
When all M units are observed, the map that training iterates is
:math:`\tilde z \mapsto (1-\alpha) F(\tilde z) + \alpha x_t`, whose Jacobian is
:math:`(1-\alpha) J_t`.  With :math:`\lVert J_t\rVert \le r` for every state this forced
Jacobian has norm at most :math:`(1-\alpha) r`, below 1 once :math:`\alpha > 1 - 1/r`:
the forced system contracts, no eigenvalue of a cycle's Jacobian can reach 1, and no
degenerate transcritical bifurcation (DTB), with its exploding gradients, can happen
(Eisenmann et al., 2023, Theorem 3).  This module provides

- :func:`norm_bound` and :func:`alpha_threshold`: the bound :math:`r` and the threshold
  :math:`1 - 1/r` of the theorem for a given model;
- :func:`forced_jacobian_norms` and :func:`jacobian_growth`: the spectral norms of the
  Jacobians along forced training windows, and their geometric mean per window;
- :class:`AdaptiveAlpha`: the rule of the public GTF code, :math:`\alpha` from the
  estimated growth, raised at once and lowered slowly;
- :class:`SparseForcing`: sparse teacher forcing, the state replaced by the data every
  :math:`\tau` steps (Mikhaeil et al., 2022).

The rules are callables ``rule(model, X, update)`` that :func:`~plrnn_lib.training.train`
calls before every update.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .._checks import as_int, as_real
from .gradients import _check_model, _forward, check_batch


def norm_bound(model) -> float:
    r"""Upper bound :math:`r` on the spectral norm of every Jacobian of the model.

    For the PLRNN, :math:`J = A + W D` with :math:`D` a 0/1 diagonal matrix, so
    :math:`\lVert J\rVert_2 \le r = \lVert A\rVert_2 + \lVert W\rVert_2`; for the shallow
    PLRNN, :math:`J = \mathrm{diag}(a) + W_1 D W_2` and
    :math:`r = \lVert \mathrm{diag}(a)\rVert_2 + \lVert W_1\rVert_2 \lVert W_2\rVert_2`
    (Eisenmann et al., 2023, Theorem 3; Hess et al., 2023).
    """
    _check_model(model)
    A, W, G, _, _, gate_is_identity = model.affine_parts()
    r = np.linalg.norm(A, 2) + np.linalg.norm(W, 2) * (1.0 if gate_is_identity
                                                        else np.linalg.norm(G, 2))
    return float(r)


def alpha_threshold(model) -> float:
    r"""The forcing strength above which GTF rules out DTBs: :math:`\max(0, 1 - 1/r)`.

    With :math:`r` from :func:`norm_bound`, every :math:`\alpha` with
    :math:`1 - 1/r < \alpha \le 1` makes the fully forced map a contraction,
    :math:`\lVert (1-\alpha) J\rVert_2 \le (1-\alpha) r < 1` (Eisenmann et al., 2023,
    Theorem 3); for :math:`r \le 1` any :math:`\alpha > 0` does.
    """
    return max(0.0, 1.0 - 1.0 / norm_bound(model))


@njit(cache=True)
def _log_jacobian_norms(A, W, G, g, gate_is_identity, Z):
    """log ||J(z)||_2 for every state z of Z (n, M), J(z) = A + W diag(G z + g > 0) G."""
    n, M = Z.shape
    H = G.shape[0]
    out = np.empty(n)
    J = np.empty((M, M))
    WD = np.empty((M, H))
    for i in range(n):
        z = Z[i]
        for k in range(H):
            u = z[k] if gate_is_identity else np.dot(G[k], z) + g[k]
            on = 1.0 if u > 0.0 else 0.0
            for m in range(M):
                WD[m, k] = W[m, k] * on
        if gate_is_identity:
            J[:, :] = A + WD
        else:
            J[:, :] = A + np.dot(WD, G)
        # the largest singular value; log(0) = -inf for a zero Jacobian is kept on purpose
        out[i] = np.log(np.linalg.svd(J)[1][0])
    return out


def _forcing_states(model, X, alpha):
    """The states at which the forced window is evaluated, (B, T - 1, M), for t = 2..T.

    These are the forcing signals of the public GTF code: the data on the observed units
    and, on the unobserved ones, the states the forced model carries.
    """
    _, work, _ = _forward(model, X, alpha, None)
    Zf = np.array(work[0].transpose(1, 0, 2))    # (B, T, M), the forced states
    N = X.shape[2]
    Zf[:, :, :N] = X
    return Zf[:, 1:]


def forced_jacobian_norms(model, X, alpha=0.0, *, forced=True) -> np.ndarray:
    r"""Spectral norms of the (forced) Jacobians along teacher-forced windows.

    Runs the model on the windows ``X`` with GTF strength :math:`\alpha` and returns, for
    every window b and step :math:`t = 2, \dots, T`, :math:`\lVert (1-\alpha) J(\hat
    z_t)\rVert_2` (``forced=True``) or :math:`\lVert J(\hat z_t)\rVert_2`, where
    :math:`J` is the model's Jacobian and :math:`\hat z_t` the forcing signal (the data on
    the observed units, the carried state on the others).  When all units are observed,
    :math:`(1-\alpha)J` is the Jacobian of the forced map (Eisenmann et al., 2023,
    Theorem 3; Hess et al., 2023).

    Parameters
    ----------
    model : PLRNN or ShallowPLRNN
    X : array_like, shape (B, T, N)
        Windows of N <= M observed units.
    alpha : float
        Forcing strength in [0, 1].
    forced : bool
        Multiply by :math:`1 - \alpha` (the Jacobian of the forced map).

    Returns
    -------
    ndarray, shape (B, T - 1)
    """
    X, _ = check_batch(model, X)
    alpha = as_real("alpha", alpha, minimum=0.0, maximum=1.0)
    Z = _forcing_states(model, X, alpha)
    B, n, M = Z.shape
    A, W, G, g, _, gate_is_identity = model.affine_parts()
    norms = np.exp(_log_jacobian_norms(A, W, G, g, gate_is_identity,
                                       np.ascontiguousarray(Z.reshape(B * n, M))))
    return norms.reshape(B, n) * ((1.0 - alpha) if forced else 1.0)


def jacobian_growth(model, X, alpha=0.0) -> np.ndarray:
    r"""Per window, the geometric mean of the Jacobians' spectral norms along it.

    .. math:: G_b = \Bigl(\prod_{t=2}^{T} \lVert J(\hat z_{b,t}) \rVert_2\Bigr)^{1/(T-1)},

    an upper bound on the per-step growth of the Jacobian product along window b,
    :math:`\lVert \prod_t J_t \rVert^{1/(T-1)} \le G_b` (the "product upper bound" of the
    public GTF code of Hess et al., 2023); :math:`\hat z_{b,t}` as in
    :func:`forced_jacobian_norms`.

    Returns
    -------
    ndarray, shape (B,)
    """
    X, _ = check_batch(model, X)
    alpha = as_real("alpha", alpha, minimum=0.0, maximum=1.0)
    Z = _forcing_states(model, X, alpha)
    B, n, M = Z.shape
    A, W, G, g, _, gate_is_identity = model.affine_parts()
    logs = _log_jacobian_norms(A, W, G, g, gate_is_identity,
                               np.ascontiguousarray(Z.reshape(B * n, M)))
    with np.errstate(divide="ignore"):
        return np.exp(logs.reshape(B, n).mean(axis=1))


def optimal_alpha(growth) -> float:
    r"""The smallest strength that makes the forced growth at most 1: :math:`\max(0, 1-1/G)`.

    With :math:`G` a bound on the Jacobians' growth, :math:`(1-\alpha) G \le 1` for
    :math:`\alpha \ge 1 - 1/G` (Hess et al., 2023).
    """
    growth = as_real("growth", growth, minimum=0.0)
    return 0.0 if growth <= 1.0 else 1.0 - 1.0 / growth


class AdaptiveAlpha:
    r"""Adaptive GTF strength: :math:`\alpha` follows the Jacobians' growth along the batch.

    The rule of the public GTF code (Hess et al., 2023, "product upper bound"): every
    ``interval`` updates it estimates :math:`G = \max_b G_b` over the batch's windows with
    :func:`jacobian_growth` (the forcing signals taken at the current :math:`\alpha`) and
    sets :math:`\hat\alpha = \max(0, 1 - 1/G)`; then

    .. math:: \alpha \leftarrow \hat\alpha \ \text{if}\ \hat\alpha > \alpha, \qquad
              \alpha \leftarrow \gamma\,\alpha + (1-\gamma)\,\hat\alpha \ \text{otherwise},

    raised at once when the Jacobians grow and lowered slowly (``decay`` :math:`\gamma`)
    when they shrink.  Between estimates :math:`\alpha` stays.  Pass an instance as
    ``alpha`` to :func:`~plrnn_lib.training.train`; one instance per run, since it keeps
    its state and its record.

    Parameters
    ----------
    initial : float
        Starting strength in [0, 1] (the public code starts at 1 and runs 250,000 updates;
        with 0 the first estimate sets :math:`\alpha`).
    interval : int
        Updates between estimates (the public code: 5); estimates happen on updates
        ``0, interval, 2 interval, ...``.
    decay : float
        :math:`\gamma` in [0, 1).
    maximum : float
        Upper limit of :math:`\alpha` (1: classical teacher forcing is allowed).

    Attributes
    ----------
    alpha : float
        The current strength.
    updates, growth, estimates, values : ndarray
        Per estimate: the update number, :math:`G`, :math:`\hat\alpha` and the
        :math:`\alpha` it led to.
    """

    def __init__(self, initial=1.0, *, interval=5, decay=0.999, maximum=1.0):
        self.initial = as_real("initial", initial, minimum=0.0, maximum=1.0)
        self.interval = as_int("interval", interval, minimum=1)
        self.decay = as_real("decay", decay, minimum=0.0, maximum=1.0)
        if self.decay == 1.0:
            raise ValueError("decay must be below 1 (with 1, alpha could never go down)")
        self.maximum = as_real("maximum", maximum, minimum=0.0, maximum=1.0)
        self.alpha = min(self.initial, self.maximum)
        self._records = []

    def update(self, growth) -> float:
        r"""Apply one estimate :math:`G`; return the new :math:`\alpha`."""
        estimate = min(optimal_alpha(growth), self.maximum)
        if estimate > self.alpha:
            self.alpha = estimate
        else:
            self.alpha = self.decay * self.alpha + (1.0 - self.decay) * estimate
        return self.alpha

    def __call__(self, model, X, update):
        """The strength for this update; estimates anew on every ``interval``-th update."""
        if update % self.interval == 0:
            growth = float(np.max(jacobian_growth(model, X, self.alpha)))
            self.update(growth)
            self._records.append((update, growth, min(optimal_alpha(growth), self.maximum),
                                  self.alpha))
        return self.alpha

    def _column(self, i):
        return np.array([r[i] for r in self._records], dtype=float)

    @property
    def updates(self):
        """Update numbers at which an estimate was made."""
        return self._column(0).astype(int)

    @property
    def growth(self):
        """The estimated growth :math:`G` (max over the batch) at each estimate."""
        return self._column(1)

    @property
    def estimates(self):
        r""":math:`\hat\alpha = \max(0, 1 - 1/G)` at each estimate."""
        return self._column(2)

    @property
    def values(self):
        r"""The strength :math:`\alpha` after each estimate."""
        return self._column(3)

    def __repr__(self):
        return (f"AdaptiveAlpha(alpha={self.alpha:.4g}, interval={self.interval}, "
                f"decay={self.decay}, estimates={len(self._records)})")


class SparseForcing:
    r"""Sparse teacher forcing: the observed units are replaced by the data every τ steps.

    The per-step strengths are :math:`\alpha_t = 1` when :math:`(t-1)` is a multiple of
    :math:`\tau` and 0 otherwise (:math:`t = 2, \dots, T`), so the model runs freely for
    :math:`\tau` steps between resets (Mikhaeil et al., 2022; the public GTF code's
    ``TFRecur``).  :math:`\tau = 1` is classical teacher forcing.  Pass an instance as
    ``alpha`` to :func:`~plrnn_lib.training.train`.

    Parameters
    ----------
    interval : int
        :math:`\tau \ge 1`.
    """

    def __init__(self, interval):
        self.interval = as_int("interval", interval, minimum=1)

    def strengths(self, T):
        r"""The per-step strengths :math:`\alpha_t` of a window of T steps, shape (T,)."""
        T = as_int("T", T, minimum=2)
        t = np.arange(T)                 # row t holds time t + 1
        out = (t % self.interval == 0).astype(float)
        out[0] = 0.0                     # z_1 is the data anyway
        return out

    def __call__(self, model, X, update):
        """The per-step strengths for the batch ``X`` (B, T, N): ``strengths(T)``."""
        return self.strengths(np.shape(X)[1])

    def __repr__(self):
        return f"SparseForcing(interval={self.interval})"


__all__ = ["norm_bound", "alpha_threshold", "forced_jacobian_norms", "jacobian_growth",
           "optimal_alpha", "AdaptiveAlpha", "SparseForcing"]
