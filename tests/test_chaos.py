"""Lyapunov exponents, basins of attraction and the skew tent map against closed forms.

Each test compares the QR method with something it does not share code with: the
eigenvalues of a constant Jacobian, a cycle's multipliers from SCYFI, determinants summed
along an orbit simulated by the model, the growth of one tangent vector computed in plain
Python, or a proof about the skew tent map.
"""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.bifurcations import ParameterFamily


def sorted_log_moduli(matrix):
    return np.sort(np.log(np.abs(np.linalg.eigvals(matrix))))[::-1]


# -- closed forms ------------------------------------------------------------------------------
def test_affine_map_exponents_are_the_logs_of_the_eigenvalue_moduli():
    # W = 0: the map z -> A z + h is affine everywhere; A has a complex pair and a real
    # eigenvalue of different moduli.
    A = np.array([[0.5, 0.3, 0.1], [-0.3, 0.5, 0.0], [0.05, 0.0, -0.2]])
    model = pl.PLRNN(A, np.zeros((3, 3)), [1.0, 2.0, 3.0])
    got = pl.lyapunov_exponents(model, [0.1, 0.2, 0.3], 20_000, n_transient=0)
    np.testing.assert_allclose(got, sorted_log_moduli(A), atol=2e-3)


def test_orbit_that_stays_in_one_region_sees_that_regions_matrix():
    # A large positive bias puts the stable fixed point deep inside the positive orthant, and
    # an orbit started near it never leaves: the exponents are those of W_Omega = A + W.
    rng = np.random.default_rng(3)
    A = np.array([0.3, -0.2, 0.4, 0.1])
    W = 0.15 * rng.standard_normal((4, 4))
    model = pl.PLRNN(A, W, [5.0, 5.0, 5.0, 5.0])
    (fixed_point,) = pl.find_cycles(model, 1, rng=0)
    z0 = fixed_point.points[0] + 0.5
    orbit = model.simulate(z0, 2_000)
    assert np.all(orbit > 0)                       # one region all along
    got = pl.lyapunov_exponents(model, z0, 2_000, n_transient=0)
    np.testing.assert_allclose(got, sorted_log_moduli(np.diag(A) + W), atol=2e-2)


def test_shallow_plrnn_in_one_region():
    # z -> a z + W1 relu(W2 z + h2) + h1 with every gate open near the fixed point: the
    # Jacobian there is diag(a) + W1 W2.
    a = np.array([0.2, 0.4])
    W1 = np.array([[0.3, -0.1, 0.2], [0.1, 0.2, -0.3]])
    W2 = np.array([[0.5, 0.1], [0.2, -0.4], [0.3, 0.3]])
    model = pl.ShallowPLRNN(a, W1, W2, [0.2, -0.1], [3.0, 3.0, 3.0])
    z0 = np.zeros(2)
    assert np.all(model.simulate(z0, 500) @ W2.T + 3.0 > 0)
    got = pl.lyapunov_exponents(model, z0, 2_000, n_transient=0)
    np.testing.assert_allclose(got, sorted_log_moduli(np.diag(a) + W1 @ W2), atol=2e-2)


# A 3-unit PLRNN drawn at random (seed 1, trial 197 of a search for a stable cycle with
# real multipliers of distinct moduli): a stable 4-cycle with multipliers of moduli about
# 0.59, 0.16 and 0.016.
CYCLE_MODEL = dict(
    A=[0.442672, 0.787259, -0.261180],
    W=[[0.0, -0.087181, 2.186566], [-0.052968, 0.0, -0.527109], [-1.163236, 0.787541, 0.0]],
    h=[-0.347252, 0.726040, -0.332017])


