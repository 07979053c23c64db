"""Build the whole book with Sphinx warnings as errors; any notebook error fails the build."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"

pytestmark = pytest.mark.book


@pytest.fixture(scope="session")
def book_build():
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(ROOT), "--builder", "html", "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    return proc


def test_book_builds_without_warnings(book_build):
    log = book_build.stdout + book_build.stderr
    assert book_build.returncode == 0, log[-6000:]
    assert "WARNING" not in log, log[-6000:]
    assert (HTML / "index.html").is_file()


def test_no_notebook_raised(book_build):
    log = book_build.stdout + book_build.stderr
    assert "Executing notebook failed" not in log
    assert "CellExecutionError" not in log
    for page in HTML.rglob("*.html"):
        assert 'class="output traceback' not in page.read_text(errors="ignore"), f"{page} shows a traceback"


def test_every_chapter_is_rendered(book_build):
    for nb in sorted((ROOT / "book").glob("*.ipynb")):
        page = HTML / "book" / (nb.stem + ".html")
        assert page.is_file(), f"{nb.name} was not rendered"
        assert "cell_output" in page.read_text(), f"{nb.name} rendered without executed outputs"
