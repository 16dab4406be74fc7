"""Turn an extractor's proposal into a fact sheet: names resolved against the graph, new entities proposed.

A name the graph knows (label or alias, folded) becomes a reference to that entity; a name it does not know becomes
a new entity marked ``proposed: true`` with a guessed class; a name that fits several entities is never merged
silently: it becomes a proposed entity whose description lists the candidates.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from pydantic import ValidationError

from kgraph.factsheet.check import AFFECTABLE_TYPES, AGENT_TYPES, RIVAL_TYPES
from kgraph.factsheet.models import (
    ORGANIZATION_TYPES,
    PRODUCT_TYPES,
    CompetitionFact,
    DevelopsFact,
    Entity,
    Fact,
    FactSheet,
    FinancialResultFact,
    FundingFact,
    HeadwindFact,
    LayoffFact,
    PartnershipFact,
    ProductLaunchFact,
    Reduction,
    Source,
    StatementFact,
)
from kgraph.ingest.article import Article
from kgraph.ingest.proposal import EntityHint, Proposal, ProposedFact
from kgraph.resolve import EntityIndex, fold
from kgraph.vocabulary import KGD

_SHORT_KINDS = {
    "layoff": "layoff",
    "financial_result": "results",
    "product_launch": "launch",
    "develops": "develops",
    "competition": "rivalry",
    "headwind_affects": "headwind",
    "statement": "statement",
    "funding": "funding",
    "partnership": "partnership",
}


def slugify(text: str, *, limit: int = 60) -> str:
    """A slug for an identifier: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "x"


def source_id_for(article: Article) -> str:
    """A stable identifier for the article's source: from its headline (or URL, or file name) and its date."""
    base = article.headline or (article.url.rstrip("/").rsplit("/", 1)[-1] if article.url else None) or article.name
    base = re.sub(r"\.(txt|text|md)$", "", base.rsplit("/", 1)[-1] if base == article.name else base)
    slug = slugify(base, limit=50)
    if article.published is not None:
        slug = f"{slug}-{article.published.value.replace('-', '')}"
    return slug


@dataclass
class ProposedSheet:
    """The fact sheet proposed for an article, and what was left out of it and why."""

    sheet: FactSheet
    warnings: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        data = _plain(self.sheet.model_dump(mode="python", exclude_defaults=True))
        data["facts"] = [_ordered(fact) for fact in data.get("facts", [])]
        return data

    def to_yaml(self, *, extractor: str = "rules") -> str:
        header = (
            f"# Fact sheet proposed by 'kgraph ingest' ({extractor} extractor) for review.\n"
            "# Check every fact against its evidence, fix or delete what is wrong, then run 'kgraph apply FILE'.\n"
            "# Entities marked 'proposed: true' are new to the graph: check their names and classes.\n"
            "# Evidence text is for the reviewer only; only its character offsets go into the graph.\n"
        )
        for warning in self.warnings:
            header += f"# note: {warning}\n"
        body = yaml.safe_dump(self.to_data(), sort_keys=False, allow_unicode=True, width=110)
        return header + body

    def to_json(self) -> str:
        return json.dumps(self.to_data(), indent=2, ensure_ascii=False) + "\n"


def _ordered(fact: dict[str, Any]) -> dict[str, Any]:
    """A fact's fields in reading order: what it is first, its evidence last."""
    first = ["id", "kind", "subject", "object"]
    last = ["confidence", "evidence"]
    middle = [key for key in fact if key not in first and key not in last]
    return {key: fact[key] for key in [*first, *middle, *last] if key in fact}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


ROLE_TYPES: dict[str, frozenset[str]] = {
    "org": frozenset(ORGANIZATION_TYPES),
    "product": frozenset(PRODUCT_TYPES),
    "rival": frozenset(RIVAL_TYPES),
    "headwind": frozenset({"Headwind"}),
    "affected": frozenset(AFFECTABLE_TYPES),
    "agent": frozenset(AGENT_TYPES),
}


