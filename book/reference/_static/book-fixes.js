/* Added to every page by book/reference/book_html_fixes.py.
   Figures keep a legible scale on narrow screens. A figure wider than the text column is
   shrunk to fit, and its text with it: on a 390 px phone, an 11-inch, three-panel figure would
   show its tick labels at 4 px. So every figure in a cell's output gets a minimum width of
   BOOK_MIN_PX_PER_INCH CSS pixels per inch of figure (11 pt ticks at 9 px and more); where the
   column is narrower than that, the figure scrolls sideways inside its output box instead.
   Static figures are PNGs saved at the book style's savefig.dpi (BOOK_FIGURE_DPI, set by
   book_html_fixes.py from plrnn_lib.plotting.style); kernel-free animations carry their own
   dpi in data-figure-dpi (plrnn_lib.plotting._animation.render_jshtml). */
(function () {
  "use strict";
  var PX_PER_INCH = window.BOOK_MIN_PX_PER_INCH || 60;

  function figureDpi(img) {
    var holder = img.closest("[data-figure-dpi]");
    return parseFloat(holder ? holder.getAttribute("data-figure-dpi") : window.BOOK_FIGURE_DPI) || 100;
  }

  function keepLegible(img) {
    if (!img.naturalWidth) return;
    var inches = img.naturalWidth / figureDpi(img);
    // never wider than the image itself, so small figures are not blown up
    var minWidth = Math.min(img.naturalWidth, Math.round(inches * PX_PER_INCH));
    img.style.minWidth = minWidth + "px";
    img.classList.add("book-legible-figure");
  }

  function watch(img) {
    if (img.complete) keepLegible(img);
    // animations swap their frames' src: re-measure after each load (same size, cheap)
    img.addEventListener("load", function () { keepLegible(img); });
  }

  function init() {
    document.querySelectorAll(".cell_output img").forEach(watch);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
