/* Move the keyboard focus to the error summary at the top of the form (GOV.UK pattern),
   so that a screen reader user hears at once what went wrong. Loaded right after the
   summary, only on a page that shows one. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
