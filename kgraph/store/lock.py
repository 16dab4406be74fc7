"""Many readers or one writer on an on-disk store, across processes.

Oxigraph's read-only mode must not be used while another process writes the store (its own documentation calls
that undefined behaviour), and a store rebuilt by ``kgraph build`` replaces the folder readers have open. So every
process that opens a store on disk takes an advisory lock in a file beside it (``build/store.lock``):

- a writer (``kgraph import``, ``kgraph apply``, the endpoint's updates, the moment ``kgraph build`` puts a new
  store in place) holds it exclusively, and counts up the store's *generation*, a number kept in the lock file;
- a reader holds it shared only while it reads (one query), and opens the store again when the generation has
  changed since it last looked, so a long-running reader (``kgraph serve``, a notebook) sees every change.

Writers go first: a waiting writer holds a second lock (``store.lock.intent``) that new readers pass through, so a
steady stream of queries cannot keep it out. Locks are released when their process ends, however it ends. On
systems without ``fcntl`` (Windows) nothing is locked.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kgraph.errors import KgraphError
from kgraph.progress import Progress

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: How long a writer waits for readers (and a reader for a writer) before giving up, by default.
DEFAULT_WAIT = 30.0
_POLL = 0.02


class StoreBusy(KgraphError):
    """The store stayed locked by another process for longer than the caller would wait."""


def lock_path(store: Path) -> Path:
    """The lock file of the store folder ``store``: beside it, so that it outlives a rebuilt folder."""
    return store.with_name(store.name + ".lock")


class StoreLock:
    """The lock of one on-disk store, held by this process: :meth:`shared` to read, :meth:`exclusive` to write."""

    def __init__(self, store: Path) -> None:
        self.store = Path(store)
        self.path = lock_path(self.store)
        self._main: int | None = None
        self._intent: int | None = None

    def _files(self) -> tuple[int, int]:
        """The open lock file and intent file (created on first use); OSError when they cannot be opened."""
        if self._main is None or self._intent is None:
            intent = self.path.with_name(self.path.name + ".intent")
            try:
                self._main = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                self._intent = os.open(intent, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                self.close()
                try:  # a reader without write access to the folder: flock works on files opened read-only too
                    self._main = os.open(self.path, os.O_RDONLY)
                    self._intent = os.open(intent, os.O_RDONLY)
                except OSError:
                    self.close()
                    raise
        return self._main, self._intent

    def _flock(
        self, descriptor: int, operation: int, wait: float, busy: Callable[[], str], on_wait: Progress | None = None
    ) -> None:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(busy()) from None
                if on_wait is not None:
                    on_wait(f"waiting for other processes to finish with {self.store} (at most {wait:g} s)")
                    on_wait = None
                time.sleep(_POLL)

    @contextlib.contextmanager
    def shared(self, *, wait: float = DEFAULT_WAIT) -> Iterator[int]:
        """Hold the lock for reading; yields the store's generation."""
        if fcntl is None:  # pragma: no cover - Windows
            yield 0
            return
        try:
            main, intent = self._files()
        except OSError:  # no lock can be kept here (a read-only folder no one can write): read as it is
            yield 0
            return
        busy = f"the store at {self.store} is being written by another process; try again when it is done"
        self._flock(intent, fcntl.LOCK_SH, wait, lambda: busy)
        try:
            self._flock(main, fcntl.LOCK_SH, wait, lambda: busy)
        finally:
            fcntl.flock(intent, fcntl.LOCK_UN)
        try:
            yield self._generation()
        finally:
            fcntl.flock(main, fcntl.LOCK_UN)

    def acquire_exclusive(self, *, wait: float = DEFAULT_WAIT, on_wait: Progress | None = None) -> int:
        """Take the lock for writing, count the generation up, and return it; :meth:`release` gives it back.

        ``on_wait`` is told once if readers or another writer have to be waited for.
        """
        if fcntl is None:  # pragma: no cover - Windows
            return 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            main, intent = self._files()
        except OSError as error:
            raise KgraphError(f"cannot lock the store at {self.store} for writing: {error.strerror}") from None
        readers = (
            f"the store at {self.store} is in use by another process (kgraph serve, a notebook, another command) "
            f"and stayed so for {wait:g} s; stop it or try again"
        )
        self._flock(intent, fcntl.LOCK_EX, wait, lambda: readers, on_wait)
        try:
            self._flock(main, fcntl.LOCK_EX, wait, lambda: readers, on_wait)
        except BaseException:
            fcntl.flock(intent, fcntl.LOCK_UN)
            raise
        generation = self._generation() + 1
        os.pwrite(main, f"{generation}\n".encode().ljust(24), 0)
        return generation

    def release(self) -> None:
        """Give back an exclusive lock (readers may come in again)."""
        if fcntl is None or self._main is None or self._intent is None:  # pragma: no cover - Windows
            return
        fcntl.flock(self._main, fcntl.LOCK_UN)
        fcntl.flock(self._intent, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def exclusive(self, *, wait: float = DEFAULT_WAIT, on_wait: Progress | None = None) -> Iterator[int]:
        """Hold the lock for writing; yields the new generation."""
        generation = self.acquire_exclusive(wait=wait, on_wait=on_wait)
        try:
            yield generation
        finally:
            self.release()

    def generation(self) -> int:
        """The store's generation as its last writer left it, read without locking (0 if it was never written)."""
        try:
            text = self.path.read_bytes()[:24].strip()
        except OSError:
            return 0
        return int(text) if text.isdigit() else 0

    def _generation(self) -> int:
        main, _ = self._files()
        text = os.pread(main, 24, 0).strip()
        return int(text) if text.isdigit() else 0

    def close(self) -> None:
        """Close the lock files (which releases any lock still held)."""
        for descriptor in (self._main, self._intent):
            if descriptor is not None:
                os.close(descriptor)
        self._main = self._intent = None
