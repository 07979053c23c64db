"""A chapter as a student meets it: run in JupyterLab, its live widget moved, the figure redrawn.

The HTML book is checked by tests/test_browser.py; this test checks the notebooks' own path.
It starts JupyterLab (from requirements.txt) on localhost with a token, on a copy of chapter 1
in a temporary folder (JupyterLab autosaves, and the repository stores notebooks without
outputs), opens it in headless Chromium driven by playwright, runs all cells from the Run menu
and waits until every code cell has run. Then it checks the live phase-portrait explorer:

- its sliders are long enough to use: the track of the ``a11`` slider is at least
  ``MIN_TRACK_PX`` wide at a laptop size, so one pixel of drag moves ``a11`` by less than 1 %
  of its range (issue 10: a 100 px track made an 80 px drag span all of it);
- dragging the ``a11`` handle changes the slider's value and redraws the figure: the PNG in
  the widget's output area after the drag differs from the one before.

Screenshots before and after the drag are saved to _build/screenshots/jupyterlab-*.png.

Marked and skipped like the other browser tests: without Chromium (/usr/bin/chromium) or
playwright the test is skipped with a message, and fails instead when CI is set.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _chromium import launch, require_chromium, sync_playwright, unavailable

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "_build" / "screenshots"
CHAPTER = "01_plrnn.ipynb"
LAPTOP = {"width": 1366, "height": 768}
#: The narrowest usable slider track: a11's range of 2.4 over 240 px is 0.01 per pixel.
MIN_TRACK_PX = 240
#: Seconds to wait for the chapter to run (it runs in under a minute on two cores).
RUN_TIMEOUT_S = 240

pytestmark = pytest.mark.book


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, timeout=2.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the chapter; yields (base URL, token, notebook folder)."""
    require_chromium()
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        unavailable("jupyterlab is not installed (pip install -r requirements.txt)")
    work = tmp_path_factory.mktemp("lab")
    notebooks, state = work / "notebooks", work / "state"
    notebooks.mkdir()
    state.mkdir()
    shutil.copy(ROOT / "book" / CHAPTER, notebooks / CHAPTER)
    # every cell in the page (JupyterLab 4 renders only the cells near the view by default),
    # so the test sees every cell's prompt
    tracker = state / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = _free_port(), secrets.token_hex(16)
    # A clean Jupyter configuration, no news or update checks (the machine may be offline),
    # and no MPLBACKEND, so the kernel uses matplotlib's inline backend as a student's does.
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(JUPYTER_CONFIG_DIR=str(state / "config"), JUPYTER_RUNTIME_DIR=str(state / "rt"),
               IPYTHONDIR=str(state / "ipython"))
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={notebooks}", "--ServerApp.port_retries=0",
           f"--LabApp.user_settings_dir={state / 'settings'}",
           f"--LabApp.workspaces_dir={state / 'workspaces'}",
           "--LabApp.news_url=", "--LabApp.extension_manager=readonly",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")      # containers and CI machines often run as root
    log = open(work / "jupyterlab.log", "w")
    proc = subprocess.Popen(cmd, cwd=notebooks, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail("JupyterLab exited at start:\n"
                            + (work / "jupyterlab.log").read_text()[-3000:])
            try:
                if _get(f"{base}/api/status?token={token}")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("JupyterLab did not answer within 90 s:\n"
                            + (work / "jupyterlab.log").read_text()[-3000:])
            time.sleep(0.5)
        yield base, token, notebooks
    finally:
        # shut the server down through its API (it stops its kernels), then make sure
        request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
        try:
            urllib.request.urlopen(request, timeout=10)
        except Exception:   # noqa: BLE001 - already gone
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


def _in_own_thread(fn):
    """Run ``fn()`` in a thread of its own and return its result (or raise its exception).

    Playwright's sync API refuses to start in a thread where another one runs, and
    tests/test_browser.py keeps its browser open for the whole session."""
    outcome = {}

    def target():
        try:
            outcome["value"] = fn()
        except BaseException as exc:   # noqa: BLE001 - pytest.fail raises a BaseException
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="jupyterlab-browser")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _with_lab_page(lab, check):
    """Open the chapter in JupyterLab in headless Chromium (offline) and run ``check(page)``."""
    base, token, _ = lab
    origin = urlsplit(base).netloc

    def route(r):
        if urlsplit(r.request.url).netloc == origin or r.request.url.startswith("data:"):
            r.continue_()
        else:       # offline: nothing but the local server
            r.abort("internetdisconnected")

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            context = browser.new_context(viewport=LAPTOP, device_scale_factor=1)
            context.route("**/*", route)
            page = context.new_page()
            page.goto(f"{base}/lab/tree/{CHAPTER}?token={token}", wait_until="load")
            return check(page, base, token)
        finally:
            browser.close()


