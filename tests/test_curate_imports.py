"""``kgraph import`` keeps a file in data/ as a source of its own, and no file may redefine the ontology."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.build import STORE_NAME, BuildResult, build
from kgraph.cli import app
from kgraph.curate.changes import read
from kgraph.infer import INFERRED
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA

PREFIXES = """@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgd: <https://w3id.org/kgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
ZHIPU = PREFIXES + 'kgd:zhipu-ai a kg:Company ; rdfs:label "Zhipu AI" ; kg:competesWith kgd:baidu .\n'
RIVALS = "SELECT ?r WHERE { <https://w3id.org/kgraph/id/baidu> <https://w3id.org/kgraph/ontology#competesWith> ?r }"


@pytest.fixture
def landscape(seed_build: BuildResult, tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(seed_build.out_dir, tmp_path / "build")
    return tmp_path


def kgraph(root: Path, *args: str) -> tuple[int, str]:
    where = ["--data", str(root / "data"), "--store", str(root / "build" / STORE_NAME)]
    result = CliRunner().invoke(app, [*args, *where])
    return result.exit_code, result.stdout + result.stderr


def rivals(root: Path) -> set[str]:
    with OxigraphStore.open(root / "build" / STORE_NAME, read_only=True) as store:
        return {row["r"].value.rsplit("/", 1)[-1] for row in store.query(RIVALS)}


def state(root: Path) -> tuple[dict[str, str], set[str]]:
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "data").iterdir())}
    with OxigraphStore.open(root / "build" / STORE_NAME, read_only=True) as store:
        return files, {str(q) for q in store.quads()}


def test_an_import_is_a_source_in_data_that_build_keeps(landscape: Path) -> None:
    extra = landscape / "Zhipu rivals.ttl"
    extra.write_text(ZHIPU, encoding="utf-8")
    code, out = kgraph(landscape, "import", str(extra))
    assert code == 0, out
    kept = landscape / "data" / "import-zhipu-rivals.ttl"
    assert kept.is_file() and str(extra.resolve()) in kept.read_text(encoding="utf-8").splitlines()[0]
    assert "zhipu-ai" in rivals(landscape)  # symmetric: inferred in the same step
    assert "Zhipu AI" in (landscape / "build" / "landscape.ttl").read_text(encoding="utf-8")
    assert "Zhipu AI" in (landscape / "build" / "landscape.html").read_text(encoding="utf-8")
    [change] = read(landscape / "data")
    assert (change.command, change.source, change.added) == ("import", "import-zhipu-rivals", ["zhipu-ai"])

    build([landscape / "data"], landscape / "build")
    assert "zhipu-ai" in rivals(landscape)

    code, out = kgraph(landscape, "retract", "import-zhipu-rivals")
    assert code == 0, out
    assert not kept.exists() and "zhipu-ai" not in rivals(landscape)
    assert "Zhipu AI" not in (landscape / "build" / "landscape.trig").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "subclass.ttl",
            PREFIXES + "kg:Company rdfs:subClassOf kg:Event .\n",
            "redefines the ontology's term kg:Company",
        ),
        (
            "equivalent.ttl",
            PREFIXES + "<https://example.org/Thing> <http://www.w3.org/2002/07/owl#equivalentClass> kg:Company .\n",
            "redefines the ontology's term kg:Company",
        ),
        (
            "other-graphs.trig",
            PREFIXES + '<https://w3id.org/kgraph/graph/ontology> { kgd:x rdfs:label "x" . }\n'
            '<https://w3id.org/kgraph/graph/general-knowledge> { kgd:y rdfs:label "y" . }\n',
            "names the graph <https://w3id.org/kgraph/graph/general-knowledge>",
        ),
        ("bad.ttl", PREFIXES + "kgd:x rdfs:label .\n", "bad.ttl:4"),
        ("unshaped.ttl", PREFIXES + "kgd:acme a kg:Company .\n", "needs exactly one name"),
    ],
)
def test_a_refused_import_changes_nothing(landscape: Path, name: str, content: str, message: str) -> None:
    before = state(landscape)
    path = landscape / name
    path.write_text(content, encoding="utf-8")
    code, out = kgraph(landscape, "import", str(path))
    assert code == 2 and message in " ".join(out.split()), out
    assert state(landscape) == before


def test_the_store_only_import_cannot_replace_the_ontology_or_a_source(landscape: Path) -> None:
    hostile = landscape / "hostile.trig"
    hostile.write_text(
        PREFIXES + "<https://w3id.org/kgraph/graph/ontology> { kg:Company rdfs:subClassOf kg:Event . }\n"
        '<https://w3id.org/kgraph/graph/general-knowledge> { kgd:y rdfs:label "y" . }\n',
        encoding="utf-8",
    )
    store = landscape / "build" / STORE_NAME
    before = state(landscape)
    result = CliRunner().invoke(app, ["import", str(hostile), "--store", str(store)])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "would replace the graph <https://w3id.org/kgraph/graph/ontology> of the ontology" in message
    assert "general-knowledge> of another source" in message
    assert state(landscape) == before
    with OxigraphStore.open(store, read_only=True) as opened:
        assert len(list(opened.quads(INFERRED))) > 0
