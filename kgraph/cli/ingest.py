"""``kgraph ingest`` (an article to a proposed fact sheet) and ``kgraph apply`` (a reviewed sheet into the graph)."""

from __future__ import annotations

import enum
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from kgraph.cli.common import StoreOption, console, errors, progress_printer, reported
from kgraph.errors import KgraphError

if TYPE_CHECKING:
    from rich.console import Group

    from kgraph.factsheet.models import DateValue
    from kgraph.ingest.batch import ArticleInfo, Outcome
    from kgraph.ingest.extract import Extractor
    from kgraph.ingest.sheet import ProposedSheet
    from kgraph.resolve import EntityIndex

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
    articles: Annotated[
        list[str],
        typer.Argument(help="Articles: plain-text UTF-8 (or HTML) files, folders of them, or - for standard input."),
    ],
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
        Path | None, typer.Option("--output", "-o", help="Write the sheet here (one article; default: stdout).")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir", "-O", help="Write one sheet per article into this folder. Default for several: ./proposed."
        ),
    ] = None,
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Add the facts that need no review to data/ and the store; leave the rest."),
    ] = False,
    min_confidence: Annotated[
        float, typer.Option(min=0, max=1, help="With --apply: the confidence a fact needs to go in unreviewed.")
    ] = 0.7,
    extractor: Annotated[
        str, typer.Option(help="rules (default, offline), openai, module:Class, or a kgraph.extractors entry point.")
    ] = "rules",
    data: DataDir = None,
    store: StoreOption = None,
    quiet: Quiet = False,
) -> None:
    """Read news articles and propose the facts they state, as fact sheets to review.

    Each fact has its kind, subject and object (resolved against the graph: labels and aliases, case, punctuation
    and legal suffixes ignored), date with its precision, values, a confidence and its evidence (character offsets
    and text of the sentences). Names the graph does not know become entities marked 'proposed: true'; a fact whose
    quote, names or figures are not in the article is marked 'unverified' with the reason. Review the sheet (or
    run 'kgraph review SHEET'), then 'kgraph apply SHEET'.

    With several articles (or a folder, or --out-dir) each gets its sheet in the output folder, written whole or
    not at all, and a summary table follows. --apply adds at once the facts that need no review (not unverified,
    with evidence, confidence at least --min-confidence); the sheet keeps every fact for review.

    An HTML file is read as its visible text; an article that is not in English, empty, binary or over 200 KB is
    refused.

    Exit status: 0 when every article has its sheet; 1 when an article failed (the model gave no usable answer, or
    applying failed); 2 when an article was refused as input or an option is wrong; 3 when no facts were found in an
    article (no sheet is written for it). With several problems, the first of 2, 1, 3 that applies.
    """
    from kgraph.ingest.batch import ArticleInfo, article_files
    from kgraph.ingest.extract import load_extractor
    from kgraph.ingest.graph import entity_index

    progress = progress_printer(quiet)
    with reported():
        info = ArticleInfo(url=url, published=_publication_date(published), publisher=publisher, title=title)
        files = article_files(articles)
        several = len(files) > 1 or out_dir is not None
        if several and output is not None:
            raise typer.BadParameter("names one sheet; with several articles use --out-dir", param_hint="--output")
        progress("reading the graph's entity names")
        index = entity_index(store=store, data=[data] if data else None)
        chosen = load_extractor(extractor, index=index)
        progress(f"extracting facts with the {chosen.name!r} extractor")
        target = _Target(output_format, apply, min_confidence, data, store)
        if several:
            status = _ingest_many(files, info, index, chosen, out_dir or Path("proposed"), target, quiet)
        else:
            status = _ingest_one(files[0], info, index, chosen, output, target, progress)
        usage = getattr(chosen, "usage", None)
        if usage is not None:
            errors.print(f"the model used {usage}", markup=False, highlight=False)
    if status:
        raise typer.Exit(status)


