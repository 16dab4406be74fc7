"""Product launches: who launched which product, and when."""

from __future__ import annotations

import re

from kgraph.factsheet.models import DateValue
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


#: A launch told as the time of something else, in a clause of its own ("Since X released Y, ...").
_BACKGROUND = re.compile(
    r"(?:^|[,;:]\s+|\b(?:and|but)\s+)(?:ever\s+)?(?:since|after|when|before|until|once)\s+(?:[\w.'’-]+\s+){0,4}$",
    re.IGNORECASE,
)
_KINDS_LISTED = re.compile(r"\s*(?:[\w-]+\s+){0,3}?" + lexicon.AI_KIND + r",\s+", re.IGNORECASE)


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """Each launch a sentence reports: "X unveiled Y", "X and Z released Y", "X published two models, Y and W",
    "Y was released by X"."""
    text, mentions = line.text, line.mentions
    drafts = []
    for match in lexicon.LAUNCH.finditer(text):
        if _NOT_A_PRODUCT.match(text, match.end()) or context.hedged(line, match.start()):
            continue  # "put out a statement", "released its results", "plans to launch"
        if _BACKGROUND.search(text, 0, match.start()) and not context.dates_in(text):
            continue  # "Since OpenAI released ChatGPT, start-ups have raised...": the scene, not the news
        after = [m for m in mentions if m.start >= match.end() and m.start - match.end() < 30]
        if re.match(r"opened|made", match.group(), re.IGNORECASE):  # "opened its Nimbus chatbot to the public"
            after = [m for m in mentions if match.start() < m.start < match.end()]
        product = next((m for m in after[:1] if context.launchable(m, text) or _quoted(text, m)), None)
        gap = text[match.end() : product.start] if product is not None else ""
        if product is not None and re.search(r"[,;]", gap) and not _KINDS_LISTED.fullmatch(gap):
            product = None
        passive = False
        if product is None:
            relative = _relative_product(context, line, match)
            if relative is not None:  # "Nimbus 2, which Tensor Labs unveiled on Thursday"
                maker, item = relative
                draft = _launch(context, line, match, context.canonical(maker), item, False)
                drafts.extend([draft] if draft is not None else [])
                continue
            product = _passive_product(context, line, match)
            passive = product is not None
        if product is None:
            continue
        owner = _owner(context, line, product) if passive else None
        if owner is not None:  # "Tensor Labs' Nimbus chatbot, unveiled on Thursday"
            draft = _launch(context, line, match, owner, product, False)
            drafts.extend([draft] if draft is not None else [])
            continue
        products = [product]
        if not passive:  # "two pre-trained models, Yi-34B and Yi-6B"
            products = [m for m in context.list_after(line, product.start) if context.launchable(m, text)] or products
        for subject, from_context in _makers(context, line, match, passive):
            for item in products:
                draft = _launch(context, line, match, subject, item, from_context)
                if draft is not None:
                    drafts.append(draft)
    return drafts


def _passive_product(context: ArticleContext, line: Line, match: re.Match[str]) -> Mention | None:
    """The product named before the verb: "Ernie 4.0 was released", "Its latest version, Ernie 4.0, came out"."""
    text = line.text
    before = [m for m in line.mentions if m.end <= match.start()]
    gap = text[before[-1].end : match.start()] if before else ""
    if before and re.fullmatch(r"[\w\s-]*?,?\s*(?:was |were |is |has been )?", gap):
        candidate = before[-1]
        passive_voice = re.search(r"\b(?:was|were|is|has been|been)\s+$", gap)
        if context.launchable(candidate, text) and (passive_voice or context.is_product(candidate, text)):
            return candidate
    return None


