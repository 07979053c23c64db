"""The checks of chapters 12 and 13's coding exercises (plrnn_lib.exercises).

Each check passes on an answer computed here by a route of its own (numpy's eigenvalues of
a hand-built draw, a count over a mask built by hand, a simulation, the sigmoid inverted
numerically) and fails, with words naming the mistake, on the usual wrong answers.
"""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.exercises import ExerciseError, ch12_students, ch13_deep


def fails(check, *answers, words=()):
    with pytest.raises(ExerciseError) as info:
        check(*answers)
    message = str(info.value).lower()
    for word in words:
        assert word.lower() in message, message
    return message


def test_checks_are_collected_by_the_package():
    for name in ("check_teacher_eigenvalues", "check_head_parameter_counts",
                 "check_unit_activity", "check_chrono_bias"):
        assert name in pl.exercises.__all__
        assert callable(getattr(pl.exercises, name))


# --- chapter 12: the teacher's eigenvalues -------------------------------------------------

def _teacher_draw():
    n = ch12_students.TEACHER_SIZE
    rng = np.random.default_rng(ch12_students.TEACHER_SEED)
    return np.linalg.eigvals(rng.normal(0, 1 / np.sqrt(n), (n, n))), \
        ch12_students.TEACHER_NU0


def test_teacher_eigenvalues_pass_in_any_order():
    l, nu0 = _teacher_draw()
    lam = (nu0 + (1 - nu0) * np.tanh(np.abs(l))) * np.exp(1j * np.angle(l))
    assert ch12_students.check_teacher_eigenvalues(lam)
    assert ch12_students.check_teacher_eigenvalues(lam[::-1].copy())
    assert np.all(np.abs(lam) >= nu0) and np.all(np.abs(lam) < 1)


def test_teacher_eigenvalues_name_the_mistakes():
    l, nu0 = _teacher_draw()
    modulus = nu0 + (1 - nu0) * np.tanh(np.abs(l))
    check = ch12_students.check_teacher_eigenvalues
    fails(check, (nu0 + np.tanh(np.abs(l))) * np.exp(1j * np.angle(l)),
          words=("1 - nu0",))
    fails(check, modulus, words=("real", "phase"))
    fails(check, modulus * np.exp(-2j * np.angle(l)), words=("phases",))
    fails(check, modulus[:5], words=("shape",))
    fails(check, None, words=("none",))
    # the modulus of l itself (no remapping) is below nu0 for a random draw
    fails(check, l, words=("nu0",))


def test_head_parameter_counts():
    counts = []
    for h in ch12_students.HEAD_COUNTS:
        size = 64 // h
        blocks = np.kron(np.eye(h), np.ones((size, size)))   # the heads' blocks of A
        counts.append(int(blocks.sum()) + 64 + 64 + 1)         # plus B, C, D
    check = ch12_students.check_head_parameter_counts
    assert check(counts)
    counts = np.array(counts)
    fails(check, counts - 129, words=("B", "C"))
    fails(check, counts[::-1], words=("reverse",))
    fails(check, np.full(6, 64 * 64 + 129), words=("outside",))
    fails(check, (64 // np.array(ch12_students.HEAD_COUNTS)) ** 2 + 129,
          words=("one head",))
    fails(check, counts[:3], words=("shape",))
    fails(check, counts + 1, words=("off by",))


# --- chapter 13: a unit's activity and the chrono initialisation ---------------------------

def _simulated_activity(lam, gamma, rng, n_seq=400, n_steps=6000):
    """E[h^2] by simulating the unit on stationary white + AR(1) inputs."""
    rho = ch13_deep.RHO
    white = rng.normal(0, np.sqrt(ch13_deep.WHITE_VARIANCE), (n_seq, n_steps))
    innov = rng.normal(0, np.sqrt(ch13_deep.CORRELATED_VARIANCE * (1 - rho**2)),
                       (n_seq, n_steps))
    ar = rng.normal(0, np.sqrt(ch13_deep.CORRELATED_VARIANCE), n_seq)
    h = np.zeros(n_seq)
    second = []
    for t in range(n_steps):
        ar = rho * ar + innov[:, t]
        h = lam * h + gamma * (white[:, t] + ar)
        if t >= n_steps // 2:
            second.append(np.mean(h**2))
    return float(np.mean(second))


def _closed_form():
    lam = 1 - 1 / np.array(ch13_deep.MEMORIES, dtype=float)
    mem = pl.memory
    raw = (ch13_deep.WHITE_VARIANCE * mem.hidden_second_moment(lam, 0.0)
           + ch13_deep.CORRELATED_VARIANCE * mem.hidden_second_moment(lam, ch13_deep.RHO))
    return lam, raw, (1 - lam**2) * raw


def test_unit_activity_matches_a_simulation_and_passes():
    lam, raw, normalised = _closed_form()
    rng = np.random.default_rng(0)
    # the short memory T = 10 simulates quickly to a few per cent
    simulated = _simulated_activity(lam[0], 1.0, rng)
    assert abs(simulated / raw[0] - 1) < 0.05
    assert ch13_deep.check_unit_activity(raw, normalised)
    # with normalisation the white part contributes exactly its variance
    assert np.all(normalised > ch13_deep.WHITE_VARIANCE)


def test_unit_activity_names_the_mistakes():
    lam, raw, normalised = _closed_form()
    check = ch13_deep.check_unit_activity
    mem = pl.memory
    white = mem.hidden_second_moment(lam, 0.0)
    corr = mem.hidden_second_moment(lam, ch13_deep.RHO)
    fails(check, white + corr, normalised, words=("weighted",))
    fails(check, ch13_deep.WHITE_VARIANCE * white, normalised, words=("correlated",))
    fails(check, raw, np.sqrt(1 - lam**2) * raw, words=("gamma^2",))
    fails(check, raw, raw, words=("h2_normalised",))
    fails(check, raw[:2], normalised, words=("shape",))
    fails(check, -raw, normalised, words=("sign",))


def test_chrono_bias():
    T = ch13_deep.CHRONO_MEMORY
    tau = np.random.default_rng(3).uniform(T, 2 * T, 16)
    # invert 1 - sigmoid(b) = 1 - 1/tau by bisection, not by the closed form
    lo, hi = np.full(16, -20.0), np.full(16, 20.0)
    for _ in range(100):
        mid = (lo + hi) / 2
        too_open = 1 / (1 + np.exp(-mid)) > 1 / tau
        hi = np.where(too_open, mid, hi)
        lo = np.where(too_open, lo, mid)
    b_u = (lo + hi) / 2
    check = ch13_deep.check_chrono_bias
    assert check(tau, b_u)
    fails(check, tau, -np.log(tau), words=("tau - 1",))
    fails(check, tau, np.log(tau - 1), words=("sign",))
    fails(check, tau, b_u[:3], words=("shape",))
    fails(check, tau / 10, -np.log(tau / 10 - 1), words=("[t, 2t]",))
    fails(check, None, b_u, words=("none",))
    fails(check, ["a", "b"], b_u, words=("numbers",))
    fails(check, tau.reshape(4, 4), b_u.reshape(4, 4), words=("vector",))
