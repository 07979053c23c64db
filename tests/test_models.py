"""The PLRNN and shallow PLRNN against their defining equations."""
import os
import subprocess
import sys

import numpy as np
import pytest

import plrnn_lib as pl


def relu(x):
    return np.maximum(x, 0.0)


def random_models(rng, n=20):
    for i in range(n):
        M = int(rng.integers(1, 8))
        full_A = i % 3 == 0
        A = rng.normal(size=(M, M)) if full_A else rng.uniform(-1, 1, M)
        K = int(rng.integers(0, 3))
        C = rng.normal(size=(M, K)) if K else None
        yield pl.PLRNN(A, rng.normal(size=(M, M)), rng.normal(size=M), C)


def test_step_is_the_defining_equation(rng):
    for m in random_models(rng):
        z = rng.normal(size=m.M)
        A = m.A
        expected = A @ z + m.W @ relu(z) + m.h
        np.testing.assert_allclose(m.step(z), expected, rtol=1e-12, atol=1e-12)
        if m.K:
            s = rng.normal(size=m.K)
            np.testing.assert_allclose(m.step(z, s), expected + m.C @ s, rtol=1e-12, atol=1e-12)


def test_simulate_equals_repeated_step(rng):
    for m in random_models(rng):
        z0 = rng.normal(size=m.M)
        n = 25
        inputs = rng.normal(size=(n, m.K)) if m.K else None
        traj = m.simulate(z0, n, inputs)
        assert traj.shape == (n + 1, m.M)
        np.testing.assert_array_equal(traj[0], z0)
        z = z0
        for t in range(n):
            z = m.step(z, None if inputs is None else inputs[t])
            np.testing.assert_allclose(traj[t + 1], z, rtol=1e-10, atol=1e-10)


def test_map_is_affine_in_each_region(rng):
    for m in random_models(rng):
        for _ in range(10):
            z = rng.normal(size=m.M)
            d = m.region(z)
            np.testing.assert_array_equal(d, z > 0)
            W_omega = m.region_matrix(d)
            np.testing.assert_allclose(W_omega, m.A + m.W @ np.diag(d.astype(float)))
            np.testing.assert_allclose(m.step(z), W_omega @ z + m.h, rtol=1e-12, atol=1e-12)


def central_difference_jacobian(f, z, eps=1e-6):
    J = np.empty((z.size, z.size))
    for j in range(z.size):
        e = np.zeros(z.size)
        e[j] = eps
        J[:, j] = (f(z + e) - f(z - e)) / (2 * eps)
    return J


def test_jacobian_matches_finite_differences(rng):
    for m in random_models(rng):
        z = rng.normal(size=m.M)
        z[np.abs(z) < 1e-3] = 0.5  # stay away from the switching boundaries
        np.testing.assert_allclose(m.jacobian(z), central_difference_jacobian(m.step, z), atol=1e-7)


def test_shallow_plrnn_equation_regions_and_jacobian(rng):
    for _ in range(20):
        M, H = int(rng.integers(1, 5)), int(rng.integers(1, 9))
        m = pl.ShallowPLRNN.random(M, H, rng=rng)
        z = rng.normal(size=M)
        u = m.W2 @ z + m.h2
        expected = m.A * z + m.W1 @ relu(u) + m.h1
        np.testing.assert_allclose(m.step(z), expected, atol=1e-12)
        d = m.region(z)
        np.testing.assert_array_equal(d, u > 0)
        J = m.region_matrix(d)
        np.testing.assert_allclose(J, np.diag(m.A) + m.W1 @ np.diag(d.astype(float)) @ m.W2, atol=1e-12)
        np.testing.assert_allclose(m.step(z), J @ z + m.region_offset(d), atol=1e-12)
        if np.min(np.abs(u)) > 1e-3:
            np.testing.assert_allclose(m.jacobian(z), central_difference_jacobian(m.step, z), atol=1e-7)
        traj = m.simulate(z, 5)
        np.testing.assert_allclose(traj[2], m.step(m.step(z)), atol=1e-12)


