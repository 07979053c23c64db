"""The one-unit closed forms against independent series, limits and Monte Carlo estimates."""
import numpy as np
import pytest

import plrnn_lib as pl

M = pl.memory


def series_moments(lam, rho, n_terms=4000):
    """E|h|^2 and E|dh/dlam|^2 as truncated double sums over the input's past.

    h_t = sum_k lam^k x_{t-k}, so E[h conj(h)] = sum_{k,l} lam^k conj(lam)^l rho^|k-l| and
    dh/dlam = sum_k k lam^(k-1) x_{t-k}.
    """
    k = np.arange(n_terms)
    a = lam ** k
    da = k * lam ** np.maximum(k - 1, 0)
    corr = float(rho) ** np.abs(k[:, None] - k[None, :]) if rho != 0 else np.eye(n_terms)
    hidden = np.real(a @ corr @ np.conj(a))
    sens = np.real(da @ corr @ np.conj(da))
    return hidden, sens


@pytest.mark.parametrize("lam", [0.3, -0.6, 0.9, 0.8 * np.exp(0.7j), 0.95 * np.exp(-2.0j)])
@pytest.mark.parametrize("rho", [0.0, 0.5, -0.4, 0.9])
def test_closed_forms_match_the_double_series(lam, rho):
    hidden, sens = series_moments(lam, rho, n_terms=1500)
    assert np.isclose(M.hidden_second_moment(lam, rho), hidden, rtol=1e-9)
    assert np.isclose(M.sensitivity_second_moment(lam, rho), sens, rtol=1e-9)


def test_limits_of_white_and_constant_inputs():
    lam = np.linspace(-0.95, 0.99, 41)
    assert np.allclose(M.hidden_second_moment(lam, 0.0), 1 / (1 - lam**2), rtol=1e-12)
    assert np.allclose(M.sensitivity_second_moment(lam, 0.0), (1 + lam**2) / (1 - lam**2) ** 3,
                       rtol=1e-12)
    assert np.allclose(M.hidden_second_moment(lam, 1.0), 1 / (1 - lam) ** 2, rtol=1e-10)
    assert np.allclose(M.sensitivity_second_moment(lam, 1.0), 1 / (1 - lam) ** 4, rtol=1e-10)


def test_real_sensitivity_matches_the_papers_rational_form():
    lam = np.linspace(-0.9, 0.99, 30)[:, None]
    rho = np.linspace(-1, 1, 9)[None, :]
    paper = (((1 + lam**2) * (1 - rho**2 * lam**2) + 2 * rho * lam * (1 - lam**2))
             / ((1 - lam**2) ** 3 * (1 - rho * lam) ** 2))
    assert np.allclose(M.sensitivity_second_moment(lam, rho), paper, rtol=1e-10)
    assert np.allclose(M.hidden_second_moment(lam, rho),
                       (1 + rho * lam) / ((1 - lam**2) * (1 - rho * lam)), rtol=1e-10)


def test_cross_moment_is_symmetric_and_gives_the_second_moment_on_the_diagonal():
    a, b = 0.7 * np.exp(0.4j), 0.5 * np.exp(-1.2j)
    assert np.isclose(M.cross_moment(a, b, 0.3), M.cross_moment(b, a, 0.3))
    assert np.isclose(M.cross_moment(a, np.conj(a), 0.3), M.hidden_second_moment(a, 0.3))


