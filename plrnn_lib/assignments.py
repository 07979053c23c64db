r"""Course assignments from the book: student notebooks and an instructor key.

``python -m plrnn_lib.assignments`` (or ``make assignments``) reads every chapter notebook
``book/*.ipynb`` and writes, under ``_build/assignments/``:

``student/``
    The notebooks as students get them. Every code cell tagged ``solution`` is replaced by a
    stub that sets the answer's name(s) to ``None`` and raises ``NotImplementedError`` with the
    cell's hint (``metadata.exercise.hint``); the check cells (tagged ``check``) stay, so a
    student runs them and reads what is wrong; the solution dropdowns (```` ```{solution} ````
    blocks) are removed from the markdown, and so are the hidden cells of the exercise section
    that verify a dropdown's numbers (they would give the answers away).
``key/``
    The instructor key: the complete notebooks.
``source/<chapter>/`` and ``release/<chapter>/``
    The key and the student notebooks laid out as an nbgrader course directory (one
    assignment per chapter).

Both versions carry nbgrader cell metadata (schema 3), so a course that uses nbgrader can
autograde them as they are: solution cells ``{"solution": true, "grade": false}``, check cells
``{"grade": true, "points": 1, "locked": true}``, each with a unique ``grade_id`` made from the
exercise's label. The key's solution code sits between ``### BEGIN SOLUTION`` and
``### END SOLUTION``, so ``nbgrader generate_assignment`` makes the same stubs itself.
The chapters' stored results (``book/data/``) are copied beside the notebooks, which read them
by relative paths.
"""
from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import shutil
import sys
from pathlib import Path

__all__ = ["make_assignments", "student_notebook", "key_notebook", "exercise_cells"]

NBGRADER_SCHEMA = 3
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
#: A MyST ``{solution}`` block: an opening fence of 3+ backticks or colons with the directive,
#: up to the first closing fence of the same characters and length.
_SOLUTION_BLOCK = re.compile(r"(?ms)^(?P<fence>`{3,}|:{3,})\{solution\}.*?^(?P=fence)[ \t]*$\n?")
_LABEL = re.compile(r":label:\s*(\S+)")


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell) -> set:
    return set(cell.get("metadata", {}).get("tags", []))


def _is_heading(cell, level: int) -> str | None:
    if cell["cell_type"] != "markdown":
        return None
    for line in _source(cell).splitlines():
        if re.match(rf"^#{{{level}}}\s", line):
            return line[level:].strip()
    return None


def _asserts(source: str) -> bool:
    """Whether code asserts something (a hidden cell that verifies a solution's numbers)."""
    try:
        return any(isinstance(node, ast.Assert) for node in ast.walk(ast.parse(source)))
    except SyntaxError:      # IPython syntax (magics): judge by the text
        return re.search(r"^\s*assert\b", source, re.MULTILINE) is not None


def exercise_cells(nb) -> list[tuple[int, str]]:
    """Indices of the cells of the "Exercises" section, each with its role: ``"solution"``,
    ``"check"``, ``"verify"`` (a hidden cell that asserts a dropdown's numbers, which would
    give the answer away) or ``"text"`` (everything else, kept for students)."""
    roles, inside = [], False
    for i, cell in enumerate(nb["cells"]):
        heading = _is_heading(cell, 2)
        if heading is not None:
            inside = heading.lower().startswith("exercise")
        if not inside:
            continue
        tags = _tags(cell)
        if cell["cell_type"] == "code" and "solution" in tags:
            roles.append((i, "solution"))
        elif cell["cell_type"] == "code" and "check" in tags:
            roles.append((i, "check"))
        elif cell["cell_type"] == "code" and "hide-input" in tags \
                and _asserts(_source(cell)):
            roles.append((i, "verify"))
        else:
            roles.append((i, "text"))
    return roles


def _answer_names(solution_src: str, check_src: str) -> list[str]:
    """Names the check call reads that the solution cell assigns (the student's answer)."""
    try:
        solution, check = ast.parse(solution_src), ast.parse(check_src)
    except SyntaxError:
        return []
    assigned = set()
    for node in ast.walk(solution):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        assigned.add(sub.id)
    names = []
    for node in ast.walk(check):
        if isinstance(node, ast.Call):
            for arg in list(node.args) + [k.value for k in node.keywords]:
                if isinstance(arg, ast.Name) and arg.id in assigned and arg.id not in names:
                    names.append(arg.id)
    return names


def _labels(nb) -> dict[int, str]:
    """The label of the exercise each cell belongs to (the last exercise directive above)."""
    current, out = None, {}
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown" and "{exercise}" in _source(cell):
            found = _LABEL.findall(_source(cell))
            if found:
                current = found[-1]
        out[i] = current
    return out


