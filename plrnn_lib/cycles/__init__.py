"""Part I of the book: fixed points and cycles (chapters 2-4).

- :func:`find_cycles`: SCYFI (Eisenmann et al., 2023), one numba engine for the PLRNN and
  the shallow PLRNN;
- :func:`exhaustive_cycles`: the brute-force search over every region sequence;
- :func:`cycle_candidate`: the (real or virtual) candidate cycle of a region sequence;
- :func:`trace_scyfi`: SCYFI step by step, for teaching;
- :mod:`~plrnn_lib.cycles.scaling`: random models in a chosen regime and SCYFI's cost (chapter 4).
"""
from .cycle import Cycle, CycleCandidate, CycleSet
from .exhaustive import MAX_SEQUENCES, exhaustive_cycles
from .regions import all_regions, realisable_regions, sampled_regions
from .scaling import (contractive_model, last_found_after, mean_max_eigenvalue, regime_model,
                      regions_until_found, rotating_model)
from .scyfi import cycle_candidate, default_inner_loops, default_outer_loops, find_cycles
from .trace import ScyfiTrace, TraceStep, trace_scyfi

__all__ = ["Cycle", "CycleCandidate", "CycleSet", "MAX_SEQUENCES", "exhaustive_cycles",
           "all_regions", "realisable_regions", "sampled_regions", "cycle_candidate",
           "default_inner_loops", "default_outer_loops", "find_cycles", "ScyfiTrace",
           "TraceStep", "trace_scyfi", "contractive_model", "mean_max_eigenvalue",
           "regime_model", "regions_until_found", "rotating_model", "last_found_after"]
