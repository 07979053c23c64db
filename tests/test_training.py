"""BPTT gradients against central finite differences; the optimisers and the trainer."""

import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.training import (Adam, GradientDescent, RAdam, detect_jumps, loss,
                                loss_and_grad, train)


def _finite_difference(model, X, alpha, inputs, name, eps):
    """Central differences of the loss in every entry of one parameter."""
    base = np.array(model.params()[name])
    out = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += eps
        minus[idx] -= eps
        lp = loss(model.replace(**{name: plus}), X, alpha, inputs)
        lm = loss(model.replace(**{name: minus}), X, alpha, inputs)
        out[idx] = (lp - lm) / (2 * eps)
    return out


def _relative_error(exact, approx):
    return np.max(np.abs(exact - approx)) / max(np.max(np.abs(approx)), 1e-12)


def _data(model, rng, B, T, N, inputs=None):
    """Noisy sequences near the model's own trajectories, so the loss is not trivially 0."""
    X = np.empty((B, T, N))
    for b in range(B):
        z0 = rng.normal(size=model.M)
        s = None if inputs is None else inputs[b, 1:]
        X[b] = model.simulate(z0, T - 1, s)[:, :N]
    return X + 0.3 * rng.normal(size=X.shape)


def _gate_inputs(model, X, alpha, inputs=None):
    """The relu inputs G z~_t + g along the forced trajectories, shape (B, T - 1, H),
    computed step by step with the model's own public pieces (independent of the kernel)."""
    A, W, G, g, b, _ = model.affine_parts()
    B, T, N = X.shape
    out = np.empty((B, T - 1, G.shape[0]))
    for i in range(B):
        zf = np.zeros(model.M)
        zf[:N] = X[i, 0]
        for t in range(1, T):
            u = G @ zf + g
            out[i, t - 1] = u
            z = A @ zf + W @ np.maximum(u, 0) + b
            if inputs is not None:
                z = z + model.C @ inputs[i, t]
            zf = z.copy()
            zf[:N] = (1 - alpha) * z[:N] + alpha * X[i, t]
    return out


def _min_gate_margin(model, X, alpha, inputs=None):
    """Smallest |relu input| met along the forced trajectories: a finite difference with a
    step well below it cannot cross a switching boundary.  The PLRNN's first gate input is
    z~_1 = (x_1, 0), data that no parameter moves, so it does not count."""
    u = _gate_inputs(model, X, alpha, inputs)
    if isinstance(model, pl.PLRNN):
        u = u[:, 1:]
    return float(np.min(np.abs(u)))