def test_stable_cycle_exponents_are_the_logs_of_its_multipliers_over_k():
    model = pl.PLRNN(**CYCLE_MODEL)
    stable = [c for c in pl.find_cycles(model, 4, rng=0) if c.stable and c.order == 4]
    assert len(stable) == 1
    cycle = stable[0]
    expected = np.sort(np.log(np.abs(cycle.eigenvalues)))[::-1] / cycle.order
    got = pl.lyapunov_exponents(model, cycle.points[0], 40_000, n_transient=0)
    np.testing.assert_allclose(got, expected, atol=1e-3)


def test_toy_models_stable_16_cycle_from_its_basin():
    # The toy model's stable 16-cycle has a complex pair of multipliers: both exponents
    # equal log|mu| / 16.  The orbit from (0.5, -1) converges to it (chapter 5).
    toy = pl.toy_plrnn()
    (cycle,) = [c for c in pl.find_cycles(toy, 16, rng=0) if c.stable]
    assert cycle.order == 16
    expected = np.log(np.abs(cycle.eigenvalues)) / 16
    got = pl.lyapunov_exponents(toy, [0.5, -1.0], 100_000, n_transient=10_000)
    np.testing.assert_allclose(got, np.sort(expected)[::-1], atol=2e-4)


def test_singular_jacobian_gives_minus_infinity():
    # z -> w relu(z) + 1 with w = -1.5: the stable 2-cycle {1, 1 + w} passes through the
    # region z < 0, where the Jacobian is 0 (A = 0): the product is 0, the exponent -inf.
    model = pl.PLRNN([0.0], [[-1.5]], [1.0])
    assert pl.lyapunov_exponents(model, [0.3], 100)[0] == -np.inf
    # rank one in 2-D: region (1, 0) of A = 0, W = [[0.5, 0], [0.3, 0]] maps onto a line
    model = pl.PLRNN(np.zeros((2, 2)), [[0.5, 0.0], [0.3, 0.0]], [1.0, -1.0])
    got = pl.lyapunov_exponents(model, [0.5, 0.5], 1_000)
    assert np.isfinite(got[0]) and got[1] == -np.inf
    np.testing.assert_allclose(got[0], np.log(0.5), atol=1e-3)   # O(1/n): non-normal J


# -- identities along a chaotic orbit ------------------------------------------------------------
def chaotic_toy(delta=-0.02):
    """The toy model with a11 shifted into a chaotic stretch of chapter 5's sweep."""
    return ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)))(delta)


def test_sum_of_exponents_is_the_mean_log_determinant_along_the_orbit():
    model = chaotic_toy()
    z0, T, n = np.array([0.5, -1.0]), 1_000, 20_000
    got = pl.lyapunov_exponents(model, z0, n, n_transient=T)
    orbit = model.simulate(z0, T + n)[T:T + n]
    logdet = np.mean([np.log(abs(np.linalg.det(model.jacobian(z)))) for z in orbit])
    np.testing.assert_allclose(got.sum(), logdet, rtol=1e-9, atol=1e-12)


def test_largest_exponent_is_the_growth_rate_of_one_tangent_vector():
    # The first column of the QR frame is a single tangent vector renormalised at each step;
    # here it is followed in plain Python with the model's own Jacobians.
    model = chaotic_toy()
    z0, T, n = np.array([0.5, -1.0]), 1_000, 5_000
    orbit = model.simulate(z0, T + n)[T:T + n]
    v, total = np.array([1.0, 0.0]), 0.0
    for z in orbit:
        v = model.jacobian(z) @ v
        norm = np.linalg.norm(v)
        total += np.log(norm)
        v /= norm
    got = pl.lyapunov_exponents(model, z0, n, n_transient=T)
    assert got[0] > 0.005                          # chaos: the orbit is bounded ...
    assert np.all(np.abs(orbit) < 10)
    np.testing.assert_allclose(got[0], total / n, rtol=1e-9)   # ... and stretches


