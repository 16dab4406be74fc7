"""SPARQL errors in words: what is wrong, and where, counted in the text the person wrote.

Oxigraph's parser reports ``error at 1:29: expected one of Prefix not found, ['%'], [...]``: a position in the text
it was given (which may start with predeclared prefixes) and the grammar's list of what could come next, character
ranges included. :func:`explain` turns that into ``my.rq:3:9: unknown prefix foo:`` or ``line 1, column 1: expected
SELECT, ASK, CONSTRUCT or DESCRIBE, found 'SELEC'``. The command line and the endpoint both report through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kgraph.errors import KgraphError
from kgraph.namespaces import PREFIXES
from kgraph.sparql.lexer import SparqlTextError, Token, tokens

_POSITION = re.compile(r"^\s*error at (\d+):(\d+):\s*(.*)$", re.DOTALL)
#: One item of the parser's "expected" list: a quoted token, a character class in brackets, or words.
_EXPECTED_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[^,\[\]"]+')
_PREFIXED = re.compile(r"(?<![\w.:-])(?P<prefix>[A-Za-z][\w.-]*)?:(?![/:])")
_QUERY_FORMS = "SELECT, ASK, CONSTRUCT or DESCRIBE"
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class QueryError(KgraphError):
    """A query the engine refused, described in words, with its place in the person's own text when known.

    ``str()`` is ``SOURCE:LINE:COLUMN: message`` (``line L, column C: message`` without a source).
    """

    def __init__(
        self, message: str, *, line: int | None = None, column: int | None = None, source: str | None = None
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.source = source
        super().__init__(self._located())

    def _located(self) -> str:
        if self.line is None:
            return f"{self.source}: {self.message}" if self.source else self.message
        if self.source:
            return f"{self.source}:{self.line}:{self.column}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"


def explain(
    error: BaseException | str,
    sparql: str,
    *,
    prologue_lines: int = 0,
    source: str | None = None,
    prefixes: Iterable[str] | None = None,
) -> QueryError:
    """Describe an engine's error about ``sparql`` in words.

    ``sparql`` is the whole text the engine was given; its first ``prologue_lines`` lines were added for the person
    (predeclared prefixes, say), so lines are counted after them. ``source`` names where the person's text came from
    (a ``.rq`` file). ``prefixes`` are the names the engine knows without a PREFIX line (given to it apart from the
    text; kgraph's predeclared ones by default). ``error`` is the exception or its message; a message without a
    position is kept as it is.
    """
    text = str(error).strip()
    found = _POSITION.match(text)
    if not found:
        return QueryError(text or type(error).__name__, source=source)
    line, column, expected = int(found[1]), int(found[2]), found[3]
    offset = _offset(sparql, line, column)
    known = set(PREFIXES if prefixes is None else prefixes)
    message, offset = _describe(expected, sparql, offset, known)
    line, column = _line_column(sparql, offset)
    if line > prologue_lines:
        line -= prologue_lines
    return QueryError(message, line=line, column=column, source=source)


def _offset(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column (Oxigraph counts columns in characters)."""
    lines = text.split("\n")
    if line > len(lines):
        return len(text)
    start = sum(len(previous) + 1 for previous in lines[: line - 1])
    return min(start + max(column - 1, 0), len(text))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _describe(expected: str, sparql: str, offset: int, known: set[str]) -> tuple[str, int]:
    """The message and the offset it is about."""
    try:
        toks, readable = tokens(sparql), True
    except SparqlTextError:  # an unterminated string, say: the parser's own message is all there is
        toks, readable = (), False
    unknown = _first_unknown_prefix(toks, known)
    if unknown is not None and ("Prefix not found" in expected or unknown[1] <= offset):
        return f"unknown prefix {unknown[0]}: (declare it with PREFIX {unknown[0]}: <...>)", unknown[1]
    expected = expected.removeprefix("expected").strip().removeprefix("one of").strip()
    items = [item.strip() for item in _EXPECTED_ITEM.findall(expected) if item.strip()]
    first = _first_after_prologue(toks)
    if first is not None and not first.is_keyword("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and first.start <= offset:
        if first.is_keyword(*_UPDATE_WORDS):
            return f"expected {_QUERY_FORMS}: {first.text.upper()} starts an update, not a query", first.start
        return f"expected {_QUERY_FORMS}, found {_found(first)}", first.start
    if readable and first is None and not any(token.start >= offset for token in toks):
        return f"the query is empty: expected {_QUERY_FORMS}", offset
    notes = [item for item in items if _is_note(item)]
    if "IRI parsing failed" in notes:
        iri = _token_before(toks, offset, kind="iri")
        if iri is not None:
            return f"{iri.text} is not a valid IRI (write an absolute IRI, such as <https://example.org/x>)", iri.start
    shown = [words for item in items if not _is_note(item) and (words := _in_words(item))]
    word = _token_at(toks, offset)
    parts = [f"unexpected {_found(word)}"]
    if notes:
        parts.append("; ".join(note[0].lower() + note[1:] for note in notes))
    if shown:
        parts.append("expected " + _either(list(dict.fromkeys(shown))))
    return "; ".join(parts), word.start if word is not None else offset


def _first_unknown_prefix(toks: tuple[Token, ...], known: set[str]) -> tuple[str, int] | None:
    """The first prefixed name whose prefix no PREFIX declares before it, and its offset."""
    declared = set(known)
    for i, token in enumerate(toks):
        if token.is_keyword("PREFIX") and i + 1 < len(toks) and toks[i + 1].text.endswith(":"):
            declared.add(toks[i + 1].text[:-1])
            continue
        if token.kind != "word" or (i > 0 and toks[i - 1].is_keyword("PREFIX")):
            continue
        for match in _PREFIXED.finditer(token.text):
            prefix = match["prefix"] or ""
            if prefix != "_" and prefix not in declared:
                return prefix, token.start + match.start()
    return None


def _first_after_prologue(toks: tuple[Token, ...]) -> Token | None:
    """The first token after the PREFIX and BASE declarations: where SELECT, ASK... must come."""
    i = 0
    while i < len(toks) and toks[i].is_keyword("PREFIX", "BASE"):
        i += 3 if toks[i].is_keyword("PREFIX") else 2
    return toks[i] if i < len(toks) else None


def _token_at(toks: tuple[Token, ...], offset: int) -> Token | None:
    """The token at ``offset``, or the next one; None at the end of the text."""
    for token in toks:
        if token.end > offset:
            return token
    return None


def _token_before(toks: tuple[Token, ...], offset: int, *, kind: str) -> Token | None:
    found = None
    for token in toks:
        if token.start >= offset:
            break
        if token.kind == kind:
            found = token
    return found


def _found(token: Token | None) -> str:
    if token is None:
        return "end of the query"
    text = token.text if len(token.text) <= 30 else token.text[:29] + "…"
    return repr(text)


def _is_note(item: str) -> bool:
    """A message of the parser's own inside the list ("Prefix not found"), not a token."""
    return " " in item and not item.startswith(("[", '"')) and item != "Prefix not found"


def _in_words(item: str) -> str | None:
    """A token the parser expected, for a person; character classes become what they stand for."""
    if item.startswith('"'):
        token = item[1:-1].replace("\\\\", "\\").replace('\\"', '"')
        return f'"{token}"' if "'" in token else f"'{token}'"
    if item.startswith("["):
        if item == "[_]":
            return None  # whitespace
        if "'A'" in item or "\\u{" in item:
            return "a name"
        if "'0'" in item:
            return "a number"
        inner = re.findall(r"'([^']+)'", item)
        return " or ".join(f"'{char}'" for char in inner) if inner else None
    if item == "Prefix not found":
        return None
    return item


def _either(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]
