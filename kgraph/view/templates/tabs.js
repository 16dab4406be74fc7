/* kgraph's view: the Timeline and Table tabs. Both read the events and figures of the page's companies (references
   into the node facts) and follow the graph's filters: a hidden class hides its companies, hidden sources hide what
   only they say, the time range fades or hides what lies outside it. Text goes in with textContent only. */
(function () {
  "use strict";
  var view = window.kgraphView && window.kgraphView.internal;
  if (!view) return;
  var hook = window.kgraphView;
  var data = view.data;
  var nodes = view.nodes;
  var state = view.state;
  var make = view.make;
  var KIND_COLORS = {
    Layoff: "#c92a2a", ProductLaunch: "#f08c00", FinancialResults: "#2f6fdf", FundingRound: "#2b9348",
    Partnership: "#9c36b5", CorporateStatement: "#495057",
  };
  var number = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });

  // ---------------------------------------------------------------- tabs
  var current = "graph";
  var dirty = { timeline: true, table: true };
  var tabs = Array.prototype.slice.call(document.querySelectorAll(".kg-tabs [role=tab]"));
  function show(name) {
    current = name;
    tabs.forEach(function (tab) {
      var on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
    });
    document.getElementById("kg-timeline").hidden = name !== "timeline";
    document.getElementById("kg-table").hidden = name !== "table";
    document.body.dataset.tab = name;
    refresh();
  }
  tabs.forEach(function (tab, position) {
    tab.addEventListener("click", function () { show(tab.dataset.tab); });
    tab.addEventListener("keydown", function (event) { // arrow keys move between tabs, as in any tab list
      var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      var next = tabs[(position + step + tabs.length) % tabs.length];
      next.focus();
      show(next.dataset.tab);
    });
  });
  function refresh() {
    if (current === "timeline" && dirty.timeline) { drawTimeline(); dirty.timeline = false; }
    if (current === "table" && dirty.table) { drawTables(); dirty.table = false; }
  }
  var filtered = null;
  view.filtersChanged.push(function () {
    var now = JSON.stringify([Array.from(state.hiddenClasses), Array.from(state.hiddenSources), state.since, state.until, state.timeMode]);
    if (now === filtered) return; // a new selection, not new filters
    filtered = now;
    dirty.timeline = dirty.table = true;
    refresh();
  });

  // ---------------------------------------------------------------- what the filters leave
  /** "normal", "faded" or "hidden" for a fact of a company, as the graph's filters have it. */
  function look(nodeId, fact) {
    if (!view.nodeShown(nodeId)) return "hidden";
    var cited = fact.sources.map(function (source) { return source[0]; });
    if (view.sourcesHidden(cited)) return "hidden";
    if ((fact.earliest || fact.latest) && view.outsideTime({ earliest: fact.earliest, latest: fact.latest })) {
      return state.timeMode === "hide" ? "hidden" : "faded";
    }
    return "normal";
  }
  function events() {
    return data.events.map(function (pair) {
      var fact = nodes[pair[0]].facts[pair[1]];
      return { lane: pair[0], index: pair[1], fact: fact, look: look(pair[0], fact) };
    }).filter(function (event) { return event.look !== "hidden"; });
  }
  function figures() {
    return data.figures.map(function (figure) {
      var fact = figure.fact === null ? null : nodes[figure.company].facts[figure.fact];
      return { figure: figure, fact: fact, look: fact ? look(figure.company, fact) : view.nodeShown(figure.company) ? "normal" : "hidden" };
    }).filter(function (row) { return row.look !== "hidden"; });
  }
  /** A span of days as the year or month it covers when it covers one exactly ("2022", "2023-04"). */
  function span(earliest, latest) {
    if (!earliest) return "undated";
    latest = latest || earliest;
    if (earliest === latest) return earliest;
    var next = new Date(day(latest) + 86400000).toISOString().slice(0, 10);
    if (earliest.slice(5) === "01-01" && next.slice(5) === "01-01" && +next.slice(0, 4) === +earliest.slice(0, 4) + 1) return earliest.slice(0, 4);
    if (earliest.slice(8) === "01" && next.slice(8) === "01" && earliest.slice(0, 7) === latest.slice(0, 7)) return earliest.slice(0, 7);
    return earliest + " – " + latest;
  }
  function when(fact) {
    var text = fact.date || span(fact.earliest, fact.latest);
    return fact.inferred ? text + " (inferred)" : text;
  }
  function sourcesText(fact) {
    return fact.sources.map(function (cited) {
      var source = data.sources[cited[0]];
      return source.label + (source.publisher ? " (" + source.publisher + ")" : "");
    }).join("; ");
  }

  // ---------------------------------------------------------------- timeline
  var timeline = document.getElementById("kg-timeline");
  /** Large landscapes draw the first lanes until asked for all. */
  var FIRST_LANES = 200;
  var allLanes = false;
  function day(text) { return Date.UTC(+text.slice(0, 4), +(text.slice(5, 7) || 1) - 1, +(text.slice(8, 10) || 1)); }
  function drawTimeline() {
    var shown = events();
    timeline.replaceChildren();
    var dated = shown.filter(function (event) { return event.fact.earliest; });
    var intro = make("p", "kg-hint", shown.length
      ? "Events of each company on a time axis: a bar spans the month or year a date gives, a dot is a day; a hatched bar and ≈ mark a date that was inferred. Click an event for its facts and sources."
      : "No events of companies pass the current filters.");
    timeline.appendChild(intro);
    if (!shown.length) return;
    var first = state.since ? day(state.since) : Math.min.apply(null, dated.map(function (e) { return day(e.fact.earliest); }));
    var last = state.until ? day(state.until) : Math.max.apply(null, dated.map(function (e) { return day(e.fact.latest || e.fact.earliest); }));
    if (!dated.length) { first = last = Date.UTC(2000, 0, 1); }
    var start = Date.UTC(new Date(first).getUTCFullYear(), 0, 1);
    var end = Date.UTC(new Date(last).getUTCFullYear() + 1, 0, 1);
    var span = end - start;
    var at = function (time) { return Math.max(0, Math.min(100, ((time - start) / span) * 100)); };

    var kinds = {};
    shown.forEach(function (event) { kinds[event.fact.kind] = event.fact.kindLabel || event.fact.kind; });
    var legend = make("div", "kg-timeline-legend");
    Object.keys(kinds).sort().forEach(function (kind) {
      var key = make("span", "kg-key", kinds[kind]);
      key.style.setProperty("--kg-key", KIND_COLORS[kind] || "#868e96");
      legend.appendChild(key);
    });
    timeline.appendChild(legend);

    var axis = make("div", "kg-axis");
    axis.appendChild(make("div", "kg-lane-name"));
    var ticks = make("div", "kg-axis-ticks");
    var years = new Date(end).getUTCFullYear() - new Date(start).getUTCFullYear();
    for (var year = new Date(start).getUTCFullYear(); year < new Date(end).getUTCFullYear(); year++) {
      var tick = make("span", "kg-tick", String(year));
      tick.style.left = at(Date.UTC(year, 0, 1)) + "%";
      ticks.appendChild(tick);
      if (years <= 2) {
        for (var month = 3; month < 12; month += 3) {
          var quarter = make("span", "kg-tick kg-tick-minor", year + "-" + String(month + 1).padStart(2, "0"));
          quarter.style.left = at(Date.UTC(year, month, 1)) + "%";
          ticks.appendChild(quarter);
        }
      }
    }
    axis.appendChild(ticks);
    timeline.appendChild(axis);

    var lanes = {};
    var order = [];
    shown.forEach(function (event) {
      if (!lanes[event.lane]) { lanes[event.lane] = []; order.push(event.lane); }
      lanes[event.lane].push(event);
    });
    order.sort(function (a, b) { return nodes[a].label.localeCompare(nodes[b].label); });
    var placing = [];
    var lanesShown = allLanes ? order : order.slice(0, FIRST_LANES);
    lanesShown.forEach(function (lane) {
      var row = make("div", "kg-lane");
      var name = make("button", "kg-lane-name kg-link", nodes[lane].label);
      name.type = "button";
      name.addEventListener("click", function () { view.select(lane); });
      var track = make("div", "kg-track");
      row.append(name, track);
      var undated = [];
      lanes[lane].forEach(function (event) {
        if (!event.fact.earliest) { undated.push(event); return; }
        var fact = event.fact;
        var from = day(fact.earliest), to = day(fact.latest || fact.earliest) + 86400000;
        var item = make("button", "kg-event" + (event.look === "faded" ? " kg-faded" : "") + (fact.inferred ? " kg-inferred-date" : ""));
        item.type = "button";
        item.dataset.lane = String(lane);
        item.dataset.fact = String(event.index);
        item.title = fact.label + " · " + when(fact);
        item.style.setProperty("--kg-key", KIND_COLORS[fact.kind] || "#868e96");
        var bar = make("span", fact.date && fact.date.length === 10 ? "kg-bar kg-day" : "kg-bar");
        item.append(bar, make("span", "kg-event-label", (fact.inferred ? "≈ " : "") + short(fact.label, nodes[lane].label)));
        item.addEventListener("click", function () { choose(item, event); });
        track.appendChild(item);
        placing.push({ track: track, item: item, bar: bar, from: at(from) / 100, to: at(to) / 100 });
      });
      if (undated.length) {
        var note = make("div", "kg-undated");
        note.appendChild(make("span", "kg-hint", "undated: "));
        undated.forEach(function (event) {
          var item = make("button", "kg-link kg-event-undated", event.fact.label);
          item.type = "button";
          item.dataset.lane = String(lane);
          item.dataset.fact = String(event.index);
          item.addEventListener("click", function () { choose(item, event); });
          note.appendChild(item);
        });
        row.appendChild(note);
      }
      timeline.appendChild(row);
    });
    if (lanesShown.length < order.length) {
      var rest = make("p", "kg-hint", order.length.toLocaleString("en") + " companies, the first " + lanesShown.length + " shown (filter by time or source to narrow them down) ");
      var more = make("button", "kg-link kg-more", "show all");
      more.type = "button";
      more.addEventListener("click", function () { allLanes = true; drawTimeline(); });
      rest.appendChild(more);
      timeline.appendChild(rest);
    }
    stack(placing);
  }
  /** An event's label without the company's name in front (the lane says it): "launches SenseNova (2023-04)". */
  function short(label, company) {
    var rest = label.slice(company.length);
    return label.indexOf(company + " ") === 0 && rest.trim() ? rest.trim() : label;
  }
  /** Bars sized to the track; a label that would leave the track goes before its bar; events of a lane that would
      overlap (bar and label) go on rows below one another. */
  function stack(placing) {
    if (!placing.length) return;
    // all writes, then all reads, then all writes: one layout of the page instead of one per event
    var width = placing[0].track.clientWidth;
    placing.forEach(function (placed) {
      placed.barWidth = Math.max(9, (placed.to - placed.from) * width);
      placed.bar.style.width = placed.barWidth + "px";
    });
    placing.forEach(function (placed) { placed.size = placed.item.offsetWidth; });
    placing.forEach(function (placed) {
      placed.left = placed.from * width;
      if (placed.left + placed.size > width) {
        placed.item.classList.add("kg-flip");
        placed.left = Math.max(0, placed.left + placed.barWidth - placed.size);
      }
      placed.item.style.left = placed.left + "px";
    });
    var ends = new Map();
    placing.sort(function (a, b) { return a.left - b.left; });
    placing.forEach(function (placed) {
      var rows = ends.get(placed.track) || [];
      var row = 0;
      while (row < rows.length && rows[row] > placed.left) row++;
      rows[row] = placed.left + placed.size + 8;
      ends.set(placed.track, rows);
      placed.item.style.top = row * 26 + "px";
    });
    ends.forEach(function (rows, track) { track.style.height = rows.length * 26 + "px"; });
  }
  window.addEventListener("resize", function () { dirty.timeline = true; refresh(); });
  function choose(item, event) {
    document.querySelectorAll(".kg-chosen").forEach(function (other) { other.classList.remove("kg-chosen"); });
    view.selectFact(event.lane, event.index);
    item.classList.add("kg-chosen");
  }

  // ---------------------------------------------------------------- tables
  var tableBox = document.getElementById("kg-table");
  var sorting = { figures: { column: 0, down: false }, events: { column: 0, down: false } };
  var filters = { figures: "", events: "" };
  var shownRows = { figures: [], events: [] };
  /** Large tables draw their first rows until asked for all (the DOM of 10,000 rows takes seconds to build). */
  var FIRST_ROWS = 500;
  var whole = { figures: false, events: false };
  function money(amounts, converted) {
    return amounts.filter(function (a) { return a[2] === converted; }).map(function (a) { return a[1] + " " + number.format(a[0]); }).join("; ");
  }
  var COLUMNS = {
    figures: [
      { name: "Company", text: function (r) { return nodes[r.figure.company].label; } },
      { name: "Metric", text: function (r) { return r.figure.metric || ""; } },
      { name: "Period", text: function (r) { return r.figure.period || (r.figure.year === null ? "" : String(r.figure.year)); }, key: function (r) { return r.figure.year === null ? 9999 : r.figure.year; } },
      { name: "Amount", text: function (r) { return money(r.figure.amounts, false); }, key: function (r) { var a = r.figure.amounts.filter(function (x) { return !x[2]; })[0]; return a ? a[0] : -Infinity; }, numeric: true },
      { name: "Converted", title: "The amount converted by the reporter", text: function (r) { return money(r.figure.amounts, true); }, numeric: true, key: function (r) { var a = r.figure.amounts.filter(function (x) { return x[2]; })[0]; return a ? a[0] : -Infinity; } },
      { name: "Y/Y", title: "Change on the year before, as the source reports it", text: function (r) { return r.figure.change === null ? "" : (r.figure.change > 0 ? "+" : "") + number.format(r.figure.change) + "%"; }, key: function (r) { return r.figure.change === null ? -Infinity : r.figure.change; }, numeric: true },
      { name: "Source", text: function (r) { return r.fact ? sourcesText(r.fact) : ""; } },
    ],
    events: [
      { name: "Date", text: function (r) { return when(r.fact); }, key: function (r) { return r.fact.earliest || "9999"; } },
      { name: "Company", text: function (r) { return nodes[r.lane].label; } },
      { name: "Kind", text: function (r) { return r.fact.kindLabel || r.fact.kind; } },
      { name: "Event", text: function (r) { return r.fact.label || ""; } },
      { name: "Source", text: function (r) { return sourcesText(r.fact); } },
    ],
  };
  function rowsOf(which) {
    var rows = which === "figures" ? figures() : events();
    var columns = COLUMNS[which];
    var wanted = filters[which].trim().toLowerCase();
    if (wanted) {
      rows = rows.filter(function (row) {
        return columns.some(function (column) { return column.text(row).toLowerCase().indexOf(wanted) >= 0; });
      });
    }
    var sort = sorting[which];
    var column = columns[sort.column];
    var key = column.key || column.text;
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sort.down ? -order : order;
    });
    return rows;
  }
  function drawTable(which, title) {
    var section = make("section", "kg-table-section");
    section.id = "kg-" + which;
    var head = make("div", "kg-table-head");
    head.appendChild(make("h2", null, title));
    var filter = make("input");
    filter.type = "search";
    filter.placeholder = "Filter rows…";
    filter.value = filters[which];
    filter.setAttribute("aria-label", "Filter " + title.toLowerCase());
    filter.className = "kg-table-filter";
    var copy = make("button", "kg-copy", "Copy as TSV");
    copy.type = "button";
    copy.title = "Copy the rows shown, tab-separated, to paste into a spreadsheet";
    head.append(filter, copy);
    section.appendChild(head);
    var table = make("table", "kg-grid");
    var thead = make("thead");
    var headRow = make("tr");
    COLUMNS[which].forEach(function (column, position) {
      var cell = make("th", column.numeric ? "kg-num" : null);
      var button = make("button", "kg-sort", column.name);
      button.type = "button";
      button.title = (column.title ? column.title + "; " : "") + "click to sort";
      button.addEventListener("click", function () {
        var sort = sorting[which];
        sort.down = sort.column === position ? !sort.down : false;
        sort.column = position;
        fill();
      });
      cell.appendChild(button);
      headRow.appendChild(cell);
    });
    thead.appendChild(headRow);
    var body = make("tbody");
    table.append(thead, body);
    section.appendChild(table);
    var count = make("p", "kg-hint");
    section.appendChild(count);
    function fill() {
      var rows = rowsOf(which);
      shownRows[which] = rows;
      headRow.querySelectorAll("th").forEach(function (cell, position) {
        var sort = sorting[which];
        cell.setAttribute("aria-sort", position === sort.column ? (sort.down ? "descending" : "ascending") : "none");
      });
      body.replaceChildren();
      var drawn = whole[which] ? rows : rows.slice(0, FIRST_ROWS);
      drawn.forEach(function (row) {
        var line = make("tr", row.look === "faded" ? "kg-faded" : null);
        COLUMNS[which].forEach(function (column) { line.appendChild(make("td", column.numeric ? "kg-num" : null, column.text(row))); });
        line.addEventListener("click", function () {
          if (which === "events") view.selectFact(row.lane, row.index);
          else if (row.fact) view.selectFact(row.figure.company, row.figure.fact);
          else view.select(row.figure.company);
          body.querySelectorAll(".kg-chosen").forEach(function (other) { other.classList.remove("kg-chosen"); });
          line.classList.add("kg-chosen");
        });
        body.appendChild(line);
      });
      count.replaceChildren(document.createTextNode(rows.length.toLocaleString("en") + " row" + (rows.length === 1 ? "" : "s")));
      if (drawn.length < rows.length) {
        count.appendChild(document.createTextNode(", the first " + drawn.length.toLocaleString("en") + " shown (all are copied) "));
        var more = make("button", "kg-link kg-more", "show all");
        more.type = "button";
        more.addEventListener("click", function () { whole[which] = true; fill(); });
        count.appendChild(more);
      }
    }
    filter.addEventListener("input", function () { filters[which] = filter.value; fill(); });
    copy.addEventListener("click", function () {
      var text = tsv(which);
      var done = function (copied) {
        copy.textContent = copied ? "Copied " + shownRows[which].length + " rows" : "Copy refused: select the table instead";
      };
      var fallback = function () { done(fallbackCopy(text)); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
      else fallback();
    });
    fill();
    return section;
  }
  /** Copy through a hidden text area where the clipboard API is refused (a sandboxed notebook frame); true if done. */
  function fallbackCopy(text) {
    var area = make("textarea", "kg-clipboard");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    area.remove();
    return copied;
  }
  /** The rows shown, with their header, as tab-separated values (tabs and line breaks in cells become spaces). */
  function tsv(which) {
    var clean = function (text) { return String(text).replace(/[\t\r\n]+/g, " "); };
    var lines = [COLUMNS[which].map(function (column) { return clean(column.name); }).join("\t")];
    shownRows[which].forEach(function (row) {
      lines.push(COLUMNS[which].map(function (column) { return clean(column.text(row)); }).join("\t"));
    });
    return lines.join("\n") + "\n";
  }
  function drawTables() {
    tableBox.replaceChildren(drawTable("figures", "Figures"), drawTable("events", "Events"));
  }

  // ---------------------------------------------------------------- test hook
  Object.assign(hook, {
    tab: function () { return current; },
    showTab: show,
    timelineEvents: function () {
      return Array.prototype.map.call(timeline.querySelectorAll(".kg-event"), function (item) {
        var fact = nodes[+item.dataset.lane].facts[+item.dataset.fact];
        return { company: nodes[+item.dataset.lane].label, label: fact.label, kind: fact.kind, faded: item.classList.contains("kg-faded"),
          inferred: item.classList.contains("kg-inferred-date"), left: item.offsetLeft, width: item.querySelector(".kg-bar").offsetWidth };
      });
    },
    tableRows: function (which) {
      return shownRows[which].map(function (row) { return COLUMNS[which].map(function (column) { return column.text(row); }); });
    },
    tableTsv: tsv,
  });
})();
