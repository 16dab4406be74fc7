"""The one write path: compile, validate and infer, giving the store's quads per named graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.build import BuildResult
from kgraph.errors import DataError
from kgraph.infer import INFERRED, inferred_triples
from kgraph.pipeline import assemble
from kgraph.vocabulary import ONTOLOGY_GRAPH

GRAPH = "https://w3id.org/kgraph/graph/"
KGD = "https://w3id.org/kgraph/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FACT = ox.NamedNode("https://w3id.org/kgraph/ontology#Fact")

ORPHAN_SHEET = """\
source:
  id: test-source
  title: A test article
entities:
  - id: orphan-bot
    type: AIProduct
    name: Orphan Bot
"""


def test_the_ontology_each_source_and_the_inferred_graph(data_dir: Path, seed_build: BuildResult) -> None:
    assembly = assemble([data_dir])
    names = {name.value.removeprefix(GRAPH) for name in assembly.graphs}
    assert names == {"ontology", "sensetime-layoffs-article", "general-knowledge"}
    asserted = {t for triples in assembly.graphs.values() for t in triples}
    assert assembly.inferred and not asserted & set(assembly.inferred)
    quads = assembly.quads()
    assert assembly.inferred == inferred_triples(quads)
    assert {q.triple for q in quads if q.graph_name == INFERRED} == set(assembly.inferred)
    assert len(set(quads)) == seed_build.summary.triples  # what the build put in its store


def test_a_changed_source_gives_its_graph_and_what_it_entails(data_dir: Path) -> None:
    whole = assemble([data_dir])
    assembly = assemble([data_dir], changed=[data_dir / "general-knowledge.yaml"])
    assert list(assembly.graphs) == [ox.NamedNode(GRAPH + "general-knowledge")]
    assert ox.NamedNode(GRAPH + "sensetime-layoffs-article") not in {q.graph_name for q in assembly.quads()}
    fact = ox.Triple(ox.NamedNode(KGD + "openai-develops-chatgpt"), RDF_TYPE, FACT)
    assert fact in assembly.inferred
    assert set(assembly.inferred) < set(whole.inferred)
    assert ONTOLOGY_GRAPH not in assembly.graphs


def test_a_changed_file_must_be_among_the_data(data_dir: Path, tmp_path: Path) -> None:
    stray = tmp_path / "stray.yaml"
    with pytest.raises(DataError, match="not among the data files"):
        assemble([data_dir], changed=[stray])


def test_the_shapes_are_checked_unless_told_not_to(data_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    (data / "orphan.yaml").write_text(ORPHAN_SHEET, encoding="utf-8")
    with pytest.raises(DataError, match="developer"):
        assemble([data])
    unchecked = assemble([data], validate=False, infer=False)
    orphan = unchecked.graphs[ox.NamedNode(GRAPH + "test-source")]
    assert any(t.subject == ox.NamedNode(KGD + "orphan-bot") for t in orphan)
    assert unchecked.inferred == []
    assert INFERRED not in {q.graph_name for q in unchecked.quads()}


def test_a_changed_file_has_its_affected_nodes_checked_and_only_those(data_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    (data / "orphan.yaml").write_text(ORPHAN_SHEET, encoding="utf-8")
    fine = data / "fine.yaml"
    fine.write_text(ORPHAN_SHEET.replace("test-source", "fine-source").replace("orphan-bot", "other-bot"), "utf-8")
    with pytest.raises(DataError, match="developer") as caught:
        assemble([data], changed=[data / "orphan.yaml"])
    assert {problem.where for problem in caught.value.problems} == {"orphan-bot"}  # not other-bot, unchanged
    assemble([data_dir], changed=[data_dir / "general-knowledge.yaml"])  # the curated data passes


PRODUCT_TTL = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgd: <https://w3id.org/kgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgd:widget a kg:Product ; rdfs:label "Widget" ; kg:developer kgd:widgetco .
"""
MAKER_TTL = """\
@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgd: <https://w3id.org/kgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgd:widgetco a kg:{kind} ; rdfs:label "WidgetCo" .
"""


def test_a_change_is_checked_where_other_files_point_to_it(tmp_path: Path) -> None:
    """A company that turns into a market breaks the product of another file that it develops."""
    (tmp_path / "product.ttl").write_text(PRODUCT_TTL, encoding="utf-8")
    maker = tmp_path / "maker.ttl"
    maker.write_text(MAKER_TTL.format(kind="Company"), encoding="utf-8")
    assemble([tmp_path], changed=[maker], infer=False)
    maker.write_text(MAKER_TTL.format(kind="Market"), encoding="utf-8")
    with pytest.raises(DataError) as whole:
        assemble([tmp_path], infer=False)
    with pytest.raises(DataError) as changed:
        assemble([tmp_path], changed=[maker], infer=False)
    assert changed.value.problems == whole.value.problems
    assert [problem.where for problem in changed.value.problems] == ["widget"]
