"""The one error an importer raises: input it cannot read, located in its file."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Input that cannot be read, with the file, and where known the row and column (1-based,
    as a spreadsheet shows them)."""

    def __init__(self, path: str | Path, message: str, *, row: int | None = None,
                 column: str | None = None) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.path]
        if self.row is not None:
            where.append(f"第 {self.row} 行 / row {self.row}")
        if self.column is not None:
            where.append(f"列 {self.column} / column {self.column}")
        return f"{'，'.join(where)}：{self.message}"
