"""Render the view: one self-contained HTML file (vis-network, our script and styles, the data), written as UTF-8.

The page loads nothing from elsewhere: vis-network's script and styles are inlined from the copy that the pyvis
package ships, and a Content-Security-Policy forbids any request. The data sits in a ``<script
type="application/json">`` element (escaped, see :func:`kgraph.view.data.script_json`); the page's script builds
every piece of text with ``textContent``.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.errors import KgraphError
from kgraph.view.data import CLUSTER_ABOVE, page_data, script_json
from kgraph.view.layout import LABEL_FONT_SIZE, LABEL_WIDTH

#: Node and edge labels are drawn in full from this size on screen (CSS pixels; faded in from a pixel less) and not
#: at all below it, so a label is either readable or absent.
READABLE_PX = 12
#: Edge labels sit among lines and other labels: they are drawn from a larger size on screen and in a smaller font,
#: so they appear only when one zooms in further than for node labels (and, sized to be read, on the selection).
EDGE_READABLE_PX = 14
EDGE_FONT_SIZE = 12
#: Where pyvis keeps the vis-network release that it ships.
VIS_FOLDER = ("lib", "vis-9.1.2")
_CLOSING_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


def _inline(text: str, what: str) -> str:
    """``text`` made safe to sit in a ``<script>`` or ``<style>`` element (no closing tag can end it early)."""
    safe = _CLOSING_TAG.sub(lambda m: "<\\/" + m.group(1), text) if what == "script" else text
    if what == "style" and _CLOSING_TAG.search(safe):
        raise KgraphError("a style sheet contains a closing tag and cannot be inlined")
    return safe


@cache
def _assets() -> dict[str, str]:
    try:
        vis = resources.files("pyvis").joinpath(*VIS_FOLDER)
        vis_js = vis.joinpath("vis-network.min.js").read_text(encoding="utf-8")
        vis_css = vis.joinpath("vis-network.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise KgraphError(f"vis-network is not where pyvis keeps it ({'/'.join(VIS_FOLDER)}): {error}") from None
    own = resources.files("kgraph.view").joinpath("templates")
    return {
        "vis_js": _inline(vis_js, "script"),
        "vis_css": _inline(vis_css, "style"),
        # the page's own scripts, in the order they run: helpers, side panel, graph, chart, other tabs
        "view_js": "\n".join(
            _inline(own.joinpath(name).read_text(encoding="utf-8"), "script")
            for name in ("kit.js", "panel.js", "view.js", "chart.js", "tabs.js")
        ),
        "view_css": _inline(own.joinpath("view.css").read_text(encoding="utf-8"), "style"),
        "template": own.joinpath("view.html.j2").read_text(encoding="utf-8"),
    }


def network_options(*, large: bool) -> dict[str, Any]:
    """vis-network options, from pyvis' options model: positions are given, so no physics and no layout work."""
    from pyvis.options import Options

    options = Options()
    options.physics.enabled = False
    options.physics.toggle_stabilization(False)
    options.edges.smooth.enabled = False
    options.edges.inherit_colors(False)
    options.interaction.hideEdgesOnDrag = large
    options.interaction.dragNodes = True
    settings = json.loads(options.to_json())
    settings["interaction"].update(
        {"hover": not large, "hideEdgesOnZoom": large, "tooltipDelay": 250, "multiselect": False}
    )
    settings["layout"] = {"improvedLayout": False, "randomSeed": 7}
    settings["nodes"] = {
        "borderWidth": 1,
        "font": {
            "size": LABEL_FONT_SIZE,
            "face": "system-ui, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
            "strokeWidth": 4,
            "strokeColor": "#ffffff",
            "color": "#212529",
        },
        "widthConstraint": {"maximum": LABEL_WIDTH},
        # vis-network fades a label in between drawThreshold - 1 and drawThreshold pixels on screen
        "scaling": {"label": {"drawThreshold": READABLE_PX}},
    }
    settings["edges"].update(
        {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "width": 1.2,
            "font": {
                "size": EDGE_FONT_SIZE,
                "color": "#495057",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "background": "rgba(255,255,255,0.85)",
                "align": "middle",
            },
            "scaling": {"label": {"drawThreshold": EDGE_READABLE_PX}},
            "selectionWidth": 2,
        }
    )
    return settings


def render_page(
    graph: nx.MultiDiGraph,
    *,
    title: str = "kgraph landscape",
    subtitle: str | None = None,
    cluster_above: int = CLUSTER_ABOVE,
) -> str:
    """The whole page for ``graph`` (a projection), as text."""
    from jinja2 import Environment

    assets = _assets()
    data = page_data(graph, title=title, subtitle=subtitle, cluster_above=cluster_above)
    data["options"] = network_options(large=len(data["nodes"]) > 2000)
    data["fonts"] = {
        "readable": READABLE_PX,
        "edgeReadable": EDGE_READABLE_PX,
        "node": LABEL_FONT_SIZE,
        "edge": EDGE_FONT_SIZE,
    }
    environment = Environment(autoescape=True, keep_trailing_newline=True)
    template = environment.from_string(assets["template"])
    from markupsafe import Markup

    return template.render(
        title=title,
        subtitle=subtitle,
        vis_js=Markup(assets["vis_js"]),
        vis_css=Markup(assets["vis_css"]),
        view_js=Markup(assets["view_js"]),
        view_css=Markup(assets["view_css"]),
        data_json=Markup(script_json(data)),
    )


def write_page(
    graph: nx.MultiDiGraph,
    path: Path,
    *,
    title: str = "kgraph landscape",
    subtitle: str | None = None,
    cluster_above: int = CLUSTER_ABOVE,
) -> Path:
    """Write the page for ``graph`` to ``path`` (UTF-8; the file appears whole or not at all)."""
    text = render_page(graph, title=title, subtitle=subtitle, cluster_above=cluster_above)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        scratch.write_text(text, encoding="utf-8", newline="\n")
        os.replace(scratch, path)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    return path
