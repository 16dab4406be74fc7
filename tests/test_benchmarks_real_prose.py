"""The real-prose sets (benchmarks/ingest/real/*): gold files the scorer loads, and the overlap check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kgraph.factsheet.models import FACT_KINDS, DateValue
from kgraph.ingest.evaluate import gold_items
from kgraph.ingest.graph import index_from_data

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "benchmarks" / "ingest" / "real"
DEV = REAL / "dev"
DEV_GOLD = sorted((DEV / "gold").glob("*.yaml"))
#: Every set's gold: the development set and the blind sets (checked for form only; never printed).
GOLD_FILES = sorted(REAL.glob("*/gold/*.yaml"))

sys.path.insert(0, str(REAL))
from check_overlap import shared_runs, words  # noqa: E402


@pytest.fixture(scope="module")
def index():  # noqa: ANN201
    return index_from_data([REPO / "data"])


def test_the_set_is_large_enough_and_covers_every_kind() -> None:
    kinds = {fact["kind"] for path in DEV_GOLD for fact in yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]}
    publications = {yaml.safe_load(path.read_text(encoding="utf-8"))["publication"] for path in DEV_GOLD}
    assert len(DEV_GOLD) >= 28
    assert kinds == set(FACT_KINDS)
    assert len(publications) >= 6


@pytest.mark.parametrize("path", GOLD_FILES, ids=[f"{p.parent.parent.name}/{p.stem}" for p in GOLD_FILES])
def test_each_gold_file_loads_and_names_its_article_and_source(path: Path, index) -> None:  # noqa: ANN001
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    article = path.parent.parent / "articles" / gold["article"]
    assert article.stem == path.stem
    assert 150 <= len(article.read_text(encoding="utf-8").split()) <= 600
    DateValue(value=str(gold["published"]))  # a day, or a month where the page gives none
    assert gold["url"].startswith("http") and gold["publication"]
    items = gold_items(gold["facts"], index)
    assert len(items) == len(gold["facts"]) >= 1
    for fact in gold["facts"]:
        assert fact["kind"] in FACT_KINDS
        if "amount" in fact:
            assert len(fact["currency"]) == 3


def test_shared_runs_are_found_case_and_punctuation_blind_and_merged() -> None:
    source = "Alibaba Group Holding is leading a financing round of at least US$600 million for MiniMax."
    copied = "Reports say ALIBABA group holding is leading a financing round, of at least US$600 million."
    expected = "alibaba group holding is leading a financing round of at least us$600 million"
    assert shared_runs(copied, source, 7) == [expected]
    assert shared_runs("Alibaba heads a new round for the Shanghai start-up MiniMax.", source, 7) == []
    assert words("U.S. chips, 1.2bn.") == ["u.s", "chips", "1.2bn"]


def test_the_check_exits_non_zero_on_a_copied_article_and_zero_on_the_set(tmp_path: Path) -> None:
    sources, articles = tmp_path / "sources", tmp_path / "articles"
    sources.mkdir()
    articles.mkdir()
    text = "one two three four five six seven eight nine ten"
    (sources / "a.txt").write_text(text, encoding="utf-8")
    (articles / "a.txt").write_text("zero " + text, encoding="utf-8")
    script = REAL / "check_overlap.py"
    copied = subprocess.run([sys.executable, script, sources, articles], capture_output=True, text=True)
    assert copied.returncode == 1 and "a.txt: one two three four five six seven eight nine ten" in copied.stdout
    (articles / "a.txt").write_text("ten nine eight seven six five four three two one", encoding="utf-8")
    clean = subprocess.run([sys.executable, script, sources, articles], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout
    (articles / "b.txt").write_text(text, encoding="utf-8")
    missing = subprocess.run([sys.executable, script, sources, articles], capture_output=True, text=True)
    assert missing.returncode == 2 and "no source text" in missing.stdout
