"""The checks of the book's coding exercises (plrnn_lib.exercises).

Each check passes on an answer computed here by a route of its own (the model's methods,
a simulation, a fit, finite differences) and fails, with a message that names the mistake,
on the usual wrong answers. Messages are asserted on words, never on digits.
"""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.exercises import ExerciseError
from plrnn_lib.exercises import ch04_scaling, ch10_memory, ch11_landscapes
from plrnn_lib.exercises._feedback import check_array, check_number


def fails(check, answer, *words):
    with pytest.raises(ExerciseError) as info:
        check(answer)
    message = str(info.value).lower()
    for word in words:
        assert word.lower() in message, message
    return message


# --- the feedback helpers -------------------------------------------------------------------

def test_feedback_names_the_usual_mistakes():
    M = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert check_array("x", M.copy(), M) is not None
    with pytest.raises(ExerciseError, match="transpose"):
        check_array("x", M.T, M)
    with pytest.raises(ExerciseError, match="wrong sign"):
        check_array("x", -M, M)
    with pytest.raises(ExerciseError, match="shape"):
        check_array("x", np.ones(3), M)
    with pytest.raises(ExerciseError, match="reshape"):
        check_array("x", M.ravel(), M)
    with pytest.raises(ExerciseError, match="wrong places"):
        check_array("x", M[::-1], M)
    with pytest.raises(ExerciseError, match="is None"):
        check_array("x", None, M)
    with pytest.raises(ExerciseError, match="off by"):
        check_array("x", M + 0.1, M)
    with pytest.raises(ExerciseError, match="wrong sign"):
        check_number("y", -2.5, 2.5)
    with pytest.raises(ExerciseError, match="twice"):
        check_number("y", 5.0, 2.5)
    with pytest.raises(ExerciseError, match="single number"):
        check_number("y", [2.5], 2.5)


def test_every_check_is_collected_and_documented():
    names = [n for n in pl.exercises.__all__ if n.startswith("check_")]
    assert len(names) >= 9 and len(set(names)) == len(names)
    for name in names:
        assert getattr(pl.exercises, name).__doc__


# --- chapter 1 ------------------------------------------------------------------------------

def test_region_matrix():
    model = pl.toy_plrnn()
    assert pl.exercises.check_region_matrix(model.region_matrix((1, 0)))
    # brute force: W_Omega z + h = F(z) for z in region (1, 0)
    z = np.array([0.7, -0.4])
    assert np.allclose(model.region_matrix((1, 0)) @ z + model.h, model.step(z))
    right = model.region_matrix((1, 0))
    fails(pl.exercises.check_region_matrix, right.T, "transpose")
    fails(pl.exercises.check_region_matrix, -right, "sign")
    fails(pl.exercises.check_region_matrix, right[:, 0], "shape")
    fails(pl.exercises.check_region_matrix, model.region_matrix((0, 1)), "region (0, 1)")
    fails(pl.exercises.check_region_matrix, model.region_matrix((1, 1)), "column")
    A, W, d = model.A, model.W, np.array([1.0, 0.0])
    fails(pl.exercises.check_region_matrix, A + np.diag(d) @ W, "rows", "columns")
    fails(pl.exercises.check_region_matrix, None, "none")


# --- chapter 2 ------------------------------------------------------------------------------

def test_region_fixed_point():
    model = pl.toy_plrnn()
    # independent: iterate the inverse... the fixed point found by exhaustive search
    fixed = pl.exhaustive_cycles(model, 1)
    assert len(fixed) == 1
    z_star = fixed[0].points[0]
    assert pl.exercises.check_region_fixed_point(z_star)
    fails(pl.exercises.check_region_fixed_point, -z_star, "sign")
    fails(pl.exercises.check_region_fixed_point, z_star[:, None].T, "shape")
    J = model.region_matrix((1, 1))
    fails(pl.exercises.check_region_fixed_point,
          np.linalg.solve(np.eye(2) - J.T, model.h), "transposed")
    fails(pl.exercises.check_region_fixed_point,
          np.linalg.solve(np.eye(2) - model.region_matrix((0, 0)), model.h), "region (0, 0)")
    fails(pl.exercises.check_region_fixed_point,
          np.linalg.solve(np.eye(2) + J, model.h), "(i - w_omega) z = h")
    fails(pl.exercises.check_region_fixed_point, z_star + [0.01, 0], "off by")


# --- chapter 3 ------------------------------------------------------------------------------

