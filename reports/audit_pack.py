"""The year-end audit pack (考核评估) for the third-party evaluation agency: one zip it can verify.

``audit-pack-YEAR.zip`` holds one folder, ``audit-pack-YEAR/``:

- ``books/``: every file the books read, as they are, by their path from the main file's
  folder (files outside it under ``books/_outside/``), and the sealed months' texts;
- ``check/``: the year's ``check-funds`` result as JSON and CSV, and ``summary.txt``, the
  readable Chinese report with each fund's figures at the year's end;
- ``monthly/YYYY-MM/``: the twelve monthly exports (a month the books do not cover is named in
  ``README.txt`` instead);
- ``annual/``: the year's statements under 《民间非营利组织会计制度》 (资产负债表, 业务活动表,
  现金流量表, 专项资金收支情况表) as ``funds export annual`` writes them: one workbook and a CSV
  each (books with an account the chart does not place have none; ``README.txt`` says why);
- ``funds/fund-summary.csv``: each fund's budget, spending, balance, commitments (已承诺,
  可用余额) and budget lines at the year's end;
- ``documents/documents.csv``: every document the year refers to, with a note where its file is
  missing, and ``documents/files/``: the files found; never ``funds serve``'s users file
  (``users.toml``, or any file holding its password hashes) nor its change log, even if an
  entry names one;
- ``README.txt``: what is where and how to verify it;
- ``MANIFEST.sha256``: the sha256 of every other file, in the format of ``sha256sum -c``.

The pack is built in a temporary folder, zipped beside its final name and then renamed: a
reader sees the old pack or the whole new one.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from ledger.cache import included_files
from ledger.check import CheckedBooks
from ledger.cli.render import count_line, render_csv, render_json, render_table
from ledger.model.findings import RULES, Finding, Severity, select_findings
from ledger.model.seal import kept_texts
from ledger.model.summary import FundSummary, fund_figures
from ledger.serve.middleware import LOG_FILE
from ledger.serve.users import USERS_FILE, holds_password_hashes
from reports.carry import carried_items
from reports.documents import Reference, references
from reports.export_manifest import content_digest, file_sha256, read_kept_export
from reports.month import Month
from reports.monthly import MonthlyExport, build_monthly_export, check_month_in_books

MANIFEST = "MANIFEST.sha256"
NEVER_PACKED = frozenset({USERS_FILE, LOG_FILE})  # funds serve's users (password hashes), log
NOT_PACKED = ("funds serve 的用户文件或修改记录，不放入审计包 / the users file or change log of "
              "funds serve: never packed")
ANNUAL = "annual"


@dataclass(frozen=True)
class PackSummary:
    """What went into a pack: for the command to tell, and for the tests."""

    path: Path
    manifest_digest: str
    files: int
    findings: list[Finding]
    months: list[str]
    skipped_months: dict[str, str]
    references: list[Reference]
    reused_months: list[str] = field(default_factory=list)
    rebuilt_months: dict[str, str] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)
    annual_skipped: str | None = None  # why the pack holds no annual statements

    @property
    def missing_documents(self) -> int:
        return sum(reference.file is None for reference in self.references)


def pack_name(year: int) -> str:
    return f"audit-pack-{year}"


def write_pack(checked: CheckedBooks, year: int, out: Path, preparer: str,
               made: datetime.date, statements: dict[str, list[Path]] | None = None,
               ) -> PackSummary:
    """Write ``out/audit-pack-YEAR.zip``, replacing an older pack of that year whole. A month
    exported into ``out`` is taken from there (see :func:`_write_months`); ``statements`` are
    the bank statements given for each month. ``AlteredExportError`` if an export there was
    altered after it was written."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=f".{pack_name(year)}.") as work:
        root = Path(work) / pack_name(year)
        contents = _build(checked, year, root, preparer, made, out, statements or {})
        digest, files = _write_manifest(root)
        final = out / f"{pack_name(year)}.zip"
        _zip(root, Path(work) / "pack.zip", made)
        (Path(work) / "pack.zip").replace(final)
    months = contents.months
    return PackSummary(final, digest, files, contents.findings, months.written, months.skipped,
                       contents.references, months.reused, months.rebuilt, months.statements,
                       contents.annual_skipped)


@dataclass
class _Contents:
    findings: list[Finding]
    months: _Months
    references: list[Reference]
    annual_skipped: str | None = None