CASES = [
    # (kind, M, K, alpha, full A)
    ("plrnn", 3, 0, 0.0, False),
    ("plrnn", 4, 0, 0.3, False),
    ("plrnn", 3, 2, 0.5, False),
    ("plrnn", 3, 0, 0.2, True),
    ("plrnn", 3, 2, 1.0, True),
    ("shallow", 3, 0, 0.0, False),
    ("shallow", 4, 0, 0.6, False),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_gradients_match_central_differences(case):
    kind, M, K, alpha, full_A = CASES[case]
    rng = np.random.default_rng(100 + case)
    if kind == "plrnn":
        model = pl.PLRNN.random(M, rng, a_range=(0.4, 0.8), w_scale=0.7, K=K)
        if full_A:
            model = model.replace(A=np.diag(model.params()["A"])
                                  + 0.1 * rng.normal(size=(M, M)))
    else:
        model = pl.ShallowPLRNN.random(M, 6, rng, a_range=(0.4, 0.8))
    B, T, N = 3, 25, min(M, 2)
    inputs = rng.normal(size=(B, T, K)) if K else None
    X = _data(model, rng, B, T, N, inputs)
    value, grads = loss_and_grad(model, X, alpha, inputs)
    assert value == pytest.approx(loss(model, X, alpha, inputs), rel=1e-13)
    assert set(grads) == set(model.params())
    margin = _min_gate_margin(model, X, alpha, inputs)
    assert margin > 1e-5, "draw another model: a trajectory sits on a boundary"
    # the step stays far below the margin (relative to the parameter scale)
    eps = min(1e-6, margin * 1e-3)
    for name, p in model.params().items():
        assert grads[name].shape == p.shape
        fd = _finite_difference(model, X, alpha, inputs, name, eps)
        assert _relative_error(grads[name], fd) < 1e-5, name


def test_diagonal_A_gradient_is_the_diagonal_of_the_full_one():
    rng = np.random.default_rng(1)
    model = pl.PLRNN.random(4, rng)
    full = model.replace(A=np.diag(model.params()["A"]))
    X = _data(model, rng, 2, 30, 3)
    _, g_diag = loss_and_grad(model, X, 0.1)
    _, g_full = loss_and_grad(full, X, 0.1)
    assert g_diag["A"].shape == (4,) and g_full["A"].shape == (4, 4)
    np.testing.assert_allclose(g_diag["A"], np.diag(g_full["A"]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g_diag["W"], g_full["W"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("kind", ["plrnn", "shallow"])
def test_gradients_near_a_region_boundary(kind):
    """Tune one bias so that a forced state lies 1e-4 above a switching boundary; central
    differences with steps far below that distance (no crossing) still match, and a
    forward difference that stays on that side agrees too."""
    from scipy.optimize import brentq
    rng = np.random.default_rng(7)
    if kind == "plrnn":
        model = pl.PLRNN.random(3, rng, a_range=(0.5, 0.7), w_scale=0.8)
        name = "h"
    else:
        model = pl.ShallowPLRNN.random(3, 5, rng, a_range=(0.5, 0.7))
        name = "h2"
    X = _data(model, rng, 2, 15, 2)
    alpha = 0.2
    base = np.array(model.params()[name])
    unit = 1

    def gate_at(c):
        p = base.copy()
        p[unit] = c
        return _gate_inputs(model.replace(**{name: p}), X, alpha)[1, 6, unit] - 1e-4

    grid = base[unit] + np.linspace(-2, 2, 801)
    vals = np.array([gate_at(c) for c in grid])
    k = np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))[0]
    p = base.copy()
    p[unit] = brentq(gate_at, grid[k], grid[k + 1], xtol=1e-15)
    near = model.replace(**{name: p})
    u = _gate_inputs(near, X, alpha)
    assert u[1, 6, unit] == pytest.approx(1e-4, rel=1e-6)
    margin = _min_gate_margin(near, X, alpha)
    assert 1e-7 < margin <= 1.0001e-4
    value, grads = loss_and_grad(near, X, alpha)
    eps = margin * 1e-3
    for pname in near.params():
        fd = _finite_difference(near, X, alpha, None, pname, eps)
        assert _relative_error(grads[pname], fd) < 1e-4, pname
    # one-sided: a forward difference too small to reach the boundary
    step = np.zeros_like(p)
    step[unit] = 1e-8 if u[1, 6, unit] > 0 else -1e-8
    d = (loss(near.replace(**{name: p + step}), X, alpha) - value) / step[unit]
    assert d == pytest.approx(grads[name][unit], rel=1e-4, abs=1e-10)


def test_perfect_data_gives_zero_loss_and_gradient():
    model = pl.toy_plrnn()
    X = model.simulate([0.3, -0.2], 60)[None]  # all units observed, the model's own orbit
    value, grads = loss_and_grad(model, X)
    assert value == pytest.approx(0.0, abs=1e-25)
    assert all(np.max(np.abs(g)) < 1e-12 for g in grads.values())


def test_alpha_one_is_one_step_ahead_prediction():
    """With alpha = 1 and all units observed every prediction starts from the data, so the
    loss is the mean one-step error, computable directly."""
    rng = np.random.default_rng(3)
    model = pl.PLRNN.random(3, rng)
    X = rng.normal(size=(2, 15, 3))
    direct = np.mean([(model.step(X[b, t - 1]) - X[b, t]) ** 2
                      for b in range(2) for t in range(1, 15)])
    assert loss(model, X, alpha=1.0) == pytest.approx(direct, rel=1e-12)


def test_shallow_plrnn_gradient_is_the_plrnn_gradient_for_W2_identity():
    """A shallow PLRNN with W2 = I, h2 = 0 is the PLRNN with W = W1, h = h1."""
    rng = np.random.default_rng(5)
    plr = pl.PLRNN.random(3, rng)
    p = plr.params()
    sh = pl.ShallowPLRNN(p["A"], p["W"], np.eye(3), p["h"], np.zeros(3))
    X = _data(plr, rng, 2, 20, 2)
    l1, g1 = loss_and_grad(plr, X, 0.25)
    l2, g2 = loss_and_grad(sh, X, 0.25)
    assert l1 == pytest.approx(l2, rel=1e-13)
    np.testing.assert_allclose(g1["W"], g2["W1"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g1["A"], g2["A"], rtol=1e-12, atol=1e-15)


def test_large_model_uses_the_same_gradient():
    """M = 30 runs the BLAS branch of the kernels; compare with finite differences on h."""
    rng = np.random.default_rng(11)
    model = pl.PLRNN.random(30, rng, w_scale=0.5)
    X = _data(model, rng, 2, 15, 3)
    _, grads = loss_and_grad(model, X, 0.1)
    margin = _min_gate_margin(model, X, 0.1)
    fd = _finite_difference(model, X, 0.1, None, "h", min(1e-6, margin * 1e-3))
    assert _relative_error(grads["h"], fd) < 1e-5


@pytest.mark.parametrize("bad, match", [
    (dict(X=np.zeros((2, 1, 1))), "at least 2 time steps"),
    (dict(X=np.zeros((2, 5, 3))), "between 1 and M"),
    (dict(X=np.zeros((5, 2))), "X must be 3-D"),
    (dict(X=np.full((1, 5, 1), np.nan)), "X must contain only finite"),
    (dict(alpha=1.5), "alpha must be <= 1"),
    (dict(inputs=np.zeros((1, 5, 1))), "no input matrix C"),
])
def test_argument_errors_name_the_argument(bad, match):
    kwargs = dict(X=np.zeros((1, 5, 1)), alpha=0.0, inputs=None)
    kwargs.update(bad)
    with pytest.raises(ValueError, match=match):
        loss_and_grad(pl.toy_plrnn(), **kwargs)


def test_model_of_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="model must be"):
        loss_and_grad("toy", np.zeros((1, 5, 1)))


# -- optimisers ------------------------------------------------------------------------------

def _quadratic_descent(opt, n):
    """Minimise f(p) = 0.5 |p - 3|^2 (gradient p - 3) from p = 0."""
    p = {"p": np.zeros(2)}
    for _ in range(n):
        p = opt.step(p, {"p": p["p"] - 3.0})
    return p["p"]


@pytest.mark.parametrize("opt", [GradientDescent(0.1), GradientDescent(0.05, momentum=0.5),
                                 Adam(0.05), RAdam(0.05)])
def test_optimisers_minimise_a_quadratic(opt):
    np.testing.assert_allclose(_quadratic_descent(opt, 2000), 3.0, atol=1e-3)


def test_adam_first_step_has_the_learning_rate_as_size():
    """Adam's bias correction makes the first step lr * sign(g) (up to eps)."""
    out = Adam(0.01).step({"p": np.zeros(3)}, {"p": np.array([5.0, -0.1, 2e3])})
    np.testing.assert_allclose(out["p"], [-0.01, 0.01, -0.01], rtol=1e-6)


def test_radam_starts_as_momentum_sgd():
    """RAdam's first steps (rho <= 5) are m_hat steps: the first one is lr * g."""
    out = RAdam(0.1).step({"p": np.zeros(2)}, {"p": np.array([2.0, -4.0])})
    np.testing.assert_allclose(out["p"], [-0.2, 0.4])


# -- the trainer -----------------------------------------------------------------------------

def _toy_data(n=300):
    return pl.toy_plrnn().simulate([0.2, 0.1], n)


def test_training_recovers_the_diagonal_of_the_toy_model():
    """Start the toy model with a perturbed diagonal, train only A: the loss falls and A
    moves toward the true diagonal."""
    true = pl.toy_plrnn()
    data = _toy_data()
    start = true.replace(A=np.array(true.params()["A"]) + [0.03, -0.02])
    hist = train(start, data, n_epochs=60, batches_per_epoch=5, window=20, batch_size=8,
                 optimizer="adam", learning_rate=2e-3, freeze=("W", "h"), seed=0,
                 progress=False)
    assert hist.n_epochs == 60 and len(hist.snapshots) == 61
    assert hist.loss[-1] < 0.1 * hist.loss[0]
    err0 = np.abs(start.params()["A"] - true.params()["A"]).max()
    err1 = np.abs(hist.model.params()["A"] - true.params()["A"]).max()
    assert err1 < 0.3 * err0
    # frozen parameters did not move; model_at gives the snapshots back
    np.testing.assert_array_equal(hist.model.params()["W"], true.params()["W"])
    np.testing.assert_array_equal(hist.model_at(0).params()["A"], start.params()["A"])
    np.testing.assert_array_equal(hist.model_at(60).params()["A"], hist.model.params()["A"])
    assert hist.parameter("A").shape == (61, 2)


def test_mask_trains_only_the_chosen_entries():
    data = _toy_data()
    start = pl.toy_plrnn()
    start = start.replace(A=np.array(start.params()["A"]) + 0.05)
    hist = train(start, data, n_epochs=3, window=10, batch_size=4,
                 mask={"A": np.array([True, False])}, freeze=("W", "h"), seed=1,
                 progress=False)
    a = hist.parameter("A")
    assert np.all(a[:, 1] == a[0, 1]) and not np.all(a[:, 0] == a[0, 0])


def test_same_seed_same_run_full_batch_is_gradient_descent():
    data = np.stack([_toy_data(50), pl.toy_plrnn().simulate([-0.3, 0.4], 50)])
    start = pl.toy_plrnn().replace(h=[0.3, -0.9])
    kw = dict(n_epochs=4, batches_per_epoch=2, window=12, batch_size=3, progress=False)
    h1 = train(start, data, seed=4, **kw)
    h2 = train(start, data, seed=4, **kw)
    np.testing.assert_array_equal(h1.loss, h2.loss)
    # full batch + gradient descent = theta - lr * exact gradient
    hist = train(start, data, n_epochs=1, batches_per_epoch=1, window=None, batch_size=None,
                 optimizer=GradientDescent(0.01), progress=False)
    _, g = loss_and_grad(start, data)
    np.testing.assert_allclose(hist.model.params()["h"], start.params()["h"] - 0.01 * g["h"])
    assert hist.loss[0] == pytest.approx(loss(start, data))


def test_clipping_limits_the_step():
    data = _toy_data(60)
    start = pl.toy_plrnn().replace(h=[2.0, -3.0])
    hist = train(start, data, n_epochs=1, batches_per_epoch=1, window=None, batch_size=None,
                 optimizer=GradientDescent(1.0), clip_norm=1e-3, progress=False)
    step = np.sqrt(sum(np.sum((hist.model.params()[k] - start.params()[k]) ** 2)
                       for k in start.params()))
    assert hist.grad_norm[0] > 1e-3 and step == pytest.approx(1e-3, rel=1e-9)


def test_forcing_rule_and_callbacks_are_called():
    seen = []
    hist = train(pl.toy_plrnn(), _toy_data(), n_epochs=5, window=10, batch_size=2,
                 batches_per_epoch=2, alpha=lambda model, X, update: 0.1 * (update % 2),
                 callbacks=[lambda epoch, h: seen.append(epoch) or epoch == 3],
                 progress=False)
    assert seen == [1, 2, 3] and hist.n_epochs == 3
    np.testing.assert_allclose(hist.alpha, 0.05)
    assert "callback" in hist.message


def test_diverging_run_stops_with_its_epoch_and_keeps_history():
    data = _toy_data()
    with pytest.warns(RuntimeWarning, match=r"diverged in epoch \d+"):
        hist = train(pl.toy_plrnn(), data, n_epochs=50, window=50, batch_size=4,
                     optimizer=GradientDescent(50.0), seed=0, progress=False)
    assert hist.diverged_at is not None and hist.n_epochs == hist.diverged_at - 1
    assert len(hist.snapshots) == hist.n_epochs + 1
    assert np.all(np.isfinite(hist.loss))


def test_resume_continues_the_run():
    data = _toy_data()
    kw = dict(window=20, batch_size=4, progress=False, freeze=("W",))
    hist = train(pl.toy_plrnn().replace(h=[0.3, -0.9]), data, n_epochs=3, seed=2, **kw)
    hist = train(hist.model, data, n_epochs=2, seed=3, resume=hist, **kw)
    assert hist.n_epochs == 5 and len(hist.snapshots) == 6
    assert hist.optimizer.n_steps == 5 * 10


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(data=np.full((100, 1), np.nan)), ValueError, "data must contain only finite"),
    (dict(data=np.zeros((100, 3))), ValueError, "at most M"),
    (dict(window=500), ValueError, "window must be at most"),
    (dict(freeze=("V",)), ValueError, "unknown parameter 'V'"),
    (dict(freeze=("A", "W", "h")), ValueError, "no parameter to train"),
    (dict(optimizer="lbfgs"), ValueError, "optimizer must be"),
    (dict(alpha=-0.1), ValueError, "alpha must be >= 0"),
    (dict(mask={"A": [1, 0]}), ValueError, r"mask\['A'\] must be a bool"),
    (dict(inputs=np.zeros((100, 1))), ValueError, "no input matrix C"),
])
def test_trainer_argument_errors(kwargs, error, match):
    args = dict(data=np.zeros((100, 1)), n_epochs=1, window=10, progress=False)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        train(pl.toy_plrnn(), **args)


