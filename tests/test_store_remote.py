"""RemoteStore against real servers that the fixtures start and stop: Oxigraph's server and Virtuoso."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kgraph.build import BuildResult
from kgraph.cli import app
from kgraph.namespaces import GRAPH, KGD, RDFS
from kgraph.store import open_store
from kgraph.store.base import AskResult, GraphResult, SelectResult
from kgraph.store.oxigraph import OxigraphStore
from kgraph.store.remote import LoadInterruptedError, RemoteStore, RemoteStoreError
from kgraph.store.remote_config import read_settings
from kgraph.summary import summarize
from tests.sparql_servers import oxigraph_binary, oxigraph_server, virtuoso_server

pytestmark = pytest.mark.server

VIRTUOSO_LOGIN = {"user": "dba", "password": "dba"}
HOSTILE = ['"} ; DROP ALL ; {"', "x' } INSERT DATA { <a:b> <a:b> <a:b> } #", "line\nbreak", "SenseTime\\", "商汤科技"]


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    """A running server of each kind: (URL, login)."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        if oxigraph_binary() is None:
            pytest.skip("the oxigraph server is not installed")
        with oxigraph_server(folder) as url:
            yield url, {}
    else:
        try:
            context = virtuoso_server(folder)
            url = context.__enter__()
        except RuntimeError as error:
            if "not installed" in str(error):
                pytest.skip(str(error))
            raise
        try:
            yield url, VIRTUOSO_LOGIN
        finally:
            context.__exit__(None, None, None)


@pytest.fixture
def remote(server: tuple[str, dict]) -> Iterator[RemoteStore]:
    """A writable store on the server, emptied of kgraph's graphs before and after the test."""
    url, login = server
    store = RemoteStore.from_url(url, read_only=False, **login)
    for graph in store.named_graphs():
        store.remove_graph(graph)
    yield store
    for graph in store.named_graphs():
        store.remove_graph(graph)
    store.close()


@pytest.fixture(scope="module")
def seed_quads(seed_store: OxigraphStore) -> list[ox.Quad]:
    return list(seed_store.quads())


def _canonical(quads: list[ox.Quad]) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def test_a_loaded_landscape_answers_like_the_embedded_store(remote, seed_store, seed_quads):
    report = remote.replace_graphs(seed_quads)
    assert report.triples == len(seed_quads)
    assert len(remote) == len(seed_store)
    assert remote.named_graphs() == seed_store.named_graphs()
    assert summarize(remote) == summarize(seed_store)
    assert _canonical(list(remote.quads())) == _canonical(seed_quads)


def test_the_standard_prefixes_are_declared(remote, seed_quads):
    remote.replace_graphs(seed_quads)
    assert remote.query("ASK { kgd:sensenova kg:competesWith kgd:chatgpt }")
    assert not remote.query("PREFIX kg: <http://example.org/other#> ASK { kgd:sensenova kg:competesWith ?x }")


def test_bindings_fix_variables_as_terms(remote, seed_store, seed_quads):
    remote.replace_graphs(seed_quads)
    query = "SELECT ?entity ?label WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    sensetime = KGD["sensetime"]
    bindings = {"entity": ox.NamedNode(str(sensetime))}
    expected = seed_store.query(query, bindings=bindings)
    got = remote.query(query, bindings=bindings)
    assert isinstance(got, SelectResult) and len(got) == 1
    assert got.rows == expected.rows
    grouped = "SELECT ?entity (COUNT(?p) AS ?n) WHERE { ?entity ?p ?o } GROUP BY ?entity"
    counted = remote.query(grouped, bindings=bindings)
    local = seed_store.query(grouped, bindings=bindings)
    assert int(counted.rows[0]["n"].value) == int(local.rows[0]["n"].value) > 0


UNRETURNED = [
    "SELECT ?entity WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?name }",
    "SELECT * WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER (?label = ?name) }",
    "ASK { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?name }",
    "CONSTRUCT { ?entity a ?class } WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?name ; a ?class }",
]