def _build(checked: CheckedBooks, year: int, root: Path, preparer: str,
           made: datetime.date, exports: Path, statements: dict[str, list[Path]]) -> _Contents:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    months = _write_months(checked, year, root / "monthly", preparer, made, exports,
                           statements)  # as the monthly exports name files: from the books
    annual_skipped = _write_annual(checked, year, root / ANNUAL, preparer, made)
    packed = _copy_books(checked, root / "books")
    checked = replace(checked, findings=[  # every file named by its path in the pack
        replace(finding, filename=packed.get(finding.filename, finding.filename))
        for finding in checked.findings])
    findings = select_findings(checked.findings, since=first, until=last)
    figures = fund_figures(checked.books, last)
    _write_check(checked, root / "check", findings, figures, last)
    _write_fund_summary(root / "funds" / "fund-summary.csv", figures)
    found = references(checked.books, checked.options_map, year)
    _write_documents(root / "documents", found, packed, main_folder(checked))
    outside = _outside_files(packed, main_folder(checked))
    _write_readme(root / "README.txt", checked, year, made, findings, months, found, outside,
                  annual_skipped)
    return _Contents(findings, months, found, annual_skipped)


def _write_annual(checked: CheckedBooks, year: int, folder: Path, preparer: str,
                  made: datetime.date) -> str | None:
    """The year's statements in ``folder``, as ``funds export annual`` writes them; or why
    there are none (books with accounts the chart does not place)."""
    from reports.annual.export import build_annual_export, write_annual

    try:
        export = build_annual_export(checked, year, preparer, made)
    except ValueError as error:
        return str(error)
    write_annual(export, folder.parent, folder.name)
    return None


def main_folder(checked: CheckedBooks) -> Path:
    return Path(str(checked.options_map.get("filename", checked.path))).parent


def _copy_books(checked: CheckedBooks, target: Path) -> dict[str, str]:
    """Copy every file the books read, and the sealed texts, under their path from the main
    file's folder; each file's path in the pack."""
    folder = main_folder(checked)
    files = [Path(name) for name in included_files(checked.options_map)]
    files += kept_texts(checked.books.model.seals)
    packed = {}
    for index, path in enumerate(dict.fromkeys(files), start=1):
        inside = _inside(path, folder, index)
        _copy(path, target / inside)
        packed[str(path)] = f"{target.name}/{inside.as_posix()}"
    return packed


def _inside(path: Path, folder: Path, index: int) -> Path:
    """``path`` relative to ``folder``; a file outside it goes under ``_outside``."""
    relative = Path(os.path.relpath(path, folder))
    if relative.parts and relative.parts[0] == "..":
        return Path("_outside") / f"{index}-{path.name}"
    return relative


def _outside_files(packed: dict[str, str], folder: Path) -> list[tuple[str, str]]:
    """The books' files from outside their folder: where each is in the pack, and the path
    the books' ``include`` gives it from their folder (never this machine's whole path)."""
    return [(inside, os.path.relpath(original, folder)) for original, inside in packed.items()
            if "/books/_outside/" in f"/{inside}"]


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _write_check(checked: CheckedBooks, folder: Path, findings: list[Finding],
                 figures: list[FundSummary], as_of: datetime.date) -> None:
    folder.mkdir(parents=True)
    name = f"books/{checked.path.name}"
    (folder / "findings.json").write_text(render_json(name, findings, figures, as_of=as_of),
                                          "utf-8")
    (folder / "findings.csv").write_text(render_csv(findings), "utf-8")
    names = {code: fund.name for code, fund in checked.books.model.funds.items()}
    table = render_table([f"账簿 / books: {name}"], findings, figures, names, filtered=True,
                         as_of=as_of)
    (folder / "summary.txt").write_text(_counts(findings) + "\n" + table, "utf-8")


_SEVERITY_ORDER = list(Severity)


def _counts(findings: list[Finding]) -> str:
    """One line per rule that found something: errors first, then warnings, then info."""
    counted = Counter(finding.rule for finding in findings)
    rules = sorted(counted, key=lambda code: (_SEVERITY_ORDER.index(RULES[code].severity), code))
    lines = ["按规则计数 / findings per rule:"]
    lines += [f"  {RULES[code].label}（{code}，{RULES[code].severity.label}）：{counted[code]}"
              for code in rules] or ["  无 / none"]
    return "\n".join(lines) + "\n"


