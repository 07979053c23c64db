"""Argument checks specific to the curse-of-memory module (complex eigenvalues, correlations).

The general helpers of :mod:`plrnn_lib._checks` reject complex arrays on purpose; a
recurrent eigenvalue may be complex here, so it gets its own converter.
"""
from __future__ import annotations

import numpy as np


def as_lambda(name, value, allow_complex=True):
    """Return ``value`` as a float64 or complex128 array with every modulus below one."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be an array of numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        if not allow_complex:
            raise TypeError(f"{name} must be real, got complex values")
        arr = arr.astype(np.complex128)
    else:
        arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (found NaN or inf)")
    if np.any(np.abs(arr) >= 1.0):
        raise ValueError(f"{name} must have modulus < 1 (a stable recurrence), "
                         f"got max |{name}| = {np.max(np.abs(arr)):.6g}")
    return arr


def as_correlation(name, value):
    """Return ``value`` as a float64 array with entries in [-1, 1]."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be a real number or array, got {type(value).__name__}")
    arr = np.asarray(value)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number)):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got complex values")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (found NaN or inf)")
    if np.any(np.abs(arr) > 1.0):
        raise ValueError(f"{name} must lie in [-1, 1], got {arr[np.abs(arr) > 1.0].ravel()[0]:.6g}")
    return arr
