"""How each class of entity looks in the view: a colour and a vis-network shape, and the order of the legend."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ClassStyle:
    """The look of one class: fill colour, vis-network shape, and its rank in the legend (lower first)."""

    color: str
    shape: str
    rank: int


#: kgraph classes (local names) and their look. Shapes are the fast ones of vis-network (no text measuring).
CLASS_STYLES: dict[str, ClassStyle] = {
    "Company": ClassStyle("#2f6fdf", "dot", 0),
    "BusinessUnit": ClassStyle("#7fa8ee", "dot", 1),
    "LargeLanguageModel": ClassStyle("#d9480f", "diamond", 2),
    "AIProduct": ClassStyle("#f08c00", "diamond", 3),
    "Product": ClassStyle("#f5b041", "diamond", 4),
    "Market": ClassStyle("#2b9348", "triangle", 5),
    "Industry": ClassStyle("#55a630", "hexagon", 6),
    "Headwind": ClassStyle("#c92a2a", "triangleDown", 7),
    "Topic": ClassStyle("#9c36b5", "star", 8),
    "Organization": ClassStyle("#4c6ef5", "dot", 9),
    "NewsPublisher": ClassStyle("#495057", "square", 10),
    "AnonymousSource": ClassStyle("#868e96", "dot", 11),
    "NewsArticle": ClassStyle("#adb5bd", "square", 12),
    "ReferenceSource": ClassStyle("#ced4da", "square", 13),
    "Source": ClassStyle("#ced4da", "square", 14),
}

_FALLBACK_COLORS = ("#1098ad", "#e64980", "#5c940d", "#7048e8", "#e67700", "#0b7285", "#a61e4d", "#364fc7")
_FALLBACK_SHAPES = ("dot", "square", "diamond", "triangle", "hexagon", "star")


def class_style(kind: str) -> ClassStyle:
    """The look of class ``kind``; a class kgraph does not know gets a stable colour and shape from its name."""
    known = CLASS_STYLES.get(kind)
    if known:
        return known
    digest = hashlib.sha256(kind.encode("utf-8")).digest()
    return ClassStyle(
        _FALLBACK_COLORS[digest[0] % len(_FALLBACK_COLORS)],
        _FALLBACK_SHAPES[digest[1] % len(_FALLBACK_SHAPES)],
        100,
    )
