"""Build the landscape: compile and validate the data, then write the graph files and the on-disk store.

A build either succeeds whole or changes nothing: every output is written into a scratch folder first and moved
into place only once all of them are complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from kgraph.compile import Compiled
from kgraph.namespaces import INFERRED_GRAPH, PREFIXES
from kgraph.pipeline import Assembly, assemble
from kgraph.progress import Progress, silent
from kgraph.rdflib_bridge import add_to_graph
from kgraph.store.oxigraph import OxigraphStore, put_in_place
from kgraph.summary import Summary, summarize
from kgraph.validate import union_graph

TURTLE_NAME = "landscape.ttl"
TRIG_NAME = "landscape.trig"
STORE_NAME = "store"
VIEW_NAME = "landscape.html"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and what the landscape holds."""

    out_dir: Path
    outputs: list[Path]
    summary: Summary


def _bind_prefixes(graph: Graph | Dataset) -> None:
    for name, namespace in PREFIXES.items():
        graph.bind(name, namespace, replace=True)


def write_turtle(compiled: Compiled, path: Path) -> None:
    """The union of all graphs as one Turtle file."""
    union = union_graph(compiled)
    _bind_prefixes(union)
    path.write_bytes(union.serialize(format="turtle", encoding="utf-8"))


def write_trig(assembly: Assembly, path: Path) -> None:
    """Every graph, the inferred one included, as a named graph of one TriG file, in a stable order."""
    inferred = Graph(identifier=INFERRED_GRAPH)
    add_to_graph(inferred, assembly.inferred)
    parts = []
    for graph in sorted([*assembly.compiled.dataset.graphs(), inferred], key=lambda g: str(g.identifier)):
        if not len(graph):
            continue
        named = Graph(identifier=graph.identifier)
        for triple in graph:
            named.add(triple)
        _bind_prefixes(named)
        body = named.serialize(format="turtle", encoding="utf-8").decode("utf-8")
        prefixes = [line for line in body.splitlines() if line.startswith("@prefix")]
        triples = [line for line in body.splitlines() if not line.startswith("@prefix")]
        parts.append((prefixes, f"<{graph.identifier}> {{\n" + "\n".join(triples).strip("\n") + "\n}\n"))
    prologue = sorted({line for prefixes, _ in parts for line in prefixes})
    path.write_text("\n".join(prologue) + "\n\n" + "\n".join(body for _, body in parts), encoding="utf-8")


def write_view(store: OxigraphStore, path: Path) -> None:
    """The interactive HTML view of the whole landscape (see :mod:`kgraph.view`)."""
    from kgraph.view import write_landscape_view

    write_landscape_view(store, path)


def build(paths: Sequence[Path], out_dir: Path, *, progress: Progress = silent) -> BuildResult:
    """Build the landscape from the data under ``paths`` into ``out_dir``."""
    assembly = assemble(paths, progress=progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out_dir) as scratch_name:
        scratch = Path(scratch_name)
        progress(f"writing {TURTLE_NAME} and {TRIG_NAME}")
        write_turtle(assembly.compiled, scratch / TURTLE_NAME)  # the asserted triples only
        write_trig(assembly, scratch / TRIG_NAME)
        progress(f"writing the store ({STORE_NAME}/)")
        store = OxigraphStore.create(scratch / STORE_NAME, assembly.quads())
        summary = summarize(store)
        progress(f"writing the interactive view ({VIEW_NAME})")
        write_view(store, scratch / VIEW_NAME)
        store.close()
        del store
        outputs = []
        for name in (TURTLE_NAME, TRIG_NAME, STORE_NAME, VIEW_NAME):
            if name == STORE_NAME:  # readers of the old store (kgraph serve, a notebook) open the new one next time
                put_in_place(scratch / name, out_dir / name, on_wait=progress)
            else:
                os.replace(scratch / name, out_dir / name)
            outputs.append(out_dir / name)
    return BuildResult(out_dir, outputs, summary)
