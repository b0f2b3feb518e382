"""Spreadsheet-like input as rows of text cells: CSV in any usual Chinese encoding, and xlsx.

Every cell keeps the exact text the file holds: an xlsx number is read as the digits stored in
the file, never through a float. Encodings are detected without asking: UTF-8 with or without a
byte-order mark, UTF-16 with one, and GBK/GB18030, the usual Chinese bank export.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from importers.errors import InputError

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass(frozen=True)
class Cell:
    """One cell: its text, and whether the file stores it as a number (an xlsx date is one)."""

    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """The rows of a file's first sheet, in file order; row ``i`` is spreadsheet row ``i + 1``."""

    path: Path
    rows: list[list[Cell]]


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_table(path: Path) -> Table:
    """The file's rows (read once while the file is unchanged); an ``InputError`` for a file
    that cannot be read."""
    stat = path.stat()
    return _read_table(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _read_table(path: Path, modified: int, size: int) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return Table(path, _read_xlsx(path))
    if suffix == ".xls":
        raise InputError(path, "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 .csv / "
                               "old .xls files are not supported: save as .xlsx or .csv")
    return Table(path, _read_csv(path))


def decode(path: Path, raw: bytes) -> str:
    """The text of a file in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if not raw.strip():
        raise InputError(path, "文件为空 / the file is empty")
    if raw.startswith(b"\xef\xbb\xbf"):
        return _decoded(path, raw, "utf-8-sig")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decoded(path, raw, "utf-16")
    if b"\x00" in raw:
        raise InputError(path, "无法识别的文本编码（含空字节） / unknown text encoding (NUL bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decoded(path, raw, "gb18030")


def _decoded(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            path, f"无法识别的文本编码（支持 UTF-8、UTF-8 BOM、GBK/GB18030），第 {error.start} "
                  f"字节起无法解码 / unknown text encoding (UTF-8, UTF-8 with BOM and "
                  f"GBK/GB18030 are read); undecodable from byte {error.start}") from None


def _read_csv(path: Path) -> list[list[Cell]]:
    text = decode(path, path.read_bytes())
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError(path, f"CSV 格式错误 / malformed CSV: {error}") from None
    return [[Cell(value.strip()) for value in row] for row in rows]


def _read_xlsx(path: Path) -> list[list[Cell]]:
    try:
        with zipfile.ZipFile(path) as workbook:
            shared = _shared_strings(workbook)
            sheet = ElementTree.fromstring(workbook.read(_first_sheet(workbook)))
    except (zipfile.BadZipFile, zlib.error, KeyError, IndexError, ValueError, StopIteration,
            NotImplementedError, ElementTree.ParseError, EOFError, OSError) as error:
        raise InputError(path, f"不是完整的 xlsx 文件（文件损坏或被截断） / not a complete xlsx "
                               f"file (damaged or truncated): {error}") from None
    rows: list[list[Cell]] = []
    for row in sheet.iter(f"{_MAIN}row"):
        number = int(row.get("r", len(rows) + 1))
        while len(rows) < number:
            rows.append([])
        cells = rows[number - 1]
        for cell in row.iter(f"{_MAIN}c"):
            column = _column_index(cell.get("r"), len(cells))
            while len(cells) <= column:
                cells.append(Cell(""))
            cells[column] = _cell(cell, shared)
    return rows


def _first_sheet(workbook: zipfile.ZipFile) -> str:
    """The archive path of the workbook's first sheet."""
    book = ElementTree.fromstring(workbook.read("xl/workbook.xml"))
    first = next(book.iter(f"{_MAIN}sheet"))
    relation = first.get(f"{_DOC_RELS}id")
    links = ElementTree.fromstring(workbook.read("xl/_rels/workbook.xml.rels"))
    target = next(link.get("Target", "") for link in links.iter(f"{_RELS}Relationship")
                  if link.get("Id") == relation)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _shared_strings(workbook: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in workbook.namelist():
        return []
    table = ElementTree.fromstring(workbook.read("xl/sharedStrings.xml"))
    return ["".join(text.text or "" for text in item.iter(f"{_MAIN}t"))
            for item in table.iter(f"{_MAIN}si")]


def _column_index(reference: str | None, default: int) -> int:
    match = _CELL_REF.fullmatch(reference or "")
    if match is None:
        return default
    index = 0
    for letter in match.group(1):
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _cell(cell: ElementTree.Element, shared: list[str]) -> Cell:
    kind = cell.get("t", "n")
    value = cell.find(f"{_MAIN}v")
    text = "" if value is None or value.text is None else value.text
    if kind == "s":
        return Cell(shared[int(text)].strip())
    if kind == "inlineStr":
        return Cell("".join(part.text or "" for part in cell.iter(f"{_MAIN}t")).strip())
    if kind == "n":
        return Cell(text, numeric=bool(text))
    return Cell(text.strip())
