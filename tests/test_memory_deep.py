"""Chapter 13's deep recurrent stacks: exact gradients, initialisation, signal statistics."""
import math

import numpy as np
import pytest

from plrnn_lib.memory import deep as Dp
from plrnn_lib.memory.signal import hidden_second_moment


def small(recurrence, layer_norm, memory=5.0, seed=1):
    return Dp.deep_network(recurrence, memory, n_layers=2, d_in=3, d_model=4, n_states=3,
                           layer_norm=layer_norm, rng=seed)


@pytest.mark.parametrize("layer_norm", [True, False])
@pytest.mark.parametrize("recurrence", list(Dp.RECURRENCES))
def test_gradient_matches_central_differences_in_every_parameter(recurrence, layer_norm):
    net = small(recurrence, layer_norm)
    rng = np.random.default_rng(2)
    u = Dp.correlated_inputs(2, 12, 3, rng=rng)
    y = rng.normal(size=(2, 12, 3))
    _, grads = net.loss_and_grad(u, y)
    theta, g = net.flat(), net.flatten_grads(grads)
    fd = np.empty_like(theta)
    for j in range(theta.size):
        e = np.zeros_like(theta)
        e[j] = 1e-6
        fd[j] = (net.from_flat(theta + e).loss(u, y) - net.from_flat(theta - e).loss(u, y)) / 2e-6
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-7 * np.abs(g).max())


def test_stack_without_norm_and_with_identity_blocks_is_a_linear_map():
    # with the GLU's value weights zero every block adds nothing: out = dec(enc(u))
    net = small("lru", False)
    p = net.params()
    for l in range(net.n_layers):
        p[f"l{l}.glu_W1"] = np.zeros_like(p[f"l{l}.glu_W1"])
    net = Dp.DeepRecurrentNetwork("lru", p, layer_norm=False)
    u = np.random.default_rng(0).normal(size=(2, 7, 3))
    expected = (u @ p["enc_W"].T + p["enc_b"]) @ p["dec_W"].T + p["dec_b"]
    np.testing.assert_allclose(net.forward(u), expected, atol=1e-12)


def test_complex_diagonal_states_follow_their_recurrence():
    net = small("complex_diagonal", False)
    p = net.params()
    u = np.random.default_rng(0).normal(size=(1, 9, 3))
    _, states = net.forward(u, return_states=True)
    h = states[0][0]
    a = u[0] @ p["enc_W"].T + p["enc_b"]           # no layer norm: the block sees z
    lam = p["l0.lam_re"] + 1j * p["l0.lam_im"]
    Bt = p["l0.B_re"] + 1j * p["l0.B_im"]
    ref = np.zeros(3, complex)
    for t in range(9):
        ref = lam * ref + Bt @ a[t]
        np.testing.assert_allclose(h[t], ref, atol=1e-12)


@pytest.mark.parametrize("memory", [1.0, 10.0, 100.0])
def test_initial_memory_lies_in_the_chosen_interval(memory):
    lo, hi = 1 - 1 / memory, 1 - 1 / (2 * memory)
    cd = Dp.deep_network("complex_diagonal", memory, n_states=50, rng=0).params()
    nu = np.hypot(cd["l0.lam_re"], cd["l0.lam_im"])
    assert nu.min() >= lo - 1e-12 and nu.max() <= hi + 1e-12
    lru = Dp.deep_network("lru", memory, n_states=50, rng=0).params()
    nu = np.exp(-np.exp(lru["l0.nu_log"]))
    assert nu.min() >= lo - 1e-12 and nu.max() <= hi + 1e-12
    np.testing.assert_allclose(np.exp(lru["l0.gamma_log"]), np.sqrt(1 - nu**2), rtol=1e-9)
    gru = Dp.deep_network("gru", memory, n_states=50, rng=0).params()
    keep = 1 - 1 / (1 + np.exp(-gru["l0.b_u"]))        # 1 - u at zero input
    if memory > 1:
        assert keep.min() >= lo - 1e-12 and keep.max() <= hi + 1e-12


def test_correlated_inputs_have_the_requested_autocorrelation():
    x = Dp.correlated_inputs(400, 300, 4, rng=5)
    r0 = np.mean(x * x)
    r50 = np.mean(x[:, 50:] * x[:, :-50])
    assert r0 == pytest.approx(0.37, rel=0.02)
    assert r50 == pytest.approx(0.044 * 0.997**50, rel=0.15)


def test_first_layer_activity_of_a_normalised_lru_is_unit_order_while_plain_grows():
    # one layer, the closed form of chapter 10 as a check: the LRU's gamma cancels 1/(1-|lam|^2)
    rng = np.random.default_rng(3)
    u = rng.normal(size=(8, 2000, 8))
    y = np.zeros_like(u)
    out = {}
    for rec in ("lru", "complex_diagonal"):
        net = Dp.deep_network(rec, 50.0, n_layers=1, d_in=8, d_model=8, n_states=16,
                              layer_norm=True, rng=4)
        out[rec] = Dp.signal_propagation(net, u, y)["h2"][0]
    # white inputs (after layer norm, unit variance per feature): E|h|^2 = |B a|^2 / (1-|lam|^2)
    assert 0.3 < out["lru"] < 3
    assert out["complex_diagonal"] > 0.3 * hidden_second_moment(1 - 1 / 75, 0.0)


def test_signal_propagation_groups_cover_every_parameter():
    net = small("gru", True)
    rng = np.random.default_rng(1)
    u = rng.normal(size=(2, 10, 3))
    stats = Dp.signal_propagation(net, u, rng.normal(size=(2, 10, 3)))
    assert set(stats["grad2"]) == {"encoder", "decoder", "GLU", "norm", "W (input)",
                                   "U (recurrent)", "b (gates)", "C"}
    assert stats["h2"].shape == (2,)
    assert all(v > 0 and math.isfinite(v) for v in stats["grad2"].values())


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="recurrence"):
        Dp.deep_network("lstm", 10)
    with pytest.raises(ValueError, match="memory"):
        Dp.deep_network("lru", 0.5)
    net = small("lru", True)
    with pytest.raises(ValueError, match="u"):
        net.forward(np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match="y"):
        net.loss_and_grad(np.zeros((2, 5, 3)), np.zeros((2, 4, 3)))
    with pytest.raises(ValueError, match="rho"):
        Dp.correlated_inputs(2, 5, 3, rho=1.0)
    with pytest.raises(TypeError, match="network"):
        Dp.signal_propagation("net", np.zeros((1, 2, 3)), np.zeros((1, 2, 3)))
