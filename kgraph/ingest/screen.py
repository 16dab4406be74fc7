"""Checks on an article's text before any extraction: a web page is turned into its text, another language refused.

The extractors read English prose. A saved web page is reduced to its visible text (scripts, styles and markup
dropped, paragraphs kept as lines) with a note saying so, since evidence offsets then refer to that text. An article
whose letters are mostly of another script, or whose words are hardly ever common English words, is refused with
the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

from kgraph.errors import DataError, Problem

_TAG = re.compile(r"</?(?:p|div|span|a|br|html|body|head|title|h[1-6]|li|ul|article|section|script|style|meta)\b", re.I)
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "title", "header"}
_HIDDEN = {"script", "style", "noscript", "template", "svg", "head"}
_COMMON_ENGLISH = frozenset(
    "the of and to in a is that for on with as by it its at from was has have said will be are an this which "
    "their than but or not were had also after who more been they he she we would about".split()
)
_WORD = re.compile(r"[^\W\d_]+")
#: Below this many words, the language is not judged.
_MIN_WORDS = 30


class _TextOfPage(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.title: list[str] = []
        self.in_title = False
        self.tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag == "title":
            self.in_title = True
        elif tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is markup rather than prose: a doctype or ``<html>``, or several common tags."""
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or len(_TAG.findall(text[:20_000])) >= 3


def html_to_text(markup: str) -> tuple[str, int]:
    """The visible text of a page (its title as the first line, one line per block) and the number of tags removed."""
    parser = _TextOfPage()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    body = "\n\n".join(line for line in lines if line)
    title = " ".join("".join(parser.title).split())
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    return body, parser.tags


def _script(character: str) -> str:
    name = unicodedata.name(character, "")
    if name.startswith("LATIN") or ("A" <= character <= "z"):
        return "Latin"
    first = name.split(" ")[0]
    return {"CJK": "Han (Chinese or Japanese)", "HIRAGANA": "Japanese", "KATAKANA": "Japanese"}.get(
        first, first.capitalize() or "unknown"
    )


def language_problem(text: str) -> str | None:
    """Why ``text`` does not read as English, or None when it does (or is too short to judge)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    scripts = Counter(_script(c) for c in letters)
    script, count = scripts.most_common(1)[0]
    if script != "Latin" and count > len(letters) / 2:
        return f"the article is not in English: {count * 100 // len(letters)}% of its letters are {script} script"
    words = [w.lower() for w in _WORD.findall(text) if _script(w[0]) == "Latin"]
    if len(words) < _MIN_WORDS:
        return None
    common = sum(1 for word in words if word in _COMMON_ENGLISH)
    if common / len(words) < 0.08:
        return (
            f"the article does not read as English: {common} of its {len(words)} words are common English words "
            "(the, of, and...); kgraph's extractors read English"
        )
    return None


def screen(text: str, *, name: str) -> tuple[str, list[str]]:
    """The article's text to extract from, and notes on what was done to it; :class:`DataError` when refused."""
    notes = []
    if looks_like_html(text):
        text, tags = html_to_text(text)
        if not text.strip():
            raise DataError([Problem(name, None, None, "this is a web page with no visible text")])
        notes.append(f"{name} is HTML: read as its visible text ({tags} tags removed); evidence offsets refer to it")
    reason = language_problem(text)
    if reason:
        raise DataError([Problem(name, None, None, reason)])
    return text, notes
