"""Problems found in input, reported with where they are and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: the file, the line, the YAML path or entity, and the message."""

    file: str
    line: int | None
    where: str | None
    message: str

    def __str__(self) -> str:
        location = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class KgraphError(Exception):
    """Base of kgraph's errors: a message meant for the person at the keyboard."""


class UnknownKindError(KgraphError, ValueError):
    """A kind of entity, event or fact that the ontology does not define."""


class DataError(KgraphError):
    """The input has problems; nothing was loaded or written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.where or "", p.message))
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the input:\n{lines}")