def _publication_date(published: str | None) -> DateValue | None:
    from pydantic import ValidationError

    from kgraph.factsheet.models import DateValue

    try:
        return DateValue(value=published) if published else None
    except ValidationError as error:
        reason = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise typer.BadParameter(reason, param_hint="--published") from None


@dataclass(frozen=True)
class _Target:
    """Where sheets go and what --apply may add."""

    fmt: SheetFormat | None
    apply: bool
    min_confidence: float
    data: Path | None
    store: str | None

    def body(
        self,
        proposed: ProposedSheet,
        extractor: str,
        fmt: SheetFormat,
        *,
        article: str = "-",
        sheet: Path | None = None,
    ) -> str:
        """The sheet's text; a YAML sheet names its article in its header, for 'kgraph review'."""
        if fmt is SheetFormat.json:
            return proposed.to_json()
        from kgraph.review.session import ARTICLE_HEADER

        text = proposed.to_yaml(extractor=extractor)
        if article == "-":
            return text
        where = Path(article).resolve()
        if sheet is not None:
            where = Path(os.path.relpath(where, sheet.resolve().parent))
        return f"{ARTICLE_HEADER}{where.as_posix()}\n{text}"


def _ingest_one(
    location: str,
    info: ArticleInfo,
    index: EntityIndex,
    chosen: Extractor,
    output: Path | None,
    target: _Target,
    progress: Progress,
) -> int:
    from kgraph.ingest.batch import Status, ingest_article

    outcome = ingest_article(location, info=info, index=index, extractor=chosen)
    if outcome.status in (Status.REFUSED, Status.FAILED):
        kind = "refused" if outcome.status is Status.REFUSED else "failed"
        errors.print(f"[bold red]error:[/] {kind}: {escape(outcome.message or '')}; nothing was written")
        return int(outcome.status)
    assert outcome.proposed is not None
    proposed = outcome.proposed
    errors.print(f"proposed {len(proposed.sheet.facts)} fact(s) ({_by_kind(outcome)}) and {outcome.new_entities} new "
                 f"entit(y/ies), {outcome.unverified} unverified")  # fmt: skip
    if outcome.status is Status.NO_FACTS:
        errors.print(f"no facts found in {location}; nothing was written", markup=False)
        return int(Status.NO_FACTS)
    for warning in proposed.warnings:
        errors.print(f"  note: {warning}", markup=False, highlight=False)
    fmt = target.fmt or (SheetFormat.json if output and output.suffix == ".json" else SheetFormat.yaml)
    if target.apply:
        _apply_unreviewed(outcome, target, fmt, chosen.name, progress)
    body = target.body(proposed, chosen.name, fmt, article=location, sheet=output)
    if output is not None:
        _write_text(output, body)
        errors.print(f"wrote {output}: review it, then run 'kgraph apply {output}'", markup=False)
    elif not target.apply or len(outcome.applied) < len(proposed.sheet.facts):
        console.print(body, end="", markup=False, highlight=False, soft_wrap=True)
    if outcome.status is Status.FAILED:
        errors.print(f"[bold red]error:[/] {escape(outcome.message or '')}")
    return int(outcome.status)


def _ingest_many(
    files: list[str],
    info: ArticleInfo,
    index: EntityIndex,
    chosen: Extractor,
    out_dir: Path,
    target: _Target,
    quiet: bool,
) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kgraph.ingest.batch import Status, exit_status, ingest_article

    out_dir.mkdir(parents=True, exist_ok=True)
    fmt = target.fmt or SheetFormat.yaml
    outcomes = []
    taken: set[str] = set()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=errors, disable=quiet, transient=True) as bar:
        task = bar.add_task("ingesting", total=len(files))
        for location in files:
            bar.update(task, description=f"ingesting {Path(location).name}")
            outcome = ingest_article(location, info=info, index=index, extractor=chosen)
            if outcome.status is Status.OK:
                assert outcome.proposed is not None
                if target.apply:
                    _apply_unreviewed(outcome, target, fmt, chosen.name, lambda _: None)
                name = outcome.proposed.sheet.source.id
                stem, number = name, 2
                while stem in taken:
                    stem, number = f"{name}-{number}", number + 1
                taken.add(stem)
                outcome.sheet_file = out_dir / f"{stem}.{fmt.value}"
                body = target.body(outcome.proposed, chosen.name, fmt, article=location, sheet=outcome.sheet_file)
                _write_text(outcome.sheet_file, body)
            outcomes.append(outcome)
            bar.advance(task)
    console.print(_summary(outcomes, target.apply))
    for outcome in outcomes:
        if outcome.message:
            what = outcome.status.name.lower().replace("_", " ")
            errors.print(f"  {what}: {outcome.message}", markup=False, highlight=False)
    return exit_status(outcomes)


