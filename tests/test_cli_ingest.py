"""``kgraph ingest`` over many articles, driven through the CLI: one sheet per article written whole, a summary, an
exit status that says what went wrong, ``--apply`` limited to what needs no review, and bad input refused with its
reason (a web page read as text, another language, a 10 MB file, no facts, a model that fails)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from typer.testing import CliRunner

from kgraph.build import STORE_NAME, build
from kgraph.cli import app
from kgraph.store.oxigraph import OxigraphStore
from tests.chat_server import ChatServer, Reply, chat_server

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "benchmarks" / "ingest" / "articles"
runner = CliRunner(env={"COLUMNS": "400"})  # long paths stay on one line

NIMBUS = (
    "Nimbus Cloud raises funds\n\n"
    "Nimbus Cloud said on Monday it had raised $120 million in a Series B round led by Orbit Ventures.\n"
    "The start-up cut 40 jobs, about 10% of its staff, in March 2024.\n"
    "Nimbus Cloud also formed a partnership with Baidu."
)
GERMAN = "Nachrichten\n\n" + "Die Firma hat heute bekannt gegeben, dass sie neue Produkte auf den Markt bringt. " * 5
PAGE = (
    "<!DOCTYPE html><html><head><title>Acme cuts jobs</title><script>document.title='x'</script></head>"
    "<body><p>Acme Corp cut 300 jobs, about 10% of its staff, on Monday.</p><p>It will focus on AI.</p></body></html>"
)


def evidence(quote: str) -> list[dict]:
    return [{"start": 0, "end": 0, "text": quote}]


NIMBUS_ANSWER = {
    "facts": [
        {
            "kind": "funding",
            "subject": "Nimbus Cloud",
            "amount": {"value": 120_000_000, "currency": "USD"},
            "investors": ["Orbit Ventures"],
            "confidence": 0.9,
            "evidence": evidence("Nimbus Cloud said on Monday it had raised $120 million in a Series B round"),
        },
        {  # an invented headcount: unverified
            "kind": "layoff",
            "subject": "Nimbus Cloud",
            "headcount": 400,
            "confidence": 0.9,
            "evidence": evidence("The start-up cut 40 jobs, about 10% of its staff, in March 2024."),
        },
        {  # grounded, but not confident enough to go in unreviewed
            "kind": "partnership",
            "subject": "Nimbus Cloud",
            "object": "Baidu",
            "confidence": 0.5,
            "evidence": evidence("Nimbus Cloud also formed a partnership with Baidu."),
        },
    ],
    "entities": [{"name": "Orbit Ventures", "type": "Company"}, {"name": "Nimbus Cloud", "type": "Company"}],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-ingest")
    shutil.copytree(REPO / "data", root / "data")
    build([root / "data"], root / "build")
    return root


@pytest.fixture
def landscape(built: Path, tmp_path: Path) -> Path:
    shutil.copytree(built / "data", tmp_path / "data")
    shutil.copytree(built / "build" / STORE_NAME, tmp_path / "store")
    return tmp_path


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ChatServer]:
    with chat_server() as server:
        monkeypatch.setenv("KGRAPH_LLM_BASE_URL", server.url)
        monkeypatch.setenv("KGRAPH_LLM_MODEL", "scripted")
        monkeypatch.setenv("KGRAPH_LLM_CACHE", str(tmp_path / "llm-cache"))
        yield server


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def source_triples(store: Path, source_id: str) -> int:
    opened = OxigraphStore.open(store, read_only=True)
    count = len(list(opened.quads(ox.NamedNode(f"https://w3id.org/kgraph/graph/{source_id}"))))
    del opened
    return count


def test_a_folder_of_articles_gives_one_sheet_each_and_a_summary(landscape: Path) -> None:
    folder = landscape / "articles"
    folder.mkdir()
    for name in ("01-baidu-ernie.txt", "02-zhipu-funding.txt"):
        shutil.copy(ARTICLES / name, folder / name)
    (folder / "03-page.html").write_text(PAGE, encoding="utf-8")
    (folder / "notes.csv").write_text("not an article", encoding="utf-8")
    out = landscape / "sheets"
    result = runner.invoke(
        app, ["ingest", str(folder), "--published", "2024-03-05", "-d", str(landscape / "data"), "-O", str(out)]
    )
    assert result.exit_code == 0, result.output
    sheets = sorted(p.name for p in out.iterdir())
    assert sheets == [
        "acme-cuts-jobs-20240305.yaml",
        "baidu-unveils-ernie-4-0-at-its-beijing-developer-20240305.yaml",
        "zhipu-ai-raises-2-5bn-yuan-as-investors-back-20240305.yaml",
    ]
    page = yaml.safe_load((out / sheets[0]).read_text(encoding="utf-8"))
    [layoff] = page["facts"]
    assert (layoff["kind"], page["source"]["title"]) == ("layoff", "Acme cuts jobs")
    assert "300" in yaml.safe_dump({key: value for key, value in layoff.items() if key != "evidence"})  # the headcount
    assert "document.title" not in (out / sheets[0]).read_text(encoding="utf-8")
    assert "is HTML: read as its visible text" in (out / sheets[0]).read_text(encoding="utf-8")
    assert "Ingested articles" in result.output and "3 article(s)" in result.output
    assert "Facts by kind" in result.output and "funding" in result.output


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("german.txt", GERMAN.encode(), 2, "does not read as English"),
        (
            "chinese.txt",
            ("商汤科技宣布裁员，公司表示将专注于人工智能。" * 10).encode(),
            2,
            "Han (Chinese or Japanese) script",
        ),
        ("huge.txt", b"word " * 2_000_000, 2, "10,000,000 bytes, over the limit of 200,000: refused unread"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", 2, "web page with no visible text"),
        ("weather.txt", b"Weather\n\nIt rained all day. Nobody went out. The garden was wet.\n", 3, "no facts found"),
    ],
)
def test_bad_articles_are_refused_with_the_reason_and_leave_no_sheet(
    landscape: Path, name: str, content: bytes, status: int, message: str
) -> None:
    folder = landscape / "articles"
    folder.mkdir()
    shutil.copy(ARTICLES / "02-zhipu-funding.txt", folder / "good.txt")
    (folder / name).write_bytes(content)
    out = landscape / "sheets"
    data_before = snapshot(landscape / "data")
    result = runner.invoke(app, ["ingest", str(folder), "-d", str(landscape / "data"), "-O", str(out), "-q"])
    assert result.exit_code == status, result.output
    assert message in " ".join(result.output.split())
    assert [p.name for p in out.iterdir()] == ["zhipu-ai-raises-2-5bn-yuan-as-investors-back.yaml"]
    assert snapshot(landscape / "data") == data_before
    single = runner.invoke(app, ["ingest", str(folder / name), "-d", str(landscape / "data"), "-o", "one.yaml"])
    assert single.exit_code == status and message in " ".join(single.output.split())
    assert not Path("one.yaml").exists()


def test_apply_adds_only_what_needs_no_review(landscape: Path, model: ChatServer) -> None:
    article = landscape / "nimbus.txt"
    article.write_text(NIMBUS, encoding="utf-8")
    model.play(Reply(NIMBUS_ANSWER, usage={"prompt_tokens": 900, "completion_tokens": 100}))
    data, store, out = landscape / "data", landscape / "store", landscape / "sheets"
    result = runner.invoke(
        app,
        ["ingest", str(article), "--extractor", "openai", "--published", "2024-04-08", "--apply",
         "--min-confidence", "0.8", "-d", str(data), "-s", str(store), "-O", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1,000 tokens (900 prompt + 100 completion) in 1 request(s)" in " ".join(result.output.split())
    source_id = "nimbus-cloud-raises-funds-20240408"
    applied = yaml.safe_load((data / f"{source_id}.yaml").read_text(encoding="utf-8"))
    assert [fact["kind"] for fact in applied["facts"]] == ["funding"]
    assert {entity["name"] for entity in applied["entities"]} == {"Nimbus Cloud", "Orbit Ventures"}
    assert source_triples(store, source_id) > 0
    review = (out / f"{source_id}.yaml").read_text(encoding="utf-8")
    sheet = yaml.safe_load(review)
    kinds = {fact["kind"]: fact for fact in sheet["facts"]}
    assert set(kinds) == {"funding", "layoff", "partnership"}
    assert kinds["layoff"]["unverified"] == "headcount 400 is not in its evidence"
    assert "applied already (no review needed): nimbus-cloud-raises-funds-20240408-funding-1" in review
    # the sheet left for review cannot be applied as it is: the unverified fact needs an edit
    refused = runner.invoke(app, ["apply", str(out / f"{source_id}.yaml"), "-d", str(data), "-s", str(store)])
    assert refused.exit_code == 2
    assert "failed its checks (headcount 400 is not in its evidence)" in " ".join(refused.output.split())
    # the same run again answers from the cache
    again = runner.invoke(
        app,
        ["ingest", str(article), "--extractor", "openai", "--published", "2024-04-08", "-O", str(out), "-d", str(data)],
    )
    assert again.exit_code == 0 and "0 request(s); 1 answer(s) from the cache" in " ".join(again.output.split())
    assert len(model.received) == 1


def test_a_model_that_fails_on_one_article_fails_only_that_one(landscape: Path, model: ChatServer) -> None:
    folder = landscape / "articles"
    folder.mkdir()
    (folder / "a-nimbus.txt").write_text(NIMBUS, encoding="utf-8")
    (folder / "b-other.txt").write_text(NIMBUS.replace("Nimbus Cloud raises", "Nimbus Cloud again raises"), "utf-8")
    model.play(Reply(NIMBUS_ANSWER), Reply(status=400))
    out = landscape / "sheets"
    result = runner.invoke(
        app, ["ingest", str(folder), "--extractor", "openai", "-d", str(landscape / "data"), "-O", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert [p.name for p in out.iterdir()] == ["nimbus-cloud-raises-funds.yaml"]
    output = " ".join(result.output.split())
    assert "b-other.txt: the language model at" in output and "HTTP 400" in output


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(NIMBUS_ANSWER, delay=1.0), "did not answer within 0.3 s (2 tries)"),
        (Reply(drop=True), "cannot be reached (2 tries)"),
        (Reply(content="{not json"), "does not fit the schema"),
    ],
)
def test_a_model_that_is_slow_silent_or_wrong_leaves_no_sheet(
    landscape: Path, model: ChatServer, monkeypatch: pytest.MonkeyPatch, reply: Reply, message: str
) -> None:
    monkeypatch.setenv("KGRAPH_LLM_TIMEOUT", "0.3")
    monkeypatch.setenv("KGRAPH_LLM_RETRIES", "1")
    article = landscape / "nimbus.txt"
    article.write_text(NIMBUS, encoding="utf-8")
    model.play(reply)
    out = landscape / "sheet.yaml"
    before = snapshot(landscape / "data")
    result = runner.invoke(
        app, ["ingest", str(article), "--extractor", "openai", "--apply", "-d", str(landscape / "data"), "-o", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert message in " ".join(result.output.split()) and "nothing was written" in result.output
    assert not out.exists() and snapshot(landscape / "data") == before


def test_bad_model_settings_are_named(model: ChatServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KGRAPH_LLM_TIMEOUT", "soon")
    result = runner.invoke(app, ["ingest", str(ARTICLES / "01-baidu-ernie.txt"), "--extractor", "openai"])
    assert result.exit_code == 2 and "KGRAPH_LLM_TIMEOUT='soon' is not a number of seconds" in result.output


def test_one_sheet_name_for_several_articles_is_an_error(landscape: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(ARTICLES / "01-baidu-ernie.txt"), str(ARTICLES / "02-zhipu-funding.txt"), "-o", "x.yaml"]
    )
    assert result.exit_code == 2 and "--out-dir" in result.output


def test_help_documents_the_exit_statuses() -> None:
    result = runner.invoke(app, ["ingest", "--help"], terminal_width=200)
    text = " ".join(result.output.split())
    assert "3 when no facts were found in an article" in text and "--min-confidence" in text


def test_apply_that_fails_says_so_and_keeps_the_sheet_for_review(landscape: Path) -> None:
    out = landscape / "sheet.yaml"
    (landscape / "store.lock").mkdir()  # the store's lock cannot be taken: applying fails, the sheet is still written
    result = runner.invoke(
        app,
        ["ingest", str(ARTICLES / "02-zhipu-funding.txt"), "--apply", "-d", str(landscape / "data"),
         "-s", str(landscape / "store"), "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "applying failed, nothing was applied" in " ".join(result.output.split())
    assert "nothing was applied" in out.read_text(encoding="utf-8")
