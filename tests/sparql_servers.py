"""Real SPARQL servers for the tests: Oxigraph's server and Virtuoso, on free loopback ports, always stopped."""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
_DATABASE_KEYS = ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("oxigraph")
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


def _wait_ready(url: str, process: subprocess.Popen, *, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up:\n{log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        time.sleep(0.25)
    raise RuntimeError(f"the server at {url} was not ready within {seconds:g} s")


def stop(process: subprocess.Popen) -> None:
    """Terminate a server process, killing it if it does not stop within 15 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextlib.contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """``oxigraph serve`` on a store in ``folder``; yields its base URL."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(f"http://127.0.0.1:{port}/query", process, seconds=30, log=log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def virtuoso_ini(folder: Path, *, sql_port: int, http_port: int) -> Path:
    """A copy of Debian's virtuoso.ini with its files in ``folder`` and both ports on 127.0.0.1."""
    lines = []
    section = ""
    for line in VIRTUOSO_INI.read_text().splitlines():
        header = re.match(r"\s*\[(.+)\]", line)
        section = header.group(1) if header else section
        key_match = re.match(r"\s*([A-Za-z_0-9]+)\s*=", line)
        key = key_match.group(1) if key_match else None
        if section in ("Database", "TempDatabase") and key in _DATABASE_KEYS:
            line = f"{key} = {folder / line.split('=', 1)[1].strip().rsplit('/', 1)[-1]}"
        elif section == "Parameters" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif section == "HTTPServer" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif section == "SPARQL" and key == "ResultSetMaxRows":
            line = "ResultSetMaxRows = 1000000"
        lines.append(line)
    ini = folder / "virtuoso.ini"
    ini.write_text("\n".join(lines) + "\n")
    return ini


@contextlib.contextmanager
def virtuoso_server(folder: Path) -> Iterator[str]:
    """Virtuoso (Debian's virtuoso-opensource) with a scratch database; yields its /sparql URL. User dba/dba."""
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.is_file():
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    http_port = free_port()
    ini = virtuoso_ini(folder, sql_port=free_port(), http_port=http_port)
    log = folder / "virtuoso.out"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [binary, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_ready(f"http://127.0.0.1:{http_port}/sparql", process, seconds=120, log=log)
        yield f"http://127.0.0.1:{http_port}/sparql"
    finally:
        stop(process)


class Served(str):
    """The base URL of a running ``kgraph serve``; ``process`` is its process."""

    process: subprocess.Popen


@contextlib.contextmanager
def kgraph_serve(store: Path, *options: str) -> Iterator[Served]:
    """``kgraph serve`` in a subprocess on a free port; yields the base URL, always stops it."""
    port = free_port()
    command = [sys.executable, "-m", "kgraph", "serve", "--store", str(store), "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = Served(f"http://127.0.0.1:{port}")
    base.process = process
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "kgraph serve stopped")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("kgraph serve was not ready within 60 s")
        yield base
    finally:
        stop(process)
