"""The build is deterministic, and all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgraph.build import STORE_NAME, TRIG_NAME, TURTLE_NAME, build
from kgraph.errors import DataError
from kgraph.store.oxigraph import OxigraphStore


def test_same_input_gives_byte_identical_files(seed_build, data_dir, tmp_path):
    again = build([data_dir], tmp_path / "again")
    for name in (TURTLE_NAME, TRIG_NAME):
        assert (again.out_dir / name).read_bytes() == (seed_build.out_dir / name).read_bytes(), name


def test_outputs_hold_the_graph(seed_build):
    store = OxigraphStore()
    store.load(seed_build.out_dir / TRIG_NAME)
    graphs = {g.value.rsplit("/", 1)[-1] for g in store.named_graphs()}
    assert {"ontology", "sensetime-layoffs-article", "general-knowledge"} <= graphs
    on_disk = OxigraphStore.open(seed_build.out_dir / STORE_NAME, read_only=True)
    assert len(on_disk) == len(store) == seed_build.summary.triples


def test_summary_counts(seed_build):
    by_class = dict(seed_build.summary.by_class)
    assert by_class["Company"] == 5
    assert by_class["Financial measurement"] == 3
    assert by_class["Headwind"] == 3
    by_source = {graph.rsplit("/", 1)[-1]: count for graph, _, count in seed_build.summary.by_source}
    assert by_source == {"general-knowledge": 1, "sensetime-layoffs-article": 15}


def test_a_failed_build_changes_nothing(seed_build, data_dir, tmp_path):
    out = tmp_path / "build"
    shutil.copytree(seed_build.out_dir, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "data"
    shutil.copytree(data_dir, bad)
    (bad / "bad.yaml").write_text("source:\n  id: x\nentities:\n  - id: y\n    type: Planet\n    name: Y\n")
    with pytest.raises(DataError):
        build([bad], out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_a_rebuild_replaces_the_outputs(seed_build, data_dir, tmp_path: Path):
    out = tmp_path / "build"
    build([data_dir], out)
    (out / TURTLE_NAME).write_text("stale")
    build([data_dir], out)
    assert (out / TURTLE_NAME).read_bytes() == (seed_build.out_dir / TURTLE_NAME).read_bytes()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def _outputs(out: Path) -> dict[str, object]:
    files = {name: (out / name).read_bytes() for name in (TURTLE_NAME, TRIG_NAME, "landscape.html")}
    with OxigraphStore.open(out / STORE_NAME, read_only=True) as store:
        return {**files, STORE_NAME: {str(q) for q in store.quads()}}


@pytest.mark.parametrize("step", ["build-written", "build-committed", "build-moving"])
def test_a_killed_build_leaves_the_old_outputs_or_the_next_build_completes_it(seed_build, data_dir, tmp_path, step):
    """Killed (SIGKILL) before its scratch folder is marked complete, or while it moves the outputs into place."""
    import os
    import subprocess
    import sys

    from kgraph.build import finish_builds

    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    (data / "extra.ttl").write_text(
        '<https://w3id.org/kgraph/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "new" .\n', encoding="utf-8"
    )
    out = tmp_path / "build"
    shutil.copytree(seed_build.out_dir, out)
    old = _outputs(out)
    new = _outputs(build([data], tmp_path / "reference").out_dir)
    killed = subprocess.run(
        [sys.executable, "-m", "kgraph", "build", str(data), "-b", str(out), "-q"],
        env={**os.environ, "KGRAPH_FAULT_AT": step},
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == -9
    if step == "build-written":
        assert _outputs(out) == old
    finish_builds(out)
    assert _outputs(out) == (old if step == "build-written" else new)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
