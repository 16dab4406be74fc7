"""One way to find the store on every command: --store, else $KGRAPH_STORE, else build/store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.ingest.graph import entity_index
from kgraph.pipeline import assemble
from kgraph.store.locate import DEFAULT_STORE, STORE_ENV, open_store, store_exists, store_location
from kgraph.store.oxigraph import OxigraphStore

ACME_SHEET = """\
source:
  id: acme-source
  title: About Acme
entities:
  - id: acme-rocket-works
    type: Company
    name: Acme Rocket Works
"""


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder without build/ or data/, and no KGRAPH_STORE."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(STORE_ENV, raising=False)
    return tmp_path


def test_given_then_environment_then_default(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert store_location() == DEFAULT_STORE and not store_exists()
    monkeypatch.setenv(STORE_ENV, str(elsewhere / "env-store"))
    assert store_location() == elsewhere / "env-store"
    assert store_location(elsewhere / "given") == elsewhere / "given"
    (elsewhere / "env-store").mkdir()
    assert store_exists()
    monkeypatch.setenv(STORE_ENV, "http://127.0.0.1:1/sparql")
    assert store_location() == "http://127.0.0.1:1/sparql" and store_exists()


def test_open_store_reads_the_environment(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with OxigraphStore.open(elsewhere / "s") as created:
        assert len(created) == 0
    monkeypatch.setenv(STORE_ENV, str(elsewhere / "s"))
    with open_store() as opened:
        assert isinstance(opened, OxigraphStore) and opened.path == elsewhere / "s" and opened.read_only


def test_ingest_names_come_from_the_store_in_the_environment(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = elsewhere / "acme"
    data.mkdir()
    (data / "acme.yaml").write_text(ACME_SHEET, encoding="utf-8")
    with OxigraphStore.open(elsewhere / "acme-store") as store:
        store.add_quads(assemble([data]).quads())
    monkeypatch.setenv(STORE_ENV, str(elsewhere / "acme-store"))
    assert entity_index().resolve("acme rocket works").iri.endswith("/acme-rocket-works")


def test_serve_finds_its_store_like_every_command(elsewhere: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["serve"], env={STORE_ENV: str(elsewhere / "nowhere")})
    assert missing.exit_code == 2 and "nowhere" in missing.output
    remote = runner.invoke(app, ["serve"], env={STORE_ENV: "http://127.0.0.1:1/sparql"})
    assert remote.exit_code == 2 and "on-disk store" in remote.output
    default = runner.invoke(app, ["serve"], env={STORE_ENV: ""})
    assert default.exit_code == 2 and "build/store" in default.output
