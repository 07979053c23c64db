r"""Interactive phase portraits of a 2-D PLRNN: a live widget and a kernel-free animation.

Both show the same picture, the phase portrait of

.. math:: z_t = A z_{t-1} + W\,\mathrm{relu}(z_{t-1}) + h, \qquad z \in \mathbb{R}^2,

with its four linear regions shaded, each labelled with its matrix
:math:`W_\Omega = A + W D_\Omega` (Durstewitz, 2017; Eisenmann et al., 2023, eq. 2), the
switching boundaries :math:`z_1 = 0` and :math:`z_2 = 0`, and one orbit.

- :func:`plrnn_explorer` builds an ipywidgets panel with sliders for the entries of ``A``,
  ``W`` and ``h`` and for the initial state; it needs a running kernel (Jupyter, Binder,
  Colab).
- :func:`sweep_animation` sweeps one parameter over a few values and renders the frames as
  a JavaScript animation (:meth:`matplotlib.animation.Animation.to_jshtml`), which keeps
  working in the static HTML book.

Parameters are named by matrix entry with 1-based indices, as in the text: ``"a11"``,
``"a22"`` (also ``"a12"``, ``"a21"`` for a full ``A``), ``"w11"``, ``"w12"``, ``"w21"``,
``"w22"``, ``"h1"``, ``"h2"``.
"""
from __future__ import annotations

import numpy as np

from .._checks import as_float_array, as_int, as_real
from ..models.plrnn import PLRNN
from ._animation import render_jshtml
from ._limits import as_limits as _limits
from ._live import LiveFigure
from .phase import draw_orbit, draw_regions, region_codes_on_grid
from .style import COLORS, FIGSIZE

#: Parameter names understood by :func:`get_parameter` and :func:`set_parameter`.
PARAMETERS = ("a11", "a12", "a21", "a22", "w11", "w12", "w21", "w22", "h1", "h2")

#: The parameters that get a slider in :func:`plrnn_explorer` by default.
DEFAULT_SLIDERS = ("a11", "a22", "w11", "w12", "w21", "w22", "h1", "h2")

#: Default slider ranges by the parameter's first letter (widened to contain the model's value).
SLIDER_RANGES = {"a": (-1.2, 1.2), "w": (-1.5, 1.5), "h": (-2.0, 2.0)}

#: Default slider steps by the first letter (``"z"``: the initial state): a few hundred
#: positions per slider, fine enough to stop just before or after a border collision.
SLIDER_STEPS = {"a": 0.005, "w": 0.01, "h": 0.01, "z": 0.05}

#: The narrowest a slider group gets in the panel (CSS). Groups share a row when the notebook
#: is wide enough and stack otherwise; at this width a slider's track is about 300 px, so
#: one pixel of drag moves ``a11`` by less than 0.01 (with the description and the readout,
#: a 280 px slider had a track of about 100 px: 80 px of drag spanned all of ``a11``).
SLIDER_GROUP_MIN_WIDTH = "420px"


# -- argument checks ----------------------------------------------------------------------------
def _require_plrnn_2d(model):
    if not isinstance(model, PLRNN):
        raise TypeError(f"model must be a plrnn_lib.PLRNN, got {type(model).__name__}")
    if model.M != 2:
        raise ValueError(f"model must have M = 2 latent states, got M = {model.M}")
    if model.K:
        raise ValueError("model must have no external inputs (C is None) for a phase portrait")


def _parameter_name(name, argname="parameter"):
    if not isinstance(name, str):
        raise TypeError(f"{argname} must be a string such as 'a11' or 'h2', got {type(name).__name__}")
    key = name.strip().lower()
    if key not in PARAMETERS:
        raise ValueError(f"{argname} must be one of {', '.join(PARAMETERS)}; got {name!r}")
    return key


def _index(key):
    """(matrix letter, row, column) of a parameter name; h entries get column -1."""
    if key[0] == "h":
        return "h", int(key[1]) - 1, -1
    return key[0], int(key[1]) - 1, int(key[2]) - 1