def _apply_unreviewed(outcome: Outcome, target: _Target, fmt: SheetFormat, extractor: str, progress: Progress) -> None:
    """Apply the facts of ``outcome``'s sheet that need no review; note in the sheet what went in."""
    from kgraph.ingest.batch import Status, without_review
    from kgraph.ingest.sheet import ProposedSheet

    assert outcome.proposed is not None
    proposed = outcome.proposed
    ready = without_review(proposed.sheet, min_confidence=target.min_confidence)
    if ready is None:
        proposed.warnings.append("nothing was applied: every fact needs review")
        return
    try:
        with tempfile.TemporaryDirectory() as scratch:
            sheet = Path(scratch) / f"{ready.source.id}.{fmt.value}"
            sheet.write_text(target.body(ProposedSheet(ready), extractor, fmt), encoding="utf-8")
            _apply(sheet, target.data, target.store, progress)
    except KgraphError as error:
        outcome.status, outcome.message = Status.FAILED, f"applying failed, nothing was applied: {error}"
        proposed.warnings.append(f"nothing was applied: {error}")
        return
    outcome.applied = [fact.id for fact in ready.facts]
    held = len(proposed.sheet.facts) - len(ready.facts)
    proposed.warnings.append(
        f"applied already (no review needed): {', '.join(outcome.applied)}; {held} fact(s) wait for review. "
        "Applying this sheet replaces the source's facts with every fact in it."
    )


def _summary(outcomes: list[Outcome], applying: bool) -> Group:
    from rich.console import Group
    from rich.table import Table

    columns = ["article", "status", "facts", "new entities", "unverified", "sheet"]
    if applying:
        columns.insert(5, "applied")
    table = Table(*columns, title="Ingested articles", title_justify="left")
    for outcome in outcomes:
        row = [
            Path(outcome.name).name,
            outcome.status.name.lower().replace("_", " "),
            str(sum(outcome.kinds.values())),
            str(outcome.new_entities),
            str(outcome.unverified),
            outcome.sheet_file.name if outcome.sheet_file else "-",
        ]
        if applying:
            row.insert(5, str(len(outcome.applied)))
        table.add_row(*row)
    total: Counter[str] = Counter()
    for outcome in outcomes:
        total.update(outcome.kinds)
    footer = [f"{len(outcomes)} article(s)", f"{sum(o.status == 0 for o in outcomes)} ok", str(total.total()),
              str(sum(o.new_entities for o in outcomes)), str(sum(o.unverified for o in outcomes)), ""]  # fmt: skip
    if applying:
        footer.insert(5, str(sum(len(o.applied) for o in outcomes)))
    table.add_section()
    table.add_row(*footer)
    kinds = Table("fact kind", "facts", title="Facts by kind", title_justify="left")
    for kind, count in sorted(total.items()):
        kinds.add_row(kind, str(count))
    return Group(table, kinds)


def _by_kind(outcome: Outcome) -> str:
    return _listed(outcome.kinds)


def _listed(kinds: Counter[str]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) or "none"


def _write_text(target: Path, text: str) -> None:
    from kgraph.curate.journal import write_durably

    try:
        write_durably(target, text.encode("utf-8"))
    except OSError as error:
        raise KgraphError(f"cannot write {target}: {error.strerror}") from None


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
