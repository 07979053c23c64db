"""The book's layout: every chapter listed, no stored outputs, the repository set in one place."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import sync_repository_url  # noqa: E402


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections"))
            walk(e.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


NOTEBOOKS = sync_repository_url.chapter_notebooks()


def test_there_are_chapters():
    assert len(NOTEBOOKS) >= 1


def test_every_notebook_is_in_the_toc():
    listed = {str(Path(f).with_suffix("")) for f in toc_files()}
    missing = [str(p.relative_to(ROOT)) for p in NOTEBOOKS
               if str(p.relative_to(ROOT).with_suffix("")) not in listed]
    assert not missing, f"notebooks not listed in _toc.yml: {missing}"


def test_every_toc_entry_exists():
    for f in toc_files():
        candidates = [ROOT / f] + [ROOT / (f + ext) for ext in (".md", ".ipynb")]
        assert any(c.is_file() for c in candidates), f"_toc.yml lists {f}, which does not exist"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path.name} cell {i} holds outputs: strip them"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} holds an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_colab_cell_in_step_with_config(path):
    assert sync_repository_url.sync(path, sync_repository_url.install_cell_source(), check=True), (
        f"{path.name}: Colab install cell missing or out of step; run python scripts/sync_repository_url.py")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_results_a_notebook_loads_are_in_the_repository(path):
    """On Colab the install cell clones the repository and works in its book/ folder: every
    file of book/data/ a chapter names must be committed (not just present on this machine)."""
    nb = json.loads(path.read_text())
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    stored = set((ROOT / "book" / "data").iterdir()) if (ROOT / "book" / "data").is_dir() else set()
    named = [p.name for p in stored if p.name in code]
    if not named:
        return
    tracked = subprocess.run(["git", "ls-files", "book/data"], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    if not tracked and not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    missing = [n for n in named if f"book/data/{n}" not in tracked]
    assert not missing, f"{path.name} loads {missing}, which git does not track (a clone lacks them)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_what_you_will_learn(path):
    nb = json.loads(path.read_text())
    text = "".join("".join(c["source"]) for c in nb["cells"][:4] if c["cell_type"] == "markdown")
    assert re.search(r"what you will learn", text, re.I), f"{path.name} lacks 'What you will learn'"


def test_requirements_pin_jupyter_book_1_and_install_the_library():
    lines = [l.strip() for l in (ROOT / "requirements.txt").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    assert lines[-1] == "-e ."
    jb = [l for l in lines if l.startswith("jupyter-book")]
    assert jb and "<2" in jb[0]


def test_config_sets_execution_and_launch_buttons():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cfg["execute"]["execute_notebooks"] == "force"
    assert cfg["execute"]["allow_errors"] is False
    assert cfg["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    assert cfg["repository"]["branch"] == "main"
    assert cfg["launch_buttons"]["binderhub_url"] and cfg["launch_buttons"]["colab_url"]
    assert {"sphinx_proof", "sphinx_exercise"} <= set(cfg["sphinx"]["extra_extensions"])
