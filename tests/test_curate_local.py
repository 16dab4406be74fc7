"""A sheet checked and compiled against the store: the same triples as a build, the same refusals, nothing changed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from kgraph.build import STORE_NAME, BuildResult, build
from kgraph.errors import DataError
from kgraph.ingest.apply import apply_sheet
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA

GOOD = {
    "source": {"id": "ernie-news", "type": "news_article", "title": "Baidu ships ERNIE", "publisher": "pandaily"},
    "entities": [{"id": "ernie", "type": "LargeLanguageModel", "name": "ERNIE", "developer": "baidu"}],
    "facts": [
        {"id": "ernie-launch", "kind": "product_launch", "subject": "baidu", "object": "ernie", "date": "2023-03"},
        {"id": "ernie-rivals", "kind": "competition", "subject": "ernie", "object": "sensenova"},
    ],
}


@pytest.fixture
def landscape(seed_build: BuildResult, tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(seed_build.out_dir / STORE_NAME, tmp_path / "store")
    return tmp_path


def state(root: Path) -> tuple[dict[str, str], set[str]]:
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "data").iterdir())}
    with OxigraphStore.open(root / "store", read_only=True) as store:
        return files, {str(q) for q in store.quads()}


def apply(root: Path, sheet: dict) -> None:
    path = root / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet, sort_keys=False), encoding="utf-8")
    apply_sheet(path, data_dir=root / "data", store=root / "store")


def test_a_sheet_compiled_alone_gives_what_a_build_gives(landscape: Path) -> None:
    apply(landscape, GOOD)
    fresh = landscape / "fresh"
    build([landscape / "data"], fresh)
    with OxigraphStore.open(fresh / STORE_NAME, read_only=True) as store:
        assert state(landscape)[1] == {str(q) for q in store.quads()}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"entities": [{"id": "baidu", "type": "Company", "name": "Baidu again"}]}, "duplicate identifier 'baidu'"),
        ({"facts": [{"id": "x-launch", "kind": "product_launch", "subject": "baidu", "object": "nothing"}]},
         "unknown product 'nothing'"),
        ({"facts": [{"id": "x-launch", "kind": "product_launch", "subject": "baidu", "object": "ai-industry"}]},
         "product 'ai-industry' is a Industry"),
        ({"facts": [{"id": "sensenova-launch", "kind": "develops", "subject": "baidu", "object": "ernie"}]},
         "duplicate identifier 'sensenova-launch'"),
        ({"entities": [{"id": "orphan", "type": "AIProduct", "name": "Orphan"}]}, "orphan"),
    ],
)  # fmt: skip
def test_bad_sheets_are_refused_and_nothing_changes(landscape: Path, change: dict, message: str) -> None:
    before = state(landscape)
    sheet = {**GOOD, **{key: [*GOOD.get(key, []), *value] for key, value in change.items()}}
    with pytest.raises(DataError) as raised:
        apply(landscape, sheet)
    assert message in str(raised.value)
    assert state(landscape) == before


def test_writes_on_a_remote_store_are_checked_against_it_not_against_all_of_data(
    seed_build: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgraph.curate import imports as imports_module
    from kgraph.curate import merge as merge_module
    from kgraph.curate import retract as retract_module
    from kgraph.ingest import apply as apply_module
    from kgraph.store.remote import RemoteStore
    from tests.sparql_servers import oxigraph_binary, oxigraph_server

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed")

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the write compiled and validated the whole of data/")

    for module in (apply_module, imports_module, merge_module, retract_module):
        monkeypatch.setattr(module, "assemble", refused)
    shutil.copytree(DATA, tmp_path / "data")
    duplicate = dict(GOOD, entities=[*GOOD["entities"], {"id": "baidu-inc", "type": "Company", "name": "Baidu Inc."}])
    duplicate["facts"] = [*GOOD["facts"], {"id": "baidu-inc-rivals", "kind": "competition", "subject": "baidu-inc",
                                           "object": "tencent"}]  # fmt: skip
    sheet = tmp_path / "ernie.yaml"
    sheet.write_text(yaml.safe_dump(duplicate), encoding="utf-8")
    (tmp_path / "server").mkdir()
    with oxigraph_server(tmp_path / "server") as url:
        remote = RemoteStore.from_url(url, read_only=False)
        with OxigraphStore.open(seed_build.out_dir / STORE_NAME, read_only=True) as seed:
            remote.replace_graphs(list(seed.quads()))

        def matches_a_build(name: str) -> None:
            fresh = build([tmp_path / "data"], tmp_path / name)
            with OxigraphStore.open(fresh.out_dir / STORE_NAME, read_only=True) as built:
                assert {str(q) for q in remote.quads()} == {str(q) for q in built.quads()}

        apply_sheet(sheet, data_dir=tmp_path / "data", store=remote)
        matches_a_build("after-apply")
        merge_module.merge("Baidu", "Baidu Inc.", data_dir=tmp_path / "data", store=remote)
        matches_a_build("after-merge")
        assert remote.query("ASK { kgd:baidu owl:sameAs kgd:baidu-inc ; kg:competesWith kgd:tencent }")
        with pytest.raises(DataError, match="unknown"):
            bad = dict(GOOD, source={**GOOD["source"], "id": "bad-news"}, entities=[])
            bad["facts"] = [{"id": "bad-rivals", "kind": "competition", "subject": "nobody-corp", "object": "baidu"}]
            (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
            apply_sheet(tmp_path / "bad.yaml", data_dir=tmp_path / "data", store=remote)
        retract_module.retract("ernie-news", data_dir=tmp_path / "data", store=remote)
        matches_a_build("after-retract")
        turtle = tmp_path / "zhipu.ttl"
        turtle.write_text(
            "@prefix kg: <https://w3id.org/kgraph/ontology#> . @prefix kgd: <https://w3id.org/kgraph/id/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            'kgd:zhipu a kg:Company ; rdfs:label "Zhipu AI" .\n',
            encoding="utf-8",
        )
        imports_module.import_into_data(turtle, data_dir=tmp_path / "data", store=remote)
        matches_a_build("after-import")
        assert remote.query('ASK { kgd:zhipu a kg:Organization ; rdfs:label "Zhipu AI" }')  # inferred too
        remote.close()
