// State positions: hovering a bloc highlights its members on the bloc map, and the search box
// highlights and names on the map the states typed (codes or names, separated by commas).
(function () {
  "use strict";
  var map = document.querySelector("svg.bloc-map");
  if (!map) { return; }
  var svgNS = "http://www.w3.org/2000/svg";
  var points = Array.prototype.slice.call(map.querySelectorAll("circle.point[data-key]"));
  var names = {};
  document.querySelectorAll(".map-table tr[data-code]").forEach(function (row) {
    names[row.getAttribute("data-code")] = row.cells[0].textContent.trim();
  });
  var width = map.viewBox.baseVal ? map.viewBox.baseVal.width : 720;

  function clear() {
    points.forEach(function (p) { p.classList.remove("highlight", "dim"); });
    Array.prototype.slice.call(map.querySelectorAll("text.found")).forEach(function (t) {
      t.parentNode.removeChild(t);
    });
  }

  function mark(codes) {
    clear();
    if (!codes.length) { return; }
    points.forEach(function (p) {
      var inside = codes.indexOf(p.getAttribute("data-key")) >= 0;
      p.classList.toggle("highlight", inside);
      p.classList.toggle("dim", !inside);
    });
  }

  document.querySelectorAll(".bloc[data-members]").forEach(function (bloc) {
    var members = bloc.getAttribute("data-members").split(" ");
    bloc.addEventListener("mouseenter", function () { mark(members); });
    bloc.addEventListener("mouseleave", clear);
  });

  var input = document.getElementById("state-search");
  var status = document.getElementById("search-status");
  if (!input) { return; }

  function norm(text) { return text.trim().toLowerCase(); }

  function matches(term) {
    var t = norm(term);
    if (!t) { return []; }
    return points.filter(function (p) {
      var code = p.getAttribute("data-key").toLowerCase();
      var name = norm(names[p.getAttribute("data-key")] || "");
      return code === t || name === t || (t.length >= 2 && name.indexOf(t) === 0);
    });
  }

  function label(p) {
    var code = p.getAttribute("data-key");
    if (map.querySelector('text.point-label[data-key="' + code + '"]')) { return; }
    var x = parseFloat(p.getAttribute("cx"));
    var r = parseFloat(p.getAttribute("r"));
    var text = document.createElementNS(svgNS, "text");
    text.setAttribute("class", "point-label found");
    text.setAttribute("data-key", code);
    text.setAttribute("font-size", "10");
    text.setAttribute("font-weight", "700");
    text.setAttribute("stroke", "#ffffff");
    text.setAttribute("stroke-width", "3");
    text.setAttribute("paint-order", "stroke");
    text.setAttribute("y", String(parseFloat(p.getAttribute("cy")) - r));
    text.textContent = names[code] || code;
    map.appendChild(text);
    var size = text.getComputedTextLength ? text.getComputedTextLength() : 60;
    text.setAttribute("x", String(x + r + 2 + size <= width - 2 ? x + r + 2 : x - r - 2 - size));
  }

  input.addEventListener("input", function () {
    var found = [];
    input.value.split(/[,，、;；]/).forEach(function (term) {
      matches(term).forEach(function (p) {
        if (found.indexOf(p) < 0) { found.push(p); }
      });
    });
    mark(found.map(function (p) { return p.getAttribute("data-key"); }));
    found.forEach(label);
    if (!status) { return; }
    if (!input.value.trim()) {
      status.textContent = "";
      return;
    }
    var separator = document.documentElement.lang === "zh-Hans" ? "、" : ", ";
    status.textContent = found.length ? found.map(function (p) {
      return names[p.getAttribute("data-key")] || p.getAttribute("data-key");
    }).join(separator) : input.getAttribute("data-none");
  });
})();
