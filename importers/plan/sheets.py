"""The plan's sheets: which file or sheet holds budget rows and which allocations, and where
each sheet's header is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from importers.errors import InputError
from importers.tables import Cell, Table, column_letter, read_sheets, read_table

BUDGET, ALLOCATION = "预算", "拨款"
HEADER_ROWS = 30  # the header is looked for among the first rows

# field: the header names it goes by (spaces and a bracketed unit such as （元） removed)
COLUMNS: dict[str, tuple[str, ...]] = {
    "fund": ("专项", "专项资金", "专项名称", "资金名称", "资金项目", "专项代码"),
    "account": ("科目", "预算科目", "支出科目", "会计科目", "支出项目", "科目名称"),
    "period": ("期间", "预算期间", "周期"),
    "amount": ("金额", "预算金额", "拨款金额", "计划金额", "预算数", "拨款数"),
    "source": ("来源", "资金来源", "拨款来源", "拨款单位"),
    "due": ("到位期限", "到位日期", "到账期限", "拨付期限", "到位时间"),
    "approval": ("文号", "批准文号", "文件号", "依据文号", "批复文号"),
}
REQUIRED = {BUDGET: ("fund", "account", "amount"),
            ALLOCATION: ("fund", "source", "amount", "due")}

_UNIT = re.compile(r"[（(]([^）)]*)[）)]$")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Sheet:
    """One sheet of the plan: where it comes from, which kind it is, its rows."""

    table: Table
    kind: str | None  # BUDGET, ALLOCATION, or None: told by its header
    name: str | None = None  # the sheet's name in a workbook; None for a CSV
    file_kind: str | None = None  # the kind the workbook's file name says, if its header not

    @property
    def where(self) -> str:
        """The file (and sheet) as a message names it."""
        if self.name is None:
            return str(self.table.path)
        return f"{self.table.path}，工作表 {self.name} / sheet {self.name}"

    def error(self, message: str, *, row: int | None = None,
              column: str | None = None) -> InputError:
        return InputError(self.where, message, row=row, column=column)


def _kind_of(name: str) -> str | None:
    """The kind a sheet's or file's name says, if it says exactly one."""
    kinds = [kind for kind in (BUDGET, ALLOCATION) if kind in name]
    return kinds[0] if len(kinds) == 1 else None


def read_plan_sheets(paths: Iterable[Path]) -> list[Sheet]:
    """The plan's sheets: every sheet of each workbook (its kind by its name, else by its
    header, else by the file's name), merged cells read as their top-left cell; each CSV file
    as one sheet."""
    sheets: list[Sheet] = []
    for path in paths:
        if path.suffix.lower() == ".xlsx":
            sheets += _workbook_sheets(path)
        else:
            sheets.append(Sheet(read_table(path), _kind_of(path.stem)))
    return sheets


def _every(names: list[str]) -> list[str]:
    return names


def _workbook_sheets(path: Path) -> list[Sheet]:
    return [Sheet(table, _kind_of(name), name, _kind_of(path.stem))
            for name, table in read_sheets(path, _every, merged=True)]


@dataclass(frozen=True)
class Header:
    """A sheet's header row (0-based index), each field's column, and each column's name."""

    index: int
    columns: dict[str, int]
    names: list[str]

    def where(self, field_name: str) -> str:
        """A column as a message names it: its letter and its header, e.g. ``C（金额（元））``."""
        index = self.columns[field_name]
        return f"{column_letter(index)}（{self.names[index]}）"

    def cell(self, cells: list[Cell], field_name: str) -> Cell:
        """The row's cell of a field (blank when the sheet has no such column)."""
        return cell_at(cells, self.columns.get(field_name))


def header_name(text: str) -> tuple[str, str | None]:
    """A header cell's name without spaces and its bracketed unit, and the unit."""
    name = SPACES.sub("", text)
    unit = _UNIT.search(name)
    return (name[:unit.start()], unit.group(1)) if unit and unit.start() else (name, None)


def find_header(sheet: Sheet) -> Header | None:
    """The first row naming the 专项 and 金额 columns."""
    for index, cells in enumerate(sheet.table.rows[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(cells):
            name = header_name(cell.text)[0]
            for field_name, accepted in COLUMNS.items():
                if name in accepted and field_name not in columns:
                    columns[field_name] = position
        if "fund" in columns and "amount" in columns:
            return Header(index, columns, [cell.text for cell in cells])
    return None


def sheet_kind(sheet: Sheet, header: Header) -> str | None:
    """BUDGET or ALLOCATION: as the sheet's (or CSV file's) name says, else as the header's
    columns say (all of one kind's required columns, else 科目 without 来源 and 到位期限 or the
    other way round), else as the workbook's name says; None when nothing tells."""
    if sheet.kind is not None:
        return sheet.kind
    complete = [kind for kind, needed in REQUIRED.items()
                if all(name in header.columns for name in needed)]
    if len(complete) == 1:
        return complete[0]
    budget = "account" in header.columns
    allocation = "source" in header.columns or "due" in header.columns
    if budget != allocation:
        return BUDGET if budget else ALLOCATION
    return sheet.file_kind


def cell_at(cells: list[Cell], index: int | None) -> Cell:
    return cells[index] if index is not None and index < len(cells) else Cell("")
