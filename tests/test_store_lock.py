"""The store lock: generations, waiting, and locks that end with their process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kgraph.errors import KgraphError
from kgraph.store.lock import StoreBusy, StoreLock, lock_path


def test_the_lock_file_sits_beside_the_store_and_counts_writes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert lock_path(store) == tmp_path / "store.lock"
    lock = StoreLock(store)
    assert lock.generation() == 0  # no lock file yet
    with lock.shared() as generation:
        assert generation == 0
    with lock.exclusive() as first:
        assert first == 1
    with lock.exclusive() as second:
        assert second == 2
    with lock.shared() as generation:
        assert generation == 2
    assert StoreLock(store).generation() == 2  # what another process sees without taking the lock
    lock.close()
    assert lock_path(store).is_file() and not store.exists()  # the store folder itself is not touched


def test_readers_share_and_a_writer_waits_for_them(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first, second, writer = StoreLock(store), StoreLock(store), StoreLock(store)
    with first.shared(), second.shared():
        with pytest.raises(StoreBusy, match="in use by another process"):
            writer.acquire_exclusive(wait=0.1)
    assert writer.acquire_exclusive(wait=0.1) == 1
    with pytest.raises(StoreBusy, match="being written"):
        with first.shared(wait=0.1):
            pass
    writer.release()
    with first.shared(wait=0.1) as generation:
        assert generation == 1
    for lock in (first, second, writer):
        lock.close()


def test_a_lock_ends_with_its_process(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from kgraph.store.lock import StoreLock
        StoreLock(Path(sys.argv[1])).acquire_exclusive()
        print("holding", flush=True)
        time.sleep(60)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", holder, str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "holding"
        lock = StoreLock(store)
        with pytest.raises(StoreBusy):
            lock.acquire_exclusive(wait=0.2)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert lock.acquire_exclusive(wait=5) == 2  # the killed writer had counted its generation
        lock.close()
    finally:
        if process.poll() is None:
            process.kill()


def test_a_reader_reads_where_no_lock_file_can_be_kept(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lock_path(store).mkdir()  # stands for a lock file that cannot be opened (tests run as a user who may write)
    lock = StoreLock(store)
    with lock.shared() as generation:
        assert generation == 0
    with pytest.raises(KgraphError, match="cannot lock the store"):
        lock.acquire_exclusive(wait=0.1)
    lock.close()
