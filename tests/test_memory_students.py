"""Chapter 12's teacher-student machinery: the fused diagonal gradient, Adam, the students."""
import math

import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.memory import students as S
from plrnn_lib.memory._kernels import (diagonal_backward, diagonal_forward,
                                       diagonal_loss_and_grad)

M = pl.memory


@pytest.mark.parametrize("k, m", [(1, 1), (3, 2)])
def test_forward_mode_diagonal_gradient_equals_backpropagation(k, m):
    # two independent algorithms: forward-mode tangents vs the adjoint run backwards
    rng = np.random.default_rng(3)
    layer = M.lru_layer(6, k, m, nu_min=0.3, rng=rng)
    x = rng.normal(size=(5, 40, k))
    y = rng.normal(size=(5, 40, m))
    xt = np.ascontiguousarray(x.transpose(1, 0, 2))
    yt = np.ascontiguousarray(y.transpose(1, 0, 2))
    lam, B, C, D = layer._effective()
    B, C = np.ascontiguousarray(B), np.ascontiguousarray(C)
    loss, *fwd = diagonal_loss_and_grad(lam, B, C, D, xt, yt)
    H, Y = diagonal_forward(lam, B, C, D, xt)
    bwd = diagonal_backward(lam, C, xt, H, np.ascontiguousarray((Y - yt) / Y.size))
    assert loss == pytest.approx(0.5 * np.mean((Y - yt) ** 2), rel=1e-12)
    for a, b in zip(fwd, bwd):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-14)


def test_diagonal_gradient_matches_finite_differences_at_long_memory():
    # |lambda| close to 1 is where the curse of memory makes gradients large
    rng = np.random.default_rng(4)
    layer = M.complex_diagonal_layer(4, nu_min=0.98, nu_max=0.995, rng=rng)
    x = rng.normal(size=(3, 200, 1))
    y = rng.normal(size=(3, 200, 1))
    _, grads = layer.loss_and_grad(x, y)
    theta = layer.flat()
    g = layer.flatten_grads(grads)
    for j in rng.choice(theta.size, 8, replace=False):
        e = np.zeros_like(theta)
        e[j] = 1e-6
        fd = (layer.from_flat(theta + e).loss(x, y)
              - layer.from_flat(theta - e).loss(x, y)) / 2e-6
        assert fd == pytest.approx(g[j], rel=1e-5, abs=1e-8)


def test_adam_first_step_moves_every_coordinate_by_the_learning_rate():
    # m_hat / sqrt(v_hat) = g / |g| at the first step (eps aside), whatever the scale of g
    g = np.array([1e-6, -3.0, 250.0])
    theta, state = M.adam_update(np.zeros(3), g, M.adam_state(3), 0.01, eps=0.0)
    np.testing.assert_allclose(theta, -0.01 * np.sign(g), rtol=1e-12)
    assert state.step == 1
    with pytest.raises(ValueError, match="theta"):
        M.adam_update(np.zeros(2), g, state, 0.01)
    with pytest.raises(TypeError, match="state"):
        M.adam_update(np.zeros(3), g, None, 0.01)


def test_cosine_schedule_starts_at_the_peak_and_halves_midway():
    assert M.cosine_rate(0.1, 0, 100) == pytest.approx(0.1)
    assert M.cosine_rate(0.1, 50, 100) == pytest.approx(0.05)
    assert M.cosine_rate(0.1, 100, 100) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("arch", ["block_diagonal", "more_neurons", "complex_diagonal",
                                  "normalised_diagonal", "lru"])
def test_ring_students_start_with_eigenvalues_on_the_ring(arch):
    layer = S.make_student(arch, 0.9, n_hidden=16, rng=1)
    moduli = np.abs(layer.eigenvalues())
    assert moduli.min() >= 0.9 - 1e-12 and moduli.max() <= S.NU_MAX + 1e-12
    assert layer.n_hidden == (32 if arch == "more_neurons" else 16)


def test_normalised_student_scales_each_input_row_by_gamma():
    plain = S.make_student("complex_diagonal", 0.5, n_hidden=8, rng=7)
    normed = S.make_student("normalised_diagonal", 0.5, n_hidden=8, rng=7)
    lam = plain.eigenvalues()
    np.testing.assert_allclose(normed.eigenvalues(), lam)
    ratio = np.abs(normed.params()["B_re"] / plain.params()["B_re"])[:, 0]
    np.testing.assert_allclose(ratio, np.sqrt(1 - np.abs(lam) ** 2), rtol=1e-12)


def test_heads_keep_the_recurrent_matrix_block_diagonal_through_training():
    teacher = M.linear_teacher(10, 0.5, rng=0)
    student = S.make_student("rnn", 0.5, n_hidden=8, n_heads=4, rng=1)
    mask = S.head_mask(student, 4)
    A_mask = mask[student.parameter_slices()["A"]].reshape(8, 8)
    assert A_mask.sum() == 4 * 2 * 2                     # four 2 x 2 blocks
    assert np.all(student.params()["A"][~A_mask] == 0)
    result = S.train_student(student, teacher, 20, lr=1e-2, batch_size=4, seq_len=20,
                             n_heads=4, eval_sequences=4, rng=2, progress=False)
    A = result.layer.params()["A"]
    assert np.all(A[~A_mask] == 0)
    assert not np.allclose(A[A_mask], student.params()["A"][A_mask])   # the blocks trained


def test_training_reduces_the_loss_on_a_short_memory_teacher():
    teacher = M.linear_teacher(10, 0.36, rng=0)
    student = S.make_student("lru", 0.36, n_hidden=16, rng=1)
    result = S.train_student(student, teacher, 150, lr=1e-2, batch_size=16, seq_len=50,
                             eval_sequences=64, rng=2, progress=False)
    assert result.final_loss < 1e-2 * result.losses[0]


def test_a_grid_cell_is_reproducible_and_ignores_the_runner_generator():
    task = dict(architecture="complex_diagonal", nu0=0.68, lr=3e-3, seed=1, n_steps=3,
                batch_size=4, seq_len=15, n_hidden=6)
    a = S.run_student_task(task, np.random.default_rng(0))
    b = S.run_student_task(task, np.random.default_rng(99))
    assert a["final_loss"] == b["final_loss"]
    assert a["key"] == S.task_key(task)
    other = S.run_student_task({**task, "seed": 2})
    assert other["final_loss"] != a["final_loss"]


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="architecture"):
        S.make_student("transformer", 0.5)
    with pytest.raises(ValueError, match="nu0"):
        S.make_student("lru", 0.9995)
    with pytest.raises(ValueError, match="n_heads"):
        S.make_student("rnn", 0.5, n_hidden=8, n_heads=3)
    with pytest.raises(ValueError, match="n_heads"):
        S.make_student("lru", 0.5, n_heads=2)
    with pytest.raises(TypeError, match="student"):
        S.train_student("rnn", M.linear_teacher(4, 0.5, rng=0), 3)
    with pytest.raises(ValueError, match="task"):
        S.run_student_task({"architecture": "lru"})
    assert math.isfinite(S.NU_MAX)
