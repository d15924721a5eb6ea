/* vhttdl: the little behaviour every page shares, from a static file (the CSP allows no inline script).
   - <form data-confirm="Question?">: asks before submitting (instead of onsubmit="return confirm(...)");
     a button may carry its own data-confirm. */
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
})();
