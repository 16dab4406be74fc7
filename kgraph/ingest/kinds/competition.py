"""Rivalries: "X competes with Y", "a rival to Y", "the race among A, B and C"; not a guess ("could match"), a
negation ("does not compete with") or the word of people the article does not name ("analysts say")."""

from __future__ import annotations

import re

from kgraph.ingest import lexicon
from kgraph.ingest.context import ArticleContext, Line
from kgraph.ingest.draft import Draft

#: What may stand between a name and the verb of a relative clause about it ("X, its flagship model, which it says").
_RELATIVE = re.compile(
    r"(?:\s+" + lexicon.PRODUCT_KIND + r")?(?:,\s+(?:(?:its|their|a|an|the)\s+)?(?:[\w-]+\s+){0,3}?[\w-]+)?,?\s+"
    r"(?:that|which)\s+(?:(?:it|they|the company)\s+(?:says|said|claims|claimed)\s+)?",
    re.IGNORECASE,
)


_APPOSITIVE_THEN_VERB = re.compile(r",\s+(?:the|a|an|its|their)\s+[^,;]{0,80},\s+(?:[\w-]+\s+){0,3}?", re.I)
_LIKENED = re.compile(r"\b(?:described|known|dubbed|billed|seen|hailed) as\b", re.IGNORECASE)
_GENERIC_SUBJECT = re.compile(
    r"\W*(?:yet\s+)?(?:another|other|others|some|many|several|analysts|investors|critics|observers|experts)\b", re.I
)


def read(context: ArticleContext, line: Line) -> list[Draft]:
    """The rivalries a sentence states, one draft per rival."""
    text = line.text
    drafts = []
    race = lexicon.RACE_AMONG.search(text)
    if race:
        rivals = context.list_after(line, race.end())
        if len(rivals) >= 2:
            names = [context.canonical(m) for m in rivals]
            drafts.append(context.draft("competition", names[0], participants=names[1:], key=None, confidence=0.7))
    for match in lexicon.COMPETITION.finditer(text):
        if context.hedged(line, match.end()) or _hearsay(text):
            continue  # "could match GPT-4", "some observers say it is on a par with GPT-4o": no stated rivalry
        if "answer" in match.group().lower() and _LIKENED.search(text, max(0, match.start() - 40), match.start()):
            continue  # "Baidu, described as China's answer to Google": a likeness, not a rivalry
        drafts.extend(_rivalry(context, line, match))
    return drafts


def _hearsay(text: str) -> bool:
    """Whether a sentence tells its comparison as the word of people it does not name ("..., analysts say")."""
    return bool(lexicon.UNNAMED_SOURCES.search(text))


def _rivalry(context: ArticleContext, line: Line, match: re.Match[str]) -> list[Draft]:
    text = line.text
    if re.match(r"one of|among", match.group(), re.IGNORECASE):  # "one of OpenAI's most serious challengers"
        rivals = [m for m in line.mentions if match.start() <= m.start < match.end()]
    else:
        rivals = context.list_after(line, match.end(), reach=60)
    if match.group().lower().startswith("join"):
        contest = re.search(r"\b(race|battle|fight|contest)\b", text)
        rivals = [m for m in rivals if contest is not None and m.start < contest.start()]
    if not rivals:
        return []
    subject, guessed = _subject(context, line, match)
    objects = [context.canonical(m) for m in rivals if context.canonical(m) != subject]
    if subject is None or not objects:
        return []
    # a rival of the company the article is about, the sentence naming no subject, is a guess: a lower confidence
    return [context.pair("competition", subject, rival, confidence=0.5 if guessed else 0.7) for rival in objects]


def _subject(context: ArticleContext, line: Line, match: re.Match[str]) -> tuple[str | None, bool]:
    """Who the rivalry is about, and whether it is taken from the article rather than the sentence."""
    text = line.text
    before = [m for m in line.mentions if m.end <= match.start()]
    if (
        len(before) >= 2
        and before[-1].possessive
        and re.fullmatch(r",\s+", text[before[-2].end : before[-1].start])
        and re.fullmatch(r"['’]s?\s+(?:[\w-]+\s+){0,2}?", text[before[-1].end : match.start()])
        and not context.is_org(before[-2], text)
    ):
        return context.canonical(before[-2]), False  # "Nimbus, Tensor Labs' answer to ChatGPT": the product
    if before and re.fullmatch(
        r",\s+(?:(?:a|an|its|their)\s+)?(?:\w+\s+)?", text[before[-1].end : match.start()] + " "
    ):
        return context.canonical(before[-1]), False
    gap = text[before[-1].end : match.start()] if before else ""
    if before and (_RELATIVE.fullmatch(gap) or _APPOSITIVE_THEN_VERB.fullmatch(gap)):
        return context.canonical(before[-1]), False  # "Claude 2, a chatbot that goes up against..."
    if before and context.is_product(before[-1], text) and len(gap) < 25 and not re.search(r"[,;]", gap):
        return context.canonical(before[-1]), False  # "Pi chatbot competes with..."
    launched = next(
        (
            d
            for d in context.drafts_of("product_launch")
            if d.object and any(context.canonical(m) == d.object for m in before)
        ),
        None,
    )
    if launched is not None:
        return launched.object, False
    if lexicon.PRODUCT_REFERENCES.search(text[max(0, match.start() - 45) : match.start()]) and context.focus.product:
        return context.focus.product, True
    subject, from_context = context.subject_before(line, match.start())
    if from_context and _GENERIC_SUBJECT.match(text):
        return None, True  # "Yet another model claims to have overtaken GPT-4": not the company the article is about
    return subject, from_context
