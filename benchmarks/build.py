"""How long ``kgraph build`` takes as the data grows, against an earlier version of kgraph in the same run.

The data is the curated data/ with the article's facts copied N times: each copy a source of its own, its facts'
identifiers given a suffix, about the entities that the article's sheet declares.
Each version builds in its own process (``python -m kgraph build DATA -b OUT -q``) from its own source tree, with
the same installed packages; the baseline tree is ``git archive REF`` of this repository.

    .venv/bin/python benchmarks/build.py [--copies 1 20 100] [--baseline REF] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

REPO = Path(__file__).resolve().parents[1]
ARTICLE = "sensetime-layoffs-2023.yaml"


def _own_ids(sheet: dict[str, Any]) -> set[str]:
    """The identifiers of a sheet's sources and facts (its entities are shared by the copies)."""
    ids = {sheet["source"]["id"]}
    if sheet["source"].get("based_on"):
        ids.add(sheet["source"]["based_on"]["id"])
    ids.update(fact["id"] for fact in sheet.get("facts", []))
    return ids


def _renamed(value: Any, ids: set[str], suffix: str) -> Any:
    if isinstance(value, dict):
        return {key: _renamed(item, ids, suffix) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, ids, suffix) for item in value]
    return f"{value}-{suffix}" if isinstance(value, str) and value in ids else value


def make_data(folder: Path, copies: int) -> Path:
    """data/ with ``copies`` copies of the article's facts (the first one the sheet as it is)."""
    shutil.copytree(REPO / "data", folder)
    sheet = yaml.safe_load((REPO / "data" / ARTICLE).read_text(encoding="utf-8"))
    ids = _own_ids(sheet)
    for number in range(2, copies + 1):
        copy = _renamed({key: value for key, value in sheet.items() if key != "entities"}, ids, f"copy{number}")
        (folder / f"copy-{number}.yaml").write_text(yaml.safe_dump(copy, allow_unicode=True), encoding="utf-8")
    return folder


def baseline_tree(ref: str, folder: Path) -> Path:
    """The source tree of ``ref`` (``git archive``), with the data and ontology it ships."""
    archive = folder / "baseline.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), ref], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "baseline", filter="data")
    return folder / "baseline"


def time_build(tree: Path, data: Path, out: Path) -> float:
    """Seconds one ``kgraph build`` of ``data`` takes with the kgraph of ``tree``."""
    shutil.rmtree(out, ignore_errors=True)
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-m", "kgraph", "build", str(data), "-b", str(out), "-q"]
    started = time.perf_counter()
    subprocess.run(command, cwd=tree, env=environment, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 20, 100])
    parser.add_argument("--baseline", default="c01664a", help="git ref of the version to compare with")
    parser.add_argument("--repeats", type=int, default=2, help="builds per version and size (the fastest counts)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kgraph-build-bench-") as scratch:
        root = Path(scratch)
        trees = {"baseline": baseline_tree(args.baseline, root), "current": REPO}
        print(f"| article sheets | quads | {args.baseline} (s) | current (s) | current / {args.baseline} |")
        print("|---:|---:|---:|---:|---:|")
        for copies in args.copies:
            data = make_data(root / f"data-{copies}", copies)
            seconds = {
                name: min(time_build(tree, data, root / f"out-{name}") for _ in range(args.repeats))
                for name, tree in trees.items()
            }
            quads = sum(1 for _ in ox.parse(path=str(root / "out-current" / "landscape.trig")))
            print(
                f"| {copies} | {quads:,} | {seconds['baseline']:.2f} | {seconds['current']:.2f} | "
                f"{seconds['current'] / seconds['baseline']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