def test_exponents_do_not_depend_on_the_initial_state_on_a_chaotic_attractor():
    model = chaotic_toy()
    a = pl.lyapunov_exponents(model, [0.5, -1.0], 200_000, n_transient=2_000)
    b = pl.lyapunov_exponents(model, [0.7, -0.8], 200_000, n_transient=2_000)
    np.testing.assert_allclose(a, b, atol=2e-3)
    assert np.all(np.diff(a) <= 0)


# -- the skew tent map -------------------------------------------------------------------------
def test_skew_tent_map_is_the_border_collision_normal_form():
    tent = pl.skew_tent_map(1.7, -2.2, mu=0.3)
    for x in (-2.0, -0.1, 0.0, 0.1, 1.5):
        slope = 1.7 if x <= 0 else -2.2
        np.testing.assert_allclose(tent.step([x])[0], slope * x + 0.3, atol=1e-15)


def test_skew_tent_exponent_is_the_time_average_of_the_log_slopes():
    a, b = 1.5, -2.5
    tent = pl.skew_tent_map(a, b)
    z0, T, n = [0.1], 100, 50_000
    got = pl.lyapunov_exponents(tent, z0, n, n_transient=T)[0]
    orbit = tent.simulate(z0, T + n)[T:T + n, 0]
    left = np.mean(orbit <= 0)
    np.testing.assert_allclose(got, left * np.log(a) + (1 - left) * np.log(-b), rtol=1e-12)


@pytest.mark.parametrize("a", [1.2, 1.5, 1.9])
def test_robust_chaos_inside_the_region_and_escape_beyond_the_crisis(a):
    low, high = pl.robust_chaos_interval(a)
    np.testing.assert_allclose((low, high), (-a / (a - 1), -1.0))
    for b in np.linspace(low, high, 9)[1:-1]:
        tent = pl.skew_tent_map(a, b)
        lam = pl.lyapunov_exponents(tent, [0.1], 5_000)[0]
        # every slope exceeds 1 in modulus: lambda is bounded below, no stable cycle
        assert min(np.log(a), np.log(-b)) - 1e-12 <= lam <= max(np.log(a), np.log(-b)) + 1e-12
        orbit = tent.simulate([0.1], 5_000)[100:, 0]
        assert orbit.min() >= 1 + b - 1e-9 and orbit.max() <= 1.0 + 1e-9   # inside [F(mu), mu]
    beyond = pl.skew_tent_map(a, low - 0.3)
    with pytest.raises(ValueError, match="diverges"):
        pl.lyapunov_exponents(beyond, [0.1], 50_000)


def test_flip_side_of_the_skew_tent_map_has_a_stable_fixed_point():
    # -1 < b < 0: the fixed point 1 / (1 - b) > 0 attracts with exponent log|b|.
    tent = pl.skew_tent_map(1.5, -0.6)
    np.testing.assert_allclose(pl.lyapunov_exponents(tent, [0.1], 1_000)[0], np.log(0.6),
                               atol=1e-9)


# -- sweeps and basins -------------------------------------------------------------------------
def test_lyapunov_sweep_matches_single_calls_and_marks_divergence():
    family = ParameterFamily(pl.PLRNN([0.5], [[0.0]], [0.5]), ("W", (0, 0)))
    values = [0.1, 0.3, 0.7]     # slope 0.5 + w: fixed point for w < 0.5, divergence beyond
    rows = pl.lyapunov_sweep(family, values, [0.2], 2_000, 10, progress=False)
    assert rows.shape == (3, 1)
    for v, row in zip(values[:2], rows[:2]):
        np.testing.assert_array_equal(row, pl.lyapunov_exponents(family(v), [0.2], 2_000, 10))
        np.testing.assert_allclose(row[0], np.log(0.5 + v), atol=1e-9)
    assert np.isnan(rows[2, 0])


def double_well():
    """A one-unit shallow PLRNN: slopes 0.5, 2, 0.5 with kinks at -1 and 1; stable fixed
    points -3 and 3, the unstable one 0 between them; orbits keep their sign."""
    return pl.ShallowPLRNN([0.5], [[1.5, -1.5]], [[1.0], [1.0]], [-1.5], [1.0, -1.0])


