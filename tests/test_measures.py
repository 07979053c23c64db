"""D_stsp and D_H (chapter 8) on cases with known answers."""
import numpy as np
import pytest

from plrnn_lib.training.measures import (power_spectrum_distance, smoothed_power_spectrum,
                                         state_space_divergence)


def test_identical_series_give_zero():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3000, 2))
    assert state_space_divergence(x, x) == pytest.approx(0.0, abs=1e-12)
    assert state_space_divergence(x, x, method="mixture", rng=1) == pytest.approx(0.0, abs=1e-12)
    assert power_spectrum_distance(x, x) == pytest.approx(0.0, abs=1e-12)


def test_binned_divergence_of_two_gaussians_matches_the_closed_form():
    # KL(N(0, 1) || N(mu, 1)) = mu^2 / 2; fine bins and many samples approach it.
    rng = np.random.default_rng(1)
    for mu in (0.5, 1.0):
        x = rng.standard_normal(400_000)
        y = mu + rng.standard_normal(400_000)
        assert state_space_divergence(x, y, n_bins=60) == pytest.approx(mu ** 2 / 2, abs=0.03)


def test_mixture_divergence_of_two_gaussians_matches_the_closed_form():
    # With components of width s, a mixture on N(0, 1) samples approximates N(0, 1 + s^2),
    # and on the same samples shifted by mu, N(mu, 1 + s^2): their KL divergence is
    # mu^2 / (2 (1 + s^2)). (Shifting one sample, not drawing two, keeps the mixtures'
    # sampling noise alike, which would otherwise add a positive bias.)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4000, 1))
    for mu, s in ((1.0, 0.5), (0.5, 0.5), (1.0, 1.0)):
        d = state_space_divergence(x, x + mu, method="mixture", sigma=s, n_samples=4000,
                                   rng=3)
        assert d == pytest.approx(mu ** 2 / (2 * (1 + s ** 2)), rel=0.1)


def test_divergences_grow_with_the_perturbation():
    rng = np.random.default_rng(3)
    t = np.arange(4000)
    x = np.c_[np.sin(0.05 * t), np.cos(0.05 * t)] + 0.05 * rng.standard_normal((4000, 2))
    shifts = [0.0, 0.2, 0.5, 1.0]
    d_bins = [state_space_divergence(x, x + [s, 0.0]) for s in shifts]
    d_mix = [state_space_divergence(x, x + [s, 0.0], method="mixture", sigma=0.2, rng=4)
             for s in shifts]
    assert np.all(np.diff(d_bins) > 0) and np.all(np.diff(d_mix) > 0)
    freqs = [0.05, 0.055, 0.065, 0.09]
    d_h = [power_spectrum_distance(np.sin(0.05 * t), np.sin(f * t)) for f in freqs]
    assert d_h[0] == pytest.approx(0.0, abs=1e-12) and np.all(np.diff(d_h) > 0)


def test_power_spectrum_distance_known_values():
    t = np.arange(8192)
    # frequencies on the FFT grid (k / T), so no power leaks into other bins
    slow, fast = np.sin(2 * np.pi * 80 / 8192 * t), np.sin(2 * np.pi * 2480 / 8192 * t)
    # Spectra that do not overlap (peaks 2,400 bins apart, smoothing 20 bins): distance 1.
    assert power_spectrum_distance(slow, fast) == pytest.approx(1.0, abs=1e-6)
    # z-scoring: amplitude and offset do not matter.
    assert power_spectrum_distance(slow, 5 * slow + 3) == pytest.approx(0.0, abs=1e-12)
    # Two-dimensional: the mean of the per-dimension distances.
    two = power_spectrum_distance(np.c_[slow, slow], np.c_[slow, fast])
    assert two == pytest.approx(0.5, abs=1e-6)
    p = smoothed_power_spectrum(slow)
    assert p.shape == (4097, 1) and p.sum() == pytest.approx(1.0)


def test_bad_arguments_are_named():
    x = np.zeros((100, 2)) + np.arange(100)[:, None]
    with pytest.raises(ValueError, match="x_gen has 1 dimensions"):
        state_space_divergence(x, x[:, :1])
    with pytest.raises(ValueError, match="same length"):
        power_spectrum_distance(x, x[:50])
    with pytest.raises(ValueError, match="method"):
        state_space_divergence(x, x, method="kde")
    with pytest.raises(ValueError, match="finite"):
        state_space_divergence(x, np.full((10, 2), np.nan))
    with pytest.raises(ValueError, match="x_gen has a constant column"):
        power_spectrum_distance(x, np.ones((100, 2)))
    with pytest.raises(ValueError, match="n_bins"):
        state_space_divergence(np.ones((10, 6)) * np.arange(10)[:, None], np.ones((10, 6)),
                               method="bins")
