"""``kgraph serve`` as a real process on loopback: the SPARQL protocol, standard clients, and every safety rule."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kgraph.build import STORE_NAME, BuildResult
from kgraph.namespaces import sparql_prologue
from kgraph.server.policy import Refused, ServeSettings, check_query
from kgraph.store.oxigraph import OxigraphStore
from tests.sparql_servers import kgraph_serve

pytestmark = pytest.mark.server

TOKEN = "a-long-enough-test-token-0123456789"
TIME_LIMIT = 2.0
MAX_ROWS = 50
MAX_BODY = 20_000
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def served(seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-only endpoint on the seed store with a short time limit, a small row cap and a small body limit."""
    folder = tmp_path_factory.mktemp("served")
    (folder / "landscape.html").write_text("<!doctype html><title>the landscape view</title>", encoding="utf-8")
    store = folder / STORE_NAME
    shutil.copytree(seed_build.out_dir / STORE_NAME, store)
    options = ["--timeout", str(TIME_LIMIT), "--max-rows", str(MAX_ROWS), "--max-body", str(MAX_BODY)]
    with kgraph_serve(store, *options) as base:
        yield base


@pytest.fixture(scope="module")
def writable(seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An endpoint that takes updates with a token, on its own copy of the seed store."""
    store = tmp_path_factory.mktemp("writable") / STORE_NAME
    shutil.copytree(seed_build.out_dir / STORE_NAME, store)
    with kgraph_serve(store, "--allow-updates", "--update-token", TOKEN, "--timeout", "20") as base:
        yield base


def count(base: str) -> int:
    response = httpx.post(base + "/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    return int(response.text.split()[1])


# --- the protocol ---------------------------------------------------------------------------------------------


def test_get_post_form_and_direct_body_agree(served, seed_store: OxigraphStore):
    expected = len(seed_store)
    accept = {"Accept": "text/tab-separated-values"}
    by_get = httpx.get(served + "/sparql", params={"query": COUNT}, headers=accept)
    by_form = httpx.post(served + "/sparql", data={"query": COUNT}, headers=accept)
    direct = httpx.post(
        served + "/sparql", content=COUNT, headers={**accept, "Content-Type": "application/sparql-query"}
    )
    for response in (by_get, by_form, direct):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/tab-separated-values")
        rows = list(ox.parse_query_results(response.content, ox.QueryResultsFormat.TSV))
        assert int(rows[0]["n"].value) == expected


@pytest.mark.parametrize(
    ("accept", "format"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/csv;q=0.9, application/sparql-results+xml;q=0.5", None),
    ],
)
def test_select_results_in_every_format(served, seed_store, accept, format):
    query = (
        "SELECT ?s ?label WHERE { ?s a <https://w3id.org/kgraph/ontology#Company> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label"
    )
    expected = seed_store.query(query)
    assert 0 < len(expected) < MAX_ROWS
    response = httpx.get(served + "/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    if format is None:  # CSV has the highest preference
        assert response.headers["content-type"].startswith("text/csv")
        assert len(response.text.strip().splitlines()) == len(expected) + 1
        return
    rows = [
        dict(zip(["s", "label"], (r["s"], r["label"]), strict=True))
        for r in ox.parse_query_results(response.content, format)
    ]
    assert rows == expected.rows


@pytest.mark.parametrize(
    ("accept", "format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_in_rdf_formats(served, seed_store, accept, format):
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/kgraph/ontology#Company> ; ?p ?o . "
        "FILTER (?p = <http://www.w3.org/2000/01/rdf-schema#label>) }"
    )
    expected = seed_store.query(query)
    response = httpx.post(served + "/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    triples = list(ox.parse(response.content, format=format))
    assert 0 < len(triples) == len(expected) <= MAX_ROWS


def test_unacceptable_format_is_406(served):
    response = httpx.get(served + "/sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_service_description(served):
    response = httpx.get(served + "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    triples = [quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.TURTLE)]
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (
        ox.Triple(ox.NamedNode(served + "/sparql"), ox.NamedNode(sd + "endpoint"), ox.NamedNode(served + "/sparql"))
        in triples
    )
    languages = {t.object.value for t in triples if t.predicate.value == sd + "supportedLanguage"}
    assert languages == {sd + "SPARQL11Query"}  # read-only: no update language


def test_sparqlwrapper_works_unchanged(served, seed_store):
    from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper

    client = SPARQLWrapper(served + "/sparql")
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(seed_store)
    client.setMethod(POST)
    client.setReturnFormat(XML)
    client.setQuery("ASK { ?s a <https://w3id.org/kgraph/ontology#Company> }")
    document = client.query().convert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_rdflib_sparqlstore_works_unchanged(served, seed_store):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(served + "/sparql"))
    rows = list(graph.query("SELECT ?c WHERE { ?c a <https://w3id.org/kgraph/ontology#Company> } ORDER BY ?c"))
    expected = seed_store.query("SELECT ?c WHERE { ?c a <https://w3id.org/kgraph/ontology#Company> } ORDER BY ?c")
    assert [str(row[0]) for row in rows] == [row["c"].value for row in expected]
    built = graph.query("CONSTRUCT { ?c a ?t } WHERE { ?c a ?t } LIMIT 5")
    assert len(built.graph) == 5


def test_pages_and_health(served):
    assert httpx.get(served + "/health").json()["status"] == "ok"
    assert "the landscape view" in httpx.get(served + "/view").text
    listing = httpx.get(served + "/queries")
    assert listing.status_code == 200
    from kgraph.queries import catalog

    for name in catalog():
        assert f'id="{name}"' in listing.text
    assert "<script" not in listing.text.lower()
    assert 'href="/view"' in httpx.get(served + "/").text


def test_prefixes_are_predeclared_and_listed_in_the_service_description(served, seed_store):
    query = "SELECT ?c WHERE { ?c a kg:Company ; rdfs:label ?label } ORDER BY ?c"
    response = httpx.post(served + "/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    expected = seed_store.query(sparql_prologue() + query)
    assert response.text.split()[1:] == [row["c"].value for row in expected]
    description = httpx.get(served + "/sparql", headers={"Accept": "text/turtle"})
    declared = ox.Store()
    declared.load(description.content, format=ox.RdfFormat.TURTLE)
    rows = declared.query(
        "SELECT ?p ?n WHERE { ?s sh:declare [ sh:prefix ?p ; sh:namespace ?n ] }",
        prefixes={"sh": "http://www.w3.org/ns/shacl#"},
    )
    prefixes = {row["p"].value: row["n"].value for row in rows}
    assert prefixes["kg"] == "https://w3id.org/kgraph/ontology#" and prefixes["kgd"] == "https://w3id.org/kgraph/id/"


def test_sparql_errors_are_in_words(served):
    unknown = httpx.get(served + "/sparql", params={"query": "SELECT * WHERE {\n  ?s foo:bar ?o }"})
    assert unknown.status_code == 400
    assert unknown.text.startswith("line 2, column 6: unknown prefix foo:")
    no_form = httpx.get(served + "/sparql", params={"query": "SELEC * WHERE { ?s ?p ?o }"})
    assert no_form.status_code == 400 and "SELECT" in no_form.text


def test_named_questions_are_listed_as_json(served):
    from kgraph.queries import catalog

    listing = httpx.get(served + "/queries", headers={"Accept": "application/json"})
    assert listing.status_code == 200 and listing.headers["content-type"].startswith("application/json")
    entries = {entry["name"]: entry for entry in listing.json()}
    assert set(entries) == set(catalog())
    timeline = entries["timeline"]
    assert timeline["url"] == "/queries/timeline"
    assert [(p["name"], p["required"]) for p in timeline["parameters"]] == [
        ("company", True),
        ("since", False),
        ("until", False),
    ]
    assert httpx.get(served + "/queries", headers={"Accept": "text/html"}).text.startswith("<!doctype html>")


def test_named_questions_answer_over_http_page_by_page(served, seed_store):
    from kgraph.queries import get

    question = get("timeline")
    expected = [row["event"].value for row in question.run(seed_store, {"company": "SenseTime"})]
    assert len(expected) >= 3
    url = served + "/queries/timeline"
    whole = httpx.get(url, params={"company": "商汤科技"}, headers={"Accept": "application/sparql-results+json"})
    assert whole.status_code == 200, whole.text
    assert [b["event"]["value"] for b in whole.json()["results"]["bindings"]] == expected
    page = httpx.get(url, params={"company": "SenseTime", "limit": 2, "offset": 1}, headers={"Accept": "text/csv"})
    events = [line.split(",")[1] for line in page.text.strip().splitlines()[1:]]
    assert events == expected[1:3]
    xml = httpx.get(url, params={"company": "kgd:sensetime", "since": "2023"}, headers={"Accept": "application/xml"})
    dated = list(ox.parse_query_results(xml.content, ox.QueryResultsFormat.XML))
    assert 0 < len(dated) <= len(expected)  # a year is a date, as on the command line


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/queries/timelin?company=SenseTime", 404, "did you mean timeline"),
        ("/queries/timeline", 400, "needs a value for company"),
        ("/queries/timeline?company=SenseTime&colour=red", 400, "no parameter 'colour'"),
        ("/queries/timeline?company=Nobody-At-All", 400, "no entity is called"),
        ("/queries/timeline?company=SenseTime&since=someday", 400, "since"),
        ("/queries/timeline?company=SenseTime&limit=-1", 400, "limit must be a whole number"),
    ],
)
def test_named_question_mistakes_are_told_in_words(served, path, status, words):
    response = httpx.get(served + path)
    assert response.status_code == status
    assert words in response.text


def test_cors_is_off_by_default_and_answers_preflight_when_asked(served, seed_build, tmp_path):
    preflight = {"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"}
    assert "access-control-allow-origin" not in httpx.options(served + "/sparql", headers=preflight).headers
    store = tmp_path / STORE_NAME
    shutil.copytree(seed_build.out_dir / STORE_NAME, store)
    with kgraph_serve(store, "--cors", "https://yasgui.example") as base:
        answer = httpx.options(
            base + "/sparql", headers={**preflight, "Access-Control-Request-Headers": "content-type"}
        )
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "https://yasgui.example"
        assert "POST" in answer.headers["access-control-allow-methods"]
        other = httpx.options(base + "/sparql", headers={**preflight, "Origin": "https://elsewhere.example"})
        assert other.status_code == 400
        query = httpx.get(base + "/sparql", params={"query": COUNT}, headers={"Origin": "https://yasgui.example"})
        assert query.headers["access-control-allow-origin"] == "https://yasgui.example"


# --- safety rules: each test fails when its rule is removed -----------------------------------------------------


def test_binds_loopback_only_by_default(served):
    port = int(served.rsplit(":", 1)[1])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # UDP connect sends nothing
        try:
            probe.connect(("192.0.2.1", 9))
            outward = probe.getsockname()[0]
        except OSError:
            outward = "127.0.0.1"
    if outward.startswith("127."):
        pytest.skip("this machine has no address other than loopback")
    with pytest.raises(OSError), socket.create_connection((outward, port), timeout=2):
        pass
    assert ServeSettings(store=Path("x")).host == "127.0.0.1"


def test_read_only_by_default(served, seed_store):
    before = count(served)
    update = "DELETE WHERE { ?s ?p ?o }"
    for attempt in (
        httpx.post(served + "/sparql", data={"update": update}),
        httpx.post(served + "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
        httpx.post(served + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}),
    ):
        assert attempt.status_code == 403
        assert "read-only" in attempt.text
    assert count(served) == before == len(seed_store)


def test_updates_need_the_token(writable):
    insert = "INSERT DATA { GRAPH <https://w3id.org/kgraph/graph/test> { <urn:x:a> <urn:x:b> 'c' } }"
    before = count(writable)
    assert httpx.post(writable + "/sparql", data={"update": insert}).status_code == 401
    wrong = httpx.post(writable + "/sparql", data={"update": insert}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert count(writable) == before
    good = httpx.post(
        writable + "/sparql", data={"update": insert}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
    )
    assert good.status_code == 204, good.text
    assert count(writable) == before + 1  # the workers see the change


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <file:///etc/hostname> INTO GRAPH <urn:x:g>",
        "load silent <http://127.0.0.1:9/data.ttl>",
        "PREFIX : <file:///etc/> LOAD:hostname",
        "# comment first\nLOAD\n<file:///etc/hostname>",
        "\\u004cOAD <file:///etc/hostname>",
        "PREFIX ex: <http://example.org/> INSERT DATA { ex:s ex:p ex:a\\' } ; LOAD <http://127.0.0.1:9/x.ttl>",
        "PREFIX ex: <http://example.org/> INSERT DATA { ex:s ex:p ex:a\\# } ; LOAD <http://127.0.0.1:9/x.ttl>",
    ],
)
def test_load_is_refused(writable, update):
    before = count(writable)
    response = httpx.post(writable + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403 and "LOAD" in response.text
    assert count(writable) == before


def test_load_inside_a_string_or_comment_is_data(writable):
    before = count(writable)
    update = (
        "INSERT DATA { GRAPH <https://w3id.org/kgraph/graph/test> { <urn:x:load> <urn:x:says> "
        '"LOAD <file:///etc/passwd>" } } # LOAD <file:///etc/passwd>'
    )
    response = httpx.post(
        writable + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
    )
    assert response.status_code == 204, response.text
    assert count(writable) == before + 1


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX e: <http://example.org/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://example.org/sparql> AS ?u) SERVICE ?u { ?s ?p ?o } }",
        "SELECT * WHERE { # hidden?\n SERVICE\n<http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_to_other_hosts_is_refused(served, query):
    response = httpx.post(served + "/sparql", data={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text


def test_service_in_a_string_or_comment_is_not_a_service(served):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://example.org/>" AS ?x) } # SERVICE <http://example.org/>'
    response = httpx.post(served + "/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert "SERVICE <http://example.org/>" in response.text


def test_allowed_service_hosts_pass_the_check():
    settings = ServeSettings(store=Path("x"), service_hosts=frozenset({"query.wikidata.org"}))
    check_query("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", settings)
    with pytest.raises(Refused):
        check_query("SELECT * { SERVICE <https://query.wikidata.org.evil.example/sparql> { ?s ?p ?o } }", settings)


def test_the_time_limit_stops_a_query_and_others_are_still_served(served):
    restarts = httpx.get(served + "/health").json()["restarts"]
    answers: dict[str, httpx.Response] = {}

    def endless() -> None:
        answers["endless"] = httpx.post(served + "/sparql", data={"query": ENDLESS}, timeout=60)

    started = time.monotonic()
    thread = threading.Thread(target=endless)
    thread.start()
    time.sleep(0.3)
    quick = httpx.post(served + "/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30)
    quick_done = time.monotonic() - started
    thread.join(timeout=60)
    elapsed = time.monotonic() - started
    assert quick.status_code == 200 and quick_done < TIME_LIMIT
    assert answers["endless"].status_code == 503
    assert "time limit" in answers["endless"].text
    assert TIME_LIMIT <= elapsed < TIME_LIMIT + 20
    assert httpx.get(served + "/health").json()["restarts"] == restarts + 1
    assert count(served) > 0


def test_results_are_capped(served, seed_store):
    assert len(seed_store) > MAX_ROWS
    everything = httpx.post(
        served + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert everything.status_code == 200
    assert len(everything.text.strip().splitlines()) == MAX_ROWS + 1
    few = httpx.post(
        served + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 7"}, headers={"Accept": "text/csv"}
    )
    assert len(few.text.strip().splitlines()) == 7 + 1


def test_large_bodies_are_refused(served):
    padding = "#" + "x" * MAX_BODY + "\n"
    response = httpx.post(served + "/sparql", data={"query": padding + COUNT})
    assert response.status_code == 413
    direct = httpx.post(
        served + "/sparql", content=padding + COUNT, headers={"Content-Type": "application/sparql-query"}
    )
    assert direct.status_code == 413


def test_errors_are_protocol_errors(served):
    response = httpx.get(served + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert "line 1, column" in response.text
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert httpx.post(served + "/sparql", content=COUNT, headers={"Content-Type": "image/png"}).status_code == 415
    assert httpx.get(served + "/sparql", params=[("query", COUNT), ("query", COUNT)]).status_code == 400


def test_the_endpoint_serves_what_import_and_build_write_while_it_runs(seed_build: BuildResult, tmp_path):
    """Other processes write the served store (kgraph import) and replace it (kgraph build): no stale answers."""
    from kgraph.build import build
    from tests.conftest import DATA

    out = tmp_path / "build"
    shutil.copytree(seed_build.out_dir, out)
    store = out / STORE_NAME
    extra = tmp_path / "extra.ttl"
    extra.write_text('<https://example.org/new> <https://example.org/says> "hello" .\n', encoding="utf-8")
    asked = 'ASK { <https://example.org/new> <https://example.org/says> "hello" }'
    with kgraph_serve(store, "--workers", "2") as base:
        before = count(base)
        generation = httpx.get(base + "/health").json()["store_generation"]
        for _ in range(4):  # every worker has answered from the store as it was
            assert httpx.post(base + "/sparql", data={"query": asked}).json()["boolean"] is False
        imported = subprocess.run(
            [sys.executable, "-m", "kgraph", "import", str(extra), "--store", str(store)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert imported.returncode == 0, imported.stderr
        for _ in range(4):
            assert httpx.post(base + "/sparql", data={"query": asked}).json()["boolean"] is True
        assert count(base) > before
        assert httpx.get(base + "/health").json()["store_generation"] == generation + 1
        build([DATA], out)  # a rebuild puts a new folder in place: the import is gone again
        for _ in range(4):
            assert httpx.post(base + "/sparql", data={"query": asked}).json()["boolean"] is False
        assert count(base) == before
        health = httpx.get(base + "/health").json()
        assert health["restarts"] == 0 and health["store_generation"] == generation + 2


def test_updates_see_the_union_of_the_graphs(writable):
    token = {"Authorization": f"Bearer {TOKEN}"}
    asked = "ASK { kgd:sensenova kg:competesWith ?rival }"
    assert httpx.post(writable + "/sparql", data={"query": asked}).json()["boolean"] is True
    before = count(writable)
    # the facts are in the source graphs and the inferred graph: the shorthand reaches them through the union
    deleted = httpx.post(
        writable + "/sparql", data={"update": "DELETE WHERE { kgd:sensenova kg:competesWith ?rival }"}, headers=token
    )
    assert deleted.status_code == 204, deleted.text
    assert httpx.post(writable + "/sparql", data={"query": asked}).json()["boolean"] is False
    assert count(writable) < before
    wrong = httpx.post(writable + "/sparql", data={"update": "DELETE WHERE { ?s ?p }"}, headers=token)
    assert wrong.status_code == 400 and "line 1" in wrong.text


def test_a_memory_limit_too_small_to_open_the_store_is_refused(seed_build):
    from typer.testing import CliRunner

    from kgraph.cli import app

    store = str(seed_build.out_dir / STORE_NAME)
    result = CliRunner().invoke(app, ["serve", "--store", store, "--max-memory", "100"])
    assert result.exit_code == 2
    assert "--max-memory must be at least 768 MB" in result.output
