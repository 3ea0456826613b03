// The projector's live view: keeps the counters, the board and the status current from the
// page's server-sent events. The server renders every fragment (in the page's language);
// this script only swaps them in. Without it the page refreshes itself every 30 seconds.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) { return; }
  var url = root.getAttribute("data-live-events");

  function swap(id, html) {
    var target = document.getElementById(id);
    if (target && typeof html === "string") { target.innerHTML = html; }
  }

  function read(event) {
    try { return JSON.parse(event.data); } catch (e) { return null; }
  }

  function connect() {
    if (!window.EventSource || !url) { return; }
    var source = new EventSource(url);
    source.addEventListener("open", function () { root.setAttribute("data-connection", "live"); });
    source.addEventListener("status", function (event) {
      var data = read(event);
      if (data && data.status) { root.setAttribute("data-status", data.status); }
    });
    source.addEventListener("counts", function (event) {
      var data = read(event);
      if (data) { swap("live-counts", data.html); }
    });
    source.addEventListener("board", function (event) {
      var data = read(event);
      if (data) { swap("live-board", data.html); }
    });
    source.addEventListener("error", function () {
      root.setAttribute("data-connection", "lost");
      if (source.readyState === 2) {  // closed for good (an error answer): try again later
        source.close();
        window.setTimeout(connect, 3000 + Math.random() * 7000);
      }
    });
  }

  var button = document.getElementById("live-fullscreen");
  var page = document.documentElement;
  if (button && page.requestFullscreen) {
    var toggle = function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { page.requestFullscreen(); }
    };
    button.hidden = false;
    button.addEventListener("click", toggle);
    document.addEventListener("keydown", function (event) {
      if ((event.key === "f" || event.key === "F") && !event.ctrlKey && !event.metaKey && !event.altKey) { toggle(); }
    });
    document.addEventListener("fullscreenchange", function () {
      root.setAttribute("data-fullscreen", document.fullscreenElement ? "true" : "false");
    });
  }
  connect();
}());