# JupyterLab's own markup: a code cell's prompt reads "[*]:" while it runs, "[n]:" after.
PROMPTS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).map(e => e.textContent.trim())"""
ERRORS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    .map(e => e.textContent.slice(0, 400))"""


STATUS_JS = """() => Array.from(document.querySelectorAll('.jp-StatusBar-Widget'))
    .map(e => e.textContent).join(' ')"""


def _wait_for_kernel(page, base, token, timeout_s=90):
    """Until the notebook's kernel runs and the page is connected to it: the server lists
    an idle kernel and the status bar says so. (Run All before that runs nothing.)"""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        kernels = json.loads(_get(f"{base}/api/kernels?token={token}")[1])
        if kernels and all(k["execution_state"] == "idle" for k in kernels) \
                and "| Idle" in page.evaluate(STATUS_JS):
            return
        page.wait_for_timeout(500)
    pytest.fail(f"the kernel did not start within {timeout_s} s; status bar: "
                f"{page.evaluate(STATUS_JS)[:200]!r}")


def _run_all(page, base, token):
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
    _wait_for_kernel(page, base, token)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        prompts = page.evaluate(PROMPTS_JS)
        if prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
            return prompts
        if any(re.fullmatch(r"\[\d+\]:", p) for p in prompts) and page.evaluate(
                "() => document.querySelector(\".jp-Notebook-ExecutionIndicator\")"
                ".getAttribute('data-status')") == "idle" and \
                not any(p == "[*]:" for p in prompts):
            break   # the kernel stopped with cells left unrun: an error
        page.wait_for_timeout(1000)
    errors = page.evaluate(ERRORS_JS)
    pytest.fail(f"the chapter did not run to the end in JupyterLab; prompts "
                f"{page.evaluate(PROMPTS_JS)}; error outputs: {errors[:3]}")


def _slider(page, name):
    """The ipywidgets slider whose description is ``name``."""
    sliders = page.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(rf"^{re.escape(name)}$")))
    assert sliders.count() == 1, f"expected one slider {name!r}, found {sliders.count()}"
    return sliders.first


def _figure_src(page):
    """The PNG the explorer's output area shows (its data: URL)."""
    img = page.locator(".widget-output img, .jupyter-widgets-output-area img").first
    img.wait_for(state="visible", timeout=30_000)
    return img.get_attribute("src")


def test_chapter_runs_and_its_live_widget_redraws(lab):
    _in_own_thread(lambda: _with_lab_page(lab, _run_and_move_a_slider))


def _run_and_move_a_slider(page, base, token):
    SHOTS.mkdir(parents=True, exist_ok=True)
    prompts = _run_all(page, base, token)
    assert len(prompts) >= 10, prompts
    slider = _slider(page, "a11")
    slider.scroll_into_view_if_needed()
    before = _figure_src(page)
    assert before and before.startswith("data:image/png"), before
    page.screenshot(path=str(SHOTS / "jupyterlab-before.png"))

    track = slider.locator(".noUi-target, .slider-container").first
    track_box = track.bounding_box()
    assert track_box["width"] >= MIN_TRACK_PX, (
        f"the a11 slider's track is {track_box['width']:.0f} px wide, less than "
        f"{MIN_TRACK_PX} px: too short to set a11 precisely")

    readout = slider.locator(".widget-readout")
    value_before = readout.inner_text()
    handle = slider.locator(".noUi-handle").first
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 20, y, steps=5)     # a small drag to the left: a11 goes down
    page.mouse.move(x - 40, y, steps=5)
    page.mouse.up()
    page.wait_for_function(
        """(old) => { const img = document.querySelector(
              '.widget-output img, .jupyter-widgets-output-area img');
              return img && img.src !== old; }""", arg=before, timeout=30_000)
    after = _figure_src(page)
    value_after = readout.inner_text()
    page.screenshot(path=str(SHOTS / "jupyterlab-after.png"))

    assert float(value_after) < float(value_before), (value_before, value_after)
    # 40 px of a track of at least MIN_TRACK_PX: a small change, not the whole range
    assert float(value_before) - float(value_after) < 0.5, (value_before, value_after)
    assert after.startswith("data:image/png") and after != before
    (SHOTS / "jupyterlab.json").write_text(json.dumps(
        {"track_px": track_box["width"], "a11_before": value_before, "a11_after": value_after},
        indent=1))
