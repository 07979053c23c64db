r"""Detect, locate and classify bifurcations of one cycle along a parameter path.

A cycle of a piecewise-affine map is pinned down by its region sequence
:math:`\Omega_1, \dots, \Omega_k`: for fixed regions the candidate first point solves
:math:`(I - P) z = c` with :math:`P = W_{\Omega_k} \cdots W_{\Omega_1}`, and it moves
continuously with the parameters as long as :math:`I - P` stays invertible.  So along a
path :math:`p \mapsto F_p` the cycle with a given region sequence can change in only a few
ways (Eisenmann et al., 2023, section 3):

* **border collision (BCB)**: a point of the candidate crosses a switching boundary, and the
  cycle turns from real to virtual (or back);
* **degenerate transcritical (DTB)**: a real eigenvalue of :math:`P` crosses :math:`+1`;
  :math:`I-P` is singular there and the cycle runs off to infinity;
* **degenerate flip**: a real eigenvalue crosses :math:`-1` (a continuum of :math:`2k`-cycles
  exists at the crossing);
* **Neimark–Sacker type**: a complex pair crosses the unit circle.

The functions here evaluate a region sequence at a parameter value, find the parameter where
its state changes by bisection, and name the change.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..cycles.keys import canonical_sequence, sequence_from_key  # noqa: F401 (re-exported)

#: Kind of a border-collision bifurcation (BCB): a point of the cycle crosses a switching
#: boundary and the cycle turns from real to virtual or back.
BORDER_COLLISION = "border collision"
#: Kind of a degenerate transcritical bifurcation (DTB): a real eigenvalue of P crosses +1.
DEGENERATE_TRANSCRITICAL = "degenerate transcritical"
#: Kind of a degenerate flip bifurcation: a real eigenvalue of P crosses -1.
DEGENERATE_FLIP = "degenerate flip"
#: Kind of a Neimark-Sacker type bifurcation: a complex pair of eigenvalues of P crosses the
#: unit circle.
NEIMARK_SACKER = "Neimark-Sacker"
#: All kinds, in the order above (the values :attr:`Bifurcation.kind` takes).
KINDS = (BORDER_COLLISION, DEGENERATE_TRANSCRITICAL, DEGENERATE_FLIP, NEIMARK_SACKER)


@dataclass
class SequenceState:
    """A region sequence evaluated at one parameter value."""

    real: bool              # every candidate point lies in its assumed region
    solvable: bool          # I - P is invertible
    eigenvalues: np.ndarray  # of the k-step Jacobian P
    jacobian: np.ndarray     # P
    points: np.ndarray | None = None

    @property
    def n_unstable(self) -> int:
        return int(np.sum(np.abs(self.eigenvalues) > 1.0))

    @property
    def determinant_signs(self):
        r"""Signs of :math:`\det(I - P)` and :math:`\det(I + P)` (0 when singular).

        :math:`\det(I - P) = \prod_i (1 - \lambda_i)`: a complex pair contributes
        :math:`|1 - \lambda|^2 > 0`, so the sign flips exactly when an odd number of real
        eigenvalues cross :math:`+1`; likewise :math:`\det(I + P)` for :math:`-1`.  Two real
        eigenvalues above 1 that merge into a complex pair change neither sign.
        """
        eye = np.eye(self.jacobian.shape[0])
        return (float(np.linalg.slogdet(eye - self.jacobian)[0]),
                float(np.linalg.slogdet(eye + self.jacobian)[0]))


def evaluate_sequence(model, regions) -> SequenceState:
    r"""Solve the candidate cycle of ``model`` for a region sequence and say whether it is real.

    .. math:: P = W_{\Omega_k}\cdots W_{\Omega_1},\quad
              c = \sum_{j=1}^{k} W_{\Omega_k}\cdots W_{\Omega_{j+1}} c_{\Omega_j},\quad
              (I - P) z_1 = c,\quad z_{j+1} = W_{\Omega_j} z_j + c_{\Omega_j}.

    Here :math:`W_{\Omega_j} = J(d_j)` and :math:`c_{\Omega_j} = c(d_j)` are the linear and
    constant parts of the map in the j-th region of ``regions`` (Eisenmann et al., 2023).  The
    candidate is *real* when every :math:`z_j` lies in its assumed region,
    :math:`[G z_j + g > 0] = d_j`, and *virtual* otherwise.  The solver and its rule for a
    numerically singular :math:`I - P` are those of the searches
    (:func:`~plrnn_lib.cycle_candidate`: a pivot of the LU factorisation at most
    :math:`10^{-12} \max(1, \max|I - P|)`), so a sweep's bisection and fill pass agree with
    :func:`~plrnn_lib.find_cycles` on every sequence; a singular state is neither solvable
    nor real and has no points.  A point exactly on a boundary counts as lying in the region
    ``G z + g <= 0`` (the convention of :meth:`~plrnn_lib.PiecewiseAffineModel.region`).
    """
    from ..cycles import cycle_candidate

    cand = cycle_candidate(model, regions)
    ev = np.linalg.eigvals(cand.jacobian)
    if cand.singular:
        return SequenceState(False, False, ev, cand.jacobian)
    return SequenceState(cand.is_real, True, ev, cand.jacobian, cand.points)


@dataclass
class Bifurcation:
    r"""A located bifurcation of one cycle.

    The cycle is the one with region sequence :math:`d_1, \dots, d_k`, the solution of
    :math:`(I - P(p))\, z_1 = c(p)` with :math:`P(p) = J_p(d_k) \cdots J_p(d_1)`, and
    ``kind`` names what happens to it at the parameter :math:`p^*` (Eisenmann et al., 2023):

    * border collision: a point :math:`z_j` crosses a switching boundary
      :math:`G_i z + g_i = 0`, so the cycle turns from real to virtual or back, with no
      eigenvalue of :math:`P` crossing the unit circle;
    * degenerate transcritical: a real eigenvalue of :math:`P` crosses :math:`+1`, so
      :math:`\det(I - P(p^*)) = 0` and the cycle runs off to infinity;
    * degenerate flip: a real eigenvalue of :math:`P` crosses :math:`-1`;
    * Neimark-Sacker: a complex pair of eigenvalues of :math:`P` crosses :math:`|\lambda| = 1`.

    :func:`classify` applies these criteria; :func:`locate` finds :math:`p^*` by bisection.

    Attributes
    ----------
    parameter : float or ndarray
        Where it happens, :math:`p^*`: the midpoint of the final bisection bracket (a number
        for a 1-D sweep, a point of the plane for a 2-D sweep).
    kind : str
        One of :data:`KINDS`.
    order : int
        Period of the cycle involved.
    regions : ndarray, shape (k, n_gates)
        Its region sequence.
    appears : bool or None
        True when the cycle exists past the bifurcation (in the direction of the sweep) and
        not before; False for the opposite; None when it exists on both sides.
    stable_before, stable_after : bool or None
        Stability on either side (None where it does not exist).
    bracket : float
        Width of the final bisection bracket (at most the sweep's tolerance).
    """

    parameter: object
    kind: str
    order: int
    regions: np.ndarray = field(repr=False)
    appears: bool | None
    stable_before: bool | None
    stable_after: bool | None
    bracket: float


def _signature(state: SequenceState):
    """What a sweep follows of a cycle: does it exist, and is it stable.  Virtual candidates
    are all alike, so changes of a virtual candidate's eigenvalues are not bifurcations."""
    return (state.real, state.real and state.n_unstable == 0)


def _bisect(family, regions, p_lo, p_hi, t_start, tol, max_iter):
    """First change of the signature on the path after ``t_start``: (Bifurcation or None, t_b)."""
    length = float(np.linalg.norm(p_hi - p_lo))

    def state_at(t):
        return evaluate_sequence(family(*(p_lo + t * (p_hi - p_lo))), regions)

    a, b = t_start, 1.0
    s_lo, s_hi = state_at(a), state_at(b)
    sig_lo = _signature(s_lo)
    if sig_lo == _signature(s_hi):
        return None, 1.0
    for _ in range(max_iter):
        if (b - a) * length <= tol:
            break
        mid = 0.5 * (a + b)
        s_mid = state_at(mid)
        if _signature(s_mid) == sig_lo:
            a, s_lo = mid, s_mid
        else:
            b, s_hi = mid, s_mid
    where = p_lo + 0.5 * (a + b) * (p_hi - p_lo)
    appears = None if (s_lo.real and s_hi.real) else bool(s_hi.real)
    event = Bifurcation(
        parameter=float(where[0]) if where.size == 1 else where,
        kind=classify(s_lo, s_hi), order=int(np.asarray(regions).shape[0]),
        regions=np.asarray(regions, dtype=bool), appears=appears,
        stable_before=(s_lo.n_unstable == 0) if s_lo.real else None,
        stable_after=(s_hi.n_unstable == 0) if s_hi.real else None,
        bracket=(b - a) * length,
    )
    return event, b


def _path_ends(p_lo, p_hi):
    return np.atleast_1d(np.asarray(p_lo, dtype=float)), np.atleast_1d(np.asarray(p_hi, dtype=float))


def locate(family, regions, p_lo, p_hi, tol=1e-7, max_iter=200):
    r"""Find, by bisection, the first bifurcation of one cycle between two parameter points.

    The path is :math:`p(t) = p_{lo} + t\,(p_{hi} - p_{lo})`, :math:`t \in [0, 1]`, and the
    state :math:`\sigma(t)` of the cycle with region sequence ``regions`` in ``family(p(t))``
    (see :func:`evaluate_sequence`) is whether it exists (its candidate is real) and, if so,
    whether it is stable (every eigenvalue of :math:`P` inside the unit circle); all virtual
    candidates share one state.  Bisection keeps a bracket :math:`[a, b]` with
    :math:`\sigma(a) = \sigma(0) \ne \sigma(b)`, halving it until
    :math:`(b - a)\,\lVert p_{hi} - p_{lo} \rVert \le` ``tol`` or after ``max_iter`` halvings;
    the bifurcation is placed at :math:`p((a + b)/2)` and named by :func:`classify` from the
    states at :math:`a` and :math:`b` (the bifurcations of Eisenmann et al., 2023).  When the
    state changes more than once along the path, the change found is one whose left side is
    in the state of :math:`p_{lo}`; :func:`locate_all` finds the others.

    Parameters
    ----------
    family : callable
        ``family(*p)`` returns the model at parameter point ``p``.
    regions : (k, n_gates) bool array
        The region sequence of the cycle.
    p_lo, p_hi : float or array_like
        Numbers (1-D) or points (2-D; the bisection runs along the segment between them).
    tol : float
        Largest width of the final bracket, in parameter units.
    max_iter : int
        Largest number of halvings.

    Returns
    -------
    Bifurcation or None
        None when both ends are in the same state (nothing happened to the cycle, or it
        changed and changed back; virtual at both ends counts as the same state).
    """
    p_lo, p_hi = _path_ends(p_lo, p_hi)
    return _bisect(family, regions, p_lo, p_hi, 0.0, tol, max_iter)[0]


def locate_all(family, regions, p_lo, p_hi, tol=1e-7, max_iter=200):
    r"""Every bifurcation of one cycle between two parameter points, in path order.

    Repeats :func:`locate` on the rest of the path after each bifurcation found, so a cycle
    that, say, loses stability in a degenerate flip and then disappears in a border collision
    within one step of a sweep yields both events (Eisenmann et al., 2023, for the kinds).
    Changes that undo each other between two bisection points, with the state at
    :math:`p_{hi}` equal to the state before them, cannot be seen and are not reported.

    Parameters
    ----------
    family, regions, p_lo, p_hi, tol, max_iter
        As for :func:`locate`.

    Returns
    -------
    list of Bifurcation
    """
    p_lo, p_hi = _path_ends(p_lo, p_hi)
    events, t = [], 0.0
    while t < 1.0:
        event, t = _bisect(family, regions, p_lo, p_hi, t, tol, max_iter)
        if event is None:
            break
        events.append(event)
    return events


def classify(before: SequenceState, after: SequenceState) -> str:
    r"""Name the change between two states of one region sequence on a small bracket.

    The eigenvalues of the k-step Jacobian :math:`P` move continuously with the parameters,
    so which of them crossed the unit circle inside the bracket shows in the signs of
    :math:`\det(I - P) = \prod_i (1 - \lambda_i)` and :math:`\det(I + P)` (see
    ``SequenceState.determinant_signs``).  The rules, in order of precedence, are
    (Eisenmann et al., 2023):

    1. :math:`I - P` singular at either end, or :math:`\operatorname{sign}\det(I - P)`
       changes: degenerate transcritical (a real eigenvalue crosses :math:`+1`; the candidate
       runs through infinity, so the cycle usually turns virtual);
    2. :math:`\operatorname{sign}\det(I + P)` changes: degenerate flip (a real eigenvalue
       crosses :math:`-1`);
    3. the number of eigenvalues with :math:`|\lambda| > 1` changes with neither sign
       changing: Neimark-Sacker (a complex pair crosses the unit circle);
    4. otherwise: border collision (the cycle turns real or virtual, with no eigenvalue
       crossing the unit circle).

    Returns
    -------
    str
        One of :data:`KINDS`.
    """
    if not before.solvable or not after.solvable:
        return DEGENERATE_TRANSCRITICAL
    (minus_b, plus_b), (minus_a, plus_a) = before.determinant_signs, after.determinant_signs
    if minus_b != minus_a:
        return DEGENERATE_TRANSCRITICAL
    if plus_b != plus_a:
        return DEGENERATE_FLIP
    if before.n_unstable != after.n_unstable:
        return NEIMARK_SACKER
    return BORDER_COLLISION