def test_region_count():
    assert pl.PLRNN.random(5, rng=0).n_regions == 32
    assert pl.ShallowPLRNN.random(2, 7, rng=0).n_regions == 128


def test_random_is_reproducible():
    a, b = pl.PLRNN.random(4, rng=3), pl.PLRNN.random(4, rng=3)
    np.testing.assert_array_equal(a.W, b.W)
    assert a.has_diagonal_A and np.all(np.diag(a.W) == 0)


# -- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, exc, name", [
    (dict(A=[0.5, 0.5], W=np.eye(3), h=[0, 0]), ValueError, "W"),
    (dict(A=[0.5, 0.5], W=np.eye(2), h=[0, 0, 0]), ValueError, "h"),
    (dict(A=np.ones((2, 3)), W=np.eye(2), h=[0, 0]), ValueError, "A"),
    (dict(A=np.ones((2, 2, 2)), W=np.eye(2), h=[0, 0]), ValueError, "A"),
    (dict(A=[0.5, np.nan], W=np.eye(2), h=[0, 0]), ValueError, "A"),
    (dict(A=[0.5, 0.5], W=[[0, np.inf], [0, 0]], h=[0, 0]), ValueError, "W"),
    (dict(A="diag", W=np.eye(2), h=[0, 0]), TypeError, "A"),
    (dict(A=[0.5, 0.5], W=np.eye(2), h=None), TypeError, "h"),
    (dict(A=[0.5, 0.5], W=np.eye(2), h=["a", "b"]), TypeError, "h"),
    (dict(A=[0.5, 0.5], W=np.eye(2), h=[1j, 0]), TypeError, "h"),
    (dict(A=[0.5, 0.5], W=np.eye(2), h=[0, 0], C=np.ones((3, 1))), ValueError, "C"),
    (dict(A=[], W=np.eye(0), h=[]), ValueError, "A"),
])
def test_constructor_errors_name_the_argument(kwargs, exc, name):
    with pytest.raises(exc, match=rf"^{name}\b"):
        pl.PLRNN(**kwargs)


def test_method_errors_name_the_argument():
    m = pl.PLRNN.random(3, rng=0)
    with pytest.raises(ValueError, match="^z0"):
        m.simulate([1, 2], 5)
    with pytest.raises(ValueError, match="^n_steps"):
        m.simulate([1, 2, 3], -1)
    with pytest.raises(TypeError, match="^n_steps"):
        m.simulate([1, 2, 3], 2.5)
    with pytest.raises(ValueError, match="^z"):
        m.step([1, 2, np.nan])
    with pytest.raises(ValueError, match="^d"):
        m.region_matrix([1, 0])
    with pytest.raises(ValueError, match="^d"):
        m.region_matrix([1, 0, 2])
    with pytest.raises(ValueError, match="inputs"):
        m.simulate([1, 2, 3], 2, inputs=np.ones((2, 1)))
    with pytest.raises(ValueError, match="^s"):
        m.step([1, 2, 3], s=[1.0])
    mc = pl.PLRNN.random(3, rng=0, K=2)
    with pytest.raises(ValueError, match="^inputs"):
        mc.simulate([1, 2, 3], 4, inputs=np.ones((3, 2)))
    with pytest.raises(TypeError, match="^rng"):
        pl.PLRNN.random(3, rng="seed")
    with pytest.raises(ValueError, match="^M"):
        pl.PLRNN.random(0)
    with pytest.raises(ValueError, match="^W2"):
        pl.ShallowPLRNN([0.5, 0.5], np.ones((2, 3)), np.ones((2, 2)), [0, 0], [0, 0, 0])
    with pytest.raises(ValueError, match=r"^z0 must have shape \(3,\), got \(2,\)"):
        m.simulate([1, 2], 5)
    with pytest.raises(ValueError, match="^n_steps=.*GiB"):
        m.simulate([1, 2, 3], 10 ** 15)


