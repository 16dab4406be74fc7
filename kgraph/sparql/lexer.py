"""A SPARQL tokenizer: enough to find keywords, groups and prefixes without being fooled by text.

Comments, string literals (short and long forms), IRIs and prefixed names (with their escapes, ``ex:a\\#b``) are
single tokens, so a keyword written inside one of them is never mistaken for the keyword itself. Used to bind
variables on remote servers (a ``VALUES`` block built from serialised RDF terms) and by the endpoint to refuse
``SERVICE`` and ``LOAD``; ``tests/test_sparql_lexer.py`` checks that reading against Oxigraph's own parser with
generated queries.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple
from urllib.parse import urljoin

import pyoxigraph as ox

from kgraph.errors import KgraphError

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
    | (?P<punct>[{}()\[\],;])
    | (?P<word>(?:[^\s{}()\[\],;'"<>\#?$\\]|\\[_~.\-!$&'()*+,;=/?\#@%])+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


class SparqlTextError(KgraphError):
    """The text cannot be handled as SPARQL (unterminated string, unbalanced braces, unsupported form)."""


class Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int

    def is_keyword(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


#: Texts up to this length have their tokens remembered: an endpoint checks the same text several ways, and clients
#: send the same queries again and again.
_CACHED_LENGTH = 8192


def tokens(text: str) -> tuple[Token, ...]:
    """The significant tokens of ``text`` (no whitespace, no comments)."""
    if len(text) <= _CACHED_LENGTH:
        return _cached_tokens(text)
    return _tokens(text)


@functools.lru_cache(maxsize=512)
def _cached_tokens(text: str) -> tuple[Token, ...]:
    return _tokens(text)


def _tokens(text: str) -> tuple[Token, ...]:
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if kind == "other" and value in "'\"":
            raise SparqlTextError(f"unterminated string at offset {match.start()}")
        found.append(Token(kind, value, match.start(), match.end()))
    return tuple(found)


def _prologue(toks: Sequence[Token]) -> tuple[str | None, dict[str, str]]:
    """The BASE IRI and the PREFIX declarations found anywhere at the top level."""
    base: str | None = None
    prefixes: dict[str, str] = {}
    for i in range(len(toks)):
        base, prefixes = _declared(toks, i, base, prefixes)
    return base, prefixes


def with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` with a PREFIX line before it for each of ``prefixes`` that it does not declare itself."""
    _, declared = _prologue(tokens(text))
    missing = [f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items() if name not in declared]
    return "".join(missing) + text


def _resolve(token: Token, base: str | None, prefixes: Mapping[str, str]) -> str | None:
    """The absolute IRI an IRI or prefixed-name token stands for, or None when it is not one."""
    if token.kind == "iri":
        iri = token.text[1:-1]
        return urljoin(base, iri) if base else iri
    if token.kind == "word" and ":" in token.text:
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    return None


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


def _readings(text: str) -> list[tuple[Token, ...]]:
    """The tokens of ``text``, and of ``text`` with ``\\uXXXX`` escapes decoded (SPARQL allows them anywhere)."""
    readings = [tokens(text)]
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    if decoded != text:
        try:
            readings.append(tokens(decoded))
        except SparqlTextError:
            pass
    return readings


def _head(token: Token) -> str:
    """A word's text before its first colon (its prefix, for a prefixed name), in capitals."""
    return token.text.partition(":")[0].upper() if token.kind == "word" else ""


def service_targets(text: str, *, prefixes: Mapping[str, str] | None = None) -> list[str | None]:
    """The IRIs of every ``SERVICE`` clause (None where the target is a variable or cannot be resolved).

    Oxigraph's parser does not need a space after a keyword, so a keyword glued to what follows or precedes it
    (``SERVICE:x {``, ``SERVICESILENT<x>``, ``1SERVICE``) counts too, as unresolvable; escaped forms
    (``\\u0053ERVICE``) as well. A name whose prefix is ``service:`` is not a SERVICE clause. ``prefixes`` are
    those declared before the text (the endpoint's predeclared ones).
    """
    targets: list[str | None] = []
    for toks in _readings(text):
        targets.extend(_service_targets(toks, dict(prefixes or {})))
    return targets


def _service_targets(toks: Sequence[Token], prefixes: dict[str, str]) -> list[str | None]:
    base: str | None = None
    targets: list[str | None] = []
    for i, token in enumerate(toks):
        base, prefixes = _declared(toks, i, base, prefixes)
        if "SERVICE" not in _head(token):
            continue
        following = toks[i + 1] if i + 1 < len(toks) else None
        if token.text.upper() == "SERVICE":
            if following is not None and _head(following).startswith("SILENT"):
                if following.text.upper() != "SILENT":  # SILENT:x is SILENT and the name :x
                    targets.append(None)
                    continue
                following = toks[i + 2] if i + 2 < len(toks) else None
            targets.append(_resolve(following, base, prefixes) if following is not None else None)
        elif ":" not in token.text:  # no word of SPARQL contains SERVICE but the keyword: a glued keyword
            targets.append(None)
        elif following is not None and following.text == "{" and not (i and toks[i - 1].is_keyword("GRAPH")):
            targets.append(None)  # service:x { ... } reads as SERVICE :x { ... }
    return targets


