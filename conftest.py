"""Project-wide pytest hooks for the notebook run (``make test-notebooks``).

Two jobs:

1. **Each notebook's execution time.** nbval makes one test per cell, so pytest's
   ``--durations`` lists cells; the summary below adds each notebook's cells up and marks
   those over the budget of DESIGN.md (one minute on two cores), a budget to watch rather
   than a timed test that would fail on a busy machine.

2. **One execution per notebook per run.** nbval executes every chapter as a test; the book
   build (``make test-book``) then needs the same executed notebooks. Instead of executing
   them a second time, every notebook whose cells all passed is written, with its outputs
   and its widget state, into the book's jupyter-cache (``_build/.jupyter_cache``, the path
   myst-nb uses for ``execute_notebooks: cache``). The build finds each notebook there by
   the hash of its code and renders the stored outputs. ``make test`` and ``make book``
   empty that cache first, so a cached output is always one computed in the same run, with
   the library as it is now.
"""
from __future__ import annotations

import base64
import os
from collections import defaultdict
from pathlib import Path

import pytest

NOTEBOOK_BUDGET_SECONDS = 60.0
ROOT = Path(__file__).resolve().parent
BOOK_CACHE = ROOT / "_build" / ".jupyter_cache"

_notebook_seconds = defaultdict(float)
_notebook_failed = set()
_widget_state = defaultdict(dict)     # notebook path -> comm id -> widget state
_widget_buffers = defaultdict(dict)   # notebook path -> comm id -> {path: buffer}
_output_messages = defaultdict(list)  # notebook path -> output messages of the current cell
_capturing = {}                       # notebook path -> comm id of an Output widget capturing
_OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error", "clear_output",
                 "update_display_data")


# -- 1. timings ------------------------------------------------------------------------------
def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration
        if report.failed:
            _notebook_failed.add(path)


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    tr = terminalreporter
    tr.write_sep("=", "notebook execution times (all cells, set-up included)")
    for path, seconds in sorted(_notebook_seconds.items()):
        over = seconds > NOTEBOOK_BUDGET_SECONDS
        flag = f"  OVER the {NOTEBOOK_BUDGET_SECONDS:.0f} s budget" if over else ""
        tr.write_line(f"{seconds:7.1f} s  {path}{flag}")
    tr.write_line(f"{sum(_notebook_seconds.values()):7.1f} s  in all")


# -- 2. executed notebooks into the book's cache ---------------------------------------------
def _record_widget_message(nb_key, msg):
    """Keep the widget models' state as nbclient does (store_widget_state=True), so the
    cached notebook carries the widget-state metadata that myst-nb embeds in the HTML."""
    data = msg["content"].get("data") or {}
    if "state" not in data:
        return
    comm_id = msg["content"]["comm_id"]
    _widget_state[nb_key].setdefault(comm_id, {}).update(data["state"])
    paths = data.get("buffer_paths") or []
    for path, buffer in zip(paths, msg.get("buffers") or []):
        _widget_buffers[nb_key].setdefault(comm_id, {})[tuple(path)] = {
            "data": base64.b64encode(bytes(buffer)).decode("ascii"),
            "encoding": "base64", "path": path}


def _capture_into_widget(key, comm_id, msg):
    """Keep an output in its Output widget's state (outputs), as nbclient does."""
    import nbformat

    state = _widget_state[key].setdefault(comm_id, {})
    if msg["msg_type"] == "clear_output":
        state["outputs"] = []
    elif msg["msg_type"] != "update_display_data":
        state.setdefault("outputs", []).append(nbformat.v4.output_from_msg(msg))