class _Resolver:
    """Names to identifiers: the graph's entities first, then entities proposed for this article."""

    def __init__(self, index: EntityIndex, hints: Iterable[EntityHint], source_id: str) -> None:
        self.index = index
        self.source_id = source_id
        self.hints = {fold(hint.name): hint for hint in hints}
        for hint in list(self.hints.values()):
            for alias in hint.aliases:
                self.hints.setdefault(fold(alias), hint)
        self.taken = {c.iri[len(str(KGD)) :] for c in index.candidates.values() if c.iri.startswith(str(KGD))}
        self.new: dict[str, Entity] = {}  # folded name -> proposed entity
        self.kinds: dict[str, str] = {}  # identifier -> entity type

    def resolve(self, name: str, role: str) -> str | None:
        """The identifier of the entity ``name`` names in ``role``, proposing a new one when the graph has none."""
        allowed = ROLE_TYPES[role]
        found = self.index.lookup(name, types=allowed)
        if len(found) == 1 and found[0].iri.startswith(str(KGD)):
            identifier = found[0].iri[len(str(KGD)) :]
            self.kinds[identifier] = next(t for t in found[0].types if t in allowed)
            return identifier
        key = fold(name)
        hint = self.hints.get(key)
        if hint is not None and fold(hint.name) in self.new:
            entity = self.new[fold(hint.name)]
            return entity.id if entity.type in allowed else None
        if key in self.new:
            entity = self.new[key]
            return entity.id if entity.type in allowed else None
        elsewhere = self.index.lookup(name)
        if elsewhere and not found:
            # the graph knows this name, but as something else (a product used as a company...)
            return None
        kind = self._guess_type(hint, role)
        if kind not in allowed:
            return None
        display = hint.name if hint is not None else name
        identifier = self._free_id(slugify(display, limit=40))
        description = "Proposed by kgraph ingest: check the name and the class."
        if len(found) > 1:
            listed = ", ".join(f"{c.label} ({c.iri[len(str(KGD)) :]})" for c in found)
            description = f"Proposed by kgraph ingest: the name fits several entities ({listed}); pick one or keep new."
        aliases = [a for a in (hint.aliases if hint else []) if fold(a) != fold(display)]
        entity = Entity(id=identifier, type=kind, name=display, aliases=aliases, description=description, proposed=True)
        self.new[fold(display)] = entity
        self.kinds[identifier] = kind
        self.taken.add(identifier)
        return identifier

    def _guess_type(self, hint: EntityHint | None, role: str) -> str:
        if hint is not None and hint.type is not None and hint.type in ROLE_TYPES[role]:
            return hint.type
        return {"product": "AIProduct", "headwind": "Headwind"}.get(role, "Company")

    def _free_id(self, slug: str) -> str:
        candidate, number = slug, 2
        while candidate in self.taken:
            candidate, number = f"{slug}-{number}", number + 1
        return candidate


