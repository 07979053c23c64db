"""The built book in a real browser: headless Chromium (Debian's package) driven by playwright.

The HTML in _build/html (built once per session by the ``book_build`` fixture in conftest.py)
is served on localhost and every page is opened once at a laptop size and once at a phone
size. The visit records what the checks below assert on, page by page:

- no JavaScript errors (console errors, uncaught exceptions), no internal request that fails;
- every internal link, image, script and stylesheet exists, and every ``#anchor`` exists in
  its target page;
- mathematics is typeset by MathJax (output present, no TeX errors, no raw ``$$`` or
  ``$...$`` left, in prose or in Markdown that a cell displayed), and no Markdown table is
  left as raw ``| --- |`` text;
- each kernel-free animation (matplotlib ``to_jshtml``) changes the frame shown when its
  "Next frame" button is clicked;
- chapter pages carry the Binder and Colab launch buttons and the notebook download button;
- the search page finds a word taken from a chapter;
- nothing is wider than a phone's screen (the page itself does not scroll sideways);
- no code line is wider than its code box at the laptop size, and the boxes hold the book's
  88-character lines; no display equation is wider than its column, at either size;
- no printed output shows a numpy scalar's type (``np.int64(3)``);
- every figure in a chapter's output is numbered and captioned;
- every figure keeps its text legible: at least 55 CSS pixels per inch of figure at both
  sizes (a wide figure scrolls sideways in its output box on a phone instead).

Screenshots of every page (full page, 1366x768 and 390x844) are saved to _build/screenshots.

The machine is offline: requests to other hosts are blocked and recorded, and the console
errors they cause ("Failed to load resource") are not counted. MathJax ships with the book
(sphinx-mathjax-offline), so mathematics is checked for real; the ipywidgets embed manager
comes from a CDN, and widgets need a kernel anyway, so they are not checked here.

Without Chromium (/usr/bin/chromium) the tests are skipped, saying to ``apt-get install
chromium``; when the environment variable CI is set they fail instead.
"""
from __future__ import annotations

import functools
import json
import re
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from _chromium import launch, require_chromium, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "_panels_static"}

pytestmark = pytest.mark.book


# -- set-up ------------------------------------------------------------------------------------
def chapter_pages():
    """Pages built from notebooks in book/ (the chapters)."""
    return sorted(f"book/{p.stem}.html" for p in (ROOT / "book").glob("*.ipynb"))


def html_pages():
    """Every HTML page of the build, relative to _build/html, except redirects and assets."""
    pages = []
    for p in sorted(HTML.rglob("*.html")):
        rel = p.relative_to(HTML)
        if rel.parts[0] in SKIP_DIRS:
            continue
        head = p.read_text(errors="ignore")[:2000]
        if re.search(r'http-equiv="refresh"', head, re.I) and "<body" not in head.lower():
            continue        # jupyter-book's index.html -> book/intro.html redirect
        pages.append(rel.as_posix())
    return pages


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def built(book_build):
    if not (HTML / "index.html").is_file():
        pytest.fail("the book build produced no _build/html/index.html:\n"
                    + (book_build.stdout + book_build.stderr)[-3000:])
    return HTML


@pytest.fixture(scope="session")
def server(built):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(built)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    with sync_playwright() as pw:
        b = launch(pw)
        try:
            yield b
        finally:
            b.close()


