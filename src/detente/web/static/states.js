// State positions: hovering a bloc's heading highlights its members on the bloc map.
(function () {
  "use strict";
  var points = document.querySelectorAll(".bloc-map [data-key]");
  if (!points.length) { return; }
  document.querySelectorAll(".bloc[data-members]").forEach(function (bloc) {
    var members = bloc.getAttribute("data-members").split(" ");
    bloc.addEventListener("mouseenter", function () {
      points.forEach(function (p) {
        var inside = members.indexOf(p.getAttribute("data-key")) >= 0;
        p.classList.toggle("highlight", inside);
        p.classList.toggle("dim", !inside);
      });
    });
    bloc.addEventListener("mouseleave", function () {
      points.forEach(function (p) { p.classList.remove("highlight", "dim"); });
    });
  });
})();
