"""Checks for the exercises of chapter 3 (SCYFI)."""
from __future__ import annotations

import numpy as np

from ..models.examples import TOY_PLRNN_PARAMETERS
from ._feedback import ExerciseError, check_array, passed

__all__ = ["check_scyfi_path"]

#: Where the search of exercise ex-03-scyfi-path starts.
SCYFI_PATH_START = (0, 0)


def _scyfi_path(start, max_steps=10):
    """Region of the candidate -> next region, until a candidate lies in its own region."""
    A = np.diag(TOY_PLRNN_PARAMETERS["A"])
    W = np.array(TOY_PLRNN_PARAMETERS["W"])
    h = np.array(TOY_PLRNN_PARAMETERS["h"])
    d = np.array(start, dtype=bool)
    path = [d]
    for _ in range(max_steps):
        z = np.linalg.solve(np.eye(2) - A - W * d[None, :], h)
        nxt = z > 0
        if np.array_equal(nxt, d):
            return np.array(path)
        d = nxt
        path.append(d)
    raise RuntimeError("no self-consistent region within max_steps")  # pragma: no cover


def check_scyfi_path(path):
    r"""Check the regions SCYFI visits on the toy model when it looks for a fixed point from
    region :math:`(0, 0)` (chapter 3; Eisenmann et al., 2023, Algorithm 1 with :math:`k = 1`).

    In region :math:`d` the candidate is :math:`z = (I - W_\Omega)^{-1} h`; when it lies in
    another region :math:`d' = (z > 0)`, SCYFI jumps there. The path ends with the first region
    whose candidate lies in that region (the real fixed point). The expected path is
    recomputed from the toy model's published parameters.

    Parameters
    ----------
    path : array_like of bool or 0/1, shape (n, 2)
        The regions visited, the start region first and the region of the real fixed point
        last (each region once).

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    expected = _scyfi_path(SCYFI_PATH_START).astype(float)
    if path is not None and not isinstance(path, (str, bytes, dict, set)):
        try:
            arr = np.asarray(path, dtype=float)
        except (TypeError, ValueError):
            arr = None
        if arr is not None and arr.ndim == 2 and arr.shape[1] == 2:
            if not np.all((arr == 0) | (arr == 1)):
                raise ExerciseError("path should hold regions, 0/1 or False/True per unit "
                                    "(d_m = 1 when z_m > 0), not the candidate points")
            if not np.array_equal(arr[0], expected[0]):
                raise ExerciseError(f"path should start in region {SCYFI_PATH_START}, "
                                    f"it starts in {tuple(int(v) for v in arr[0])}")
            if np.array_equal(arr, expected[::-1]):
                raise ExerciseError("path is in reverse order: start region first")
            if arr.shape[0] > expected.shape[0] and np.array_equal(
                    arr[:expected.shape[0]], expected):
                raise ExerciseError("path goes on after the real fixed point: stop when the "
                                    "candidate lies in the region it was computed for (list "
                                    "that region once)")
            if arr.shape[0] < expected.shape[0] and np.array_equal(
                    arr, expected[:arr.shape[0]]):
                raise ExerciseError(f"path stops after {arr.shape[0]} regions, but the "
                                    "candidate of its last region is virtual: jump to the "
                                    "region where that candidate lies and go on")
    check_array("path", path, expected, rtol=0, atol=0, what="the regions visited")
    return passed("SCYFI reaches the real fixed point of region (1, 1) in two jumps.")
