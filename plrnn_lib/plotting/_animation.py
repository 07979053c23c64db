"""One renderer for the book's kernel-free animations (matplotlib's JavaScript player)."""
from __future__ import annotations

import contextlib


def render_jshtml(fig, draw_frame, n_frames, *, interval=400, dpi=90, default_mode="loop"):
    """Render ``draw_frame(i)`` for ``i < n_frames`` into an embedded JavaScript player.

    Returns an :class:`IPython.display.HTML` object whose ``.data`` is the player (wrapped in
    a ``div`` that records the frames' dpi as ``data-figure-dpi``), and closes ``fig``.  Frames are saved at ``dpi`` (``to_jshtml`` would otherwise use the book style's
    ``savefig.dpi``), with the figure's own fixed layout: ``savefig`` restores the layout
    engine from rcParams after every frame, which would switch the book style's constrained
    layout back on and make each later frame slower.  FuncAnimation's extra ``draw_idle``
    after each frame is a full second render on a non-interactive canvas, so it is skipped.
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation

    def frame(i):
        draw_frame(i)
        return []

    anim = FuncAnimation(fig, frame, frames=n_frames, interval=interval, blit=False)
    rc = {"savefig.dpi": dpi, "figure.constrained_layout.use": False}
    try:
        with mpl.rc_context(rc), _without_draw_idle(fig.canvas):
            html = anim.to_jshtml(fps=None, embed_frames=True, default_mode=default_mode)
    finally:
        plt.close(fig)
    # The frames' dpi lets the book's page script keep the figure's text legible on a phone
    # (book/reference/_static/book-fixes.js).
    return HTML(f'<div class="plrnn-animation" data-figure-dpi="{float(dpi):g}">{html}</div>')


@contextlib.contextmanager
def _without_draw_idle(canvas):
    original = canvas.draw_idle
    canvas.draw_idle = lambda *args, **kwargs: None
    try:
        yield
    finally:
        canvas.draw_idle = original
