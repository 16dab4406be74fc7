"""Screening an article before extraction: web pages read as their visible text, other languages refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kgraph.errors import DataError
from kgraph.ingest.screen import html_to_text, language_problem, looks_like_html, screen

REPO = Path(__file__).resolve().parents[1]


def test_every_english_benchmark_article_passes_unchanged() -> None:
    articles = sorted((REPO / "benchmarks" / "ingest").rglob("*.txt"))
    assert len(articles) >= 30
    for path in articles:
        text = path.read_text(encoding="utf-8")
        assert screen(text, name=path.name) == (text, []), path


def test_a_web_page_is_read_as_its_visible_text() -> None:
    page = (
        "<!doctype html><html><head><title>Acme &amp; Co cut jobs</title><style>p {color: red}</style>"
        "<script>steal()</script></head><body><nav>Home</nav><p>Acme cut <b>300</b> jobs.</p>"
        "<div>It said &lt;AI&gt; comes first.</div></body></html>"
    )
    assert looks_like_html(page)
    text, tags = html_to_text(page)
    assert text == "Acme & Co cut jobs\n\nHome\n\nAcme cut 300 jobs.\n\nIt said <AI> comes first."
    assert tags == 10
    screened, [note] = screen(page, name="page.html")
    assert screened == text and "page.html is HTML" in note
    assert not looks_like_html("Revenue rose 5% <in 2023> as costs fell.")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("商汤科技今日宣布，公司将继续投资人工智能研究。" * 3, "letters are Han (Chinese or Japanese) script"),
        ("Компания объявила о сокращении штата на десять процентов. " * 3, "letters are Cyrillic script"),
        ("La société a annoncé aujourd'hui une baisse de son chiffre d'affaires pour l'année. " * 4, "read as English"),
    ],
)
def test_other_languages_are_refused_with_the_reason(text: str, reason: str) -> None:
    assert reason in (language_problem(text) or "")
    with pytest.raises(DataError, match=re.escape(reason)):
        screen(text, name="a.txt")


def test_english_with_chinese_names_and_short_notes_pass() -> None:
    assert language_problem("商汤科技 (SenseTime) said its revenue fell 19% to RMB 3.8 billion in 2022.") is None
    assert language_problem("Kurz notiert.") is None  # too short to judge