# -- one visit per page and viewport ---------------------------------------------------------
COLLECT_JS = r"""(VIEWPORT_WIDTH) => {
  const out = {links: [], images: [], ids: [], math: {}, animations: 0, overflow: 0};
  for (const a of document.querySelectorAll('a[href]'))
    out.links.push({kind: 'a', url: a.href, raw: a.getAttribute('href'), text: (a.textContent || '').trim().slice(0, 60)});
  for (const l of document.querySelectorAll('link[href]'))
    if (/stylesheet|icon|preload|search/.test(l.rel || '')) out.links.push({kind: 'link', url: l.href, raw: l.getAttribute('href'), text: l.rel});
  for (const s of document.querySelectorAll('script[src]'))
    out.links.push({kind: 'script', url: s.src, raw: s.getAttribute('src'), text: ''});
  for (const img of document.querySelectorAll('img')) {
    out.images.push({url: img.currentSrc || img.src, raw: (img.getAttribute('src') || '').slice(0, 80),
                     complete: img.complete, width: img.naturalWidth, lazy: img.loading === 'lazy',
                     alt: img.alt || ''});
    if (!(img.getAttribute('src') || '').startsWith('data:'))
      out.links.push({kind: 'img', url: img.currentSrc || img.src, raw: img.getAttribute('src'), text: img.alt || ''});
  }
  const main = document.querySelector('main') || document.body;
  out.math.sources = document.querySelectorAll('.math, span.math, div.math').length;
  out.math.rendered = document.querySelectorAll('mjx-container').length;
  out.math.errors = Array.from(document.querySelectorAll('mjx-merror')).map(e => e.getAttribute('data-mjx-error') || e.textContent).slice(0, 5);
  out.math.unrendered = Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container') && !e.closest('mjx-container')).length;
  // Text outside code, prose and rendered Markdown outputs alike, that still holds TeX
  // ($$, $...$ around something, or a $ opening a TeX command) or a Markdown table row:
  // it was not parsed.
  const unparsed = /\$\$|\$[^$\s][^$]*\$|\$\\[A-Za-z]|\|\s*[-\u2014:]{3,}\s*\|/;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {acceptNode(n) {
      const p = n.parentElement;
      // (.sig: a function signature, whose default values are literal strings)
      if (!p || p.closest('pre, code, script, style, textarea, .highlight, mjx-container, .sig')) return NodeFilter.FILTER_REJECT;
      return unparsed.test(n.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP; }});
  out.math.raw = [];
  while (walker.nextNode()) out.math.raw.push(walker.currentNode.nodeValue.trim().slice(0, 80));
  out.animations = document.querySelectorAll('div.animation').length;
  // Scale of each figure in a cell's output, in CSS pixels per inch of figure (its PNG's
  // width over its dpi: the book style's savefig.dpi, or data-figure-dpi on an animation).
  out.figures = [];
  for (const img of document.querySelectorAll('.cell_output img')) {
    // (skipped: images not laid out, such as those in a tab not selected)
    if (!img.naturalWidth || !img.getClientRects().length) continue;
    const holder = img.closest('[data-figure-dpi]');
    const dpi = parseFloat(holder ? holder.getAttribute('data-figure-dpi') : window.BOOK_FIGURE_DPI);
    out.figures.push({src: (img.getAttribute('src') || '').slice(0, 60), dpi: dpi,
                      px_per_inch: img.getBoundingClientRect().width / (img.naturalWidth / dpi)});
  }
  out.overflow = document.documentElement.scrollWidth - VIEWPORT_WIDTH;
  // What sticks out: elements past the right edge that no scrolling box around them clips.
  out.wide = [];
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  };
  if (out.overflow > 1)
    for (const e of document.querySelectorAll('main *')) {
      const r = e.getBoundingClientRect();
      if (r.right > VIEWPORT_WIDTH + 1 && r.width > 0 && !clipped(e)) {
        out.wide.push(`${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} at x=${Math.round(r.left)}, ${Math.round(r.width)} px wide: ${(e.textContent || '').trim().slice(0, 50)}`);
        if (out.wide.length >= 6) break;
      }
    }
  // Code boxes (cell inputs and code blocks, not outputs): a line wider than its box is
  // cut off (the box scrolls). The first box also says how many characters fit in it.
  out.code = {boxes: 0, wide: [], fits: null};
  for (const pre of main.querySelectorAll('div.highlight pre')) {
    if (pre.closest('.cell_output') || !pre.getClientRects().length) continue;
    out.code.boxes += 1;
    if (pre.scrollWidth > pre.clientWidth + 1) {
      const longest = (pre.textContent || '').split('\n').reduce((a, b) => b.length > a.length ? b : a, '');
      out.code.wide.push(`${pre.scrollWidth - pre.clientWidth} px too wide: ${longest.trim().slice(0, 70)}`);
    }
    if (out.code.fits === null) {
      const cs = getComputedStyle(pre);
      const probe = document.createElement('span');
      probe.textContent = 'x'.repeat(100);
      pre.appendChild(probe);
      const perChar = probe.getBoundingClientRect().width / 100;
      probe.remove();
      const inner = pre.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      out.code.fits = Math.floor(inner / perChar + 1e-6);
    }
  }
  // Display equations wider than their column (book-fixes.css lets them scroll sideways).
  out.math.wide = [];
  for (const m of main.querySelectorAll('mjx-container[display="true"]')) {
    if (m.getClientRects().length && m.scrollWidth > m.clientWidth + 1)
      out.math.wide.push(`${m.scrollWidth - m.clientWidth} px too wide: ` +
                         ((m.querySelector('mjx-assistive-mml') || m).textContent || '').trim().slice(0, 60));
  }
  // numpy scalars printed with their type (np.int64(3)) instead of formatted.
  out.numpy_reprs = [];
  for (const o of main.querySelectorAll('.cell_output')) {
    const hit = (o.textContent || '').match(/np\.(u?int|float|complex|bool|str)_?\d*\([^)]{0,30}\)?/);
    if (hit) out.numpy_reprs.push(hit[0]);
  }
  // Figures in cell outputs: each should sit in a numbered figure with a caption.
  out.uncaptioned = [];
  for (const img of main.querySelectorAll('.cell_output img')) {
    if (img.closest('div.animation') || img.closest('.widget-output')) continue;
    const fig = img.closest('figure');
    const cap = fig && fig.querySelector('figcaption');
    if (!cap || !/Fig\. ?\d+/.test(cap.textContent || ''))
      out.uncaptioned.push((img.getAttribute('src') || '').slice(-40));
  }
  out.title = document.title;
  return out;
}"""

