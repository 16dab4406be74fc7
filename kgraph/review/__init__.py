"""Review a proposed fact sheet in the browser: the article with its evidence marked, a card per fact to accept, edit
or reject, new entities to link to the graph's, and one button that applies what was accepted.

``kgraph review SHEET`` starts :class:`~kgraph.review.server.ReviewServer` (127.0.0.1 only) for a
:class:`~kgraph.review.session.ReviewSession`.
"""

from __future__ import annotations

from kgraph.review.session import ReviewError, ReviewSession

__all__ = ["ReviewError", "ReviewSession"]
