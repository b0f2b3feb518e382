"""The shape of an annual statement: rows with their 行次 and one value per column."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class StatementRow:
    """One line of a statement.

    ``line`` is the 2004 行次 (``None`` for a heading or a 其中 row without one);
    ``values`` holds one amount per column of the statement (``None`` where the
    layout leaves the cell empty).
    """

    line: int | None
    label: str
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class Statement:
    """A statement: its title, its code (会民非01表 …), its column heads and its rows."""

    title: str
    code: str
    columns: tuple[str, ...]
    rows: list[StatementRow]

    def row(self, line: int) -> StatementRow:
        """The row of 行次 ``line``; KeyError if the statement has none."""
        for candidate in self.rows:
            if candidate.line == line:
                return candidate
        raise KeyError(line)
