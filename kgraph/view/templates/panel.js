/* kgraph's view: the side panel, which tells a node, an edge or one fact in words, each fact with its sources.
   view.js creates it with what it needs (the data, the filters' state, selection functions). */
(function () {
  "use strict";
  var make = window.kgraphKit.make;
  var swatch = window.kgraphKit.swatch;
  window.kgraphPanel = function (view) {
    var data = view.data, nodes = view.nodes, edges = view.edges, classes = view.classes, adjacency = view.adjacency;
    var hook = view.hook, state = view.state, nodeState = view.nodeState, outsideTime = view.outsideTime;
    var select = view.select, selectEdge = view.selectEdge;
    var panel = document.getElementById("kg-panel");
    /** Functions (node, panel, fact) that add to the panel of a node or of one of its facts (the chart of figures). */
    var panelAdditions = [];
    function sourceLine(cited) {
      var source = data.sources[cited[0]];
      var line = make("div", "kg-cite");
      line.append(make("b", null, cited[1] ? "Source (" + cited[1] + "): " : "Source: "), document.createTextNode(source.label));
      var about = [source.publisher, source.published].filter(Boolean).join(", ");
      if (about) line.append(document.createTextNode(" — " + about));
      return line;
    }
    function factCard(fact, outside) {
      var card = make("div", "kg-fact");
      var head = make("div", "kg-fact-head", fact.label || fact.kindLabel || fact.kind);
      if (fact.date) {
        head.appendChild(make("span", "kg-fact-date", fact.date));
      }
      if (fact.inferred) head.appendChild(make("span", "kg-tag kg-inferred", "date inferred"));
      if (fact.estimate) head.appendChild(make("span", "kg-tag kg-estimate", "estimate"));
      if (outside) head.appendChild(make("span", "kg-tag kg-outside", "outside the time range"));
      card.appendChild(head);
      if (fact.kindLabel && fact.label && fact.kindLabel !== fact.label) card.appendChild(make("div", "kg-cite", fact.kindLabel));
      if (fact.details.length) {
        var list = make("dl");
        fact.details.forEach(function (pair) { list.append(make("dt", null, pair[0]), make("dd", null, pair[1])); });
        card.appendChild(list);
      }
      if (fact.attributedTo) {
        var said = make("div", "kg-cite");
        said.append(make("b", null, "Said by: "), document.createTextNode(fact.attributedTo));
        card.appendChild(said);
      }
      fact.sources.forEach(function (cited) { card.appendChild(sourceLine(cited)); });
      if (!fact.sources.length) card.appendChild(make("div", "kg-cite", "No source recorded."));
      return card;
    }
    function factOutside(fact) {
      if (!(fact.earliest || fact.latest) || (!state.since && !state.until)) return false;
      return outsideTime({ earliest: fact.earliest, latest: fact.latest });
    }
    function nodeLink(node) {
      var link = make("button", "kg-link", node.label);
      link.type = "button";
      link.addEventListener("click", function () { select(node.id, true); });
      return link;
    }
    function header(title, cls) {
      panel.appendChild(make("h2", null, title));
      if (cls) {
        var badge = make("span", "kg-badge");
        badge.append(swatch(cls), document.createTextNode(cls.label));
        panel.appendChild(badge);
      }
    }
    function showNode(node) {
      panel.replaceChildren();
      header(node.label, classes[node.type]);
      if (nodeState[node.id] === "hidden") panel.appendChild(make("p", "kg-hint", "Hidden by the current filters."));
      if (node.aliases.length) panel.appendChild(make("div", "kg-aliases", "Also known as: " + node.aliases.join(", ")));
      if (node.description) panel.appendChild(make("p", null, node.description));
      panel.appendChild(make("div", "kg-iri", node.iri));
      panelAdditions.forEach(function (add) { add(node, panel, null); });
      if (node.facts.length) {
        panel.appendChild(make("h3", null, "What the graph knows"));
        node.facts.forEach(function (fact) { panel.appendChild(factCard(fact, factOutside(fact))); });
      }
      var links = adjacency[node.id].map(function (edgeId) { return edges[edgeId]; });
      if (links.length) {
        panel.appendChild(make("h3", null, "Connections"));
        links.sort(function (a, b) {
          return ((a.earliest || "9999") < (b.earliest || "9999") ? -1 : (a.earliest || "9999") > (b.earliest || "9999") ? 1 : a.label.localeCompare(b.label));
        });
        var list = make("ul", "kg-links");
        links.forEach(function (edge) {
          var outgoing = edge.from === node.id;
          var other = nodes[outgoing ? edge.to : edge.from];
          var item = make("li");
          var words = outgoing || edge.symmetric ? edge.label + " " : "← " + edge.label + " ";
          item.appendChild(make("span", "kg-rel", words));
          item.appendChild(nodeLink(other));
          if (edge.earliest) item.appendChild(make("span", "kg-fact-date", edge.earliest.slice(0, 7)));
          if (outsideTime(edge)) item.appendChild(make("span", "kg-tag kg-outside", "outside the time range"));
          var open = make("button", "kg-link", "details");
          open.type = "button";
          open.style.marginLeft = "6px";
          open.addEventListener("click", function () { selectEdge(edge.id); });
          item.appendChild(open);
          list.appendChild(item);
        });
        panel.appendChild(list);
      }
    }
    function showEdge(edge) {
      panel.replaceChildren();
      var from = nodes[edge.from];
      var to = nodes[edge.to];
      header(from.label + " — " + edge.label + " → " + to.label, null);
      var ends = make("p");
      ends.append(nodeLink(from), document.createTextNode(edge.symmetric ? " ↔ " : " → "), nodeLink(to));
      panel.appendChild(ends);
      if (edge.earliest || edge.latest) {
        var span = edge.earliest === edge.latest || !edge.latest ? edge.earliest : edge.earliest + " – " + edge.latest;
        panel.appendChild(make("div", "kg-aliases", "When: " + span));
      }
      if (edge.kind !== "relation") panel.appendChild(make("div", "kg-aliases", "Kind: " + edge.kind));
      if (edge.facts.length) {
        panel.appendChild(make("h3", null, "What the graph knows"));
        edge.facts.forEach(function (fact) { panel.appendChild(factCard(fact, factOutside(fact))); });
      }
      var cited = edge.sources.filter(function (number) {
        return !edge.facts.some(function (fact) { return fact.sources.some(function (s) { return s[0] === number; }); });
      });
      if (cited.length) {
        panel.appendChild(make("h3", null, "Sources"));
        cited.forEach(function (number) { panel.appendChild(sourceLine([number, null])); });
      }
    }
    /** One fact of a node (an event on the timeline, a row of a table): its card, with the node it belongs to. */
    function showFact(node, fact) {
      panel.replaceChildren();
      header(fact.label || fact.kindLabel || fact.kind, null);
      var about = make("p");
      about.append(document.createTextNode((fact.kindLabel || fact.kind) + " · "), nodeLink(node));
      panel.appendChild(about);
      panel.appendChild(factCard(fact, factOutside(fact)));
      panelAdditions.forEach(function (add) { add(node, panel, fact); });
    }
    function showHint() {
      panel.replaceChildren(make("p", "kg-hint", "Click a node or an edge to see what the graph knows about it and where each fact comes from."));
    }
    function showSelection() {
      if (!hook.selection) return showHint();
      if (hook.selection.kind === "node") showNode(nodes[hook.selection.id]);
      else if (hook.selection.kind === "fact") showFact(nodes[hook.selection.id], nodes[hook.selection.id].facts[hook.selection.fact]);
      else showEdge(edges[hook.selection.id]);
    }

    return {
      element: panel, additions: panelAdditions, show: showSelection, showHint: showHint,
      sourceLine: sourceLine, factCard: factCard,
    };
  };
})();
