"""Who develops which product: "X's Y", "X, the maker of Y", "Y was built by X", "the company's Y"."""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft
from kgraph.ingest.mentions import Mention, company_like, event

_MAKER_OF = re.compile(
    r",?\s+(?:(?:the|a|an)\s+(?:[\w-]+\s+){0,4}?)?(?:behind|developer of|maker of|creator of)\s+(?:the\s+)?|"
    r",?\s+(?:(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?(?:which|that)\s+|which\s+|that\s+)?(?:develops|developed|builds|"
    r"built|makes|created)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_MADE_BY = re.compile(
    r",\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,4}?(?:built|developed|created|made|designed|trained|produced)\s+by\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,3}?|,\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?"
    + lexicon.PRODUCT_KIND
    + r"\s+(?:from|by)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_DEVELOPER_OF = re.compile(
    r"\b(?:is|was|as|became)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:developer|maker|creator)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_KIND_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?" + lexicon.AI_KIND + r"\b(?!,? (?:among|included|including|such as))", re.IGNORECASE
)
#: "Nvidia's A100 processors", "Apple's iPhones": devices and services, not the models the articles are about.
_HARDWARE_AFTER = re.compile(
    r"(?:\s+[\w-]+)?\s+(?:processors?|chips?|gpus?|phones?|smartphones?|handsets?|devices?|cloud|search engine|"
    r"browser|platform|servers?|data cent(?:re|er)s?)\b",
    re.IGNORECASE,
)
_OWN_MODEL = re.compile(r"['’]s\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?" + lexicon.AI_KIND + r",\s+", re.IGNORECASE)
_THE_KIND = re.compile(r",\s+the\s+(?:[\w-]+\s+){0,2}?" + lexicon.AI_KIND + r"\s+", re.IGNORECASE)
_VERSION_OF = re.compile(
    r",\s+(?:the|a|an|its)\s+(?:[\w-]+\s+){0,3}?(?:version|generation|edition|successor|update|iteration)\s+of\s+",
    re.IGNORECASE,
)
_WHOSE = re.compile(r"\bwhose\s+$", re.IGNORECASE)
_OWNED = re.compile(r"^the (?:company|start-up|startup|firm|group)['’]s\s+", re.IGNORECASE)
_BUILT_BY = re.compile(r"\b(?:was|were|is)\s+(?:built|developed|created|made)\s+by\s+")


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """Every developer-product pair a sentence names."""
    text, mentions = line.text, line.mentions
    pairs: list[tuple[str, str, bool]] = []
    for first, second in zip(mentions, mentions[1:], strict=False):
        between = text[first.end : second.start]
        if (
            first.possessive
            and between in ("'s ", "’s ")
            and context.is_org(first, text)
            and not event(second)
            and not _HARDWARE_AFTER.match(text, second.end)
        ):
            if context.is_product(second, text) or (not second.known and not company_like(second)):
                pairs.append((context.canonical(first), context.canonical(second), False))
        elif context.is_org(first, text) and (_MAKER_OF.fullmatch(between) or _OWN_MODEL.fullmatch(between)):
            pairs.append((context.canonical(first), context.canonical(second), False))  # "JD Health's own model, X"
        elif (
            _product_named(context, first, text)
            and _maker_named(context, second, text)
            and _made_by(text, between, second)
        ):
            pairs.append((context.canonical(second), context.canonical(first), False))
    for mention in mentions:
        whose = _WHOSE.search(text, max(0, mention.start - 12), mention.start)
        if whose and _product_named(context, mention, text) and _KIND_AFTER.match(text, mention.end):
            owner = next((m for m in reversed(mentions) if m.end <= whose.start() and context.is_org(m, text)), None)
            if owner is not None:  # "OpenAI, the start-up whose ChatGPT chatbot..."
                pairs.append((context.canonical(owner), context.canonical(mention), False))
        elif _product_named(context, mention, text) and _owned_by_subject(text, mention):
            developer, from_context = context.subject_before(line, mention.start)
            if developer is not None:
                pairs.append((developer, context.canonical(mention), from_context))
        elif _DEVELOPER_OF.search(text[: mention.start]) and not company_like(mention):
            developer, from_context = context.subject_before(line, mention.start)
            if developer is not None:
                pairs.append((developer, context.canonical(mention), from_context))
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


def _product_named(context: ArticleContext, mention: Mention, text: str) -> bool:
    """Whether ``mention`` may name a product: known as one, or unknown and not written like a company."""
    if mention.known:
        return context.is_product(mention, text)
    return not company_like(mention) and context.kinds.get(context.canonical(mention)) != "company"


def _maker_named(context: ArticleContext, mention: Mention, text: str) -> bool:
    """Whether ``mention`` may name a developer: an organisation, or an unknown name not used as a product's."""
    if mention.known or company_like(mention):
        return context.is_org(mention, text)
    return context.kinds.get(context.canonical(mention)) != "product" and not re.search(r"\d", mention.name)


def _made_by(text: str, between: str, maker: Mention) -> bool:
    """ "X, the model built by Y", "X, the assistant from Y", "X, Y's chatbot", "X, the Y model"."""
    if _MADE_BY.fullmatch(between) or (between == " from " and not maker.possessive):
        return True  # "GPT-4 from OpenAI"
    if maker.possessive and _VERSION_OF.fullmatch(between):
        return True  # "Drive Thor, the next generation of Nvidia's in-vehicle chips"
    if _THE_KIND.fullmatch(between) and re.match(
        r"\s+(?:released|built|developed|launched|made|created)\b", text[maker.end :]
    ):
        return True  # "Vega, the model JD.com released last year"
    after = text[maker.end + 2 :] if maker.possessive else text[maker.end :]
    if between.strip() == "," and maker.possessive:
        return bool(_KIND_AFTER.match(after))
    return bool(re.fullmatch(r",\s+the\s+", between)) and bool(_KIND_AFTER.match(after))


def _owned_by_subject(text: str, mention: Mention) -> bool:
    """ "its Qwen 2.5 model", "DeepSeek R1, its flagship model": the product of whoever the clause is about."""
    before = re.search(r"\b(?:its|their)\s+$", text[max(0, mention.start - 8) : mention.start])
    if before and _KIND_AFTER.match(text[mention.end :]):
        return True
    return bool(
        re.match(
            r",\s+(?:its|their|the (?:company|firm|start-up|startup|group)['’]s)\s+(?:[\w-]+\s+){0,3}?(?:"
            + lexicon.AI_KIND
            + r"\b|answer to\b)",
            text[mention.end :],
        )
    )
