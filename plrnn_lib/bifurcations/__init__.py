"""Part II of the book, chapter 5: bifurcation sweeps and their classification."""
from .events import (BIFURCATION_KINDS, BORDER_COLLISION, CENTRE, DEGENERATE_FLIP,
                     DEGENERATE_TRANSCRITICAL, KINDS, NEIMARK_SACKER, PERSISTENCE, Bifurcation,
                     canonical_sequence, classify, evaluate_sequence, local_type, locate,
                     locate_all, mark_persistence)
from .chaos import (attractor_labels, lyapunov_exponents, lyapunov_sweep,
                    robust_chaos_interval, skew_tent_map)
from .families import ParameterFamily
from .sweep import GridSweep, Sweep, orbit_diagram, sweep, sweep_grid

__all__ = ["BORDER_COLLISION", "DEGENERATE_FLIP", "DEGENERATE_TRANSCRITICAL", "NEIMARK_SACKER",
           "CENTRE", "PERSISTENCE", "BIFURCATION_KINDS", "KINDS", "Bifurcation",
           "ParameterFamily", "Sweep", "GridSweep", "sweep", "sweep_grid", "orbit_diagram",
           "canonical_sequence", "classify", "local_type", "mark_persistence",
           "evaluate_sequence", "locate", "locate_all", "lyapunov_exponents", "lyapunov_sweep",
           "attractor_labels", "skew_tent_map", "robust_chaos_interval"]
