"""Where kgraph finds its ontology, shapes and curated data: the checkout in development, the wheel otherwise."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_bundled" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def ontology_dir() -> Path:
    """The folder with ``kgraph.ttl`` and ``shapes.ttl``."""
    return _bundled("ontology")


def ontology_file() -> Path:
    return ontology_dir() / "kgraph.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def default_data_dir() -> Path:
    """``./data`` when the working folder has one, else the curated data kgraph ships with."""
    local = Path("data")
    return local if local.is_dir() else _bundled("data")
