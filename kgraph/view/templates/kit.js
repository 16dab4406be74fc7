/* kgraph's view: small helpers shared by the page's scripts. Text always goes in with textContent. */
(function () {
  "use strict";
  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = String(text);
    return element;
  }
  function fold(text) {
    return String(text || "").normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function fade(hex, alpha) {
    var value = parseInt(hex.slice(1), 16);
    return "rgba(" + ((value >> 16) & 255) + "," + ((value >> 8) & 255) + "," + (value & 255) + "," + alpha + ")";
  }
  function darker(hex) {
    var value = parseInt(hex.slice(1), 16);
    var part = function (shift) { return Math.round(((value >> shift) & 255) * 0.7); };
    return "rgb(" + part(16) + "," + part(8) + "," + part(0) + ")";
  }
  var SVG = "http://www.w3.org/2000/svg";
  function swatch(cls) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("viewBox", "0 0 14 14");
    var shape;
    var points = {
      diamond: "7,1 13,7 7,13 1,7", triangle: "7,1 13,12 1,12", triangleDown: "1,2 13,2 7,13",
      hexagon: "4,1.5 10,1.5 13,7 10,12.5 4,12.5 1,7",
      star: "7,1 8.8,5.2 13,5.4 9.7,8.2 10.8,12.6 7,10.2 3.2,12.6 4.3,8.2 1,5.4 5.2,5.2",
    }[cls.shape];
    if (points) {
      shape = document.createElementNS(SVG, "polygon");
      shape.setAttribute("points", points);
    } else if (cls.shape === "square") {
      shape = document.createElementNS(SVG, "rect");
      shape.setAttribute("x", "1.5"); shape.setAttribute("y", "1.5");
      shape.setAttribute("width", "11"); shape.setAttribute("height", "11");
    } else {
      shape = document.createElementNS(SVG, "circle");
      shape.setAttribute("cx", "7"); shape.setAttribute("cy", "7"); shape.setAttribute("r", "6");
    }
    shape.setAttribute("fill", cls.color);
    shape.setAttribute("stroke", darker(cls.color));
    svg.appendChild(shape);
    return svg;
  }
  /** A date bound from what a person typed: "2023", "2023-05" or "2023-05-17"; null when empty; false if invalid. */
  function bound(text, end) {
    text = String(text || "").trim();
    if (!text) return null;
    var match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
    if (!match) return false;
    var month = match[2] || (end ? "12" : "01");
    if (+month < 1 || +month > 12) return false;
    var day = match[3] || (end ? "31" : "01");
    return match[1] + "-" + month + "-" + day;
  }

  window.kgraphKit = { make: make, fold: fold, fade: fade, darker: darker, swatch: swatch, bound: bound };
})();