MATHJAX_READY_JS = r"""async () => {
  if (!document.querySelector('.math')) return 'no math';
  for (let i = 0; i < 100 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
    await new Promise(r => setTimeout(r, 100));
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return 'MathJax did not load';
  await MathJax.startup.promise;
  return 'typeset';
}"""


def _shot_name(page, viewport):
    return page[:-len(".html")].replace("/", "__") + f"-{viewport}.png"


def _exercise_animations(page):
    """Click 'Next frame' on every to_jshtml animation; report whether the frame changed."""
    results = []
    for i, anim in enumerate(page.locator("div.animation").all()):
        img = anim.locator("img").first
        button = anim.locator('button[title="Next frame"]').first
        if img.count() == 0 or button.count() == 0:
            results.append({"index": i, "ok": False, "why": "no image or no 'Next frame' button"})
            continue
        if not anim.is_visible():
            # in a tab not selected (sphinx-design tab-set): select it, as a reader would
            anim.evaluate("el => { const c = el.closest('.sd-tab-content'); "
                          "if (c && c.previousElementSibling) c.previousElementSibling.click(); }")
        anim.scroll_into_view_if_needed()
        before = img.get_attribute("src") or ""
        changes = 0
        for _ in range(2):
            button.click()
            try:
                page.wait_for_function("([el, s]) => el.getAttribute('src') !== s",
                                       arg=[img.element_handle(), before], timeout=3000)
            except Exception:   # noqa: BLE001 - a timeout means the frame did not change
                break
            after = img.get_attribute("src") or ""
            changes += after != before
            before = after
        results.append({"index": i, "ok": changes == 2,
                        "why": "" if changes == 2 else f"frame changed on {changes} of 2 clicks"})
    return results


def _offline_route(origin, blocked):
    """Route handler: let requests to our server through, block (and record) the rest."""
    def route(r):
        if urlsplit(r.request.url).netloc == origin or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort("internetdisconnected")
    return route


@pytest.fixture(scope="session")
def crawl(browser, server):
    """Visit every page at both sizes; return {page: {viewport: record}} and save screenshots."""
    start = time.perf_counter()
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    pages = html_pages()
    origin = urlsplit(server).netloc
    results = {p: {} for p in pages}
    for viewport, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size, device_scale_factor=1,
                                      is_mobile=viewport == "phone", has_touch=viewport == "phone")
        blocked = []
        context.route("**/*", _offline_route(origin, blocked))
        page = context.new_page()
        record = {}

        def on_console(msg):
            if msg.type != "error":
                return
            url = (msg.location or {}).get("url", "")
            text = msg.text
            if "Failed to load resource" in text and (not url or urlsplit(url).netloc != origin):
                return      # an external resource blocked offline
            record.setdefault("console", []).append(f"{text} ({url})")

        def on_pageerror(exc):
            record.setdefault("pageerrors", []).append(str(exc))

        def on_response(resp):
            if urlsplit(resp.url).netloc == origin and resp.status >= 400:
                record.setdefault("bad_responses", []).append(f"{resp.status} {resp.url}")

        def on_failed(req):
            if urlsplit(req.url).netloc == origin:
                record.setdefault("failed_requests", []).append(f"{req.failure} {req.url}")

        page.on("console", on_console)
        page.on("pageerror", on_pageerror)
        page.on("response", on_response)
        page.on("requestfailed", on_failed)
        for rel in pages:
            record = {"blocked": []}
            del blocked[:]
            page.goto(f"{server}/{rel}", wait_until="load")
            record["mathjax"] = page.evaluate(MATHJAX_READY_JS)
            page.wait_for_timeout(100)
            page.screenshot(path=str(SHOTS / _shot_name(rel, viewport)), full_page=True)
            record.update(page.evaluate(COLLECT_JS, size["width"]))
            if viewport == "laptop" and record["animations"]:
                record["animation_checks"] = _exercise_animations(page)
            record["blocked"] = sorted(set(blocked))
            results[rel][viewport] = record
        context.close()
    results["__seconds__"] = time.perf_counter() - start
    (SHOTS / "report.json").write_text(json.dumps(results, indent=1, default=str))
    return results


