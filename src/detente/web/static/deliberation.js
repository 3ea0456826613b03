// Deliberation pages: a live character counter for new statements, and news from the page's
// event stream (new statements, the deliberation opened or closed) shown below the current
// statement without reloading, so that nobody loses their place or what they were typing.
// Everything works without it.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var out = document.getElementById(area.getAttribute("data-counter"));
    if (!out) { return; }
    var update = function () {
      var n = area.value.trim().length;
      out.textContent = n + " / 280";
      out.className = (n > 0 && n < 10) || n > 280 ? "meta error" : "meta";
    };
    area.addEventListener("input", update);
    update();
  });

  var page = document.querySelector("[data-events]");
  if (!page || !window.EventSource) { return; }
  var rendered = page.getAttribute("data-status");
  var joined = page.getAttribute("data-joined") === "true";
  var show = function (id, html) {
    var box = document.getElementById(id);
    if (!box) { return; }
    box.innerHTML = html || "";
    box.hidden = !html;
  };
  var read = function (event) {
    try { return JSON.parse(event.data); } catch (e) { return null; }
  };
  var connect = function () {
    var source = new EventSource(page.getAttribute("data-events"));
    source.addEventListener("statements", function (event) {
      var data = read(event);
      if (data && joined && rendered === "open") { show("d-live-statements", data["new"] > 0 ? data.html : ""); }
    });
    source.addEventListener("status", function (event) {
      var data = read(event);
      if (data) { show("d-live-status", data.status !== rendered ? data.html : ""); }
    });
    source.addEventListener("error", function () {
      if (source.readyState === 2) {  // refused (e.g. the server is busy): try again later
        source.close();
        window.setTimeout(connect, 5000 + Math.random() * 10000);
      }
    });
  };
  connect();
}());
