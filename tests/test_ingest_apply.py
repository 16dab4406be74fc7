"""Applying a reviewed sheet: validated with the curated data, added to data/, its named graph replaced in the store.

Every test works on a temporary copy of data/ and a store built from it; bad input must leave both exactly as they
were (files byte for byte, the store quad for quad).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from typer.testing import CliRunner

from kgraph.build import STORE_NAME, build
from kgraph.cli import app
from kgraph.errors import DataError
from kgraph.factsheet.models import DateValue
from kgraph.factsheet.read import read_fact_sheet
from kgraph.infer import INFERRED
from kgraph.ingest import Article, propose
from kgraph.ingest.apply import apply_sheet
from kgraph.ingest.graph import index_from_data
from kgraph.mapping import graph_name
from kgraph.namespaces import KG, KGD
from kgraph.store.oxigraph import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "benchmarks" / "ingest" / "articles" / "02-zhipu-funding.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ and a store built from it, once; each test works on its own copy."""
    root = tmp_path_factory.mktemp("ingest-landscape")
    shutil.copytree(REPO / "data", root / "data")
    build([root / "data"], root / "build")
    return root


@pytest.fixture
def landscape(built: Path, tmp_path: Path) -> Path:
    shutil.copytree(built / "data", tmp_path / "data")
    shutil.copytree(built / "build" / STORE_NAME, tmp_path / "store")
    return tmp_path


def files_snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def store_snapshot(path: Path) -> set[str]:
    store = OxigraphStore.open(path, read_only=True)
    quads = {str(q) for q in store.quads()}
    del store
    return quads


def asserted_snapshot(path: Path) -> set[str]:
    """The store's quads outside the inferred graph."""
    return {quad for quad in store_snapshot(path) if not quad.endswith(f"<{INFERRED.value}>")}


def graph_triples(path: Path, source_id: str) -> list[ox.Quad]:
    store = OxigraphStore.open(path, read_only=True)
    quads = list(store.quads(graph_name(source_id)))
    del store
    return quads


def proposed_sheet(landscape: Path, *, fmt: str = "yaml") -> Path:
    article = Article(ARTICLE.read_text(encoding="utf-8"), published=DateValue(value="2023-10-20"))
    sheet = propose(article, index=index_from_data([landscape / "data"]))
    path = landscape / f"proposed.{fmt}"
    path.write_text(sheet.to_yaml() if fmt == "yaml" else sheet.to_json(), encoding="utf-8")
    return path


def test_apply_adds_a_source_and_applying_again_replaces_it(landscape: Path) -> None:
    sheet = proposed_sheet(landscape)
    before = len(asserted_snapshot(landscape / "store"))
    result = apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    assert result.store_updated and result.previous_triples == 0
    assert result.data_file == landscape / "data" / f"{result.source_id}.yaml"
    applied, reviewed = read_fact_sheet(result.data_file).sheet, read_fact_sheet(sheet).sheet
    unquoted = [[(e.start, e.end) for e in fact.evidence] for fact in reviewed.facts]
    assert [[(e.start, e.end, e.text) for e in fact.evidence] for fact in applied.facts] == [
        [(start, end, None) for start, end in spans] for spans in unquoted
    ]
    assert applied.model_dump(exclude={"facts"}) == reviewed.model_dump(exclude={"facts"})
    assert [f.model_dump(exclude={"evidence"}) for f in applied.facts] == [
        f.model_dump(exclude={"evidence"}) for f in reviewed.facts
    ]
    quads = graph_triples(landscape / "store", result.source_id)
    assert len(quads) == result.triples > 20
    assert len(asserted_snapshot(landscape / "store")) == before + result.triples
    funding = [q for q in quads if q.predicate == ox.NamedNode(str(KG.amount))]
    assert len(funding) == 1

    again = apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    assert again.previous_triples == result.triples
    assert len(asserted_snapshot(landscape / "store")) == before + result.triples
    assert len(list((landscape / "data").glob("*.yaml"))) == 3


def test_an_edited_sheet_replaces_the_old_facts(landscape: Path) -> None:
    sheet = proposed_sheet(landscape)
    first = apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    data = yaml.safe_load(sheet.read_text(encoding="utf-8"))
    data["facts"] = [f for f in data["facts"] if f["kind"] != "competition"]
    sheet.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    second = apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    assert second.triples < first.triples
    quads = graph_triples(landscape / "store", first.source_id)
    assert len(quads) == second.triples
    assert not [q for q in quads if q.object == ox.NamedNode(str(KG.Competition))]


def test_evidence_text_never_reaches_the_graph(landscape: Path) -> None:
    sheet = proposed_sheet(landscape)
    result = apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    data = yaml.safe_load(sheet.read_text(encoding="utf-8"))
    quoted = {e["text"] for fact in data["facts"] for e in fact.get("evidence", [])}
    assert quoted
    literals = [
        q.object.value for q in graph_triples(landscape / "store", result.source_id) if isinstance(q.object, ox.Literal)
    ]
    assert not [
        text for text in quoted if any(text in literal or literal in text and len(literal) > 40 for literal in literals)
    ]
    offsets = [
        q for q in graph_triples(landscape / "store", result.source_id) if q.predicate.value.endswith("evidenceStart")
    ]
    assert offsets
    # data/ keeps the facts and the evidence offsets, not the article's sentences
    kept = result.data_file.read_text(encoding="utf-8")
    assert not [text for text in quoted if text in kept]
    kept_evidence = [e for fact in yaml.safe_load(kept)["facts"] for e in fact.get("evidence", [])]
    assert kept_evidence and all(set(e) == {"start", "end"} for e in kept_evidence)


