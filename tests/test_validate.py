"""The SHACL checks, whole or on the nodes a change affects."""

from __future__ import annotations

from pathlib import Path

from kgraph.compile import compile_landscape
from kgraph.mapping import graph_name
from kgraph.pipeline import assemble
from kgraph.validate import shacl_problems


def test_the_affected_nodes_of_a_source_with_money_pass_as_the_whole_landscape_does(data_dir: Path) -> None:
    # the seed article has amounts; a focus given to pyshacl itself also narrows the shape nested in the currency's
    # sh:not, and every currency then failed "not RMB"
    compiled = compile_landscape([data_dir])
    assert shacl_problems(compiled) == []
    assert shacl_problems(compiled, changed=[graph_name("sensetime-layoffs-article")]) == []
    assemble([data_dir], changed=[data_dir / "sensetime-layoffs-2023.yaml"], infer=False)
