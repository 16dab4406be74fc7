"""The change log: one JSON line per write in ``data/changes.jsonl`` (time, command, source, facts touched).

Facts are counted by node, not by triple: a fact's parts (``kgd:x/share``, ``kgd:x/reduction-1``) count as the fact
``x``; an entity counts as itself. A fact is *changed* when both versions have it with different triples.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgraph.vocabulary import KGD

LOG_NAME = "changes.jsonl"
#: At most this many identifiers are listed per kind of change; the counts are always complete.
LISTED = 50


@dataclass(frozen=True)
class Change:
    """One write to the landscape, as the change log records it."""

    id: str
    time: str
    command: str
    source: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""

    def summary(self) -> str:
        counts = self.counts or {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)}
        return f"+{counts['added']} -{counts['removed']} ~{counts['changed']}"


def fact_key(node: ox.NamedNode | ox.BlankNode) -> str:
    """The fact or entity a node belongs to: ``kgd:x/share`` belongs to ``x``; other IRIs stand for themselves."""
    text = node.value if isinstance(node, ox.NamedNode) else f"_:{node.value}"
    if text.startswith(str(KGD)):
        return text[len(str(KGD)) :].split("/")[0]
    return text


def _by_fact(triples: Iterable[ox.Triple]) -> dict[str, set[ox.Triple]]:
    grouped: dict[str, set[ox.Triple]] = defaultdict(set)
    for triple in triples:
        grouped[fact_key(triple.subject)].add(triple)  # type: ignore[arg-type]
    return grouped


def compare(old: Iterable[ox.Triple], new: Iterable[ox.Triple]) -> tuple[list[str], list[str], list[str]]:
    """The facts (and entities) that ``new`` adds, removes and changes against ``old``, each list sorted."""
    before, after = _by_fact(old), _by_fact(new)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(key for key in set(before) & set(after) if before[key] != after[key])
    return added, removed, changed


def record(
    command: str, source: str, old: Iterable[ox.Triple], new: Iterable[ox.Triple], *, note: str = ""
) -> dict[str, Any]:
    """The log entry of a write (without its id and time, which the journal gives it)."""
    added, removed, changed = compare(old, new)
    return {
        "command": command,
        "source": source,
        "added": added[:LISTED],
        "removed": removed[:LISTED],
        "changed": changed[:LISTED],
        "counts": {"added": len(added), "removed": len(removed), "changed": len(changed)},
        "note": note,
    }


def append(data_dir: Path, entry: dict[str, Any]) -> None:
    """Add ``entry`` to the log unless an entry with its id is there already (a write completed after a crash)."""
    path = Path(data_dir) / LOG_NAME
    if any(change.id == entry["id"] for change in read(data_dir)):
        return
    cut_short = path.is_file() and path.stat().st_size and not path.read_bytes().endswith(b"\n")
    with open(path, "a", encoding="utf-8") as out:
        out.write(("\n" if cut_short else "") + json.dumps(entry, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())


def read(data_dir: Path, *, since: dt.date | dt.datetime | None = None) -> list[Change]:
    """The changes recorded for ``data_dir``, oldest first; ``since`` keeps those at or after a day or instant."""
    path = Path(data_dir) / LOG_NAME
    if not path.is_file():
        return []
    changes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            changes.append(Change(**json.loads(line)))
        except (ValueError, TypeError):
            continue  # a line cut short by a crash while it was appended
    if since is not None:
        start = since if isinstance(since, dt.datetime) else dt.datetime.combine(since, dt.time(), dt.UTC)
        changes = [c for c in changes if dt.datetime.fromisoformat(c.time) >= start]
    return changes