def test_basins_of_two_stable_fixed_points_are_the_two_half_lines():
    model = double_well()
    stable = sorted((c for c in pl.find_cycles(model, 1, rng=0) if c.stable),
                    key=lambda c: c.points[0, 0])
    np.testing.assert_allclose([c.points[0, 0] for c in stable], [-3.0, 3.0])
    starts = np.linspace(-6, 6, 121)[:, None]
    starts = starts[starts[:, 0] != 0.0]
    labels, steps = pl.attractor_labels(model, starts, stable, n_steps=200, point_tol=1e-9)
    np.testing.assert_array_equal(labels, np.where(starts[:, 0] < 0, 0, 1))
    assert np.all(steps <= 200)
    labels0, _ = pl.attractor_labels(model, [[0.0]], stable, n_steps=200)
    assert labels0[0] == -1                          # the unstable fixed point stays put


def test_diverging_starts_are_labelled_minus_two():
    model = pl.PLRNN([1.5], [[0.0]], [0.0])          # z -> 1.5 z: only 0 stays bounded
    labels, _ = pl.attractor_labels(model, [[1.0], [0.0]], [], n_steps=2_000)
    assert labels.tolist() == [-2, -1]


# -- arguments ---------------------------------------------------------------------------------
def test_bad_arguments_name_themselves():
    toy = pl.toy_plrnn()
    with pytest.raises(TypeError, match="^model"):
        pl.lyapunov_exponents("toy", [0.0, 0.0], 10)
    with pytest.raises(ValueError, match="^z0"):
        pl.lyapunov_exponents(toy, [0.0], 10)
    with pytest.raises(ValueError, match="^z0"):
        pl.lyapunov_exponents(toy, [0.0, np.nan], 10)
    with pytest.raises(ValueError, match="^n_steps"):
        pl.lyapunov_exponents(toy, [0.0, 0.0], 0)
    with pytest.raises(TypeError, match="^n_steps"):
        pl.lyapunov_exponents(toy, [0.0, 0.0], 10.5)
    with pytest.raises(ValueError, match="^n_transient"):
        pl.lyapunov_exponents(toy, [0.0, 0.0], 10, n_transient=-1)
    with pytest.raises(TypeError, match="^family"):
        pl.lyapunov_sweep(3, [0.1], [0.0, 0.0], 10)
    with pytest.raises(TypeError, match="^progress"):
        pl.lyapunov_sweep(lambda p: toy, [0.1], [0.0, 0.0], 10, progress="no")
    with pytest.raises(ValueError, match="^starts"):
        pl.attractor_labels(toy, np.zeros((3, 3)), [])
    with pytest.raises(TypeError, match="^cycles"):
        pl.attractor_labels(toy, np.zeros((3, 2)), [1, 2])
    with pytest.raises(ValueError, match="^left_slope"):
        pl.robust_chaos_interval(0.5)
    with pytest.raises(TypeError, match="^right_slope"):
        pl.skew_tent_map(1.5, "b")


def test_whole_spectrum_matches_numpys_qr_along_the_same_orbit():
    # Householder QR from LAPACK, one step at a time in Python, on the model's own orbit
    model = chaotic_toy()
    z0, n = np.array([0.5, -1.0]), 3_000
    orbit = model.simulate(z0, n)
    Q, sums = np.eye(2), np.zeros(2)
    for z in orbit[:-1]:
        Q, R = np.linalg.qr(model.jacobian(z) @ Q)
        signs = np.sign(np.diag(R))
        Q, sums = Q * signs, sums + np.log(np.abs(np.diag(R)))
    got = pl.lyapunov_exponents(model, z0, n, n_transient=0)
    np.testing.assert_allclose(got, np.sort(sums / n)[::-1], rtol=1e-8, atol=1e-12)
