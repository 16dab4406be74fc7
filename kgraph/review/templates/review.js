// The review page: every piece of text from the sheet or the article goes in with textContent, never as markup.
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const decisions = { facts: {}, links: {} };

  function element(tag, properties = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(properties)) {
      if (key === "text") node.textContent = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function shown(value) {
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  function renderHeader() {
    document.getElementById("title").textContent = data.source.title || data.source.id;
    const article = data.articleName ? `article ${data.articleName}` : "article not found (give it with --article FILE)";
    document.getElementById("where").textContent = `Sheet ${data.sheet}, ${article}`;
  }

  function renderArticle() {
    const box = document.getElementById("article");
    const text = data.article;
    if (text === null || text === undefined) {
      box.textContent = "The article's text is not available; each card shows its evidence.";
      return;
    }
    const spans = [];
    for (const fact of data.facts) {
      for (const quote of fact.evidence) {
        const start = Math.max(0, Math.min(quote.start, text.length));
        const end = Math.max(start, Math.min(quote.end, text.length));
        if (end > start) spans.push({ start, end, fact: fact.id });
      }
    }
    const points = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [from, to] = [points[i], points[i + 1]];
      const covering = spans.filter((s) => s.start <= from && s.end >= to).map((s) => s.fact);
      const piece = text.slice(from, to);
      if (covering.length) {
        const mark = element("mark", { text: piece, dataset: { facts: [...new Set(covering)].join(" ") } });
        mark.addEventListener("click", () => focusFact(covering[0], true));
        box.append(mark);
      } else {
        box.append(document.createTextNode(piece));
      }
    }
  }

  function focusFact(id, scroll) {
    for (const mark of document.querySelectorAll("#article mark")) {
      mark.classList.toggle("active", mark.dataset.facts.split(" ").includes(id));
    }
    for (const card of document.querySelectorAll(".card[data-fact]")) {
      card.classList.toggle("active", card.dataset.fact === id);
      if (scroll && card.dataset.fact === id) card.scrollIntoView({ block: "nearest" });
    }
    if (!scroll) {
      const first = [...document.querySelectorAll("#article mark.active")][0];
      if (first) first.scrollIntoView({ block: "nearest" });
    }
  }

  function setDecision(card, fact, decision) {
    if (decision === null) delete decisions.facts[fact.id];
    else decisions.facts[fact.id] = decision;
    card.dataset.decision = decision ? decision.decision : "";
    card.querySelector(".decision").textContent = decision
      ? { accept: "accepted", reject: "rejected", edit: "edited" }[decision.decision]
      : "undecided";
    updateCounts();
  }

  function fieldList(fields) {
    const list = element("dl", { className: "fields" });
    for (const [key, value] of Object.entries(fields)) {
      list.append(element("dt", { text: key }), element("dd", { text: shown(value) }));
    }
    return list;
  }

  function editor(card, fact) {
    // every field of the fact's kind: those it has first, then the empty ones a reviewer may fill
    const current = (decisions.facts[fact.id] && decisions.facts[fact.id].fields) || fact.fields;
    const form = element("div", { className: "editor" });
    const inputs = [];
    const names = [...Object.keys(current), ...fact.editable.map((f) => f.name).filter((n) => !(n in current))];
    const structured = new Set(fact.editable.filter((f) => f.json).map((f) => f.name));
    for (const key of names) {
      const value = current[key];
      const input = structured.has(key)
        ? element("textarea", { name: key, rows: value === undefined ? "1" : "3" })
        : element("input", { name: key, type: "text" });
      input.value = value === undefined ? "" : structured.has(key) ? JSON.stringify(value, null, 1) : String(value);
      inputs.push({ key, input, json: structured.has(key) });
      form.append(element("label", {}, element("span", { text: key }), input));
    }
    const problem = element("p", { className: "problem" });
    const save = element("button", { type: "button", text: "Save edit", className: "save" });
    const cancel = element("button", { type: "button", text: "Cancel" });
    save.addEventListener("click", () => {
      const fields = {};
      try {
        for (const { key, input, json } of inputs) {
          const raw = input.value.trim();
          if (raw === "") continue;
          try {
            fields[key] = json ? JSON.parse(raw) : raw;
          } catch (error) {
            throw new Error(`${key}: not JSON (${error.message})`);
          }
        }
      } catch (error) {
        problem.textContent = String(error.message || error);
        return;
      }
      form.remove();
      card.querySelector(".fields").replaceWith(fieldList(fields));
      setDecision(card, fact, { decision: "edit", fields });
    });
    cancel.addEventListener("click", () => form.remove());
    form.append(problem, element("div", { className: "buttons" }, save, cancel));
    return form;
  }

  function renderFacts() {
    const box = document.getElementById("facts");
    if (!data.facts.length) box.append(element("p", { text: "The sheet proposes no facts." }));
    for (const fact of data.facts) {
      const card = element("article", { className: "card", dataset: { fact: fact.id, decision: "" } });
      const unverified = fact.fields.unverified;
      card.append(element("h3", {}, element("span", { className: "kind", text: fact.kind }), element("span", { text: ` ${fact.id}` })));
      if (unverified) card.append(element("p", { className: "unverified", text: `Unverified: ${unverified}` }));
      card.append(fieldList(fact.fields));
      const quotes = element("ul", { className: "evidence" });
      for (const quote of fact.evidence) quotes.append(element("li", { text: quote.text || `characters ${quote.start}–${quote.end}` }));
      card.append(quotes);
      const accept = element("button", { type: "button", text: "Accept", className: "accept" });
      const edit = element("button", { type: "button", text: "Edit", className: "edit" });
      const reject = element("button", { type: "button", text: "Reject", className: "reject" });
      if (unverified) {
        accept.disabled = true;
        accept.title = "Unverified: edit it (and clear 'unverified' once checked) or reject it";
      }
      accept.addEventListener("click", () => setDecision(card, fact, { decision: "accept" }));
      reject.addEventListener("click", () => setDecision(card, fact, { decision: "reject" }));
      edit.addEventListener("click", () => {
        const open = card.querySelector(".editor");
        if (open) open.remove();
        else card.append(editor(card, fact));
      });
      card.append(element("div", { className: "buttons" }, accept, edit, reject, element("span", { className: "decision", text: "undecided" })));
      card.addEventListener("click", (event) => {
        if (!event.target.closest("button, input, textarea")) focusFact(fact.id, false);
      });
      box.append(card);
    }
  }

  function renderEntities() {
    const box = document.getElementById("entities");
    if (!data.entities.length) box.append(element("p", { text: "No new entities." }));
    for (const entity of data.entities) {
      const choice = element("select", { name: `link-${entity.id}` });
      choice.append(element("option", { value: "", text: "keep as a new entity" }));
      for (const candidate of entity.candidates) {
        const label = `link to ${candidate.label} (${candidate.id}; ${candidate.types.join(", ")})`;
        choice.append(element("option", { value: candidate.id, text: label }));
      }
      choice.addEventListener("change", () => {
        if (choice.value) decisions.links[entity.id] = choice.value;
        else delete decisions.links[entity.id];
      });
      box.append(
        element(
          "article",
          { className: "card entity", dataset: { entity: entity.id } },
          element("h3", {}, element("span", { className: "kind", text: entity.type }), element("span", { text: ` ${entity.name}` })),
          element("p", { text: entity.description || "" }),
          entity.candidates.length ? choice : element("p", { className: "hint", text: "No entity of the graph has a similar name." }),
        ),
      );
    }
  }

  function updateCounts() {
    const chosen = Object.values(decisions.facts);
    const count = (kind) => chosen.filter((d) => d.decision === kind).length;
    document.getElementById("counts").textContent =
      `${count("accept")} accepted, ${count("edit")} edited, ${count("reject")} rejected, ` +
      `${data.facts.length - chosen.length} undecided`;
  }

  async function apply() {
    const status = document.getElementById("status");
    const button = document.getElementById("apply");
    status.className = "";
    status.textContent = "Applying…";
    button.disabled = true;
    try {
      const response = await fetch("/apply", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Review-Token": data.token },
        body: JSON.stringify(decisions),
      });
      const answer = await response.json();
      status.replaceChildren();
      if (response.ok) {
        status.className = "done";
        const where = answer.storeUpdated ? "data and store" : "data (no store: run kgraph build)";
        status.textContent = `Applied source ${answer.source}: ${answer.dataFile}, ${answer.triples} triples in the ${where}.`;
      } else {
        status.className = "failed";
        status.append(element("p", { text: "Nothing was applied:" }));
        const list = element("ul");
        for (const problem of answer.errors || []) list.append(element("li", { text: problem }));
        status.append(list);
      }
    } catch (error) {
      status.className = "failed";
      status.textContent = `Nothing was applied: ${error}`;
    } finally {
      button.disabled = false;
    }
  }

  renderHeader();
  renderArticle();
  renderFacts();
  for (const [id, fields] of Object.entries(data.applied)) {
    const card = document.querySelector(`.card[data-fact="${CSS.escape(id)}"]`);
    const fact = data.facts.find((f) => f.id === id);
    if (card && fact) {
      card.querySelector(".fields").replaceWith(fieldList(fields));
      setDecision(card, fact, { decision: "edit", fields });
      card.querySelector(".decision").textContent = "kept as in data/";
    }
  }
  renderEntities();
  updateCounts();
  document.getElementById("apply").addEventListener("click", apply);
})();
