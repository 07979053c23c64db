"""Forcing rules (adaptive GTF, sparse teacher forcing) and Theorem 3's threshold."""
import itertools
import math

import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.training import (AdaptiveAlpha, SparseForcing, alpha_threshold,
                                forced_jacobian_norms, gradient_norm, jacobian_growth,
                                norm_bound, optimal_alpha, train)
from plrnn_lib.training.gradients import loss


def random_plrnn(rng, M=3, scale=0.6):
    return pl.PLRNN(rng.uniform(-0.9, 0.9, M), scale * rng.normal(size=(M, M)),
                    rng.normal(size=M))


def random_shallow(rng, M=3, H=6):
    return pl.ShallowPLRNN(rng.uniform(-0.9, 0.9, M), 0.4 * rng.normal(size=(M, H)),
                           rng.normal(size=(H, M)), rng.normal(size=M), rng.normal(size=H))


def reference_loss(model, X, alphas):
    """The forced loss by a plain Python loop over model.step (independent of the kernels)."""
    B, T, N = X.shape
    total = 0.0
    for b in range(B):
        z = np.zeros(model.M)
        z[:N] = X[b, 0]
        for t in range(1, T):
            z = model.step(z)
            total += np.sum((z[:N] - X[b, t]) ** 2)
            z = z.copy()
            z[:N] = (1 - alphas[t]) * z[:N] + alphas[t] * X[b, t]
    return total / (B * (T - 1) * N)


# -- per-step forcing strengths -----------------------------------------------------------
@pytest.mark.parametrize("make", [random_plrnn, random_shallow])
def test_per_step_forcing_matches_a_plain_loop_and_finite_differences(make):
    rng = np.random.default_rng(3)
    model = make(rng)
    X = rng.normal(size=(3, 25, 2))
    alphas = rng.uniform(0, 1, 25)
    value, grads = pl.loss_and_grad(model, X, alpha=alphas)
    assert value == pytest.approx(reference_loss(model, X, alphas), rel=1e-10)
    eps = 1e-6
    for name, p in model.params().items():
        p = np.array(p)
        for idx in list(np.ndindex(p.shape))[:4]:
            step = np.zeros_like(p)
            step[idx] = eps
            up = loss(model.replace(**{name: p + step}), X, alphas)
            down = loss(model.replace(**{name: p - step}), X, alphas)
            assert grads[name][idx] == pytest.approx((up - down) / (2 * eps), rel=1e-5,
                                                     abs=1e-8)


def test_constant_per_step_strengths_equal_the_scalar():
    rng = np.random.default_rng(4)
    model, X = random_plrnn(rng), rng.normal(size=(2, 30, 3))
    v1, g1 = pl.loss_and_grad(model, X, alpha=0.3)
    v2, g2 = pl.loss_and_grad(model, X, alpha=np.full(30, 0.3))
    assert v1 == v2 and all(np.array_equal(g1[k], g2[k]) for k in g1)


def test_bad_per_step_strengths_are_named():
    model = pl.toy_plrnn()
    X = np.zeros((1, 10, 2))
    with pytest.raises(ValueError, match="alpha"):
        pl.loss_and_grad(model, X, alpha=np.full(9, 0.5))
    with pytest.raises(ValueError, match="alpha"):
        pl.loss_and_grad(model, X, alpha=np.full(10, 1.5))


# -- sparse teacher forcing ---------------------------------------------------------------
def test_sparse_forcing_resets_every_tau_steps():
    stf = SparseForcing(4)
    a = stf.strengths(13)
    assert a[0] == 0 and np.array_equal(np.flatnonzero(a), [4, 8, 12])
    assert set(np.unique(a)) == {0.0, 1.0}
    # tau = 1 is classical teacher forcing of the observed units
    rng = np.random.default_rng(5)
    model, X = random_plrnn(rng), rng.normal(size=(2, 20, 3))
    assert loss(model, X, SparseForcing(1).strengths(20)) == pytest.approx(loss(model, X, 1.0))
    # with all units forced, a reset starts the model afresh from the data: the loss is
    # the mean of the free-running losses of the segments between resets
    X = rng.normal(size=(2, 13, 3))
    segments = [loss(model, X[:, r:r + 5], 0.0) for r in (0, 4, 8)]
    assert loss(model, X, stf.strengths(13)) == pytest.approx(np.mean(segments), rel=1e-12)


