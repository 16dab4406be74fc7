"""Fixtures shared by the tests: the repository's folders and the seed landscape, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.build import STORE_NAME, BuildResult, build
from kgraph.store.oxigraph import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SEED_ARTICLE = REPO.parent / "shared" / "seed" / "sensetime-layoffs-article.txt"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed_article() -> str:
    """The seed article's text; tests that need it skip where ../shared is absent."""
    if not SEED_ARTICLE.is_file():
        pytest.skip(f"the seed article is not at {SEED_ARTICLE} (../shared is absent)")
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The curated data of data/, built once into a temporary folder."""
    return build([DATA], tmp_path_factory.mktemp("seed-build"))


@pytest.fixture(scope="session")
def seed_store(seed_build: BuildResult) -> OxigraphStore:
    """The seed build's on-disk store, opened read-only."""
    return OxigraphStore.open(seed_build.out_dir / STORE_NAME, read_only=True)
