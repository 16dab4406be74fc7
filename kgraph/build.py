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

from kgraph.exchange import rdf_bytes
from kgraph.pipeline import Assembly, assemble
from kgraph.progress import Progress, silent
from kgraph.store.oxigraph import OxigraphStore, put_in_place
from kgraph.summary import Summary, summarize

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


def write_turtle(assembly: Assembly, path: Path) -> None:
    """The union of the asserted graphs (the inferred one left out) as one Turtle file, in a stable order."""
    path.write_bytes(rdf_bytes(assembly.quads(inferred=False), "ttl"))


def write_trig(assembly: Assembly, path: Path) -> None:
    """Every graph, the inferred one included, as a named graph of one TriG file, in a stable order."""
    path.write_bytes(rdf_bytes(assembly.quads(), "trig"))


def write_view(store: OxigraphStore, path: Path) -> None:
    """The interactive HTML view of the whole landscape (see :mod:`kgraph.view`)."""
    from kgraph.view import write_landscape_view

    write_landscape_view(store, path)


def build(paths: Sequence[Path], out_dir: Path, *, progress: Progress = silent) -> BuildResult:
    """Build the landscape from the data under ``paths`` into ``out_dir``."""
    from kgraph.curate.write import recover

    for path in paths:  # a write a killed process left is completed (or thrown away) first
        if Path(path).is_dir():
            recover(Path(path), progress=progress)
    assembly = assemble(paths, progress=progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out_dir) as scratch_name:
        scratch = Path(scratch_name)
        progress(f"writing {TURTLE_NAME} and {TRIG_NAME}")
        write_turtle(assembly, scratch / TURTLE_NAME)
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
