"""``kgraph build``, ``validate`` and ``stats`` as a user runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def kgraph(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "kgraph", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def test_build_then_stats(tmp_path, data_dir):
    shutil.copytree(data_dir, tmp_path / "data")
    built = kgraph("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "triples" in built.stdout and "Facts per source" in built.stdout
    assert (tmp_path / "build" / "landscape.ttl").is_file()
    stats = kgraph("stats", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert "Financial measurement" in stats.stdout


def test_validate_reports_file_line_and_problem(tmp_path, data_dir):
    shutil.copytree(data_dir, tmp_path / "data")
    (tmp_path / "data" / "bad.yaml").write_text(
        "source:\n  id: bad-source\nentities:\n  - id: acme\n    type: Company\n    name: Acme\n    country: China\n"
    )
    result = kgraph("validate", "data", cwd=tmp_path)
    assert result.returncode == 2
    assert "data/bad.yaml:7: entities[0].country" in result.stderr
    assert "nothing was changed" in result.stderr


def test_validate_accepts_the_curated_data(tmp_path, data_dir):
    result = kgraph("validate", str(data_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_stats_without_a_build_says_what_to_do(tmp_path):
    result = kgraph("stats", cwd=tmp_path)
    assert result.returncode == 2
    assert "kgraph build" in result.stderr


def test_help_explains_every_command(tmp_path):
    result = kgraph("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("build", "validate", "stats"):
        assert command in result.stdout