def test_scyfi_path():
    model = pl.toy_plrnn()
    # independent: follow the candidates with the model's own region_matrix and region
    path, d = [(0, 0)], (0, 0)
    for _ in range(10):
        z = np.linalg.solve(np.eye(2) - model.region_matrix(d), model.h)
        nxt = tuple(int(v) for v in model.region(z))
        if nxt == d:
            break
        path.append(nxt)
        d = nxt
    assert path[-1] == (1, 1) and len(path) == 3
    assert pl.exercises.check_scyfi_path(path)
    assert pl.exercises.check_scyfi_path(np.array(path, dtype=bool))
    fails(pl.exercises.check_scyfi_path, path[::-1], "start")
    fails(pl.exercises.check_scyfi_path, path[:2], "virtual")
    fails(pl.exercises.check_scyfi_path, path + [(1, 1)], "goes on")
    fails(pl.exercises.check_scyfi_path, np.array(path).T, "shape")
    fails(pl.exercises.check_scyfi_path, [(0, 0), (2.3, -27.7)], "regions")


# --- chapter 4 ------------------------------------------------------------------------------

def test_norm_bound():
    model = pl.PLRNN.random(ch04_scaling.NORM_BOUND_M, rng=ch04_scaling.NORM_BOUND_SEED,
                            w_scale=ch04_scaling.NORM_BOUND_W_SCALE,
                            a_range=ch04_scaling.NORM_BOUND_A_RANGE)
    A, W = model.A, model.W
    # independent: the spectral norm as the square root of the largest eigenvalue of X^T X
    bound = sum(np.sqrt(np.max(np.linalg.eigvalsh(X.T @ X))) for X in (A, W))
    assert pl.exercises.check_norm_bound(bound)
    fails(pl.exercises.check_norm_bound, np.linalg.norm(A) + np.linalg.norm(W), "frobenius")
    rho = np.max(np.abs(np.linalg.eigvals(A))) + np.max(np.abs(np.linalg.eigvals(W)))
    fails(pl.exercises.check_norm_bound, rho, "spectral radi")
    fails(pl.exercises.check_norm_bound, -bound, "sign")
    fails(pl.exercises.check_norm_bound, [bound, bound], "single number")


# --- chapter 5 ------------------------------------------------------------------------------

def test_cycle_lyapunov_exponent():
    model = pl.toy_plrnn()
    cycle = [c for c in pl.find_cycles(model, 16, min_order=16, rng=1) if c.stable][0]
    # independent: the QR method along an orbit started on the cycle
    z, Q, log_r = cycle.points[0], np.eye(2), 0.0
    for _ in range(16000):
        Q, R = np.linalg.qr(model.jacobian(z) @ Q)
        log_r += np.log(abs(R[0, 0]))
        z = model.step(z)
    exponent = log_r / 16000      # a complex pair of multipliers: converges like 1/n
    assert exponent < 0
    assert pl.exercises.check_cycle_lyapunov_exponent(exponent)
    fails(pl.exercises.check_cycle_lyapunov_exponent, 16 * exponent, "order 16")
    fails(pl.exercises.check_cycle_lyapunov_exponent, exponent / np.log(10), "log10")
    fails(pl.exercises.check_cycle_lyapunov_exponent, np.exp(exponent), "logarithm")
    fails(pl.exercises.check_cycle_lyapunov_exponent, -exponent, "sign")


# --- chapter 6 ------------------------------------------------------------------------------

def test_bias_gradient_exponent():
    a, h, c = 0.5, 0.1, 0.5
    eps = np.logspace(-2, -3, 4)
    g_h = []
    for e in eps:
        model = pl.PLRNN([a], [[1 - e - a]], [h])
        g_h.append(abs(pl.loss_and_grad(model, np.full((1, int(60 / e), 1), c))[1]["h"][0]))
    slope = np.polyfit(np.log(eps), np.log(g_h), 1)[0]
    assert pl.exercises.check_bias_gradient_exponent(slope)
    fails(pl.exercises.check_bias_gradient_exponent, -slope, "sign")
    fails(pl.exercises.check_bias_gradient_exponent, -3.0, "weights")
    fails(pl.exercises.check_bias_gradient_exponent, -1.0, "1/epsilon")
    fails(pl.exercises.check_bias_gradient_exponent, -2.5, "expected")


# --- chapter 7 ------------------------------------------------------------------------------