class AlteredExportError(Exception):
    """A monthly export in the output folder no longer matches its manifest: altered after it
    was written. The pack neither takes it nor silently replaces it."""

    def __init__(self, month: str, folder: Path, problems: list[str]) -> None:
        self.month, self.folder, self.problems = month, folder, problems
        super().__init__(f"{month} 月报在写出后被改动 / the {month} export was altered after it "
                         f"was written ({folder}): " + "；".join(problems))


@dataclass
class _Months:
    """What became of each month in the pack."""

    written: list[str]
    skipped: dict[str, str]
    reused: list[str]  # the export in the output folder, taken as it was written
    rebuilt: dict[str, str]  # an export there that the pack did not take, with why
    statements: list[str]  # the bank statements in the pack, by their path in it


def _write_months(checked: CheckedBooks, year: int, folder: Path, preparer: str,
                  made: datetime.date, exports: Path,
                  given: dict[str, list[Path]]) -> _Months:
    """The twelve monthly exports, in order (each carries the one before): a month exported
    into ``exports`` is taken as it was written if the books still give the same export;
    else built again with the statements it kept and those ``given`` for it. A month the books
    do not cover is skipped; a statement that cannot be used is a ``ValueError`` or
    ``InputError``, an export altered after it was written an ``AlteredExportError``."""
    from reports.workbook import (  # pandas loads only when a pack is written
        statement_names,
        write_export,
    )

    folder.mkdir(parents=True)
    months = _Months([], {}, [], {}, [])
    for number in range(1, 13):
        month = Month(year, number)
        kept = read_kept_export(exports / str(month))
        if kept.problems:
            raise AlteredExportError(str(month), kept.folder, kept.problems)
        try:
            check_month_in_books(checked, month)
        except ValueError as error:
            months.skipped[str(month)] = str(error)
            continue
        statements = _distinct_files([*kept.statements, *given.get(str(month), [])])
        report = build_monthly_export(checked, month, statements, preparer, made,
                                      carried_items(folder, month))
        if kept.content is not None and kept.content == _content(report):
            shutil.copytree(kept.folder, folder / str(month))
            months.reused.append(str(month))
            names = [path.relative_to(kept.folder).as_posix() for path in kept.statements]
        else:
            write_export(report, folder, statements)
            names = list(statement_names(statements))
            if kept.content is not None:
                months.rebuilt[str(month)] = ("导出后账簿或对账单有变，已按现在的账簿重新生成 / "
                                              "the books or statements changed since the "
                                              "export; built again")
            elif (exports / str(month)).is_dir():
                months.rebuilt[str(month)] = ("该月报没有清单（旧版导出），已重新生成 / the export "
                                              "has no manifest (an older release); built again")
        months.written.append(str(month))
        months.statements += [f"monthly/{month}/{name}" for name in names]
    return months


def _content(report: MonthlyExport) -> str:
    from reports.sheets import all_sheets

    return content_digest(all_sheets(report))


def _distinct_files(paths: list[Path]) -> list[Path]:
    """The files, each once: a statement kept by the export and given again counts once."""
    seen: set[str] = set()
    distinct = []
    for path in paths:
        digest = file_sha256(path)
        if digest not in seen:
            seen.add(digest)
            distinct.append(path)
    return distinct


def _money(value: Decimal) -> str:
    return format(value, "f")


def _write_fund_summary(path: Path, figures: list[FundSummary]) -> None:
    path.parent.mkdir(parents=True)
    rows: list[list[str]] = [["专项", "名称", "币种", "预算科目", "期间", "预算", "已支出",
                              "预算余额", "执行率", "资金余额", "应付未付", "已承诺", "可用余额"]]
    for summary in figures:
        rows.append([summary.fund, summary.name, summary.currency, "合计", "",
                     _money(summary.budget), _money(summary.spent), _money(summary.remaining),
                     _rate(summary.rate), _money(summary.balance), _money(summary.owed),
                     _money(summary.committed), _money(summary.available)])
        rows += [[summary.fund, summary.name, line.currency, line.account, line.period,
                  _money(line.budget), _money(line.spent), _money(line.remaining),
                  _rate(line.rate), "", "", _money(line.committed), _money(line.available)]
                 for line in summary.lines]
    _write_csv(path, rows)


