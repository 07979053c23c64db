"""The part every live widget of the book shares: a figure redrawn into an Output widget."""
from __future__ import annotations


class LiveFigure:
    """Base of the live widgets.

    A subclass builds ``self.output`` (an ``ipywidgets.Output``) and ``self.box`` (the whole
    panel) and implements :meth:`draw`; :meth:`redraw` replaces the shown figure.  The old
    figure is closed first, so moving a slider many times does not pile up figures, and
    ``plt.show()`` inside the Output is what makes the inline backend display it.
    """

    figure = None

    def draw(self):
        """Draw the current state on a new figure and return it."""
        raise NotImplementedError

    def redraw(self, change=None):
        """Replace the figure in ``output`` and return it (also the widgets' callback)."""
        import matplotlib.pyplot as plt

        if self.figure is not None:
            plt.close(self.figure)
        with self.output:
            self.output.clear_output(wait=True)
            self.figure = self.draw()
            plt.show()
        return self.figure

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)