def _relative_product(context: ArticleContext, line: Line, match: re.Match[str]) -> tuple[Mention, Mention] | None:
    """The maker and the product of a relative clause: "Nimbus 2, which Tensor Labs unveiled", "the model that X
    released"."""
    text = line.text
    before = [m for m in line.mentions if m.end <= match.start()]
    if len(before) < 2 or not re.fullmatch(
        r"\s+(?:has |had |also |first |quietly )?", text[before[-1].end : match.start()]
    ):
        return None
    product, maker = before[-2], before[-1]
    if not re.fullmatch(r",?\s+(?:which|that)\s+", text[product.end : maker.start]):
        return None
    if re.match(r"\s+as\b", text[match.end() :]):
        return None  # "a deal that Stability had presented as a partnership"
    if not context.launchable(product, text) or context.is_org(product, text) or not context.is_org(maker, text):
        return None
    return maker, product


def _owner(context: ArticleContext, line: Line, product: Mention) -> str | None:
    """The organisation a product is written as belonging to ("Tensor Labs' Nimbus"), unless "by X" names another."""
    before = [m for m in line.mentions if m.end <= product.start]
    if not before or not before[-1].possessive or not context.is_org(before[-1], line.text):
        return None
    if line.text[before[-1].end : product.start].strip() not in ("'s", "’s", "'", "’"):
        return None
    if re.search(r"\bby\s+[A-Z]", line.text[product.end :]):
        return None
    return context.canonical(before[-1])


def _makers(context: ArticleContext, line: Line, match: re.Match[str], passive: bool) -> list[tuple[str | None, bool]]:
    """Who launched: "by X" after a passive verb, the organisations listed right before the verb, or the subject."""
    text = line.text
    if passive:
        by = re.match(r"\s+by\s+", text[match.end() :])
        maker = next((m for m in line.mentions if by and m.start == match.end() + by.end()), None)
        return [(context.canonical(maker), False) if maker else (context.focus.company, True)]
    listed = [m for m in context.list_before(line, match.start(), reach=12) if context.is_org(m, text)]
    if len(listed) > 1:  # "Shengshu Technology and Tsinghua University released Vidu"
        return [(context.canonical(m), False) for m in listed]
    return [context.subject_before(line, match.start())]


def _launch(
    context: ArticleContext, line: Line, match: re.Match[str], subject: str | None, product: Mention, guessed: bool
) -> Draft | None:
    text = line.text
    name = context.canonical(product)
    if subject is None or subject == name:
        return None
    context.mark(name, "product", text)
    context.mark(subject, "company")
    context.hint(name, developer=subject)
    dates = context.dates_in(text)
    nearest = min(dates, key=lambda d: min(abs(d.start - match.start()), abs(d.end - match.start())), default=None)
    draft = context.draft("product_launch", subject, object=name, key=name, confidence=0.8 - 0.1 * guessed)
    if draft.date is None and nearest is not None:
        draft.date = nearest.value  # the date written closest to the verb
    context.focus.product = name
    return draft


def _quoted(text: str, mention: Mention) -> bool:
    """Whether a name is written in quotes ("Apple Intelligence"): a product's name, whatever its words."""
    return text[mention.start - 1 : mention.start] in ('"', "“") and text[mention.end : mention.end + 1] in ('"', "”")


def date_undated(context: ArticleContext, lines: list[Line]) -> None:
    """Give a launch the article writes without a date the day of the article's news: the first day it names in the
    week before publication ("said on Tuesday"), marked as inferred. Nothing when it names no such day."""
    undated = [d for d in context.drafts_of("product_launch") if d.date is None]
    if not undated or context.published is None:
        return
    day = next(
        (
            found.value
            for line in lines
            if not line.sentence.is_title
            for found in find_dates(line.text, published=context.published)
            if found.value.precision == "day" and 0 <= (context.published - found.value.earliest).days <= 7
        ),
        None,
    )
    if day is None:
        return
    note = f"no date given for the launch: the day of the article's news ({day.value})"
    for draft in undated:
        draft.date = DateValue(value=day.value, inferred=True, note=note)
