"""Read fact sheets (YAML or JSON) into models, keeping the line of every value for error reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from kgraph.errors import DataError, Problem
from kgraph.factsheet.models import FACT_KINDS, FactSheet
from kgraph.limits import MAX_NUMBER_DIGITS, check_yaml_node

FACT_SHEET_SUFFIXES = (".yaml", ".yml", ".json")

Location = tuple[str | int, ...]


@dataclass
class LoadedSheet:
    """A validated fact sheet with the file it came from and the line of each YAML path."""

    sheet: FactSheet
    file: str
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """The line of ``location`` or of its nearest enclosing value."""
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return self.lines.get((), None)


def format_location(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


if TYPE_CHECKING:
    from pydantic_core import ErrorDetails
    from yaml import SafeLoader as _SafeLoader
else:  # libyaml's parser where PyYAML was built with it
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """YAML's safe loader, with dates left as text so that the models check them (and report impossible ones)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_map(node: yaml.Node, location: Location = ()) -> dict[Location, int]:
    lines = {location: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines.update(_line_map(value, (*location, key.value)))
            lines[(*location, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_map(item, (*location, index)))
    return lines


def _describe(error: ErrorDetails) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown field (check its spelling)"
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "union_tag_invalid":
        return message
    return message


def _strip_union_tags(location: tuple) -> Location:
    """Pydantic puts the discriminator value and model names into error paths; drop them."""
    kept: list[str | int] = []
    for part in location:
        if isinstance(part, str) and ("[" in part or part.endswith("Fact") or part in FACT_KINDS):
            continue
        kept.append(part)
    return tuple(kept)


def _load_yaml(text: str, file: str) -> tuple[object, dict[Location, int]]:
    """The document's data and the line of every value, once the document is within the input budgets."""
    try:
        loader = _Loader(text)
    except yaml.YAMLError as error:
        raise _yaml_problem(error, file) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        over = check_yaml_node(node)
        if over is not None:
            raise DataError([Problem(file, over.line, None, over.message)])
        return loader.construct_document(node), _line_map(node)
    except yaml.YAMLError as error:
        raise _yaml_problem(error, file) from None
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.YAMLError, file: str) -> DataError:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    reason = getattr(error, "problem", None) or str(error)
    return DataError([Problem(file, line, None, f"not valid YAML: {reason}")])


def _load_json(text: str, file: str) -> object:
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as error:
        raise DataError([Problem(file, error.lineno, None, f"not valid JSON: {error.msg}")]) from None
    except _NumberTooLong as error:
        line = text[: text.find(error.digits)].count("\n") + 1
        message = f"a number with more than {MAX_NUMBER_DIGITS} digits is not accepted"
        raise DataError([Problem(file, line, None, message)]) from None


class _NumberTooLong(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(digits)
    return int(digits)


def parse_fact_sheet(text: str, file: str) -> LoadedSheet:
    """Parse and validate the text of one fact sheet; raise :class:`DataError` with every problem found."""
    if not text.strip():
        raise DataError([Problem(file, None, None, "the file is empty")])
    try:
        if file.endswith(".json"):
            data = _load_json(text, file)
            lines: dict[Location, int] = {}
        else:
            data, lines = _load_yaml(text, file)
    except RecursionError:
        raise DataError([Problem(file, None, None, "values are nested too deeply to read")]) from None
    if not isinstance(data, dict):
        raise DataError([Problem(file, 1, None, "a fact sheet is a mapping with source, entities and facts")])
    try:
        sheet = FactSheet.model_validate(data)
    except ValidationError as error:
        loaded = LoadedSheet(FactSheet.model_construct(), file, lines)  # type: ignore[call-arg]  # for its lines
        problems = []
        for item in error.errors():
            location = _strip_union_tags(item["loc"])
            problems.append(Problem(file, loaded.line_of(location), format_location(location) or None, _describe(item)))
        raise DataError(problems) from None
    return LoadedSheet(sheet, file, lines)


def read_fact_sheet(path: Path) -> LoadedSheet:
    """Read one fact sheet file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataError([Problem(str(path), None, None, f"cannot read: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError([Problem(str(path), line, None, "not UTF-8 text")]) from None
    return parse_fact_sheet(text, str(path))