# -- parameters by name -------------------------------------------------------------------------
def get_parameter(model, name):
    """Return one entry of a 2-D PLRNN's ``A``, ``W`` or ``h`` by name.

    The value is read from ``model.params()``, the models' parameter protocol; an
    off-diagonal entry of an ``A`` given as a diagonal (shape ``(2,)``) is 0.

    Parameters
    ----------
    model : PLRNN
        A PLRNN with ``M = 2``.
    name : str
        ``"a11"``, ``"a12"``, ``"a21"``, ``"a22"``, ``"w11"``, ... , ``"h1"``, ``"h2"``
        (1-based indices: ``"w12"`` is :math:`W_{12}`, the weight from unit 2 to unit 1).

    Returns
    -------
    float
    """
    _require_plrnn_2d(model)
    letter, i, j = _index(_parameter_name(name, "name"))
    params = model.params()
    if letter == "h":
        return float(params["h"][i])
    if letter == "w":
        return float(params["W"][i, j])
    A = params["A"]
    if A.ndim == 1:
        return float(A[i]) if i == j else 0.0
    return float(A[i, j])


def _with_entries(model, values):
    """``model.replace(...)`` with the named entries (name -> float) set, others kept."""
    params = {key: np.array(value) for key, value in model.params().items()}
    for key, value in values.items():
        letter, i, j = _index(key)
        if letter == "h":
            params["h"][i] = value
        elif letter == "w":
            params["W"][i, j] = value
        elif params["A"].ndim == 1 and i == j:
            params["A"][i] = value          # a diagonal A stays a diagonal
        else:
            if params["A"].ndim == 1:       # an off-diagonal entry makes A a full matrix
                params["A"] = np.diag(params["A"])
            params["A"][i, j] = value
    changed = {key[0].upper() if key[0] != "h" else "h" for key in values}
    return model.replace(**{k: params[k] for k in changed})


def set_parameter(model, name, value):
    """Return a copy of a 2-D PLRNN with one entry of ``A``, ``W`` or ``h`` replaced.

    Goes through the models' parameter protocol: the new model is
    ``model.replace(A=...)`` (or ``W=``, ``h=``) with the other parameters kept.  Setting
    an off-diagonal entry of an ``A`` given as a diagonal turns ``A`` into a full matrix.

    Parameters
    ----------
    model : PLRNN
        A PLRNN with ``M = 2``; it is not modified.
    name : str
        Parameter name, see :data:`PARAMETERS`.
    value : float

    Returns
    -------
    PLRNN
    """
    _require_plrnn_2d(model)
    key = _parameter_name(name, "name")
    return _with_entries(model, {key: as_real("value", value)})


# -- the picture --------------------------------------------------------------------------------
def format_matrix(J, digits=2):
    """Two-line text of a 2 x 2 matrix, ``[ a  b ]`` over ``[ c  d ]``, for region labels."""
    J = as_float_array("J", J, shape=(2, 2))
    digits = as_int("digits", digits, minimum=0, maximum=8)
    cells = [[f"{x:.{digits}f}" for x in row] for row in J]
    width = max(len(c) for row in cells for c in row)
    return "\n".join("[" + " ".join(c.rjust(width) for c in row) + "]" for row in cells)


def label_region_matrices(ax, model, xlim, ylim, digits=2, n=100, fontsize=9):
    r"""Write each visible region's sign pattern ``d`` and matrix :math:`W_\Omega` into it.

    The PLRNN's regions are the quadrants, so each label goes into the corner of the view
    that lies deepest in its quadrant (top right for ``d = (1, 1)``, bottom left for
    ``d = (0, 0)``, ...), away from the switching boundaries where orbits tend to pass.
    Regions covering less than 2 % of the view are left unlabelled.

    Returns
    -------
    dict
        Maps each labelled region (a tuple of 0/1) to its :math:`W_\Omega`.
    """
    _require_plrnn_2d(model)
    xlim, ylim = _limits("xlim", xlim), _limits("ylim", ylim)
    _, _, codes = region_codes_on_grid(model, xlim, ylim, n)
    labelled = {}
    for c in np.unique(codes):
        if (codes == c).sum() < 0.02 * codes.size:
            continue
        d = tuple(int((int(c) >> k) & 1) for k in range(model.M))
        J = model.region_matrix(d)
        labelled[d] = J
        text = f"d = ({d[0]},{d[1]})\n$W_\\Omega$ =\n" + format_matrix(J, digits)
        ax.text(0.97 if d[0] else 0.03, 0.97 if d[1] else 0.03, text, transform=ax.transAxes,
                ha="right" if d[0] else "left", va="top" if d[1] else "bottom",
                fontsize=fontsize, family="monospace", color="#444444", zorder=2,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="none", alpha=0.6))
    return labelled


