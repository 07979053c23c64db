"""Project-wide pytest hooks: each notebook's execution time, summed over its cells.

``make test-notebooks`` runs every chapter through nbval, one test per cell; pytest's
``--durations`` lists cells, not notebooks.  The summary below adds the cells of each
notebook up and marks those over the budget of DESIGN.md (one minute on two cores), a
budget to watch rather than a timed test that would fail on a busy machine.
"""
from collections import defaultdict

NOTEBOOK_BUDGET_SECONDS = 60.0

_notebook_seconds = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    tr = terminalreporter
    tr.write_sep("=", "notebook execution times (all cells, set-up included)")
    for path, seconds in sorted(_notebook_seconds.items()):
        flag = f"  OVER the {NOTEBOOK_BUDGET_SECONDS:.0f} s budget" if seconds > NOTEBOOK_BUDGET_SECONDS else ""
        tr.write_line(f"{seconds:7.1f} s  {path}{flag}")
    tr.write_line(f"{sum(_notebook_seconds.values()):7.1f} s  in all")
