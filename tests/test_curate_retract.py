"""``kgraph retract``: a source's facts leave data/, the store and the outputs; entities others use stay."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kgraph import Landscape
from kgraph.build import STORE_NAME, TRIG_NAME, TURTLE_NAME, BuildResult, build
from kgraph.cli import app
from kgraph.curate.changes import read
from kgraph.curate.retract import KEPT_SOURCE
from kgraph.factsheet.read import read_fact_sheet
from kgraph.infer import INFERRED, inferred_triples
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA

KGD = "https://w3id.org/kgraph/id/"
#: A source that declares an entity (zhipu) and states a fact; a second source refers to zhipu.
FIRST = {
    "source": {"id": "zhipu-profile", "type": "reference", "title": "Zhipu AI profile"},
    "entities": [
        {"id": "zhipu", "type": "Company", "name": "Zhipu AI", "industries": ["ai-industry"]},
        {"id": "glm", "type": "LargeLanguageModel", "name": "GLM", "developer": "zhipu"},
    ],
    "facts": [{"id": "zhipu-rivals-baidu", "kind": "competition", "subject": "zhipu", "object": "baidu"}],
}
SECOND = {
    "source": {"id": "zhipu-news", "type": "news_article", "title": "Zhipu raises money"},
    "facts": [{"id": "zhipu-rivals-alibaba", "kind": "competition", "subject": "zhipu", "object": "alibaba"}],
}


@pytest.fixture
def landscape(seed_build: BuildResult, tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(seed_build.out_dir, tmp_path / "build")
    for name, sheet in (("first.yaml", FIRST), ("second.yaml", SECOND)):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
        assert kgraph(tmp_path, "apply", str(path))[0] == 0
    return tmp_path


def kgraph(root: Path, *args: str) -> tuple[int, str]:
    where = ["--data", str(root / "data"), "--store", str(root / "build" / STORE_NAME)]
    result = CliRunner().invoke(app, [*args, *where])
    return result.exit_code, result.stdout + result.stderr


def state(root: Path) -> tuple[dict[str, str], set[str]]:
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "data").iterdir())}
    with OxigraphStore.open(root / "build" / STORE_NAME, read_only=True) as store:
        return files, {str(q) for q in store.quads()}


def test_retract_removes_the_facts_and_keeps_the_entities_others_use(landscape: Path) -> None:
    code, out = kgraph(landscape, "retract", "zhipu-profile")
    assert code == 0, out
    assert "kept, as other sources use them: zhipu" in out
    assert not (landscape / "data" / "zhipu-profile.yaml").exists()
    kept = yaml.safe_load((landscape / "data" / f"{KEPT_SOURCE}.yaml").read_text(encoding="utf-8"))
    assert [e["id"] for e in kept["entities"]] == ["zhipu"]  # glm goes: no other source uses it
    with OxigraphStore.open(landscape / "build" / STORE_NAME, read_only=True) as store:
        landscape_api = Landscape(store)
        assert landscape_api.competitors("Zhipu AI").labels() == ["Alibaba"]
        assert "GLM" not in landscape_api.products().labels()
        asserted = [q for q in store.quads() if q.graph_name != INFERRED]
        assert {q.triple for q in store.quads(INFERRED)} == set(inferred_triples(asserted))
    assert "GLM" not in (landscape / "build" / "landscape.ttl").read_text(encoding="utf-8")
    assert [(c.command, c.source) for c in read(landscape / "data")][-1] == ("retract", "zhipu-profile")
    assert "zhipu-rivals-baidu" in read(landscape / "data")[-1].removed


def test_retracting_an_unknown_source_or_one_others_need_changes_nothing(landscape: Path) -> None:
    before = state(landscape)
    code, out = kgraph(landscape, "retract", "no-such-source")
    out = " ".join(out.split())
    assert code == 2 and "no source 'no-such-source' here" in out and "zhipu-news" in out
    code, out = kgraph(landscape, "retract", "general-knowledge")  # the seed article dates a fact by it
    assert code == 2 and "general-knowledge is still used by sensetime-layoffs-article" in " ".join(out.split())
    assert state(landscape) == before


def test_the_python_api_applies_and_retracts_and_a_new_version_may_rename_entities(landscape: Path) -> None:
    renamed = {
        **FIRST,
        "entities": [
            {"id": "zhipu-ai", "type": "Company", "name": "Zhipu AI"},  # was zhipu, which zhipu-news still uses
            {"id": "glm-4", "type": "LargeLanguageModel", "name": "GLM-4", "developer": "zhipu-ai"},  # was glm
        ],
        "facts": [{"id": "zhipu-rivals-baidu", "kind": "competition", "subject": "zhipu-ai", "object": "baidu"}],
    }
    sheet = landscape / "renamed.yaml"
    sheet.write_text(yaml.safe_dump(renamed), encoding="utf-8")
    with Landscape.open(landscape / "build" / STORE_NAME, read_only=False) as opened:
        opened.apply(sheet, data=landscape / "data")
        assert set(opened.products().labels()) == {"SenseNova", "ChatGPT", "GLM-4"}  # glm is gone
        kept = read_fact_sheet(landscape / "data" / "zhipu-profile.yaml").sheet
        assert {e.id for e in kept.entities} == {"zhipu", "zhipu-ai", "glm-4"}  # zhipu-news still uses zhipu
        opened.retract("zhipu-news", data=landscape / "data")
        assert opened.competitors(f"{KGD}zhipu-ai").labels() == ["Baidu"]
    [*_, applied, retracted] = read(landscape / "data")
    assert (applied.command, applied.removed, retracted.command) == ("apply", ["glm"], "retract")
    fresh = landscape / "fresh"
    build([landscape / "data"], fresh)
    with OxigraphStore.open(fresh / STORE_NAME, read_only=True) as store:
        assert state(landscape)[1] == {str(q) for q in store.quads()}


def test_the_exports_a_write_leaves_are_byte_for_byte_those_of_a_build(landscape: Path, tmp_path: Path) -> None:
    assert kgraph(landscape, "retract", "zhipu-news")[0] == 0
    fresh = build([landscape / "data"], tmp_path / "fresh")
    for name in (TRIG_NAME, TURTLE_NAME):
        written = (landscape / "build" / name).read_bytes()
        assert b"Zhipu AI" in written and b"zhipu-rivals-alibaba" not in written
        assert written == (fresh.out_dir / name).read_bytes(), name
