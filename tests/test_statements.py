"""A fact that several sources state is one fact: plain queries return it once, and every source is still listed.

After every write the store must hold exactly what a fresh build of the same data/ holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import yaml
from typer.testing import CliRunner

from kgraph import Landscape
from kgraph.build import STORE_NAME, BuildResult, build
from kgraph.cli import app
from kgraph.statements import stored_once
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA

KGD = "https://w3id.org/kgraph/id/"
DEVELOPERS = "SELECT ?p ?c WHERE { ?p <https://w3id.org/kgraph/ontology#developer> ?c }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?p <https://w3id.org/kgraph/ontology#developer> ?c }"


def sheet(source: str, fact: str) -> dict:
    return {
        "source": {"id": source, "type": "news_article", "title": f"{source} on ChatGPT"},
        "facts": [{"id": fact, "kind": "develops", "subject": "openai", "object": "chatgpt"}],
    }


def kgraph(root: Path, *args: str) -> None:
    where = ["--data", str(root / "data"), "--store", str(root / "build" / STORE_NAME), "-q"]
    result = CliRunner().invoke(app, [*args, *where])
    assert result.exit_code == 0, result.stderr


def quads(store_dir: Path) -> set[str]:
    with OxigraphStore.open(store_dir, read_only=True) as store:
        return {str(q) for q in store.quads()}


def same_as_a_fresh_build(root: Path, tmp_path: Path) -> None:
    fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    build([root / "data"], fresh)
    assert quads(root / "build" / STORE_NAME) == quads(fresh / STORE_NAME)


def test_stored_once_keeps_each_triple_in_its_first_graph() -> None:
    a, b, c = (ox.NamedNode(f"https://example.org/{x}") for x in "abc")
    triple = ox.Triple(a, b, c)
    other = ox.Triple(c, b, a)
    graphs = {ox.NamedNode("urn:g:z"): [triple, triple, other], ox.NamedNode("urn:g:m"): [triple]}
    assert stored_once(graphs) == {ox.NamedNode("urn:g:z"): [other], ox.NamedNode("urn:g:m"): [triple]}


def test_a_fact_two_sources_state_counts_once(seed_build: BuildResult, tmp_path: Path) -> None:
    root = tmp_path / "landscape"
    shutil.copytree(DATA, root / "data")
    shutil.copytree(seed_build.out_dir, root / "build")
    for source, fact in (("zz-later-report", "zz-openai-chatgpt"), ("aa-early-report", "aa-openai-chatgpt")):
        path = tmp_path / f"{source}.yaml"
        path.write_text(yaml.safe_dump(sheet(source, fact)), encoding="utf-8")
        kgraph(root, "apply", str(path))
        with Landscape.open(root / "build" / STORE_NAME) as landscape:
            rows = landscape.query(DEVELOPERS)
            pairs = [(r["p"].rsplit("/", 1)[-1], r["c"].rsplit("/", 1)[-1]) for r in rows]
            assert sorted(pairs) == [("chatgpt", "openai"), ("sensenova", "sensetime")]
            assert landscape.query(COUNT)[0]["n"] == 2
            sources = landscape.sources_of(f"{KGD}{fact}").labels()
            assert sources == [f"{source} on ChatGPT"]
            assert landscape.products(developer="OpenAI").labels() == ["ChatGPT"]
        same_as_a_fresh_build(root, tmp_path)
    # the earliest-named source holds the shared triple now; retracting it gives it back to the next one
    kgraph(root, "retract", "aa-early-report")
    with Landscape.open(root / "build" / STORE_NAME) as landscape:
        assert landscape.query(COUNT)[0]["n"] == 2
    same_as_a_fresh_build(root, tmp_path)
    kgraph(root, "retract", "zz-later-report")
    same_as_a_fresh_build(root, tmp_path)


def test_provenance_lists_every_source_of_a_shared_fact(seed_build: BuildResult, tmp_path: Path) -> None:
    root = tmp_path / "landscape"
    shutil.copytree(DATA, root / "data")
    shutil.copytree(seed_build.out_dir, root / "build")
    path = tmp_path / "second.yaml"
    path.write_text(yaml.safe_dump(sheet("second-report", "second-openai-chatgpt")), encoding="utf-8")
    kgraph(root, "apply", str(path))
    from kgraph.queries import get

    with OxigraphStore.open(root / "build" / STORE_NAME, read_only=True) as store:
        found = set()
        for fact in ("openai-develops-chatgpt", "second-openai-chatgpt"):
            result = get("provenance").run(store, {"fact": ox.NamedNode(f"{KGD}{fact}")})
            found |= {row["source"].value.rsplit("/", 1)[-1] for row in result}
    assert found == {"general-knowledge", "second-report"}
