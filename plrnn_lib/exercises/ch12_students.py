"""Checks for the exercises of chapter 12 (teacher and student)."""
from __future__ import annotations

import numpy as np

from ..memory.layers import remapped_eigenvalue_matrix
from ..memory.students import head_mask, make_student
from ._feedback import ExerciseError, check_array, passed

__all__ = ["check_teacher_eigenvalues", "check_head_parameter_counts"]

#: The teacher of exercise ex-12-teacher-eigenvalues: size, memory and seed of A_0.
TEACHER_SIZE = 10
TEACHER_NU0 = 0.9
TEACHER_SEED = 12

#: The head counts of exercise ex-12-head-parameters (64 hidden units).
HEAD_COUNTS = (1, 2, 4, 8, 16, 32)
HEAD_UNITS = 64


def _matched_distance(answer, expected):
    """Largest distance after pairing each expected eigenvalue with its nearest unused
    answer (eigenvalues come in no fixed order, so they are compared as multisets)."""
    free = list(answer)
    worst = 0.0
    for value in expected:
        distances = np.abs(np.asarray(free) - value)
        i = int(np.argmin(distances))
        worst = max(worst, float(distances[i]))
        free.pop(i)
    return worst


def check_teacher_eigenvalues(lam):
    r"""Check the teacher's eigenvalues after the remapping of chapter 12, for
    :math:`A_0 \sim \mathcal N(0, 1/10)` drawn by ``np.random.default_rng(12)`` and
    :math:`\nu_0 = 0.9` (Zucchet and Orvieto, 2024, Fig. 3).

    Each eigenvalue :math:`l` of :math:`A_0` maps to
    :math:`\lambda = [\nu_0 + (1 - \nu_0)\tanh|l|]\, e^{i \arg l}`. The expected values are
    the eigenvalues of the matrix ``pl.memory.remapped_eigenvalue_matrix`` builds from the
    same draw, so the check does not reuse the formula; the order does not matter.

    Parameters
    ----------
    lam : array_like of complex, shape (10,)
        The student's remapped eigenvalues.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    if lam is None:
        raise ExerciseError("lam is None: did the cell assign your answer?")
    try:
        values = np.asarray(lam, dtype=complex)
    except (TypeError, ValueError):
        raise ExerciseError("lam could not be read as an array of (complex) numbers") from None
    n = TEACHER_SIZE
    if values.shape != (n,):
        raise ExerciseError(f"lam has shape {values.shape}, expected ({n},): one eigenvalue "
                            f"per hidden unit of the {n}-unit teacher")
    if not np.all(np.isfinite(values)):
        raise ExerciseError("lam contains NaN or inf")
    A = remapped_eigenvalue_matrix(n, TEACHER_NU0, rng=TEACHER_SEED)
    expected = np.linalg.eigvals(A)
    if _matched_distance(values, expected) < 1e-8:
        return passed(f"every modulus lies in [{TEACHER_NU0}, 1) and the phases of A_0's "
                      "eigenvalues are kept.")
    moduli = np.abs(values)
    if np.max(moduli) >= 1:
        raise ExerciseError("some |lambda| >= 1: tanh|l| must be scaled by (1 - nu0) before "
                            "nu0 is added, so that the moduli stay in [nu0, 1)")
    if np.min(moduli) < TEACHER_NU0 - 1e-12:
        raise ExerciseError(f"some |lambda| < nu0 = {TEACHER_NU0}: the remapped modulus is "
                            "nu0 + (1 - nu0) tanh|l|, at least nu0")
    if np.allclose(np.sort(moduli), np.sort(np.abs(expected)), atol=1e-8):
        if np.allclose(values.imag, 0):
            raise ExerciseError("the moduli are right but every lambda is real: multiply by "
                                "the phase exp(i arg l) of A_0's eigenvalue")
        raise ExerciseError("the moduli are right but the phases are not: keep arg l of "
                            "A_0's eigenvalue (np.angle), unchanged")
    raise ExerciseError(f"lam is off by up to {_matched_distance(values, expected):.3g} "
                        "(compared as a set): did you draw A_0 with "
                        f"np.random.default_rng({TEACHER_SEED}).normal(0, 1/sqrt({n}), "
                        f"({n}, {n})) and use tanh of the modulus |l|?")


def check_head_parameter_counts(counts):
    r"""Check the number of trained parameters of a 64-unit dense student with
    :math:`H = 1, 2, 4, 8, 16, 32` heads (Zucchet and Orvieto, 2024, Sec. 4).

    Each head is a dense :math:`64/H \times 64/H` block of :math:`A`, so :math:`A`
    contributes :math:`H (64/H)^2 = 64^2/H` entries; :math:`B` (64), :math:`C` (64) and
    :math:`D` (1) train as well. The expected counts are the number of True entries of
    ``pl.memory.head_mask``, counted here on a student.

    Parameters
    ----------
    counts : array_like, shape (6,)
        Trained parameters for 1, 2, 4, 8, 16, 32 heads, in that order.

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    student = make_student("rnn", 0.0, n_hidden=HEAD_UNITS, rng=0)
    expected = np.array([head_mask(student, h).sum() for h in HEAD_COUNTS], dtype=float)
    if counts is not None and np.shape(counts) == expected.shape:
        arr = np.asarray(counts, dtype=float)
        read_out = 2 * HEAD_UNITS + 1
        if np.allclose(arr, expected - read_out):
            raise ExerciseError("counts has only the entries of A: the input weights B (64), "
                                "the read-out C (64) and D (1) are trained too")
        if np.allclose(arr, expected[::-1]):
            raise ExerciseError("counts is in reverse order: give 1, 2, 4, ..., 32 heads")
        per_head = np.array([(HEAD_UNITS // h) ** 2 for h in HEAD_COUNTS]) + read_out
        if np.allclose(arr, per_head):
            raise ExerciseError("counts has one head's block only: A has H blocks of "
                                "(64/H)^2 entries each")
        if np.allclose(arr, HEAD_UNITS**2 + read_out):
            raise ExerciseError("counts is the same for every H: the entries of A outside "
                                "the heads' blocks stay zero and are not trained")
    check_array("counts", counts, expected, rtol=0, atol=0.5,
                what="trained parameters for 1, 2, 4, 8, 16, 32 heads")
    return passed(f"from {int(expected[0]):,} parameters with one head down to "
                  f"{int(expected[-1]):,} with 32.")
