"""A workbook's sheet read as its CSV file holds it: the workbook prints the sign-off
(单位负责人：… 财务负责人：… 制表人：…) and the seal's row under each table, after one blank row;
the table ends at that blank row. (A table may hold blank rows of its own: the end is found by
the sign-off, not by the first blank row.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

SIGN_OFF_MARK = "单位负责人："
Row = TypeVar("Row", bound=Sequence[object])


def table_end(rows: Sequence[Sequence[object]]) -> int:
    """The index of the blank row above the sheet's sign-off (which must be there)."""
    starts = [index for index, row in enumerate(rows)
              if row and isinstance(row[0], str) and row[0].startswith(SIGN_OFF_MARK)]
    assert len(starts) == 1, f"one sign-off under the table, found {len(starts)}"
    end = starts[0] - 1
    assert end > 0 and all(cell in (None, "") for cell in rows[end]), "no blank row above"
    return end


def without_sign_off(rows: Sequence[Row]) -> list[Row]:
    """The sheet's rows down to the table's last, without the sign-off under it."""
    return list(rows[:table_end(rows)])
