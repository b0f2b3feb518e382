"""Fixtures shared by the tests: a check cache of each test's own, and the demo books, loaded
once per module, for the importer tests."""

from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from importers.config import ImportConfig, read_import_config
from ledger.check import DEMO_BOOKS


@pytest.fixture(autouse=True)
def check_cache(tmp_path_factory: pytest.TempPathFactory,
                monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own check cache: none is read from, or left in, the user's home."""
    folder = tmp_path_factory.mktemp("check-cache")
    monkeypatch.setenv("EARMARK_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def demo_entries() -> data.Entries:
    return loader.load_file(str(DEMO_BOOKS))[0]


@pytest.fixture(scope="module")
def config(demo_entries: data.Entries) -> ImportConfig:
    return read_import_config(demo_entries)
