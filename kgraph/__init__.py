"""kgraph: a competitive-landscape knowledge graph built from the news."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kgraph.api import Landscape

__all__ = ["Landscape", "__version__"]


def __getattr__(name: str) -> Any:
    """``kgraph.Landscape`` is imported on first use, so that ``import kgraph`` stays cheap."""
    if name == "Landscape":
        from kgraph.api import Landscape

        return Landscape
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
