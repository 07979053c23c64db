"""Models from the papers, ready to use."""
from __future__ import annotations

from .plrnn import PLRNN

#: Parameters of the 2-D toy PLRNN of Eisenmann et al. (2023, Fig. 2): ``A`` (diagonal),
#: ``W`` and ``h``.  The model has an unstable fixed point and two 16-cycles, one of them stable.
TOY_PLRNN_PARAMETERS = {
    "A": (0.83777, 0.96461),
    "W": ((0.0, -0.64375), (0.52505, 0.0)),
    "h": (0.37298, -0.97931),
}


def toy_plrnn():
    r"""The 2-D toy PLRNN of Eisenmann et al. (2023), whose bifurcations the book follows.

    .. math:: A = \mathrm{diag}(0.83777, 0.96461),\quad
              W = \begin{pmatrix} 0 & -0.64375 \\ 0.52505 & 0 \end{pmatrix},\quad
              h = (0.37298, -0.97931).

    Returns
    -------
    PLRNN
    """
    return PLRNN(**TOY_PLRNN_PARAMETERS)