def _pages(crawl):
    return [p for p in crawl if not p.startswith("__")]


def _fail_if(problems, what):
    if problems:
        shown = "\n".join(problems[:60])
        more = f"\n... and {len(problems) - 60} more" if len(problems) > 60 else ""
        pytest.fail(f"{len(problems)} {what}:\n{shown}{more}")


# -- the checks --------------------------------------------------------------------------------
def test_pages_were_found(crawl):
    pages = _pages(crawl)
    assert "book/intro.html" in pages, pages
    for chapter in chapter_pages():
        assert chapter in pages, f"{chapter} missing from the build"
    print(f"\nvisited {len(pages)} pages at {len(VIEWPORTS)} sizes in {crawl['__seconds__']:.1f} s")


def test_no_javascript_errors(crawl):
    problems = []
    for page in _pages(crawl):
        for viewport, rec in crawl[page].items():
            for key in ("pageerrors", "console", "bad_responses", "failed_requests"):
                problems += [f"{page} [{viewport}] {key}: {m}" for m in rec.get(key, [])]
    _fail_if(problems, "JavaScript errors or failed requests")


@functools.lru_cache(maxsize=None)
def _anchors(path: Path) -> frozenset:
    text = path.read_text(errors="ignore")
    return frozenset(re.findall(r'\b(?:id|name)="([^"]+)"', text))


def _target_file(url_path: str) -> Path:
    rel = unquote(url_path).lstrip("/")
    target = HTML / rel
    if target.is_dir() or url_path.endswith("/"):
        target = target / "index.html"
    return target


def test_internal_links_anchors_and_images_resolve(crawl, server):
    origin = urlsplit(server).netloc
    problems, checked = [], 0
    for page in _pages(crawl):
        rec = crawl[page]["laptop"]
        for link in rec["links"]:
            parts = urlsplit(link["url"])
            if parts.scheme not in ("http", "https") or parts.netloc != origin:
                continue
            checked += 1
            target = _target_file(parts.path)
            if not target.is_file():
                problems.append(f"{page}: {link['kind']} {link['raw']!r} ({link['text']!r}) -> missing {target.relative_to(HTML)}")
                continue
            frag = unquote(parts.fragment)
            if frag and target.suffix == ".html" and not frag.startswith((":~:", "!")):
                if frag not in _anchors(target):
                    problems.append(f"{page}: {link['raw']!r} ({link['text']!r}) -> no #{frag} in {target.relative_to(HTML)}")
        for img in rec["images"]:
            if img["complete"] and img["width"] == 0 and not img["lazy"]:
                problems.append(f"{page}: image {img['raw']!r} ({img['alt']!r}) did not load")
    assert checked > 0, "no internal link found: is the crawl working?"
    _fail_if(problems, "broken internal links, anchors or images")