def test_jump_epochs():
    loss = pl.exercises.exercise_loss_curve()
    # independent: the rule written out, with a merge of consecutive epochs
    r = np.diff(np.log(loss))
    hits = [i + 1 for i in range(2, r.size)
            if abs(r[i]) > 10 * np.median(np.abs(r[max(0, i - 20):i]))
            and abs(r[i]) > np.log(1.25)]
    merged = []
    for i in hits:
        if merged and i == merged[-1] + 1:
            if abs(r[i - 1]) > abs(r[merged[-1] - 1]):
                merged[-1] = i
            continue
        merged.append(i)
    assert len(merged) == 3 and len(hits) == 4          # the curve has one pair to merge
    assert pl.exercises.check_jump_epochs(merged)
    fails(pl.exercises.check_jump_epochs, [i - 1 for i in merged], "one too small")
    fails(pl.exercises.check_jump_epochs, hits, "consecutive")
    ups_missing = [i for i in merged if r[i - 1] < 0]
    fails(pl.exercises.check_jump_epochs, ups_missing, "missing")
    fails(pl.exercises.check_jump_epochs, merged[::-1], "order")
    fails(pl.exercises.check_jump_epochs, None, "none")
    with pytest.raises(ValueError, match="n_epochs"):
        pl.exercises.exercise_loss_curve(100)


# --- chapter 10 -----------------------------------------------------------------------------

def test_bert_sensitivity_ratio():
    # independent: a Monte Carlo estimate would be slow to converge at lambda = 0.99, so
    # the closed form of the sensitivity is summed as a series here
    lam, rho = ch10_memory.BERT_LAMBDA, ch10_memory.BERT_RHO
    k = np.arange(20000)
    coeff = k * lam ** np.clip(k - 1, 0, None)             # d h / d lambda = sum k lam^(k-1) x
    def moment(r):
        # E[(sum_k c_k x_{t-k})^2] = sum_jk c_j c_k r^|j-k|, via the AR(1) filter
        if r == 0:
            return float(np.sum(coeff ** 2))
        # sum_j c_j^2 + 2 sum_{j>k} c_j c_k r^(j-k)
        inner = np.zeros_like(coeff)
        for j in range(1, coeff.size):
            inner[j] = r * (inner[j - 1] + coeff[j - 1])
        return float(np.sum(coeff ** 2) + 2 * np.sum(coeff * inner))
    white = moment(0.0)
    assert np.isclose(white, pl.memory.sensitivity_second_moment(lam, 0.0), rtol=1e-6)
    mixed = 0.326 * white + 0.044 * moment(rho)
    ratio = mixed / (0.37 * white)
    assert pl.exercises.check_bert_sensitivity_ratio(ratio)
    fails(pl.exercises.check_bert_sensitivity_ratio, 1 / ratio, "inverse")
    fails(pl.exercises.check_bert_sensitivity_ratio, -ratio, "sign")
    fails(pl.exercises.check_bert_sensitivity_ratio,
          (white + moment(rho)) / white, "weighted")
    fails(pl.exercises.check_bert_sensitivity_ratio, "33", "single number")


# --- chapter 11 -----------------------------------------------------------------------------

def test_exponential_hessian():
    nu, theta = ch11_landscapes.EXP_HESSIAN_NU, ch11_landscapes.EXP_HESSIAN_THETA
    teacher = nu * np.exp(1j * theta)
    w = pl.memory.parameters_from_lambda(teacher, "exponential")
    # independent: central differences of the library's gradient at the optimum
    def grad(v):
        return np.array(pl.memory.one_unit_loss_derivatives(
            *v, teacher, parametrisation="exponential", normalised=True)[1])
    step, H = 1e-5, np.zeros((2, 2))
    for i in range(2):
        e = np.zeros(2)
        e[i] = step
        H[:, i] = (grad(np.array(w) + e) - grad(np.array(w) - e)) / (2 * step)
    assert pl.exercises.check_exponential_hessian(H)
    fails(pl.exercises.check_exponential_hessian, -H, "sign")
    fails(pl.exercises.check_exponential_hessian, H[::-1, ::-1], "wrong places")
    fails(pl.exercises.check_exponential_hessian, np.diag(H), "shape")
    fails(pl.exercises.check_exponential_hessian,
          np.diag([H[0, 0], H[1, 1] / theta ** 2]), "polar")
    fails(pl.exercises.check_exponential_hessian, H + [[0, 1], [1, 0]], "off-diagonal")


# --- what a student stub leaves behind ------------------------------------------------------

@pytest.mark.parametrize("name", [n for n in pl.exercises.__all__ if n.startswith("check_")])
def test_a_stub_answer_gets_a_message_not_a_traceback(name):
    """The student version sets the answer to None before raising NotImplementedError; the
    check then says so, and a text answer is refused in words too."""
    import inspect

    check = getattr(pl.exercises, name)
    # a check of several answers (or of an answer and the exercise's inputs) gets the stub's
    # value in every required place; the answer, checked first, must be what it refuses
    n_required = sum(1 for p in inspect.signature(check).parameters.values()
                     if p.default is inspect.Parameter.empty)
    message = fails(lambda answer: check(*[answer] * n_required), None, "none")
    assert "assign" in message
    with pytest.raises(ExerciseError):
        check(*["an answer"] * n_required)
