"""The landscape's life cycle: every write to ``data/`` and, in the same step, to everything derived from it.

``data/`` (fact sheets and RDF files) is the truth; the store, the build's exports and the view are derived from it.
:mod:`kgraph.curate.write` is the one write path that ``kgraph apply``, ``kgraph import`` and ``kgraph retract`` (and
their Python counterparts on :class:`kgraph.Landscape`) go through: whole or not at all, even when the process is
killed, and recorded in the change log (:mod:`kgraph.curate.changes`).
"""
