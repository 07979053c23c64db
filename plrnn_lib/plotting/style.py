"""One figure style for the whole book.

Every chapter calls :func:`use_book_style` once, and draws stable and unstable objects,
virtual cycles and region shading with the colours defined here, so a reader learns the
visual code once: filled blue for stable, open red for unstable, grey for virtual.
"""
from __future__ import annotations

import matplotlib as mpl

#: Colours with a meaning that stays fixed across chapters.
COLORS = {
    "stable": "#1f5fa8",      # blue: stable fixed points and cycles
    "unstable": "#c0392b",    # red: unstable (repelling or saddle) objects
    "virtual": "#8c8c8c",     # grey: virtual cycles (candidates outside their regions)
    "orbit": "#2c3e50",       # dark slate: simulated trajectories
    "boundary": "#222222",    # switching boundaries
    "accent": "#e67e22",      # orange: the current parameter value, the current step
    "data": "#16a085",        # green: observed data
}

#: Light fills for shading linear regions; region r uses REGION_FILLS[r % len].
REGION_FILLS = ["#e8f1fb", "#fdf0e6", "#eaf7ee", "#f6eaf7", "#fbf8e3", "#e9f4f6", "#f7e9ea", "#efefef"]

#: Figure sizes in inches (at 100 dpi, 100 px per inch). The book's text column is about
#: 760 px wide on a laptop (1366 px screen) and 360 px on a phone (390 px screen); a figure
#: wider than the column is shrunk to fit, and its text with it. At these sizes and the font
#: sizes of ``BOOK_RC``, tick labels stay at 10 px or more on a phone for "single" and
#: "square" figures; a "wide" one (time series) is shrunk to about 45 % there, so keep its text
#: to axis labels, ticks and a short legend (checked on the screenshots that
#: tests/test_browser.py saves in _build/screenshots).
FIGSIZE = {"single": (5.0, 4.0), "wide": (8.0, 3.4), "square": (4.6, 4.6), "tall": (5.6, 6.6)}

#: The matplotlib settings applied by :func:`use_book_style`.
BOOK_RC = {
    "figure.figsize": FIGSIZE["single"],
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.constrained_layout.use": True,
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "legend.fontsize": 10,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "lines.linewidth": 1.6,
    "lines.markersize": 6,
    "image.cmap": "viridis",
    "animation.embed_limit": 40.0,  # MB; kernel-free animations are embedded in the HTML
}


def use_book_style():
    """Apply the book's matplotlib settings (call once at the top of a chapter).

    Updates ``matplotlib.rcParams`` with ``plrnn_lib.plotting.style.BOOK_RC``: figure size
    ``FIGSIZE["single"]``, constrained layout, font sizes legible at laptop and phone widths,
    no top/right spines, and a 40 MB limit for the ``to_jshtml`` animations embedded in the
    HTML book.
    """
    mpl.rcParams.update(BOOK_RC)


def stability_color(stable: bool) -> str:
    """Colour for a stable (True) or unstable (False) object."""
    return COLORS["stable"] if stable else COLORS["unstable"]


def stability_marker(stable: bool) -> dict:
    """Marker keywords: filled for stable objects, open for unstable ones."""
    color = stability_color(stable)
    return dict(marker="o", markeredgecolor=color, markerfacecolor=color if stable else "white",
                markeredgewidth=1.6, linestyle="none")
