"""Reading an article: bad files are refused with a clear message; sentences keep their offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.errors import DataError
from kgraph.ingest.article import (
    MAX_ARTICLE_BYTES,
    MAX_SENTENCE_CHARS,
    Article,
    read_article_text,
    split_sentences,
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the article is empty"),
        (b"  \n\t\n", "the article is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("Caf\u00e9 news".encode("latin-1"), "not UTF-8"),
        (b"x" * (MAX_ARTICLE_BYTES + 1), "the limit is"),
    ],
)
def test_bad_articles_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(DataError) as raised:
        read_article_text(path)
    assert message in str(raised.value)
    assert str(path) in str(raised.value)


def test_a_missing_file_is_reported() -> None:
    with pytest.raises(DataError, match="cannot read"):
        read_article_text("/nonexistent/article.txt")


def test_non_utf8_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(b"Headline\n\nFirst line.\nSecond \xff line.\n")
    with pytest.raises(DataError) as raised:
        read_article_text(path)
    assert raised.value.problems[0].line == 4


def test_sentences_keep_offsets_and_abbreviations() -> None:
    text = "Big news today\n\nBeijing Zhipu Huazhang Technology Co. raised money. Revenue was RMB 3.809 billion.\n"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Big news today",
        "Beijing Zhipu Huazhang Technology Co. raised money.",
        "Revenue was RMB 3.809 billion.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert sentences[0].is_title and not sentences[1].is_title
    assert Article(text).headline == "Big news today"


def test_a_run_of_text_without_full_stops_is_cut_at_clause_breaks() -> None:
    clause = "Acme raised money from Beta Capital, Gamma Ventures and Delta Partners; "
    text = "Headline\n" + clause * 100
    sentences = split_sentences(text)
    assert len(sentences) > 10
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert all(s.text.endswith(";") for s in sentences[1:-1])  # cut after a semicolon, not inside a name
    assert " ".join(s.text for s in sentences[1:]) == (clause * 100).strip()


def test_a_long_string_without_breaks_is_cut_at_the_limit() -> None:
    sentences = split_sentences("x" * 2000)
    assert [len(s.text) for s in sentences] == [MAX_SENTENCE_CHARS] * 3 + [2000 - 3 * MAX_SENTENCE_CHARS]
