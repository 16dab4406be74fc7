"""The build's outputs beside a store (``landscape.ttl``, ``landscape.trig``, ``landscape.html``) kept current after
every write, without making the write cost what the whole landscape costs.

Writing them again takes time in proportion to the landscape (seconds at 100,000 quads, minutes at a million for the
view), so a write (:func:`refresh`) does one of two things:

- outputs smaller than :data:`INLINE_BYTES` together are written again at once, in the write;
- larger ones are written in the background: the write takes a snapshot of the store (an Oxigraph backup, hard
  links to its files: milliseconds), leaves it in ``build/.outputs-pending/`` and starts ``python -m
  kgraph.curate.outputs BUILD_DIR``, which writes every output from the newest snapshot, each through a temporary
  file, and deletes the snapshots it has covered. Until it is done, the outputs show the landscape as it was before
  the write, and :func:`pending` says so; the store, which queries, the API and ``kgraph serve`` read, is current.

One writer of the outputs at a time (a lock beside them, ``build/outputs.lock``), so a slow refresher never
overwrites a newer one's work: each writes from the newest snapshot there is. A refresher killed midway leaves its
snapshot, which the next one (started by the next write, or :func:`settle`) covers; ``kgraph build`` throws pending
snapshots away, as its outputs are newer.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kgraph.curate.journal import write_durably
from kgraph.exchange import write_export
from kgraph.progress import Progress, silent
from kgraph.store.base import Store
from kgraph.store.lock import StoreLock
from kgraph.store.oxigraph import OxigraphStore

TURTLE_NAME = "landscape.ttl"
TRIG_NAME = "landscape.trig"
STORE_NAME = "store"
VIEW_NAME = "landscape.html"
#: The RDF exports beside the store: their format, and whether they hold the inferred graph. Turtle holds the union
#: of the asserted graphs; TriG every graph, the inferred one included, as named graphs.
EXPORTS = {TURTLE_NAME: ("ttl", False), TRIG_NAME: ("trig", True)}


def write_exports(store: OxigraphStore, folder: Path, *, only_existing: bool = False) -> list[Path]:
    """Write the exports of :data:`EXPORTS` into ``folder`` from the store, each through a temporary file
    (with ``only_existing``, those already there only); streamed in the store's order (see
    :func:`kgraph.exchange.write_export`), so the same landscape always gives the same bytes."""
    written = []
    for name, (rdf_format, inferred) in EXPORTS.items():
        target = Path(folder) / name
        if only_existing and not target.exists():
            continue
        write_durably(target, functools.partial(write_export, store, format=rdf_format, inferred=inferred))
        written.append(target)
    return written


#: Outputs larger than this (bytes, together) are written again in the background rather than in the write.
INLINE_BYTES = 2_000_000
PENDING = ".outputs-pending"
#: What the background refresher prints (its progress, or why it failed), beside the outputs.
LOG_NAME = ".outputs.log"
#: How long a refresher waits for another one to finish (one pass over a large landscape takes minutes).
_PATIENCE = 3600.0


def refresh(store: Store, *, progress: Progress = silent) -> list[Path]:
    """Bring the outputs beside an on-disk Oxigraph ``store`` (those that exist) up to date after a write: at once
    when they are small, else in the background (see the module's docstring). The outputs written now."""
    folder = _folder(store)
    if folder is None:
        return []
    existing = existing_outputs(folder)
    if not existing:
        return []
    assert isinstance(store, OxigraphStore)
    if sum(path.stat().st_size for path in existing) <= INLINE_BYTES:
        with outputs_lock(folder):
            return write_outputs(store, folder, progress=progress)
    snapshot(store, folder)
    progress(f"writing {', '.join(p.name for p in existing)} again in the background (log: {folder / LOG_NAME})")
    start_refresher(folder)
    return []


def existing_outputs(folder: Path) -> list[Path]:
    """The build's outputs (exports and view) that are in ``folder``."""
    return [folder / name for name in (*EXPORTS, VIEW_NAME) if (folder / name).exists()]


def write_outputs(store: OxigraphStore, folder: Path, *, progress: Progress = silent) -> list[Path]:
    """Write again, from ``store``, the outputs that are in ``folder``, each through a temporary file."""
    progress(f"writing the exports in {folder} again")
    written = write_exports(store, folder, only_existing=True)
    target = folder / VIEW_NAME
    if target.exists():
        from kgraph.view import write_landscape_view

        progress(f"writing {target} again")
        drawn = target.with_name(f".{VIEW_NAME}.drawing")
        try:
            write_landscape_view(store, drawn)
            write_durably(target, drawn.read_bytes())
        finally:
            drawn.unlink(missing_ok=True)
        written.append(target)
    return written


def snapshot(store: OxigraphStore, folder: Path) -> Path:
    """A copy of ``store`` as it is now, in ``folder``'s pending snapshots, named so that newer ones sort last."""
    pending_dir = Path(folder) / PENDING
    pending_dir.mkdir(exist_ok=True)
    name = f"{time.time_ns():020d}-{os.getpid()}"
    partial = pending_dir / f".{name}.partial"
    store.oxigraph.backup(str(partial))
    os.replace(partial, pending_dir / name)  # complete, or not there at all
    return pending_dir / name


def pending(folder: Path) -> bool:
    """Whether the outputs in ``folder`` wait for a background refresh (they show an older landscape)."""
    return bool(_snapshots(Path(folder)))


def settle(folder: Path, *, wait: float = _PATIENCE, progress: Progress = silent) -> int:
    """Write the outputs in ``folder`` from the newest pending snapshot, until none is left (waiting up to ``wait``
    seconds for a refresher at work); the number of snapshots covered."""
    folder = Path(folder)
    covered = 0
    while _snapshots(folder):
        with outputs_lock(folder, wait=wait):
            snapshots = _snapshots(folder)
            if not snapshots:
                break
            newest = snapshots[-1]
            engine = ox.Store.read_only(str(newest))
            write_outputs(OxigraphStore(engine, read_only=True), folder, progress=progress)
            del engine
            for done in snapshots:
                shutil.rmtree(done, ignore_errors=True)
            covered += len(snapshots)
    return covered


def discard_pending(folder: Path) -> None:
    """Throw the pending snapshots away (a build has just written newer outputs)."""
    shutil.rmtree(Path(folder) / PENDING, ignore_errors=True)


def start_refresher(folder: Path) -> subprocess.Popen:
    """Start ``python -m kgraph.curate.outputs folder`` in the background, detached from this process."""
    with open(Path(folder) / LOG_NAME, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "kgraph.curate.outputs", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextlib.contextmanager
def outputs_lock(folder: Path, *, wait: float = _PATIENCE, progress: Progress | None = None) -> Iterator[None]:
    """Held by whoever writes the outputs in ``folder`` (``outputs.lock``, the store's kind of lock)."""
    lock = StoreLock(Path(folder) / "outputs")
    try:
        with lock.exclusive(wait=wait, on_wait=progress):
            yield
    finally:
        lock.close()


def _snapshots(folder: Path) -> list[Path]:
    pending_dir = folder / PENDING
    if not pending_dir.is_dir():
        return []
    return sorted(p for p in pending_dir.iterdir() if not p.name.startswith("."))


def _folder(store: Store) -> Path | None:
    path = getattr(store, "path", None)
    return Path(path).parent if path is not None and isinstance(store, OxigraphStore) else None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the background refresher: ``python -m kgraph.curate.outputs BUILD_DIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        raise SystemExit("usage: python -m kgraph.curate.outputs BUILD_DIR")
    settle(Path(args[0]), progress=_log)


def _log(message: str) -> None:
    sys.stdout.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {message}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