def test_mathematics_is_rendered(crawl):
    problems, pages_with_math = [], 0
    for page in _pages(crawl):
        rec = crawl[page]["laptop"]
        math = rec["math"]
        if math["raw"]:
            problems.append(f"{page}: unparsed TeX or Markdown left in the text: {math['raw'][:3]}")
        if not math["sources"]:
            continue
        pages_with_math += 1
        if rec["mathjax"] != "typeset":
            problems.append(f"{page}: {rec['mathjax']}")
        elif math["rendered"] == 0 or math["unrendered"]:
            problems.append(f"{page}: {math['unrendered']} of {math['sources']} formulas not typeset")
        if math["errors"]:
            problems.append(f"{page}: MathJax errors {math['errors']}")
    assert pages_with_math > 0, "no page with mathematics found (the notation page has some)"
    _fail_if(problems, "problems with mathematics")


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list) and all(isinstance(x, str) for x in obj):
        yield "".join(obj)          # a notebook's multi-line string
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def _animations_made(chapter: str) -> int:
    """Kernel-free animations (matplotlib's ``to_jshtml`` players) among the outputs of the
    chapter as the build rendered it: the executed notebook in the book's jupyter-cache
    (_build/.jupyter_cache; myst-nb's copy in _build/jupyter_execute holds no outputs in
    cache mode), and _build/jupyter_execute/book/NAME.glue.json for outputs glued into the
    text."""
    import nbformat
    from jupyter_cache import get_cache

    source = ROOT / chapter.replace(".html", ".ipynb")
    _, nb = get_cache(str(HTML.parent / ".jupyter_cache")).merge_match_into_notebook(
        nbformat.read(source, as_version=4))
    # Glued outputs (marked "scrapbook") are counted once, from the glue file.
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])
               if "scrapbook" not in out.get("metadata", {})]
    executed = HTML.parent / "jupyter_execute" / chapter.replace(".html", ".ipynb")
    glued = executed.with_suffix(".glue.json")
    if glued.is_file():
        outputs.append(json.loads(glued.read_text()))
    return sum(text.count('<div class="animation"') for text in _strings(outputs))


def test_kernel_free_animations_respond(crawl):
    problems, n = [], 0
    for page in _pages(crawl):
        for check in crawl[page]["laptop"].get("animation_checks", []):
            n += 1
            if not check["ok"]:
                problems.append(f"{page}: animation {check['index']}: {check['why']}")
    expected_total = 0
    for chapter in chapter_pages():
        expected = _animations_made(chapter)
        expected_total += expected
        shown = crawl.get(chapter, {}).get("laptop", {}).get("animations", 0)
        if shown != expected:
            problems.append(f"{chapter}: the executed notebook holds {expected} kernel-free "
                            f"animations, the page shows {shown}")
    print(f"\n{n} animations clicked")
    assert expected_total > 0, "no chapter makes a kernel-free animation: is the count working?"
    _fail_if(problems, "animations that do not respond")


def test_chapters_have_launch_and_download_buttons(crawl):
    problems = []
    for chapter in chapter_pages():
        rec = crawl.get(chapter, {}).get("laptop")
        if rec is None:
            problems.append(f"{chapter}: not built")
            continue
        urls = [link["url"] for link in rec["links"] if link["kind"] == "a"]
        stem = Path(chapter).stem
        if not any("mybinder.org" in u and f"{stem}.ipynb" in u for u in urls):
            problems.append(f"{chapter}: no Binder launch button for {stem}.ipynb")
        if not any("colab.research.google.com" in u and f"{stem}.ipynb" in u for u in urls):
            problems.append(f"{chapter}: no Colab launch button for {stem}.ipynb")
        if not any(urlsplit(u).path.endswith(f"/_sources/book/{stem}.ipynb") for u in urls):
            problems.append(f"{chapter}: no download button for the notebook (_sources/book/{stem}.ipynb)")
    _fail_if(problems, "missing buttons")


def _search_word(chapter: str) -> str:
    """A distinctive word of the chapter's text (longest alphabetic word of its headings/prose)."""
    nb = json.loads((ROOT / chapter.replace(".html", ".ipynb")).read_text())
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    text = re.sub(r"\$[^$]*\$|`[^`]*`|\{[^}]*\}|\([^)]*\)|<[^>]*>", " ", text)
    words = sorted(set(re.findall(r"\b[A-Za-z]{6,14}\b", text)), key=lambda w: (-len(w), w))
    return words[0].lower() if words else "plrnn"


