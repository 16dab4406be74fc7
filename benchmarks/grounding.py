"""How well grounding tells a model's invented facts from real ones, on the articles of benchmarks/ingest/.

Usage: python benchmarks/grounding.py

The rules extractor's facts stand in for a model's honest answer (every quote, name and figure comes from the
article); each is then altered the way a model invents things: its quote replaced by a sentence the article does not
contain, its subject by a company the article never names, its first figure (amount, headcount, share, change) by
another value. A good grounding leaves the honest facts verified and flags every altered one. Times are the
grounding alone (not the extraction), per fact.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from kgraph.factsheet.models import DateValue
from kgraph.ingest.article import Article
from kgraph.ingest.graph import index_from_data
from kgraph.ingest.grounding import Grounder
from kgraph.ingest.proposal import ProposedFact
from kgraph.ingest.rules import RuleBasedExtractor

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "benchmarks" / "ingest"
INVENTED_QUOTE = "The company declined to comment on the figures when reached by telephone."
INVENTED_NAME = "Zentrix Dynamics"


def _with_other_figure(fact: ProposedFact) -> ProposedFact | None:
    """``fact`` with its first figure changed, or None when it states none."""
    if fact.amount is not None:
        amount = fact.amount.model_copy(update={"value": fact.amount.value * Decimal("1.37")})
        return fact.model_copy(update={"amount": amount})
    if fact.headcount is not None:
        return fact.model_copy(update={"headcount": fact.headcount + 13})
    if fact.share is not None:
        share = fact.share.model_copy(update={"min": fact.share.min + 1, "max": fact.share.max + 1})
        return fact.model_copy(update={"share": share})
    if fact.measurements:
        first = fact.measurements[0]
        amounts = [first.amounts[0].model_copy(update={"value": first.amounts[0].value * Decimal("1.37")})]
        changed = first.model_copy(update={"amounts": amounts + first.amounts[1:]})
        return fact.model_copy(update={"measurements": [changed, *fact.measurements[1:]]})
    return None


def main() -> None:
    index = index_from_data([ROOT / "data"])
    extractor = RuleBasedExtractor(index)
    counts = {"honest": [0, 0], "invented quote": [0, 0], "invented name": [0, 0], "invented figure": [0, 0]}
    seconds, checks = 0.0, 0
    reasons: dict[str, int] = {}
    articles = sorted(FOLDER.rglob("*.txt"))
    for path in articles:
        article = Article(path.read_text(encoding="utf-8"), name=path.name, published=DateValue(value="2024-06-30"))
        grounder = Grounder(article, index)
        for fact in extractor.extract(article).facts:
            quote = [fact.evidence[0].model_copy(update={"text": INVENTED_QUOTE})] if fact.evidence else []
            variants = {
                "honest": fact,
                "invented quote": fact.model_copy(update={"evidence": quote}),
                "invented name": fact.model_copy(update={"subject": INVENTED_NAME}),
                "invented figure": _with_other_figure(fact),
            }
            for label, variant in variants.items():
                if variant is None:
                    continue
                started = time.perf_counter()
                checked = grounder.check(variant)
                seconds += time.perf_counter() - started
                checks += 1
                counts[label][0] += 1
                counts[label][1] += checked.unverified is not None
                if label == "honest" and checked.unverified:
                    for reason in checked.unverified.split("; "):
                        key = reason.split(" is not")[0].split(":")[0].rsplit(" ", 1)[-1]
                        reasons[key] = reasons.get(key, 0) + 1
    print(f"{len(articles)} articles, {counts['honest'][0]} facts from the rules extractor\n")
    print("| facts | checked | flagged unverified | share flagged |")
    print("|---|---:|---:|---:|")
    for label, (total, flagged) in counts.items():
        print(f"| {label} | {total} | {flagged} | {flagged / total:.2f} |")
    print(f"\ngrounding: {seconds / checks * 1e6:.0f} µs per fact ({checks} checks)")
    if reasons:
        print("honest facts flagged, by what failed:", ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))


if __name__ == "__main__":
    main()
