"""The default extractor: deterministic rules (regular expressions and small word lists) that run offline.

It reads an article sentence by sentence, keeps track of the company, product and industry being written about (so
that "the company" or "the model" can be resolved), and proposes one fact per event, merging what later sentences
add (the investors of a round, a net loss after the revenue of the same period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kgraph.factsheet.models import ORGANIZATION_TYPES, Amount, DateValue, Evidence, Measurement, PercentRange, Period
from kgraph.ingest import lexicon
from kgraph.ingest.article import Article, Sentence
from kgraph.ingest.dates import find_dates, publication_date
from kgraph.ingest.mentions import Mention, MentionFinder, company_like, government, product_like
from kgraph.ingest.proposal import EntityHint, FactKind, Proposal, ProposedFact
from kgraph.ingest.quantities import (
    FoundPeriod,
    find_headcounts,
    find_money,
    find_percentages,
    find_period,
    signed_change,
)
from kgraph.resolve import EntityIndex, fold

_NOTICE = re.compile(r"\bwithin (one|a|two|three|\d+) (day|week|month)s?\b", re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "a": 1, "two": 2, "three": 3}
_ALIAS = re.compile(r",\s+(?:the|a|an)\s+[\w\s-]{0,40}?(?:better|also|widely)\s+known\s+as\s+", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^\s*\(([A-Z][A-Za-z0-9&]{1,9})\)")
_LIST_GAP = re.compile(r"^\s*(?:,|and|or|,\s*and|as well as|plus)?\s*$")


@dataclass
class _Draft:
    """A fact being assembled; later sentences may add to it."""

    kind: FactKind
    subject: str
    object: str | None = None
    participants: list[str] = field(default_factory=list)
    date: DateValue | None = None
    confidence: float = 0.7
    evidence: list[Evidence] = field(default_factory=list)
    estimate: bool = False
    note: str | None = None
    headcount: int | None = None
    share: PercentRange | None = None
    unit: str | None = None
    repeat_round: bool = False
    notice_period: str | None = None
    period: Period | None = None
    measurements: dict[str, Measurement] = field(default_factory=dict)
    amount: Amount | None = None
    valuation: Amount | None = None
    investors: list[str] = field(default_factory=list)
    round: str | None = None
    responds_to: FactKind | None = None

    def cite(self, sentence: Sentence) -> None:
        if all(e.start != sentence.start for e in self.evidence):
            self.evidence.append(Evidence(start=sentence.start, end=sentence.end, text=sentence.text))

    def proposed(self) -> ProposedFact:
        return ProposedFact(
            kind=self.kind,
            subject=self.subject,
            object=self.object,
            participants=self.participants,
            date=self.date,
            confidence=round(self.confidence, 2),
            evidence=self.evidence,
            estimate=self.estimate,
            note=self.note,
            headcount=self.headcount,
            share=self.share,
            unit=self.unit,
            repeat_round=self.repeat_round,
            notice_period=self.notice_period,
            period=self.period,
            measurements=list(self.measurements.values()),
            amount=self.amount,
            valuation=self.valuation,
            investors=self.investors,
            round=self.round,
            responds_to=self.responds_to,
        )


@dataclass
class _Context:
    """What the article is about so far."""

    company: str | None = None
    product: str | None = None
    industry: str | None = None
    period: FoundPeriod | None = None
    funded: str | None = None


class RuleBasedExtractor:
    """Proposes facts with regular expressions and word lists; needs the graph's names to recognise known entities."""

    name = "rules"

    def __init__(self, index: EntityIndex) -> None:
        self.index = index

    def extract(self, article: Article) -> Proposal:
        return _ArticleReader(self.index, article).read()