def test_a_bound_variable_need_not_be_returned_on_any_store(remote, seed_store, seed_quads, tmp_path):
    """Memory, disk and a real server answer alike when the bound variable is not in the SELECT clause."""
    remote.replace_graphs(seed_quads)
    with OxigraphStore.open(tmp_path / "store") as disk:
        disk.add_quads(seed_quads)
        for query in UNRETURNED:
            for name, found in ((ox.Literal("SenseTime"), True), (ox.Literal("nobody"), False)):
                answers = [store.query(query, bindings={"name": name}) for store in (seed_store, disk, remote)]
                if isinstance(answers[0], SelectResult):
                    answers = [sorted(row["entity"].value for row in answer.rows) for answer in answers]
                    assert answers[0] == ([str(KGD["sensetime"])] if found else []), query
                elif isinstance(answers[0], AskResult):
                    answers = [answer.value for answer in answers]
                    assert answers[0] is found
                else:
                    answers = [sorted(map(str, answer.triples)) for answer in answers]
                    assert bool(answers[0]) is found
                assert answers[0] == answers[1] == answers[2], query


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_bound_values_change_nothing_and_match_nothing(remote, seed_quads, hostile):
    remote.replace_graphs(seed_quads)
    before = len(remote)
    query = "SELECT ?entity ?label WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    result = remote.query(query, bindings={"label": ox.Literal(hostile)})
    assert isinstance(result, SelectResult) and result.rows == []
    assert len(remote) == before


def test_ask_construct_and_a_label_with_quotes_round_trip(remote):
    graph = ox.NamedNode(str(GRAPH["round-trip"]))
    subject = ox.NamedNode("https://example.org/x")
    tricky = ox.Literal('say "hi"\n\tand \\ go { } # not a comment', language="en")
    remote.replace_graph(graph, [ox.Triple(subject, ox.NamedNode(str(RDFS.label)), tricky)])
    found = remote.query("ASK { ?s ?p ?o }", bindings={"o": tricky})
    assert isinstance(found, AskResult) and found.value is True
    built = remote.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(built, GraphResult)
    assert [t.object for t in built] == [tricky]


def test_replace_in_batches_never_duplicates(remote):
    graph = ox.NamedNode(str(GRAPH["batched"]))
    predicate = ox.NamedNode("https://example.org/p")
    triples = [ox.Triple(ox.NamedNode(f"https://example.org/s{i}"), predicate, ox.Literal(str(i))) for i in range(250)]
    blank = ox.BlankNode()
    triples += [ox.Triple(ox.NamedNode("https://example.org/s0"), predicate, blank), ox.Triple(blank, predicate, blank)]
    remote.settings = dataclasses.replace(remote.settings, batch_size=40)
    remote.replace_graph(graph, triples)
    remote.replace_graph(graph, triples)
    assert len(remote) == len(triples)
    linked = remote.query("SELECT ?b WHERE { <https://example.org/s0> ?p ?b . ?b ?p ?b }")
    assert len(linked) == 1  # the blank node kept its identity across batches


def test_an_interrupted_load_reports_and_resumes(remote, seed_quads, tmp_path):
    journal = tmp_path / "journal.json"
    graphs = sorted({q.graph_name.value for q in seed_quads})
    remote.settings = dataclasses.replace(remote.settings, batch_size=100)  # several requests, one graph at a time
    seen = []

    def stop_at_second_step(message: str) -> None:
        seen.append(message)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(LoadInterruptedError) as stopped:
        remote.replace_graphs(seed_quads, journal=journal, progress=stop_at_second_step)
    loaded = stopped.value.report.replaced
    assert loaded and loaded == graphs[: len(loaded)] and len(loaded) < len(graphs)
    assert f"{len(loaded)} graph(s)" in str(stopped.value) and "run the load again" in str(stopped.value)
    assert len(remote) < len(seed_quads)
    resumed = remote.replace_graphs(seed_quads, journal=journal)
    assert resumed.skipped == loaded
    assert resumed.replaced == graphs[len(loaded) :]
    again = remote.replace_graphs(seed_quads)  # no journal: every graph replaced, nothing duplicated
    assert again.replaced == graphs
    assert len(remote) == len(seed_quads)