def draw_phase_portrait(model, z0, n_steps=200, xlim=(-1.0, 3.0), ylim=(-3.5, 1.5), *, ax=None,
                        matrices=True, digits=2, title=None):
    r"""Phase portrait of a 2-D PLRNN: shaded regions, :math:`W_\Omega` labels, one orbit.

    Draws the four linear regions of :math:`z_t = A z_{t-1} + W \mathrm{relu}(z_{t-1}) + h`
    (Eisenmann et al., 2023, eq. 2), the switching boundaries ``z_1 = 0`` and ``z_2 = 0``,
    and the orbit ``z_0, ..., z_{n_steps}`` from ``model.simulate(z0, n_steps)`` (dark
    points joined by thin lines; ``z_0`` is the larger orange dot).

    Parameters
    ----------
    model : PLRNN
        A PLRNN with ``M = 2`` and no inputs.
    z0 : array_like, shape (2,)
        Initial state, marked in the accent colour.
    n_steps : int
        Number of steps of the orbit (>= 1).
    xlim, ylim : (float, float)
        The view.
    ax : matplotlib.axes.Axes, optional
        Draw here; a new figure is made when omitted.
    matrices : bool
        Label each region with its sign pattern and :math:`W_\Omega`.
    digits : int
        Decimals of the matrix entries in the labels.
    title : str, optional

    Returns
    -------
    ax : matplotlib.axes.Axes
    traj : ndarray, shape (n_steps + 1, 2)
        The orbit drawn (row 0 is ``z0``).
    """
    _require_plrnn_2d(model)
    z0 = as_float_array("z0", z0, shape=(2,))
    n_steps = as_int("n_steps", n_steps, minimum=1)
    xlim, ylim = _limits("xlim", xlim), _limits("ylim", ylim)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=FIGSIZE["square"])
    # a coarse grid suffices: the boundaries themselves are drawn as exact lines
    draw_regions(ax, model, xlim, ylim, label=False, n=100)
    if matrices:
        label_region_matrices(ax, model, xlim, ylim, digits=digits, n=100)
    traj = draw_orbit(ax, model, z0, n_steps)
    ax.plot(*z0, "o", color=COLORS["accent"], ms=7, zorder=4)
    with np.errstate(invalid="ignore", over="ignore"):
        escaped = not np.all(np.isfinite(traj)) or np.abs(traj).max() > 1e6
    if escaped:
        # top centre: the region labels take the corners (label_region_matrices)
        ax.text(0.5, 0.98, "orbit diverges", transform=ax.transAxes, ha="center", va="top",
                color=COLORS["unstable"], fontsize=9, zorder=5,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="none", alpha=0.85))
    if title is not None:
        ax.set_title(title)
    return ax, traj