def build_sheet(
    article: Article,
    proposal: Proposal,
    index: EntityIndex,
    *,
    source_id: str | None = None,
) -> ProposedSheet:
    """The fact sheet for ``article`` from an extractor's ``proposal``, with names resolved against ``index``."""
    source_id = source_id or source_id_for(article)
    resolver = _Resolver(index, proposal.entities, source_id)
    warnings: list[str] = []
    facts: list[Fact] = []
    counters: dict[str, int] = {}
    layoff_ids: dict[str, str] = {}
    hints = {fold(h.name): h for h in proposal.entities}
    pending = sorted(proposal.facts, key=lambda f: f.kind == "statement")
    for proposed in pending:
        counters[proposed.kind] = counters.get(proposed.kind, 0) + 1
        fact_id = f"{source_id}-{_SHORT_KINDS[proposed.kind]}-{counters[proposed.kind]}"
        try:
            fact = _fact(proposed, fact_id, resolver, layoff_ids, claims=_claims(proposed, article))
        except (ValidationError, ValueError) as error:
            warnings.append(f"left out a {proposed.kind} fact about {proposed.subject!r}: {_first_error(error)}")
            continue
        if fact is None:
            warnings.append(
                f"left out a {proposed.kind} fact about {proposed.subject!r}: an entity has the wrong class"
            )
            continue
        if isinstance(fact, LayoffFact):
            layoff_ids[fact.subject] = fact.id
        facts.append(fact)
    facts, entities = _with_developers(facts, resolver, hints, warnings)
    publisher = None
    if article.publisher:
        publisher = resolver.resolve(article.publisher, "org")
        if publisher in {e.id for e in resolver.new.values()}:
            entity = resolver.new[fold(article.publisher)]
            resolver.new[fold(article.publisher)] = entity.model_copy(update={"type": "NewsPublisher"})
    source = Source(
        id=source_id,
        type="news_article",
        title=article.headline,
        url=article.url,
        publisher=publisher,
        published=article.published,
        language="en",
        description=f"News article ingested by kgraph ingest ({proposal.extractor} extractor).",
    )
    used = _references(facts) | ({publisher} if publisher else set())
    entities = [e for e in resolver.new.values() if e.id in used]
    sheet = FactSheet(source=source, entities=entities, facts=facts)
    return ProposedSheet(sheet, warnings)


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return first["msg"].removeprefix("Value error, ")
    return str(error)


#: What introduces the content of a statement in reported speech: "said in a statement that", "told Reuters that".
_REPORTED = re.compile(
    r"\b(?:said|says|stated|states|announced|added|noted|explained|told\s[^,.;]{1,60}?)\b[^.;:]{0,80}?\bthat\s+",
    re.IGNORECASE,
)


def _claims(proposed: ProposedFact, article: Article) -> list[str]:
    """What a statement claims, in the article's words: each sentence of its evidence, from what follows
    "said ... that" when the sentence reports speech that way (other kinds of fact claim nothing)."""
    if proposed.kind != "statement":
        return []
    claims = []
    for evidence in proposed.evidence:
        text = " ".join((evidence.text or article.text[evidence.start : evidence.end]).split())
        reported = _REPORTED.search(text)
        claim = (text[reported.end() :] if reported else text).strip(" \"'“”")
        if claim:
            claims.append(claim[0].upper() + claim[1:])
    return list(dict.fromkeys(claims))


