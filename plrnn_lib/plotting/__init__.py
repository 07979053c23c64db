"""Figures shared by the chapters: the book's style, phase portraits, widgets."""
from .style import COLORS, FIGSIZE, REGION_FILLS, stability_color, stability_marker, use_book_style
from .phase import draw_orbit, draw_regions, draw_vector_field, region_codes_on_grid

__all__ = ["COLORS", "FIGSIZE", "REGION_FILLS", "stability_color", "stability_marker",
           "use_book_style", "draw_orbit", "draw_regions", "draw_vector_field",
           "region_codes_on_grid"]
from .widgets import (PARAMETERS, PLRNNExplorer, draw_phase_portrait, get_parameter,
                      label_region_matrices, plrnn_explorer, set_parameter, sweep_animation,
                      sweep_frames)

__all__ += ["PARAMETERS", "PLRNNExplorer", "draw_phase_portrait", "get_parameter",
            "label_region_matrices", "plrnn_explorer", "set_parameter", "sweep_animation",
            "sweep_frames"]
from .bifurcation_views import (KIND_STYLES, BifurcationExplorer, bifurcation_animation,
                                bifurcation_explorer, draw_sweep_frame, frame_indices,
                                plot_bifurcation_diagram, plot_cobweb, plot_manifolds,
                                plot_phase_cycles)

__all__ += ["KIND_STYLES", "BifurcationExplorer", "bifurcation_animation", "bifurcation_explorer",
            "draw_sweep_frame", "frame_indices", "plot_bifurcation_diagram", "plot_cobweb",
            "plot_manifolds", "plot_phase_cycles"]
from .scyfi_views import (ScyfiStepper, draw_cycles, draw_scyfi_step, scyfi_animation,
                          scyfi_stepper)

__all__ += ["ScyfiStepper", "draw_cycles", "draw_scyfi_step", "scyfi_animation", "scyfi_stepper"]