def _nbgrader(grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": NBGRADER_SCHEMA, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def _stub(names: list[str], hint: str) -> str:
    lines = ["# YOUR CODE HERE"]
    if names:
        lines.append(f"# Assign your answer to {', '.join(f'`{n}`' for n in names)}.")
        lines += [f"{name} = None" for name in names]
    lines.append(f"raise NotImplementedError({hint!r})")
    return "\n".join(lines)


def _annotate(nb, stem: str, *, student: bool):
    """Return a copy of ``nb`` with nbgrader metadata and, for students, the stubs."""
    nb = copy.deepcopy(nb)
    roles = dict(exercise_cells(nb))
    labels = _labels(nb)
    used, keep = set(), []

    def unique(base):
        gid, n = base, 2
        while gid in used:
            gid, n = f"{base}-{n}", n + 1
        used.add(gid)
        return gid

    cells = nb["cells"]
    for i, cell in enumerate(cells):
        role = roles.get(i)
        base = labels.get(i) or f"{stem}-cell-{i}"
        meta = cell.setdefault("metadata", {})
        if role == "solution":
            meta["nbgrader"] = _nbgrader(unique(f"{base}-solution"), solution=True)
            src = _source(cell).rstrip("\n")
            if student:
                check_src = next((_source(c) for j, c in enumerate(cells[i + 1:], i + 1)
                                  if roles.get(j) == "check"), "")
                hint = meta.get("exercise", {}).get("hint", "write the solution here")
                cell["source"] = _stub(_answer_names(src, check_src), hint)
                cell["outputs"], cell["execution_count"] = [], None
            elif BEGIN not in src:
                cell["source"] = f"{BEGIN}\n{src}\n{END}"
        elif role == "check":
            meta["nbgrader"] = _nbgrader(unique(f"{base}-check"), grade=True, locked=True,
                                         points=meta.get("exercise", {}).get("points", 1))
        elif role == "verify" and student:
            continue
        if student and cell["cell_type"] == "markdown":
            text = _SOLUTION_BLOCK.sub("", _source(cell)).strip("\n")
            if not text.strip():
                continue
            cell["source"] = text
        keep.append(cell)
    nb["cells"] = keep
    return nb


def key_notebook(nb, stem: str = "notebook"):
    """The instructor key of a notebook (a dict in nbformat 4): the complete notebook with
    nbgrader metadata, solution code between nbgrader's solution markers."""
    return _annotate(nb, stem, student=False)


def student_notebook(nb, stem: str = "notebook"):
    """The student version of a notebook (a dict in nbformat 4): solution cells replaced by
    stubs raising ``NotImplementedError`` with the hint, checks kept, solutions removed."""
    return _annotate(nb, stem, student=True)


def _clear_outputs(nb):
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nb


def _write(nb, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def make_assignments(book="book", out="_build/assignments", notebooks=None, *, verbose=True):
    """Write the student notebooks and the instructor key of the book's chapters.

    Parameters
    ----------
    book : path
        Folder of the chapter notebooks (every ``*.ipynb`` in it, so chapters added later are
        included); its ``data/`` folder is copied beside the outputs.
    out : path
        Output folder; gets ``student/``, ``key/``, and the nbgrader course layout
        ``source/<chapter>/`` (key) and ``release/<chapter>/`` (student).
    notebooks : list of path, optional
        Only these notebooks instead of all of ``book``.
    verbose : bool
        Print one line per notebook.

    Returns
    -------
    dict
        ``{stem: {"solutions": n, "checks": n}}`` for every notebook written.
    """
    book, out = Path(book), Path(out)
    if not book.is_dir():
        raise ValueError(f"book must be a folder of notebooks, got {book}")
    paths = sorted(book.glob("*.ipynb")) if notebooks is None else [Path(p) for p in notebooks]
    if not paths:
        raise ValueError(f"no notebooks found in {book}")
    summary = {}
    for path in paths:
        nb = _clear_outputs(json.loads(path.read_text(encoding="utf-8")))
        stem = path.stem
        key, student = key_notebook(nb, stem), student_notebook(nb, stem)
        for folder, version in (("key", key), ("student", student),
                                (f"source/{stem}", key), (f"release/{stem}", student)):
            _write(version, out / folder / path.name)
        roles = [r for _, r in exercise_cells(nb)]
        summary[stem] = {"solutions": roles.count("solution"), "checks": roles.count("check")}
        if verbose:
            print(f"{path.name}: {summary[stem]['solutions']} coding exercise(s), "
                  f"{summary[stem]['checks']} check(s)")
    data = book / "data"
    if data.is_dir():
        for folder in ["key", "student"] + [f"{k}/{p.stem}" for k in ("source", "release")
                                            for p in paths]:
            shutil.copytree(data, out / folder / "data", dirs_exist_ok=True)
    if verbose:
        print(f"student notebooks in {out / 'student'}, the key in {out / 'key'}; "
              f"nbgrader course layout in {out / 'source'} and {out / 'release'}")
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m plrnn_lib.assignments",
        description="Make student notebooks and an instructor key from the book's chapters.")
    parser.add_argument("notebooks", nargs="*", help="only these notebooks (default: all)")
    parser.add_argument("--book", default="book", help="folder of the chapters (book)")
    parser.add_argument("--out", default="_build/assignments",
                        help="output folder (_build/assignments)")
    args = parser.parse_args(argv)
    try:
        make_assignments(args.book, args.out, args.notebooks or None)
    except ValueError as err:
        parser.error(str(err))
    return 0


if __name__ == "__main__":
    sys.exit(main())
