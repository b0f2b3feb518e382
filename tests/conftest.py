"""Fixtures shared by the tests: a check cache of each test's own, the demo books, loaded
once per module, for the importer tests, and headless Chromium for the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from beancount import loader
from beancount.core import data

from importers.config import ImportConfig, read_import_config
from ledger.check import DEMO_BOOKS

if TYPE_CHECKING:
    from selenium.webdriver import Chrome


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


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chrome]:
    """Debian's headless Chromium, one per module (see tests/browser.py)."""
    from tests.browser import chromium  # selenium loads only for the browser tests

    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()
