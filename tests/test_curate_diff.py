"""``kgraph diff``: builds and exports compared by facts; ``kgraph changes`` lists every write."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from kgraph.build import BuildResult
from kgraph.cli import app
from tests.conftest import DATA

SHEET = {
    "source": {"id": "second-opinion", "type": "news_article", "title": "Another account"},
    "facts": [
        {
            "id": "second-opinion-results",
            "kind": "financial_result",
            "subject": "sensetime",
            "period": {"fiscal_year": 2022},
            "measurements": [{"metric": "revenue", "amounts": [{"value": 3600000000, "currency": "CNY"}]}],
        }
    ],
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_diff_by_facts_and_the_change_log(seed_build: BuildResult, tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(seed_build.out_dir, tmp_path / "build")
    shutil.copytree(seed_build.out_dir, tmp_path / "old")
    where = ["--data", str(tmp_path / "data"), "--store", str(tmp_path / "build" / "store"), "-q"]
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(yaml.safe_dump(SHEET), encoding="utf-8")
    assert run("apply", str(sheet), *where)[0] == 0
    shutil.copytree(tmp_path / "build", tmp_path / "middle")
    SHEET["facts"][0]["measurements"][0]["amounts"][0]["value"] = 3700000000
    sheet.write_text(yaml.safe_dump(SHEET), encoding="utf-8")
    assert run("apply", str(sheet), *where)[0] == 0

    code, out, err = run("diff", str(tmp_path / "old"), str(tmp_path / "build"))
    assert code == 0
    assert out.splitlines() == [
        "+ Another account (second-opinion)",
        "+ SenseTime results FY2022 (second-opinion-results)",
    ]
    assert "2 fact(s) added, 0 removed, 0 changed" in err
    exported = tmp_path / "now.nq"
    assert run("export", "-f", "nq", "-o", str(exported), "--store", str(tmp_path / "build" / "store"))[0] == 0
    code, out, _ = run("diff", str(tmp_path / "middle" / "landscape.trig"), str(exported))
    assert out.splitlines() == [
        "~ SenseTime results FY2022 (second-opinion-results)",
        "    revenue/CNY label: CNY 3,600,000,000 → CNY 3,700,000,000",
        "    revenue/CNY value: 3600000000 → 3700000000",
    ]
    assert run("diff", str(tmp_path / "build"), str(tmp_path / "build"))[1] == ""

    code, out, err = run("changes", "--data", str(tmp_path / "data"))
    assert code == 0 and "2 change(s)" in err
    assert [line.split()[1:3] for line in out.splitlines() if "apply" in line] == [
        ["apply", "second-opinion"],
        ["apply", "second-opinion"],
    ]
    assert "+2 -0 ~0" in out and "+0 -0 ~1" in out
    assert "0 change(s)" in run("changes", "--data", str(tmp_path / "data"), "--since", "2999")[2]
