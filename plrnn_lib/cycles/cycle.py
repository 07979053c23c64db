"""Result types of the cycle searches: :class:`Cycle`, :class:`CycleSet`, :class:`CycleCandidate`."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._search import same_point
from .keys import region_codes


def stability_label(eigenvalues):
    """'stable' if all |λ| < 1, 'unstable' if all |λ| > 1, 'non-hyperbolic' if some |λ| is
    exactly 1 (as computed: the linearisation decides nothing there), otherwise 'saddle'."""
    mods = np.abs(eigenvalues)
    if np.all(mods < 1.0):
        return "stable"
    if np.all(mods > 1.0):
        return "unstable"
    if np.any(mods == 1.0):
        return "non-hyperbolic"
    return "saddle"


class Cycle:
    r"""A fixed point (order 1) or a k-cycle of a piecewise-affine map.

    The points satisfy ``points[(j + 1) % k] == F(points[j])`` and ``points[j]`` lies in the
    region ``regions[j]``.  Its stability follows from the k-step Jacobian

    .. math:: P = J(d_k) \cdots J(d_1), \qquad J(d) = A + W\,\mathrm{diag}(d)\,G,

    whose eigenvalues are the cycle's multipliers (Eisenmann et al., 2023, sec. 3).

    Attributes
    ----------
    order : int
        The minimal period k.
    points : ndarray, shape (k, M)
    regions : ndarray of bool, shape (k, n_gates)
        The region sequence: ``regions[j] = [G points[j] + g > 0]``.
    jacobian : ndarray, shape (M, M)
        The k-step Jacobian P (starting at ``points[0]``).
    eigenvalues : ndarray, shape (M,)
        Eigenvalues of P, sorted by decreasing modulus.
    stable : bool
        All ``|λ| < 1``.
    stability : str
        'stable' (all ``|λ| < 1``), 'unstable' (all ``|λ| > 1``), 'non-hyperbolic' (some
        ``|λ|`` exactly 1) or 'saddle' (the rest).
    eigenvalue_kind : str
        'real' when every eigenvalue is real, else 'complex' (a rotation: spiralling).
    found_after : int or None
        Number of region sequences the search had evaluated when it found this cycle.
    """

    def __init__(self, points, regions, jacobian, found_after=None):
        self.points = np.asarray(points, dtype=float)
        self.regions = np.asarray(regions, dtype=bool)
        self.jacobian = np.asarray(jacobian, dtype=float)
        eig = np.linalg.eigvals(self.jacobian)
        self.eigenvalues = eig[np.argsort(-np.abs(eig), kind="stable")]
        self.found_after = None if found_after is None else int(found_after)
        for arr in (self.points, self.regions, self.jacobian, self.eigenvalues):
            arr.setflags(write=False)

    @property
    def order(self) -> int:
        """The minimal period k (1 for a fixed point)."""
        return self.points.shape[0]

    @property
    def stable(self) -> bool:
        """True when every eigenvalue of the k-step Jacobian P has modulus below 1."""
        return bool(np.all(np.abs(self.eigenvalues) < 1.0))

    @property
    def stability(self) -> str:
        """'stable' (all ``|λ| < 1``), 'unstable' (all ``|λ| > 1``), 'non-hyperbolic' (some
        ``|λ|`` exactly 1) or 'saddle' (some above 1, some below, none equal to 1)."""
        return stability_label(self.eigenvalues)

    @property
    def eigenvalue_kind(self) -> str:
        """'real' when every eigenvalue of P is real, else 'complex' (a rotation: spiralling)."""
        scale = 1.0 + np.max(np.abs(self.eigenvalues))
        return "real" if np.all(np.abs(self.eigenvalues.imag) <= 1e-12 * scale) else "complex"

    @property
    def spectral_radius(self) -> float:
        r"""Largest eigenvalue modulus of P, :math:`\max_i |\lambda_i|`."""
        return float(np.max(np.abs(self.eigenvalues)))

    @property
    def region_codes(self) -> tuple:
        """The region sequence as integers.

        Bit m of a code is ``d_m``; see ``plrnn_lib.cycles.keys``.
        """
        return tuple(int(c) for c in region_codes(self.regions))

    def same_as(self, other, point_tol=1e-7) -> bool:
        """True when ``other`` has the same order and the same points up to a cyclic shift.

        Points are compared as in the searches: ``max|x - y| <= point_tol * (1 + max(|x|,
        |y|))`` entrywise over the whole cycle.  The default is looser than the searches'
        (1e-9): it compares results of different computations (another search, another
        parameter value).
        """
        if not isinstance(other, Cycle) or other.order != self.order \
                or other.points.shape != self.points.shape:
            return False
        mine = self.points.ravel()
        return any(same_point(mine, np.roll(other.points, -shift, axis=0).ravel(), point_tol)
                   for shift in range(self.order))

    def __repr__(self):
        rho = self.spectral_radius
        if self.order == 1:
            what = "fixed point"
        else:
            what = f"{self.order}-cycle"
        return (f"<Cycle: {self.stability} {what}, {self.eigenvalue_kind} eigenvalues, "
                f"max|λ|={rho:.4g}, regions={self.region_codes}>")


class CycleSet(Sequence):
    r"""The cycles a search returned: a read-only sequence of :class:`Cycle`, ordered by order.

    Each entry is a fixed point or k-cycle :math:`z_1, \dots, z_k` with
    :math:`z_{j+1} = F(z_j)` (indices mod k) and minimal period k; the searches put each cycle
    in once, whichever of its points they met first.  :attr:`stable` keeps the cycles whose
    k-step Jacobian :math:`P = J(d_k) \cdots J(d_1)` has :math:`\max_i |\lambda_i| < 1`
    (a property, as :attr:`Cycle.stable` is).
    The counters measure a search's cost as SCYFI's scaling experiments do, in region
    sequences evaluated, against the :math:`(2^M)^k` sequences of order k that an exhaustive
    search of a PLRNN would solve (Eisenmann et al., 2023).

    Attributes
    ----------
    evaluated : dict
        Order -> number of region sequences evaluated (candidate cycles solved).
    singular : dict
        Order -> number of region sequences whose ``I - P`` was numerically singular.
    """

    def __init__(self, cycles=(), evaluated=None, singular=None):
        self._cycles = tuple(sorted(cycles, key=lambda c: c.order))
        self.evaluated = dict(evaluated or {})
        self.singular = dict(singular or {})

    def __getitem__(self, i):
        if isinstance(i, slice):
            return CycleSet(self._cycles[i])
        return self._cycles[i]

    def __len__(self):
        return len(self._cycles)

    def of_order(self, k) -> "CycleSet":
        """The cycles of minimal period ``k``."""
        return CycleSet([c for c in self._cycles if c.order == k],
                        {k: self.evaluated[k]} if k in self.evaluated else None,
                        {k: self.singular[k]} if k in self.singular else None)

    @property
    def stable(self) -> "CycleSet":
        """The stable cycles (all multipliers inside the unit circle), as a CycleSet.

        A property, like :attr:`Cycle.stable`: ``cs.stable`` holds the cycles ``c`` of
        ``cs`` with ``c.stable``.
        """
        return CycleSet([c for c in self._cycles if c.stable])

    @property
    def orders(self) -> tuple:
        """The distinct orders present, ascending."""
        return tuple(sorted({c.order for c in self._cycles}))

    def counts(self) -> dict:
        """Order -> number of cycles of that order."""
        return {k: sum(c.order == k for c in self._cycles) for k in self.orders}

    def __repr__(self):
        if not self._cycles:
            return "CycleSet(empty)"
        parts = []
        for k in self.orders:
            cs = [c for c in self._cycles if c.order == k]
            n_stable = sum(c.stable for c in cs)
            name = "fixed points" if k == 1 else f"{k}-cycles"
            parts.append(f"{len(cs)} {name} ({n_stable} stable)")
        return "CycleSet(" + ", ".join(parts) + ")"


@dataclass(frozen=True)
class CycleCandidate:
    r"""The candidate cycle of an assumed region sequence ``d_1..d_k``.

    It solves :math:`(I - P) z_1 = c` with :math:`P = J(d_k) \cdots J(d_1)` and continues
    :math:`z_{j+1} = J(d_j) z_j + c(d_j)`.  It is *real* when every ``points[j]`` lies in its
    assumed region, otherwise *virtual* (Eisenmann et al., 2023, sec. 3).

    Attributes
    ----------
    assumed : ndarray of bool, (k, n_gates)
    points : ndarray, (k, M)
        NaN when ``singular``.
    actual : ndarray of bool, (k, n_gates)
        The regions the points really lie in (all False when ``singular``).
    jacobian, offset : ndarray
        P (M, M) and c (M,).
    singular : bool
        ``I - P`` is numerically singular (no isolated solution).
    is_real : bool
        ``actual == assumed`` (a real cycle, possibly of lower minimal period).
    """

    assumed: np.ndarray
    points: np.ndarray
    actual: np.ndarray
    jacobian: np.ndarray
    offset: np.ndarray
    singular: bool
    is_real: bool

    @property
    def is_virtual(self) -> bool:
        """True when the candidate is neither singular nor real (a virtual cycle)."""
        return not self.singular and not self.is_real

    @property
    def mismatched(self) -> np.ndarray:
        """(k,) bool: which points lie outside their assumed region."""
        return np.any(self.actual != self.assumed, axis=1)
