"""The documents a year of the books refers to, and where each one's file is, if anywhere.

Two kinds of reference:

- ``document`` directives: the file they name (Beancount makes the path absolute);
- evidence metadata on any entry (a budget revision's ``approval:``, say) and on a
  transaction's postings: the policy's ``evidence-keys`` in force
  on the day (default ``invoice contract payroll``) and ``approval:``, one reference per
  number (an ``invoice:`` may list several). Its file is the value itself when that is a path
  to a file (beside the entry's file, or absolute), else a file named after the number (any
  extension) in one of the books' ``option "documents"`` folders.

A reference with no file is listed with a note: the paper original may exist, but the pack does
not hold it.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount.core import data

from ledger.model.books import Books
from ledger.model.evidence import quoted_numbers


@dataclass(frozen=True)
class Reference:
    """One document the books refer to."""

    date: datetime.date
    kind: str  # "document" for a directive, else the metadata key
    reference: str  # the file name as given, or the number
    account: str | None
    voucher: str | None
    filename: str  # the entry's file and line
    lineno: int
    file: Path | None  # the document's file, if it was found

    @property
    def note(self) -> str:
        if self.file is not None:
            return "有文件 / file found"
        if self.kind == "document":
            return "文件缺失 / the file is missing"
        return "未找到对应文件（纸质原件须另行核对） / no file found: check the paper original"


def documents_folders(options_map: dict[str, Any]) -> list[Path]:
    """The books' ``option "documents"`` folders, as Beancount resolves them."""
    main = Path(str(options_map.get("filename", "."))).parent
    return [main / folder for folder in options_map.get("documents", [])]


def _index(folders: list[Path]) -> dict[str, Path]:
    """Every file under the folders by its name and by its name without extension (the first
    found, folders and names in sorted order)."""
    found: dict[str, Path] = {}
    for folder in folders:
        for root, subfolders, names in os.walk(folder):
            subfolders.sort()
            for name in sorted(names):
                path = Path(root, name)
                found.setdefault(name, path)
                found.setdefault(path.stem, path)
    return found


def references(books: Books, options_map: dict[str, Any], year: int) -> list[Reference]:
    """Every document the entries dated in ``year`` refer to, in date and source order."""
    files = _index(documents_folders(options_map))
    found: list[Reference] = []
    for entry in books.entries:
        if entry.date.year != year:
            continue
        if isinstance(entry, data.Document):
            path = Path(entry.filename)
            found.append(_reference(entry, "document", entry.filename, entry.account,
                                    path if path.is_file() else None))
        else:
            found.extend(_evidence(books, entry, files))
    return found


def _evidence(books: Books, entry: data.Directive,
              files: dict[str, Path]) -> Iterator[Reference]:
    """The evidence an entry's metadata (and its postings', for a transaction) quotes."""
    keys = books.model.policy.keys("evidence-keys", entry.date)
    meta = entry.meta or {}
    folder = Path(str(meta.get("filename", "."))).parent
    postings = entry.postings if isinstance(entry, data.Transaction) else []
    for key, number in quoted_numbers(meta, postings, keys):
        yield _reference(entry, key, number, None, _file_of(number, folder, files))


def _file_of(number: str, folder: Path, files: dict[str, Path]) -> Path | None:
    as_path = folder / number
    if as_path.suffix and as_path.is_file():
        return as_path
    return files.get(number)


def _reference(entry: data.Directive, kind: str, reference: str, account: str | None,
               file: Path | None) -> Reference:
    meta = entry.meta or {}
    voucher = meta.get("voucher")
    return Reference(entry.date, kind, reference, account,
                     None if voucher is None else str(voucher),
                     str(meta.get("filename", "")), int(meta.get("lineno", 0)), file)
