"""The build's outputs after a write: written again at once when small, else by a refresher in the background."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kgraph.build import STORE_NAME, TRIG_NAME, TURTLE_NAME, VIEW_NAME, BuildResult, build
from kgraph.cli import app
from kgraph.curate import outputs
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA

SHEETS = [
    {
        "source": {"id": f"zhipu-note-{number}", "type": "reference", "title": f"Zhipu note {number}"},
        "entities": [{"id": f"zhipu-{number}", "type": "Company", "name": f"Zhipu Number{number}"}],
        "facts": [
            {"id": f"zhipu-{number}-rivals", "kind": "competition", "subject": f"zhipu-{number}", "object": "baidu"}
        ],
    }
    for number in (1, 2)
]
OUTPUTS = (TURTLE_NAME, TRIG_NAME, VIEW_NAME)


@pytest.fixture
def landscape(seed_build: BuildResult, tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(seed_build.out_dir, tmp_path / "build")
    return tmp_path


def apply(root: Path, sheet: dict) -> None:
    path = root / f"{sheet['source']['id']}.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    where = ["--data", str(root / "data"), "--store", str(root / "build" / STORE_NAME)]
    result = CliRunner().invoke(app, ["apply", str(path), *where])
    assert result.exit_code == 0, result.stdout + result.stderr


def contents(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def wait_until_settled(folder: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while outputs.pending(folder):
        assert time.monotonic() < deadline, (folder / outputs.LOG_NAME).read_text(encoding="utf-8")
        time.sleep(0.2)


def test_small_outputs_are_written_again_in_the_write(landscape: Path) -> None:
    apply(landscape, SHEETS[0])
    assert not outputs.pending(landscape / "build")
    assert all(b"Zhipu Number1" in content for content in contents(landscape / "build").values())


def test_large_outputs_are_written_in_the_background_and_the_write_does_not_wait(
    landscape: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "INLINE_BYTES", 0)
    folder = landscape / "build"
    before = contents(folder)
    with outputs.outputs_lock(folder):  # a refresher at work: the writes must not wait for it
        for sheet in SHEETS:
            apply(landscape, sheet)
        assert outputs.pending(folder) and contents(folder) == before
        with OxigraphStore.open(folder / STORE_NAME, read_only=True) as store:  # the store is current already
            assert store.query('ASK { ?c rdfs:label "Zhipu Number2" }')
    wait_until_settled(folder)
    fresh = build([landscape / "data"], tmp_path / "fresh")
    after = contents(folder)
    assert {name: after[name] for name in (TURTLE_NAME, TRIG_NAME)} == {
        name: (fresh.out_dir / name).read_bytes() for name in (TURTLE_NAME, TRIG_NAME)
    }
    assert b"Zhipu Number1" in after[VIEW_NAME] and b"Zhipu Number2" in after[VIEW_NAME]
    assert "writing" in (folder / outputs.LOG_NAME).read_text(encoding="utf-8")  # the background process wrote them
    assert not list(folder.glob(".*.partial")) and not list(folder.glob(f".{VIEW_NAME}.drawing"))


def test_a_left_snapshot_is_covered_by_settle_and_thrown_away_by_a_build(landscape: Path, tmp_path: Path) -> None:
    folder = landscape / "build"
    apply(landscape, SHEETS[0])
    with OxigraphStore.open(folder / STORE_NAME) as store:
        outputs.snapshot(store, folder)  # as a refresher killed before its work would leave it
    (folder / TURTLE_NAME).write_bytes(b"")
    assert outputs.pending(folder)
    assert outputs.settle(folder) == 1 and not outputs.pending(folder)
    assert b"Zhipu Number1" in (folder / TURTLE_NAME).read_bytes()

    with OxigraphStore.open(folder / STORE_NAME) as store:
        outputs.snapshot(store, folder)
    build([landscape / "data"], folder)
    assert not outputs.pending(folder)