# -- jumps ------------------------------------------------------------------------------------

def test_detect_jumps_finds_planted_steps_only():
    rng = np.random.default_rng(0)
    curve = np.exp(-np.linspace(0, 2, 300) + 0.01 * rng.normal(size=300))
    curve[120:] *= 4.0     # up
    curve[200:] *= 0.1     # down
    jumps = detect_jumps(curve)
    assert [j.index for j in jumps] == [120, 200]
    assert jumps[0].ratio == pytest.approx(4.0, rel=0.1)
    assert jumps[1].ratio == pytest.approx(0.1, rel=0.1)
    assert detect_jumps(np.exp(-np.linspace(0, 3, 300))) == []


def test_segment_family_runs_from_before_to_after():
    from plrnn_lib.training import segment_family
    toy = pl.toy_plrnn()
    after = toy.replace(A=np.array(toy.params()["A"]) + [0.01, -0.02], h=[0.3, -0.9])
    fam = segment_family(toy, after)
    for name in toy.params():
        # the family rebuilds A as a matrix; compare the models' matrices
        for p, model in ((0.0, toy), (1.0, after)):
            got, want = fam(p).params()[name], model.params()[name]
            if name == "A":
                got, want = np.diag(got) if got.ndim == 2 else got, want
            np.testing.assert_allclose(got, want)
        np.testing.assert_allclose(fam(1.0).A, after.A)
    mid = fam(0.5).params()["h"]
    np.testing.assert_allclose(mid, (np.array(toy.params()["h"]) + [0.3, -0.9]) / 2)
    with pytest.raises(ValueError, match="no path"):
        segment_family(toy, toy)