def test_a_json_sheet_is_applied_too(landscape: Path) -> None:
    sheet = proposed_sheet(landscape, fmt="json")
    result = apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    assert result.data_file.suffix == ".json"
    assert graph_triples(landscape / "store", result.source_id)


def _break(text: str, how: str) -> str:
    data = yaml.safe_load(text)
    funding = next(f for f in data["facts"] if f["kind"] == "funding")
    if how == "currency":
        funding["amount"]["currency"] = "RMB"
    elif how == "unknown entity":
        funding["investors"].append("no-such-company")
    elif how == "kind":
        funding["kind"] = "merger"
    elif how == "range":
        data["facts"].append(
            {"id": "bad-layoff", "kind": "layoff", "subject": "sensetime", "share": {"min": 20, "max": 10}}
        )
    elif how == "duplicate":
        data["facts"].append(dict(funding))
    elif how == "shacl":
        data["entities"].append({"id": "orphan-model", "type": "LargeLanguageModel", "name": "Orphan"})
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("currency", "CNY"),
        ("unknown entity", "no-such-company"),
        ("kind", "merger"),
        ("range", "greater than its maximum"),
        ("duplicate", "duplicate identifier"),
        ("shacl", "developer"),
    ],
)
def test_an_invalid_sheet_changes_nothing(landscape: Path, how: str, message: str) -> None:
    sheet = proposed_sheet(landscape)
    sheet.write_text(_break(sheet.read_text(encoding="utf-8"), how), encoding="utf-8")
    files, quads = files_snapshot(landscape / "data"), store_snapshot(landscape / "store")
    with pytest.raises(DataError) as raised:
        apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    assert message in str(raised.value)
    assert files_snapshot(landscape / "data") == files
    assert store_snapshot(landscape / "store") == quads


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01binary\x00", "not valid YAML"), (b"source: caf\xe9\n", "not UTF-8")],
)
def test_a_broken_sheet_file_changes_nothing(landscape: Path, content: bytes, message: str) -> None:
    sheet = landscape / "broken.yaml"
    sheet.write_bytes(content)
    files, quads = files_snapshot(landscape / "data"), store_snapshot(landscape / "store")
    with pytest.raises(DataError) as raised:
        apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    assert message in str(raised.value)
    assert files_snapshot(landscape / "data") == files
    assert store_snapshot(landscape / "store") == quads


runner = CliRunner()


def test_cli_ingest_apply_round_trip(landscape: Path) -> None:
    data, store = str(landscape / "data"), str(landscape / "store")
    result = runner.invoke(
        app,
        [
            "ingest",
            str(ARTICLE),
            "--published",
            "2023-10-20",
            "--publisher",
            "Pandaily",
            "--apply",
            "-d",
            data,
            "-s",
            store,
        ],
    )
    assert result.exit_code == 0, result.output
    [added] = [p for p in (landscape / "data").glob("zhipu*.yaml")]
    sheet = yaml.safe_load(added.read_text(encoding="utf-8"))
    assert sheet["source"]["publisher"] == "pandaily"
    assert {f["kind"] for f in sheet["facts"]} >= {"funding", "competition", "develops"}
    assert graph_triples(landscape / "store", sheet["source"]["id"])
    again = runner.invoke(app, ["apply", str(added), "-d", data, "-s", store, "-q"])
    assert again.exit_code == 0, again.output
    assert "replaced" in again.output


def test_cli_ingest_writes_json_to_a_file(landscape: Path) -> None:
    out = landscape / "sheet.json"
    result = runner.invoke(app, ["ingest", str(ARTICLE), "-o", str(out), "-d", str(landscape / "data"), "-q"])
    assert result.exit_code == 0, result.output
    assert '"kind": "funding"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\x00\x00binary", "binary"),
        (b"Caf\xe9 au lait\n", "not UTF-8"),
        (b"word " * 50_000, "limit"),
    ],
)
def test_cli_bad_article_changes_nothing(landscape: Path, content: bytes, message: str) -> None:
    article = landscape / "article.txt"
    article.write_bytes(content)
    files, quads = files_snapshot(landscape / "data"), store_snapshot(landscape / "store")
    result = runner.invoke(
        app, ["ingest", str(article), "--apply", "-d", str(landscape / "data"), "-s", str(landscape / "store")]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert files_snapshot(landscape / "data") == files
    assert store_snapshot(landscape / "store") == quads


def test_cli_rejects_a_bad_publication_date(landscape: Path) -> None:
    result = runner.invoke(app, ["ingest", str(ARTICLE), "--published", "2023-13", "-d", str(landscape / "data")])
    assert result.exit_code == 2
    assert "month" in result.output


def test_source_ids_are_entities_of_the_graph(landscape: Path) -> None:
    sheet = proposed_sheet(landscape)
    result = apply_sheet(sheet, data_dir=landscape / "data", store=landscape / "store")
    subjects = {q.subject.value for q in graph_triples(landscape / "store", result.source_id)}
    assert str(KGD[result.source_id]) in subjects
