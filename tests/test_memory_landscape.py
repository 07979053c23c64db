"""The one-unit teacher-student loss: simulation, finite differences, the Hessian at the optimum."""
import numpy as np
import pytest

import plrnn_lib as pl

M = pl.memory
TEACHER = 0.85 * np.exp(0.45j)


def _fd_grad_hess(w, teacher, kw, eps=1e-5):
    f = lambda v: M.one_unit_loss(v[0], v[1], teacher, **kw)
    g = lambda v: M.one_unit_loss_derivatives(v[0], v[1], teacher, **kw)[1]
    E = np.eye(2)
    grad = np.array([(f(w + eps * e) - f(w - eps * e)) / (2 * eps) for e in E])
    hess = np.array([(g(w + eps * e) - g(w - eps * e)) / (2 * eps) for e in E])
    return grad, hess


@pytest.mark.parametrize("parametrisation", M.PARAMETRISATIONS)
@pytest.mark.parametrize("normalised", [False, True])
@pytest.mark.parametrize("mean", [0.0, 0.8])
def test_gradient_and_hessian_match_finite_differences(parametrisation, normalised, mean):
    kw = dict(parametrisation=parametrisation, normalised=normalised, input_mean=mean,
              input_variance=1.4)
    for student in (0.6 * np.exp(0.9j), 0.95 * np.exp(0.2j)):
        w = np.array(M.parameters_from_lambda(student, parametrisation))
        loss, grad, hess = M.one_unit_loss_derivatives(w[0], w[1], TEACHER, **kw)
        assert np.isclose(loss, M.one_unit_loss(w[0], w[1], TEACHER, **kw), rtol=1e-12)
        fd_grad, fd_hess = _fd_grad_hess(w, TEACHER, kw)
        assert np.allclose(grad, fd_grad, rtol=1e-6, atol=1e-8 * np.abs(grad).max())
        assert np.allclose(hess, fd_hess, rtol=1e-5, atol=1e-6 * np.abs(hess).max())
        assert np.allclose(hess, hess.T)


@pytest.mark.parametrize("normalised", [False, True])
def test_loss_is_the_simulated_mean_squared_difference(normalised):
    # two complex units fed the same white input of mean mu and variance sigma^2
    rng = np.random.default_rng(3)
    mu, sigma = 0.5, 1.2
    student = 0.7 * np.exp(-0.8j)
    n_seq, burn = 20000, 120
    x = mu + sigma * rng.standard_normal((n_seq, burn))
    gs = np.sqrt(1 - abs(student) ** 2) if normalised else 1.0
    gt = np.sqrt(1 - abs(TEACHER) ** 2) if normalised else 1.0
    h = np.zeros(n_seq, complex)
    ht = np.zeros(n_seq, complex)
    for t in range(burn):
        h = student * h + gs * x[:, t]
        ht = TEACHER * ht + gt * x[:, t]
    samples = 0.5 * np.abs(h - ht) ** 2
    w = M.parameters_from_lambda(student, "polar")
    exact = M.one_unit_loss(*w, TEACHER, normalised=normalised, input_mean=mu,
                            input_variance=sigma**2)
    se = samples.std() / np.sqrt(n_seq)
    assert abs(samples.mean() - exact) < 4.5 * se


@pytest.mark.parametrize("parametrisation", M.PARAMETRISATIONS)
def test_the_optimum_has_zero_loss_and_gradient(parametrisation):
    w = M.parameters_from_lambda(TEACHER, parametrisation)
    loss, grad, hess = M.one_unit_loss_derivatives(*w, TEACHER, parametrisation=parametrisation,
                                                   normalised=True, input_mean=0.3)
    assert abs(loss) < 1e-12 and np.all(np.abs(grad) < 1e-9)
    assert np.all(np.linalg.eigvalsh(hess) > 0)


@pytest.mark.parametrize("nu", [0.3, 0.8, 0.99, 0.999])
def test_hessians_at_the_optimum_of_the_normalised_loss(nu):
    # polar: diag(1/(1-nu^2)^2, nu^2 (1+nu^2)/(1-nu^2)^2), white zero-mean input
    theta = 0.3
    teacher = nu * np.exp(1j * theta)
    _, _, H = M.one_unit_loss_derivatives(nu, theta, teacher, normalised=True)
    expected = np.diag([1 / (1 - nu**2) ** 2, nu**2 * (1 + nu**2) / (1 - nu**2) ** 2])
    assert np.allclose(H, expected, rtol=1e-6)
    # optimal parametrisation at a real teacher: the identity
    _, _, H_opt = M.one_unit_loss_derivatives(np.arctanh(nu), 0.0, nu, parametrisation="optimal",
                                              normalised=True)
    assert np.allclose(H_opt, np.eye(2), atol=1e-6)
    # exponential: H_11 = (nu ln nu)^2 / (1-nu^2)^2, which tends to 1/4
    w = M.parameters_from_lambda(teacher, "exponential")
    _, _, H_exp = M.one_unit_loss_derivatives(*w, teacher, parametrisation="exponential",
                                              normalised=True)
    assert np.isclose(H_exp[0, 0], (nu * np.log(nu)) ** 2 / (1 - nu**2) ** 2, rtol=1e-6)
    if nu >= 0.99:
        assert abs(H_exp[0, 0] - 0.25) < 0.01


@pytest.mark.parametrize("parametrisation", M.PARAMETRISATIONS)
def test_parameters_from_lambda_inverts_lambda_from_parameters(parametrisation):
    lam = np.array([0.3 * np.exp(0.2j), 0.9 * np.exp(2.5j), 0.999 * np.exp(0.01j)])
    w1, w2 = M.parameters_from_lambda(lam, parametrisation)
    assert np.allclose(M.lambda_from_parameters(w1, w2, parametrisation), lam, atol=1e-12)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="parametrisation"):
        M.one_unit_loss(0.5, 0.1, 0.5, parametrisation="cartesian")
    with pytest.raises(ValueError, match="teacher"):
        M.one_unit_loss(0.5, 0.1, 1.2)
    with pytest.raises(ValueError, match="exponential"):
        M.parameters_from_lambda(0.5, "exponential")   # angle 0 has no logarithm
    with pytest.raises(ValueError, match="w1"):
        M.one_unit_loss_derivatives(1.5, 0.0, 0.5)
