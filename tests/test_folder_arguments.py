"""A folder given where a data file is wanted (a statement, a plan, a pack) is refused as a
folder; only the books may be named by their folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds


@pytest.mark.parametrize("args", [
    ["import", "{folder}"],
    ["export", "monthly", "2012-10", "--statement", "{folder}"],
    ["verify-pack", "{folder}"],
    ["plan", "{folder}"],
])
def test_a_folder_is_no_data_file(tmp_path: Path, args: list[str]) -> None:
    books = tmp_path / "books"
    shutil.copytree(DEMO_BOOKS.parent, books)
    words = [word.format(folder=books) for word in args]
    if args[0] != "verify-pack":
        words += ["--ledger", str(books)]
    result = CliRunner().invoke(funds, words)
    assert result.exit_code == 2
    assert "是文件夹，不是文件 / " in result.output
