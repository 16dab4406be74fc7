"""``kgraph query``, ``kgraph queries``, ``kgraph export`` and ``kgraph import`` on the seed landscape."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kgraph.build import STORE_NAME, BuildResult
from kgraph.cli import app
from kgraph.infer import INFERRED
from kgraph.store.oxigraph import OxigraphStore

KGD = "https://w3id.org/kgraph/id/"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store_path(seed_build: BuildResult) -> str:
    return str(seed_build.out_dir / STORE_NAME)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, store: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--store", store])
    return result.exit_code, result.stdout, result.stderr


def sparql_json(text: str) -> list[dict[str, str]]:
    document = json.loads(text)
    return [{name: cell["value"] for name, cell in row.items()} for row in document["results"]["bindings"]]


# -- query --------------------------------------------------------------------------------------------------


def test_named_question_as_a_table_with_labels(runner: CliRunner, store_path: str) -> None:
    code, out, _ = run(runner, store_path, "query", "timeline", "--bind", "company=SenseTime", "-b", "since=2023-01-01")
    assert code == 0
    assert "SenseTime launches SenseNova (2023-04)" in out and "SenseTime layoffs (2023-09)" in out
    assert "Product launch" in out  # the class's label, not its IRI
    assert "results FY2022" not in out  # before the first day
    assert KGD not in out


def table(runner: CliRunner, store: str, columns: int, *args: str) -> list[str]:
    """The lines of a table printed ``columns`` wide, each checked to fit."""
    from rich.cells import cell_len

    result = runner.invoke(app, [*args, "--store", store], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(cell_len(line) <= columns for line in lines), "\n".join(lines)
    assert "…" not in result.stdout and "https://" not in result.stdout
    return lines


def headers(lines: list[str]) -> list[str]:
    """The column headers of a rich table (a header may wrap over several lines)."""
    rows = []
    for line in lines[1:]:
        if line.startswith("┡"):
            break
        rows.append([part.strip() for part in line.strip("┃").split("┃")])
    return [" ".join(filter(None, words)) for words in zip(*rows, strict=True)]


@pytest.mark.parametrize("columns", [80, 200])
def test_timeline_table_fits_one_column_per_thing(runner: CliRunner, store_path: str, columns: int) -> None:
    lines = table(runner, store_path, columns, "query", "timeline", "-b", "company=SenseTime")
    assert headers(lines) == ["event", "class", "date", "source"]  # no company (bound), no label beside event
    words = " ".join(lines).split()
    assert {"Product", "launch", "2023-04", "(inferred)", "2022", "Layoff"} <= set(words)
    if columns == 200:
        assert any("Product launch" in line and "2023-04 (inferred)" in line for line in lines)
        assert any("SenseTime launches SenseNova (2023-04)" in line for line in lines)
        assert sum(line.startswith("│") for line in lines) == 4  # a row a line: nothing wraps when there is room


@pytest.mark.parametrize("columns", [80, 200])
def test_money_with_currency_and_separators(runner: CliRunner, store_path: str, columns: int) -> None:
    lines = table(runner, store_path, columns, "query", "financials", "-b", "company=SenseTime", "-b", "metric=revenue")
    assert "currency" not in " ".join(headers(lines)) and "company" not in headers(lines)
    body = "\n".join(lines)
    assert "CNY 3,809,000,000" in body and "USD 520,000,000" in body and "(converted)" in body
    assert "3809000000" not in body
    lines = table(runner, store_path, columns, "query", "year_on_year")
    assert any("CNY 3,809,000,000" in line and "-19%" in line and "2022" in line for line in lines)


def test_wide_characters_count_as_two_cells(runner: CliRunner, store_path: str) -> None:
    lines = table(runner, store_path, 60, "query", "company_profile", "-b", "company=SenseTime")
    assert any("商汤科技" in line for line in lines)  # and every line fits 60 cells (checked by table())


def test_rivals_by_label_and_long_text_wraps_inside_its_column(runner: CliRunner, store_path: str) -> None:
    lines = table(runner, store_path, 80, "query", "competitors", "-b", "entity=SenseNova")
    assert headers(lines) == ["rival", "market", "source"] or headers(lines) == ["rival", "source"]
    assert "ChatGPT" in lines[3]
    lines = table(runner, store_path, 100, "query", "workforce_cuts")
    assert sum("Smart City" in line for line in lines) >= 1  # the unit's name is kept, wrapped within the cell
    assert "10%" in "\n".join(lines) and "15%" in "\n".join(lines)


def test_predeclared_prefixes_and_the_class_hierarchy(runner: CliRunner, store_path: str) -> None:
    code, out, _ = run(runner, store_path, "query", "SELECT ?p WHERE { ?p a kg:LargeLanguageModel }", "-f", "json")
    assert code == 0
    assert sparql_json(out) == [{"p": f"{KGD}sensenova"}]
    code, out, _ = run(runner, store_path, "query", "SELECT ?e WHERE { ?e a kg:Event } ORDER BY ?e", "-f", "csv")
    assert code == 0
    assert [row["e"] for row in csv.DictReader(io.StringIO(out))] == [
        f"{KGD}sensenova-launch",
        f"{KGD}sensetime-layoff-statement",
        f"{KGD}sensetime-layoffs-2023",
        f"{KGD}sensetime-results-2022",
    ]


def test_w3c_json_and_tsv(runner: CliRunner, store_path: str) -> None:
    code, out, _ = run(runner, store_path, "query", "financials", "-b", "company=SenseTime", "-b", "currency=CNY",
                       "-b", "metric=revenue", "-f", "json")  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert "value" in document["head"]["vars"]
    (row,) = document["results"]["bindings"]
    assert row["company"] == {"type": "uri", "value": f"{KGD}sensetime"}
    assert row["value"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert float(row["value"]["value"]) == 3_809_000_000
    code, out, _ = run(runner, store_path, "query", 'SELECT ?s WHERE { ?s rdfs:label "SenseNova" }', "-f", "tsv")
    assert code == 0
    assert out.splitlines() == ["?s", f"<{KGD}sensenova>"]


def test_query_file_with_bound_label(runner: CliRunner, store_path: str, tmp_path: Path) -> None:
    file = tmp_path / "units.rq"
    file.write_text("# units of a company\nSELECT ?unit ?company WHERE {\n  ?unit org:unitOf ?company .\n}\n")
    code, out, _ = run(runner, store_path, "query", str(file), "--bind", "company=sensetime group", "-f", "csv")
    assert code == 0, out
    assert out.splitlines() == ["unit,company", f"{KGD}sensetime-scg,{KGD}sensetime"]
    file.write_text("SELECT ?unit WHERE { ?unit org:unitOf ?company }")  # a bound variable need not be returned
    code, out, _ = run(runner, store_path, "query", str(file), "--bind", "company=SenseTime", "-f", "csv")
    assert code == 0 and out.splitlines() == ["unit", f"{KGD}sensetime-scg"]


def test_ask_sets_the_exit_status(runner: CliRunner, store_path: str) -> None:
    code, out, _ = run(runner, store_path, "query", "ASK { kgd:sensenova kg:developer kgd:sensetime }")
    assert (code, out.strip()) == (0, "true")
    code, out, _ = run(runner, store_path, "query", "ASK { kgd:sensenova kg:developer kgd:baidu }")
    assert (code, out.strip()) == (1, "false")
    code, out, _ = run(runner, store_path, "query", "ASK { ?s a kg:Layoff }", "-f", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}


def test_construct_and_describe_print_turtle(runner: CliRunner, store_path: str) -> None:
    code, out, _ = run(
        runner, store_path, "query", "CONSTRUCT { ?a kg:competesWith ?b } WHERE { ?a kg:competesWith ?b }"
    )
    assert code == 0
    triples = {(q.subject.value, q.object.value) for q in ox.parse(out.encode(), format=ox.RdfFormat.TURTLE)}
    assert (f"{KGD}sensenova", f"{KGD}chatgpt") in triples and len(triples) == 14
    code, out, _ = run(runner, store_path, "query", "DESCRIBE kgd:sensenova")
    assert code == 0
    assert "kgd:sensenova" in out and '"SenseNova"' in out


def test_syntax_errors_give_line_and_column(runner: CliRunner, store_path: str) -> None:
    code, _, err = run(runner, store_path, "query", "SELECT ?s\nWHERE {\n ?s ?p \n}")
    assert code == 2
    assert "error: line 4, column 2: unexpected end of the query" in err  # not shifted by the prefixes
    code, _, err = run(runner, store_path, "query", "SELECT ?s WHERE { ?s nope:x ?o }")
    assert code == 2 and "line 1, column 22: unknown prefix nope:" in err
    code, _, err = run(runner, store_path, "query", "SELEC ?s WHERE { ?s ?p ?o }")
    assert code == 2 and "line 1, column 1: expected SELECT, ASK, CONSTRUCT or DESCRIBE, found 'SELEC'" in err
    assert "\\u{" not in err and "Prefix not found" not in err


def test_a_syntax_error_in_a_file_names_the_file_and_its_line(
    runner: CliRunner, store_path: str, tmp_path: Path
) -> None:
    file = tmp_path / "mine.rq"
    file.write_text("# my question\n# two lines of comments\nSELECT ?s WHERE {\n  ?s a ex:Thing }\n")
    code, _, err = run(runner, store_path, "query", str(file))
    assert code == 2
    assert f"{file}:4:8: unknown prefix ex:" in " ".join(err.split())


def test_a_syntax_error_in_a_named_question_names_its_file(
    runner: CliRunner, store_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgraph import queries

    text = (
        "# name: broken\n# description: A question with a typo.\nSELECT ?e WHERE {\n  ?e a kg:Event ;\n     kg:date }\n"
    )
    broken = queries.parse_header("broken", text, path="kgraph/queries/broken.rq")
    monkeypatch.setattr(queries, "get", lambda name: broken)
    code, _, err = run(runner, store_path, "query", "broken")
    assert code == 2 and err.startswith("error: kgraph/queries/broken.rq:5:")


def test_pages_of_a_named_question_and_of_a_query(runner: CliRunner, store_path: str) -> None:
    code, out, _ = run(runner, store_path, "query", "companies", "-f", "csv")
    assert code == 0
    whole = out.splitlines()[1:]
    assert len(whole) >= 4
    pages = []
    for offset in range(0, len(whole), 2):
        code, out, _ = run(runner, store_path, "query", "companies", "-f", "csv", "-n", "2", "--offset", str(offset))
        assert code == 0
        pages.extend(out.splitlines()[1:])
    assert pages == whole
    query = "SELECT ?c ?l WHERE { ?c a kg:Company ; rdfs:label ?l } ORDER BY ?l"
    code, out, _ = run(runner, store_path, "query", query, "-f", "csv", "-n", "1", "--offset", "1")
    assert code == 0 and len(out.splitlines()) == 2
    code, out, _ = run(runner, store_path, "query", "companies", "-f", "csv", "--offset", "1000")
    assert code == 1 and out.splitlines() == ["company,label,country,market,industry"]
    code, _, err = run(runner, store_path, "query", "companies", "--limit", "-1")
    assert code == 2 and "--limit" in err


def test_unknown_names(runner: CliRunner, store_path: str) -> None:
    code, _, err = run(runner, store_path, "query", "timelin")
    assert code == 2 and "did you mean timeline" in err
    code, _, err = run(runner, store_path, "query", "timeline", "-b", "company=SensTime")
    assert code == 2 and "SenseTime" in err
    code, _, err = run(runner, store_path, "query", "timeline", "-b", "company")
    assert code == 2 and "NAME=VALUE" in err


def test_timeout_stops_a_long_query(runner: CliRunner, store_path: str) -> None:
    started = time.monotonic()
    code, _, err = run(runner, store_path, "query", SLOW, "--timeout", "0.5")
    assert code == 2 and "stopped" in err
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("hostile", ['"} ; DROP ALL ; {"', "a\nb } UNION { ?s ?p ?o", '"x" . } #', "日本語'\""])
def test_hostile_bound_values_change_nothing(
    runner: CliRunner, store_path: str, seed_store: OxigraphStore, hostile: str
) -> None:
    before = len(seed_store)
    code, out, _ = run(runner, store_path, "query", "SELECT ?s ?x WHERE { ?s rdfs:label ?x }",
                       "--bind", f"x=\"{hostile}\"", "-f", "csv")  # fmt: skip
    assert code == 1 and out.splitlines() == ["s,x"]  # nothing found
    code, out, _ = run(runner, store_path, "query", "financials", "-b", "company=kgd:sensetime",
                       "-b", f"currency={hostile}", "-f", "csv")  # fmt: skip
    assert code == 1 and len(out.splitlines()) == 1
    assert len(seed_store) == before


def test_queries_lists_the_bundled_questions(runner: CliRunner) -> None:
    result = runner.invoke(app, ["queries"])
    assert result.exit_code == 0
    for name in ("timeline", "financials", "workforce_cuts", "provenance", "unsourced_facts"):
        assert name in result.stdout
    result = runner.invoke(app, ["queries", "timeline"])
    assert result.exit_code == 0
    assert "since (date, optional)" in result.stdout and "SELECT" in result.stdout


# -- export and import ----------------------------------------------------------------------------------------


def _asserted(store: OxigraphStore) -> set[ox.Quad]:
    return {q for q in store.quads() if q.graph_name != INFERRED}


@pytest.mark.parametrize("format", ["nq", "trig", "jsonld"])
def test_dataset_formats_round_trip(
    runner: CliRunner, store_path: str, seed_store: OxigraphStore, tmp_path: Path, format: str
) -> None:
    exported = tmp_path / f"landscape.{format}"
    assert run(runner, store_path, "export", "-f", format, "-o", str(exported))[0] == 0
    target = str(tmp_path / "store")
    code, out, _ = run(runner, target, "import", str(exported))
    assert code == 0, out
    with OxigraphStore.open(Path(target), read_only=True) as imported:
        assert _asserted(imported) == _asserted(seed_store)
        assert set(imported.quads(INFERRED)) == set(seed_store.quads(INFERRED))
    # importing the same file again changes nothing
    assert run(runner, target, "import", str(exported))[0] == 0
    with OxigraphStore.open(Path(target), read_only=True) as imported:
        assert len(imported) == len(seed_store)


@pytest.mark.parametrize("format", ["ttl", "nt"])
def test_graph_formats_round_trip_into_one_graph(
    runner: CliRunner, store_path: str, seed_store: OxigraphStore, tmp_path: Path, format: str
) -> None:
    exported = tmp_path / f"landscape.{format}"
    assert run(runner, store_path, "export", "-f", format, "-o", str(exported))[0] == 0
    target = str(tmp_path / "store")
    assert run(runner, target, "import", str(exported), "--graph", "kgd:everything")[0] == 0
    with OxigraphStore.open(Path(target), read_only=True) as imported:
        assert [g.value for g in imported.named_graphs()] == [str(INFERRED.value), f"{KGD}everything"]
        assert {q.triple for q in _asserted(imported)} == {q.triple for q in _asserted(seed_store)}


def test_export_graphml(runner: CliRunner, store_path: str, tmp_path: Path) -> None:
    path = tmp_path / "landscape.graphml"
    code, _, _ = run(runner, store_path, "export", "-f", "graphml", "-o", str(path))
    assert code == 0
    graph = nx.read_graphml(path)
    assert graph.nodes[f"{KGD}sensetime"]["label"] == "SenseTime"
    assert graph.has_edge(f"{KGD}sensetime", f"{KGD}sensenova")


def test_a_bad_file_loads_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "store"
    good = tmp_path / "good.ttl"
    good.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", encoding="utf-8")
    assert run(runner, str(target), "import", str(good))[0] == 0
    bad = tmp_path / "bad.trig"
    bad.write_text(
        "<http://example.org/g> {\n  <http://example.org/c> <http://example.org/p> <http://example.org/d> .\n"
        '  <http://example.org/c> <http://example.org/p> "open\n}\n',
        encoding="utf-8",
    )
    code, _, err = run(runner, str(target), "import", str(bad))
    assert code == 2
    assert "bad.trig:3" in err and "nothing was changed" in err
    with OxigraphStore.open(target, read_only=True) as store:
        assert [q.triple for q in store.quads() if q.graph_name != INFERRED] == [
            ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
                      ox.NamedNode("http://example.org/b"))
        ]  # fmt: skip


# -- answers for spreadsheets ------------------------------------------------------------------------------------


def test_csv_with_labels_keeps_the_w3c_format(runner: CliRunner, store_path: str) -> None:
    code, out, _ = run(runner, store_path, "query", "competitors", "-b", "entity=SenseNova", "-f", "csv", "--labels")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["entity", "entityLabel", "rival", "rivalLabel", "market", "marketLabel", "source",
                             "sourceLabel"]  # fmt: skip
    assert rows[0]["rival"] == f"{KGD}chatgpt" and rows[0]["rivalLabel"] == "ChatGPT"
    code, out, _ = run(runner, store_path, "query", "SELECT ?m WHERE { ?m a kg:LargeLanguageModel }", "-f", "tsv",
                       "--labels")  # fmt: skip
    assert out.splitlines() == ["?m\t?mLabel", f'<{KGD}sensenova>\t"SenseNova"']


def test_export_a_question_as_csv_and_xlsx(runner: CliRunner, store_path: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    code, out, _ = run(runner, store_path, "export", "--question", "timeline", "-b", "company=SenseTime")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert "company" not in rows[0] and "since" not in rows[0]  # the question's parameters are left out
    assert [row["label"] for row in rows][:3] == [
        "SenseTime results FY2022", "SenseTime launches SenseNova (2023-04)", "SenseTime layoffs (2023-09)"
    ]  # fmt: skip
    assert rows[1]["classLabel"] == "Product launch" and rows[1]["class"].endswith("#ProductLaunch")
    sheet = tmp_path / "financials.xlsx"
    code, _, err = run(runner, store_path, "export", "-q", "financials", "-b", "company=SenseTime", "-b",
                       "metric=revenue", "-f", "xlsx", "-o", str(sheet))  # fmt: skip
    assert code == 0, err
    book = load_workbook(sheet)
    page = book["financials"]
    header, *values = [list(row) for row in page.iter_rows(values_only=True)]
    assert header[:5] == ["measurement", "measurementLabel", "periodLabel", "fiscalYear", "metricLabel"]
    by_currency = {row[header.index("currencyCode")]: row for row in values}
    assert by_currency["CNY"][header.index("value")] == 3_809_000_000  # a number, not text
    assert by_currency["USD"][header.index("converted")] is True
    assert by_currency["CNY"][header.index("yearOnYearChange")] == -19


def test_export_refuses_what_does_not_fit(runner: CliRunner, store_path: str, tmp_path: Path) -> None:
    code, _, err = run(runner, store_path, "export", "-f", "xlsx", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "needs --question" in err
    code, _, err = run(runner, store_path, "export", "--question", "timeline", "-b", "company=SenseTime", "-f", "xlsx")
    assert code == 2 and "needs a file" in err
    code, _, err = run(runner, store_path, "export", "--question", "timeline", "-f", "trig")
    assert code == 2 and "csv, tsv or xlsx" in err
    code, _, err = run(runner, store_path, "export", "--question", "timelin", "-o", str(tmp_path / "t.csv"))
    assert code == 2 and "did you mean timeline" in err and not (tmp_path / "t.csv").exists()


# -- a journey through the terminal ------------------------------------------------------------------------------


def test_an_analyst_reads_pages_and_takes_the_answer_to_a_spreadsheet(store_path: str, tmp_path: Path) -> None:
    """The kgraph command in a process of its own, as an analyst at an 80-column terminal uses it."""
    import os
    import subprocess
    import sys

    from openpyxl import load_workbook

    def kgraph(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
        command = [sys.executable, "-m", "kgraph", *args, "--store", store_path]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)

    version = subprocess.run([sys.executable, "-m", "kgraph", "--version"], capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.startswith("kgraph ")
    timeline = kgraph("query", "timeline", "-b", "company=商汤科技", "-b", "since=2023")
    assert timeline.returncode == 0, timeline.stderr
    assert max(len(line) for line in timeline.stdout.splitlines()) <= 80
    assert "results FY2022" not in timeline.stdout and "(inferred)" in timeline.stdout
    first = kgraph("query", "events", "-b", "kind=product launch", "-f", "csv", "--labels", "-n", "1")
    assert first.returncode == 0 and "SenseTime launches SenseNova" in first.stdout
    beyond = kgraph("query", "events", "-b", "kind=Layoff", "--offset", "5")
    assert beyond.returncode == 1  # nothing on that page
    typo = kgraph("query", "SELECT ?e WHERE { ?e a kgx:Layoff }")
    assert typo.returncode == 2 and "line 1, column 24: unknown prefix kgx:" in typo.stderr
    sheet = tmp_path / "layoffs.xlsx"
    written = kgraph(
        "export", "--question", "workforce_cuts", "-b", "company=SenseTime", "-f", "xlsx", "-o", str(sheet)
    )
    assert written.returncode == 0, written.stderr
    header, *rows = list(load_workbook(sheet)["workforce_cuts"].iter_rows(values_only=True))
    assert rows and rows[0][header.index("unitLabel")] == "Smart City and Business Group"
    assert (rows[0][header.index("minShare")], rows[0][header.index("maxShare")]) == (10, 15)
