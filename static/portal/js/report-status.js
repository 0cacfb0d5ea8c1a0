/* While a report is being made, fetch the status part every few seconds (the delay is
   the region's data-poll-seconds). While it is still working only what changed is
   replaced (so that screen readers hear just the new figure); once it is ready, failed
   or removed, the whole part is. */
(function () {
  "use strict";
  var region = document.getElementById("report-status");
  if (!region || !region.dataset.pollSeconds) {
    return;
  }
  var delay = Number(region.dataset.pollSeconds) * 1000;
  function replaceChanged(current, fresh) {
    ["status-line", "progress-text", "progress-bar"].forEach(function (id) {
      var old = current.querySelector("#" + id), now = fresh.querySelector("#" + id);
      if (old && now && old.outerHTML !== now.outerHTML) { old.replaceWith(now); }
    });
  }
  function poll() {
    fetch(region.dataset.url, {credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.querySelector("#report-status-part");
        var current = region.querySelector("#report-status-part");
        if (!fresh || !current) { return; }
        if (fresh.dataset.working === "true") {
          replaceChanged(current, fresh);
          window.setTimeout(poll, delay);
        } else {
          current.replaceWith(fresh);
        }
      })
      .catch(function () { window.setTimeout(poll, delay * 4); });
  }
  window.setTimeout(poll, delay);
})();