def _declared(
    toks: Sequence[Token], i: int, base: str | None, prefixes: dict[str, str]
) -> tuple[str | None, dict[str, str]]:
    """BASE and PREFIX as declared up to token ``i`` (an update may declare them again between operations)."""
    token = toks[i]
    if token.is_keyword("BASE") and i + 1 < len(toks) and toks[i + 1].kind == "iri":
        return _resolve(toks[i + 1], base, prefixes), prefixes
    if token.is_keyword("PREFIX") and i + 2 < len(toks) and toks[i + 2].kind == "iri":
        iri = _resolve(toks[i + 2], base, prefixes)
        return base, {**prefixes, toks[i + 1].text.rstrip(":"): iri or ""}
    return base, prefixes


def has_load(text: str) -> bool:
    """Whether an update has a ``LOAD`` operation: the keyword, or a word that starts with it where an operation
    can start (``LOAD:x``, ``LOADSILENT<x>``), escaped forms included."""
    for toks in _readings(text):
        depth = 0
        for i, token in enumerate(toks):
            if token.kind == "punct" and token.text in "{}":
                depth += 1 if token.text == "{" else -1
            if not _head(token).startswith("LOAD"):
                continue
            if ":" not in token.text or (depth <= 0 and not (i and toks[i - 1].is_keyword("PREFIX"))):
                return True
    return False


def has_keyword(text: str, *words: str) -> bool:
    """Whether any of ``words`` occurs as a keyword (not in a string, IRI or comment)."""
    upper = tuple(word.upper() for word in words)
    return any(token.is_keyword(*upper) for token in tokens(text))


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first query-form keyword of ``text``."""
    for token in tokens(text):
        if token.is_keyword(*QUERY_FORMS):
            return token.text.upper()
    raise SparqlTextError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset with FROM or FROM NAMED."""
    return has_keyword(text, "FROM")


def _matching_brace(toks: Sequence[Token], opening: int) -> int:
    depth = 0
    for i in range(opening, len(toks)):
        if toks[i].text == "{" and toks[i].kind == "punct":
            depth += 1
        elif toks[i].text == "}" and toks[i].kind == "punct":
            depth -= 1
            if depth == 0:
                return i
    raise SparqlTextError("unbalanced braces")


def _where_group(toks: Sequence[Token]) -> int:
    """The index of the ``{`` that opens the query's WHERE pattern."""
    form_at = next((i for i, t in enumerate(toks) if t.is_keyword(*QUERY_FORMS)), None)
    if form_at is None:
        raise SparqlTextError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")
    i = form_at + 1
    if toks[form_at].is_keyword("CONSTRUCT"):
        if i < len(toks) and toks[i].is_keyword("WHERE"):
            raise SparqlTextError("bindings need the long form CONSTRUCT { template } WHERE { pattern }")
        if i < len(toks) and toks[i].text == "{":
            i = _matching_brace(toks, i) + 1
    parens = 0
    for j in range(i, len(toks)):
        text = toks[j].text if toks[j].kind == "punct" else ""
        if text == "(":
            parens += 1
        elif text == ")":
            parens -= 1
        elif text == "{" and parens == 0:
            return j
    raise SparqlTextError("bindings need a WHERE clause")


def values_block(bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode]) -> str:
    """A ``VALUES`` block of one row, each value written as a serialised RDF term."""
    names = []
    values = []
    for name, term in bindings.items():
        if not re.fullmatch(r"[A-Za-z0-9_\u00B7-\uFFFF]+", name):
            raise SparqlTextError(f"not a variable name: {name!r}")
        if isinstance(term, ox.BlankNode):
            raise SparqlTextError(f"?{name}: a blank node cannot be bound on a remote server")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise SparqlTextError(f"?{name}: bind an RDF term (NamedNode or Literal), not {type(term).__name__}")
        names.append(f"?{name}")
        values.append(str(term))  # N-Triples syntax: IRIs validated, literals escaped
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }}"


