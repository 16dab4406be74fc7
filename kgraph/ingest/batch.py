"""Many articles at once: which files to read, one sheet per article written whole, and what may go in unreviewed.

:func:`ingest_article` reads, screens and extracts one article and writes its sheet atomically (an article that
fails leaves no file); :func:`without_review` keeps the facts of a sheet that need no review: grounded (not
``unverified``), with evidence, and at least as confident as asked.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.errors import DataError, KgraphError, Problem
from kgraph.factsheet.models import DateValue, FactSheet
from kgraph.ingest.article import MAX_ARTICLE_BYTES, Article, read_article_text
from kgraph.ingest.extract import Extractor
from kgraph.ingest.screen import screen
from kgraph.ingest.sheet import ProposedSheet, _references
from kgraph.resolve import EntityIndex

#: Files of a folder that are read as articles.
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm")


class Status(enum.IntEnum):
    """How an article went; the command's exit status is the most serious one (see ``kgraph ingest --help``)."""

    OK = 0
    FAILED = 1
    REFUSED = 2
    NO_FACTS = 3


@dataclass
class Outcome:
    """What ingesting one article gave."""

    name: str
    status: Status
    message: str | None = None
    proposed: ProposedSheet | None = None
    sheet_file: Path | None = None
    applied: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> Counter[str]:
        return Counter(fact.kind for fact in self.proposed.sheet.facts) if self.proposed else Counter()

    @property
    def new_entities(self) -> int:
        return sum(1 for entity in self.proposed.sheet.entities if entity.proposed) if self.proposed else 0

    @property
    def unverified(self) -> int:
        return sum(1 for fact in self.proposed.sheet.facts if fact.unverified) if self.proposed else 0


def exit_status(outcomes: Iterable[Outcome]) -> int:
    """2 if an article was refused, else 1 if one failed, else 3 if one had no facts, else 0."""
    statuses = {outcome.status for outcome in outcomes}
    for status in (Status.REFUSED, Status.FAILED, Status.NO_FACTS):
        if status in statuses:
            return int(status)
    return 0


def article_files(locations: Sequence[str]) -> list[str]:
    """The articles named: files as given (``-`` is standard input), folders by their article files, sorted."""
    found: list[str] = []
    for location in locations:
        path = Path(location)
        if location != "-" and path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )  # fmt: skip
            if not inside:
                raise DataError([Problem(location, None, None, f"no article files ({', '.join(ARTICLE_SUFFIXES)})")])
            found.extend(str(p) for p in inside)
        else:
            found.append(location)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class ArticleInfo:
    """What the command line says about the articles: the same for each of them."""

    url: str | None = None
    published: DateValue | None = None
    publisher: str | None = None
    title: str | None = None


def read_article(location: str, info: ArticleInfo) -> tuple[Article, list[str]]:
    """The article at ``location``, checked and screened, and notes on what was done to its text."""
    path = Path(location)
    if location != "-" and path.is_file() and path.stat().st_size > MAX_ARTICLE_BYTES:
        size = path.stat().st_size
        reason = f"the article is {size:,} bytes, over the limit of {MAX_ARTICLE_BYTES:,}: refused unread"
        raise DataError([Problem(location, None, None, reason)])
    text, name = read_article_text(location)
    text, notes = screen(text, name=name)
    article = Article(
        text, name=name, title=info.title, url=info.url, publisher=info.publisher, published=info.published
    )
    return article, notes


def ingest_article(
    location: str,
    *,
    info: ArticleInfo,
    index: EntityIndex,
    extractor: Extractor,
) -> Outcome:
    """Read, screen and extract one article; a refused or failed article is an outcome, not an exception."""
    from kgraph.ingest import propose

    try:
        article, notes = read_article(location, info)
        proposed = propose(article, index=index, extractor=extractor)
    except DataError as error:
        return Outcome(location, Status.REFUSED, "; ".join(str(problem) for problem in error.problems))
    except KgraphError as error:
        return Outcome(location, Status.FAILED, f"{location}: {error}")
    proposed.warnings[:0] = notes
    if not proposed.sheet.facts:
        return Outcome(location, Status.NO_FACTS, f"{location}: no facts found; no sheet written", proposed)
    return Outcome(location, Status.OK, None, proposed)


def without_review(sheet: FactSheet, *, min_confidence: float) -> FactSheet | None:
    """The part of ``sheet`` that needs no review, with the entities it uses; None when no fact qualifies."""
    facts = [
        fact
        for fact in sheet.facts
        if not fact.unverified and fact.evidence and fact.confidence is not None and fact.confidence >= min_confidence
    ]
    return sheet_with(sheet, facts) if facts else None


def sheet_with(sheet: FactSheet, facts: list) -> FactSheet:
    """``sheet`` with only ``facts`` (statements answering a fact left out go too) and the entities they need."""
    kept_ids = {fact.id for fact in facts}
    facts = [f for f in facts if getattr(f, "in_response_to", None) in (None, *kept_ids)]
    declared = {entity.id: entity for entity in sheet.entities}
    needed: set[str] = set()
    pending = list(_references(facts) | ({sheet.source.publisher} if sheet.source.publisher else set()))
    while pending:
        identifier = pending.pop()
        if identifier in needed or identifier not in declared:
            continue
        needed.add(identifier)
        entity = declared[identifier]
        pending += [ref for ref in (entity.developer, entity.unit_of, entity.member_of) if ref]
    entities = [entity for entity in sheet.entities if entity.id in needed]
    return sheet.model_copy(update={"facts": facts, "entities": entities})
