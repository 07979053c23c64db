"""Part II of the book, chapter 5: bifurcation sweeps and their classification."""
from .events import (BORDER_COLLISION, DEGENERATE_FLIP, DEGENERATE_TRANSCRITICAL, KINDS,
                     NEIMARK_SACKER, Bifurcation, canonical_sequence, classify, evaluate_sequence,
                     locate, locate_all)
from .families import ParameterFamily
from .sweep import GridSweep, Sweep, orbit_diagram, sweep, sweep_grid

__all__ = ["BORDER_COLLISION", "DEGENERATE_FLIP", "DEGENERATE_TRANSCRITICAL", "NEIMARK_SACKER",
           "KINDS", "Bifurcation", "ParameterFamily", "Sweep", "GridSweep", "sweep", "sweep_grid",
           "orbit_diagram", "canonical_sequence", "classify", "evaluate_sequence", "locate",
           "locate_all"]
