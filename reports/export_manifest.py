"""The manifest of a monthly export: what it holds, so that the audit pack can take it as is.

``YYYY-MM/export-manifest.json`` lists every other file of the month's folder with its sha256
(the workbook, the CSV files and the bank statements the export used, kept in ``statements/``),
and the digest of the export's content: the six sheets' cells, less the date it was made and
its preparer. The audit pack takes a month's export as it was written when

- every file is there as listed, and no other (else the export was altered after it was
  written: the pack refuses, naming the files), and
- the books, read now with the kept statements, give the same content (else the books changed
  for that month since the export: the pack rebuilds the month with the kept statements, and
  says so).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reports.sheets import CellValue, Sheet

MANIFEST_NAME = "export-manifest.json"
SHA256_MANIFEST = "MANIFEST.sha256"  # written after this manifest, over it too (export_check)
STATEMENTS = "statements"
FORMAT = 1
_NOT_CONTENT = frozenset({"编制日期", "编制人"})  # of the cover: who and when, not what


def _cell(value: CellValue) -> str | int | None:
    if isinstance(value, Decimal | datetime.date):
        return str(value)
    return value


def content_digest(sheets: list[Sheet]) -> str:
    """The digest of what the sheets show: every cell and mark, and the cover but for the
    date the export was made and its preparer."""
    document = [{"title": sheet.title, "columns": sheet.columns,
                 "rows": [[_cell(value) for value in row] for row in sheet.rows],
                 "alerts": sorted(sheet.alerts), "cautions": sorted(sheet.cautions),
                 "cover": [row for row in sheet.cover if row[0] not in _NOT_CONTENT]}
                for sheet in sheets]
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_of(folder: Path) -> dict[str, Path]:
    """Every file under ``folder`` but the manifests, by its path from there."""
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file()
            and path.relative_to(folder).as_posix() not in (MANIFEST_NAME, SHA256_MANIFEST)}


def write_manifest(folder: Path, month: str, content: str, statements: list[str]) -> None:
    """Write the manifest of the export built in ``folder``."""
    document = {"format": FORMAT, "month": month, "content": content,
                "statements": statements,
                "files": {name: file_sha256(path) for name, path in _files_of(folder).items()}}
    (folder / MANIFEST_NAME).write_text(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class KeptExport:
    """A month's export found in the output folder, checked against its manifest."""

    folder: Path
    content: str | None  # None: no manifest (an export older than manifests)
    statements: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files altered, missing or added


def read_kept_export(folder: Path) -> KeptExport:
    """The export in ``folder`` as its manifest describes it, with what no longer matches."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return KeptExport(folder, None)
    try:
        document = json.loads(path.read_text("utf-8"))
        listed = {str(name): str(digest) for name, digest in document["files"].items()}
        content = str(document["content"])
        statements = [folder / str(name) for name in document["statements"]]
    except (ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        return KeptExport(folder, "", [], [f"{MANIFEST_NAME} 无法读取 / unreadable: {error}"])
    present = _files_of(folder)
    problems = [f"缺少 / missing: {name}" for name in listed if name not in present]
    problems += [f"内容已改 / altered: {name}" for name, file in present.items()
                 if name in listed and file_sha256(file) != listed[name]]
    problems += [f"清单外的文件 / not in the manifest: {name}" for name in present
                 if name not in listed]
    problems += [f"对账单未列入清单 / statement not listed: {path.name}"
                 for path in statements if path.relative_to(folder).as_posix() not in listed]
    if (folder / SHA256_MANIFEST).is_file():
        from reports.export_check import verify_export  # it reads this module's helpers

        problems += [problem for problem in verify_export(folder).problems
                     if problem not in problems]
    return KeptExport(folder, content, statements, problems)
