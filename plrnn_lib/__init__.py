"""plrnn_lib: piecewise-linear RNNs, their cycles and bifurcations, and the curse of memory.

The companion library of the book *Bifurcations, loss jumps and the curse of memory in RNN
training*.  Its subpackages follow the book's parts:

- :mod:`plrnn_lib.models`: the PLRNN and shallow PLRNN (chapter 1);
- :mod:`plrnn_lib.cycles`: fixed points and cycles, SCYFI (chapters 2-4);
- :mod:`plrnn_lib.bifurcations`: parameter sweeps, bifurcations located and classified (chapter 5);
- :mod:`plrnn_lib.plotting`: the book's figure style, phase portraits and widgets.
"""
from .models import PLRNN, ShallowPLRNN, PiecewiseAffineModel, toy_plrnn
from . import bifurcations, cycles, plotting
from .cycles import (Cycle, CycleCandidate, CycleSet, cycle_candidate, exhaustive_cycles,
                     find_cycles, trace_scyfi)
from .bifurcations import ParameterFamily, orbit_diagram, sweep, sweep_grid
from .bifurcations.chaos import (attractor_labels, lyapunov_exponents, lyapunov_sweep,
                                 robust_chaos_interval, skew_tent_map)

__version__ = "0.1.0"

__all__ = ["PLRNN", "ShallowPLRNN", "PiecewiseAffineModel", "toy_plrnn",
           "Cycle", "CycleCandidate", "CycleSet", "cycle_candidate", "exhaustive_cycles",
           "find_cycles", "trace_scyfi",
           "ParameterFamily", "orbit_diagram", "sweep", "sweep_grid",
           "lyapunov_exponents", "lyapunov_sweep", "attractor_labels", "skew_tent_map",
           "robust_chaos_interval"]
