"""Convert real current-clamp recordings into book/data/neuron_recordings.npz (chapter 9).

The paper's membrane-voltage recording is not public. Recordings of the same kind are: the
source distribution of the PyPI package bluepyefe (2.3.63) ships current-clamp sweeps of rat
somatosensory cortex neurons as test data, which its LICENSE.txt puts under the BSD licence
("Examples and test are BSD-licensed"; Copyright (C) 2005-2024, Blue Brain Project/EPFL).
Each sweep is an Igor binary wave (.ibw): the membrane voltage (channel 3, mV) and the
injected current (channel 0, pA), 12,000 samples at 4 kHz (3 s), a 2 s current step.

This script downloads that source distribution with pip (or reads one given with --sdist),
reads the waves with a proper Igor reader (the PyPI package igor2; install it for this
script only: ``pip install igor2``), checks units and sampling intervals, and writes the
sweeps as float32 arrays with a note on origin, licence and units. Run from the repository
root::

    .venv/bin/python -m pip install igor2
    .venv/bin/python scripts/neuron_recordings.py            # about 10 s
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "data" / "neuron_recordings.npz"
PACKAGE = "bluepyefe==2.3.63"
# (cell, sweep number) pairs: the five depolarising steps of cell B6 and one of cell B95.
SWEEPS = [("B6", n) for n in range(181, 186)] + [("B95", 107)]
SOURCE_NOTE = (
    "Current-clamp sweeps (IDRest protocol) of rat somatosensory cortex neurons, from the "
    "test data of the source distribution of the PyPI package bluepyefe 2.3.63 "
    "(tests/exp_data), BSD-licensed ('Examples and test are BSD-licensed', LICENSE.txt; "
    "Copyright (C) 2005-2024, Blue Brain Project/EPFL). Converted by "
    "scripts/neuron_recordings.py with the igor2 reader. voltage: membrane potential in mV "
    "(channel 3); current: injected current in pA (channel 0); sampling_interval in s.")


def _wave_path(root: Path, cell: str, channel: int, sweep: int) -> Path:
    name = f"{cell}_Ch{channel}_IDRest_{sweep}.ibw"
    folder = root / "tests" / "exp_data"
    return folder / cell / name if (folder / cell / name).is_file() else folder / name


def read_wave(path: Path, unit: str):
    """Samples and sampling interval of one Igor binary wave, its data unit checked."""
    from igor2 import binarywave

    wave = binarywave.load(str(path))["wave"]
    header = wave["wave_header"]
    units = b"".join(header["dataUnits"]).decode()
    if units != unit:
        raise ValueError(f"{path.name}: data unit {units!r}, expected {unit!r}")
    # Version 5 waves keep the x step in sfA[0], version 2 in hsA.
    dt = float(header["sfA"][0]) if "sfA" in header else float(header["hsA"])
    return np.asarray(wave["wData"], dtype=np.float64), dt


def convert(sdist_root: Path, out: Path = OUT):
    voltage, current, names, dts = [], [], [], []
    for cell, sweep in SWEEPS:
        v, dt_v = read_wave(_wave_path(sdist_root, cell, 3, sweep), "mV")
        i, dt_i = read_wave(_wave_path(sdist_root, cell, 0, sweep), "pA")
        if v.shape != i.shape or dt_v != dt_i:
            raise ValueError(f"{cell} sweep {sweep}: voltage and current do not match")
        voltage.append(v)
        current.append(i)
        names.append(f"{cell}_IDRest_{sweep}")
        dts.append(dt_v)
    if len(set(dts)) != 1 or len({len(v) for v in voltage}) != 1:
        raise ValueError("the sweeps differ in sampling interval or length")
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, voltage=np.array(voltage, dtype=np.float32),
                        current=np.array(current, dtype=np.float32),
                        names=np.array(names), sampling_interval=np.float64(dts[0]),
                        source=np.array(SOURCE_NOTE))
    print(f"wrote {out.relative_to(ROOT)}: {len(names)} sweeps of {len(voltage[0])} samples "
          f"at {1 / dts[0]:.0f} Hz ({out.stat().st_size / 1024:.0f} KiB)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sdist", type=Path,
                        help="bluepyefe source distribution (.tar.gz); downloaded when omitted")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sdist = args.sdist
        if sdist is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "--no-binary", ":all:", PACKAGE, "-d", tmp], check=True)
            sdist = next(Path(tmp).glob("bluepyefe-*.tar.gz"))
        with tarfile.open(sdist) as tar:
            tar.extractall(tmp, filter="data")
        convert(next(Path(tmp).glob("bluepyefe-*/")))


if __name__ == "__main__":
    main()
