"""Feedback a student can act on: what is wrong with an answer, and by how much.

Every ``check_...`` function of :mod:`plrnn_lib.exercises` compares an answer with a value
computed independently and raises :class:`ExerciseError` (an ``AssertionError``, so nbgrader
and pytest count it as a failed check) with a message that names the mistake: a wrong type
or shape, a transposed matrix, a flipped sign, a missing factor, or the size of the error.
"""
from __future__ import annotations

import numbers

import numpy as np


class ExerciseError(AssertionError):
    r"""An answer that is not right yet; the message says what is wrong and how far off.

    An answer :math:`a` is accepted when :math:`|a - e| \le \mathrm{atol} +
    \mathrm{rtol}\,|e|` entrywise for the independently computed :math:`e`. The exercises
    reproduce results of Eisenmann et al. (2023) and Zucchet and Orvieto (2024); being an
    ``AssertionError``, the error counts as a failed test in pytest and nbgrader.
    """


def passed(message: str) -> bool:
    """Print a short confirmation and return True (the last line of every check)."""
    print(f"Correct: {message}")
    return True


def require_answer(name, answer):
    """Refuse what a stub leaves (None) and text, in words, before any arithmetic."""
    if answer is None:
        raise ExerciseError(f"{name} is None: did the cell return or assign your answer?")
    if isinstance(answer, (str, bytes, dict, set)):
        raise ExerciseError(f"{name} should be numbers, got a {type(answer).__name__}")
    return answer


def _as_array(name, answer):
    require_answer(name, answer)
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseError(f"{name} could not be read as an array of numbers "
                            f"(got {type(answer).__name__})") from None
    return arr


def check_number(name, answer, expected, *, rtol=1e-6, atol=1e-9, what="", hints=None):
    """Compare a scalar answer with ``expected``; raise :class:`ExerciseError` when off.

    ``hints``, when given, maps a wrong (finite, scalar) answer to extra hints about the
    exercise's typical mistakes, added after the generic ones (wrong sign, a factor).
    """
    if answer is None:
        raise ExerciseError(f"{name} is None: did the cell return or assign your answer?")
    if isinstance(answer, (bool, np.bool_, str, bytes)) or not isinstance(
            answer, (numbers.Real, np.generic)) and np.ndim(answer) != 0:
        raise ExerciseError(f"{name} should be a single number, got "
                            f"{type(answer).__name__} of shape {np.shape(answer)}")
    value = float(np.asarray(answer, dtype=float))
    if not np.isfinite(value):
        raise ExerciseError(f"{name} is {value}: an overflow or a division by zero?")
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return value
    extra, hints = hints, []
    if expected != 0 and np.isclose(value, -expected, rtol=rtol, atol=atol):
        hints.append("it has the wrong sign")
    elif expected != 0 and value != 0:
        ratio = value / expected
        for factor, words in ((2, "twice"), (0.5, "half"), (np.pi, "pi times"),
                              (1 / np.pi, "1/pi times")):
            if np.isclose(ratio, factor, rtol=1e-3):
                hints.append(f"it is {words} the expected value: a missing or extra factor?")
    if extra is not None:
        hints += list(extra(value))
    detail = f" ({what})" if what else ""
    rel = abs(value - expected) / max(abs(expected), atol)
    raise ExerciseError(f"{name}{detail} is {value:.6g}, expected {expected:.6g} "
                        f"(relative error {rel:.2g})" + ("; " + "; ".join(hints) if hints else ""))


def check_array(name, answer, expected, *, rtol=1e-6, atol=1e-9, what=""):
    """Compare an array answer with ``expected``: shape first, then the usual mistakes
    (transposed, sign flipped, rows or entries permuted), then the size of the error."""
    expected = np.asarray(expected, dtype=float)
    arr = _as_array(name, answer)
    detail = f" ({what})" if what else ""
    if arr.shape != expected.shape:
        hint = ""
        if arr.ndim == 2 and arr.T.shape == expected.shape:
            hint = " (transposed?)"
        elif arr.size == expected.size:
            hint = f" (the right number of entries: reshape to {expected.shape}?)"
        raise ExerciseError(f"{name}{detail} has shape {arr.shape}, expected "
                            f"{expected.shape}{hint}")
    if not np.all(np.isfinite(arr)):
        raise ExerciseError(f"{name}{detail} contains NaN or inf")
    if np.allclose(arr, expected, rtol=rtol, atol=atol):
        return arr
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] \
            and np.allclose(arr.T, expected, rtol=rtol, atol=atol):
        raise ExerciseError(f"{name}{detail} is the transpose of the answer: rows and columns "
                            "are swapped")
    if np.any(expected != 0) and np.allclose(arr, -expected, rtol=rtol, atol=atol):
        raise ExerciseError(f"{name}{detail} has the wrong sign everywhere")
    if np.allclose(np.sort(arr, axis=None), np.sort(expected, axis=None), rtol=rtol, atol=atol):
        raise ExerciseError(f"{name}{detail} has the right entries in the wrong places "
                            "(an ordering or indexing mistake?)")
    err = np.abs(arr - expected)
    worst = np.unravel_index(np.argmax(err), err.shape)
    scale = max(float(np.max(np.abs(expected))), atol)
    raise ExerciseError(f"{name}{detail} is off by up to {err[worst]:.3g} (at index "
                        f"{tuple(int(i) for i in worst)}: {arr[worst]:.6g} instead of "
                        f"{expected[worst]:.6g}; relative to the largest entry "
                        f"{err[worst] / scale:.2g})")
