"""Argument validation shared by the public API.

Every public function converts its array arguments through these helpers, so a bad shape,
a non-numeric value or a NaN is reported with the argument's name before it can reach a
numba kernel or LAPACK (whose tracebacks say nothing useful to a reader).
"""
from __future__ import annotations

import numbers

import numpy as np


def as_float_array(name, value, ndim=None, shape=None, allow_none=False, finite=True):
    """Return ``value`` as a C-contiguous float64 array, or raise a clear error.

    Parameters
    ----------
    name : str
        The argument's name as the user wrote it, used in the error message.
    value : array_like
    ndim : int or tuple of int, optional
        Accepted numbers of dimensions.
    shape : tuple, optional
        Expected shape; ``None`` entries match any length.
    allow_none : bool
        Return ``None`` for ``None`` instead of raising.
    finite : bool
        Reject NaN and infinite entries.
    """
    if value is None:
        if allow_none:
            return None
        raise TypeError(f"{name} must be an array of numbers, got None")
    if isinstance(value, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got complex values")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if shape is not None:
        if len(shape) != arr.ndim or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            parts = ["any" if s is None else str(s) for s in shape]
            pretty = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
            raise ValueError(f"{name} must have shape {pretty}, got {arr.shape}")
    if finite and arr.size and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (found NaN or inf)")
    return arr


def as_region(name, value, length):
    """Return a region code (a sign pattern) as a bool array of the given length.

    Accepts bools or the numbers 0 and 1.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of {length} bools or 0/1 values")
    arr = np.asarray(value)
    if arr.dtype == object or not (arr.dtype == bool or np.issubdtype(arr.dtype, np.number)):
        raise TypeError(f"{name} must be a sequence of bools or 0/1 values, got dtype {arr.dtype}")
    if arr.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},), got {arr.shape}")
    if arr.dtype != bool:
        if not np.all((arr == 0) | (arr == 1)):
            raise ValueError(f"{name} must contain only 0 and 1 (or bools)")
        arr = arr.astype(bool)
    return np.ascontiguousarray(arr)


def as_int(name, value, minimum=None, maximum=None):
    """Return ``value`` as a Python int within bounds, or raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def as_bool(name, value):
    """Return ``value`` as a Python bool, or raise a TypeError naming the argument."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return bool(value)


def as_real(name, value, minimum=None, maximum=None):
    """Return ``value`` as a finite Python float within bounds, or raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def is_seed(rng):
    """Whether ``rng`` is an integer seed (a ValueError when it is a negative one)."""
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        return False
    if rng < 0:
        raise ValueError(f"rng must be a non-negative integer seed, got {rng}")
    return True


def as_rng(rng):
    """Return a ``numpy.random.Generator`` from None, a seed, or a Generator."""
    if rng is None or isinstance(rng, (numbers.Integral, np.random.SeedSequence)):
        if isinstance(rng, bool):
            raise TypeError("rng must be None, an integer seed or a numpy.random.Generator")
        is_seed(rng)
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(f"rng must be None, an integer seed or a numpy.random.Generator, got {type(rng).__name__}")


def as_range(name, value):
    """Return ``value`` as a pair of finite floats ``(low, high)`` with ``low <= high``."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high) of real numbers, got {value!r}")
    low, high = as_real(f"{name}[0]", value[0]), as_real(f"{name}[1]", value[1])
    if low > high:
        raise ValueError(f"{name} must be (low, high) with low <= high, got {tuple(value)}")
    return low, high
