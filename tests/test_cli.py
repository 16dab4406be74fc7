"""The ``kgraph`` command line as a whole: every command's help reads as paragraphs the terminal wraps."""

from __future__ import annotations

import inspect

import pytest
import typer
from typer.testing import CliRunner

from kgraph.cli import app


def _commands(group: typer.Typer = app, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """(command words, help text) of every command, in groups too."""
    found = [
        ((*prefix, info.name or ""), info.help or info.callback.__doc__ or "") for info in group.registered_commands
    ]
    for subgroup in group.registered_groups:
        found += _commands(subgroup.typer_instance, (*prefix, subgroup.name or ""))
    return found


@pytest.mark.parametrize(
    ("words", "text"), _commands(), ids=lambda value: " ".join(value) if isinstance(value, tuple) else ""
)
def test_help_paragraphs_are_wrapped_by_the_terminal_not_the_docstring(words: tuple[str, ...], text: str) -> None:
    result = CliRunner().invoke(app, [*words, "--help"], env={"COLUMNS": "2000"})
    assert result.exit_code == 0, result.output
    shown = [line.strip() for line in result.stdout.splitlines()]
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        one_line = " ".join(paragraph.split())
        assert one_line in shown, f"'{' '.join(words)} --help' breaks the paragraph: {one_line[:60]}..."
