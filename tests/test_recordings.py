"""The membrane-recording loader (chapter 9) on made-up traces and on broken files."""
import numpy as np
import pytest

from plrnn_lib.training import recordings as rec


def _write(path, **arrays):
    np.savez(path, **arrays)
    return path


@pytest.fixture
def tiny(tmp_path):
    t = np.arange(400) * 1e-3
    voltage = np.stack([-70 + 80 * (np.sin(2 * np.pi * 20 * t) > 0.95),
                        -65 + np.cos(2 * np.pi * 5 * t)])
    current = np.zeros_like(voltage)
    return _write(tmp_path / "tiny.npz", voltage=voltage, current=current,
                  names=np.array(["a", "b"]), sampling_interval=1e-3,
                  source=np.array("made up"))


def test_loads_a_made_up_trace(tiny):
    r = rec.load_membrane_recordings(tiny)
    assert r.voltage.shape == (2, 400) and r.names == ("a", "b")
    assert r.sampling_interval == pytest.approx(1e-3) and r.source == "made up"
    assert np.array_equal(r.sweep("b"), r.voltage[1]) and np.array_equal(r.sweep(0), r.voltage[0])
    assert r.times[-1] == pytest.approx(0.399)
    with pytest.raises(ValueError, match="which"):
        r.sweep("c")


def test_the_shipped_recordings_are_real_spiking_traces():
    r = rec.load_membrane_recordings()
    assert r.sampling_interval == pytest.approx(2.5e-4)
    for v in r.voltage:
        upward_zero_crossings = np.sum((v[1:] > 0) & (v[:-1] <= 0))
        assert upward_zero_crossings >= 5           # action potentials overshoot 0 mV
        assert -90 < np.median(v[:2000]) < -50      # at rest before the step (0.7 s), in mV
    assert "BSD" in r.source


def test_corrupt_and_malformed_files_are_named_errors(tmp_path, tiny):
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(ValueError, match="corrupt.npz is not a readable"):
        rec.load_membrane_recordings(corrupt)
    with pytest.raises(FileNotFoundError, match="path"):
        rec.load_membrane_recordings(tmp_path / "missing.npz")
    v = np.zeros((2, 10))
    with pytest.raises(ValueError, match="lacks the array"):
        rec.load_membrane_recordings(_write(tmp_path / "a.npz", voltage=v, current=v))
    with pytest.raises(ValueError, match="current"):
        rec.load_membrane_recordings(_write(tmp_path / "b.npz", voltage=v, current=v[:1],
                                            names=np.array(["x", "y"]), sampling_interval=1.0))
    bad = v.copy()
    bad[0, 3] = np.nan
    with pytest.raises(ValueError, match="finite"):
        rec.load_membrane_recordings(_write(tmp_path / "c.npz", voltage=bad, current=v,
                                            names=np.array(["x", "y"]), sampling_interval=1.0))
    with pytest.raises(ValueError, match="sampling_interval"):
        rec.load_membrane_recordings(_write(tmp_path / "d.npz", voltage=v, current=v,
                                            names=np.array(["x", "y"]), sampling_interval=-1.0))


def test_prepare_series_zscores_and_downsamples_without_aliasing():
    t = np.arange(4000) * 1e-3
    slow = 3 + 2 * np.sin(2 * np.pi * 2 * t)
    fast = 0.5 * np.sin(2 * np.pi * 240 * t)   # above the new Nyquist frequency (125 Hz)
    x = rec.prepare_series(slow + fast, downsample=4)
    assert x.shape == (1000, 1)
    assert abs(x.mean()) < 1e-12 and x.std() == pytest.approx(1.0)
    expected = (slow[::4] - slow.mean()) / slow[::4].std()
    # the fast component is filtered out, not folded onto the slow one (edges aside)
    assert np.max(np.abs(x[50:-50, 0] - expected[50:-50])) < 0.05
    with pytest.raises(ValueError, match="constant"):
        rec.prepare_series(np.ones(100))
    with pytest.raises(ValueError, match="downsample"):
        rec.prepare_series(np.arange(10.0), downsample=0)


def test_cut_windows_are_the_series_pieces():
    x = np.arange(23.0)
    w = rec.cut_windows(x, 5)
    assert w.shape == (4, 5, 1) and np.array_equal(w[2, :, 0], x[10:15])
    w = rec.cut_windows(np.c_[x, -x], 5, step=3)
    assert w.shape == (7, 5, 2) and np.array_equal(w[1, :, 1], -x[3:8])
    with pytest.raises(ValueError, match="length"):
        rec.cut_windows(x, 30)