def _fact(
    proposed: ProposedFact, fact_id: str, resolver: _Resolver, layoffs: dict[str, str], *, claims: list[str]
) -> Fact | None:
    """The fact sheet's fact for ``proposed``; None when one of its entities cannot be resolved to the right class."""
    common = {
        "id": fact_id,
        "date": proposed.date,
        "confidence": proposed.confidence,
        "evidence": proposed.evidence,
        "note": proposed.note,
        "unverified": proposed.unverified,
    }
    match proposed.kind:
        case "layoff":
            subject = resolver.resolve(proposed.subject, "org")
            if subject is None:
                return None
            unit = resolver.resolve(proposed.unit, "org") if proposed.unit else None
            # The curated shape: every size is a reduction of a unit, the whole company when no unit is named.
            reductions = []
            if proposed.share is not None or proposed.headcount is not None:
                reductions.append(
                    Reduction(
                        unit=unit or subject,
                        share=proposed.share,
                        headcount=proposed.headcount,
                        estimate=proposed.estimate,
                    )
                )
            return LayoffFact(
                kind="layoff",
                subject=subject,
                units=[unit] if unit else [],
                reductions=reductions,
                repeat_round=proposed.repeat_round,
                notice_period=proposed.notice_period,
                estimate=proposed.estimate and not reductions,
                **common,
            )
        case "financial_result":
            subject = resolver.resolve(proposed.subject, "org")
            if subject is None or proposed.period is None:
                return None
            return FinancialResultFact(
                kind="financial_result",
                subject=subject,
                period=proposed.period,
                measurements=proposed.measurements,
                **common,
            )
        case "product_launch" | "develops":
            subject = resolver.resolve(proposed.subject, "org")
            product = resolver.resolve(proposed.object or "", "product") if proposed.object else None
            if subject is None or product is None:
                return None
            model = ProductLaunchFact if proposed.kind == "product_launch" else DevelopsFact
            return model(kind=proposed.kind, subject=subject, object=product, **common)
        case "competition":
            subject = resolver.resolve(proposed.subject, "rival")
            rival = resolver.resolve(proposed.object, "rival") if proposed.object else None
            others = [resolver.resolve(name, "rival") for name in proposed.participants]
            if subject is None or None in others or (proposed.object and rival is None):
                return None
            return CompetitionFact(kind="competition", subject=subject, object=rival, participants=others, **common)
        case "headwind_affects":
            headwind = resolver.resolve(proposed.subject, "headwind")
            affected = resolver.resolve(proposed.object or "", "affected") if proposed.object else None
            if headwind is None or affected is None:
                return None
            return HeadwindFact(kind="headwind_affects", subject=headwind, object=affected, **common)
        case "statement":
            subject = resolver.resolve(proposed.subject, "agent")
            if subject is None:
                return None
            responds = layoffs.get(subject) if proposed.responds_to == "layoff" else None
            return StatementFact(
                kind="statement",
                subject=subject,
                attributed_to=subject,
                in_response_to=responds,
                claims=claims,
                **common,
            )
        case "funding":
            subject = resolver.resolve(proposed.subject, "org")
            investors = [resolver.resolve(name, "org") for name in proposed.investors]
            if subject is None:
                return None
            return FundingFact(
                kind="funding",
                subject=subject,
                investors=[i for i in investors if i is not None],
                amount=proposed.amount,
                valuation=proposed.valuation,
                round=proposed.round,
                **common,
            )
        case "partnership":
            subject = resolver.resolve(proposed.subject, "org")
            partner = resolver.resolve(proposed.object or "", "org") if proposed.object else None
            if subject is None or partner is None:
                return None
            return PartnershipFact(kind="partnership", subject=subject, object=partner, **common)
    return None


def _with_developers(
    facts: list[Fact], resolver: _Resolver, hints: dict[str, EntityHint], warnings: list[str]
) -> tuple[list[Fact], list[Entity]]:
    """Give each proposed product its developer; facts about a product whose developer is unknown are left out."""
    developers: dict[str, str] = {}
    for fact in facts:
        if isinstance(fact, ProductLaunchFact | DevelopsFact):
            developers.setdefault(fact.object, fact.subject)
    for key, entity in list(resolver.new.items()):
        if entity.type not in PRODUCT_TYPES:
            continue
        developer = developers.get(entity.id)
        hint = hints.get(key)
        if developer is None and hint is not None and hint.developer:
            developer = resolver.resolve(hint.developer, "org")
        if developer is not None:
            resolver.new[key] = entity.model_copy(update={"developer": developer})
    missing = {e.id for e in resolver.new.values() if e.type in PRODUCT_TYPES and e.developer is None}
    kept = []
    for fact in facts:
        if missing & _references([fact]):
            names = ", ".join(sorted(missing & _references([fact])))
            warnings.append(f"left out {fact.id}: no developer is known for the new product {names}")
            continue
        kept.append(fact)
    return kept, list(resolver.new.values())


def _references(facts: Iterable[Fact]) -> set[str]:
    refs: set[str] = set()
    for fact in facts:
        refs.add(fact.subject)
        for name in ("object", "market", "attributed_to"):
            value = getattr(fact, name, None)
            if value:
                refs.add(value)
        for name in ("participants", "investors", "units"):
            refs.update(getattr(fact, name, []) or [])
        for reduction in getattr(fact, "reductions", []) or []:
            refs.add(reduction.unit)
    return refs
