"""Who develops which product: "X's Y", "X, the maker of Y", "Y was built by X", "the company's Y"."""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.mentions import company_like

_MAKER_OF = re.compile(
    r",?\s+(?:(?:the|a|an)\s+(?:[\w-]+\s+){0,4}?)?(?:behind|developer of|maker of|creator of)\s+(?:the\s+)?|"
    r",?\s+(?:which\s+|that\s+)?(?:develops|developed|builds|built|makes|created)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_OWNED = re.compile(r"^the (?:company|start-up|startup|firm|group)['’]s\s+", re.IGNORECASE)
_BUILT_BY = re.compile(r"\b(?:was|were|is)\s+(?:built|developed|created|made)\s+by\s+")


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """Every developer-product pair a sentence names."""
    text, mentions = line.text, line.mentions
    pairs: list[tuple[str, str, bool]] = []
    for first, second in zip(mentions, mentions[1:], strict=False):
        between = text[first.end : second.start]
        if first.possessive and between in ("'s ", "’s ") and context.is_org(first, text):
            if context.is_product(second, text) or (not second.known and not company_like(second)):
                pairs.append((context.canonical(first), context.canonical(second), False))
        elif context.is_org(first, text) and _MAKER_OF.fullmatch(between):
            pairs.append((context.canonical(first), context.canonical(second), False))
    owned = _OWNED.match(text)
    if owned and context.focus.company:
        product = next((m for m in mentions if m.start == owned.end()), None)
        if product is not None and context.is_product(product, text):
            pairs.append((context.focus.company, context.canonical(product), True))
    built = _BUILT_BY.search(text)
    if built:
        maker = next((m for m in mentions if m.start == built.end()), None)
        named = [m for m in mentions if m.end <= built.start()]
        referred = lexicon.PRODUCT_REFERENCES.search(text[: built.start()])
        product_name = context.canonical(named[-1]) if named else (context.focus.product if referred else None)
        if maker is not None and product_name:
            pairs.append((context.canonical(maker), product_name, not named))
    drafts = []
    for developer, product_name, from_context in pairs:
        if developer == product_name:
            continue
        context.mark(product_name, "product", text)
        context.mark(developer, "company")
        context.hint(product_name, developer=developer)
        drafts.append(
            context.draft(
                "develops", developer, object=product_name, key=product_name, confidence=0.75 - 0.1 * from_context
            )
        )
    return drafts