# -- the live widget ----------------------------------------------------------------------------
class PLRNNExplorer(LiveFigure):
    """A live phase portrait of a 2-D PLRNN driven by ipywidgets sliders.

    Build it with :func:`plrnn_explorer`.  Display it as the last expression of a cell (or
    with ``display(explorer.box)``).  Moving a slider redraws the portrait (sliders use
    ``continuous_update=False``, so the redraw happens when the slider is released).  The
    slider groups (``A``, ``W``, ``h``, initial state) sit in a grid above the figure, side by
    side when the notebook is wide enough, each at least :data:`SLIDER_GROUP_MIN_WIDTH` wide.
    Parameters are read and set through the models' protocol (``params()`` and
    ``replace()``), so the explorer works for a PLRNN with a diagonal or a full ``A``.

    Attributes
    ----------
    sliders : dict
        Parameter name -> ``FloatSlider`` (plus ``"z0_1"``, ``"z0_2"`` for the initial state).
    output : ipywidgets.Output
        Where the figure is shown.
    controls : ipywidgets.GridBox
        The slider groups.
    box : ipywidgets.VBox
        The whole panel: the controls above the output.
    figure : matplotlib Figure or None
        The figure of the last redraw.
    """

    def __init__(self, model, z0, n_steps, xlim, ylim, parameters, steps):
        import ipywidgets as widgets

        self._base = model
        self.n_steps = n_steps
        self.xlim, self.ylim = xlim, ylim
        self.sliders = {}
        # the slider fills its group's width; the description takes a fixed 3.5em
        layout = dict(width="auto", min_width="0")
        style = {"description_width": "3.5em"}
        for name in parameters:
            value = get_parameter(model, name)
            lo, hi = SLIDER_RANGES[name[0]]
            lo, hi = min(lo, np.floor(value)), max(hi, np.ceil(value))
            step = steps[name[0]]
            self.sliders[name] = widgets.FloatSlider(
                value=value, min=lo, max=hi, step=step, description=name,
                continuous_update=False, readout_format=_readout_format(step),
                layout=widgets.Layout(**layout), style=style)
        for k, lim in ((1, xlim), (2, ylim)):
            step = steps["z"]
            self.sliders[f"z0_{k}"] = widgets.FloatSlider(
                value=float(z0[k - 1]), min=lim[0], max=lim[1], step=step,
                description=f"z0_{k}", continuous_update=False,
                readout_format=_readout_format(step), layout=widgets.Layout(**layout),
                style=style)
        for s in self.sliders.values():
            s.observe(self.redraw, names="value")
        self.output = widgets.Output()
        groups = []
        a_label = "A" if {"a12", "a21"} & set(parameters) else "A (diagonal)"
        for letter, label in (("a", a_label), ("w", "W"), ("h", "h"), ("z", "initial state")):
            members = [s for n, s in self.sliders.items() if n[0] == letter]
            if members:
                groups.append(widgets.VBox([widgets.HTML(f"<b>{label}</b>")] + members,
                                           layout=widgets.Layout(width="auto")))
        # groups side by side when there is room, each at least SLIDER_GROUP_MIN_WIDTH wide
        self.controls = widgets.GridBox(groups, layout=widgets.Layout(
            width="100%", grid_gap="4px 24px",
            grid_template_columns=f"repeat(auto-fill, minmax({SLIDER_GROUP_MIN_WIDTH}, 1fr))"))
        self.box = widgets.VBox([self.controls, self.output])
        self.redraw()

    def current_model(self):
        """The PLRNN with the sliders' current values (one ``replace`` of the base model)."""
        return _with_entries(self._base, {name: s.value for name, s in self.sliders.items()
                                          if not name.startswith("z0")})

    def current_z0(self):
        """The initial state set by the sliders, shape (2,)."""
        return np.array([self.sliders["z0_1"].value, self.sliders["z0_2"].value])

    def draw(self):
        """Draw the portrait for the current slider values on a new figure and return it."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=FIGSIZE["square"])
        draw_phase_portrait(self.current_model(), self.current_z0(), self.n_steps,
                            self.xlim, self.ylim, ax=ax)
        return fig


def _readout_format(step):
    """Enough decimals to show every position of a slider with this step."""
    decimals = max(0, int(np.ceil(-np.log10(step) - 1e-9)))
    return f".{decimals}f"


def plrnn_explorer(model, z0=(0.5, -1.0), n_steps=200, xlim=(-1.0, 3.0), ylim=(-3.5, 1.5), *,
                   parameters=DEFAULT_SLIDERS, step=None):
    r"""A live widget: sliders for a 2-D PLRNN's ``A``, ``W``, ``h`` and ``z0``, and its phase portrait.

    Each redraw shows the shaded linear regions labelled with
    :math:`W_\Omega = A + W D_\Omega`, the switching boundaries and the orbit of
    ``n_steps`` steps from the chosen initial state (see :func:`draw_phase_portrait`).
    Needs a running Jupyter kernel; for the static HTML book use :func:`sweep_animation`.

    Parameters
    ----------
    model : PLRNN
        The starting model (``M = 2``, no inputs).  Sliders start at its values.
    z0 : array_like, shape (2,)
        Starting initial state; must lie inside ``xlim`` x ``ylim``.
    n_steps : int
        Length of the orbit (>= 1).
    xlim, ylim : (float, float)
        The view; also the ranges of the ``z0`` sliders.
    parameters : sequence of str
        Which entries get sliders (names from :data:`PARAMETERS`).
    step : float, optional
        Slider resolution (> 0) for every slider; by default :data:`SLIDER_STEPS` (0.005
        for ``A``, 0.01 for ``W`` and ``h``, 0.05 for ``z0``).

    Returns
    -------
    PLRNNExplorer
        Displays as the panel; ``.redraw()`` redraws, ``.figure`` is the current figure.
    """
    _require_plrnn_2d(model)
    z0 = as_float_array("z0", z0, shape=(2,))
    n_steps = as_int("n_steps", n_steps, minimum=1)
    xlim, ylim = _limits("xlim", xlim), _limits("ylim", ylim)
    if not (xlim[0] <= z0[0] <= xlim[1] and ylim[0] <= z0[1] <= ylim[1]):
        raise ValueError(f"z0 must lie inside xlim x ylim, got z0 = {z0.tolist()}")
    if isinstance(parameters, str):
        raise TypeError("parameters must be a sequence of names such as ('a11', 'h1'), got a string")
    names = [_parameter_name(p, "parameters") for p in parameters]
    if len(set(names)) != len(names):
        raise ValueError(f"parameters must not repeat a name, got {list(parameters)}")
    steps = dict(SLIDER_STEPS)
    if step is not None:
        step = as_real("step", step)
        if step <= 0:
            raise ValueError(f"step must be > 0, got {step}")
        steps = dict.fromkeys(steps, step)
    return PLRNNExplorer(model, z0, n_steps, xlim, ylim, names, steps)


# -- the kernel-free version ----------------------------------------------------------------------
def sweep_frames(model, parameter, values):
    """The models of a sweep: ``model`` with ``parameter`` set to each of ``values``.

    Returns
    -------
    list of PLRNN
    """
    _require_plrnn_2d(model)
    parameter = _parameter_name(parameter)
    values = as_float_array("values", values, ndim=1)
    if values.size == 0:
        raise ValueError("values must hold at least one value")
    return [set_parameter(model, parameter, v) for v in values]


def sweep_animation(model, parameter, values, z0=(0.5, -1.0), n_steps=200, xlim=(-1.0, 3.0),
                    ylim=(-3.5, 1.5), *, interval=500, dpi=90, matrices=True, max_frames=60):
    """A kernel-free animation: the phase portrait as one parameter sweeps over ``values``.

    Frame ``i`` shows :func:`draw_phase_portrait` of ``model`` with ``parameter`` set to
    ``values[i]``.  The frames are rendered to PNG and embedded in a self-contained
    JavaScript player (:meth:`matplotlib.animation.Animation.to_jshtml`), so the animation
    runs in the static HTML book without a kernel.  About 20 frames at the default ``dpi=90`` embed
    in well under 3 MB.

    Parameters
    ----------
    model : PLRNN
        The base model (``M = 2``, no inputs).
    parameter : str
        The swept entry, e.g. ``"a11"`` (see :data:`PARAMETERS`).
    values : array_like, shape (n_frames,)
        Its values, one per frame; at most ``max_frames``.
    z0 : array_like, shape (2,)
        Initial state of the orbit in every frame.
    n_steps : int
        Length of the orbit (>= 1).
    xlim, ylim : (float, float)
        The view.
    interval : int
        Milliseconds between frames (>= 10).
    dpi : int
        Resolution of the embedded frames (20 to 200).
    matrices : bool
        Label the regions with their :math:`W_\\Omega`.
    max_frames : int
        Refuse longer sweeps, which would bloat the page.

    Returns
    -------
    IPython.display.HTML
        The player; its ``.data`` is the HTML text.
    """
    import matplotlib.pyplot as plt

    _require_plrnn_2d(model)
    parameter = _parameter_name(parameter)
    max_frames = as_int("max_frames", max_frames, minimum=1)
    values = as_float_array("values", values, ndim=1)
    if values.size == 0:
        raise ValueError("values must hold at least one value")
    if values.size > max_frames:
        raise ValueError(f"values holds {values.size} frames, more than max_frames = {max_frames}; "
                         "use fewer values to keep the page small")
    z0 = as_float_array("z0", z0, shape=(2,))
    n_steps = as_int("n_steps", n_steps, minimum=1)
    xlim, ylim = _limits("xlim", xlim), _limits("ylim", ylim)
    interval = as_int("interval", interval, minimum=10)
    dpi = as_int("dpi", dpi, minimum=20, maximum=200)
    models = sweep_frames(model, parameter, values)

    # a fixed layout: constrained layout would be recomputed at each of the frame's draws
    fig, ax = plt.subplots(figsize=FIGSIZE["square"], dpi=dpi, layout="none")
    fig.subplots_adjust(left=0.15, right=0.96, bottom=0.12, top=0.92)

    def frame(i):
        ax.clear()
        draw_phase_portrait(models[i], z0, n_steps, xlim, ylim, ax=ax, matrices=matrices,
                            title=f"{parameter} = {values[i]:.4g}")

    return render_jshtml(fig, frame, len(models), interval=interval, dpi=dpi)
