"""What the rules extractor knows about one article while it reads it: names, coreference and facts so far.

Every per-kind reader in :mod:`kgraph.ingest.kinds` works over one :class:`ArticleContext`: the names found in each
sentence (:class:`Line`), how a written name maps to the entity it stands for (aliases, "SenseTime Group" for
SenseTime), what "the company", "the model" or "the sector" refer to (:class:`Focus`), and the drafts of facts
that later sentences may add to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgraph.factsheet.models import ORGANIZATION_TYPES, DateValue
from kgraph.ingest import lexicon
from kgraph.ingest.article import Article, Sentence
from kgraph.ingest.dates import FoundDate, find_dates, publication_date
from kgraph.ingest.draft import Draft
from kgraph.ingest.mentions import Mention, MentionFinder, company_like, government, product_like
from kgraph.ingest.proposal import EntityHint, FactKind
from kgraph.ingest.quantities import FoundPeriod
from kgraph.resolve import EntityIndex, fold

_ALIAS = re.compile(r",\s+(?:the|a|an)\s+[\w\s-]{0,40}?(?:better|also|widely)\s+known\s+as\s+", re.IGNORECASE)
_OTHER_NAME = re.compile(
    r",\s+(?:(?:the|a|an)\s+[\w\s-]{0,40}?)?(?:(?:formerly|previously|once)\s+(?:known\s+as|called)|known\s+in\s+"
    r"(?:Chinese|China)\s+as)\s+",
    re.IGNORECASE,
)
_CHINESE_NAME = re.compile(r"\s*\(([A-Z][\w-]+(?: [A-Z][\w-]+)?) in Chinese\)")
_ABBREVIATION = re.compile(r"^\s*\(([A-Z][A-Za-z0-9&]{1,9})\)")
_PERSON_AFTER = re.compile(
    r",\s+(?:who\b|(?:the|a|an|its|their|[\w.&-]+['’]s)\s+(?:[\w-]+\s+){0,3}?(?:chief|executive|founder|co-founder|chairman|"
    r"president|vice-president|analyst|minister|head|director|boss|partner|researcher|professor)\b)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|but|while|whereas|although)\s+|\s+(?:and|but)\s+(?=it\b|the company\b)")
_CLAUSE_REFERENCE = re.compile(r"(?:it|the (?:[\w-]+ ){0,2}?(?:company|firm|group|start-up|startup))\b", re.IGNORECASE)
#: A name opening a reporting clause: "..., Tensor Labs said".
_REPORTS = re.compile(r"\s+(?:said|says|told|added|noted|claimed|claims|reported|wrote)\b")
_ALIAS_GAP = re.compile(r",\s+the\s+[\w\s-]{0,30}?(?:formerly|also|better)\s+known\s+as\s+", re.IGNORECASE)
#: "Google, which is owned by Alphabet, and Nvidia": the middle clause belongs to the name before it.
_APPOSITIVE_GAP = re.compile(r",\s+(?:which|who)\s+[\w\s-]{0,40}?,\s*(?:and\s+)?", re.IGNORECASE)
_RELATIVE_REFERENCE = re.compile(
    r"(?P<reference>\b(?:the (?:[\w-]+ ){0,2}?(?:company|firm|start-up|startup|group)))?,?\s+(?:which|that)\s+"
    r"(?:(?:also|has|have|had|recently|later|then|just)\s+){0,2}$",
    re.IGNORECASE,
)
_DESCRIBES_NEXT = re.compile(r"\s+(?:owner|parent|maker|developer|operator|backer|investor)(?:['’]s)?\b")
_TITLED_NAME = re.compile(
    r"\b(?:President|Prime Minister|Premier|Senator|Secretary|Minister|Mr|Mrs|Ms|Dr|chief executive|founder|"
    r"chairman|chairwoman|boss|analyst|CEO)\.?\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\b"
)
_INSIDE_RELATIVE = re.compile(r",\s+(?:which|who)\s+[\w\s-]{0,40}$", re.IGNORECASE)
_DESCRIPTION = re.compile(
    r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,5}?(?:company|group|firm|start-up|startup|maker|giant|chipmaker|designer|"
    r"developer|operator|specialist|lab|retailer|manufacturer|provider|conglomerate|business)\b",
    re.IGNORECASE,
)
_GENERIC_WORDS = {
    "the", "a", "an", "company", "group", "firm", "start-up", "startup", "business", "its", "it", "of", "and", "in",
    "new", "young", "big", "large", "largest", "biggest", "world's", "country's", "leading", "chinese", "american",
    "us",
}  # fmt: skip


def _description_words(phrase: str) -> set[str]:
    """The telling words of a description: "the Hangzhou-based e-commerce group" -> hangzhou-based, e-commerce."""
    words = {word for word in re.findall(r"[\w'’-]+", phrase.lower()) if word not in _GENERIC_WORDS}
    return words | {"chip" for word in words if "chip" in word}


_LIST_GAP = re.compile(r"^\s*(?:,|and|or|,\s*and|and of|as well as|plus)?\s*$")
_OWNED = re.compile(
    r"['’]s\s+(?:[a-z-]+\s+){0,4}(?:company|firm|start-up|startup|unit|subsidiary|venture|lab|group)\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class Line:
    """A sentence being read and the names in it."""

    sentence: Sentence
    mentions: list[Mention]
    #: The drafts the readers have proposed or added to from this sentence so far.
    read: list[Draft] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.sentence.text


@dataclass
class Focus:
    """What the article is about so far: what "the company", "the model", "the sector" and "the period" refer to."""

    company: str | None = None
    product: str | None = None
    industry: str | None = None
    period: FoundPeriod | None = None
    funded: str | None = None
    headwind: str | None = None


def _outlet(mention: Mention) -> bool:
    """Whether a name is a news outlet's ("Reuters", "Shanghai Daily")."""
    return (
        mention.name.lower() in lexicon.NEWS_OUTLETS
        or "NewsPublisher" in mention.types
        or mention.name.split()[-1].lower() in lexicon.OUTLET_WORDS
    )


