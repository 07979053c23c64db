"""Chapter 5's widget as a student meets it: a readable slider label, ticks that do not
run together."""
import numpy as np

import plrnn_lib as pl
from plrnn_lib.bifurcations import ParameterFamily
from plrnn_lib.plotting.bifurcation_views import plain_label


def test_tex_parameter_names_become_plain_text():
    assert plain_label(r"$\Delta a_{11}$") == "Δa₁₁"
    assert plain_label(r"$w_{21}$") == "w₂₁"
    assert plain_label(r"$\delta_R$") == "δ_R"          # no Unicode subscript R: kept readable
    assert plain_label("p") == "p" and plain_label("$$") == "p"


def test_slider_shows_the_plain_name_in_full_and_the_diagram_few_ticks():
    import matplotlib.pyplot as plt

    family = ParameterFamily(pl.toy_plrnn(), ("A", (0, 0)))
    result = pl.sweep(family, np.linspace(-0.05, 0.03, 9), 2, rng=0, n_jobs=1,
                      progress=False)
    explorer = pl.plotting.bifurcation_explorer(family, result, start=0.0,
                                                parameter_name=r"$\Delta a_{11}$")
    assert explorer.slider.description == "Δa₁₁"
    assert explorer.slider.style.description_width == "initial"   # not cut off
    fig, ax = plt.subplots(figsize=(4.5, 4.0))
    pl.plotting.plot_bifurcation_diagram(ax, result)
    fig.canvas.draw()
    ticks = [t for t in ax.get_xticks() if result.values[0] <= t <= result.values[-1]]
    assert 3 <= len(ticks) <= 6
    boxes = [lab.get_window_extent() for lab in ax.get_xticklabels() if lab.get_text()]
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))     # labels do not overlap
    plt.close("all")
