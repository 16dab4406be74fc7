"""The write journal: a change is staged beside ``data/``, then committed by one rename, then carried out.

A write first puts the new data files in a scratch folder beside the data folder (``.data.kgraph-write/``), then
writes ``journal.json`` there and renames it into place: that rename is the moment the change happens. Everything
after it (moving the files into ``data/``, the store, the exports, the view, the change log) can be done again from
the journal, so a process killed at any instant leaves either the old landscape (no journal: the scratch folder is
deleted at the next write) or one that the next write completes (a journal: it is carried out first).

``KGRAPH_FAULT_AT=<step>`` makes the process kill itself (SIGKILL) when it reaches a step; tests use it to check
that every step is safe to die at.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

FAULT_ENV = "KGRAPH_FAULT_AT"
JOURNAL_NAME = "journal.json"


def checkpoint(step: str) -> None:
    """Die here, as ``kill -9`` would, when the environment asks for a fault at ``step``."""
    if os.environ.get(FAULT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def scratch_dir(data_dir: Path) -> Path:
    """The scratch folder of writes to ``data_dir``: beside it, so that no data reader ever sees staged files."""
    data_dir = Path(data_dir).resolve()
    return data_dir.with_name(f".{data_dir.name}.kgraph-write")


def write_durably(path: Path, content: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``path`` through a temporary file and a rename, flushed to disk: it has the old or the new content.

    ``content`` is the bytes, or a function that writes them to the open file (a stream that never sits in memory).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb") as out:
            if callable(content):
                content(out)
            else:
                out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@dataclass
class Journal:
    """A committed change: the data files to put in place or delete, and what to do once they are."""

    id: str
    time: str
    command: str
    source: str
    store: str | None
    files: dict[str, str | None]  # target path in data/ -> staged file (None: delete the target)
    graphs: list[str]  # the named graphs the change rewrites
    record: dict[str, Any] = field(default_factory=dict)  # the entry for the change log

    def save(self, scratch: Path) -> None:
        write_durably(scratch / JOURNAL_NAME, json.dumps(self.__dict__, ensure_ascii=False, indent=1).encode())

    @classmethod
    def read(cls, scratch: Path) -> Journal | None:
        path = scratch / JOURNAL_NAME
        if not path.is_file():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def stage(scratch: Path, files: dict[Path, bytes | None]) -> dict[str, str | None]:
    """Write the new content of each data file into ``scratch``; the journal's file table."""
    if scratch.exists():
        shutil.rmtree(scratch)
    (scratch / "files").mkdir(parents=True)
    table: dict[str, str | None] = {}
    for number, (target, content) in enumerate(files.items()):
        staged = None
        if content is not None:
            staged = scratch / "files" / f"{number}{Path(target).suffix}"
            write_durably(staged, content)
        table[str(Path(target).resolve())] = str(staged) if staged else None
    return table


def move_files(journal: Journal) -> None:
    """Put the staged files in place and delete the others; safe to run again after it was interrupted."""
    folders = set()
    for target, staged in journal.files.items():
        target_path = Path(target)
        if staged is None:
            target_path.unlink(missing_ok=True)
        elif Path(staged).exists():
            os.replace(staged, target_path)
        folders.add(target_path.parent)
        checkpoint("moving")
    for folder in folders:
        _sync_folder(folder)


def discard(scratch: Path) -> None:
    """Remove the scratch folder once its change is complete (or was never committed)."""
    shutil.rmtree(scratch, ignore_errors=True)
