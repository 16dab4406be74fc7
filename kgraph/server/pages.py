"""The endpoint's HTML pages: the landing page and the list of named questions (every value escaped)."""

from __future__ import annotations

import json
from html import escape

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
pre { background: #f5f5f5; padding: .8rem; overflow-x: auto; font-size: 13px; }
code { background: #f5f5f5; padding: 0 .2rem; } .params { color: #555; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def index_page(*, view: bool) -> str:
    """The landing page: where the endpoint, the view and the named questions are."""
    items = [
        '<li><a href="/sparql"><code>/sparql</code></a>: the SPARQL 1.1 endpoint (GET or POST; JSON, XML, CSV, TSV; '
        "Turtle, N-Triples, RDF/XML for CONSTRUCT and DESCRIBE). Without a query it returns its service "
        "description.</li>",
        '<li><a href="/query">Query editor</a>: SPARQL with completion, Ctrl+Enter runs it, results in a table.</li>',
        '<li><a href="/queries">Named questions</a>: the bundled queries and their parameters.</li>',
        '<li><a href="/health"><code>/health</code></a>: whether the endpoint is ready.</li>',
    ]
    if view:
        items.insert(0, '<li><a href="/view">The landscape</a>: the interactive view of the graph.</li>')
    return _page("kgraph", "<h1>kgraph</h1>\n<ul>\n" + "\n".join(items) + "\n</ul>")


#: The page's Content-Security-Policy: scripts, styles and requests only from the endpoint itself.
EDITOR_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
)
_FIRST_QUERY = """PREFIX kg: <https://w3id.org/kgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Ctrl+Enter runs the query. kg:, kgd:, rdfs:, schema: and the other prefixes of 'kgraph query' are predeclared.
SELECT ?company ?name WHERE {
  ?company a kg:Company ; rdfs:label ?name .
}
ORDER BY ?name
"""


def editor_page() -> str:
    """The query editor: YASGUI (served from /static, no network) on /sparql."""
    settings = json.dumps({"endpoint": "/sparql", "query": _FIRST_QUERY}).replace("<", "\\u003c")
    head = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>kgraph: query editor</title>'
        '<link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">'
        '<script src="/static/yasgui/yasgui.min.js"></script></head>\n'
    )
    body = (
        '<body><p style="font: 14px system-ui, sans-serif; margin: .5rem 1rem"><a href="/">kgraph</a> · query editor '
        '· <a href="/queries">named questions</a></p>\n<div id="kgraph-editor"></div>\n'
        f'<script type="application/json" id="kgraph-editor-settings">{settings}</script>\n'
        '<script src="/static/editor.js"></script></body></html>\n'
    )
    return head + body


def catalog_entries() -> list[dict[str, object]]:
    """Every named question as JSON: name, description, parameters and the URL that answers it."""
    from kgraph.queries import catalog

    return [
        {
            "name": name,
            "description": question.description,
            "url": f"/queries/{name}",
            "parameters": [
                {
                    "name": p.name,
                    "kind": p.kind,
                    "required": p.required,
                    "description": p.description,
                    "default": p.default,
                }
                for p in question.parameters
            ],
        }
        for name, question in catalog().items()
    ]


def queries_page() -> str:
    """Every named question with its description, parameters and SPARQL, and a link that runs it."""
    from kgraph.queries import catalog

    sections = []
    for name, question in catalog().items():
        params = "".join(
            f"<li><code>{escape(p.name)}</code> ({escape(p.kind)}, {'required' if p.required else 'optional'}): "
            f"{escape(p.description)}</li>"
            for p in question.parameters
        )
        runnable = not any(p.required for p in question.parameters)
        link = f' <a href="/queries/{escape(name)}">run it</a>' if runnable else ""
        sections.append(
            f'<h2 id="{escape(name)}">{escape(name)}</h2>\n<p>{escape(question.description)}{link}</p>\n'
            + (f'<ul class="params">{params}</ul>\n' if params else "")
            + f"<pre>{escape(question.text)}</pre>"
        )
    intro = (
        "<p>Run one with <code>GET /queries/NAME?PARAM=VALUE</code> (add <code>limit</code> and <code>offset</code> "
        "for a page; the answer comes in any format <code>/sparql</code> speaks), or with <code>kgraph query NAME "
        "--bind PARAM=VALUE</code>. Values are read as the command line reads them: dates at any precision, classes "
        "by name, entities by name or IRI. <code>Accept: application/json</code> lists the questions as JSON.</p>"
    )
    return _page("kgraph: named questions", "<h1>Named questions</h1>\n" + intro + "\n".join(sections))
