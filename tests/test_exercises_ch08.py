"""The checks of chapter 8's coding exercises pass on the solutions and name the mistakes."""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.exercises import (ExerciseError, check_forced_jacobian_norms,
                                 check_gtf_threshold)
from plrnn_lib.training import alpha_threshold, forced_jacobian_norms

TOY = pl.toy_plrnn()
A, W = np.diag(TOY.params()["A"]), np.array(TOY.params()["W"])


def test_threshold_check_passes_on_the_library_value():
    assert check_gtf_threshold(alpha_threshold(TOY))


@pytest.mark.parametrize("wrong, words", [
    (1 / (np.linalg.norm(A, 2) + np.linalg.norm(W, 2)), "1/r"),
    (1 - 1 / (np.linalg.norm(A, "fro") + np.linalg.norm(W, "fro")), "Frobenius"),
    (1 - 1 / np.linalg.norm(A + W, 2), "every region"),
    (np.array([0.4, 0.4]), "single number"),
    (-alpha_threshold(TOY), "lies in \\[0, 1\\)"),
])
def test_threshold_check_names_the_mistake(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_gtf_threshold(wrong)


def test_forced_norm_check():
    X = TOY.simulate([0.4, -0.3], 30)
    alpha = 0.3
    good = forced_jacobian_norms(TOY, X[None], alpha)[0]
    assert check_forced_jacobian_norms(good, X, alpha)
    raw = good / (1 - alpha)
    with pytest.raises(ExerciseError, match="1 - alpha"):
        check_forced_jacobian_norms(raw, X, alpha)
    with pytest.raises(ExerciseError, match="drop the first"):
        check_forced_jacobian_norms(np.r_[raw[0], good], X, alpha)
    with pytest.raises(ExerciseError, match="shape"):
        check_forced_jacobian_norms(good[:, None].T, X, alpha)
    with pytest.raises(ExerciseError, match="off by"):
        check_forced_jacobian_norms(good * 1.01, X, alpha)
