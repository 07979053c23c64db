import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def pytest_configure(config):
    config.addinivalue_line("markers", "book: builds the book or drives a browser (run after the notebooks)")


@pytest.fixture
def rng():
    return np.random.default_rng(20231017)


@pytest.fixture
def toy():
    """The 2-D toy PLRNN of Eisenmann et al. (2023)."""
    import plrnn_lib as pl

    return pl.toy_plrnn()


@pytest.fixture
def close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def book_build():
    """Build the whole book once per session (every notebook executed, warnings as errors).

    Shared by tests/test_book_build.py, which checks the build, and tests/test_browser.py,
    which opens the result in a browser. With PLRNN_REUSE_BUILD=1 an existing _build/html is
    used as it is (for iterating on the browser checks; never set in CI).
    """
    if os.environ.get("PLRNN_REUSE_BUILD") and (HTML / "index.html").is_file() and not os.environ.get("CI"):
        return subprocess.CompletedProcess(args=[], returncode=0, stdout="(reused _build/html)", stderr="")
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(ROOT), "--builder", "html", "-W", "-n", "--keep-going", "--all"]
    # No MPLBACKEND here: the kernels must pick matplotlib's inline backend, or every
    # plt.show() figure would be missing from the book (MPLBACKEND=Agg is inherited by them).
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
