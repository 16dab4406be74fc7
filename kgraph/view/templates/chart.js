/* kgraph's view: a company's figures over periods, as a small bar chart drawn in inline SVG (no library), added to
   the company's panel. One bar per metric and period, in the currency the company reports most; losses below the
   zero line. Text goes in with textContent. */
(function () {
  "use strict";
  var view = window.kgraphView && window.kgraphView.internal;
  if (!view) return;
  var SVG = "http://www.w3.org/2000/svg";
  var COLORS = ["#2f6fdf", "#d9480f", "#2b9348", "#9c36b5", "#f08c00", "#1098ad", "#c92a2a", "#495057"];
  var compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
  var byCompany = {};
  view.data.figures.forEach(function (figure) { (byCompany[figure.company] = byCompany[figure.company] || []).push(figure); });

  function svg(tag, attributes, text) {
    var element = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { element.setAttribute(name, String(attributes[name])); });
    if (text !== undefined) element.textContent = String(text);
    return element;
  }

  /** {currency, periods: [label], metrics: [label], values: {period|metric: number}} or null when one value or none. */
  function series(figures) {
    var counts = {};
    figures.forEach(function (figure) {
      figure.amounts.forEach(function (amount) { if (!amount[2]) counts[amount[1]] = (counts[amount[1]] || 0) + 1; });
    });
    var currency = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); })[0];
    if (!currency) return null;
    var periods = [], metrics = [], values = {}, years = {};
    figures.forEach(function (figure) {
      var amount = figure.amounts.filter(function (a) { return !a[2] && a[1] === currency; })[0];
      if (!amount) return;
      var period = figure.period || String(figure.year || "?");
      var metric = figure.metric || "figure";
      if (periods.indexOf(period) < 0) { periods.push(period); years[period] = figure.year === null ? 9999 : figure.year; }
      if (metrics.indexOf(metric) < 0) metrics.push(metric);
      values[period + "|" + metric] = amount[0];
    });
    if (Object.keys(values).length < 2) return null;
    periods.sort(function (a, b) { return years[a] - years[b] || (a < b ? -1 : 1); });
    return { currency: currency, periods: periods, metrics: metrics, values: values };
  }

  function chart(data) {
    var width = 340, height = 200, left = 8, right = 8, top = 16, bottom = 36;
    var numbers = Object.keys(data.values).map(function (key) { return data.values[key]; });
    var high = Math.max(0, Math.max.apply(null, numbers));
    var low = Math.min(0, Math.min.apply(null, numbers));
    var y = function (value) { return top + ((high - value) / (high - low || 1)) * (height - top - bottom); };
    var picture = svg("svg", {
      width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img", class: "kg-chart-svg",
    });
    picture.appendChild(svg("title", {}, "Figures over periods in " + data.currency));
    var group = (width - left - right) / data.periods.length;
    var bar = Math.min(36, (group - 10) / data.metrics.length);
    data.periods.forEach(function (period, p) {
      var start = left + p * group + (group - bar * data.metrics.length) / 2;
      data.metrics.forEach(function (metric, m) {
        var value = data.values[period + "|" + metric];
        if (value === undefined) return;
        var x = start + m * bar;
        var from = y(Math.max(value, 0)), to = y(Math.min(value, 0));
        var rect = svg("rect", {
          x: x + 1, y: from, width: Math.max(bar - 2, 2), height: Math.max(to - from, 1), fill: COLORS[m % COLORS.length],
          "data-metric": metric, "data-period": period,
        });
        rect.appendChild(svg("title", {}, metric + ", " + period + ": " + data.currency + " " + value.toLocaleString("en")));
        picture.appendChild(rect);
        var labelY = value >= 0 ? from - 3 : to + 11;
        picture.appendChild(svg("text", { x: x + bar / 2, y: labelY, "text-anchor": "middle", class: "kg-chart-value" }, compact.format(value)));
      });
      picture.appendChild(svg("text", { x: left + p * group + group / 2, y: height - 6, "text-anchor": "middle", class: "kg-chart-period" }, period));
    });
    picture.appendChild(svg("line", { x1: left, x2: width - right, y1: y(0), y2: y(0), stroke: "#495057", "stroke-width": 1 }));
    return picture;
  }

  view.panelAdditions.push(function (node, panel, fact) {
    if (fact && fact.kind !== "FinancialMeasurement") return;
    var data = series(byCompany[node.id] || []);
    if (!data) return;
    var box = view.make("figure", "kg-chart");
    box.appendChild(view.make("h3", null, "Figures over periods (" + data.currency + ")"));
    box.appendChild(chart(data));
    var legend = view.make("figcaption", "kg-chart-legend");
    data.metrics.forEach(function (metric, m) {
      var item = view.make("span", "kg-chart-key", metric);
      item.style.setProperty("--kg-key", COLORS[m % COLORS.length]);
      legend.appendChild(item);
    });
    box.appendChild(legend);
    panel.appendChild(box);
  });
})();
