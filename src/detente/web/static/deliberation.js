// Deliberation pages: a live character counter for new statements. Everything works without it.
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
}());
