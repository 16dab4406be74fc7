"""``kgraph analyze`` as a user runs it, on the seed build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kgraph.build import STORE_NAME


@pytest.fixture(scope="module")
def store(seed_build) -> str:
    return str(seed_build.out_dir / STORE_NAME)


def kgraph(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("KGRAPH_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "kgraph", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def test_help_lists_the_subcommands():
    result = kgraph("analyze", "--help")
    assert result.returncode == 0
    for command in ("ego", "rank", "path", "communities", "export"):
        assert command in result.stdout


def test_path_is_explained(store):
    result = kgraph("analyze", "path", "SenseNova", "Baidu", "--store", store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "SenseNova —developed by→ SenseTime —competes with→ Baidu"
    apart = kgraph("analyze", "path", "ChatGPT", "Pandaily", "--store", store)
    assert apart.returncode == 1 and "not connected" in apart.stdout


def test_rank_and_ego_as_json(store):
    ranked = kgraph("analyze", "rank", "--top", "3", "--json", "--store", store)
    assert ranked.returncode == 0, ranked.stderr
    assert [r["label"] for r in json.loads(ranked.stdout)] == ["SenseTime", "Alibaba", "Baidu"]
    by_degree = kgraph("analyze", "rank", "--by", "degree", "--type", "Product", "--json", "--store", store)
    assert {r["label"] for r in json.loads(by_degree.stdout)} == {"SenseNova", "ChatGPT"}
    ego = kgraph("analyze", "ego", "商汤科技", "--hops", "1", "--json", "--store", store)
    assert ego.returncode == 0, ego.stderr
    data = json.loads(ego.stdout)
    assert data["center"] == "https://w3id.org/kgraph/id/sensetime"
    assert len(data["nodes"]) == 9
    assert {
        "source": "SenseTime",
        "label": "layoff",
        "target": "Smart City and Business Group",
        "date": "2023-09-01",
    } in (data["edges"])


def test_tables(store):
    ranked = kgraph("analyze", "rank", "--store", store)
    assert ranked.returncode == 0, ranked.stderr
    assert "Ranking by pagerank" in ranked.stdout and "SenseTime" in ranked.stdout
    groups = kgraph("analyze", "communities", "--store", store)
    assert groups.returncode == 0, groups.stderr
    assert "Chinese large-language-model market" in groups.stdout


def test_export_graphml_and_json(store, tmp_path):
    graphml = tmp_path / "landscape.graphml"
    result = kgraph("analyze", "export", "--format", "graphml", "-o", str(graphml), "--store", store)
    assert result.returncode == 0, result.stderr
    assert "19 nodes, 29 edges" in result.stdout
    loaded = nx.read_graphml(graphml, force_multigraph=True)
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (19, 29)
    as_json = tmp_path / "companies.json"
    result = kgraph("analyze", "export", "-f", "json", "-o", str(as_json), "--include", "Company", "--store", store)
    assert result.returncode == 0, result.stderr
    data = json.loads(as_json.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 5 and len(data["edges"]) == 6


def test_bad_input_is_a_clear_error(store, tmp_path):
    unknown = kgraph("analyze", "ego", "SensNova", "--store", store)
    assert unknown.returncode == 2 and "did you mean 'SenseNova'" in unknown.stderr
    bad_kind = kgraph("analyze", "rank", "--include", "Compny", "--store", store)
    assert bad_kind.returncode == 2 and "unknown kind(s) Compny" in bad_kind.stderr
    hostile = kgraph("analyze", "path", '"} ; DROP ALL ; {"', "[bold]x", "--store", store)
    assert hostile.returncode == 2 and "no entity is called" in hostile.stderr
    no_store = kgraph("analyze", "rank", "--store", str(tmp_path / "missing"))
    assert no_store.returncode == 2 and "kgraph build" in no_store.stderr


def test_readme_example(store):
    """The commands shown in the README's analytics section."""
    path = kgraph("analyze", "path", "SenseNova", "Baidu", "--store", store)
    assert path.stdout.strip() == "SenseNova —developed by→ SenseTime —competes with→ Baidu"
    ranked = kgraph("analyze", "rank", "--top", "3", "--store", store)
    lines = [line for line in ranked.stdout.splitlines() if "│" in line]
    assert [line.split("│")[2].strip() for line in lines] == ["SenseTime", "Alibaba", "Baidu"]


def test_since_and_until_leave_out_dated_facts_outside_the_range(store, tmp_path):
    def ego_edges(*dates: str) -> set[tuple[str, str, str | None]]:
        result = kgraph("analyze", "ego", "SenseTime", "--json", "--store", store, *dates)
        assert result.returncode == 0, result.stderr
        return {(edge["label"], edge["target"], edge["date"]) for edge in json.loads(result.stdout)["edges"]}

    everything = ego_edges()
    layoff = ("layoff", "Smart City and Business Group", "2023-09-01")
    assert layoff in everything
    before = ego_edges("--until", "2022-12")
    assert layoff not in before
    assert before and before < everything
    assert {edge for edge in everything if edge[2] is None} <= before  # undated relations stay
    assert layoff in ego_edges("--since", "2023", "--until", "2023-09-30")
    exported = tmp_path / "before.json"
    result = kgraph("analyze", "export", "-f", "json", "-o", str(exported), "--until", "2022", "--store", store)
    assert result.returncode == 0, result.stderr
    edges = json.loads(exported.read_text(encoding="utf-8"))["edges"]
    assert 0 < len(edges) < 29  # the unfiltered export has 29 (test_export_graphml_and_json)
    assert all((edge.get("earliest") or "") <= "2022-12-31" for edge in edges)
    bad = kgraph("analyze", "rank", "--since", "last spring", "--store", store)
    assert bad.returncode == 2 and "is not a date: write 2023, 2023-04 or 2023-04-17" in bad.stderr