def _rate(rate: Decimal | None) -> str:
    return "" if rate is None else f"{rate}%"


def _write_csv(path: Path, rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, lineterminator="\r\n").writerows(rows)


def _write_documents(folder: Path, found: list[Reference], book_paths: dict[str, str],
                     books: Path) -> None:
    """The list of references (each entry's file by its path in the pack, a document by its
    path from the books' folder), and the files found, each copied once."""
    (folder / "files").mkdir(parents=True)
    copied: dict[Path, str] = {}
    rows = [["日期", "类型", "编号或文件", "科目", "凭证号", "所在文件", "行号", "说明",
             "包内文件"]]
    for reference in found:
        in_pack = ""
        never = reference.file is not None and _never_packed(reference.file)
        if reference.file is not None and not never:
            in_pack = copied.get(reference.file, "")
            if not in_pack:
                in_pack = f"documents/files/{len(copied) + 1}-{reference.file.name}"
                _copy(reference.file, folder.parent / in_pack)
                copied[reference.file] = in_pack
        where = ("（单据文件夹） / a documents folder" if reference.lineno == 0
                 else book_paths.get(reference.filename, Path(reference.filename).name))
        rows.append([reference.date.isoformat(), reference.kind,
                     _shown(reference.reference, books) if reference.kind == "document"
                     else reference.reference, reference.account or "",
                     reference.voucher or "", where,
                     str(reference.lineno or ""), NOT_PACKED if never else reference.note,
                     in_pack])
    _write_csv(folder / "documents.csv", rows)


def _never_packed(path: Path) -> bool:
    """``funds serve``'s users file or change log: by name, or (a users file given with
    ``--users`` under another name) by the password hashes it holds."""
    return path.name in NEVER_PACKED or holds_password_hashes(path)


def _shown(path: str, books: Path) -> str:
    """A document's path from the books' folder; its name alone when it lies elsewhere."""
    relative = os.path.relpath(path, books)
    return Path(path).name if relative.startswith("..") else Path(relative).as_posix()


