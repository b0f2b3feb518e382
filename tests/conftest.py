"""Fixtures shared by the importer tests: the demo books, loaded once per module."""

import pytest
from beancount import loader
from beancount.core import data

from importers.config import ImportConfig, read_import_config
from ledger.check import DEMO_BOOKS


@pytest.fixture(scope="module")
def demo_entries() -> data.Entries:
    return loader.load_file(str(DEMO_BOOKS))[0]


@pytest.fixture(scope="module")
def config(demo_entries: data.Entries) -> ImportConfig:
    return read_import_config(demo_entries)
