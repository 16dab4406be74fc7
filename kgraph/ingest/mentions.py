"""Names in a sentence: entities the graph knows (labels and aliases, folded) and capitalised names it does not."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kgraph.factsheet.models import ORGANIZATION_TYPES, PRODUCT_TYPES
from kgraph.ingest import lexicon
from kgraph.resolve import LEGAL_SUFFIXES, Candidate, EntityIndex, fold

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[^\s,;:()\"“”!?]+")
_KEEP_DOT = {"co.", "inc.", "ltd.", "corp.", "u.s."}
_VERSION = re.compile(r"^(?:v?\d+(?:\.\d+)*[a-z]?|[A-Z]\d+\w*|\d+[A-Za-z]+|Pro|Max|Ultra|Mini|Nano|Turbo|Plus|\+\+)$")
_MONEY_LIKE = re.compile(r"^(?:RMB|USD|CNY|HKD|EUR|GBP|JPY|US\$|HK\$|\$|¥)|\$", re.IGNORECASE)
_SPELT_OUT = re.compile(r"((?:\b[a-z][\w-]*\s+){1,6})\(([A-Z]{2,6})\)")
_ADJECTIVE_SUFFIX = re.compile(
    r"-(?:listed|based|backed|owned|headquartered|born|made|founded|funded|led|old|year-old|style)$", re.IGNORECASE
)
_LEGAL = {suffix for suffix in LEGAL_SUFFIXES if " " not in suffix}
_NAMED_TYPES = ORGANIZATION_TYPES | PRODUCT_TYPES | {"Industry", "Market", "BusinessUnit"}


@dataclass(frozen=True)
class Mention:
    """A name in a sentence (offsets within the sentence) and the entity it names, when the graph knows it."""

    name: str
    start: int
    end: int
    candidate: Candidate | None = None
    possessive: bool = False

    @property
    def types(self) -> frozenset[str]:
        return frozenset(self.candidate.types) if self.candidate else frozenset()

    @property
    def known(self) -> bool:
        return self.candidate is not None


def _fold_token(token: str) -> str:
    return unicodedata.normalize("NFKC", token).casefold()


class MentionFinder:
    """Finds the names in sentences of one article."""

    def __init__(self, index: EntityIndex, *, article_text: str = "") -> None:
        self.index = index
        self._names: dict[tuple[str, ...], Candidate] = {}
        self._ambiguous: set[tuple[str, ...]] = set()
        for candidate in index.candidates.values():
            if not set(candidate.types) & _NAMED_TYPES:
                continue
            for name in candidate.names:
                key = tuple(fold(name).split())
                if not key:
                    continue
                if key in self._names and self._names[key].iri != candidate.iri:
                    self._ambiguous.add(key)
                self._names.setdefault(key, candidate)
        self._longest = max((len(key) for key in self._names), default=1)
        # Acronyms the article spells out in lower case are common nouns ("high-bandwidth memory (HBM)").
        self._common_acronyms = {
            match.group(2)
            for match in _SPELT_OUT.finditer(article_text)
            if _initials(match.group(1), len(match.group(2))) == match.group(2).lower()
        }
        # Capitalised words that also occur capitalised inside sentences are names, not sentence openers.
        capitalised = Counter(re.findall(r"\b[A-Z][\w-]*", article_text))
        self._proper = (
            {match.group(1) for match in re.finditer(r"(?<=[a-z,] )([A-Z][\w-]*)", article_text)}
            | {match.group() for match in re.finditer(r"\b[a-z]+[A-Z]\w*\b", article_text)}
            | {word for word, count in capitalised.items() if count >= 2 and word.lower() not in lexicon.COMMON_WORDS}
        )

    # -- known names ---------------------------------------------------------------------------------------------

    def _known(self, text: str) -> list[Mention]:
        words = list(_WORD.finditer(text))
        folded = [_fold_token(w.group()) for w in words]
        found: list[Mention] = []
        index = 0
        while index < len(words):
            for size in range(min(self._longest, len(words) - index), 0, -1):
                key = tuple(folded[index : index + size])
                if key not in self._names:
                    continue
                start, end = words[index].start(), words[index + size - 1].end()
                span = text[start:end]
                if re.match(r"\s+v?\d+(?:\.\d+)*\b", text[end:]):
                    continue  # "SenseNova 5.0" is a new version, not SenseNova
                if not any(ch.isupper() or ch.isdigit() for ch in span) and span.isascii():
                    continue
                # a unit named after its parent is another entity ("Alibaba Cloud", "JD Health")
                if (
                    index + size < len(words)
                    and folded[index + size] in lexicon.UNIT_WORDS
                    and words[index + size].group()[0].isupper()
                    and text[end : words[index + size].start()] == " "
                ):
                    continue
                # a legal suffix written after the name belongs to it ("SenseTime Group")
                after = index + size
                while after < len(words) and folded[after] in _LEGAL and words[after].group()[0].isupper():
                    end = words[after].end()
                    after += 1
                candidate = None if key in self._ambiguous else self._names[key]  # ambiguous: a name all the same
                possessive = _possessive(text, end)
                found.append(Mention(text[start:end], start, end, candidate, possessive))
                index = after
                break
            else:
                index += 1
        return found

    # -- unknown names -------------------------------------------------------------------------------------------

    def _capitalised(self, token: str) -> bool:
        return bool(token) and (
            token[0].isupper() or bool(re.match(r"^[a-z]+[A-Z]", token)) or bool(re.match(r"^\d+\.?[A-Z]", token))
        )

    def _runs(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        tokens = []
        for match in _TOKEN.finditer(text):
            raw = match.group()
            start, end = match.start(), match.end()
            possessive = False
            if raw.endswith(("'s", "’s")):
                raw, end, possessive = raw[:-2], end - 2, True
            elif raw.endswith(("s'", "s’")) and len(raw) > 2:
                raw, end, possessive = raw[:-1], end - 1, True  # "Tensor Labs' model"
            while raw and raw[-1] in ".'’" and raw.lower() not in _KEEP_DOT:
                raw, end = raw[:-1], end - 1
            if raw:
                tokens.append((raw, start, end, possessive))
        runs: list[list[tuple[str, int, int, bool]]] = []
        current: list[tuple[str, int, int, bool]] = []
        for position, token in enumerate(tokens):
            raw, start, end, _ = token
            inside_known = any(s <= start < e for s, e in taken)
            gap = text[current[-1][2] : start] if current else ""
            joined = current and (not gap.strip() or _place_in_brackets(text, gap, start, end)) and not current[-1][3]
            continues = joined and (
                self._capitalised(raw)
                or _VERSION.match(raw)
                or raw in ("&", "++")
                or self._joins_body_name(current, raw, tokens[position + 1 : position + 2])
            )
            if not inside_known and current and continues:
                current.append(token)
                continue
            if current:
                runs.append(current)
                current = []
            if not inside_known and self._capitalised(raw):
                current = [token]
        if current:
            runs.append(current)
        mentions = []
        for run in runs:
            mention = self._clean_run(text, run)
            if mention is not None:
                mentions.append(mention)
        return mentions

    def _joins_body_name(
        self, current: list[tuple[str, int, int, bool]], word: str, following: list[tuple[str, int, int, bool]]
    ) -> bool:
        """Whether "of", "for" or "and" goes on with the name of a body ("Ministry of Commerce", "Bureau of Industry
        and Security", "University of Hong Kong"): after its head word, or after an "of" already taken in."""
        if word not in ("of", "for", "and") or not following or not self._capitalised(following[0][0]):
            return False
        words = [token[0].lower() for token in current]
        if word == "and":
            return "of" in words or "for" in words
        return words[-1] in lexicon.ORGANIZATION_WORDS

    def _clean_run(self, text: str, run: list[tuple[str, int, int, bool]]) -> Mention | None:
        words = [token[0] for token in run]
        ends_as_company = words[-1].lower().rstrip(".") in lexicon.COMPANY_WORDS
        while run and (run[0][0].lower() in lexicon.STOP_WORDS or _ADJECTIVE_SUFFIX.search(run[0][0])):
            opener = run[0][0].lower() in {"the", "a", "an", "in", "on", "as"} or _ADJECTIVE_SUFFIX.search(run[0][0])
            if ends_as_company and len(run) >= 3 and not opener:
                break
            if run[0][0].lower() in lexicon.PLACES and len(run) > 1 and run[1][0].lower() not in lexicon.STOP_WORDS:
                break  # "China Mobile", "US Commerce Department": the place is part of the name
            run = run[1:]
        while run and (
            run[-1][0].lower() in lexicon.STOP_WORDS - {"ai", "group", "company"}
            or _ADJECTIVE_SUFFIX.search(run[-1][0])
        ):
            run = run[:-1]  # "Hong Kong-listed", "Paris-based": a description, not a name
        if not run:
            return None
        name = text[run[0][1] : run[-1][2]]
        if re.fullmatch(r"\d{4,6}\.[A-Z]{1,3}", name) or name in self._common_acronyms:
            return None  # a stock ticker ("688256.SH"), a common noun's acronym ("high-bandwidth memory (HBM)")
        standalone = re.fullmatch(r"[A-Z]\d{2,}[A-Za-z]*", name)  # "G42", "A100": a name, not a version number
        if len(name) < 2 or (_VERSION.fullmatch(name) and not standalone) or _MONEY_LIKE.match(name):
            return None
        if lexicon.PERSON_TITLES.search(text[max(0, run[0][1] - 40) : run[0][1]]):
            return None
        at_sentence_start = not text[: run[0][1]].strip()
        if at_sentence_start and len(run) == 1 and name not in self._proper and not re.search(r"[A-Z].*[A-Z]|\d", name):
            return None
        if all(word.lower() in lexicon.STOP_WORDS for word in name.split()):
            return None
        return Mention(name, run[0][1], run[-1][2], None, run[-1][3])

    def find(self, text: str) -> list[Mention]:
        """The names in one sentence, in order."""
        known = self._known(text)
        taken = [(m.start, m.end) for m in known]
        unknown = self._runs(text, taken)
        return sorted(known + unknown, key=lambda m: m.start)


def _possessive(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is written as an owner: "Baidu's", "Tensor Labs'"."""
    return text[end : end + 2] in ("'s", "’s") or (text[end - 1 : end] == "s" and text[end : end + 1] in ("'", "’"))


def _place_in_brackets(text: str, gap: str, start: int, end: int) -> bool:
    """Whether a name goes on through a place in brackets: "LINKZOL (Beijing) Technology Co."."""
    if gap == " (":
        word = text[start:end]
        return (
            text[end : end + 1] == ")"
            and bool(re.fullmatch(r"[A-Z][a-z]+", word))
            and word.lower() not in lexicon.NEWS_OUTLETS
            and bool(re.search(r"[A-Za-z]$", text[: start - 2]))
        )
    return gap == ") " and bool(re.search(r" \([A-Z][a-z]+$", text[: start - 2]))


def _initials(words: str, count: int) -> str:
    """The first letters of the last ``count`` words ("high-bandwidth memory" -> "hbm")."""
    return "".join(word[0] for word in re.findall(r"[a-z]+", words.lower())[-count:])


def product_like(text: str, mention: Mention) -> bool:
    """Whether the words around an unknown name make it a product (a model, chatbot, chip...)."""
    if mention.known:
        return bool(mention.types & PRODUCT_TYPES)
    if lexicon.PRODUCT_NOUNS.match(text[mention.end :]):
        return True
    if re.search(r"\b(the|its|their)\s+$", text[max(0, mention.start - 6) : mention.start]) and not any(
        w.lower().rstrip(".") in lexicon.COMPANY_WORDS for w in mention.name.split()
    ):
        return True
    return bool(re.search(r"\d|-\d", mention.name)) and not mention.name[0].isdigit()


def event(mention: Mention) -> bool:
    """Whether a name is an event's ("World Governments Summit", "Baidu World 2023 conference")."""
    return mention.name.split()[-1].lower() in lexicon.EVENT_WORDS


def company_like(mention: Mention) -> bool:
    """Whether a name is an organisation's: known as one, or written like one."""
    if mention.known:
        return bool(mention.types & ORGANIZATION_TYPES)
    words = [w.lower().rstrip(".") for w in mention.name.split()]
    return words[-1] in lexicon.COMPANY_WORDS or words[-1] in lexicon.ORGANIZATION_WORDS


def government(mention: Mention) -> bool:
    return any(word.lower() in lexicon.GOVERNMENT_WORDS for word in mention.name.split())


def names(mentions: Iterable[Mention]) -> list[str]:
    return [m.name for m in mentions]