def test_search_finds_a_word_of_a_chapter(browser, server, crawl):
    chapters = chapter_pages()
    if not chapters:
        pytest.skip("no chapter notebooks yet")
    chapter = chapters[0]
    word = _search_word(chapter)
    page = browser.new_page(viewport=VIEWPORTS["laptop"])
    page.route("**/*", _offline_route(urlsplit(server).netloc, []))
    try:
        page.goto(f"{server}/search.html?q={word}", wait_until="load")
        page.wait_for_selector("#search-results ul.search li a, ul.search li a", timeout=20000)
        page.wait_for_timeout(500)
        hrefs = page.eval_on_selector_all("ul.search li a", "els => els.map(e => e.href)")
        page.screenshot(path=str(SHOTS / "search-laptop.png"), full_page=True)
    finally:
        page.close()
    assert any(Path(chapter).stem in h for h in hrefs), \
        f"search.html?q={word} did not list {chapter}; results: {hrefs[:10]}"


def test_pages_fit_a_phone_screen(crawl):
    width = VIEWPORTS["phone"]["width"]
    problems = [f"{page}: {crawl[page]['phone']['overflow']} px wider than the {width} px screen; "
                f"too wide: {crawl[page]['phone']['wide']}"
                for page in _pages(crawl) if crawl[page]["phone"]["overflow"] > 1]
    _fail_if(problems, "pages that scroll sideways on a phone")


def test_code_lines_fit_their_boxes(crawl):
    """At a laptop size no code line runs past its box (it would be cut off: the box
    scrolls), and every page's code boxes hold the book's 88-character lines."""
    problems, boxes = [], 0
    for page in _pages(crawl):
        code = crawl[page]["laptop"]["code"]
        boxes += code["boxes"]
        problems += [f"{page}: {w}" for w in code["wide"]]
        if code["fits"] is not None and code["fits"] < 88:
            problems.append(f"{page}: a code box holds {code['fits']} characters, fewer than 88")
    assert boxes > 0, "no code box found: is the crawl working?"
    _fail_if(problems, "code lines wider than their boxes")


#: Pages whose display maths is not checked for width: the library reference renders the
#: docstrings' formulas, written for a laptop's width (not yet broken into phone-sized lines).
MATH_WIDTH_UNCHECKED = ("book/reference/",)


def test_display_maths_fits_its_column(crawl):
    problems = [f"{page} [{viewport}] {w}" for page in _pages(crawl)
                if not page.startswith(MATH_WIDTH_UNCHECKED)
                for viewport, rec in crawl[page].items() for w in rec["math"]["wide"]]
    _fail_if(problems, "display equations wider than the text column (break them into lines)")


def test_printed_numbers_are_formatted(crawl):
    problems = [f"{page}: {hit}" for page in _pages(crawl)
                for hit in crawl[page]["laptop"]["numpy_reprs"]]
    _fail_if(problems, "outputs that print numpy scalars with their type (format them)")


def test_chapter_figures_are_numbered_and_captioned(crawl):
    problems, n = [], 0
    for chapter in chapter_pages():
        rec = crawl.get(chapter, {}).get("laptop", {})
        n += len(rec.get("figures", []))
        problems += [f"{chapter}: figure ...{src}" for src in rec.get("uncaptioned", [])]
    assert n > 0, "no figure found in any chapter: is the crawl working?"
    _fail_if(problems, "figures without a number and caption (mystnb figure metadata)")


# 11 pt tick labels at 60 px per inch are 9 px tall; below 55 px per inch (8 px) they blur.
MIN_FIGURE_PX_PER_INCH = 55


def test_figures_stay_legible_at_both_sizes(crawl):
    problems, n = [], 0
    for page in _pages(crawl):
        for viewport, rec in crawl[page].items():
            for fig in rec.get("figures", []):
                n += 1
                if not fig["px_per_inch"] >= MIN_FIGURE_PX_PER_INCH:   # NaN (no dpi) fails too
                    problems.append(f"{page} [{viewport}] figure {fig['src']!r} (dpi {fig['dpi']}) "
                                    f"shown at {fig['px_per_inch']:.0f} px per inch")
    assert n > 0, "no figure found in any cell output: is the crawl working?"
    _fail_if(problems, f"figures shrunk below {MIN_FIGURE_PX_PER_INCH} px per inch (text too small to read)")


def test_screenshots_saved(crawl):
    for page in _pages(crawl):
        for viewport, size in VIEWPORTS.items():
            shot = SHOTS / _shot_name(page, viewport)
            assert shot.is_file() and shot.stat().st_size > 5000, f"no screenshot {shot}"
            # a full-page screenshot is as wide as the viewport and at least as tall
            head = shot.read_bytes()[16:24]
            width, height = int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")
            assert width == size["width"] and height >= size["height"] - 1, (shot.name, width, height)
