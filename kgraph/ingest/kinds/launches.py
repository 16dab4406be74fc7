"""Product launches: who launched which product, and when."""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.dates import find_dates
from kgraph.ingest.draft import Draft
from kgraph.ingest.mentions import Mention

_NOT_A_PRODUCT = re.compile(
    r"\s+(?:(?:a|an|its|the|their)\s+)?(?:[\w-]+\s+)?(?:statement|report|figures|results|earnings|data|forecast|"
    r"outlook|guidance|memo|letter|filing|numbers|accounts)\b",
    re.IGNORECASE,
)


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """Each launch a sentence reports: "X unveiled Y" or "Y was released by X"."""
    text, mentions = line.text, line.mentions
    drafts = []
    for match in lexicon.LAUNCH.finditer(text):
        if _NOT_A_PRODUCT.match(text, match.end()) or context.hedged(line, match.start()):
            continue  # "put out a statement", "released its results", "plans to launch"
        after = [m for m in mentions if m.start >= match.end() and m.start - match.end() < 30]
        product = next((m for m in after[:1] if context.launchable(m, text) or _quoted(text, m)), None)
        if product is not None and re.search(r"[,;]", text[match.end() : product.start]):
            product = None
        passive = False
        if product is None:
            before = [m for m in mentions if m.end <= match.start()]
            gap = text[before[-1].end : match.start()] if before else ""
            if before and re.fullmatch(r"[\w\s-]*?,?\s*(?:was |were |is |has been )?", gap):
                candidate = before[-1]
                passive_voice = re.search(r"\b(?:was|were|is|has been|been)\s+$", gap)
                if context.launchable(candidate, text) and (passive_voice or context.is_product(candidate, text)):
                    product, passive = candidate, True
        if product is None:
            continue
        if passive:
            by = re.match(r"\s+by\s+", text[match.end() :])
            maker = next((m for m in mentions if by and m.start == match.end() + by.end()), None)
            subject = context.canonical(maker) if maker else context.focus.company
            from_context = maker is None
        else:
            subject, from_context = context.subject_before(line, match.start())
        if subject is None or subject == context.canonical(product):
            continue
        name = context.canonical(product)
        context.mark(name, "product", text)
        context.mark(subject, "company")
        context.hint(name, developer=subject)
        dates = find_dates(text, published=context.published)
        nearest = min(dates, key=lambda d: min(abs(d.start - match.start()), abs(d.end - match.start())), default=None)
        draft = context.draft("product_launch", subject, object=name, key=name, confidence=0.8 - 0.1 * from_context)
        if draft.date is None and nearest is not None:
            draft.date = nearest.value  # the date written closest to the verb
        context.focus.product = name
        drafts.append(draft)
    return drafts


def _quoted(text: str, mention: Mention) -> bool:
    """Whether a name is written in quotes ("Apple Intelligence"): a product's name, whatever its words."""
    return text[mention.start - 1 : mention.start] in ('"', "“") and text[mention.end : mention.end + 1] in ('"', "”")