def test_normalisation_and_exponential_parametrisation():
    lam = np.linspace(0.1, 0.999, 50)
    assert np.allclose(M.normalised_hidden_second_moment(lam, 0.0), 1.0, atol=1e-10)
    gamma2 = M.normalisation_factor(lam) ** 2
    assert np.allclose(M.normalised_sensitivity_second_moment(lam, 0.6),
                       gamma2 * M.sensitivity_second_moment(lam, 0.6))
    # d lam / d omega = lam ln lam, checked by differencing lam(omega) = exp(-exp(omega))
    omega, eps = np.log(-np.log(lam)), 1e-6
    dlam = (np.exp(-np.exp(omega + eps)) - np.exp(-np.exp(omega - eps))) / (2 * eps)
    for rho in (0.0, 0.9):
        expected = dlam**2 * M.normalised_sensitivity_second_moment(lam, rho)
        assert np.allclose(M.exponential_sensitivity_second_moment(lam, rho), expected, rtol=1e-6)
    # the paper's values at lambda = 0.99: about 0.5 (white), 74 (rho = 0.99), 197 (constant)
    values = [M.exponential_sensitivity_second_moment(0.99, r) for r in (0.0, 0.99, 1.0)]
    assert np.allclose(values, [0.5, 74, 197], rtol=0.02)
    # with white inputs the normalised exponential sensitivity stays bounded as lambda -> 1
    white = M.exponential_sensitivity_second_moment(np.array([0.9, 0.99, 0.999, 0.9999]), 0.0)
    assert np.all(white < 0.51) and np.all(np.diff(white) > 0)
    constant = M.exponential_sensitivity_second_moment(np.array([0.9, 0.99, 0.999]), 1.0)
    assert np.all(np.diff(np.log10(constant)) > 0.9)   # ~ 1/(1 - lambda): one decade per decade


def test_ar1_inputs_have_unit_variance_and_geometric_autocorrelation():
    x = M.ar1_inputs(400, 2000, 0.8, rng=0)
    assert np.isclose(x.var(), 1.0, atol=0.03)
    for lag in (1, 2, 5):
        c = np.mean(x[:, lag:] * x[:, :-lag])
        assert np.isclose(c, 0.8**lag, atol=0.03)
    const = M.ar1_inputs(5, 50, 1.0, rng=1)
    assert np.all(const == const[:, :1])


@pytest.mark.parametrize("rho", [0.0, 0.7, 1.0])
def test_monte_carlo_agrees_with_the_closed_forms_within_its_standard_error(rho):
    lam = np.array([0.2, 0.6, 0.9, 0.85 * np.exp(0.5j)])
    est = M.monte_carlo_moments(lam, rho, n_sequences=3000, rng=11, progress=False)
    z_hidden = (est.hidden - M.hidden_second_moment(lam, rho)) / est.hidden_se
    z_sens = (est.sensitivity - M.sensitivity_second_moment(lam, rho)) / est.sensitivity_se
    assert np.all(np.abs(z_hidden) < 4.5) and np.all(np.abs(z_sens) < 4.5)


def test_monte_carlo_standard_error_is_that_of_a_squared_gaussian():
    # h_T is Gaussian with mean 0, so |h_T|^2 has variance 2 E[h^2]^2: se / mean = sqrt(2 / n)
    n = 4000
    est = M.monte_carlo_moments([0.5, 0.9], 0.3, n_sequences=n, rng=5, progress=False)
    ratio = est.hidden_se / est.hidden / np.sqrt(2 / n)
    assert np.all(np.abs(ratio - 1) < 0.15)


def test_normalised_monte_carlo_is_the_scaled_one():
    lam = np.array([0.5, 0.95])
    est = M.monte_carlo_moments(lam, 0.0, n_sequences=3000, normalised=True, rng=2,
                                progress=False)
    z = (est.hidden - 1.0) / est.hidden_se
    assert np.all(np.abs(z) < 4.5)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="lam"):
        M.hidden_second_moment(1.0, 0.0)
    with pytest.raises(ValueError, match="rho"):
        M.sensitivity_second_moment(0.5, 1.5)
    with pytest.raises(TypeError, match="lam"):
        M.hidden_second_moment("0.5", 0.0)
    with pytest.raises(ValueError, match="rho"):
        M.monte_carlo_moments([0.5], [0.1, 0.2], progress=False)
    with pytest.raises(ValueError, match="n_sequences"):
        M.monte_carlo_moments([0.5], 0.1, n_sequences=1, progress=False)
    with pytest.raises(ValueError, match="lam"):
        M.exponential_sensitivity_second_moment(0.0, 0.0)
