"""An article to ingest: its text (checked: UTF-8, not binary, not empty, not too large), metadata and sentences."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.errors import DataError, Problem
from kgraph.factsheet.models import DateValue

#: Largest article accepted, in bytes (a long feature is ~50 KB; anything bigger is probably not an article).
MAX_ARTICLE_BYTES = 200_000

_ABBREVIATIONS = {
    "co", "corp", "inc", "ltd", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "e.g", "i.e", "approx", "est",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s+[\"“'‘(]?[A-Z0-9])")
#: Longest sentence read as one, in characters; a longer run of text (a list, a table, text without full stops) is
#: cut at its last clause break (semicolon, comma, space) before the limit, which keeps reading it linear.
MAX_SENTENCE_CHARS = 600
_BREAKS = ("; ", ", ", " ")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article with its character offsets."""

    start: int
    end: int
    text: str
    is_title: bool = False


@dataclass(frozen=True)
class Article:
    """The text of a news article and what is known about it."""

    text: str
    name: str = "<article>"
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: DateValue | None = None
    sentences: list[Sentence] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        if not self.sentences:
            object.__setattr__(self, "sentences", split_sentences(self.text))

    @property
    def headline(self) -> str | None:
        """The title given, else the article's first line when it reads as a headline."""
        if self.title:
            return self.title
        first = next((s for s in self.sentences if s.is_title), None)
        return first.text if first else None


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets: paragraphs split at line breaks, then at sentence ends (abbreviations kept)."""
    sentences: list[Sentence] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        body = paragraph.group()
        offset = paragraph.start()
        if not body.strip():
            continue
        start = 0
        for match in _SENTENCE_END.finditer(body):
            word = re.search(r"([\w.]+)[.!?]$", body[: match.start() + 1])
            if word and (word.group(1).lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                continue
            sentences.extend(_sentences(body, offset, start, match.end()))
            start = match.end()
        sentences.extend(_sentences(body, offset, start, len(body)))
    sentences = [s for s in sentences if s.text]
    if len(sentences) > 1 and _looks_like_headline(text, sentences[0]):
        sentences[0] = Sentence(sentences[0].start, sentences[0].end, sentences[0].text, is_title=True)
    return sentences


def _sentences(body: str, offset: int, start: int, end: int) -> list[Sentence]:
    """The sentence ``body[start:end]``, cut into pieces of at most :data:`MAX_SENTENCE_CHARS` at clause breaks."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        found = (body.rfind(mark, start + MAX_SENTENCE_CHARS // 2, limit) for mark in _BREAKS)
        cut = next((position + 1 for position in found if position != -1), limit)
        pieces.append(_sentence(body, offset, start, cut))
        start = cut
    pieces.append(_sentence(body, offset, start, end))
    return pieces


def _sentence(body: str, offset: int, start: int, end: int) -> Sentence:
    piece = body[start:end]
    lead = len(piece) - len(piece.lstrip())
    text = piece.strip()
    return Sentence(offset + start + lead, offset + start + lead + len(text), text)


def _looks_like_headline(text: str, first: Sentence) -> bool:
    line_end = text.find("\n", first.start)
    whole_line = line_end == -1 or first.end >= len(text[:line_end].rstrip())
    return whole_line and not first.text.endswith((".", "!", "?", ":")) and len(first.text) < 200


def decode_article(raw: bytes, *, name: str) -> str:
    """The text of an article file; raise :class:`DataError` when it is empty, binary, not UTF-8 or too large."""
    if len(raw) > MAX_ARTICLE_BYTES:
        raise DataError(
            [Problem(name, None, None, f"the article is {len(raw):,} bytes; the limit is {MAX_ARTICLE_BYTES:,}")]
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DataError([Problem(name, line, None, "this is a binary file, not plain text")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError([Problem(name, line, None, "not UTF-8 text (save the article as UTF-8)")]) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 100):
        raise DataError([Problem(name, None, None, "this looks like a binary file, not plain text")])
    if not text.strip():
        raise DataError([Problem(name, None, None, "the article is empty")])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article_text(location: str | Path) -> tuple[str, str]:
    """The text of the article at ``location`` (``-`` reads standard input) and the name to report it by."""
    if str(location) == "-":
        raw = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
        return decode_article(raw, name="<stdin>"), "<stdin>"
    path = Path(location)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        raise DataError([Problem(str(path), None, None, f"cannot read: {error.strerror}")]) from None
    return decode_article(raw, name=str(path)), str(path)
