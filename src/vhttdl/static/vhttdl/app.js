/* vhttdl: the little behaviour every page shares, from a static file (the CSP allows no inline script).
   - <form data-confirm="Question?">: asks before submitting (instead of onsubmit="return confirm(...)");
     a button may carry its own data-confirm.
   - A table that scrolls sideways (.table-wrap wider than the screen) can be reached and scrolled with
     the keyboard: it becomes focusable, named after its caption or the heading before it. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset && submitter.dataset.confirm) || (form.dataset && form.dataset.confirm);
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  function reachable(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(".table-wrap"), function (wrap) {
      if (wrap.hasAttribute("tabindex") || wrap.scrollWidth <= wrap.clientWidth + 1) return;
      wrap.setAttribute("tabindex", "0");
      if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        var caption = wrap.querySelector("caption");
        var heading = caption || (wrap.closest("section") || document).querySelector("h2, h3");
        if (heading && heading.textContent.trim()) wrap.setAttribute("aria-label", heading.textContent.trim());
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { reachable(document); });
  document.addEventListener("htmx:afterSettle", function (event) { reachable(event.target); });
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { reachable(document); }, 200);
  });
})();