class _ArticleReader:
    def __init__(self, index: EntityIndex, article: Article) -> None:
        self.index = index
        self.article = article
        self.published = publication_date(article.published)
        self.finder = MentionFinder(index, article_text=article.text)
        self.context = _Context()
        self.drafts: list[_Draft] = []
        self.hints: dict[str, EntityHint] = {}
        self.aliases: dict[str, str] = {}  # folded written name -> the name used for the entity
        self.kinds: dict[str, str] = {}  # name -> "company" | "product"

    # -- names ----------------------------------------------------------------------------------------------------

    def canonical(self, mention: Mention) -> str:
        if mention.candidate is not None:
            return mention.candidate.label
        key = fold(mention.name)
        if key in self.aliases:
            return self.aliases[key]
        words = key.split()
        for known_key, name in list(self.aliases.items()):
            known_words = known_key.split()
            if len(words) < len(known_words) and known_words[: len(words)] == words:
                extra = known_words[len(words) :]
                if all(word in lexicon.COMPANY_WORDS for word in extra):
                    self._hint(name, aliases=[mention.name])
                    self.aliases[key] = name
                    return name
        for known_key, name in list(self.aliases.items()):
            known_words = known_key.split()
            if len(words) > len(known_words) and words[: len(known_words)] == known_words:
                if all(word in lexicon.COMPANY_WORDS for word in words[len(known_words) :]):
                    self._hint(name, aliases=[mention.name])
                    self.aliases[key] = name
                    return name
        self.aliases[key] = mention.name
        return mention.name

    def _hint(self, name: str, **values: object) -> None:
        hint = self.hints.get(name) or EntityHint(name=name)
        update = {}
        for key, value in values.items():
            if key == "aliases":
                update["aliases"] = list(dict.fromkeys([*hint.aliases, *value]))  # type: ignore[misc]
            elif value is not None and getattr(hint, key) is None:
                update[key] = value
        self.hints[name] = hint.model_copy(update=update)

    def mark(self, name: str, kind: str, sentence_text: str = "") -> None:
        """Record that ``name`` is used as a company or as a product (unknown names get their class from this)."""
        if any(c.label == name for c in self.index.candidates.values()):
            return
        if kind == "company":
            self.kinds.setdefault(name, "company")
            self._hint(name, type="Company")
        else:
            self.kinds[name] = "product"
            llm = lexicon.LLM_CUES.search(sentence_text) and not lexicon.CHATBOT_CUES.search(sentence_text)
            self.hints[name] = (self.hints.get(name) or EntityHint(name=name)).model_copy(
                update={"type": "LargeLanguageModel" if llm else "AIProduct"}
            )

    def is_org(self, mention: Mention, text: str) -> bool:
        if mention.known:
            return bool(mention.types & ORGANIZATION_TYPES)
        name = self.canonical(mention)
        if self.kinds.get(name) == "product":
            return False
        return company_like(mention) or not product_like(text, mention)

    def is_product(self, mention: Mention, text: str) -> bool:
        if mention.known:
            return not mention.types & ORGANIZATION_TYPES and bool(
                mention.types & {"Product", "AIProduct", "LargeLanguageModel"}
            )
        name = self.canonical(mention)
        return self.kinds.get(name) == "product" or (not company_like(mention) and product_like(text, mention))

    def learn_aliases(self) -> None:
        """ "X, the start-up better known as Y" and "Some Unit (SU)": both names are one entity's."""
        for sentence in self.article.sentences:
            text = sentence.text
            mentions = self.finder.find(text)
            for mention in mentions:
                if not mention.known and fold(mention.name) not in self.aliases:
                    if not _ALIAS.match(text[mention.end :]):
                        self.canonical(mention)
            for first, second in zip(mentions, mentions[1:], strict=False):
                between = text[first.end : second.start]
                if _ALIAS.fullmatch(between) or re.fullmatch(r",\s+(?:also |better )?known as\s+", between):
                    name = second.candidate.label if second.candidate else second.name
                    self.aliases[fold(first.name)] = name
                    self.aliases[fold(second.name)] = name
                    self._hint(name, aliases=[first.name])
            for mention in mentions:
                match = _ABBREVIATION.match(text[mention.end :])
                if match and not mention.known:
                    name = self.canonical(mention)
                    self.aliases[fold(match.group(1))] = name
                    self._hint(name, aliases=[match.group(1)])

    # -- reading ----------------------------------------------------------------------------------------------------

    def read(self) -> Proposal:
        self.learn_aliases()
        for sentence in self.article.sentences:
            if sentence.is_title:
                continue
            self.read_sentence(sentence)
        facts = [draft.proposed() for draft in self.drafts if self._complete(draft)]
        used = {name for fact in facts for name in _names_in(fact)}
        hints = [hint for name, hint in self.hints.items() if name in used]
        return Proposal(facts=facts, entities=hints, extractor="rules")

    def _complete(self, draft: _Draft) -> bool:
        if draft.kind == "financial_result":
            return bool(draft.measurements) and draft.period is not None
        if draft.kind == "funding":
            return draft.amount is not None or bool(draft.investors)
        if draft.kind == "competition":
            return bool(draft.object or draft.participants)
        return True

    def read_sentence(self, sentence: Sentence) -> None:
        text = sentence.text
        mentions = self.finder.find(text)
        industry = lexicon.INDUSTRIES.search(text)
        if industry:
            self.context.industry = self._industry_name(industry.group("name"))
        before = len(self.drafts)
        touched: list[_Draft] = []
        for rule in (
            self.financial_results,
            self.layoffs,
            self.launches,
            self.developments,
            self.competition,
            self.partnerships,
            self.funding,
            self.headwinds,
            self.statements,
        ):
            touched.extend(rule(sentence, mentions))
        for draft in touched:
            draft.cite(sentence)
        subjects = [d.subject for d in touched if d.kind not in ("headwind_affects", "develops", "competition")]
        if subjects and subjects[0] in {self.canonical(m) for m in mentions if self.is_org(m, text)}:
            self.context.company = subjects[0]
        elif subjects and len(self.drafts) > before:
            self.context.company = subjects[0]
        else:
            opener = next((m for m in mentions if m.start < 25 and self.is_org(m, text) and not government(m)), None)
            if opener is not None and not lexicon.COMPANY_REFERENCES.match(text):
                self.context.company = self.canonical(opener)
        if self.context.company is None:
            first = next((m for m in mentions if self.is_org(m, text) and not government(m)), None)
            if first is not None:
                self.context.company = self.canonical(first)

    # -- helpers ----------------------------------------------------------------------------------------------------

    def _industry_name(self, name: str) -> str:
        for candidate in (name, re.sub(r"\bsector\b", "industry", name)):
            found = self.index.lookup(candidate, types=["Industry", "Market"])
            if len(found) == 1:
                return found[0].label
        return re.sub(r"\bsector\b", "industry", name)

    def _draft(self, kind: FactKind, subject: str, *, key: object = None, **values: object) -> _Draft:
        for draft in self.drafts:
            if draft.kind == kind and draft.subject == subject and (key is None or _key(draft) == key):
                for name, value in values.items():
                    if getattr(draft, name) in (None, [], False) and value not in (None, []):
                        setattr(draft, name, value)
                return draft
        draft = _Draft(kind, subject, **values)  # type: ignore[arg-type]
        self.drafts.append(draft)
        return draft

    def subject_before(self, text: str, mentions: list[Mention], position: int) -> tuple[str | None, bool]:
        """The organisation a clause is about (the first one before ``position``), else the article's company."""
        if lexicon.COMPANY_REFERENCES.match(text) and self.context.company:
            first = next((m for m in mentions if m.start < position and self.is_org(m, text)), None)
            if first is None or first.start > text.lower().find(" ") + 1:
                return self.context.company, True
        for mention in mentions:
            if mention.start >= position:
                break
            if self.is_org(mention, text) and not government(mention):
                between = text[max(0, mention.start - 12) : mention.start].lower()
                if re.search(r"\b(by|to|with|from|than|of|for)\s+(?:former\s+)?$", between):
                    continue
                if mention.possessive and self._owned_company(text, mentions, mention):
                    continue  # "Elon Musk's AI company xAI": the company is the subject
                return self.canonical(mention), False
        return self.context.company, True

    def _owned_company(self, text: str, mentions: list[Mention], owner: Mention) -> bool:
        following = next((m for m in mentions if m.start > owner.end), None)
        if following is None:
            return False
        between = text[owner.end : following.start]
        return bool(
            re.fullmatch(
                r"['’]s\s+(?:[a-z-]+\s+){0,4}(?:company|firm|start-up|startup|unit|subsidiary|venture|lab|group)\s+",
                between,
                re.IGNORECASE,
            )
        )

    def date_in(self, text: str) -> DateValue | None:
        found = find_dates(text, published=self.published)
        return found[0].value if found else None

    def list_after(self, text: str, mentions: list[Mention], position: int, *, reach: int = 40) -> list[Mention]:
        """The names listed right after ``position`` ("with Alibaba, Tencent and Meituan")."""
        listed: list[Mention] = []
        cursor = position
        for index, mention in enumerate(mentions):
            if mention.start < position:
                continue
            gap = text[cursor : mention.start]
            if not listed and (len(gap) > reach or re.search(r"[,;.]", gap)):
                break
            if listed and not _LIST_GAP.match(gap):
                if not (listed[-1].possessive and not gap.strip()):
                    break
            if (
                mention.possessive
                and index + 1 < len(mentions)
                and not text[mention.end + 2 : mentions[index + 1].start].strip()
            ):
                listed.append(mention)
                cursor = mention.end + 2
                continue
            listed.append(mention)
            cursor = mention.end
        # "Meta's Llama 2": the possessor is the developer, not a list item
        return [m for i, m in enumerate(listed) if not (m.possessive and i + 1 < len(listed))]

    # -- rules ------------------------------------------------------------------------------------------------------

    def financial_results(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        if lexicon.FUNDING.search(text) and re.search(r"\b(rais|invest)", text, re.I):
            return []
        money = find_money(text)
        if not money:
            return []
        keywords = []
        for metric, pattern in lexicon.METRICS:
            for match in pattern.finditer(text):
                if not any(s <= match.start() < e for _, s, e, _ in keywords):
                    keywords.append((metric, match.start(), match.end(), match.group()))
        if not keywords:
            return []
        keywords.sort(key=lambda item: item[1])
        subject, from_context = self.subject_before(text, mentions, keywords[0][1] + 1)
        if subject is None:
            return []
        found = find_period(text, published=self.published)
        note = None
        if found is None and self.context.period is not None:
            found = self.context.period
        if found is None and self.published is not None:
            year = self.published.year - 1
            found = FoundPeriod(Period(fiscal_year=year, label=f"FY{year}"), inferred_year=True)
            note = f"The article names no period; FY{year} assumed from the publication date."
        if found is None:
            return []
        self.context.period = found
        if found.inferred_year and note is None:
            note = f"The year of {found.period.label} is taken from the publication date."
        measurements: dict[str, Measurement] = {}
        for position, (metric, start, _end, word) in enumerate(keywords):
            stop = keywords[position + 1][1] if position + 1 < len(keywords) else len(text)
            amounts = [m for m in money if start <= m.start < stop and not _prior(text, m.start, start)]
            if not amounts or metric in measurements:
                continue
            loss = bool(lexicon.LOSS_WORDS.search(word)) or bool(
                re.search(r"\bloss of\b", text[start : amounts[0].start])
            )
            sign = Decimal(-1) if loss else Decimal(1)
            values = [Amount(value=sign * amounts[0].value, currency=amounts[0].currency)]
            for converted in amounts[1:]:
                opening = text[amounts[0].end : converted.start]
                if re.fullmatch(r"\s*\(\s*(?:or\s+|about\s+|approximately\s+|roughly\s+)?", opening) and all(
                    a.currency != converted.currency for a in values
                ):
                    values.append(Amount(value=sign * converted.value, currency=converted.currency, converted=True))
            percents = [
                p
                for p in find_percentages(text[start:stop])
                if not re.match(r"\s*of\b", text[start + p.end : start + p.end + 5])
            ]
            change = signed_change(text[start:stop], percents[0]) if percents else None
            measurements[metric] = Measurement(metric=metric, amounts=values, yoy_change_percent=change, loss=loss)
        if not measurements:
            return []
        draft = self._draft(
            "financial_result", subject, key=found.period.key, period=found.period, note=note, confidence=0.9
        )
        for metric, measurement in measurements.items():
            draft.measurements.setdefault(metric, measurement)
        if from_context:
            draft.confidence = min(draft.confidence, 0.8)
        self.mark(subject, "company")
        return [draft]

    def layoffs(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        match = lexicon.LAYOFF.search(text)
        if not match:
            return []
        subject, from_context = self.subject_before(text, mentions, match.start())
        at = re.search(r"\b(?:at|by)\s+$", text[: match.end() + 4])
        if from_context or at:
            after = next(
                (m for m in mentions if m.start >= match.end() and text[match.end() : m.start].strip() in ("at", "by")),
                None,
            )
            if after is not None and self.is_org(after, text):
                subject, from_context = self.canonical(after), False
        unit = next((m for m in mentions if "BusinessUnit" in m.types), None)
        if unit is not None and subject == unit.candidate.label:
            subject = self.context.company
        if subject is None:
            return []
        existing = next((d for d in self.drafts if d.kind == "layoff" and d.subject == subject), None)
        if existing is None and match.group().lower() in ("the cuts", "reduced by"):
            return []
        draft = self._draft("layoff", subject, confidence=0.85 if not from_context else 0.75)
        before = (draft.headcount, draft.share, draft.unit, draft.repeat_round, draft.notice_period, draft.date)
        if existing is None:
            before = (None,) * 6
        headcounts = find_headcounts(text)
        if headcounts and draft.headcount is None:
            draft.headcount = headcounts[0].value
        percents = [
            p
            for p in find_percentages(text)
            if not re.match(r"\s+of\s+(?:its|the company's)?\s*revenue", text[p.end :])
        ]
        if percents:
            share = PercentRange(min=percents[0].low, max=percents[0].high)
            if unit is not None:
                draft.unit = draft.unit or unit.candidate.label
            if draft.share is None:
                draft.share = share
        if lexicon.ESTIMATE_CUES.search(text) and percents:
            draft.estimate = True
        if lexicon.REPEAT_CUES.search(text):
            draft.repeat_round = True
        if (notice := _NOTICE.search(text)) and draft.notice_period is None:
            amount = _NUMBER_WORDS.get(notice.group(1).lower()) or int(notice.group(1))
            draft.notice_period = f"P{amount}{notice.group(2)[0].upper()}"
        if draft.date is None:
            draft.date = self.date_in(text)
        self.mark(subject, "company")
        adds = (draft.headcount, draft.share, draft.unit, draft.repeat_round, draft.notice_period, draft.date) != before
        if (
            existing is not None
            and not adds
            and (lexicon.STATEMENT.search(text) or lexicon.HEADWIND_PATTERN.search(text))
        ):
            return []  # a sentence about something else that only names the layoffs is not their evidence
        return [draft]

    def launches(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        drafts = []
        for match in lexicon.LAUNCH.finditer(text):
            after = [m for m in mentions if m.start >= match.end() and m.start - match.end() < 30]
            product = next((m for m in after[:1] if self._launchable(m, text)), None)
            if product is not None and re.search(r"[,;]", text[match.end() : product.start]):
                product = None
            passive = False
            if product is None:
                before = [m for m in mentions if m.end <= match.start()]
                if before and re.fullmatch(
                    r"[\w\s-]*?,?\s*(?:was |were |is |has been )?", text[before[-1].end : match.start()]
                ):
                    candidate = before[-1]
                    if self._launchable(candidate, text):
                        product, passive = candidate, True
            if product is None:
                continue
            if passive:
                by = re.match(r"\s+by\s+", text[match.end() :])
                maker = next((m for m in mentions if by and m.start == match.end() + by.end()), None)
                subject = self.canonical(maker) if maker else self.context.company
                from_context = maker is None
            else:
                subject, from_context = self.subject_before(text, mentions, match.start())
            if subject is None or subject == self.canonical(product):
                continue
            name = self.canonical(product)
            self.mark(name, "product", text)
            self.mark(subject, "company")
            self._hint(name, developer=subject)
            date = find_dates(text[match.start() :], published=self.published) or find_dates(
                text, published=self.published
            )
            draft = self._draft("product_launch", subject, object=name, key=name, confidence=0.8 - 0.1 * from_context)
            if draft.date is None and date:
                draft.date = date[0].value
            self.context.product = name
            drafts.append(draft)
        return drafts

    def _launchable(self, mention: Mention, text: str) -> bool:
        if mention.known:
            return self.is_product(mention, text)
        return not company_like(mention) and self.kinds.get(self.canonical(mention)) != "company"

    def developments(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        pairs: list[tuple[str, str, bool]] = []
        for first, second in zip(mentions, mentions[1:], strict=False):
            between = text[first.end : second.start]
            if first.possessive and between in ("'s ", "’s ") and self.is_org(first, text):
                if self.is_product(second, text) or (not second.known and not company_like(second)):
                    pairs.append((self.canonical(first), self.canonical(second), False))
            elif self.is_org(first, text) and re.fullmatch(
                r",?\s+(?:(?:the|a|an)\s+(?:[\w-]+\s+){0,4}?)?(?:behind|developer of|maker of|creator of)\s+"
                r"(?:the\s+)?|"
                r",?\s+(?:which\s+|that\s+)?(?:develops|developed|builds|built|makes|created)\s+(?:the\s+)?",
                between,
                re.IGNORECASE,
            ):
                pairs.append((self.canonical(first), self.canonical(second), False))
        owned = re.match(r"^the (?:company|start-up|startup|firm|group)['’]s\s+", text, re.IGNORECASE)
        if owned and self.context.company:
            product = next((m for m in mentions if m.start == owned.end()), None)
            if product is not None and self.is_product(product, text):
                pairs.append((self.context.company, self.canonical(product), True))
        built = re.search(r"\b(?:was|were|is)\s+(?:built|developed|created|made)\s+by\s+", text)
        if built:
            maker = next((m for m in mentions if m.start == built.end()), None)
            named = [m for m in mentions if m.end <= built.start()]
            referred = lexicon.PRODUCT_REFERENCES.search(text[: built.start()])
            product = self.canonical(named[-1]) if named else (self.context.product if referred else None)
            if maker is not None and product:
                pairs.append((self.canonical(maker), product, not named))
        drafts = []
        for developer, product, from_context in pairs:
            if developer == product:
                continue
            self.mark(product, "product", text)
            self.mark(developer, "company")
            self._hint(product, developer=developer)
            drafts.append(
                self._draft("develops", developer, object=product, key=product, confidence=0.75 - 0.1 * from_context)
            )
        return drafts

    def competition(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        drafts = []
        race = lexicon.RACE_AMONG.search(text)
        if race:
            rivals = self.list_after(text, mentions, race.end())
            if len(rivals) >= 2:
                names = [self.canonical(m) for m in rivals]
                drafts.append(self._draft("competition", names[0], participants=names[1:], key=None, confidence=0.7))
        match = lexicon.COMPETITION.search(text)
        if not match:
            return drafts
        rivals = self.list_after(text, mentions, match.end(), reach=60)
        if match.group().lower().startswith("join"):
            rivals = [m for m in rivals if m.start < (re.search(r"\b(race|battle|fight|contest)\b", text).start())]
        if not rivals:
            return drafts
        subject = self._rival_subject(text, mentions, match)
        objects = [self.canonical(m) for m in rivals if self.canonical(m) != subject]
        if subject is None or not objects:
            return drafts
        draft = self._draft("competition", subject, object=objects[0], key=objects[0], confidence=0.7)
        for extra in objects[1:]:
            drafts.append(self._draft("competition", subject, object=extra, key=extra, confidence=0.7))
        drafts.append(draft)
        return drafts

    def _rival_subject(self, text: str, mentions: list[Mention], match: re.Match[str]) -> str | None:
        before = [m for m in mentions if m.end <= match.start()]
        if before and re.fullmatch(
            r",\s+(?:(?:a|an|its|their)\s+)?(?:\w+\s+)?", text[before[-1].end : match.start()] + " "
        ):
            return self.canonical(before[-1])
        gap = text[before[-1].end : match.start()] if before else ""
        if before and self.is_product(before[-1], text) and len(gap) < 25 and not re.search(r"[,;]", gap):
            return self.canonical(before[-1])  # "Pi chatbot competes with..."
        launched = next(
            (
                d
                for d in self.drafts
                if d.kind == "product_launch" and d.object and any(self.canonical(m) == d.object for m in before)
            ),
            None,
        )
        if launched is not None:
            return launched.object
        if lexicon.PRODUCT_REFERENCES.search(text[max(0, match.start() - 45) : match.start()]) and self.context.product:
            return self.context.product
        subject, _ = self.subject_before(text, mentions, match.start())
        return subject

    def partnerships(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        match = lexicon.PARTNERSHIP.search(text)
        if match:
            partner = next((m for m in mentions if m.start >= match.end() and self.is_org(m, text)), None)
            if partner is None or partner.start - match.end() > 30:
                return []
            subject, from_context = self.subject_before(text, mentions, match.start())
            other = self.canonical(partner)
            if subject is None or subject == other:
                return []
            self.mark(subject, "company")
            self.mark(other, "company")
            return [self._draft("partnership", subject, object=other, key=other, confidence=0.8 - 0.1 * from_context)]
        between = lexicon.PARTNERSHIP_BETWEEN.search(text)
        if between:
            orgs = list(dict.fromkeys(self.canonical(m) for m in mentions if self.is_org(m, text)))
            if len(orgs) >= 2:
                return [self._draft("partnership", orgs[0], object=orgs[1], key=orgs[1], confidence=0.7)]
        return []

    def funding(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        money = find_money(text)
        invest = re.search(
            r"\b(?:invest(?:s|ed|ing)?|(?:an? )?(?:\w+ )?investment of)\s+"
            r"(?:up to\s+|about\s+|more than\s+|nearly\s+)?",
            text,
        )
        raised = re.search(r"\b(?:rais(?:ed|es|ing)|secur(?:ed|es|ing)|clos(?:ed|es|ing))\b", text)
        round_name = lexicon.ROUND.search(text)
        subject: str | None = None
        investors: list[str] = []
        amount = None
        from_context = False
        if invest and money and any(m.start >= invest.start() for m in money):
            spent = next(m for m in money if m.start >= invest.start())
            target = re.match(r"\s+in\s+", text[spent.end :])
            recipient = next((m for m in mentions if target and m.start == spent.end + target.end()), None)
            if recipient is not None:
                subject = self.canonical(recipient)
                investor, _ = self.subject_before(text, mentions, invest.start())
                investors = [investor] if investor else []
                amount = Amount(value=spent.value, currency=spent.currency)
        elif raised and money and any(m.start > raised.end() for m in money):
            spent = next(m for m in money if m.start > raised.end())
            if spent.start - raised.end() < 30:
                subject, from_context = self.subject_before(text, mentions, raised.start())
                amount = Amount(value=spent.value, currency=spent.currency)
        cue = lexicon.INVESTORS_CUE.search(text)
        if cue:
            if re.match(r"(also )?(took|take|takes) part|particip|joined|led the", cue.group(), re.I):
                named = [m for m in mentions if m.end <= cue.start() and self.is_org(m, text)]
                named = named[:1]
            else:
                named = self.list_after(text, mentions, cue.end())
            investors += [self.canonical(m) for m in named if self.is_org(m, text) or not m.known]
        valuation = None
        if (valued := lexicon.VALUATION.search(text)) is not None:
            worth = next((m for m in money if m.start >= valued.start()), None)
            if worth is not None:
                valuation = Amount(value=worth.value, currency=worth.currency)
        if subject is None:
            if not (investors or valuation) or self.context.funded is None:
                return []
            subject = self.context.funded
        if subject is None:
            return []
        investors = [name for name in dict.fromkeys(investors) if name != subject]
        draft = self._draft("funding", subject, confidence=0.85 - 0.1 * from_context)
        if amount is not None and draft.amount is None:
            draft.amount = amount
        if valuation is not None and draft.valuation is None:
            draft.valuation = valuation
        if round_name and draft.round is None:
            draft.round = round_name.group()
        for investor in investors:
            if investor not in draft.investors:
                draft.investors.append(investor)
            self.mark(investor, "company")
        if draft.date is None and amount is not None:
            draft.date = self.date_in(text)
        self.mark(subject, "company")
        self.context.funded = subject
        return [draft]

    def headwinds(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        if not lexicon.IMPACT_CUES.search(text):
            return []
        drafts = []
        for match in lexicon.HEADWIND_PATTERN.finditer(text):
            headwind = self._headwind_name(match)
            affected = self._affected(text, mentions, match)
            if affected is None or headwind is None:
                continue
            self._hint(headwind, type="Headwind")
            draft = self._draft("headwind_affects", headwind, object=affected, key=affected, confidence=0.7)
            if draft not in drafts:
                drafts.append(draft)
        return drafts

    def _headwind_name(self, match: re.Match[str]) -> str | None:
        phrase = match.group("phrase").lower()
        names = next(names for pattern, names in lexicon.HEADWINDS.items() if re.fullmatch(pattern, phrase))
        modifier = (match.group("modifier") or "").strip()
        tries = [f"{modifier} {phrase}", phrase, *names] if modifier else [phrase, *names]
        for name in tries:
            found = self.index.lookup(name, types=["Headwind"])
            if len(found) == 1:
                return found[0].label
        return names[0]

    def _affected(self, text: str, mentions: list[Mention], match: re.Match[str]) -> str | None:
        orgs = [m for m in mentions if self.is_org(m, text) and not government(m) and not _inside(m, match)]
        after = [m for m in orgs if m.start >= match.end()]
        if after and not (after[0].possessive and after[0].start - match.end() > 40):
            return self.canonical(after[0])
        before = [m for m in orgs if m.end <= match.start()]
        if before:
            return self.canonical(before[0])
        if lexicon.INDUSTRY_REFERENCES.search(text) and self.context.industry:
            return self.context.industry
        industry = lexicon.INDUSTRIES.search(text)
        if industry:
            return self._industry_name(industry.group("name"))
        return self.context.company

    def statements(self, sentence: Sentence, mentions: list[Mention]) -> list[_Draft]:
        text = sentence.text
        match = lexicon.STATEMENT.search(text)
        if not match:
            return []
        subject, from_context = self.subject_before(text, mentions, match.start())
        if subject is None:
            return []
        responds = "layoff" if lexicon.IN_RESPONSE_TO_LAYOFFS.search(text) else None
        draft = self._draft("statement", subject, responds_to=responds, confidence=0.8 - 0.1 * from_context)
        if draft.date is None:
            draft.date = self.date_in(text)
        self.mark(subject, "company")
        return [draft]


def _key(draft: _Draft) -> object:
    if draft.kind == "financial_result":
        return draft.period.key if draft.period else None
    return draft.object


def _prior(text: str, money_start: int, segment_start: int) -> bool:
    """Whether an amount is a previous period's ("compared with a loss of 1.2 billion yuan a year earlier")."""
    before = text[max(segment_start, money_start - 30) : money_start]
    after = text[money_start : money_start + 45]
    return bool(re.search(r"\b(compared (?:with|to)|versus|vs\.?|from)\b", before)) or bool(
        re.search(r"^[^,;]*\b(a year (?:earlier|ago)|in the previous|last year)\b", after)
    )


def _inside(mention: Mention, match: re.Match[str]) -> bool:
    return mention.start < match.end() and match.start() < mention.end


def _names_in(fact: ProposedFact) -> list[str]:
    names = [fact.subject, *fact.participants, *fact.investors]
    if fact.object:
        names.append(fact.object)
    if fact.unit:
        names.append(fact.unit)
    return names
