"""Build the whole book with Sphinx warnings as errors; any notebook error fails the build."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"

pytestmark = pytest.mark.book

# The session fixture ``book_build`` (tests/conftest.py) builds the book once; the browser
# checks in tests/test_browser.py reuse the same build.


def test_book_builds_without_warnings(book_build):
    log = book_build.stdout + book_build.stderr
    assert book_build.returncode == 0, log[-6000:]
    # Sphinx warnings ("file:line: WARNING: ..."); the Jupyter kernel's own log lines
    # ("[IPKernelApp] WARNING | ...", e.g. about TCP without encryption) are not the book's.
    warnings = [line for line in log.splitlines()
                if "WARNING" in line and not line.lstrip().startswith("[IPKernelApp]")]
    assert not warnings, "\n".join(warnings[:40])
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
