/* kgraph's landscape view. Every piece of text from the data goes into the page through textContent (or as a vis
   tooltip string, which vis-network sets as innerText): no data is ever parsed as HTML. */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("kgraph-data").textContent);
  var hook = (window.kgraphView = {
    ready: false,
    timings: { parsed: performance.now() - started },
    selection: null,
    focused: null,
  });

  var kit = window.kgraphKit;
  var make = kit.make, fold = kit.fold, fade = kit.fade, darker = kit.darker, swatch = kit.swatch, bound = kit.bound;

  // ---------------------------------------------------------------- data
  var classes = {};
  data.classes.forEach(function (cls) { classes[cls.type] = cls; });
  var nodes = data.nodes;
  var edges = data.edges;
  var byIri = {};
  var adjacency = nodes.map(function () { return []; });
  nodes.forEach(function (node) {
    byIri[node.iri] = node;
    node.names = [node.label].concat(node.aliases).map(fold);
  });
  edges.forEach(function (edge) {
    adjacency[edge.from].push(edge.id);
    if (edge.to !== edge.from) adjacency[edge.to].push(edge.id);
  });

  var state = {
    hiddenClasses: new Set(),
    hiddenSources: new Set(),
    since: null,
    until: null,
    timeMode: "fade",
    highlight: null,
    edge: null,
    grouped: false,
  };

  function nodeLook(node, look) {
    var cls = classes[node.type];
    if (look === "faded") {
      return { color: { background: fade(cls.color, 0.15), border: fade(cls.color, 0.25) }, font: { color: "rgba(33,37,41,0.25)" } };
    }
    return {
      color: {
        background: cls.color, border: darker(cls.color),
        highlight: { background: cls.color, border: "#000000" }, hover: { background: cls.color, border: "#000000" },
      },
      font: { color: "#212529" },
    };
  }
  /** Edge labels are drawn from a readable size on; the edges of the selection get a font large enough to read at
      the current zoom ("labelled"). */
  function edgeFontSize() {
    return Math.max(data.fonts.edge, Math.ceil((data.fonts.edgeReadable + 0.5) / network.getScale()));
  }
  function edgeLook(edge, look) {
    if (look === "faded") return { color: { color: "rgba(173,181,189,0.18)", highlight: "#868e96" }, font: { color: "rgba(73,80,87,0.2)", size: data.fonts.edge } };
    var dated = edge.earliest || edge.latest;
    var font = { color: "#495057", size: look === "labelled" ? edgeFontSize() : data.fonts.edge };
    return { color: { color: dated ? "#e8590c" : "#adb5bd", highlight: "#212529", hover: "#495057" }, font: font };
  }

  // ---------------------------------------------------------------- vis data sets
  var nodeItems = nodes.map(function (node) {
    var cls = classes[node.type];
    var item = {
      id: node.id, label: node.label, x: node.x, y: node.y, size: node.size, shape: cls.shape,
      title: node.label + " · " + cls.label,
    };
    if (node.wrap) item.widthConstraint = { maximum: node.wrap };
    var look = nodeLook(node, "normal");
    item.color = look.color;
    item.font = look.font;
    return item;
  });
  var edgeItems = edges.map(function (edge) {
    var item = {
      id: edge.id, from: edge.from, to: edge.to, title: edge.label + (edge.earliest ? " (" + (edge.earliest === edge.latest || !edge.latest ? edge.earliest : edge.earliest + " – " + edge.latest) + ")" : ""),
      arrows: edge.symmetric ? { to: { enabled: false } } : undefined,
    };
    if (data.edgeLabels) item.label = edge.label;
    var look = edgeLook(edge, "normal");
    item.color = look.color;
    item.font = look.font;
    return item;
  });
  var nodeSet = new vis.DataSet(nodeItems);
  var edgeSet = new vis.DataSet(edgeItems);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodeSet, edges: edgeSet }, data.options);
  hook.timings.constructed = performance.now() - started;

  // ---------------------------------------------------------------- filters and highlight
  var nodeState = nodes.map(function () { return "normal"; });
  var labelScale = null;
  /** Called after every change of the filters (the other tabs follow them). */
  var filtersChanged = [];
  var edgeState = edges.map(function () { return "normal"; });

  function outsideTime(edge) {
    if (!(edge.earliest || edge.latest) || (!state.since && !state.until)) return false;
    var first = (edge.earliest || edge.latest).slice(0, 10);
    var last = (edge.latest || edge.earliest).slice(0, 10);
    return (state.since && last < state.since) || (state.until && first > state.until);
  }
  function sourcesHidden(list) {
    if (!state.hiddenSources.size || !list.length) return false;
    for (var i = 0; i < list.length; i++) if (!state.hiddenSources.has(list[i])) return false;
    return true;
  }
  function neighbourhood(nodeId) {
    var near = new Set([nodeId]);
    adjacency[nodeId].forEach(function (edgeId) { near.add(edges[edgeId].from); near.add(edges[edgeId].to); });
    return near;
  }

  /** Work out every item's state (normal, faded, hidden) and update vis only where it changed. */
  function restyle() {
    var near = state.highlight === null || nodes.length > data.fadeLimit ? null : neighbourhood(state.highlight);
    var nodeUpdates = [];
    var edgeUpdates = [];
    var nodeShown = nodes.map(function (node) {
      var look = "normal";
      if (state.hiddenClasses.has(node.type) || sourcesHidden(node.sources)) look = "hidden";
      else if (near && !near.has(node.id)) look = "faded";
      if (look !== nodeState[node.id]) {
        var update = { id: node.id, hidden: look === "hidden" };
        if (look !== "hidden") Object.assign(update, nodeLook(node, look));
        nodeUpdates.push(update);
        nodeState[node.id] = look;
      }
      return look !== "hidden";
    });
    edges.forEach(function (edge) {
      var look = "normal";
      var outside = outsideTime(edge);
      if (!nodeShown[edge.from] || !nodeShown[edge.to] || sourcesHidden(edge.sources) || (outside && state.timeMode === "hide")) look = "hidden";
      else if (outside || (near && edge.from !== state.highlight && edge.to !== state.highlight)) look = "faded";
      else if (data.edgeLabels && (state.highlight === edge.from || state.highlight === edge.to || state.edge === edge.id)) look = "labelled";
      if (look !== edgeState[edge.id]) {
        var update = { id: edge.id, hidden: look === "hidden" };
        if (look !== "hidden") Object.assign(update, edgeLook(edge, look));
        edgeUpdates.push(update);
        edgeState[edge.id] = look;
      }
    });
    if (nodeUpdates.length) nodeSet.update(nodeUpdates);
    if (edgeUpdates.length) edgeSet.update(edgeUpdates);
    labelScale = network.getScale();
    showCounts();
    filtersChanged.forEach(function (listener) { listener(); });
  }
  /** After a zoom: the labels of the selection's edges resized to stay readable. */
  function relabel() {
    if (labelScale === network.getScale() || state.grouped) return;
    labelScale = network.getScale();
    var updates = [];
    edges.forEach(function (edge) {
      if (edgeState[edge.id] === "labelled") updates.push({ id: edge.id, font: edgeLook(edge, "labelled").font });
    });
    if (updates.length) edgeSet.update(updates);
  }
  network.on("zoom", relabel);
  network.on("animationFinished", relabel);

  function countShown(list) {
    var shown = 0;
    for (var i = 0; i < list.length; i++) if (list[i] !== "hidden") shown++;
    return shown;
  }
  var countsBox = document.getElementById("kg-counts");
  function showCounts() {
    var shownNodes = countShown(nodeState);
    var shownEdges = countShown(edgeState);
    var text = nodes.length.toLocaleString("en") + " nodes · " + edges.length.toLocaleString("en") + " edges";
    if (shownNodes !== nodes.length || shownEdges !== edges.length) {
      text += " (showing " + shownNodes.toLocaleString("en") + " · " + shownEdges.toLocaleString("en") + ")";
    }
    countsBox.textContent = text;
  }

  // ---------------------------------------------------------------- legend: class filter
  var classList = document.getElementById("kg-classes");
  data.classes.forEach(function (cls) {
    var item = make("li");
    var label = make("label");
    var box = make("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.type = cls.type;
    box.addEventListener("change", function () {
      if (box.checked) state.hiddenClasses.delete(cls.type); else state.hiddenClasses.add(cls.type);
      var regroup = state.grouped;
      ungroup();
      restyle();
      if (regroup) group();
    });
    label.append(box, swatch(cls), make("span", "kg-class-label", cls.label), make("span", "kg-count", cls.count.toLocaleString("en")));
    item.appendChild(label);
    classList.appendChild(item);
  });

  // ---------------------------------------------------------------- legend: source filter
  var sourceList = document.getElementById("kg-sources");
  var sourceBoxes = [];
  document.querySelector("#kg-sources-box summary").textContent = "Sources (" + data.sources.length + ")";
  data.sources.forEach(function (source, number) {
    var item = make("li");
    var label = make("label");
    var box = make("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.iri = source.iri;
    box.addEventListener("change", function () {
      if (box.checked) state.hiddenSources.delete(number); else state.hiddenSources.add(number);
      restyle();
    });
    sourceBoxes.push(box);
    label.append(box, make("span", null, source.label + (source.publisher ? " — " + source.publisher : "")));
    item.appendChild(label);
    sourceList.appendChild(item);
  });
  function setAllSources(shown) {
    sourceBoxes.forEach(function (box, number) {
      box.checked = shown;
      if (shown) state.hiddenSources.delete(number); else state.hiddenSources.add(number);
    });
    restyle();
  }
  document.getElementById("kg-sources-all").addEventListener("click", function () { setAllSources(true); });
  document.getElementById("kg-sources-none").addEventListener("click", function () { setAllSources(false); });

  // ---------------------------------------------------------------- time filter
  var sinceInput = document.getElementById("kg-since");
  var untilInput = document.getElementById("kg-until");
  var modeSelect = document.getElementById("kg-time-mode");
  if (data.dateRange) {
    sinceInput.placeholder = data.dateRange[0].slice(0, 7);
    untilInput.placeholder = data.dateRange[1].slice(0, 7);
  }
  function readTime() {
    var since = bound(sinceInput.value, false);
    var until = bound(untilInput.value, true);
    sinceInput.classList.toggle("kg-invalid", since === false);
    untilInput.classList.toggle("kg-invalid", until === false);
    if (since === false || until === false) return;
    state.since = since;
    state.until = until;
    state.timeMode = modeSelect.value;
    restyle();
    if (hook.selection) showSelection();
  }
  [sinceInput, untilInput].forEach(function (input) {
    input.addEventListener("change", readTime);
    input.addEventListener("keyup", function (event) { if (event.key === "Enter") readTime(); });
  });
  modeSelect.addEventListener("change", readTime);

  // ---------------------------------------------------------------- side panel (panel.js)
  var sidePanel = window.kgraphPanel({
    data: data, nodes: nodes, edges: edges, classes: classes, adjacency: adjacency, hook: hook, state: state,
    nodeState: nodeState, outsideTime: outsideTime,
    select: function (nodeId, focus) { select(nodeId, focus); }, selectEdge: function (edgeId) { selectEdge(edgeId); },
  });
  var panel = sidePanel.element;
  var panelAdditions = sidePanel.additions;
  var showSelection = sidePanel.show;
  var showHint = sidePanel.showHint;
  var sourceLine = sidePanel.sourceLine;

  // ---------------------------------------------------------------- selection, focus, search
  function select(nodeId, focus) {
    ungroup();
    hook.selection = { kind: "node", id: nodeId, iri: nodes[nodeId].iri, label: nodes[nodeId].label };
    state.highlight = nodeId;
    state.edge = null;
    network.selectNodes([nodeId]);
    restyle();
    showSelection();
    if (focus) {
      var scale = Math.max(network.getScale(), 0.75);
      network.focus(nodeId, { scale: scale, animation: nodes.length > 2000 ? false : { duration: 300, easingFunction: "easeInOutQuad" } });
      hook.focused = nodes[nodeId].iri;
    }
  }
  function selectEdge(edgeId) {
    hook.selection = { kind: "edge", id: edgeId, iri: null, label: edges[edgeId].label };
    state.highlight = null;
    state.edge = edgeId;
    network.selectEdges([edgeId]);
    restyle();
    showSelection();
  }
  function selectFact(nodeId, index) {
    var fact = nodes[nodeId].facts[index];
    hook.selection = { kind: "fact", id: nodeId, fact: index, iri: nodes[nodeId].iri, label: fact.label };
    state.highlight = nodeId;
    state.edge = null;
    network.selectNodes([nodeId]);
    restyle();
    showSelection();
  }
  function clearSelection() {
    hook.selection = null;
    state.highlight = null;
    state.edge = null;
    network.unselectAll();
    restyle();
    showHint();
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (typeof id === "string") return; // a class bubble: double-click opens
      select(id, false);
    } else if (params.edges.length && typeof params.edges[0] === "number" && !state.grouped) {
      selectEdge(params.edges[0]);
    } else {
      clearSelection();
    }
  });

  var searchInput = document.getElementById("kg-search");
  var suggestions = document.getElementById("kg-suggestions");
  function matches(text) {
    var wanted = fold(text);
    if (!wanted) return [];
    var exact = [], starts = [], contains = [];
    for (var i = 0; i < nodes.length && exact.length + starts.length < 50; i++) {
      var names = nodes[i].names;
      if (names.indexOf(wanted) >= 0) exact.push(nodes[i]);
      else if (names.some(function (n) { return n.startsWith(wanted); })) starts.push(nodes[i]);
      else if (contains.length < 50 && names.some(function (n) { return n.indexOf(wanted) >= 0; })) contains.push(nodes[i]);
    }
    return exact.concat(starts, contains).slice(0, 12);
  }
  function showSuggestions() {
    var found = matches(searchInput.value);
    suggestions.replaceChildren();
    found.forEach(function (node, position) {
      var item = make("li", position === 0 ? "kg-active" : null, node.label);
      item.setAttribute("role", "option");
      item.appendChild(make("span", "kg-type", classes[node.type].label));
      item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(node); });
      suggestions.appendChild(item);
    });
    suggestions.hidden = !found.length;
    return found;
  }
  function pick(node) {
    suggestions.hidden = true;
    searchInput.value = node.label;
    select(node.id, true);
  }
  function search(text) {
    var found = matches(text);
    if (found.length) pick(found[0]);
    return found.length ? found[0].iri : null;
  }
  searchInput.addEventListener("input", showSuggestions);
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = matches(searchInput.value);
      if (found.length) pick(found[0]);
    } else if (event.key === "Escape") {
      suggestions.hidden = true;
    }
  });
  searchInput.addEventListener("blur", function () { suggestions.hidden = true; });

  // ---------------------------------------------------------------- grouping by class
  // One bubble per class, joined by one edge per pair of classes that are linked. The bubbles replace the data
  // shown (vis-network's own clustering takes minutes to open again at 10,000 nodes); opening puts everything back.
  var groupButton = document.getElementById("kg-group");
  function setGrouped(grouped) {
    state.grouped = grouped;
    groupButton.setAttribute("aria-pressed", grouped ? "true" : "false");
  }
  function group() {
    if (state.grouped) return;
    if (hook.selection) clearSelection();
    var shownClasses = data.classes.filter(function (cls) { return !state.hiddenClasses.has(cls.type); });
    var counts = {};
    nodes.forEach(function (node) { if (nodeState[node.id] !== "hidden") counts[node.type] = (counts[node.type] || 0) + 1; });
    var shownTypes = shownClasses.filter(function (cls) { return counts[cls.type]; });
    var radius = 120 * Math.max(3, shownTypes.length);
    var bubbles = shownTypes.map(function (cls, position) {
      var angle = (2 * Math.PI * position) / shownTypes.length;
      return {
        id: "class:" + cls.type, label: cls.label + " (" + counts[cls.type].toLocaleString("en") + ")", shape: cls.shape,
        size: 14 + 4 * Math.sqrt(counts[cls.type]), x: radius * Math.cos(angle), y: radius * Math.sin(angle),
        color: { background: cls.color, border: darker(cls.color) }, font: { size: 20, color: "#212529" },
        title: cls.label + ": double-click to open", borderWidth: 2,
      };
    });
    var links = {};
    edges.forEach(function (edge) {
      if (edgeState[edge.id] === "hidden") return;
      var key = nodes[edge.from].type + "|" + nodes[edge.to].type;
      links[key] = (links[key] || 0) + 1;
    });
    var bundles = Object.keys(links).map(function (key, number) {
      var ends = key.split("|");
      return {
        id: "link:" + number, from: "class:" + ends[0], to: "class:" + ends[1], width: 1 + Math.log(links[key]),
        label: data.edgeLabels ? String(links[key]) : undefined, title: links[key].toLocaleString("en") + " links",
        color: { color: "rgba(134,142,150,0.6)" },
      };
    });
    network.setData({ nodes: new vis.DataSet(bubbles), edges: new vis.DataSet(bundles) });
    setGrouped(true);
    network.fit({ animation: false });
  }
  function ungroup() {
    if (!state.grouped) return;
    network.setData({ nodes: nodeSet, edges: edgeSet });
    setGrouped(false);
    home();
  }
  network.on("doubleClick", function (params) {
    if (state.grouped && params.nodes.length) ungroup();
  });
  groupButton.addEventListener("click", function () {
    if (state.grouped) ungroup(); else group();
  });

  // ---------------------------------------------------------------- reset and fit
  /** The whole graph in view, or, when that would make labels too small to read, its middle at the smallest
      readable zoom (a large landscape is fitted whole: its labels appear as one zooms in). */
  function home() {
    network.fit({ animation: false });
    if (nodes.length > data.labelSpreadLimit) return;
    var readable = data.fonts.readable / data.fonts.node;
    var box = labelledBox();
    var scale = network.getScale();
    var centre = network.getViewPosition();
    if (box) {
      scale = 0.97 * Math.min(container.clientWidth / box.width, container.clientHeight / box.height);
      centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }
    network.moveTo({ scale: Math.max(scale, readable), position: centre, animation: false });
  }
  /** The box around the shown nodes and their labels in canvas units (vis-network's fit leaves out labels that
      wrap); null before labels have been drawn and measured. */
  function labelledBox() {
    var left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity, measured = false;
    network.body.nodeIndices.forEach(function (id) {
      var body = network.body.nodes[id];
      if (body.options.hidden) return;
      var label = body.labelModule.size;
      left = Math.min(left, body.x - body.shape.width / 2);
      right = Math.max(right, body.x + body.shape.width / 2);
      top = Math.min(top, body.y - body.shape.height / 2);
      bottom = Math.max(bottom, body.y + body.shape.height / 2);
      if (label.width > 0) {
        measured = true;
        left = Math.min(left, label.left);
        right = Math.max(right, label.left + label.width);
        top = Math.min(top, label.top);
        bottom = Math.max(bottom, label.top + label.height);
      }
    });
    return measured ? { left: left, top: top, width: right - left, height: bottom - top } : null;
  }
  document.getElementById("kg-fit").addEventListener("click", home);
  function reset() {
    ungroup();
    state.hiddenClasses.clear();
    state.hiddenSources.clear();
    classList.querySelectorAll("input").forEach(function (box) { box.checked = true; });
    sourceBoxes.forEach(function (box) { box.checked = true; });
    sinceInput.value = "";
    untilInput.value = "";
    sinceInput.classList.remove("kg-invalid");
    untilInput.classList.remove("kg-invalid");
    modeSelect.value = "fade";
    state.since = state.until = null;
    state.timeMode = "fade";
    searchInput.value = "";
    suggestions.hidden = true;
    hook.focused = null;
    clearSelection();
    home();
  }
  document.getElementById("kg-reset").addEventListener("click", reset);

  // ---------------------------------------------------------------- for the other tabs (tabs.js, chart.js)
  hook.internal = {
    data: data, nodes: nodes, classes: classes, state: state, make: make,
    filtersChanged: filtersChanged, panelAdditions: panelAdditions,
    outsideTime: outsideTime, sourcesHidden: sourcesHidden, sourceLine: sourceLine,
    select: function (nodeId) { select(nodeId, false); }, selectFact: selectFact,
    nodeShown: function (nodeId) { return nodeState[nodeId] !== "hidden"; },
  };

  // ---------------------------------------------------------------- test hook
  function ids(states) {
    var shown = [];
    states.forEach(function (look, id) { if (look !== "hidden") shown.push(id); });
    return shown;
  }
  Object.assign(hook, {
    counts: function () {
      return {
        nodes: nodeSet.length, edges: edgeSet.length,
        shownNodes: countShown(nodeState), shownEdges: countShown(edgeState),
        drawnNodes: network.body.nodeIndices.length,
        drawnEdges: network.body.edgeIndices.filter(function (id) { return network.body.edges[id].options.hidden !== true; }).length,
      };
    },
    shownNodeIris: function () { return ids(nodeState).map(function (id) { return nodes[id].iri; }); },
    shownEdges: function () {
      return ids(edgeState).map(function (id) {
        var edge = edges[id];
        return { from: nodes[edge.from].iri, to: nodes[edge.to].iri, label: edge.label, kind: edge.kind, key: edge.key, look: edgeState[id] };
      });
    },
    edgeLooks: function () { return edges.map(function (edge) { return edgeState[edge.id]; }); },
    nodeLook: function (iri) { return nodeState[byIri[iri].id]; },
    /** Where a node is drawn, in CSS pixels of the page (for real mouse clicks). */
    pagePosition: function (iri) {
      var node = byIri[iri];
      var at = network.canvasToDOM(network.getPositions([node.id])[node.id]);
      var box = container.getBoundingClientRect();
      return { x: box.left + at.x, y: box.top + at.y };
    },
    view: function () { return { scale: network.getScale(), centre: network.getViewPosition() }; },
    canvasPosition: function (iri) { var id = byIri[iri].id; return network.getPositions([id])[id]; },
    /** What is drawn where, in CSS pixels of the page: each node's shape and label box, label font size on screen
        (0 when vis-network does not draw it), the edge labels drawn, and the boxes of the canvas and side panels. */
    geometry: function () {
      var scale = network.getScale();
      var box = container.getBoundingClientRect();
      function toPage(left, top, width, height) {
        var at = network.canvasToDOM({ x: left, y: top });
        return { left: box.left + at.x, top: box.top + at.y, width: width * scale, height: height * scale };
      }
      function rect(element) { var r = element.getBoundingClientRect(); return { left: r.left, top: r.top, width: r.width, height: r.height }; }
      var drawn = network.body.nodeIndices;
      return {
        scale: scale,
        canvas: rect(container),
        legend: rect(document.querySelector(".kg-legend")),
        panel: rect(panel),
        nodes: drawn.filter(function (id) { return typeof id === "number"; }).map(function (id) {
          var body = network.body.nodes[id];
          var label = body.labelModule.size;
          var px = body.options.font.size * scale;
          return {
            iri: nodes[id].iri, label: nodes[id].label,
            shape: toPage(body.x - body.shape.width / 2, body.y - body.shape.height / 2, body.shape.width, body.shape.height),
            text: toPage(label.left, label.top, label.width, label.height),
            px: px >= data.options.nodes.scaling.label.drawThreshold - 1 ? px : 0,
          };
        }),
        edgeLabels: network.body.edgeIndices.filter(function (id) {
          var edge = network.body.edges[id];
          return edge.options.label && !edge.options.hidden && edge.options.font.size * scale >= data.options.edges.scaling.label.drawThreshold - 1;
        }).map(function (id) { return network.body.edges[id].options.font.size * scale; }),
      };
    },
    search: search,
    select: function (iri) { select(byIri[iri].id, true); },
    group: group,
    ungroup: ungroup,
    grouped: function () { return state.grouped; },
    reset: reset,
    redraw: function () {
      return new Promise(function (resolve) {
        var begun = performance.now();
        network.once("afterDrawing", function () { resolve(performance.now() - begun); });
        network.redraw();
      });
    },
  });

  restyle();
  network.once("afterDrawing", function () {
    hook.timings.firstDraw = performance.now();
    if (!state.grouped && nodes.length <= data.labelSpreadLimit) home(); // again, now that labels are measured
    setTimeout(function () {
      hook.timings.interactive = performance.now();
      hook.ready = true;
      document.body.dataset.ready = "true";
    }, 0);
  });
  if (nodes.length > data.clusterAbove) group();
  else home();
})();
