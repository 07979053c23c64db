"""The one check of axis limits that every figure function of the book uses."""
from __future__ import annotations

from .._checks import as_float_array


def as_limits(name, lim):
    """Axis limits ``(low, high)`` as floats with ``low < high``, or an error naming ``name``."""
    arr = as_float_array(name, lim, shape=(2,))
    if not arr[0] < arr[1]:
        raise ValueError(f"{name} must be (low, high) with low < high, got ({arr[0]}, {arr[1]})")
    return float(arr[0]), float(arr[1])