def test_sparse_forcing_in_train_is_recorded():
    rng = np.random.default_rng(6)
    X = pl.toy_plrnn().simulate([0.3, -0.2], 199)
    hist = train(random_plrnn(rng, M=2), X, n_epochs=3, batches_per_epoch=2, window=50,
                 batch_size=4, alpha=SparseForcing(7), seed=1, progress=False)
    assert isinstance(hist.forcing, SparseForcing)
    assert np.allclose(hist.alpha, SparseForcing(7).strengths(50)[1:].mean())
    with pytest.raises(ValueError, match="interval"):
        SparseForcing(0)


# -- Jacobian norms and the adaptive rule -------------------------------------------------
@pytest.mark.parametrize("make", [random_plrnn, random_shallow])
def test_jacobian_norms_match_the_model_jacobian(make):
    rng = np.random.default_rng(7)
    model = make(rng)
    X = rng.normal(size=(3, 12, model.M))          # all units observed: the data are the
    alpha = 0.4                                     # forcing signals
    brute = np.array([[np.linalg.norm(model.jacobian(X[b, t]), 2) for t in range(1, 12)]
                      for b in range(3)])
    assert np.allclose(forced_jacobian_norms(model, X, alpha), (1 - alpha) * brute)
    assert np.allclose(forced_jacobian_norms(model, X, alpha, forced=False), brute)
    growth = jacobian_growth(model, X, alpha)
    assert np.allclose(growth, np.exp(np.log(brute).mean(axis=1)))
    # the product bound: the norm of the Jacobian product grows at most like growth^(T-1)
    for b in range(3):
        P = np.eye(model.M)
        for t in range(1, 12):
            P = model.jacobian(X[b, t]) @ P
        assert np.linalg.norm(P, 2) <= growth[b] ** 11 * (1 + 1e-9)


def test_partially_observed_forcing_signals_use_the_carried_state():
    rng = np.random.default_rng(8)
    model = random_plrnn(rng, M=3)
    X = rng.normal(size=(1, 6, 1))
    alpha = 0.5
    z = np.r_[X[0, 0], 0.0, 0.0]
    expected = []
    for t in range(1, 6):
        z = model.step(z)
        z[0] = (1 - alpha) * z[0] + alpha * X[0, t, 0]
        signal = np.r_[X[0, t, 0], z[1:]]
        expected.append(np.linalg.norm(model.jacobian(signal), 2))
    assert np.allclose(forced_jacobian_norms(model, X, alpha, forced=False)[0], expected)


def test_adaptive_alpha_rises_at_once_and_falls_slowly():
    rule = AdaptiveAlpha(0.0, interval=1, decay=0.9)
    assert rule.update(2.0) == pytest.approx(0.5)               # raised at once
    assert rule.update(4.0) == pytest.approx(0.75)
    assert rule.update(1.0) == pytest.approx(0.9 * 0.75)        # G <= 1: estimate 0
    a = 0.9 * 0.75
    assert rule.update(1.25) == pytest.approx(0.9 * a + 0.1 * 0.2)
    assert optimal_alpha(0.5) == 0.0 and optimal_alpha(5.0) == pytest.approx(0.8)
    with pytest.raises(ValueError, match="decay"):
        AdaptiveAlpha(decay=1.0)


def test_adaptive_alpha_in_train_follows_the_batches():
    rng = np.random.default_rng(9)
    teacher = pl.toy_plrnn()
    X = np.stack([teacher.simulate(rng.uniform(-1, 1, 2), 99) for _ in range(4)])
    rule = AdaptiveAlpha(0.0, interval=3)
    hist = train(teacher, X, n_epochs=4, batches_per_epoch=3, window=40, batch_size=2,
                 alpha=rule, seed=2, progress=False, learning_rate=1e-4)
    assert list(rule.updates) == [0, 3, 6, 9]
    assert hist.forcing is rule
    # the first estimate sets alpha (start 0); epochs use the value of their estimate
    assert rule.values[0] == pytest.approx(rule.estimates[0])
    assert np.allclose(hist.alpha, rule.values)
    assert np.allclose(rule.estimates, [optimal_alpha(g) for g in rule.growth])
    assert np.all(rule.growth > 1)          # the toy model expands along its orbits


# -- Theorem 3 ----------------------------------------------------------------------------
def forced_system(model, alpha, x):
    """The fully forced map with constant data x as a PLRNN: (1-a) F(z) + a x."""
    p = model.params()
    return pl.PLRNN((1 - alpha) * p["A"], (1 - alpha) * p["W"],
                    (1 - alpha) * p["h"] + alpha * x)


