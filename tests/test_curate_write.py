"""Every write is whole or nothing, even when the process is killed (SIGKILL) at any step of the write path.

Each write command runs in a process of its own with ``KGRAPH_FAULT_AT`` set to one step; the process kills itself
there. Before the journal is committed, data/, the store and the build's outputs must be exactly as they were; after,
the next write's recovery must leave them exactly as an uninterrupted run does. Nothing may be left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kgraph.build import build
from kgraph.curate.journal import FAULT_ENV, scratch_dir
from kgraph.curate.write import recover
from kgraph.factsheet.models import DateValue
from kgraph.ingest import Article, propose
from kgraph.ingest.apply import apply_sheet
from kgraph.ingest.graph import index_from_data
from kgraph.store.oxigraph import OxigraphStore
from tests.conftest import DATA, REPO

ARTICLE = REPO / "benchmarks" / "ingest" / "articles" / "02-zhipu-funding.txt"
#: The steps of kgraph.curate.write, in order; before "committed" a killed write changes nothing.
STEPS = ["staged", "committed", "moving", "moved", "stored", "refreshed", "logged"]
EXTRA = """@prefix kg: <https://w3id.org/kgraph/ontology#> .
@prefix kgd: <https://w3id.org/kgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgd:zhipu-ai a kg:Company ; rdfs:label "Zhipu AI" ; kg:competesWith kgd:baidu .
"""


@pytest.fixture(scope="module")
def landscapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed landscape built (for apply and import) and with an applied article (for retract), once."""
    root = tmp_path_factory.mktemp("curate-write")
    seed = root / "seed"
    shutil.copytree(DATA, seed / "data")
    build([seed / "data"], seed / "build")
    article = Article(ARTICLE.read_text(encoding="utf-8"), published=DateValue(value="2023-10-20"))
    sheet = root / "zhipu.yaml"
    sheet.write_text(propose(article, index=index_from_data([DATA])).to_yaml(), encoding="utf-8")
    (root / "extra.ttl").write_text(EXTRA, encoding="utf-8")
    applied = root / "applied"
    shutil.copytree(seed, applied)
    apply_sheet(sheet, data_dir=applied / "data", store=applied / "build" / "store")
    return {"seed": seed, "applied": applied, "sheet": sheet, "extra": root / "extra.ttl"}


def _command(name: str, landscapes: dict[str, Path], root: Path) -> tuple[str, list[str]]:
    where = ["--data", str(root / "data"), "--store", str(root / "build" / "store"), "-q"]
    if name == "apply":
        return "seed", ["apply", str(landscapes["sheet"]), *where]
    if name == "import":
        return "seed", ["import", str(landscapes["extra"]), *where]
    if name == "merge":
        return "seed", ["merge", "Alibaba", "Tencent", *where]
    source = next(p.stem for p in (landscapes["applied"] / "data").glob("zhipu*.yaml"))
    return "applied", ["retract", source, *where]


def _run(root: Path, args: list[str], fault: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, FAULT_ENV: fault} if fault else {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    return subprocess.run(
        [sys.executable, "-m", "kgraph", *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def snapshot(root: Path) -> dict[str, object]:
    """data/ (file contents, the import header's time left out), the store's quads, the outputs, the log's commands."""
    data = {}
    for path in sorted((root / "data").iterdir()):
        if path.name == "changes.jsonl":
            continue
        lines = path.read_bytes().splitlines(keepends=True)
        data[path.name] = hashlib.sha256(b"".join(x for x in lines if not x.startswith(b"# Imported by"))).hexdigest()
    with OxigraphStore.open(root / "build" / "store", read_only=True) as store:
        quads = {str(q) for q in store.quads()}
    outputs = {
        name: hashlib.sha256((root / "build" / name).read_bytes()).hexdigest()
        for name in ("landscape.ttl", "landscape.trig", "landscape.html")
    }
    log = root / "data" / "changes.jsonl"
    commands = [json.loads(line)["command"] for line in log.read_text().splitlines()] if log.exists() else []
    return {"data": data, "store": quads, "outputs": outputs, "log": commands}


@pytest.mark.parametrize("command", ["apply", "import", "retract", "merge"])
def test_a_write_killed_at_any_step_leaves_the_old_landscape_or_completes(
    command: str, landscapes: dict[str, Path], tmp_path: Path
) -> None:
    base_name, _ = _command(command, landscapes, tmp_path)
    base = landscapes[base_name]
    before = snapshot(base)

    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    _, args = _command(command, landscapes, reference)
    done = _run(reference, args, None)
    assert done.returncode == 0, done.stderr
    after = snapshot(reference)
    assert after["data"] != before["data"] and after["store"] != before["store"]
    assert after["outputs"] != before["outputs"] and after["log"] == [*before["log"], command]

    for step in STEPS:
        root = tmp_path / step
        shutil.copytree(base, root)
        _, args = _command(command, landscapes, root)
        killed = _run(root, args, step)
        assert killed.returncode == -9, (step, killed.stderr)
        if STEPS.index(step) < STEPS.index("committed"):
            assert snapshot(root) == before, step
        recover(root / "data")
        expected = before if STEPS.index(step) < STEPS.index("committed") else after
        assert snapshot(root) == expected, step
        assert not scratch_dir(root / "data").exists()
        assert not [p for p in (root / "build").iterdir() if p.name.startswith(".landscape")]


def test_an_uncommitted_write_is_discarded_by_the_next_write(landscapes: dict[str, Path], tmp_path: Path) -> None:
    root = tmp_path / "landscape"
    shutil.copytree(landscapes["seed"], root)
    _, args = _command("import", landscapes, root)
    assert _run(root, args, "staged").returncode == -9
    assert scratch_dir(root / "data").is_dir()
    _, apply_args = _command("apply", landscapes, root)
    done = _run(root, apply_args, None)
    assert done.returncode == 0, done.stderr
    assert not scratch_dir(root / "data").exists()
    assert not (root / "data" / "import-extra.ttl").exists()
    assert snapshot(root)["log"] == ["apply"]


def test_a_build_completes_a_committed_write_first(landscapes: dict[str, Path], tmp_path: Path) -> None:
    root = tmp_path / "landscape"
    shutil.copytree(landscapes["seed"], root)
    _, args = _command("apply", landscapes, root)
    assert _run(root, args, "committed").returncode == -9
    build([root / "data"], root / "build")
    assert not scratch_dir(root / "data").exists()
    assert [p.name for p in (root / "data").glob("zhipu*.yaml")]
    assert snapshot(root)["log"] == ["apply"]
