"""plrnn_lib: piecewise-linear RNNs, their cycles and bifurcations, and the curse of memory.

The companion library of the book *Bifurcations, loss jumps and the curse of memory in RNN
training*.  Its subpackages follow the book's parts:

- :mod:`plrnn_lib.models`: the PLRNN and shallow PLRNN (chapter 1);
- :mod:`plrnn_lib.cycles`: fixed points and cycles, SCYFI (chapters 2-4);
- :mod:`plrnn_lib.bifurcations`: parameter sweeps, bifurcations located and classified (chapter 5);
- :mod:`plrnn_lib.memory`: the curse of memory: signal propagation in one unit, loss
  landscapes, linear recurrent layers (chapters 10-11);
- :mod:`plrnn_lib.parallel`: one runner for grids of independent runs (local cores or dask);
- :mod:`plrnn_lib.plotting`: the book's figure style, phase portraits and widgets (imported
  on first use, so ``import plrnn_lib`` does not load matplotlib).
"""
from .models import PLRNN, ShallowPLRNN, PiecewiseAffineModel, toy_plrnn
from . import bifurcations, cycles, memory, parallel
from .cycles import (Cycle, CycleCandidate, CycleSet, cycle_candidate, exhaustive_cycles,
                     find_cycles, trace_scyfi)
from .bifurcations import GridSweep, ParameterFamily, Sweep, orbit_diagram, sweep, sweep_grid
from .parallel import run_tasks

__version__ = "0.1.0"

__all__ = ["PLRNN", "ShallowPLRNN", "PiecewiseAffineModel", "toy_plrnn",
           "Cycle", "CycleCandidate", "CycleSet", "cycle_candidate", "exhaustive_cycles",
           "find_cycles", "trace_scyfi",
           "GridSweep", "ParameterFamily", "Sweep", "orbit_diagram", "sweep", "sweep_grid",
           "parallel", "run_tasks"]

# Subpackages loaded on first use: pl.plotting needs matplotlib, which a script that only
# computes (or a worker process of a sweep) should not pay for.
_LAZY_SUBPACKAGES = ("plotting", "exercises")


def __getattr__(name):
    if name in _LAZY_SUBPACKAGES:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_SUBPACKAGES))