def _install_widget_tee():
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:  # nbval not installed: nothing to cache
        return
    if getattr(IPyNbFile, "_book_cache_tee", False):
        return
    original = IPyNbFile.get_kernel_message

    def get_kernel_message(self, *args, **kwargs):
        msg = original(self, *args, **kwargs)
        key = str(self.fspath)
        if msg["msg_type"] in ("comm_open", "comm_msg"):
            _record_widget_message(key, msg)
            state = (msg["content"].get("data") or {}).get("state") or {}
            if "msg_id" in state:
                # an Output widget (e.g. of interact) starts or stops capturing: as in a
                # front end, what the kernel prints meanwhile belongs to the widget
                _capturing[key] = msg["content"]["comm_id"] if state["msg_id"] else None
        elif msg["msg_type"] in _OUTPUT_TYPES:
            widget = _capturing.get(key)
            if widget:
                _capture_into_widget(key, widget, msg)
            else:
                _output_messages[key].append(msg)
        return msg

    IPyNbFile.get_kernel_message = get_kernel_message
    IPyNbFile._book_cache_tee = True


def pytest_configure(config):
    if config.getoption("nbval_lax", default=False) or config.getoption("nbval", default=False):
        _install_widget_tee()


def _widgets_metadata(nb_key):
    state = {}
    for comm_id, s in _widget_state.get(nb_key, {}).items():
        if "_model_name" not in s:
            continue
        entry = {"model_name": s.get("_model_name"), "model_module": s.get("_model_module"),
                 "model_module_version": s.get("_model_module_version"), "state": s}
        buffers = _widget_buffers.get(nb_key, {}).get(comm_id)
        if buffers:
            entry["buffers"] = list(buffers.values())
        state[comm_id] = entry
    if not state:
        return None
    return {"application/vnd.jupyter.widget-state+json":
            {"state": state, "version_major": 2, "version_minor": 0}}


def _cache_executed_notebook(nb_file):
    """Store a fully passed notebook, with its outputs, in the book's jupyter-cache."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    nb = nbformat.from_dict(nb_file.nb)
    # jupyter-cache merges cached cells back by position among the code cells, so it stores
    # code cells only (as its own executor does).
    nb.cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    widgets = _widgets_metadata(str(nb_file.fspath))
    if widgets:
        nb.metadata["widgets"] = widgets
    uri = str(Path(str(nb_file.fspath)).resolve())
    get_cache(str(BOOK_CACHE)).cache_notebook_bundle(
        CacheBundleIn(nb, uri, data={"execution_seconds": _notebook_seconds.get(
            os.path.relpath(uri, ROOT), None)}),
        check_validity=False, overwrite=True)


def _outputs_from_messages(messages):
    """The cell's outputs as a notebook front end keeps them: nbval records every output
    message, but a front end (and nbclient) also obeys clear_output, which widgets and
    live figures send before they redraw."""
    import nbformat

    outputs, clear_pending = [], False
    for msg in messages:
        kind = msg["msg_type"]
        if kind == "clear_output":
            if msg["content"].get("wait"):
                clear_pending = True
            else:
                outputs = []
            continue
        if kind == "update_display_data":
            continue  # updates a display by id; the book shows the first rendering
        if clear_pending:
            outputs, clear_pending = [], False
        out = nbformat.v4.output_from_msg(msg)
        if out.output_type == "stream" and outputs and outputs[-1].output_type == "stream" \
                and outputs[-1].name == out.name:
            outputs[-1].text += out.text
        else:
            outputs.append(out)
    return outputs


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    cell = getattr(item, "cell", None)
    if cell is None or item.__class__.__name__ != "IPyNbCell":
        return
    # nbval's cell is the notebook's own cell object: give it what the kernel printed.
    messages = _output_messages.pop(str(item.parent.fspath), [])
    cell.outputs = _outputs_from_messages(messages)
    counts = [o.get("execution_count") for o in cell.outputs if "execution_count" in o]
    cell.execution_count = counts[-1] if counts else None
    nb_file = item.parent
    if nextitem is not None and nextitem.parent is nb_file:
        return
    path = item.nodeid.split("::", 1)[0]
    if path in _notebook_failed or os.environ.get("PLRNN_NO_BOOK_CACHE"):
        return
    _cache_executed_notebook(nb_file)
