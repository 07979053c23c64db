r"""numba hashing for the cycle search: one 64-bit mixer, the random stream, the visited set.

SCYFI (Eisenmann et al., 2023) here remembers every region sequence it has tried for an
order, up to cyclic shifts (a shifted sequence has the shifted candidate).  A sequence
:math:`d_1, \dots, d_k` is stored as a 64-bit hash that is the same for all its rotations:
with row hashes :math:`x_j` and the polynomial
:math:`p_r = \sum_{j=0}^{k-1} x_{(r+j) \bmod k}\, B^{k-1-j} \bmod 2^{64}` of rotation r,
the hash is a mix of :math:`\min_r p_r` (the rotations' polynomials are the same set for
every shift of the sequence).  Sequences that are not shifts of each other collide with
probability about :math:`k^2 2^{-64}`.  Short sequences (k H <= 64 bits) are hashed
exactly, as the least rotation of their packed bits.  The hashes live in an
open-addressing table of uint64 (0 marks an empty slot, so a hash is never 0).
"""
import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# the polynomial's base: odd, so multiplying by it is a bijection modulo 2**64
_BASE = np.uint64(0xD6E8FEB86659FD93)


@njit(cache=True)
def mix64(x):
    """The SplitMix64 finaliser (Steele et al., 2014): a bijective 64-bit mix."""
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def next_u64(state):
    """SplitMix64: advance ``state[0]`` (a one-element uint64 array) and return 64 bits.

    A plain-Python replica (benchmarks/scyfi.py, tests) draws exactly the same numbers.
    """
    state[0] += _GOLDEN
    return mix64(state[0])


@njit(cache=True)
def row_hash(d):
    """A 64-bit hash of one region (a row of bools), 64 gates per mixing round."""
    n = d.shape[0]
    h = np.uint64(n)
    for start in range(0, n, 64):
        word = np.uint64(0)
        for i in range(start, min(start + 64, n)):
            word |= np.uint64(d[i]) << np.uint64(i - start)   # no branch on a random bit
        h = mix64((h ^ word) + _GOLDEN)
    return h


@njit(cache=True, inline="always")
def sequence_hash(D, rows):
    """A nonzero 64-bit hash of the region sequence D (k, H), equal for all cyclic shifts.

    ``rows`` (k,) uint64 is scratch.  When the k H bits fit one word (k H <= 64) the hash is
    a mix of the least rotation of the packed bits: exact, no two classes collide.  Beyond,
    the polynomial construction of the module.
    """
    k, H = D.shape
    if k * H <= 64:
        return _packed_hash(D)
    p = np.uint64(0)
    top = np.uint64(1)                       # B**(k-1)
    for j in range(k):
        rows[j] = row_hash(D[j])
        p = p * _BASE + rows[j]
        if j > 0:
            top *= _BASE
    least = p
    for r in range(k - 1):                   # rotate left by one: drop row r, append it
        p = (p - rows[r] * top) * _BASE + rows[r]
        if p < least:
            least = p
    h = mix64(least ^ (np.uint64(k) * _GOLDEN))
    return h if h != np.uint64(0) else np.uint64(1)


@njit(cache=True)
def low_bits(n_bits):
    """A uint64 with the lowest ``n_bits`` (1..64) set."""
    if n_bits >= 64:
        return np.uint64(0xFFFFFFFFFFFFFFFF)
    return (np.uint64(1) << np.uint64(n_bits)) - np.uint64(1)


@njit(cache=True, inline="always")
def _packed_hash(D):
    """sequence_hash for k H <= 64: row j occupies bits j H .. j H + H - 1 of one word."""
    k, H = D.shape
    word = np.uint64(0)
    for j in range(k):
        for h in range(H):
            word |= np.uint64(D[j, h]) << np.uint64(j * H + h)   # no branch on a random bit
    return packed_sequence_hash(word, k, H)


@njit(cache=True, inline="always")
def packed_sequence_hash(word, k, H):
    """The hash of a sequence of k regions of H gates packed into one word (k H <= 64): a
    mix of its least rotation (a rotation by one row rotates the k H low bits by H)."""
    n_bits = k * H
    mask = low_bits(n_bits)
    least = word
    for _ in range(k - 1):
        word = ((word >> np.uint64(H)) | (word << np.uint64(n_bits - H))) & mask
        if word < least:
            least = word
    h = mix64(least + _GOLDEN)
    return h if h != np.uint64(0) else np.uint64(1)


@njit(cache=True, inline="always")
def _slot(table, h):
    """The slot of the open-addressing ``table`` that holds h, or the empty one (0) where
    it would go (linear probing; the table is never full)."""
    mask = np.uint64(table.shape[0] - 1)
    i = h & mask
    while table[i] != h and table[i] != np.uint64(0):
        i = (i + np.uint64(1)) & mask
    return i


@njit(cache=True, inline="always")
def set_contains(table, h):
    """Whether the hash h (nonzero) is in the open-addressing set ``table``."""
    return table[_slot(table, h)] == h


@njit(cache=True, inline="always")
def set_insert(table, h):
    """Insert the hash h (nonzero) into ``table``; True when it was not there yet."""
    i = _slot(table, h)
    if table[i] == h:
        return False
    table[i] = h
    return True


@njit(cache=True)
def set_grown(table):
    """The set rehashed into a table twice the size."""
    new = np.zeros(2 * table.shape[0], dtype=np.uint64)
    for i in range(table.shape[0]):
        if table[i] != np.uint64(0):
            set_insert(new, table[i])
    return new
