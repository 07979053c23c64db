"""Keep the Colab install cell of every chapter in step with _config.yml.

The repository's address is set once, as ``repository.url`` and ``repository.branch`` in
_config.yml.  Colab starts without plrnn_lib, so each notebook opens with a cell (tagged
``colab-install`` and hidden from the HTML book) that, when the import fails, clones the
repository from that address, installs the library from the clone and moves into its book/
folder, so the chapters that load stored results (book/data/) find them too.  This script
writes that cell into every notebook under book/ (inserting it when missing);
tests/test_book_layout.py fails when a notebook is out of step.

Usage: python scripts/sync_repository_url.py [--check]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TAG = "colab-install"


def install_cell_source(config_path=ROOT / "_config.yml") -> str:
    repo = yaml.safe_load(Path(config_path).read_text())["repository"]
    url = repo["url"].rstrip("/")
    branch = repo.get("branch", "main")
    return (
        "# Colab starts without plrnn_lib: fetch the book's repository, install the library from\n"
        "# it, and work in its book/ folder, where the stored results (data/) are.\n"
        "# (Binder and local set-ups already have both; this cell is hidden in the HTML book.)\n"
        "try:\n"
        "    import plrnn_lib\n"
        "except ImportError:\n"
        f"    repository = \"{url}.git\"\n"
        f"    !git clone --quiet --depth 1 --branch {branch} $repository plrnn-book\n"
        "    %pip install --quiet ./plrnn-book\n"
        "    %cd plrnn-book/book"
    )


def chapter_notebooks():
    return sorted(p for p in (ROOT / "book").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and "student" not in p.parts)


def install_cell_index(nb):
    for i, cell in enumerate(nb["cells"]):
        if TAG in cell.get("metadata", {}).get("tags", []):
            return i
    return None


def sync(path: Path, source: str, check: bool) -> bool:
    """Return True when ``path`` already held the right cell (or was updated)."""
    nb = json.loads(path.read_text())
    i = install_cell_index(nb)
    if i is not None and "".join(nb["cells"][i]["source"]) == source:
        return True
    if check:
        return False
    cell = {"cell_type": "code", "execution_count": None, "id": "colab-install",
            "metadata": {"tags": [TAG, "remove-cell"]}, "outputs": [],
            "source": source.splitlines(keepends=True)}
    if i is None:
        nb["cells"].insert(0, cell)
    else:
        nb["cells"][i] = cell
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return True


def main(argv):
    check = "--check" in argv
    source = install_cell_source()
    stale = [p for p in chapter_notebooks() if not sync(p, source, check)]
    for p in stale:
        print(f"out of step with _config.yml: {p.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
