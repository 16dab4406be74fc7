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
