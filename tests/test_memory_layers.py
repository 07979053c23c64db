"""Linear recurrent layers: forward against plain loops, exact gradients and Jacobians against
finite differences, equivalent forms, the Hessian at a zero-loss optimum, Adam's first step."""
import numpy as np
import pytest

import plrnn_lib as pl

M = pl.memory
KINDS = tuple(M.PARAMETER_NAMES)


def make(kind, n=4, k=2, m=3, seed=1):
    rng = np.random.default_rng(seed)
    if kind == "dense":
        layer = M.dense_layer(n, k, m, nu0=0.5, rng=rng)
    else:
        maker = {"block_diagonal": M.block_diagonal_layer,
                 "complex_diagonal": M.complex_diagonal_layer, "lru": M.lru_layer}[kind]
        layer = maker(n, k, m, nu_min=0.5, nu_max=0.95, rng=rng)
    return layer.replace(D=rng.normal(size=(m, k)))


def naive_forward(layer, x):
    """The layer's equations, one sequence and one step at a time, in complex arithmetic."""
    p = layer.params()
    if layer.kind == "dense":
        A, B, C = p["A"], p["B"], p["C"]
    elif layer.kind == "block_diagonal":
        n = layer.n_hidden
        A = np.zeros((n, n))
        for j, blk in enumerate(p["blocks"]):
            A[2 * j:2 * j + 2, 2 * j:2 * j + 2] = blk
        B, C = p["B"], p["C"]
    else:
        if layer.kind == "complex_diagonal":
            lam = p["lam_re"] + 1j * p["lam_im"]
            gamma = np.ones_like(lam.real)
        else:
            lam = np.exp(-np.exp(p["nu_log"]) + 1j * np.exp(p["theta_log"]))
            gamma = np.exp(p["gamma_log"])
        A = np.diag(lam)
        B = gamma[:, None] * (p["B_re"] + 1j * p["B_im"])
        C = p["C_re"] + 1j * p["C_im"]
    out = np.zeros((x.shape[0], x.shape[1], layer.n_outputs))
    for b in range(x.shape[0]):
        h = np.zeros(layer.n_hidden, complex)
        for t in range(x.shape[1]):
            h = A @ h + B @ x[b, t]
            out[b, t] = np.real(C @ h) + p["D"] @ x[b, t]
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_forward_matches_the_equations_step_by_step(kind):
    layer = make(kind)
    x = np.random.default_rng(0).normal(size=(3, 25, 2))
    assert np.allclose(layer.forward(x), naive_forward(layer, x), atol=1e-12)


def finite_difference_gradient(layer, x, y, eps=1e-6):
    """Central differences of the loss along every coordinate of the flat parameters."""
    theta = layer.flat()
    return np.array([(layer.from_flat(theta + eps * e).loss(x, y)
                      - layer.from_flat(theta - eps * e).loss(x, y)) / (2 * eps)
                     for e in np.eye(theta.size)])


@pytest.mark.parametrize("kind", KINDS)
def test_gradient_matches_finite_differences(kind):
    layer = make(kind)
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(3, 30, 2)), rng.normal(size=(3, 30, 3))
    loss, grads = layer.loss_and_grad(x, y)
    assert np.isclose(loss, 0.5 * np.mean((layer.forward(x) - y) ** 2))
    assert set(grads) == set(layer.params())
    for name, g in grads.items():
        assert g.shape == layer.params()[name].shape
    g = layer.flatten_grads(grads)
    fd = finite_difference_gradient(layer, x, y)
    assert np.allclose(g, fd, rtol=1e-6, atol=1e-8 * np.abs(g).max())