def _write_readme(path: Path, checked: CheckedBooks, year: int, made: datetime.date,
                  findings: list[Finding], months: _Months, found: list[Reference],
                  outside: list[tuple[str, str]], annual_skipped: str | None = None) -> None:
    title = checked.options_map.get("title") or "专项资金账簿"
    missing = sum(reference.file is None for reference in found)
    lines = [
        f"{title} {year} 年度考核评估资料包 / audit pack for {year}",
        f"生成日期 / made on: {made}",
        "",
        "内容 / contents:",
        f"  books/        账簿全部文件（主文件 {checked.path.name}）及封账文本 / "
        "the books as they are",
    ]
    if outside:
        indent = " " * 16
        lines += [f"{indent}账簿文件夹外的文件在 books/_outside/，加载前请按 include 的",
                  f"{indent}相对路径放回原处 / files from outside the books' folder: put",
                  f"{indent}each back at the path the books include it by"]
        lines += [f"{indent}  {inside} → {original}" for inside, original in outside]
    lines += [
        f"  check/        {year} 年检查结果：findings.json、findings.csv、summary.txt（中文报告）",
        f"                {count_line(findings)}",
        f"  monthly/      月报 {len(months.written)} 份 / monthly exports: "
        f"{', '.join(months.written) or '-'}",
    ]
    lines += [f"                未出 {month} 月报：{why}" for month, why in months.skipped.items()]
    if months.reused:
        lines.append(f"                原样采用已导出的月报 / taken as exported: "
                     f"{', '.join(months.reused)}")
    lines += [f"                重新生成 {month} 月报：{why}"
              for month, why in months.rebuilt.items()]
    lines.append(f"                银行对账单 {len(months.statements)} 份 / bank statements:")
    lines += [f"                  {name}" for name in months.statements] or [
        "                  无；未附对账单的月份按次月初的余额断言核对 / none"]
    if annual_skipped is None:
        lines.append(f"  {ANNUAL}/       年度会计报表（资产负债表、业务活动表、"
                     "现金流量表、专项资金收支情况表） / the year's statements")
    else:
        lines.append(f"  {ANNUAL}/       未出年度会计报表 / no annual statements: "
                     + annual_skipped.replace("\n", "\n                "))
    lines += [
        "  funds/        专项资金汇总（年末） / the funds' figures at the year's end",
        f"  documents/    引用的单据 {len(found)} 条，{missing} 条未找到文件 / "
        f"{len(found)} documents referred to, {missing} without a file",
        f"  {MANIFEST}  除本清单外每个文件的 sha256 / the sha256 of every other file",
        "",
        "校验 / verify:",
        f"  funds verify-pack {pack_name(year)}.zip --digest sha256:<另行告知的清单摘要>",
        f"  或解压后 / or, unzipped: cd {pack_name(year)} && sha256sum -c {MANIFEST}",
        f"  清单本身的摘要随资料包另行告知；只有核对了它，才能确认 {MANIFEST} 未被改写 /",
        "  the manifest's own digest is sent separately: only checking it shows the manifest",
        "  itself was not rewritten",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def _write_manifest(root: Path) -> tuple[str, int]:
    """Write the manifest of every file under ``root``; its own digest, and the files in the
    pack (the manifest included)."""
    lines = [f"{file_sha256(path)}  {path.relative_to(root).as_posix()}"
             for path in _files_under(root)]
    manifest = root / MANIFEST
    manifest.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return "sha256:" + file_sha256(manifest), len(lines) + 1


def _zip(root: Path, target: Path, made: datetime.date) -> None:
    """Zip the folder, every file dated the day the pack was made."""
    stamp = (made.year, made.month, made.day, 0, 0, 0)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _files_under(root):
            info = zipfile.ZipInfo(f"{root.name}/{path.relative_to(root).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with path.open("rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink)


@dataclass(frozen=True)
class Verification:
    """What checking a pack against its manifest found."""

    manifest_digest: str | None
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.manifest_digest is not None and not self.problems


def verify_pack(path: Path) -> Verification:
    """Check every file of the zip against the manifest, and that it holds nothing else.
    ``zipfile.BadZipFile`` or ``OSError`` if it cannot be read at all."""
    with zipfile.ZipFile(path) as archive:
        names = {name for name in archive.namelist() if not name.endswith("/")}
        manifests = _top_manifests(names)
        if len(manifests) != 1:
            found = "、".join(manifests) or "无 / none"
            return Verification(None, 0, [f"应有且只有一个 {MANIFEST}，实为：{found} / "
                                          f"expected exactly one {MANIFEST}"])
        manifest = manifests[0]
        prefix = manifest[: -len(MANIFEST)]
        text = archive.read(manifest)
        listed, problems = _read_manifest(text.decode("utf-8", "replace"))
        if not listed:
            problems.append(f"{MANIFEST} 未列出任何文件 / the manifest lists no file")
        for name, expected in listed.items():
            member = prefix + name
            if member not in names:
                problems.append(f"缺少文件 / missing: {name}")
            elif _member_sha256(archive, member) != expected:
                problems.append(f"内容不符 / altered: {name}")
        inside = {name: name[len(prefix):] if name.startswith(prefix) else name
                  for name in names if name != manifest}
        problems += [f"清单外的文件 / not in the manifest: {short}"
                     for name, short in sorted(inside.items())
                     if not name.startswith(prefix) or short not in listed]
    digest = "sha256:" + hashlib.sha256(text).hexdigest()
    return Verification(digest, len(listed), problems)


def _top_manifests(names: set[str]) -> list[str]:
    """The pack's manifests: those named MANIFEST.sha256 nearest the zip's root. A monthly
    export in ``monthly/`` keeps its own MANIFEST.sha256, one more file the pack's lists."""
    manifests = [name for name in names if name.rsplit("/", 1)[-1] == MANIFEST]
    depth = min((name.count("/") for name in manifests), default=0)
    return sorted(name for name in manifests if name.count("/") == depth)


def _read_manifest(text: str) -> tuple[dict[str, str], list[str]]:
    listed: dict[str, str] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not separator or not re.fullmatch(r"[0-9a-fA-F]{64}", digest) or not name:
            problems.append(f"{MANIFEST} 第 {number} 行无法读取 / line {number} unreadable")
            continue
        listed[name] = digest.lower()
    return listed, problems


def same_digest(given: str, digest: str) -> bool:
    """Whether a digest given by hand (``sha256:`` or not, any case) is ``digest``."""
    return "sha256:" + given.strip().lower().removeprefix("sha256:") == digest


def _member_sha256(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as member:
        for block in iter(lambda: member.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
