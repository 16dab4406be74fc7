"""Bad input is rejected with a message that says where and what, and nothing is loaded."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from kgraph.errors import DataError, Problem
from kgraph.pipeline import assemble

SHEET_HEAD = """\
source:
  id: test-source
  title: A test article
entities:
  - id: acme
    type: Company
    name: Acme
"""


@pytest.fixture
def data_copy(tmp_path: Path, data_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    return target


def problems_for(folder: Path, name: str, text: str | bytes) -> list[Problem]:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        assemble([folder])
    return caught.value.problems


def only(problems: list[Problem], file_suffix: str) -> Problem:
    mine = [p for p in problems if p.file.endswith(file_suffix)]
    assert len(mine) == 1, problems
    return mine[0]


def test_rmb_is_not_a_currency(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-results
    kind: financial_result
    subject: acme
    period: {fiscal_year: 2022}
    measurements:
      - metric: revenue
        amounts:
          - {value: 100, currency: RMB}
""",
    )
    problem = only(problems, "bad.yaml")
    assert problem.line == 16
    assert problem.where == "facts[0].measurements[0].amounts[0].currency"
    assert "CNY" in problem.message


def test_a_fact_without_a_source_fails_shacl(data_copy):
    problems = problems_for(
        data_copy,
        "unsourced.ttl",
        """\
        @prefix kg: <https://w3id.org/kgraph/ontology#> .
        @prefix kgd: <https://w3id.org/kgraph/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        kgd:mystery-layoff a kg:Layoff ; rdfs:label "A layoff from nowhere" ; kg:company kgd:sensetime .
        """,
    )
    assert any(p.where == "mystery-layoff" and "no source" in p.message for p in problems), problems


def test_range_minimum_above_maximum(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-layoff
    kind: layoff
    subject: acme
    reductions:
      - unit: acme
        share: {min: 20, max: 10}
""",
    )
    problem = only(problems, "bad.yaml")
    assert problem.line == 14 and "greater than its maximum" in problem.message


def test_a_product_without_a_developer_fails_shacl(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
  - id: orphan-bot
    type: AIProduct
    name: Orphan Bot
""",
    )
    problem = only(problems, "bad.yaml")
    assert problem.where == "orphan-bot" and "developer" in problem.message
    assert problem.line == 8


def test_reference_to_an_unknown_entity(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-launch
    kind: product_launch
    subject: acme
    object: rocket-skates
""",
    )
    problem = only(problems, "bad.yaml")
    assert problem.line == 12 and "unknown product 'rocket-skates'" in problem.message


def test_reference_of_the_wrong_kind(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-launch
    kind: product_launch
    subject: acme
    object: baidu
""",
    )
    assert "'baidu' is a Company, expected" in only(problems, "bad.yaml").message


def test_malformed_turtle_reports_its_line(data_copy):
    problems = problems_for(
        data_copy,
        "broken.ttl",
        """\
        @prefix kg: <https://w3id.org/kgraph/ontology#> .

        <https://w3id.org/kgraph/id/x> a kg:Company ;
            <http://www.w3.org/2000/01/rdf-schema#label> "unterminated .
        """,
    )
    problem = only(problems, "broken.ttl")
    assert problem.line == 4 and "not valid Turtle" in problem.message


def test_duplicate_identifier_across_files(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        """\
source:
  id: test-source
entities:
  - id: sensetime
    type: Company
    name: SenseTime again
""",
    )
    [problem] = [p for p in problems if "duplicate identifier 'sensetime'" in p.message]
    assert {Path(problem.file).name, Path(problem.message.rsplit(" at ", 1)[1]).name.split(":")[0]} == {
        "bad.yaml",
        "sensetime-layoffs-2023.yaml",
    }


def test_impossible_date(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-results
    kind: statement
    subject: acme
    date: 2023-02-30
""",
    )
    problem = only(problems, "bad.yaml")
    assert problem.line == 12 and "does not exist" in problem.message


def test_wrong_type_of_value(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-layoff
    kind: layoff
    subject: acme
    headcount: many
""",
    )
    problem = only(problems, "bad.yaml")
    assert problem.line == 12 and problem.where == "facts[0].headcount" and "integer" in problem.message


def test_empty_file(data_copy):
    assert "empty" in only(problems_for(data_copy, "empty.yaml", ""), "empty.yaml").message


def test_not_utf8(data_copy):
    problem = only(problems_for(data_copy, "latin1.yaml", "source:\n  id: caf\xe9\n".encode("latin-1")), "latin1.yaml")
    assert problem.line == 2 and "UTF-8" in problem.message


def test_unknown_field_is_not_silently_dropped(data_copy):
    problem = only(problems_for(data_copy, "bad.yaml", SHEET_HEAD + "    revenu: 12\n"), "bad.yaml")
    assert problem.where == "entities[0].revenu" and "unknown field" in problem.message


def test_a_loss_must_be_negative(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-results
    kind: financial_result
    subject: acme
    period: {fiscal_year: 2022}
    measurements:
      - metric: net_income
        loss: true
        amounts: [{value: 5, currency: USD}]
""",
    )
    assert "negative" in only(problems, "bad.yaml").message


def test_malformed_severance_formula(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-layoff
    kind: layoff
    subject: acme
    severance:
      - formula: N+two
""",
    )
    problem = only(problems, "bad.yaml")
    assert problem.where == "facts[0].severance[0].formula" and problem.line == 13


def test_period_that_ends_before_it_begins(data_copy):
    problems = problems_for(
        data_copy,
        "bad.yaml",
        SHEET_HEAD
        + """\
facts:
  - id: acme-results
    kind: financial_result
    subject: acme
    period: {start: 2022-12-31, end: 2022-01-01}
    measurements:
      - metric: revenue
        amounts: [{value: 5, currency: USD}]
""",
    )
    assert "ends" in only(problems, "bad.yaml").message


def test_invalid_yaml_reports_its_line(data_copy):
    problem = only(problems_for(data_copy, "bad.yaml", "source:\n  id: x\n  title: [unclosed\n"), "bad.yaml")
    assert problem.line is not None and "not valid YAML" in problem.message


def test_every_problem_is_reported_not_just_the_first(data_copy):
    (data_copy / "one.yaml").write_text("", encoding="utf-8")
    problems = problems_for(data_copy, "two.yaml", SHEET_HEAD + "    country: China\n")
    assert {Path(p.file).name for p in problems} == {"one.yaml", "two.yaml"}


def test_missing_path():
    with pytest.raises(DataError) as caught:
        assemble([Path("/nonexistent/kgraph-data")])
    assert "no such file or folder" in str(caught.value)
