"""Build the landscape: compile and validate the data, then write the graph files and the on-disk store.

A build either succeeds whole or changes nothing: every output is written into a scratch folder first, which is then
marked complete and its outputs moved into place. A build killed before the mark leaves a scratch folder that the
next build deletes; killed after it, the next build (:func:`finish_builds`) moves the rest of the outputs first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kgraph.curate.journal import checkpoint, write_durably
from kgraph.curate.outputs import (
    STORE_NAME,
    TRIG_NAME,
    TURTLE_NAME,
    VIEW_NAME,
    discard_pending,
    outputs_lock,
    write_exports,
)
from kgraph.pipeline import assemble
from kgraph.progress import Progress, silent
from kgraph.store.oxigraph import OxigraphStore, put_in_place
from kgraph.summary import Summary, summarize

#: The outputs in the order a build puts them in place.
OUTPUTS = (TURTLE_NAME, TRIG_NAME, STORE_NAME, VIEW_NAME)
#: The file that marks a build's scratch folder complete: its outputs go in place even after a crash.
COMMITTED = "committed"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and what the landscape holds."""

    out_dir: Path
    outputs: list[Path]
    summary: Summary


def write_view(store: OxigraphStore, path: Path) -> None:
    """The interactive HTML view of the whole landscape (see :mod:`kgraph.view`)."""
    from kgraph.view import write_landscape_view

    write_landscape_view(store, path)


def build(paths: Sequence[Path], out_dir: Path, *, progress: Progress = silent) -> BuildResult:
    """Build the landscape from the data under ``paths`` into ``out_dir``."""
    from kgraph.curate.write import recover

    for path in paths:  # a write a killed process left is completed (or thrown away) first
        if Path(path).is_dir():
            recover(Path(path), progress=progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    finish_builds(out_dir, progress=progress)
    assembly = assemble(paths, progress=progress)
    scratch = Path(tempfile.mkdtemp(prefix=f".build-{os.getpid()}-", dir=out_dir))
    try:
        progress(f"writing the store ({STORE_NAME}/)")
        store = OxigraphStore.create(scratch / STORE_NAME, assembly.quads())
        progress(f"writing {TURTLE_NAME} and {TRIG_NAME}")
        write_exports(store, scratch)
        summary = summarize(store)
        progress(f"writing the interactive view ({VIEW_NAME})")
        write_view(store, scratch / VIEW_NAME)
        store.close()
        del store
        checkpoint("build-written")
        write_durably(scratch / COMMITTED, b"")  # from here on the build completes, even after a crash
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    checkpoint("build-committed")
    _put_outputs(scratch, out_dir, progress)
    return BuildResult(out_dir, [out_dir / name for name in OUTPUTS], summary)


def _put_outputs(scratch: Path, out_dir: Path, progress: Progress) -> None:
    """Move a committed build's outputs into place (those not moved yet), then delete its scratch folder; a
    background refresh of the outputs (:mod:`kgraph.curate.outputs`) is waited for, and the snapshots it had left
    to cover are thrown away: this build's outputs are newer."""
    with outputs_lock(out_dir, progress=progress):
        for name in OUTPUTS:
            if (scratch / name).exists():
                if name == STORE_NAME:  # readers of the old store (kgraph serve, a notebook) open the new one next
                    put_in_place(scratch / name, out_dir / name, on_wait=progress)
                else:
                    os.replace(scratch / name, out_dir / name)
            checkpoint("build-moving")
        discard_pending(out_dir)
    shutil.rmtree(scratch, ignore_errors=True)
    if (out_dir / STORE_NAME).is_dir():
        for old in out_dir.glob(f".{STORE_NAME}.old-*"):
            shutil.rmtree(old, ignore_errors=True)


def finish_builds(out_dir: Path, *, progress: Progress = silent) -> None:
    """Complete the builds a killed process committed in ``out_dir`` and delete those it had not finished writing."""
    for scratch in sorted(out_dir.glob(".build-*")):
        owner = scratch.name.split("-")[1]
        if owner.isdigit() and int(owner) != os.getpid() and _alive(int(owner)):
            continue  # another build is writing it now
        if (scratch / COMMITTED).exists():
            progress(f"completing the build a killed process left in {scratch}")
            _put_outputs(scratch, out_dir, progress)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if (out_dir / STORE_NAME).is_dir():
        for old in out_dir.glob(f".{STORE_NAME}.old-*"):
            shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
