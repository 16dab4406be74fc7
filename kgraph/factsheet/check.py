"""Checks across fact sheets: unique identifiers, references that resolve, and references of the right kind."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kgraph.errors import Problem
from kgraph.factsheet.models import (
    ORGANIZATION_TYPES,
    PRODUCT_TYPES,
    CompetitionFact,
    DevelopsFact,
    FinancialResultFact,
    FundingFact,
    HeadwindFact,
    LayoffFact,
    PartnershipFact,
    ProductLaunchFact,
    Source,
    StatementFact,
)
from kgraph.factsheet.read import LoadedSheet, Location, format_location

AGENT_TYPES = ORGANIZATION_TYPES | {"AnonymousSource"}
AFFECTABLE_TYPES = ORGANIZATION_TYPES | {"Industry", "Market"}
RIVAL_TYPES = ORGANIZATION_TYPES | PRODUCT_TYPES


@dataclass(frozen=True)
class Declaration:
    """Where an identifier is declared, and what it names."""

    kind: str  # an entity type, "fact" or "source"
    file: str
    line: int | None


def _sources(source: Source, location: Location) -> Iterator[tuple[Source, Location]]:
    yield source, location
    if source.based_on is not None:
        yield from _sources(source.based_on, (*location, "based_on"))


def declarations(sheets: Iterable[LoadedSheet]) -> tuple[dict[str, Declaration], list[Problem]]:
    """Every identifier declared in ``sheets``; a second declaration of one is a problem."""
    declared: dict[str, Declaration] = {}
    problems: list[Problem] = []

    def declare(identifier: str, kind: str, loaded: LoadedSheet, location: Location) -> None:
        line = loaded.line_of(location)
        if identifier in declared:
            first = declared[identifier]
            where = first.file if first.line is None else f"{first.file}:{first.line}"
            problems.append(
                Problem(
                    loaded.file,
                    line,
                    format_location(location),
                    f"duplicate identifier {identifier!r} (first declared at {where})",
                )
            )
        else:
            declared[identifier] = Declaration(kind, loaded.file, line)

    for loaded in sheets:
        sheet = loaded.sheet
        for source, location in _sources(sheet.source, ("source",)):
            declare(source.id, "source", loaded, (*location, "id"))
        for index, entity in enumerate(sheet.entities):
            declare(entity.id, entity.type, loaded, ("entities", index, "id"))
        for index, fact in enumerate(sheet.facts):
            declare(fact.id, "fact", loaded, ("facts", index, "id"))
    return declared, problems


def check_references(sheets: list[LoadedSheet], known: dict[str, str] | None = None) -> list[Problem]:
    """Problems with identifiers and references across ``sheets``.

    ``known`` maps identifiers declared elsewhere (for example in Turtle files or in the store) to their kind.
    """
    declared, problems = declarations(sheets)
    kinds = {identifier: declaration.kind for identifier, declaration in declared.items()}
    for identifier, kind in (known or {}).items():
        kinds.setdefault(identifier, kind)

    for loaded in sheets:

        def expect(
            ref: str | None, allowed: Iterable[str], location: Location, what: str, loaded: LoadedSheet = loaded
        ) -> None:
            if ref is None:
                return
            line = loaded.line_of(location)
            where = format_location(location)
            if ref not in kinds:
                problems.append(Problem(loaded.file, line, where, f"unknown {what} {ref!r}: declare it first"))
            elif kinds[ref] not in allowed:
                wanted = " or ".join(sorted(allowed))
                problems.append(
                    Problem(loaded.file, line, where, f"{what} {ref!r} is a {kinds[ref]}, expected {wanted}")
                )

        sheet = loaded.sheet
        for source, location in _sources(sheet.source, ("source",)):
            expect(source.publisher, ORGANIZATION_TYPES, (*location, "publisher"), "publisher")
            if source.published is not None:
                expect(source.published.basis, {"source"}, (*location, "published", "basis"), "source")
        for index, entity in enumerate(sheet.entities):
            at: Location = ("entities", index)
            expect(entity.unit_of, ORGANIZATION_TYPES, (*at, "unit_of"), "organisation")
            expect(entity.member_of, ORGANIZATION_TYPES, (*at, "member_of"), "organisation")
            expect(entity.developer, ORGANIZATION_TYPES, (*at, "developer"), "developer")
            for position, industry in enumerate(entity.industries):
                expect(industry, {"Industry"}, (*at, "industries", position), "industry")
            for position, market in enumerate(entity.markets):
                expect(market, {"Market"}, (*at, "markets", position), "market")
        for index, fact in enumerate(sheet.facts):
            at = ("facts", index)
            if fact.unverified:
                problems.append(
                    Problem(
                        loaded.file,
                        loaded.line_of((*at, "unverified")),
                        format_location((*at, "unverified")),
                        f"fact {fact.id!r} failed its checks ({fact.unverified}): check it against the article, "
                        "then remove 'unverified' or the fact",
                    )
                )
            expect(fact.attributed_to, AGENT_TYPES, (*at, "attributed_to"), "agent")
            if fact.date is not None:
                expect(fact.date.basis, {"source"}, (*at, "date", "basis"), "source")
            match fact:
                case LayoffFact():
                    expect(fact.subject, ORGANIZATION_TYPES, (*at, "subject"), "company")
                    for position, unit in enumerate(fact.units):
                        expect(unit, ORGANIZATION_TYPES, (*at, "units", position), "unit")
                    for position, reduction in enumerate(fact.reductions):
                        expect(reduction.unit, ORGANIZATION_TYPES, (*at, "reductions", position, "unit"), "unit")
                        expect(
                            reduction.attributed_to,
                            AGENT_TYPES,
                            (*at, "reductions", position, "attributed_to"),
                            "agent",
                        )
                case FinancialResultFact() | FundingFact():
                    expect(fact.subject, ORGANIZATION_TYPES, (*at, "subject"), "company")
                    for position, investor in enumerate(getattr(fact, "investors", [])):
                        expect(investor, ORGANIZATION_TYPES, (*at, "investors", position), "investor")
                case ProductLaunchFact() | DevelopsFact():
                    expect(fact.subject, ORGANIZATION_TYPES, (*at, "subject"), "organisation")
                    expect(fact.object, PRODUCT_TYPES, (*at, "object"), "product")
                case CompetitionFact():
                    expect(fact.subject, RIVAL_TYPES, (*at, "subject"), "rival")
                    expect(fact.object, RIVAL_TYPES, (*at, "object"), "rival")
                    for position, rival in enumerate(fact.participants):
                        expect(rival, RIVAL_TYPES, (*at, "participants", position), "rival")
                    expect(fact.market, {"Market"}, (*at, "market"), "market")
                case HeadwindFact():
                    expect(fact.subject, {"Headwind"}, (*at, "subject"), "headwind")
                    expect(fact.object, AFFECTABLE_TYPES, (*at, "object"), "industry, market or organisation")
                case StatementFact():
                    expect(fact.subject, AGENT_TYPES, (*at, "subject"), "speaker")
                    expect(fact.in_response_to, {"fact"}, (*at, "in_response_to"), "fact")
                    for position, topic in enumerate(fact.focus_areas):
                        expect(topic, {"Topic"}, (*at, "focus_areas", position), "topic")
                case PartnershipFact():
                    expect(fact.subject, ORGANIZATION_TYPES, (*at, "subject"), "organisation")
                    expect(fact.object, ORGANIZATION_TYPES, (*at, "object"), "organisation")
    return problems
