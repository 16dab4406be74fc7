"""The life cycle of issue 11, driven through the CLI as an analyst would, on a scratch copy of data/.

build -> ingest an article and apply it -> the questions and the view show it without a rebuild -> import a Turtle
file -> build -> still there -> a second source states a known fact and another revenue figure -> the fact counts
once, the conflict is listed -> ingest and apply the first article again -> nothing duplicated -> merge two
duplicates -> both names resolve -> retract the article -> gone everywhere -> ``kgraph changes`` lists every step.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kgraph.cli import app
from tests.conftest import DATA, REPO

ARTICLE = REPO / "benchmarks" / "ingest" / "articles" / "11-megvii-layoffs.txt"
KGD = "https://w3id.org/kgraph/id/"
IMPORTED = """@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgd: <https://w3id.org/kgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgd:cloudwalk a kg:Company ; rdfs:label "CloudWalk" ; kg:competesWith kgd:sensetime .
"""
SECOND_SOURCE = {
    "source": {"id": "analyst-note", "type": "reference", "title": "An analyst's note on SenseTime"},
    "entities": [{"id": "sensetime-group-ltd", "type": "Company", "name": "SenseTime Group Ltd", "country": "CN"}],
    "facts": [
        {"id": "analyst-note-chatgpt", "kind": "develops", "subject": "openai", "object": "chatgpt"},
        {
            "id": "analyst-note-results",
            "kind": "financial_result",
            "subject": "sensetime-group-ltd",
            "period": {"fiscal_year": 2022},
            "measurements": [{"metric": "revenue", "amounts": [{"value": 3600000000, "currency": "CNY"}]}],
        },
    ],
}


def kgraph(*args: str, nothing_found: bool = False) -> str:
    result = CliRunner().invoke(app, list(args))
    expected = 1 if nothing_found else 0  # exit status 1: the question has no answer
    assert result.exit_code == expected, (args, result.stdout, result.stderr)
    return result.stdout


def rows(*args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(app, ["query", *args, "-f", "csv"])
    assert result.exit_code in (0, 1), (args, result.stdout, result.stderr)
    found = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (result.exit_code == 1) == (not found), (args, result.exit_code, found)
    return found


def test_the_life_cycle_of_a_landscape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KGRAPH_STORE", raising=False)
    kgraph("build", "-q")
    view = Path("build/landscape.html")

    # ingest an article and apply it: the questions and the view show it at once
    kgraph("ingest", str(ARTICLE), "--published", "2023-03-02", "-o", "megvii.yaml", "-q")
    kgraph("apply", "megvii.yaml", "-q")
    [source] = [p.stem for p in Path("data").glob("megvii*.yaml")]
    [cut] = rows("workforce_cuts", "--bind", "company=Megvii")
    assert (cut["headcount"], cut["minShare"], cut["source"]) == ("300", "8", f"{KGD}{source}")
    assert "Megvii layoffs (2023-03-02)" in [r["label"] for r in rows("timeline", "--bind", "company=Megvii")]
    assert f"{KGD}megvii" in {r["company"] for r in rows("events", "--bind", "kind=kg:Layoff")}
    assert f"{KGD}{source}" in {r["source"] for r in rows("sources")}
    assert "Megvii" in view.read_text(encoding="utf-8")

    # import a Turtle file; a build keeps it
    Path("cloudwalk.ttl").write_text(IMPORTED, encoding="utf-8")
    kgraph("import", "cloudwalk.ttl", "-q")
    kgraph("build", "-q")
    assert "CloudWalk" in [r["rivalLabel"] for r in rows("competitors", "--bind", "entity=SenseTime")]

    # a second source states a known fact and another revenue figure
    Path("note.yaml").write_text(yaml.safe_dump(SECOND_SOURCE), encoding="utf-8")
    kgraph("apply", "note.yaml", "-q")
    count = "SELECT (COUNT(*) AS ?n) WHERE { kgd:chatgpt kg:developer ?c }"
    assert rows(count) == [{"n": "1"}]
    sources = rows("provenance", "--bind", "fact=kgd:analyst-note-chatgpt")
    assert [r["source"] for r in sources] == [f"{KGD}analyst-note"]

    # the duplicate company is merged: the conflict is now between two figures for one company
    kgraph("merge", "SenseTime", "SenseTime Group Ltd", "-q")
    [conflict] = rows("conflicts", "--bind", "entity=SenseTime")
    assert {conflict["value"], conflict["otherValue"]} == {"3600000000", "3809000000"}
    resolved = rows("SELECT ?e ?l WHERE { ?e rdfs:label ?l }", "--bind", "e=SenseTime Group Ltd")
    assert resolved == [{"e": f"{KGD}sensetime", "l": "SenseTime"}]

    # ingest and apply the first article again: it replaces itself, nothing is duplicated
    before = len(list(Path("data").iterdir()))
    kgraph("ingest", str(ARTICLE), "--published", "2023-03-02", "--apply", "-q")
    assert len(list(Path("data").iterdir())) == before
    assert len(rows("workforce_cuts", "--bind", "company=Megvii")) == 1
    assert len(rows("SELECT ?r WHERE { ?r kg:company kgd:megvii ; a kg:Layoff }")) == 1

    # retract the article: gone from data/, the store, the exports and the view
    kgraph("retract", source, "-q")
    assert not list(Path("data").glob("megvii*"))
    assert rows("SELECT ?e WHERE { ?e ?p kgd:megvii }") == []
    for output in ("build/landscape.ttl", "build/landscape.trig", "build/landscape.html"):
        assert "Megvii" not in Path(output).read_text(encoding="utf-8"), output

    listed = kgraph("changes")
    steps = [line.split()[1] for line in listed.splitlines() if line.strip().startswith("20")]
    assert steps == ["apply", "import", "apply", "merge", "apply", "retract"]