def test_explain_jumps_finds_the_toy_models_first_border_collision():
    """A history whose one update crosses the toy model's first BCB (chapter 5's closed form
    Delta a11 = 1 - w21 h1 / (-h2) - a11): the update is swept and the border collision of
    the fixed point is located at the closed-form value."""
    from plrnn_lib.training import LossJump, TrainingHistory, explain_jumps
    toy = pl.toy_plrnn()
    p = pl.models.TOY_PLRNN_PARAMETERS
    crit = 1 - p["W"][1][0] * p["h"][0] / (-p["h"][1]) - p["A"][0]
    a0 = np.array(p["A"])
    hist = TrainingHistory(toy.replace(A=a0 + [crit - 0.004, 0.0]))
    for shift in (crit - 0.002, crit + 0.002, crit + 0.004):
        hist.snapshots.append(toy.replace(A=a0 + [shift, 0.0]).params())
        hist._loss.append(1.0)
        hist._grad_norm.append(1.0)
        hist._alpha.append(0.0)
    (ex,) = explain_jumps(hist, [LossJump(2, 0.5, 20.0)], 4, before=1, after=0, rng=0)
    assert ex.updates == ((1, 2),)
    fixed = [b for e, b in ex.bifurcations if b.order == 1]
    assert fixed and all(b.kind == "border collision" for b in fixed)
    # p in [0, 1] along the update maps to Delta a11 = crit - 0.002 + 0.004 p
    assert all(abs(crit - 0.002 + 0.004 * b.parameter - crit) < 1e-6 for b in fixed)
    (none,) = explain_jumps(hist, [LossJump(3, 0.5, 20.0)], 4, before=1, rng=0)
    assert none.updates == ((2, 3),) and none.bifurcations == []
