"""``kgraph serve``: the landscape over the SPARQL 1.1 Protocol, with its view and named questions.

Nothing here imports the web framework at import time: :func:`kgraph.server.app.create_app` does.
"""
