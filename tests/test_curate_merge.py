"""``kgraph merge`` and ``Landscape.merge``: two entities that are one, in every sheet and in the store."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kgraph import Landscape
from kgraph.build import STORE_NAME, BuildResult, build
from kgraph.cli import app
from kgraph.curate.changes import read
from kgraph.factsheet.read import read_fact_sheet
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA

#: A later source that did not know ERNIE's company was Baidu: it declares "Baidu Inc." again.
DUPLICATE = {
    "source": {"id": "ernie-report", "type": "news_article", "title": "Baidu Inc. ships ERNIE"},
    "entities": [
        {
            "id": "baidu-inc",
            "type": "Company",
            "name": "Baidu Inc.",
            "aliases": ["百度"],
            "website": "https://baidu.com",
        },
        {"id": "ernie", "type": "LargeLanguageModel", "name": "ERNIE", "developer": "baidu-inc"},
    ],
    "facts": [
        {"id": "baidu-inc-rivals-tencent", "kind": "competition", "subject": "baidu-inc", "object": "tencent"},
    ],
}


@pytest.fixture
def landscape(seed_build: BuildResult, tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(seed_build.out_dir, tmp_path / "build")
    sheet = tmp_path / "ernie.yaml"
    sheet.write_text(yaml.safe_dump(DUPLICATE, allow_unicode=True), encoding="utf-8")
    assert kgraph(tmp_path, "apply", str(sheet))[0] == 0
    return tmp_path


def kgraph(root: Path, *args: str) -> tuple[int, str]:
    where = ["--data", str(root / "data"), "--store", str(root / "build" / STORE_NAME)]
    result = CliRunner().invoke(app, [*args, *where])
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


def state(root: Path) -> tuple[dict[str, str], set[str]]:
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "data").iterdir())}
    with OxigraphStore.open(root / "build" / STORE_NAME, read_only=True) as store:
        return files, {str(q) for q in store.quads()}


def test_merge_rewrites_every_reference_and_keeps_the_name(landscape: Path, tmp_path: Path) -> None:
    code, out = kgraph(landscape, "merge", "Baidu", "Baidu Inc.")
    assert code == 0, out
    sheet = read_fact_sheet(landscape / "data" / "ernie-report.yaml").sheet
    assert [e.id for e in sheet.entities] == ["ernie"]
    assert sheet.entities[0].developer == "baidu" and sheet.facts[0].subject == "baidu"
    seed = read_fact_sheet(landscape / "data" / "sensetime-layoffs-2023.yaml").sheet
    [baidu] = [e for e in seed.entities if e.id == "baidu"]
    assert baidu.aliases == ["Baidu Inc.", "百度"] and baidu.website == "https://baidu.com"
    with Landscape.open(landscape / "build" / STORE_NAME) as opened:
        assert opened.resolve("百度").label == "Baidu" and opened.resolve("Baidu Inc").label == "Baidu"
        assert "Tencent" in opened.competitors("Baidu").labels()
        assert opened.products(developer="Baidu").labels() == ["ERNIE"]
    [*_, change] = read(landscape / "data")
    assert (change.command, change.source) == ("merge", "baidu <- baidu-inc")
    fresh = tmp_path / "fresh"
    build([landscape / "data"], fresh)
    with OxigraphStore.open(fresh / STORE_NAME, read_only=True) as store:
        assert state(landscape)[1] == {str(q) for q in store.quads()}


def test_merge_through_the_python_api(landscape: Path) -> None:
    with Landscape.open(landscape / "build" / STORE_NAME, read_only=False) as opened:
        opened.merge("baidu", "baidu-inc", data=landscape / "data")
        assert opened.resolve("Baidu Inc.").label == "Baidu"


@pytest.mark.parametrize(
    ("keep", "other", "message"),
    [
        ("Baidu", "Baidu", "cannot be merged with itself"),
        ("Baidu", "ERNIE", "entities of incompatible classes are not merged"),
        ("Baidu", "Nobody Corp", "no entity 'Nobody Corp'"),
    ],
)
def test_a_refused_merge_changes_nothing(landscape: Path, keep: str, other: str, message: str) -> None:
    before = state(landscape)
    code, out = kgraph(landscape, "merge", keep, other)
    assert code in (1, 2) and message in out, out
    assert state(landscape) == before


def test_the_merged_entity_iri_stays_owl_same_as_the_kept_one(landscape: Path) -> None:
    assert kgraph(landscape, "merge", "Baidu", "Baidu Inc.")[0] == 0
    seed = read_fact_sheet(landscape / "data" / "sensetime-layoffs-2023.yaml").sheet
    assert [e.merged for e in seed.entities if e.id == "baidu"] == [["baidu-inc"]]
    old = "https://w3id.org/kgraph/id/baidu-inc"
    with Landscape.open(landscape / "build" / STORE_NAME) as opened:
        assert opened.query(f"ASK {{ kgd:baidu owl:sameAs <{old}> }}")
        assert opened.resolve(old).label == "Baidu" and opened.resolve("kgd:baidu-inc").label == "Baidu"
        assert "Tencent" in opened.competitors(old).labels()
    where = ["--store", str(landscape / "build" / STORE_NAME)]
    result = CliRunner().invoke(app, ["query", "competitors", "--bind", "entity=kgd:baidu-inc", *where])
    assert result.exit_code == 0 and "Tencent" in result.stdout, result.stdout + result.stderr
    # merged again into a third entity, the first merge's IRI follows
    third = landscape / "third.yaml"
    third.write_text(
        yaml.safe_dump(
            {
                "source": {"id": "baidu-group-note", "type": "reference", "title": "Baidu group"},
                "entities": [{"id": "baidu-group", "type": "Company", "name": "Baidu Group"}],
            }
        ),
        encoding="utf-8",
    )
    assert kgraph(landscape, "apply", str(third))[0] == 0
    assert kgraph(landscape, "merge", "Baidu Group", "Baidu")[0] == 0
    with Landscape.open(landscape / "build" / STORE_NAME) as opened:
        assert opened.resolve(old).label == opened.resolve("kgd:baidu").label == "Baidu Group"


def test_merge_on_a_store_checks_the_rewritten_sheets_against_it_not_all_of_data(
    landscape: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kgraph.curate.merge as merge_module

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("merge compiled and validated the whole of data/")

    monkeypatch.setattr(merge_module, "assemble", refused)
    code, out = kgraph(landscape, "merge", "Baidu", "Baidu Inc.")
    assert code == 0, out
    fresh = build([landscape / "data"], tmp_path / "fresh")
    with OxigraphStore.open(fresh.out_dir / STORE_NAME, read_only=True) as store:
        assert state(landscape)[1] == {str(q) for q in store.quads()}
