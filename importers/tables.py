"""Spreadsheet-like input as rows of text cells: CSV in any usual Chinese encoding, and xlsx.

Every cell keeps the exact text the file holds: an xlsx number is read as the digits stored in
the file, never through a float. Encodings are detected without asking: UTF-8 with or without a
byte-order mark, UTF-16 with one, and GBK/GB18030, the usual Chinese bank export.

An xlsx is read from its own XML, streamed: no part is inflated past ``MAX_PART_BYTES`` (a zip
bomb is refused, not unpacked), and the sheet as a grid (its rows, and the cells of each row up
to its last, blanks between included) may not pass ``MAX_ROWS`` rows and ``MAX_CELLS`` cells, so
a small file naming row 99999999 or column XFD is refused in little memory. A damaged file (a
part missing or cut short, a row number, cell position, shared-string index or stored number
that is none) is an ``InputError`` naming the file, and the row and column where there is one.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from importers.errors import InputError

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})", re.ASCII)
_ROW_NUMBER = re.compile(r"[1-9][0-9]{0,6}", re.ASCII)
_STORED_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_SHARED_INDEX = re.compile(r"[0-9]{1,9}", re.ASCII)
_EXCEL_ROWS, _EXCEL_COLUMNS = 1_048_576, 16_384  # the last row and column (XFD) Excel has
MAX_PART_BYTES = 32 * 2**20  # one XML part, inflated; a 5000-line statement's sheet is ~2 MB
MAX_ROWS = 100_000  # rows of a sheet, counted to the last one named
MAX_CELLS = 1_000_000  # cells of the grid, blanks before a row's last cell included
MAX_CSV_BYTES = 64 * 2**20
_CHUNK = 64 * 1024
_MAX_DEPTH = 32  # a sheet nests worksheet, sheetData, row, c, is, r, t: seven deep
_MAX_TEXT = 32_767  # the most characters Excel holds in a cell
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, EOFError, OSError,
            NotImplementedError, RuntimeError, ValueError, ElementTree.ParseError)


@dataclass(frozen=True, slots=True)
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
    try:
        stat = path.stat()
        return _read_table(path.resolve(), stat.st_mtime_ns, stat.st_size)
    except OSError as error:
        raise InputError(path, f"无法读取文件 / the file cannot be read: "
                               f"{error.strerror}") from None


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
    if path.stat().st_size > MAX_CSV_BYTES:
        raise InputError(path, f"文件过大（超过 {MAX_CSV_BYTES // 2**20} MB），不像一个月的流水或"
                               f"工资表 / the file is too large (over {MAX_CSV_BYTES // 2**20} "
                               "MB) for a statement or a payroll sheet")
    text = decode(path, path.read_bytes())
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError(path, f"CSV 格式错误 / malformed CSV: {error}") from None
    return [[Cell(value.strip()) for value in row] for row in rows]


def _read_xlsx(path: Path) -> list[list[Cell]]:
    return read_sheets(path, lambda names: names[:1])[0][1].rows


def read_sheets(path: Path, choose: Callable[[list[str]], list[str]], *,
                merged: bool = False) -> list[tuple[str, Table]]:
    """The sheets of an xlsx that ``choose`` picks from the names of all its sheets (in the
    workbook's order), each read as the first sheet is: exact numbers, streamed, within the
    limits; an ``InputError`` for a damaged or hostile file. With ``merged``, every cell of a
    merged range (``<mergeCell ref="A3:A4"/>``) reads as its top-left cell, as the sheet
    shows it: a budget sheet merges a fund's cell down the rows of its lines."""
    try:
        with zipfile.ZipFile(path) as workbook:
            listed = _listed_sheets(path, workbook)
            chosen = [(name, listed[name]) for name in choose(list(listed))]
            shared = _shared_strings(path, workbook) if chosen else []
            return [(name, Table(path, _sheet_rows(path, workbook, target, shared, merged)))
                    for name, target in chosen]
    except _DAMAGED as error:
        raise InputError(path, f"不是完整的 xlsx 文件（文件损坏或被截断） / not a complete xlsx "
                               f"file (damaged or truncated): {error}") from None


class _TooLarge(Exception):
    """A part of the workbook inflates past ``MAX_PART_BYTES``."""


def _chunks(workbook: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """The bytes of an archive member, inflated a chunk at a time, never past the cap."""
    read = 0
    with workbook.open(name) as member:
        while chunk := member.read(_CHUNK):
            read += len(chunk)
            if read > MAX_PART_BYTES:
                raise _TooLarge(name)
            yield chunk


def _too_large(path: Path, name: str) -> InputError:
    return InputError(path, f"文件过大：{name} 解压后超过 {MAX_PART_BYTES // 2**20} MB（可能是压缩"
                            f"炸弹） / the file is too large: {name} inflates past "
                            f"{MAX_PART_BYTES // 2**20} MB")


_Event = tuple[str, str, str, dict[str, str]]


def _events(path: Path, workbook: zipfile.ZipFile, name: str) -> Iterator[_Event]:
    """A part as a stream of (``start`` or ``end``, tag, text, attributes): attributes come with
    the start, the text of a value or text element (``v``, ``t``) with its end. No tree is
    built and no other text kept, so memory stays that of one chunk and one cell's text."""
    events = _Events(path)
    parser = ElementTree.XMLParser(target=events)
    try:
        for chunk in _chunks(workbook, name):
            parser.feed(chunk)
            yield from events.take()
        parser.close()
        yield from events.take()
    except _TooLarge:
        raise _too_large(path, name) from None


class _Events:
    """The parser's target: collects the events of a chunk."""

    _TEXTS = (f"{_MAIN}v", f"{_MAIN}t")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.events: list[_Event] = []
        self.open: list[str] = []
        self.text: list[str] = []
        self.length = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.open.append(tag)
        if len(self.open) > _MAX_DEPTH:
            raise InputError(self.path, "不是完整的 xlsx 文件：XML 嵌套过深 / not a complete xlsx "
                                        "file: its XML nests too deep")
        self.events.append(("start", tag, "", attributes))
        self.text, self.length = [], 0

    def data(self, text: str) -> None:
        if self.open and self.open[-1] in self._TEXTS:
            self.length += len(text)
            if self.length > _MAX_TEXT:
                raise _text_too_long(self.path)
            self.text.append(text)

    def end(self, tag: str) -> None:
        self.open.pop()
        self.events.append(("end", tag, "".join(self.text), {}))
        self.text, self.length = [], 0

    def close(self) -> None:
        return None

    def take(self) -> list[_Event]:
        taken, self.events = self.events, []
        return taken


def _listed_sheets(path: Path, workbook: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and archive path, in the workbook's order."""
    relations = [(attributes.get("name", ""), attributes.get(f"{_DOC_RELS}id", ""))
                 for event, tag, _, attributes in _events(path, workbook, "xl/workbook.xml")
                 if event == "start" and tag == f"{_MAIN}sheet"]
    targets = {attributes.get("Id"): attributes.get("Target", "")
               for event, tag, _, attributes
               in _events(path, workbook, "xl/_rels/workbook.xml.rels")
               if event == "start" and tag == f"{_RELS}Relationship"}
    listed: dict[str, str] = {}
    for name, relation in relations:
        target = targets.get(relation)
        if not target:
            raise InputError(path, f"不是完整的 xlsx 文件：找不到工作表 {name} / not a complete "
                                   f"xlsx file: sheet {name} cannot be found")
        listed[name] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    if not listed:
        raise InputError(path, "工作簿中没有工作表 / the workbook has no sheet")
    return listed


def _shared_strings(path: Path, workbook: zipfile.ZipFile) -> list[str]:
    """The workbook's shared strings: each item's text and rich-text runs, not its phonetic
    guide (``rPh``)."""
    if "xl/sharedStrings.xml" not in workbook.namelist():
        return []
    strings: list[str] = []
    text = _Text(path)
    for event, tag, content, _ in _events(path, workbook, "xl/sharedStrings.xml"):
        text.follow(event, tag, content)
        if event == "end" and tag == f"{_MAIN}si":
            if len(strings) >= MAX_CELLS:
                raise InputError(path, f"文件过大：共享字符串超过 {MAX_CELLS} 个 / the file is too "
                                       f"large: over {MAX_CELLS} shared strings")
            strings.append(text.take())
    return strings


class _Text:
    """The text of a string item (a shared ``si`` or a cell's ``is``) as its ``t`` elements end:
    its own and its rich-text runs', not its phonetic guide's; at most a cell's 32767
    characters."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.parts: list[str] = []
        self.length = 0
        self.phonetic = 0

    def follow(self, event: str, tag: str, content: str) -> None:
        if tag == f"{_MAIN}rPh":
            self.phonetic += 1 if event == "start" else -1
        elif event == "end" and tag == f"{_MAIN}t" and not self.phonetic:
            self.length += len(content)
            if self.length > _MAX_TEXT:
                raise _text_too_long(self.path)
            self.parts.append(content)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts, self.length = [], 0
        return text


class _Grid:
    """The rows of a sheet as the file places them, within ``MAX_ROWS`` and ``MAX_CELLS``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: list[list[Cell]] = []
        self.cells = 0
        self.filled = 0  # the cells merged ranges filled

    def row(self, number: str | None) -> tuple[int, list[Cell]]:
        """The row an element of ``r="number"`` fills (the next one without ``r``)."""
        if number is None:
            index = len(self.rows) + 1
        elif _ROW_NUMBER.fullmatch(number) and int(number) <= _EXCEL_ROWS:
            index = int(number)
        else:
            raise InputError(self.path, f'行号 "{number}" 无效 / the row number "{number}" is '
                                        "not a row", row=len(self.rows) + 1)
        if index > MAX_ROWS:
            raise self._too_large(index)
        while len(self.rows) < index:
            self.rows.append([])
        return index, self.rows[index - 1]

    def place(self, row: int, cells: list[Cell], column: int, cell: Cell) -> None:
        if column >= len(cells):
            self.cells += column + 1 - len(cells)
            if self.cells > MAX_CELLS:
                raise self._too_large(row)
            cells.extend([_BLANK] * (column + 1 - len(cells)))
        cells[column] = cell

    def fill(self, reference: str) -> None:
        """Every cell of a merged range (``A3:B4``) as its top-left one, over the rows the sheet
        has; the cells so filled count against ``MAX_CELLS`` too."""
        first, _, last = reference.partition(":")
        top, left = _position(self.path, first)
        bottom, right = _position(self.path, last or first)
        if top > len(self.rows):
            return
        cells = self.rows[top - 1]
        value = cells[left] if left < len(cells) else _BLANK
        for row in range(top, min(bottom, len(self.rows)) + 1):
            self.filled += max(0, right - left + 1)
            if self.filled > MAX_CELLS:
                raise self._too_large(row)
            for column in range(left, right + 1):
                self.place(row, self.rows[row - 1], column, value)

    def _too_large(self, row: int) -> InputError:
        return InputError(self.path, f"表格过大：超过 {MAX_ROWS} 行或 {MAX_CELLS} 个单元格（第 "
                                     f"{row} 行），不像一份流水、工资表或计划表 / the sheet is "
                                     f"too large for a statement, a payroll sheet or a plan "
                                     f"(over {MAX_ROWS} rows "
                                     f"or {MAX_CELLS} cells)", row=row)


_BLANK = Cell("")


def _sheet_rows(path: Path, workbook: zipfile.ZipFile, sheet: str, shared: list[str],
                merged: bool = False) -> list[list[Cell]]:
    grid = _Grid(path)
    ranges: list[str] = []
    number, cells = 0, list[Cell]()
    column, kind, value = 0, "n", ""
    text = _Text(path)
    for event, tag, content, attributes in _events(path, workbook, sheet):
        text.follow(event, tag, content)
        if event == "start" and tag == f"{_MAIN}row":
            number, cells = grid.row(attributes.get("r"))
        elif event == "end" and tag == f"{_MAIN}row":
            number = 0
        elif event == "start" and tag == f"{_MAIN}c" and number:
            column = _column_index(path, number, attributes.get("r"), len(cells))
            kind, value = attributes.get("t", "n"), ""
            text.take()
        elif event == "end" and tag == f"{_MAIN}v":
            value = content
        elif event == "end" and tag == f"{_MAIN}c" and number:
            grid.place(number, cells, column,
                       _cell(kind, value, text.take(), shared, _failing(path, number, column)))
        elif event == "start" and tag == f"{_MAIN}mergeCell" and merged:
            ranges.append(attributes.get("ref", ""))
    for reference in ranges:
        grid.fill(reference)
    return grid.rows


def _failing(path: Path, row: int, column: int) -> Callable[[str], InputError]:
    """An ``InputError`` at a cell, for a message."""
    return lambda message: InputError(path, message, row=row, column=column_letter(column))


def _position(path: Path, reference: str) -> tuple[int, int]:
    """The row (1-based) and column (0-based) of a merged range's corner (``B4``)."""
    match = _CELL_REF.fullmatch(reference)
    if match is None:
        raise InputError(path, f'合并单元格范围 "{reference}" 无效 / the merged range '
                               f'"{reference}" is not a range')
    return int(match.group(2)), _column_index(path, int(match.group(2)), reference, 0)


def _column_index(path: Path, row: int, reference: str | None, default: int) -> int:
    """The 0-based column of a cell's ``r="B4"`` (the next one without ``r``)."""
    if reference is None:
        return default
    match = _CELL_REF.fullmatch(reference)
    index = 0
    for letter in match.group(1) if match else "":
        index = index * 26 + ord(letter) - ord("A") + 1
    if match is None or not 1 <= index <= _EXCEL_COLUMNS:
        raise InputError(path, f'单元格位置 "{reference}" 无效 / the cell position "{reference}" '
                               "is not a cell", row=row)
    return index - 1


def _cell(kind: str, value: str, inline: str, shared: list[str],
          fail: Callable[[str], InputError]) -> Cell:
    """A cell of type ``kind`` (``t=``) from its stored value (``v``) or inline text (``is``)."""
    if kind == "s":
        if not _SHARED_INDEX.fullmatch(value) or int(value) >= len(shared):
            raise fail(f'共享字符串编号 "{value}" 无效（共 {len(shared)} 个） / the shared string '
                       f'index "{value}" is not one of the {len(shared)}')
        return Cell(shared[int(value)].strip())
    if kind == "inlineStr":
        return Cell(inline.strip())
    if kind == "n":
        value = value.strip()
        if value and not _STORED_NUMBER.fullmatch(value):
            raise fail(f'单元格以数字存储，内容 "{value}" 却不是数字（文件已损坏） / the cell is '
                       f'stored as a number but holds "{value}" (the file is damaged)')
        return Cell(value, numeric=bool(value))
    if kind == "d":
        return Cell(value.strip().replace("T", " "))  # ISO 8601: 2013-01-05T00:00:00
    if kind == "b":  # a boolean, shown as Excel shows it: no amount, no date
        return Cell("TRUE" if value.strip() == "1" else "FALSE")
    return Cell(value.strip())


def _text_too_long(path: Path | str) -> InputError:
    return InputError(path, f"单元格文字超过 {_MAX_TEXT} 个字符（文件已损坏） / a text of over "
                            f"{_MAX_TEXT} characters (the file is damaged)")