def with_values(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode]) -> str:
    """``text`` with a one-row ``VALUES`` block that fixes the bound variables, first in its WHERE pattern.

    ``WHERE { P }`` becomes ``WHERE { VALUES (...) { (...) } P }``: the values are the pattern's initial solution,
    as with an engine's own substitution, and engines use them to look up what P needs (``WHERE { SELECT ... }``
    becomes ``WHERE { VALUES ... { SELECT ... } }``). The terms are written in N-Triples syntax, never as raw text.
    """
    if not bindings:
        return text
    toks = tokens(text)
    opening = _where_group(toks)
    closing = _matching_brace(toks, opening)
    # A subquery that returns a bound variable gets the value too, as with an engine's own substitution.
    for i in range(closing - 1, opening, -1):
        if toks[i].is_keyword("SELECT"):
            group = _group_after(toks, i)
            returned = {t.text[1:] for t in toks[i + 1 : group] if t.kind == "var"}
            star = any(t.text == "*" for t in toks[i + 1 : group])
            inside = {t.text[1:] for t in toks[group : _matching_brace(toks, group)] if t.kind == "var"}
            fixed = {n: v for n, v in bindings.items() if n in returned or (star and n in inside)}
            if fixed:
                text = f"{text[: toks[group].end]} {values_block(fixed)} {text[toks[group].end :]}"
    toks = tokens(text)
    opening = _where_group(toks)
    closing = _matching_brace(toks, opening)
    start, end = toks[opening].end, toks[closing].start
    if opening + 1 < closing and toks[opening + 1].is_keyword("SELECT"):
        return f"{text[:start]} {values_block(bindings)} {{{text[start:end]}}} {text[end:]}"
    return f"{text[:start]} {values_block(bindings)} {text[start:]}"


def _group_after(toks: Sequence[Token], select: int) -> int:
    """The index of the ``{`` that opens the pattern of the SELECT at ``select`` (past its projection)."""
    parens = 0
    for j in range(select + 1, len(toks)):
        text = toks[j].text if toks[j].kind == "punct" else ""
        if text == "(":
            parens += 1
        elif text == ")":
            parens -= 1
        elif text == "{" and parens == 0:
            return j
    raise SparqlTextError("a subquery without a pattern")


def with_union_deletes(text: str, graphs: Sequence[str]) -> str:
    """``text`` (an update) made to read and delete from the union of ``graphs``, as queries read it.

    Each ``DELETE WHERE { P }`` that names no graph becomes ``DELETE { P GRAPH <g> { P } ... } USING <g> ... WHERE
    { P }``; each ``DELETE { T } INSERT { I } WHERE { P }`` (either template alone too) without ``WITH`` or
    ``USING`` gets ``USING <g>`` and ``USING NAMED <g>`` for every graph, so that ``P`` is matched against their
    union (``GRAPH`` patterns still see each graph), and a delete template that names no graph deletes what it
    matches from whichever graph holds it.
    """
    if not graphs:
        return text
    toks = tokens(text)

    def copies(template: str) -> str:
        return " ".join(f"GRAPH {graph} {{ {template} }}" for graph in names)

    names = [str(ox.NamedNode(graph)) for graph in graphs]  # serialised as RDF terms (a bad IRI is refused)
    using = " ".join(f"USING {graph}" for graph in names)
    using_named = " ".join(f"USING NAMED {graph}" for graph in names)
    pieces: list[str] = []
    copied = 0
    i = 0
    while i + 2 < len(toks):
        opening = toks[i + 2]
        if toks[i].is_keyword("DELETE") and toks[i + 1].is_keyword("WHERE") and opening.text == "{":
            closing = _matching_brace(toks, i + 2)
            if not any(t.is_keyword("GRAPH") for t in toks[i + 3 : closing]):
                pattern = text[opening.end : toks[closing].start]
                pieces += [
                    text[copied : toks[i].start],
                    f"DELETE {{ {pattern} {copies(pattern)} }} {using} WHERE {{ {pattern} }}",
                ]
                copied = toks[closing].end
            i = closing + 1
            continue
        modify = _modify_at(toks, i)
        if modify is None:
            i += 1
            continue
        delete, insert, where = modify
        rewritten = ""
        if delete is not None:
            template = text[toks[delete[0]].end : toks[delete[1]].start]
            named = any(t.is_keyword("GRAPH") for t in toks[delete[0] : delete[1]])
            rewritten += f"DELETE {{ {template} {'' if named else copies(template)} }} "
        if insert is not None:
            rewritten += f"INSERT {text[toks[insert[0]].start : toks[insert[1]].end]} "
        pieces += [text[copied : toks[i].start], f"{rewritten}{using} {using_named} WHERE "]
        copied = toks[where].end
        i = where + 1
    return "".join(pieces) + text[copied:]


def _modify_at(toks: Sequence[Token], i: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None, int] | None:
    """A ``DELETE { } INSERT { } WHERE`` operation starting at token ``i`` with no ``WITH`` before it and no
    ``USING`` in it: the delete and insert templates' braces (either may be absent) and the ``WHERE`` token."""
    if i > 1 and toks[i - 2].is_keyword("WITH"):
        return None
    delete = insert = None
    j = i
    for keyword in ("DELETE", "INSERT"):
        if j + 1 < len(toks) and toks[j].is_keyword(keyword) and toks[j + 1].text == "{":
            closing = _matching_brace(toks, j + 1)
            if keyword == "DELETE":
                delete = (j + 1, closing)
            else:
                insert = (j + 1, closing)
            j = closing + 1
    if (delete is None and insert is None) or j >= len(toks) or not toks[j].is_keyword("WHERE"):
        return None
    return delete, insert, j
