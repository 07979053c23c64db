"""Membrane-voltage recordings: load, prepare and cut into training windows (chapter 9).

Eisenmann et al. (2023, sect. 5) train a shallow PLRNN on the z-scored membrane voltage of a
cortical neuron. Their recording is not public; the book uses current-clamp sweeps of rat
somatosensory cortex neurons that are (BSD-licensed test data of the bluepyefe package),
converted by ``scripts/neuron_recordings.py`` into ``book/data/neuron_recordings.npz``.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._checks import as_float_array, as_int

#: The converted recordings shipped with the book.
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "book" / "data" / "neuron_recordings.npz"
_REQUIRED = ("voltage", "current", "names", "sampling_interval")


@dataclass(frozen=True)
class MembraneRecordings:
    r"""Current-clamp sweeps: membrane voltage and injected current, sampled alike.

    Sweep :math:`i` holds :math:`V_i(t_n)` and :math:`I_i(t_n)` at :math:`t_n = n\,\Delta t`;
    the voltage is the kind of series modelled in sect. 5 of (Eisenmann et al., 2023).

    Attributes
    ----------
    voltage : ndarray, shape (n_sweeps, n_samples)
        Membrane potential in mV.
    current : ndarray, shape (n_sweeps, n_samples)
        Injected current in pA.
    names : tuple of str
        One name per sweep.
    sampling_interval : float
        Seconds between samples.
    source : str
        Origin, licence and units of the data.
    """

    voltage: np.ndarray
    current: np.ndarray
    names: tuple
    sampling_interval: float
    source: str = ""

    @property
    def times(self) -> np.ndarray:
        """Sample times in seconds, shape (n_samples,)."""
        return np.arange(self.voltage.shape[1]) * self.sampling_interval

    def sweep(self, which) -> np.ndarray:
        """The voltage of one sweep, chosen by name or index."""
        if isinstance(which, str):
            if which not in self.names:
                raise ValueError(f"which={which!r} is not a sweep name; the sweeps are "
                                 f"{', '.join(self.names)}")
            return self.voltage[self.names.index(which)]
        index = as_int("which", which, minimum=0, maximum=len(self.names) - 1)
        return self.voltage[index]


def load_membrane_recordings(path=None) -> MembraneRecordings:
    r"""Read membrane recordings from a ``.npz`` file written by ``scripts/neuron_recordings.py``.

    The file holds :math:`V_i(t_n)` (mV) and :math:`I_i(t_n)` (pA) on one time grid
    :math:`t_n = n\,\Delta t`; recordings of this kind are the real-world example of
    (Eisenmann et al., 2023, sect. 5).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The file; by default the recordings shipped in ``book/data/``.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        When it is not a readable ``.npz`` file or its arrays are missing, misshapen or not
        finite; the message names the file and what is wrong.
    """
    path = Path(DEFAULT_PATH if path is None else path)
    if not path.is_file():
        raise FileNotFoundError(f"path: no recordings file at {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [key for key in _REQUIRED if key not in data.files]
            if missing:
                raise ValueError(f"{path.name} lacks the array(s) {', '.join(missing)} "
                                 f"(a recordings file holds {', '.join(_REQUIRED)})")
            arrays = {key: data[key] for key in data.files}
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ValueError(f"{path.name} is not a readable .npz file ({exc})") from None
    voltage = as_float_array(f"{path.name}: voltage", arrays["voltage"], ndim=2)
    current = as_float_array(f"{path.name}: current", arrays["current"],
                             shape=voltage.shape)
    names = tuple(str(n) for n in np.atleast_1d(arrays["names"]))
    if len(names) != voltage.shape[0]:
        raise ValueError(f"{path.name}: {len(names)} names for {voltage.shape[0]} sweeps")
    dt = np.asarray(arrays["sampling_interval"], dtype=float)
    if dt.shape != () or not np.isfinite(dt) or dt <= 0:
        raise ValueError(f"{path.name}: sampling_interval must be one positive number, "
                         f"got {arrays['sampling_interval']!r}")
    source = str(arrays["source"]) if "source" in arrays else ""
    return MembraneRecordings(voltage, current, names, float(dt), source)


def prepare_series(x, *, downsample=1, zscore=True) -> np.ndarray:
    r"""A recorded series ready for training: anti-aliased downsampling, then z-scoring.

    .. math:: \tilde x_t = (x_{qt} - \bar x) / s_x

    after a polyphase low-pass filter (``scipy.signal.resample_poly``) keeps every
    ``downsample``-th sample; Eisenmann et al. (2023) train on the z-scored voltage.

    Parameters
    ----------
    x : array_like, shape (T,) or (T, N)
    downsample : int
        Keep one sample in ``downsample`` (1: no resampling).
    zscore : bool
        Subtract the mean and divide by the standard deviation of each column.

    Returns
    -------
    ndarray, shape (T', N)
    """
    x = as_float_array("x", x, ndim=(1, 2))
    if x.ndim == 1:
        x = x[:, None]
    q = as_int("downsample", downsample, minimum=1)
    if x.shape[0] < 2 * q:
        raise ValueError(f"x has {x.shape[0]} samples, too few to downsample by {q}")
    if q > 1:
        from scipy.signal import resample_poly

        x = resample_poly(x, 1, q, axis=0)
    if zscore:
        sd = x.std(axis=0)
        if np.any(sd == 0):
            raise ValueError("x has a constant column; it cannot be z-scored")
        x = (x - x.mean(axis=0)) / sd
    return np.ascontiguousarray(x)


def cut_windows(x, length, *, step=None) -> np.ndarray:
    r"""Cut a series into windows of ``length`` samples, ``step`` apart (default: no overlap).

    Window :math:`i` is :math:`(x_{s_i}, \dots, x_{s_i + L - 1})` with :math:`s_i = i\,
    \mathrm{step}` and :math:`L` = ``length``: the training sequences of BPTT (Eisenmann et
    al., 2023, train on windows of 200 steps).

    Parameters
    ----------
    x : array_like, shape (T,) or (T, N)
    length : int
        Samples per window (>= 2: the loss compares predictions from t = 2 on).
    step : int, optional
        Distance between window starts; ``length`` when omitted.

    Returns
    -------
    ndarray, shape (n_windows, length, N)
        Copies of the windows, a batch for :func:`plrnn_lib.loss_and_grad`.
    """
    x = as_float_array("x", x, ndim=(1, 2))
    if x.ndim == 1:
        x = x[:, None]
    length = as_int("length", length, minimum=2)
    step = length if step is None else as_int("step", step, minimum=1)
    if x.shape[0] < length:
        raise ValueError(f"length={length} is longer than the series ({x.shape[0]} samples)")
    starts = np.arange(0, x.shape[0] - length + 1, step)
    return np.stack([x[s:s + length] for s in starts])