@pytest.mark.parametrize("a_range, exc", [(0.5, TypeError), ((0.5,), TypeError), ("ab", TypeError),
                                          ((0.9, 0.1), ValueError), ((0.1, np.nan), ValueError)])
def test_random_models_check_a_range(a_range, exc):
    with pytest.raises(exc, match=r"^a_range"):
        pl.PLRNN.random(3, rng=0, a_range=a_range)
    with pytest.raises(exc, match=r"^a_range"):
        pl.ShallowPLRNN.random(3, 4, rng=0, a_range=a_range)


def test_toy_model_has_the_papers_parameters():
    m = pl.toy_plrnn()
    np.testing.assert_array_equal(m.A, np.diag([0.83777, 0.96461]))
    np.testing.assert_array_equal(m.W, [[0.0, -0.64375], [0.52505, 0.0]])
    np.testing.assert_array_equal(m.h, [0.37298, -0.97931])


# -- the parameter protocol -------------------------------------------------------------------
@pytest.mark.parametrize("make", [lambda: pl.PLRNN.random(3, rng=1, K=2),
                                  lambda: pl.ShallowPLRNN.random(3, 7, rng=2)])
def test_params_round_trip_and_read_only(make):
    m = make()
    p = m.params()
    rebuilt = type(m)(**p)
    z = np.array([0.3, -0.2, 0.7])
    assert np.array_equal(rebuilt.step(z), m.step(z))
    for name, arr in p.items():
        with pytest.raises(ValueError):
            arr.flat[0] = 1.0
    with pytest.raises(ValueError):
        m.affine_parts().W[0, 0] = 1.0


def test_replace_changes_only_the_named_parameter():
    m = pl.PLRNN.random(3, rng=4)
    W = np.arange(9.0).reshape(3, 3)
    m2 = m.replace(W=W)
    assert np.array_equal(m2.W, W) and np.array_equal(m.params()["h"], m2.params()["h"])
    assert not np.array_equal(m.W, W)
    assert m2.params()["A"].shape == (3,)  # a diagonal A stays a diagonal parameter
    full = pl.PLRNN(np.eye(3) * 0.5, W, np.zeros(3))
    assert full.params()["A"].shape == (3, 3)
    with pytest.raises(TypeError, match="W1"):
        m.replace(W1=W)


def test_model_does_not_lock_the_callers_array():
    W = np.zeros((2, 2))
    pl.PLRNN([0.5, 0.5], W, [0.0, 0.0])
    W[0, 1] = 1.0  # the caller's array stays writable; the model holds a copy


def test_affine_parts_names_the_gate():
    assert pl.toy_plrnn().affine_parts().gate_is_identity
    assert not pl.ShallowPLRNN.random(2, 4, rng=0).affine_parts().gate_is_identity


def test_with_params_is_replace():
    m = pl.PLRNN([0.5, 0.4], [[0.0, 0.3], [-0.2, 0.0]], [0.1, -0.1])
    h = np.array([0.7, 0.2])
    for name, a, b in zip(("A", "W", "h"), m.with_params(h=h).params().values(),
                          m.replace(h=h).params().values()):
        assert np.array_equal(a, b), name


def test_import_does_not_load_matplotlib_until_plotting_is_used():
    # a fresh interpreter: this test process has matplotlib loaded already
    code = ("import sys\n"
            "import plrnn_lib as pl\n"
            "assert 'matplotlib' not in sys.modules, 'import plrnn_lib loaded matplotlib'\n"
            "assert 'plotting' in dir(pl)\n"
            "pl.plotting.use_book_style\n"
            "assert 'matplotlib' in sys.modules\n"
            "import plrnn_lib.plotting\n"
            "assert plrnn_lib.plotting is pl.plotting\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr
    with pytest.raises(AttributeError, match="no attribute 'plotted'"):
        pl.plotted
