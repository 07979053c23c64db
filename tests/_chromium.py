"""Headless Chromium for the browser tests (tests/test_browser.py, tests/test_jupyterlab.py).

One place for the executable, its launch options and the skip-or-fail rule. The options keep
Chromium off the network beyond the pages under test: without the background-networking
flags it tries Google's hosts at every start, which a closed network refuses.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from _ci import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def unavailable(reason):
    """Skip the test, saying what to install; fail instead when the CI variable is set."""
    skip_or_fail(f"{reason}; install it with: apt-get install chromium (Debian's package; "
                 "playwright from PyPI)")


def require_chromium():
    """Skip (or fail in CI) unless the Chromium executable exists."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium not found at {CHROMIUM}")


def sync_playwright():
    """playwright's ``sync_playwright``, or a skip (a failure in CI) without the package."""
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        unavailable("the playwright package is not installed (pip install -r requirements.txt)")
    return start()


def launch(pw):
    """A headless Chromium browser from a started playwright ``pw``."""
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