@pytest.mark.parametrize("n, k, m", [(6, 1, 1), (6, 6, 6), (8, 1, 7), (8, 7, 1), (3, 2, 5)])
def test_dense_gradient_matches_finite_differences_for_every_product_shape(n, k, m):
    # the fused dense kernel multiplies thin factors (one input or output) in loops and
    # wide ones with BLAS (batch 6 > _THIN): every combination must give the exact gradient
    rng = np.random.default_rng(n + 10 * k + 100 * m)
    layer = M.dense_layer(n, k, m, nu0=0.6, rng=rng).replace(D=rng.normal(size=(m, k)))
    x, y = rng.normal(size=(6, 40, k)), rng.normal(size=(6, 40, m))
    assert np.allclose(layer.forward(x), naive_forward(layer, x), atol=1e-12)
    loss, grads = layer.loss_and_grad(x, y)
    assert loss == pytest.approx(0.5 * np.mean((naive_forward(layer, x) - y) ** 2), rel=1e-12)
    g = layer.flatten_grads(grads)
    fd = finite_difference_gradient(layer, x, y)
    assert np.allclose(g, fd, rtol=1e-6, atol=1e-8 * np.abs(g).max())


def test_dense_gradient_matches_finite_differences_at_long_memory():
    # eigenvalues near the unit circle over 300 steps: the regime of the students' training
    rng = np.random.default_rng(11)
    layer = M.dense_layer(16, nu0=0.97, rng=rng)
    x, y = rng.normal(size=(4, 300, 1)), rng.normal(size=(4, 300, 1))
    _, grads = layer.loss_and_grad(x, y)
    theta, g = layer.flat(), layer.flatten_grads(grads)
    for _ in range(6):
        direction = rng.normal(size=theta.size)
        eps = 1e-6 / np.linalg.norm(direction)
        fd = (layer.from_flat(theta + eps * direction).loss(x, y)
              - layer.from_flat(theta - eps * direction).loss(x, y)) / (2 * eps)
        assert fd == pytest.approx(g @ direction, rel=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_output_jacobian_matches_finite_differences(kind):
    layer = make(kind)
    x = np.random.default_rng(4).normal(size=(2, 20, 2))
    J = layer.output_jacobian(x)
    theta, eps = layer.flat(), 1e-6
    fd = np.stack([(layer.from_flat(theta + eps * e).forward(x)
                    - layer.from_flat(theta - eps * e).forward(x)) / (2 * eps)
                   for e in np.eye(theta.size)], axis=-1)
    assert J.shape == (2, 20, 3, layer.n_parameters)
    assert np.allclose(J, fd, rtol=1e-6, atol=1e-7 * np.abs(J).max())


@pytest.mark.parametrize("kind", KINDS)
def test_dense_form_has_the_same_outputs(kind):
    layer = make(kind)
    x = np.random.default_rng(5).normal(size=(2, 40, 2))
    dense = M.to_dense(layer)
    assert dense.kind == "dense"
    assert np.allclose(dense.forward(x), layer.forward(x), atol=1e-12)
    assert np.allclose(np.sort_complex(np.linalg.eigvals(dense.params()["A"])),
                       np.sort_complex(np.concatenate(
                           [layer.eigenvalues(), np.conj(layer.eigenvalues())]
                           if kind in ("complex_diagonal", "lru") else [layer.eigenvalues()])))


def test_similarity_and_eigenbasis_keep_the_input_output_map():
    rng = np.random.default_rng(6)
    teacher = M.linear_teacher(6, 0.9, n_inputs=2, n_outputs=2, rng=rng)
    x = rng.normal(size=(2, 60, 2))
    moved = M.similarity_transform(teacher, rng.normal(size=(6, 6)))
    assert np.allclose(moved.forward(x), teacher.forward(x), atol=1e-9)
    diag = M.complex_diagonal_from_dense(teacher)
    assert np.allclose(diag.forward(x), teacher.forward(x), atol=1e-9)


def test_teacher_eigenvalues_lie_on_the_ring():
    for nu0 in (0.0, 0.5, 0.99):
        A = M.remapped_eigenvalue_matrix(10, nu0, rng=3)
        mod = np.abs(np.linalg.eigvals(A))
        assert np.all(mod >= nu0 - 1e-9) and np.all(mod < 1)


@pytest.mark.parametrize("kind", ["dense", "complex_diagonal"])
def test_gauss_newton_is_the_hessian_at_a_zero_loss_optimum(kind):
    rng = np.random.default_rng(8)
    teacher = M.linear_teacher(4, 0.9, rng=rng)
    student = teacher if kind == "dense" else M.complex_diagonal_from_dense(teacher)
    x = rng.normal(size=(8, 80, 1))
    y = teacher.forward(x)
    assert student.loss(x, y) < 1e-25
    G = M.gauss_newton_hessian(student, x)
    H = M.finite_difference_hessian(student, x, y, step=1e-5)
    assert np.allclose(G, H, rtol=1e-4, atol=1e-5 * np.abs(G).max())
    assert np.all(np.linalg.eigvalsh(G) > -1e-9 * np.abs(G).max())


def test_first_adam_step_is_a_sign_step():
    # m_hat / sqrt(v_hat) = g / |g| after one step, so every coordinate moves by lr
    teacher = make("complex_diagonal", seed=3)
    student = make("complex_diagonal", seed=4)
    rng_data = np.random.default_rng(9)
    x, y = M.teacher_batch(teacher, 4, 30, rng=rng_data)
    g = student.flatten_grads(student.loss_and_grad(x, y)[1])
    res = M.train_adam(student, teacher, 1, lr=1e-3, batch_size=4, seq_len=30, eps=1e-30,
                       rng=np.random.default_rng(9), progress=False)
    step = res.layer.flat() - student.flat()
    assert np.allclose(step, -1e-3 * np.sign(g), rtol=1e-9, atol=1e-15)
    assert np.allclose(res.layer.flatten_grads(res.second_moments), g**2)


def test_adam_learns_a_teacher_from_nearby():
    teacher = M.complex_diagonal_from_dense(M.linear_teacher(4, 0.5, rng=10))
    theta = teacher.flat()
    start = teacher.from_flat(theta + 0.05 * np.random.default_rng(1).normal(size=theta.size))
    res = M.train_adam(start, teacher, 300, lr=3e-3, batch_size=16, seq_len=60, rng=2,
                       schedule="cosine", progress=False)
    assert res.losses[-20:].mean() < 0.05 * res.losses[:5].mean()


def test_bad_arguments_are_named():
    layer = make("dense")
    with pytest.raises(ValueError, match="x"):
        layer.forward(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match="y"):
        layer.loss_and_grad(np.zeros((2, 5, 2)), np.zeros((2, 5, 2)))
    with pytest.raises(ValueError, match="kind"):
        M.LinearRecurrentLayer("gru", {})
    with pytest.raises(ValueError, match="blocks"):
        M.LinearRecurrentLayer("block_diagonal", {"blocks": np.zeros((2, 2)), "B": np.zeros((4, 1)),
                                                  "C": np.zeros((1, 4)), "D": np.zeros((1, 1))})
    with pytest.raises(ValueError, match="n_hidden"):
        M.block_diagonal_layer(3)
    with pytest.raises(ValueError, match="no parameter"):
        layer.replace(lam_re=np.zeros(4))
    with pytest.raises(TypeError, match="layer"):
        M.gauss_newton_hessian("dense", np.zeros((1, 2, 1)))


def test_parameters_are_read_only_copies():
    A = np.eye(2) * 0.5
    layer = M.LinearRecurrentLayer("dense", {"A": A, "B": np.ones((2, 1)), "C": np.ones((1, 2)),
                                             "D": np.zeros((1, 1))})
    A[0, 0] = 0.9                      # the caller's array stays writable and independent
    assert layer.params()["A"][0, 0] == 0.5
    with pytest.raises(ValueError):
        layer.params()["A"][0, 0] = 1.0