def test_read_only_refuses_writes(server):
    url, login = server
    store = RemoteStore.from_url(url, read_only=True, **login)
    with pytest.raises(RemoteStoreError, match="read-only"):
        store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")
    with pytest.raises(RemoteStoreError, match="read-only"):
        store.remove_graph(ox.NamedNode("urn:x"))


def test_bad_query_is_a_clear_error(remote):
    with pytest.raises(RemoteStoreError, match="400|syntax|error"):
        remote.query("SELECT ?x WHERE { ?x ?y }")


def test_open_store_and_the_cli_work_on_a_remote_store(
    server, seed_build: BuildResult, seed_store, monkeypatch, tmp_path
):
    url, login = server
    if login:
        monkeypatch.setenv("KGRAPH_STORE_USER", login["user"])
        monkeypatch.setenv("KGRAPH_STORE_PASSWORD", login["password"])
    runner = CliRunner()
    load = ["load", "--store", url, "--build-dir", str(seed_build.out_dir), "--journal", str(tmp_path / "j.json")]
    loaded = runner.invoke(app, [*load, "--restart", "-q"])
    assert loaded.exit_code == 0, loaded.output
    assert f"loaded {len(seed_store)} triples" in loaded.output
    stats = runner.invoke(app, ["stats", "--store", url])
    assert stats.exit_code == 0, stats.output
    assert f"{len(seed_store)} triples" in stats.output
    rerun = runner.invoke(app, [*load, "-q"])
    assert "4 graph(s) already up to date" in " ".join(rerun.output.split())
    with open_store(url) as store:
        assert isinstance(store, RemoteStore) and store.read_only
        assert len(store) == len(seed_store)
        for graph in store.named_graphs():
            RemoteStore.from_url(url, read_only=False, **login).remove_graph(graph)


def test_wrong_credentials_are_reported(server):
    url, login = server
    if not login:
        pytest.skip("this server takes updates without a login")
    store = RemoteStore.from_url(url, read_only=False, user="dba", password="wrong")
    with pytest.raises(RemoteStoreError, match="KGRAPH_STORE_USER"):
        store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")


def test_settings_come_from_the_environment_and_kgraph_toml(tmp_path):
    config = tmp_path / "kgraph.toml"
    config.write_text(
        '[store]\nurl = "https://db.example.org/sparql"\nuser = "analyst"\npassword_env = "MY_SECRET"\n'
        'update = "https://db.example.org/update"\nunion = "native"\n'
    )
    environ = {"MY_SECRET": "s3cret", "KGRAPH_STORE_UPDATE": "https://db.example.org/sparql-auth"}
    settings = read_settings(config=config, environ=environ)
    assert settings.query_url == "https://db.example.org/sparql"
    assert settings.user == "analyst" and settings.password == "s3cret"
    assert settings.update_url == "https://db.example.org/sparql-auth"  # the environment wins
    assert settings.union == "native"
    assert "s3cret" not in repr(settings)
    config.write_text('[store]\nurl = "x"\nfavourite = 1\n')
    with pytest.raises(Exception, match="favourite"):
        read_settings(config=config, environ={})


def test_journal_is_keyed_by_server(remote, seed_quads, tmp_path):
    journal = tmp_path / "journal.json"
    remote.replace_graphs(seed_quads, journal=journal)
    document = json.loads(journal.read_text())
    assert list(document) == [remote.settings.query_url]
    assert sorted(document[remote.settings.query_url]) == sorted({q.graph_name.value for q in seed_quads})


def _comparable(result) -> list[tuple[str, ...]]:
    """Rows or triples as sorted strings, blank nodes left out (their labels differ between stores)."""
    if isinstance(result, AskResult):
        return [(str(result.value),)]
    if isinstance(result, GraphResult):
        items = [(t.subject, t.predicate, t.object) for t in result]
    else:
        items = [tuple(row.get(v) for v in result.variables) for row in result]
    return sorted(tuple("_" if isinstance(t, ox.BlankNode) else str(t) for t in item) for item in items)


