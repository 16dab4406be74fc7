"""The one write path: data files compiled, validated against the shapes and inferred, as the store's graphs.

``kgraph build``, ``Landscape.from_files``, ingest's entity index and ``kgraph apply`` all assemble what goes into a
store with :func:`assemble`; they differ only in what they do with the result (write files, fill a store in memory,
replace one source's graph).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgraph.compile import Compiled, compile_landscape
from kgraph.errors import DataError, Problem
from kgraph.infer import INFERRED, inferred_triples
from kgraph.mapping import graph_name
from kgraph.progress import Progress, silent
from kgraph.statements import stored_once
from kgraph.vocabulary import GRAPH, ONTOLOGY_GRAPH


@dataclass(frozen=True)
class Assembly:
    """What goes into the store: the asserted graphs (the ontology, one per source) and the inferred triples."""

    compiled: Compiled
    graphs: dict[ox.NamedNode, list[ox.Triple]]
    inferred: list[ox.Triple]

    def quads(self, *, inferred: bool = True) -> list[ox.Quad]:
        """Every quad of the assembly, the inferred graph included unless ``inferred`` is false."""
        return _quads({**self.graphs, INFERRED: self.inferred} if inferred and self.inferred else self.graphs)


def assemble(
    paths: Sequence[Path],
    *,
    ontology: Path | None = None,
    changed: Collection[Path] | None = None,
    validate: bool = True,
    infer: bool = True,
    progress: Progress = silent,
) -> Assembly:
    """Compile the data files under ``paths``, check them against the SHACL shapes and compute the inferred graph.

    ``changed`` names the data files that changed (every file when ``None``): the assembly then holds the graphs of
    those files only, and the triples that they entail with the ontology (the ontology's graph is left out too);
    the shapes check only the nodes those files describe and the nodes of other files that point to them.
    ``validate=False`` skips the shapes, ``infer=False`` the inferred graph. Any problem raises
    :class:`~kgraph.errors.DataError`, listing everything wrong.
    """
    progress(f"reading {', '.join(str(p) for p in paths)}")
    compiled = compile_landscape([Path(p) for p in paths], ontology=ontology)
    every = stored_once(compiled.graphs)
    graphs, wanted = every, None
    if changed is not None:
        wanted = _graphs_of(compiled, changed)
        graphs = {name: triples for name, triples in every.items() if name in wanted}
    if validate:
        from kgraph.validate import shacl_problems  # pyshacl takes a second to import

        checked = len(compiled) if wanted is None else sum(len(triples) for triples in graphs.values())
        progress(f"validating {checked} triples against the SHACL shapes")
        problems = shacl_problems(compiled, changed=wanted)
        if problems:
            raise DataError(problems)
    inferred: list[ox.Triple] = []
    if infer:
        progress("materialising the RDFS entailments into the inferred graph")
        premises = graphs if changed is None else {ONTOLOGY_GRAPH: every.get(ONTOLOGY_GRAPH, []), **graphs}
        inferred = inferred_triples(_quads(premises))
    return Assembly(compiled, graphs, inferred)


def _quads(graphs: dict[ox.NamedNode, list[ox.Triple]]) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, name) for name, triples in graphs.items() for t in triples]


def _graphs_of(compiled: Compiled, files: Collection[Path]) -> set[ox.NamedNode]:
    """The named graphs that the data files ``files`` compile into; a file not among the data is an error."""
    by_file = {Path(loaded.file).resolve(): graph_name(loaded.sheet.source.id) for loaded in compiled.sheets}
    by_file.update({path.resolve(): GRAPH[path.stem] for path in compiled.turtle_files})
    wanted, problems = set(), []
    for path in files:
        name = by_file.get(Path(path).resolve())
        if name is None:
            problems.append(Problem(str(path), None, None, "not among the data files being assembled"))
        else:
            wanted.add(name)
    if problems:
        raise DataError(problems)
    return wanted