@pytest.mark.parametrize("seed", range(6))
def test_above_the_threshold_no_dtb_on_random_paths(seed):
    rng = np.random.default_rng(100 + seed)
    M = 3
    start = random_plrnn(rng, M, scale=0.8)
    end = random_plrnn(rng, M, scale=0.8)
    path = [start.replace(**{k: (1 - s) * start.params()[k] + s * end.params()[k]
                             for k in ("A", "W", "h")}) for s in np.linspace(0, 1, 15)]
    r = max(norm_bound(m) for m in path)
    assert r > 1                                   # the interesting case of the theorem
    alpha = 1 - 1 / r + 0.02
    x = rng.normal(size=M)
    for m in path:
        forced = forced_system(m, alpha, x)
        # every region's forced Jacobian contracts (brute force over all 2^M regions) ...
        worst = max(np.linalg.norm(forced.region_matrix(np.array(d, bool)), 2)
                    for d in itertools.product([0, 1], repeat=M))
        assert worst <= (1 - alpha) * norm_bound(m) + 1e-12 < 1
        # ... so every cycle of the forced system is stable, far from an eigenvalue +1
        for k in (1, 2, 3):
            for c in pl.exhaustive_cycles(forced, k):
                assert np.max(np.abs(c.eigenvalues)) <= worst ** k + 1e-9
    # and the free model itself is not so tame: without forcing some region expands
    assert max(np.linalg.norm(m.region_matrix(np.array(d, bool)), 2)
               for m in path for d in itertools.product([0, 1], repeat=M)) > 1


def test_threshold_is_sharp_on_a_constructed_path():
    # one unit, z -> 0.5 z + w relu(z) + 0.1, data constant 0.5; on z > 0 the slope is
    # 0.5 + w = r, so the forced slope (1 - alpha)(0.5 + w) reaches 1 at w = 1/(1-alpha) - 0.5
    a, h, c = 0.5, 0.1, 0.5
    w_end = 1.0
    r = a + w_end
    assert norm_bound(pl.PLRNN([a], [[w_end]], [h])) == pytest.approx(r)
    assert alpha_threshold(pl.PLRNN([a], [[w_end]], [h])) == pytest.approx(1 - 1 / r)
    below = 0.5 * (1 - 1 / r)
    w_dtb = 1 / (1 - below) - a                   # the forced system's DTB on the path
    assert 0 < w_dtb < w_end
    eigen, norms = [], []
    for gap in (1e-1, 1e-2, 1e-3):
        model = pl.PLRNN([a], [[w_dtb - gap]], [h])
        (fp,) = [cy for cy in pl.find_cycles(forced_system(model, below, np.array([c])), 1,
                                             rng=0) if cy.points[0, 0] > 0]
        eigen.append(fp.eigenvalues[0].real)
        T = int(60 / (1 - eigen[-1]))
        norms.append(gradient_norm(pl.loss_and_grad(model, np.full((1, T, 1), c),
                                                     alpha=below)[1]))
    assert np.all(np.diff(eigen) > 0) and 1 - eigen[-1] < 1e-2   # the eigenvalue -> 1
    assert norms[-1] > 1e4 * norms[0]                               # the gradient explodes
    # past the crossing the forced fixed point is gone (it ran off to infinity)
    past = forced_system(pl.PLRNN([a], [[w_dtb + 1e-2]], [h]), below, np.array([c]))
    assert not [cy for cy in pl.find_cycles(past, 1, rng=0) if cy.points[0, 0] > 0]
    # above the threshold the gradient norm stays bounded along the whole path
    above = 1 - 1 / r + 0.01
    bounded = [gradient_norm(pl.loss_and_grad(pl.PLRNN([a], [[w]], [h]),
                                              np.full((1, 3000, 1), c), alpha=above)[1])
               for w in np.linspace(0, w_end, 21)]
    assert np.all(np.isfinite(bounded)) and max(bounded) < 1e-3 * norms[-1]


def test_norm_bound_bounds_every_region_matrix():
    rng = np.random.default_rng(11)
    for make in (random_plrnn, random_shallow):
        m = make(rng)
        A, W, G = m.affine_parts()[:3]
        for d in itertools.product([0, 1], repeat=G.shape[0]):
            J = A + W @ np.diag(d) @ G
            assert np.linalg.norm(J, 2) <= norm_bound(m) + 1e-12
    with pytest.raises(TypeError, match="model"):
        norm_bound("not a model")
    assert math.isclose(alpha_threshold(pl.PLRNN([0.2], [[0.3]], [0.0])), 0.0)
