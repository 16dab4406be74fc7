"""The journal of a load into a remote store: which graphs it replaced, with what content, so a rerun resumes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox


class Journal:
    """The graphs loaded into the server at ``url`` by earlier runs, kept in the JSON file ``path`` (None: none)."""

    def __init__(self, path: Path | None, url: str) -> None:
        self.path = path
        self.url = url
        self.done = self._read()

    def _read(self) -> dict[str, str]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        graphs = document.get(self.url, {})
        return dict(graphs) if isinstance(graphs, dict) else {}

    def up_to_date(self, graph: ox.NamedNode, digest: str, size_on_server: int | None, size: int) -> bool:
        """Whether an earlier run loaded ``graph`` with this content, and the server still holds as many triples."""
        return self.done.get(graph.value) == digest and size_on_server == size

    def record(self, loaded: Sequence[tuple[ox.NamedNode, str]]) -> None:
        """Note graphs as loaded (with their digests) and write the journal file."""
        for graph, digest in loaded:
            self.done[graph.value] = digest
        if self.path is None:
            return
        document: dict[str, Any] = {}
        if self.path.is_file():
            try:
                document = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                document = {}
        document[self.url] = dict(self.done)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
        scratch.replace(self.path)


def graph_digest(triples: Sequence[ox.Triple]) -> str:
    """A digest of a graph's content, the same whatever the order of its triples."""
    lines = sorted(str(triple) for triple in triples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
