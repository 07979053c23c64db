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
    # Executed once per run: through jupyter-cache, which every run empties first (the
    # notebook tests fill it, the build renders it; see conftest.py).
    assert cfg["execute"]["execute_notebooks"] == "cache"
    make = (ROOT / "Makefile").read_text()
    for target in ("book", "test-notebooks", "test-book"):
        recipe = make.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
        assert "rm -rf $(BOOK_CACHE)" in recipe, f"make {target} does not empty the cache"
    assert cfg["execute"]["allow_errors"] is False
    assert cfg["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    assert cfg["repository"]["branch"] == "main"
    assert cfg["launch_buttons"]["binderhub_url"] and cfg["launch_buttons"]["colab_url"]
    assert {"sphinx_proof", "sphinx_exercise"} <= set(cfg["sphinx"]["extra_extensions"])


# -- pages a reader can read ------------------------------------------------------------------
#: The longest code line the book allows: wider ones are cut off in the HTML code boxes
#: (book-fixes.css sizes the boxes to hold 88 characters on a laptop screen; the browser test
#: checks that they do).
MAX_CODE_LINE = 88

MARKDOWN_PAGES = sorted((ROOT / "book").rglob("*.md"))
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")


def _fenced_code_lines(text):
    """(line number, line) of every line inside a fenced code block of Markdown ``text``.

    MyST directives (a fence whose info string starts with ``{``, such as ``{exercise}``)
    hold prose, not code, and are not code blocks themselves; code fences inside them are.
    """
    out, stack = [], []   # stack of open fences: (marker, is_code, indent)
    for number, line in enumerate(text.splitlines(), 1):
        match = _FENCE.match(line)
        if match:
            marker, info = match.group(2), match.group(3).strip()
            if stack and marker[0] == stack[-1][0][0] and len(marker) >= len(stack[-1][0]) \
                    and not info:
                stack.pop()
                continue
            if not (stack and stack[-1][1]):   # a fence opens unless we are inside code
                stack.append((marker, not info.startswith("{"), len(match.group(1))))
                continue
        if stack and stack[-1][1]:
            # the fence's own indentation (a code block in a list item) is not shown
            indent = stack[-1][2]
            out.append((number, line[indent:] if not line[:indent].strip() else line))
    return out


def _code_lines(path):
    """(where, line) of every code line a reader sees in a notebook or Markdown page."""
    if path.suffix == ".md":
        return [(f"line {n}", line) for n, line in _fenced_code_lines(path.read_text())]
    lines = []
    for i, cell in enumerate(json.loads(path.read_text())["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            lines += [(f"cell {i}", line) for line in source.splitlines()]
        elif cell["cell_type"] == "markdown":
            lines += [(f"cell {i} line {n}", line) for n, line in _fenced_code_lines(source)]
    return lines


def test_fenced_code_lines_are_found():
    text = ("text\n```python\nx = 1\n```\n````{exercise}\nprose\n```python\ny = 2\n```\n"
            "````\n- item\n\n  ```bash\n  make\n  ```\n")
    assert [line for _, line in _fenced_code_lines(text)] == ["x = 1", "y = 2", "make"]


@pytest.mark.parametrize("path", NOTEBOOKS + MARKDOWN_PAGES, ids=lambda p: p.name)
def test_no_code_line_is_wider_than_88_characters(path):
    wide = [f"{where}: {len(line)} characters: {line.strip()[:60]}..."
            for where, line in _code_lines(path) if len(line) > MAX_CODE_LINE]
    assert not wide, (f"{path.name} has code lines over {MAX_CODE_LINE} characters (cut off "
                      "in the HTML book):\n" + "\n".join(wide))


_SHOWS = {"print", "display", "show", "glue", "Markdown", "HTML"}


def is_check_only(source):
    """True for a code cell that only checks: it asserts and shows nothing.

    Such a cell has an ``assert``, no call that shows something (print, display, plt.show,
    glue), no expression as its last statement (Jupyter would display its value), and no
    function, class or import a reader should see.
    """
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:       # IPython magics: not a plain check
        return False
    if not any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
        return False
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        return False
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            return False
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in _SHOWS:
                return False
    return True


def test_check_only_cells_are_recognised():
    assert is_check_only("x = f(1)\nassert x == 2\nfor i in r:\n    assert i")
    assert not is_check_only("x = f(1)\nprint(x)\nassert x == 2")
    assert not is_check_only("assert x\nfig")
    assert not is_check_only("def f():\n    assert 1\n")
    assert not is_check_only("plt.plot(x)\nassert x\nplt.show()")
    assert not is_check_only("x = 1")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_check_only_cells_are_folded(path):
    """Cells that only check the text are tagged hide-input, so the reading line stays
    prose, maths, short code and figures (the check is one click away)."""
    unfolded = []
    for i, cell in enumerate(json.loads(path.read_text())["cells"]):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "code" and is_check_only("".join(cell["source"])) \
                and not tags & {"hide-input", "remove-input", "remove-cell", "hide-cell"}:
            unfolded.append(f"cell {i}: {''.join(cell['source']).splitlines()[0][:60]}")
    assert not unfolded, (f"{path.name}: cells that only check, not tagged hide-input:\n"
                          + "\n".join(unfolded))