#: Every named question answers on Virtuoso 7.2 exactly as on Oxigraph: they avoid Virtuoso's departures from SPARQL
#: 1.1 (errors inside COALESCE/IF, BIND over unbound variables, property paths inside FILTER NOT EXISTS, and a class
#: found through rdfs:subClassOf* followed by OPTIONALs, after which Virtuoso drops every event but one).

#: Optional parameters given: each question filters on a value bound by VALUES on the server.
OPTIONAL_PARAMETER_CASES = [
    ("companies", {"market": "Chinese LLM race"}),
    ("events", {"since": "2023-04-30", "until": "2023-09-01"}),
    ("financials", {"company": "SenseTime", "metric": "Net Income", "currency": "usd"}),
    ("product_catalog", {"developer": "OpenAI"}),
    ("year_on_year", {"company": "SenseTime"}),
]


def test_named_questions_api_and_commands_work_on_a_remote_store(remote, seed_store, seed_quads, tmp_path):
    from kgraph.api import Landscape
    from kgraph.queries import catalog

    remote.replace_graphs(seed_quads)
    asked = 0
    for question in catalog().values():
        required = [p for p in question.parameters if p.required]
        values = {}
        for parameter in required:
            if parameter.kind != "entity":
                break
            values[parameter.name] = "SenseNova" if "Product" in "".join(parameter.types) else "SenseTime"
        else:
            try:
                expected = question.run(seed_store, values)
            except Exception:  # a parameter this test cannot fill in (not an entity of that type)
                continue
            assert _comparable(question.run(remote, values)) == _comparable(expected), question.name
            asked += 1
    assert asked >= 10
    for name, values in OPTIONAL_PARAMETER_CASES:  # an optional parameter given, as a VALUES block on the server
        question = catalog()[name]
        expected = question.run(seed_store, values)
        assert len(expected) > 0, name
        assert _comparable(question.run(remote, values)) == _comparable(expected), (name, values)
    url = remote.settings.query_url
    remote_api, local_api = Landscape(remote), Landscape(seed_store)  # not closed: the fixtures own the stores
    assert remote_api.company("sensetime") == local_api.company("sensetime")
    assert [c.label for c in remote_api.competitors("SenseNova")] == [
        c.label for c in local_api.competitors("SenseNova")
    ]
    runner = CliRunner()
    env = {"KGRAPH_STORE_USER": "dba", "KGRAPH_STORE_PASSWORD": "dba"} if remote.settings.user else {}
    answer = runner.invoke(
        app, ["query", "competitors", "--bind", "entity=SenseNova", "--store", url, "-f", "csv"], env=env
    )
    local = runner.invoke(
        app, ["query", "competitors", "--bind", "entity=SenseNova", "--store", str(seed_store.path), "-f", "csv"]
    )
    assert answer.exit_code == 0, answer.output
    assert answer.output == local.output
    ranked = runner.invoke(app, ["analyze", "rank", "--store", url], env=env)
    assert ranked.exit_code == 0, ranked.output
    assert "SenseTime" in ranked.output
    page = tmp_path / "remote.html"
    drawn = runner.invoke(app, ["view", "--store", url, "-o", str(page)], env=env)
    assert drawn.exit_code == 0, drawn.output
    assert page.stat().st_size > 1000


def test_build_loads_into_a_remote_store(server, data_dir, seed_store, tmp_path):
    url, login = server
    if login:
        pytest.skip("one server is enough for the build command (it shares the load code tested on both)")
    result = CliRunner().invoke(app, ["build", str(data_dir), "--build-dir", str(tmp_path / "b"), "-q", "--store", url])
    assert result.exit_code == 0, result.output
    with RemoteStore.from_url(url, read_only=False) as store:
        assert len(store) == len(seed_store)
        assert summarize(store) == summarize(seed_store)
        for graph in store.named_graphs():
            store.remove_graph(graph)
