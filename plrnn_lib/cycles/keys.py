r"""Region codes and cycle keys: the one place that turns sign patterns into integers.

A linear region of a PLRNN or shallow PLRNN is a sign pattern :math:`d \in \{0, 1\}^H`,
:math:`d = [G z + g > 0]`; its *code* reads the pattern as a binary number with the first
gate as the lowest bit,

.. math:: n(d) = \sum_{m=0}^{H-1} d_m\, 2^m ,

so the region (1, 0) of a 2-D PLRNN has code 1 (Eisenmann et al., 2023, number regions the
same way).  A cycle is one object whichever of its points a search meets first, so its *key*
is the sequence of codes rotated to the lexicographically smallest rotation.  Searches,
sweeps, plots and result types all build codes and keys here.
"""
from __future__ import annotations

import numpy as np

#: Gates up to this count give codes that fit a signed 64-bit integer.
MAX_INT64_GATES = 62


def region_codes(regions):
    r"""The codes :math:`n(d) = \sum_m d_m 2^m` of the sign patterns in the last axis.

    ``regions`` (..., n_gates) of bools (or 0/1) gives an integer array of shape (...):
    int64 up to ``MAX_INT64_GATES`` gates, Python integers (an object array) beyond, so a
    code is exact for any number of gates (Eisenmann et al., 2023, for the numbering).
    """
    bits = np.asarray(regions).astype(bool)
    n_gates = bits.shape[-1]
    if n_gates <= MAX_INT64_GATES:
        weights = np.left_shift(np.int64(1), np.arange(n_gates, dtype=np.int64))
        return (bits * weights).sum(axis=-1, dtype=np.int64)
    weights = np.array([1 << m for m in range(n_gates)], dtype=object)
    return (bits.astype(object) * weights).sum(axis=-1)


def region_code(d) -> int:
    r"""The code :math:`n(d) = \sum_m d_m 2^m` of one sign pattern, as a Python int."""
    return int(region_codes(np.asarray(d)[None, :])[0])


def regions_from_codes(codes, n_gates):
    r"""The sign patterns of integer codes: row r has :math:`d_m = \lfloor n_r / 2^m \rfloor
    \bmod 2` for :math:`m < ` ``n_gates`` (the inverse of :func:`region_codes`;
    Eisenmann et al., 2023, for the numbering)."""
    if n_gates <= MAX_INT64_GATES:
        codes = np.atleast_1d(np.asarray(codes, dtype=np.int64))
        out = np.empty((codes.shape[0], n_gates), dtype=bool)
        for m in range(n_gates):            # a column at a time: no (n, n_gates) int64 temporary
            out[:, m] = (codes >> m) & 1
        return out
    codes = [int(c) for c in np.atleast_1d(np.asarray(codes, dtype=object))]
    return np.array([[(c >> m) & 1 for m in range(n_gates)] for c in codes],
                    dtype=bool).reshape(len(codes), n_gates)


def code_order(regions):
    """Indices that sort the rows of ``regions`` (n, n_gates) by their code, for any n_gates.

    The last gate is the most significant bit, so this is a lexicographic sort with the last
    column as the primary key (no integer is formed, so nothing overflows).
    """
    bits = np.asarray(regions, dtype=bool)
    return np.lexsort(bits.T) if bits.shape[1] else np.arange(bits.shape[0])


def canonical_sequence(regions) -> tuple:
    r"""A hashable key for a cycle: its region codes, rotated to the smallest rotation.

    ``regions`` is a (k, n_gates) bool array :math:`d_1, \dots, d_k`.  With the codes
    :math:`n(d)` of :func:`region_codes`, the key is the lexicographically smallest rotation

    .. math:: \min_{0 \le r < k}\, \bigl(n(d_{1+r}), \dots, n(d_{k+r})\bigr)
              \quad (\text{indices mod } k),

    followed by ``n_gates``.  The key is the same for every cyclic shift, so a cycle found
    from a different starting point gets the same key: as in SCYFI, a cycle is one object
    whichever of its points a search starts from (Eisenmann et al., 2023).
    """
    regions = np.asarray(regions, dtype=bool)
    codes = tuple(int(c) for c in region_codes(regions))
    k = len(codes)
    return min(codes[i:] + codes[:i] for i in range(k)) + (regions.shape[1],)


def sequence_from_key(key) -> np.ndarray:
    r"""The region sequence (k, n_gates) of a key of :func:`canonical_sequence`.

    Returns the smallest rotation :math:`d_1, \dots, d_k` with
    :math:`d_{j,m} = \lfloor n_j / 2^m \rfloor \bmod 2` (Eisenmann et al., 2023).
    """
    return regions_from_codes(key[:-1], key[-1])
