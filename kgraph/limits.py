"""Budgets on input: what a reader accepts before it spends memory or time on a file.

A few hundred bytes can ask a parser for gigabytes: YAML aliases that refer to lists of aliases, XML entities that
expand to other entities, numbers with millions of digits, nesting deeper than the interpreter's stack. Readers
check these budgets on the parsed structure (or the raw text) first and report a :class:`~kgraph.errors.Problem`
with the file and line, so that nothing is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

#: Values a YAML document may hold once its aliases are expanded (the curated sheets hold a few hundred).
YAML_MAX_VALUES = 100_000
#: Digits of a number written in a fact sheet (money in any currency fits in 24).
MAX_NUMBER_DIGITS = 30
#: Characters that XML entity references in an RDF/XML file may expand to, beyond the file's own size.
XML_MAX_ENTITY_EXPANSION = 1_000_000
#: Inferred triples a write may add, per asserted triple (the seed landscape infers less than one per triple).
INFERRED_PER_ASSERTED = 10
#: Inferred triples any write may add, whatever its size.
INFERRED_FLOOR = 100_000

_NUMERIC_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class OverBudget:
    """Why an input is refused, and the line (1-based) where it shows."""

    line: int | None
    message: str


def check_yaml_node(root: yaml.Node, *, max_values: int = YAML_MAX_VALUES) -> OverBudget | None:
    """The first budget a composed YAML document breaks: values after alias expansion, or a number's digits.

    Aliases share nodes, so the expanded size is counted with one visit per distinct node (a node's size is
    memoised), which keeps the check linear in the document even when the expansion is exponential.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _NUMERIC_TAGS and len(_DIGITS.findall(node.value)) > MAX_NUMBER_DIGITS:
                return OverBudget(
                    node.start_mark.line + 1, f"a number with more than {MAX_NUMBER_DIGITS} digits is not accepted"
                )
            sizes[key] = 1
            continue
        children = (
            [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
        )
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > max_values:
                return OverBudget(
                    node.start_mark.line + 1,
                    f"the document expands to more than {max_values:,} values through its aliases (&anchor/*alias)",
                )
            continue
        if key in on_path:
            return OverBudget(node.start_mark.line + 1, "an alias refers to the value that contains it")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return None


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s]+)\s+(?:(SYSTEM|PUBLIC)\b|([\"'])(.*?)\4)", re.DOTALL)
_ENTITY_REFERENCE = re.compile(rb"&([A-Za-z_][\w.-]*);")


def check_xml_entities(raw: bytes, *, max_expansion: int = XML_MAX_ENTITY_EXPANSION) -> OverBudget | None:
    """Refuse XML whose entities reach outside the file or expand past ``max_expansion`` characters.

    RDF/XML files written by ontology editors declare entities as namespace abbreviations (``&rdf;``); those are
    small and accepted. External entities (``SYSTEM``/``PUBLIC``) and parameter entities are refused outright.
    """
    if b"<!ENTITY" not in raw:
        return None
    values: dict[bytes, bytes] = {}
    for match in _ENTITY_DECLARATION.finditer(raw):
        line = raw[: match.start()].count(b"\n") + 1
        if match.group(1) or match.group(3):
            return OverBudget(line, "external and parameter entities are not accepted in XML input")
        values.setdefault(match.group(2), match.group(5) or b"")
    lengths: dict[bytes, int] = {}

    def expanded(name: bytes, seen: frozenset[bytes]) -> int:
        if name in lengths:
            return lengths[name]
        if name in seen:
            return max_expansion + 1  # a cycle never ends
        value = values.get(name, b"")
        total = len(_ENTITY_REFERENCE.sub(b"", value))
        for reference in _ENTITY_REFERENCE.findall(value):
            total += expanded(reference, seen | {name})
            if total > max_expansion:
                break
        lengths[name] = total
        return total

    total = 0
    body_start = raw.find(b"]>") if b"<!DOCTYPE" in raw else 0
    for reference in _ENTITY_REFERENCE.finditer(raw, max(body_start, 0)):
        if reference.group(1) in values:
            total += expanded(reference.group(1), frozenset())
        if total > max_expansion:
            line = raw[: reference.start()].count(b"\n") + 1
            return OverBudget(line, f"XML entities expand to more than {max_expansion:,} characters (an entity bomb?)")
    return None


def inferred_budget(asserted: int) -> int:
    """The most inferred triples a landscape of ``asserted`` triples may have."""
    return max(INFERRED_FLOOR, INFERRED_PER_ASSERTED * asserted)


#: Groups, brackets and parentheses a SPARQL text may nest (Oxigraph's parser overflows the stack in the thousands).
MAX_QUERY_NESTING = 200
_OPENING, _CLOSING = frozenset("{(["), frozenset("})]")


def check_query_nesting(sparql: str, *, max_depth: int = MAX_QUERY_NESTING) -> OverBudget | None:
    """Refuse SPARQL text nested deeper than ``max_depth`` before a parser recurses into it.

    Brackets are counted on the text's tokens, so those inside strings, IRIs and comments do not count.
    """
    from kgraph.sparql.lexer import SparqlTextError, tokens

    depth = 0
    try:
        found = tokens(sparql)
    except SparqlTextError:
        return None  # the engine reports the syntax error itself, with its position
    for token in found:
        if token.kind != "punct":
            continue
        if token.text in _OPENING:
            depth += 1
            if depth > max_depth:
                line = sparql.count("\n", 0, token.start) + 1
                return OverBudget(line, f"the query nests groups and expressions more than {max_depth} levels deep")
        elif token.text in _CLOSING:
            depth = max(depth - 1, 0)
    return None
