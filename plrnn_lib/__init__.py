"""plrnn_lib: piecewise-linear RNNs, their cycles and bifurcations, and the curse of memory.

The companion library of the book *Bifurcations, loss jumps and the curse of memory in RNN
training*.  Its subpackages follow the book's parts:

- :mod:`plrnn_lib.models`: the PLRNN and shallow PLRNN (chapter 1);
"""
from .models import PLRNN, ShallowPLRNN, PiecewiseAffineModel

__version__ = "0.1.0"

__all__ = ["PLRNN", "ShallowPLRNN", "PiecewiseAffineModel"]
