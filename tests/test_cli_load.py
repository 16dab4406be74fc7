"""``kgraph load`` into a store folder: files read as ``kgraph import`` reads them, bad input loading nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.store.oxigraph import OxigraphStore

GRAPH = "https://w3id.org/kgraph/graph/"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def graphs_in(store: Path) -> dict[str, int]:
    with OxigraphStore.open(store, read_only=True) as opened:
        quads = list(opened.quads())
    sizes: dict[str, int] = {}
    for quad in quads:
        sizes[str(quad.graph_name)] = sizes.get(str(quad.graph_name), 0) + 1
    return sizes


def test_default_graph_triples_go_into_a_graph_for_the_file(runner: CliRunner, tmp_path: Path) -> None:
    mixed = tmp_path / "Mixed Sources.nq"
    mixed.write_text(
        "<https://example.org/a> <https://example.org/p> <https://example.org/b> <https://example.org/g> .\n"
        "<https://example.org/a> <https://example.org/p> <https://example.org/c> .\n"
        '<https://example.org/a> <https://example.org/q> "d" .\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = runner.invoke(app, ["load", "--store", str(store), "--from", str(mixed), "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert "3 quads in 2 graph(s)" in result.stdout
    assert graphs_in(store) == {"<https://example.org/g>": 1, f"<{GRAPH}import-mixed-sources>": 2}


def test_graph_option_names_the_graph(runner: CliRunner, tmp_path: Path) -> None:
    triples = tmp_path / "one.ttl"
    triples.write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n", "utf-8")
    store = tmp_path / "store"
    args = ["load", "--store", str(store), "--from", str(triples), "--graph", "kgd:curated", "--quiet"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert graphs_in(store) == {"<https://w3id.org/kgraph/id/curated>": 1}
    without_file = runner.invoke(app, ["load", "--store", str(store), "--graph", "kgd:curated"])
    assert without_file.exit_code == 2 and "--from" in without_file.stderr


GOOD_LINE = '<https://example.org/a> <https://example.org/p> "ok" .\n'
BAD_LINE = "<https://example.org/a> <https://example.org/p> bad .\n"


@pytest.mark.parametrize(("content", "expected"), [(None, "no such file"), (GOOD_LINE + BAD_LINE, "facts.nt:2:")])
def test_bad_files_are_reported_and_load_nothing(
    runner: CliRunner, tmp_path: Path, content: str | None, expected: str
) -> None:
    source = tmp_path / "facts.nt"
    if content is not None:
        source.write_text(content, encoding="utf-8")
    store = tmp_path / "store"
    result = runner.invoke(app, ["load", "--store", str(store), "--from", str(source), "--quiet"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())  # the console wraps long lines
    assert "facts.nt" in message and expected in message
    assert "Traceback" not in result.stderr and isinstance(result.exception, SystemExit)
    assert not store.exists()


def test_quads_outside_named_graphs_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    from kgraph.cli.load import load_into
    from kgraph.errors import KgraphError

    a, p = ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/p")
    quads = [ox.Quad(a, p, ox.Literal("named"), ox.NamedNode("https://example.org/g")), ox.Quad(a, p, ox.Literal("x"))]
    store = tmp_path / "store"
    with pytest.raises(KgraphError, match="1 triple"):
        load_into(str(store), quads, journal=tmp_path / "journal.json")
    assert not store.exists()