class ArticleContext:
    """Names, coreference and drafts of one article, shared by the per-kind readers."""

    def __init__(self, index: EntityIndex, article: Article) -> None:
        self.index = index
        self.article = article
        self.published = publication_date(article.published)
        self.finder = MentionFinder(index, article_text=article.text)
        self.focus = Focus()
        self.drafts: list[Draft] = []
        self._drafts_by: dict[tuple[str, str | None], list[Draft]] = {}  # (kind, subject) and (kind, None)
        self.hints: dict[str, EntityHint] = {}
        self.aliases: dict[str, str] = {}  # folded written name -> the name used for the entity
        self._by_first_word: dict[str, list[str]] = {}  # first word -> the folded names in aliases
        self.kinds: dict[str, str] = {}  # name -> "company" | "product"
        self.persons: set[str] = set()  # folded names of people
        self.descriptions: dict[str, set[str]] = {}  # name -> the words the article describes it with
        self.recent: dict[str, None] = {}  # organisations in the order last named
        self.surnames: set[str] = set()  # their last names, as written
        self.last_date: DateValue | None = None  # the last date written so far ("that month" refers to it)
        self._labels = {candidate.label for candidate in index.candidates.values()}

    # -- names --------------------------------------------------------------------------------------------------

    def canonical(self, mention: Mention) -> str:
        """The name an entity goes by in the proposal: the graph's label, else the first way the article wrote it."""
        if mention.candidate is not None:
            return mention.candidate.label
        key = fold(mention.name)
        if key in self.aliases:
            return self.aliases[key]
        words = key.split()
        for shorter in (True, False):  # "SenseTime" for a known "SenseTime Group" first, then the other way round
            for known_key in list(self._by_first_word.get(words[0] if words else "", [])):
                name, known_words = self.aliases[known_key], known_key.split()
                short, long = (words, known_words) if shorter else (known_words, words)
                if len(short) < len(long) and long[: len(short)] == short:
                    extra = long[len(short) :]
                    if all(word in lexicon.COMPANY_WORDS for word in extra) and extra[-1] not in lexicon.UNIT_WORDS:
                        self.hint(name, aliases=[mention.name])
                        self.alias(key, name)
                        return name
        self.alias(key, mention.name)
        return mention.name

    def alias(self, key: str, name: str) -> None:
        """Record that the folded written name ``key`` stands for the entity called ``name``."""
        if key not in self.aliases:
            self._by_first_word.setdefault(key.split()[0] if key else "", []).append(key)
        self.aliases[key] = name

    def hint(self, name: str, **values: object) -> None:
        """Record what is known about ``name`` (aliases add up; other values are kept when first given)."""
        hint = self.hints.get(name) or EntityHint(name=name)
        update: dict[str, object] = {}
        for key, value in values.items():
            if key == "aliases":
                update["aliases"] = list(dict.fromkeys([*hint.aliases, *value]))  # type: ignore[misc]
            elif value is not None and getattr(hint, key) is None:
                update[key] = value
        self.hints[name] = hint.model_copy(update=update)

    def mark(self, name: str, kind: str, sentence_text: str = "") -> None:
        """Record that ``name`` is used as a company or as a product (unknown names get their class from this)."""
        if name in self._labels:
            return
        if kind == "company":
            self.kinds.setdefault(name, "company")
            self.hint(name, type="Company")
        else:
            self.kinds[name] = "product"
            llm = lexicon.LLM_CUES.search(sentence_text) and not lexicon.CHATBOT_CUES.search(sentence_text)
            self.hints[name] = (self.hints.get(name) or EntityHint(name=name)).model_copy(
                update={"type": "LargeLanguageModel" if llm else "AIProduct"}
            )

    def is_person(self, mention: Mention) -> bool:
        """Whether an unknown name is a person's: the article calls them by surname alone, or "X, who..."."""
        return not mention.known and (fold(mention.name) in self.persons or mention.name in self.surnames)

    def is_org(self, mention: Mention, text: str) -> bool:
        """Whether ``mention`` names an organisation, as the graph or the sentence says."""
        if _outlet(mention):
            return False  # the one reporting is not the one the facts are about
        if mention.known:
            return bool(mention.types & ORGANIZATION_TYPES)
        if self.is_person(mention):
            return False
        name = self.canonical(mention)
        if self.kinds.get(name) == "product":
            return False
        return company_like(mention) or not product_like(text, mention)

    def is_product(self, mention: Mention, text: str) -> bool:
        """Whether ``mention`` names a product, as the graph or the sentence says."""
        if mention.known:
            return not mention.types & ORGANIZATION_TYPES and bool(
                mention.types & {"Product", "AIProduct", "LargeLanguageModel"}
            )
        name = self.canonical(mention)
        return self.kinds.get(name) == "product" or (not company_like(mention) and product_like(text, mention))

    def launchable(self, mention: Mention, text: str) -> bool:
        """Whether ``mention`` may be the product of a launch."""
        if mention.known:
            return self.is_product(mention, text)
        return (
            not company_like(mention)
            and not self.is_person(mention)
            and self.kinds.get(self.canonical(mention)) != "company"
        )

    def describes_another(self, line: Line, mention: Mention) -> bool:
        """Whether a name only describes another organisation ("TikTok owner ByteDance", "the TikTok owner")."""
        return bool(_DESCRIBES_NEXT.match(line.text, mention.end))

    def learn_descriptions(self, lines: list[Line]) -> None:
        """What the article calls each organisation ("Nvidia, the chipmaker", "Alibaba, the Hangzhou-based group")."""
        for line in lines:
            for mention in line.mentions:
                described = _DESCRIPTION.match(line.text, mention.end)
                if described and self.is_org(mention, line.text):
                    words = _description_words(described.group())
                    self.descriptions.setdefault(self.canonical(mention), set()).update(words)

    def seen(self, line: Line) -> None:
        """Note the organisations a sentence names, most recent last (for "the chipmaker" in a later sentence), and
        the last date it writes (for "that month" in a later sentence)."""
        dates = self.dates_in(line.text)
        if dates:
            self.last_date = dates[-1].value
        for mention in line.mentions:
            if self.is_org(mention, line.text) and not government(mention):
                name = self.canonical(mention)
                self.recent.pop(name, None)
                self.recent[name] = None

    def referent(self, phrase: str) -> str | None:
        """The company "the chipmaker" or "the search group" refers to: the latest one the article described with
        those words, else the company the article is about."""
        words = _description_words(phrase)
        if words:
            for name in reversed(self.recent):
                if words & self.descriptions.get(name, set()):
                    return name
        return self.focus.company

    def learn_people(self, lines: list[Line]) -> None:
        """Names of people: after a title ("President Donald Trump"), or two or three plain words whose last one the
        article also uses alone ("Mensch said")."""
        alone = {m.name for line in lines for m in line.mentions if not m.known and " " not in m.name}
        for line in lines:
            for titled in _TITLED_NAME.finditer(line.text):
                self.persons.add(fold(titled.group("name")))
                self.surnames.add(titled.group("name").split()[-1])
            for mention in line.mentions:
                words = mention.name.replace("-", " ").split()
                if mention.known or company_like(mention) or not 2 <= len(mention.name.split()) <= 3:
                    continue
                if not all(re.fullmatch(r"[A-Z][a-z]+", word) for word in words):
                    continue
                if mention.name.split()[-1] in alone or _PERSON_AFTER.match(line.text[mention.end :]):
                    self.persons.add(fold(mention.name))
                    self.surnames.add(mention.name.split()[-1])

    def learn_aliases(self, lines: list[Line]) -> None:
        """ "X, the start-up better known as Y", "Some Unit (SU)", "Semiconductor Manufacturing International Corp"
        and "SMIC": both names are one entity's."""
        acronyms = {m.name: m for line in lines for m in line.mentions if re.fullmatch(r"[A-Z]{2,6}", m.name)}
        for line in lines:
            text, mentions = line.text, line.mentions
            for mention in mentions:
                if not mention.known and fold(mention.name) not in self.aliases:
                    if not _ALIAS.match(text[mention.end :]):
                        self.canonical(mention)
            for first, second in zip(mentions, mentions[1:], strict=False):
                between = text[first.end : second.start]
                if _ALIAS.fullmatch(between) or re.fullmatch(r",\s+(?:also |better )?known as\s+", between):
                    self._same_entity(second, first)  # "X, the start-up better known as Y": Y is its name
                elif _OTHER_NAME.fullmatch(between):
                    self._same_entity(first, second)  # "X, formerly known as Y", "X, known in Chinese as Y"
            for mention in mentions:
                self._learn_acronym(mention, acronyms)
                chinese = _CHINESE_NAME.match(text, mention.end)
                if chinese and not mention.known:  # "ChatRhino (Yanxi in Chinese)"
                    name = self.canonical(mention)
                    self.alias(fold(chinese.group(1)), name)
                    self.hint(name, aliases=[chinese.group(1)])
                match = _ABBREVIATION.match(text[mention.end :])
                if match and not mention.known:
                    name = self.canonical(mention)
                    self.alias(fold(match.group(1)), name)
                    self.hint(name, aliases=[match.group(1)])

    def _same_entity(self, named: Mention, other: Mention) -> None:
        """Record that ``other`` is another name of the entity ``named`` names."""
        name = named.candidate.label if named.candidate else named.name
        self.alias(fold(other.name), name)
        self.alias(fold(named.name), name)
        self.hint(name, aliases=[other.name])

    def _learn_acronym(self, mention: Mention, acronyms: dict[str, Mention]) -> None:
        words = [word for word in mention.name.split() if word[0].isupper()]
        if mention.known or len(words) < 2:
            return
        initials = "".join(word[0] for word in words)
        for candidate in (initials, initials[:-1] if words[-1].lower().rstrip(".") in lexicon.COMPANY_WORDS else ""):
            short = acronyms.get(candidate)
            if candidate and short is not None:
                name = short.candidate.label if short.candidate else self.canonical(short)
                self.alias(fold(mention.name), name)
                self.hint(name, aliases=[mention.name])
                return

    def industry_name(self, name: str) -> str:
        """The graph's label for an industry written as ``name`` ("the chip sector"), else the name itself."""
        for candidate in (name, re.sub(r"\bsector\b", "industry", name)):
            found = self.index.lookup(candidate, types=["Industry", "Market"])
            if len(found) == 1:
                return found[0].label
        return re.sub(r"\bsector\b", "industry", name)

    # -- drafts -------------------------------------------------------------------------------------------------

    def draft(
        self, kind: FactKind, subject: str, *, key: object = None, fresh: bool = False, **values: object
    ) -> Draft:
        """The draft of this kind, subject (and key) so far, completed with ``values``; a new one if none (or
        ``fresh``)."""
        for draft in [] if fresh else self.drafts_of(kind, subject):
            if key is None or draft.key == key:
                for name, value in values.items():
                    if getattr(draft, name) in (None, [], False) and value not in (None, []):
                        setattr(draft, name, value)
                return draft
        draft = Draft(kind, subject, **values)  # type: ignore[arg-type]
        self.drafts.append(draft)
        self._drafts_by.setdefault((kind, subject), []).append(draft)
        self._drafts_by.setdefault((kind, None), []).append(draft)
        return draft

    def pair(self, kind: FactKind, subject: str, other: str, *, confidence: float) -> Draft:
        """The draft of a symmetric relation (partnership, rivalry) between two names, whichever was named first."""
        reverse = next((d for d in self.drafts_of(kind, other) if d.object == subject), None)
        return reverse or self.draft(kind, subject, object=other, key=other, confidence=confidence)

    def drafts_of(self, kind: FactKind, subject: str | None = None) -> list[Draft]:
        """The drafts of one kind (and subject), oldest first."""
        return self._drafts_by.get((kind, subject), [])

    # -- reading helpers ----------------------------------------------------------------------------------------

    def subject_before(self, line: Line, position: int) -> tuple[str | None, bool]:
        """The organisation a clause is about (the first one before ``position``), else the article's company.

        The flag says whether the subject came from context rather than from the sentence.
        """
        text, mentions = line.text, line.mentions
        relative = _RELATIVE_REFERENCE.search(text, 0, position)
        if relative:  # "runs the company, which closed a round"
            named = next((m for m in mentions if m.end == relative.start() and self.is_org(m, text)), None)
            if named is not None:
                return self.canonical(named), False
            if relative.group("reference") and self.focus.company:
                return self.focus.company, True
        clause = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, position)), default=0)
        if clause and self.focus.company and _CLAUSE_REFERENCE.match(text, clause):
            if not any(clause <= m.start < position and self.is_org(m, text) for m in mentions):
                return self.focus.company, True  # "..., and it has teamed up with Nvidia"
        reference = lexicon.COMPANY_REFERENCES.match(text)
        if reference and self.focus.company:
            first = next((m for m in mentions if m.start < position and self.is_org(m, text)), None)
            if first is None or first.start > text.lower().find(" ") + 1:
                return self.referent(reference.group(1)), True
        for mention in mentions:
            if mention.start >= position:
                break
            if self.is_org(mention, text) and not government(mention):
                if self.describes_another(line, mention):
                    continue  # "TikTok owner ByteDance", "the TikTok owner's model": the owner is the subject
                between = text[max(0, mention.start - 12) : mention.start].lower()
                if re.search(r"\b(by|to|with|from|than|of|for)\s+(?:former\s+)?$", between):
                    continue
                if mention.possessive and self._owned_company(line, mention):
                    continue  # "Elon Musk's AI company xAI": the company is the subject
                return self.canonical(mention), False
        return self.focus.company, True

    def _owned_company(self, line: Line, owner: Mention) -> bool:
        following = next((m for m in line.mentions if m.start > owner.end), None)
        if following is None:
            return False
        return bool(_OWNED.fullmatch(line.text[owner.end : following.start]))

    def clause_start(self, line: Line, position: int) -> int:
        """Where the clause holding ``position`` begins: after a semicolon or a ", and", ", but"... before it."""
        return max((m.end() for m in _CLAUSE_BREAK.finditer(line.text, 0, position)), default=0)

    def clause_end(self, line: Line, position: int) -> int:
        """Where the clause holding ``position`` ends: at the next semicolon or ", and", ", but"..., else the end."""
        following = _CLAUSE_BREAK.search(line.text, position)
        return following.start() if following else len(line.text)

    def hedged(self, line: Line, position: int) -> bool:
        """Whether the clause before ``position`` makes the fact a plan, a guess or a denial ("intends to bring out",
        "is expected to", "denied that it would")."""
        clause = self.clause_start(line, position)
        return bool(lexicon.HEDGES.search(line.text, max(clause, position - 60), position))

    def dates_in(self, text: str) -> list[FoundDate]:
        """The dates written in ``text``, resolved against the publication date and, for "that month", against the
        last date written before."""
        return find_dates(text, published=self.published, earlier=self.last_date)

    def date_in(self, text: str) -> DateValue | None:
        """The first date written in ``text`` (see :meth:`dates_in`)."""
        found = self.dates_in(text)
        return found[0].value if found else None

    def list_before(self, line: Line, position: int, *, reach: int = 40) -> list[Mention]:
        """The names listed right before ``position`` ("Intel, AMD and IBM also took part"), appositives skipped."""
        text = line.text
        before = [m for m in line.mentions if m.end <= position]
        listed: list[Mention] = []
        cursor = position
        for mention in reversed(before):
            relative = _INSIDE_RELATIVE.search(text, 0, mention.start)
            if listed and relative:
                cursor = relative.start()  # "Google, which is owned by Alphabet, and Nvidia": Alphabet is not listed
                continue
            gap = text[mention.end : cursor]
            if not listed and (len(gap) > reach or re.search(r"[;.]", gap)):
                break
            if listed and _ALIAS_GAP.fullmatch(gap):
                listed[-1] = mention  # "HongShan, the firm formerly known as Sequoia China": one investor
            elif listed and not (_LIST_GAP.match(gap) or _APPOSITIVE_GAP.fullmatch(gap)):
                break
            else:
                listed.append(mention)
            cursor = mention.start
        return [m for m in reversed(listed) if not self.is_product(m, text)]

    def list_after(self, line: Line, position: int, *, reach: int = 40) -> list[Mention]:
        """The names listed right after ``position`` ("with Alibaba, Tencent and Meituan")."""
        text, mentions = line.text, line.mentions
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
            if listed and _REPORTS.match(text, mention.end):
                break  # "Sanctions weigh on Huawei, Tensor Labs said": the one reporting it is not listed
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
