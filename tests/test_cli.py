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


# -- one exit status per outcome, in every command ---------------------------------------------------------------


def test_version() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"kgraph {version('kgraph')}"


@pytest.mark.parametrize(
    ("words", "_"), _commands(), ids=lambda value: " ".join(value) if isinstance(value, tuple) else ""
)
def test_every_command_documents_the_exit_statuses(words: tuple[str, ...], _: str) -> None:
    result = CliRunner().invoke(app, [*words, "--help"], env={"COLUMNS": "2000"})
    assert "Exit status: 0 done; 1 no answer (ASK false, nothing found); 2 bad input" in result.stdout


def _status(*args: str, store: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--store", store])
    return result.exit_code, result.stderr


@pytest.fixture(scope="module")
def store_path(seed_build) -> str:
    from kgraph.build import STORE_NAME

    return str(seed_build.out_dir / STORE_NAME)


UNKNOWN_ENTITY = [
    ("query", "timeline", "-b", "company=Nobody Inc"),
    ("query", "SELECT ?s WHERE { ?s ?p ?o }", "-b", "o=Nobody Inc"),
    ("analyze", "ego", "Nobody Inc"),
    ("analyze", "path", "Nobody Inc", "SenseTime"),
    ("view", "--focus", "Nobody Inc", "-o", "/dev/null"),
]
BAD_DATE = [
    ("query", "timeline", "-b", "company=SenseTime", "-b", "since=2023-13"),
    ("analyze", "rank", "--since", "2023-13"),
    ("view", "--since", "2023-13", "-o", "/dev/null"),
]


@pytest.mark.parametrize("args", UNKNOWN_ENTITY + BAD_DATE, ids=lambda args: " ".join(args[:2]))
def test_the_same_bad_input_exits_with_2_in_every_command(store_path: str, args: tuple[str, ...]) -> None:
    code, err = _status(*args, store=store_path)
    assert code == 2, err
    assert "Nobody Inc" in err or "2023-13" in " ".join(err.split())


@pytest.mark.parametrize(
    "args", [("stats",), ("query", "companies"), ("analyze", "rank"), ("view", "-o", "/dev/null")], ids=str
)
def test_a_missing_store_exits_with_2_in_every_command(tmp_path, args: tuple[str, ...]) -> None:
    code, err = _status(*args, store=str(tmp_path / "none"))
    assert code == 2 and "kgraph build" in err


def test_no_answer_exits_with_1(store_path: str) -> None:
    assert _status("query", "ASK { kgd:sensenova kg:developer kgd:baidu }", store=store_path)[0] == 1
    assert _status("query", "SELECT ?s WHERE { ?s rdfs:label 'nobody' }", store=store_path)[0] == 1
    assert _status("query", "financials", "-b", "company=SenseTime", "-b", "period=1999", store=store_path)[0] == 1
    assert _status("analyze", "path", "ChatGPT", "Pandaily", store=store_path)[0] == 1
    assert _status("query", "ASK { kgd:sensenova kg:developer kgd:sensetime }", store=store_path)[0] == 0
