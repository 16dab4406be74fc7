"""Hostile and careless input to the readers: bombs, huge numbers, deep nesting, impossible dates, broken IRIs.

Each case runs the real ``kgraph`` command in a child process with a memory limit and a time-out, so that a
regression fails the test instead of taking the machine down, and checks the answer: exit status 2, the file and
line, a message in words, no traceback, and nothing written.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kgraph.limits import check_xml_entities, check_yaml_node
from kgraph.store.oxigraph import OxigraphStore

KGRAPH = [sys.executable, "-m", "kgraph"]
MEMORY_LIMIT = 1_500_000_000


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def kgraph(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KGRAPH, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
        env={**os.environ, "COLUMNS": "400"},
    )


def _yaml_alias_bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    lines.append(f"source: {{id: bomb, title: *l{levels - 1}}}")
    return "\n".join(lines) + "\n"


SHEET = """source: {{id: acme-article, published: 2024-03-05}}
entities:
  - {{id: acme, type: Company, name: Acme{entity_extra}}}
facts:
  - id: acme-results
    kind: financial_result
    subject: acme
    period: {{fiscal_year: 2023}}
    measurements:
      - metric: revenue
        amounts: [{{value: {value}, currency: USD}}]
"""

CASES = {
    "yaml alias bomb": ("bomb.yaml", _yaml_alias_bomb(), 6, "expands to more than 100,000 values"),
    "5,000-digit number": ("big.yaml", SHEET.format(entity_extra="", value="9" * 5000), 11, "more than 30 digits"),
    "1E+999999": ("exp.yaml", SHEET.format(entity_extra="", value="1E+999999"), 11, "no more than 30 digits"),
    "year 0000": ("y0.yaml", 'source: {id: y0, published: "0000"}\n', 1, "has no year 0"),
    "date with a newline": (
        "nl.json",
        '{"source": {"id": "nl", "published": "2023-01-01\\n"}}',
        None,
        "is not a date: write YYYY",
    ),
    "deeply nested yaml": (
        "deep.yaml",
        "source: " + "[" * 100_000 + "]" * 100_000 + "\n",
        None,
        ("nested too deeply", "maximum nesting depth"),
    ),
    "deeply nested json": ("deep.json", "[" * 100_000 + "]" * 100_000, None, "nested too deeply"),
    "website that breaks an IRI": (
        "web.yaml",
        SHEET.format(entity_extra=', website: "https://acme.example/a b"', value="10"),
        3,
        "not a valid web address: it contains a space",
    ),
    "source url with angle brackets": (
        "url.yaml",
        'source: {id: u, url: "https://acme.example/x>y"}\n',
        1,
        "not a valid web address: it contains the character '>'",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_validate_reports_hostile_fact_sheets_in_words(case: str, tmp_path: Path) -> None:
    name, text, line, message = CASES[case]
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = kgraph("validate", name, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    where = f"{name}:{line}:" if line is not None else f"{name}:"
    report = " ".join(result.stderr.split())
    messages = (message,) if isinstance(message, str) else message  # libyaml or PyYAML's own parser
    assert where in report and any(text in report for text in messages), result.stderr


def test_build_with_a_hostile_sheet_writes_nothing(tmp_path: Path, data_dir: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    (data / "bomb.yaml").write_text(_yaml_alias_bomb(), encoding="utf-8")
    result = kgraph("build", str(data), "--build-dir", str(tmp_path / "build"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "bomb.yaml:6:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "build" / "store").exists()


def _entity_bomb(levels: int = 9) -> bytes:
    entities = ['<!ENTITY e0 "lollollollol">']
    entities += [f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + "\n]>\n"
        + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        + f'<rdf:Description rdf:about="http://example.org/a"><ex:p>&e{levels};</ex:p></rdf:Description>\n'
        + "</rdf:RDF>\n"
    ).encode()


def _quads(store_path: Path) -> set:
    with OxigraphStore.open(store_path, read_only=True) as store:
        return set(store.quads())


def test_import_refuses_an_xml_entity_bomb_and_changes_nothing(seed_build, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seed_build.out_dir / "store", store)
    before = _quads(store)
    (tmp_path / "bomb.rdf").write_bytes(_entity_bomb())
    result = kgraph("import", "bomb.rdf", "--store", str(store), cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "bomb.rdf:" in result.stderr and "entity bomb" in " ".join(result.stderr.split())
    assert _quads(store) == before


def test_import_refuses_a_file_that_entails_too_much_and_changes_nothing(seed_build, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seed_build.out_dir / "store", store)
    before = _quads(store)
    chain = ["@prefix ex: <http://example.org/> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    chain += [f"ex:C{i} rdfs:subClassOf ex:C{i + 1} ." for i in range(400)]
    chain += [f"ex:i{i} a ex:C0 ." for i in range(400)]
    (tmp_path / "chain.ttl").write_text("\n".join(chain) + "\n", encoding="utf-8")
    result = kgraph("import", "chain.ttl", "--store", str(store), cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "inferred triples" in " ".join(result.stderr.split())
    assert _quads(store) == before


def test_xml_entities_used_as_namespace_abbreviations_are_accepted() -> None:
    raw = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ex "http://example.org/"> ]>\n'
        b'<rdf:RDF xmlns:ex="&ex;"><rdf:Description rdf:about="&ex;a"/></rdf:RDF>\n'
    )
    assert check_xml_entities(raw) is None


def test_external_xml_entities_are_refused_with_their_line() -> None:
    raw = b'<?xml version="1.0"?>\n<!DOCTYPE x [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n<x>&secret;</x>'
    over = check_xml_entities(raw)
    assert over is not None and over.line == 3 and "external" in over.message


def test_a_recursive_yaml_alias_is_refused() -> None:
    import yaml

    node = yaml.compose("a: &a [1, *a]\n")
    over = check_yaml_node(node)
    assert over is not None and "contains it" in over.message


def test_yaml_anchors_within_budget_are_read() -> None:
    import yaml

    node = yaml.compose("date: &d 2023-04\nother: *d\nlist: &l [1, 2, 3]\nagain: [*l, *l]\n")
    assert check_yaml_node(node) is None


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { " + "{ " * 20_000 + "?s ?p ?o" + " }" * 20_000 + " }",
        "SELECT * WHERE { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }",
    ],
    ids=["groups", "parentheses"],
)
def test_a_query_nested_past_the_parsers_stack_is_refused_not_a_crash(sparql: str, seed_build, tmp_path: Path) -> None:
    (tmp_path / "deep.rq").write_text(sparql, encoding="utf-8")
    result = kgraph("query", "deep.rq", "--store", str(seed_build.out_dir / "store"), cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "more than 200 levels deep" in " ".join(result.stderr.split())


def test_brackets_inside_strings_and_comments_do_not_count_as_nesting() -> None:
    from kgraph.limits import check_query_nesting

    text = 'SELECT * WHERE { ?s ?p "' + "(" * 500 + '" } # ' + "{" * 500
    assert check_query_nesting(text) is None
    assert check_query_nesting("SELECT * WHERE " + "{" * 201 + "}" * 201) is not None
