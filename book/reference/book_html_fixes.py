"""Small fixes to the HTML of the book, each found by tests/test_browser.py.

- ``book-fixes.css`` (in ``_static/`` beside this file): wide display equations and
  ``to_jshtml`` animations fit a phone's screen instead of widening the whole page.
- ``book-fixes.js``: figures keep a legible minimum scale (CSS pixels per inch of figure) and
  scroll sideways in their output box on a phone instead of shrinking their text to a few
  pixels; it reads the book style's figure dpi, passed here from plrnn_lib.plotting.style.
- Each inline ``<script>`` is emitted once: sphinx-thebe 0.3 registers its configuration
  script (``const THEBE_JS_URL = ...``) twice under jupyter-book 1.0 and Sphinx 7.4, and the
  second copy throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.
- The theme's colour mode defaults to ``auto``: with the empty default, a first-time visitor's
  console shows "Got invalid theme mode" (pydata-sphinx-theme reads an empty
  ``data-mode``).
"""
from __future__ import annotations

from pathlib import Path

#: Minimum CSS pixels per inch of figure on any screen: 11 pt tick labels stay at 9 px or more.
MIN_PX_PER_INCH = 60

STATIC = Path(__file__).resolve().parent / "_static"


def _config_inited(app, config):
    config.html_static_path = list(config.html_static_path) + [str(STATIC)]
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")     # read by pydata-sphinx-theme's layout.html
    config.html_context = context


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        filename = getattr(js, "filename", js)
        attributes = getattr(js, "attributes", {}) or {}
        # sphinx-thebe's inline script arrives once with filename None, once with ''.
        key = (str(filename or ""), attributes.get("body"), attributes.get("src"))
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    scripts[:] = kept


def setup(app):
    app.connect("config-inited", _config_inited)
    # Early: 'html-page-context' stops at the first handler that returns a template name.
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.add_css_file("book-fixes.css")
    from plrnn_lib.plotting.style import BOOK_RC
    app.add_js_file(None, body=f"window.BOOK_FIGURE_DPI = {float(BOOK_RC['savefig.dpi'])}; "
                               f"window.BOOK_MIN_PX_PER_INCH = {MIN_PX_PER_INCH};")
    app.add_js_file("book-fixes.js")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
