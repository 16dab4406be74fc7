"""``kgraph ingest`` (an article to a proposed fact sheet) and ``kgraph apply`` (a reviewed sheet into the graph)."""

from __future__ import annotations

import enum
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from kgraph.cli.common import StoreOption, console, errors, progress_printer, reported
from kgraph.progress import Progress

DataDir = Annotated[
    Path | None,
    typer.Option("--data", "-d", help="The data folder the sheet is added to. Default: ./data, else the bundled data."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")]


class SheetFormat(enum.StrEnum):
    yaml = "yaml"
    json = "json"


def ingest_command(
    article: Annotated[str, typer.Argument(help="The article: a plain-text UTF-8 file, or - for standard input.")],
    url: Annotated[str | None, typer.Option(help="Where the article was published.")] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD, YYYY-MM or YYYY); relative dates are resolved against it."),
    ] = None,
    publisher: Annotated[str | None, typer.Option(help="Who published it (resolved against the graph).")] = None,
    title: Annotated[str | None, typer.Option(help="The headline. Default: the article's first line.")] = None,
    output_format: Annotated[
        SheetFormat | None, typer.Option("--format", "-f", help="yaml or json. Default: from -o, else yaml.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the sheet here (default: stdout).")
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Validate the sheet and add it to data/ and the store.")
    ] = False,
    extractor: Annotated[
        str, typer.Option(help="rules (default, offline), openai, module:Class, or a kgraph.extractors entry point.")
    ] = "rules",
    data: DataDir = None,
    store: StoreOption = None,
    quiet: Quiet = False,
) -> None:
    """Read a news article and propose the facts it states, as a fact sheet to review.

    Each fact has its kind, subject and object (resolved against the graph: labels and aliases, case, punctuation
    and legal suffixes ignored), date with its precision, values, a confidence and its evidence (character offsets
    and text of the sentences). Names the graph does not know become entities marked 'proposed: true'. Review the
    sheet, then run 'kgraph apply SHEET' (or pass --apply to merge it at once).
    """
    from pydantic import ValidationError

    from kgraph.factsheet.models import DateValue
    from kgraph.ingest import Article, propose
    from kgraph.ingest.article import read_article_text
    from kgraph.ingest.extract import load_extractor
    from kgraph.ingest.graph import entity_index

    progress = progress_printer(quiet)
    with reported():
        text, name = read_article_text(article)
        try:
            date = DateValue(value=published) if published else None
        except ValidationError as error:
            reason = error.errors()[0]["msg"].removeprefix("Value error, ")
            raise typer.BadParameter(reason, param_hint="--published") from None
        document = Article(text, name=name, title=title, url=url, publisher=publisher, published=date)
        progress("reading the graph's entity names")
        index = entity_index(store=store, data=[data] if data else None)
        chosen = load_extractor(extractor, index=index)
        progress(f"extracting facts with the {chosen.name!r} extractor")
        proposed = propose(document, index=index, extractor=chosen)
        fmt = output_format or (SheetFormat.json if output and output.suffix == ".json" else SheetFormat.yaml)
        body = proposed.to_json() if fmt is SheetFormat.json else proposed.to_yaml(extractor=chosen.name)
        kinds = Counter(fact.kind for fact in proposed.sheet.facts)
        listed = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) or "none"
        new = sum(1 for entity in proposed.sheet.entities if entity.proposed)
        errors.print(f"proposed {len(proposed.sheet.facts)} fact(s) ({listed}) and {new} new entit(y/ies)")
        for warning in proposed.warnings:
            errors.print(f"  note: {warning}", markup=False, highlight=False)
        if output is not None:
            output.write_text(body, encoding="utf-8")
            errors.print(f"wrote {output}: review it, then run 'kgraph apply {output}'", markup=False)
        elif not apply:
            console.print(body, end="", markup=False, highlight=False, soft_wrap=True)
        if apply:
            if output is not None:
                _apply(output, data, store, progress)
            else:
                with tempfile.TemporaryDirectory() as scratch:
                    sheet = Path(scratch) / f"{proposed.sheet.source.id}.{fmt.value}"
                    sheet.write_text(body, encoding="utf-8")
                    _apply(sheet, data, store, progress)


def _apply(sheet: Path, data: Path | None, store: str | None, progress: Progress) -> None:
    from kgraph.ingest.apply import apply_sheet
    from kgraph.resources import default_data_dir

    result = apply_sheet(sheet, data_dir=data or default_data_dir(), store=store, progress=progress)
    where = "data and store" if result.store_updated else "data (no store found: run 'kgraph build')"
    action = "replaced" if result.previous_triples or result.replaced_files else "added"
    console.print(
        f"[bold green]{action}[/] source {result.source_id}: {result.data_file}, {result.triples} triples in the "
        f"{where}"
    )


def apply_command(
    facts: Annotated[Path, typer.Argument(help="A reviewed fact sheet (.yaml or .json), e.g. from 'kgraph ingest'.")],
    data: DataDir = None,
    store: StoreOption = None,
    quiet: Quiet = False,
) -> None:
    """Validate a fact sheet and merge it: into data/ as a source file, and into the store, its inferred graph and
    the build's outputs, in one step.

    The checks are those of 'kgraph build' (models, references, SHACL shapes), made against the store (or data/
    when there is no store). The source keeps its own named graph, so applying the same source again replaces its
    facts. On any problem, or if the command is killed, nothing changes (a killed write is completed by the next).
    """
    with reported():
        _apply(facts, data, store, progress_printer(quiet))


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("apply")(apply_command)
