"""The landscape as a networkx graph, and what can be learnt from its shape: neighbourhoods, rankings, paths,
communities."""
