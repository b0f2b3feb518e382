"""The year-end audit pack: one zip holding the books, the check, the monthly exports, the fund
summary and the documents, with a manifest that ``funds verify-pack`` and ``sha256sum -c``
check."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.check import DEMO_BOOKS
from ledger.cli.main import funds
from tests.helpers import HEADER, check_funds_json
from tests.samples import SALARY_BANK, Line, demo_lines, statement_csv

ROOT = "audit-pack-2012/"


def pack(out: Path, *args: str) -> Result:
    return CliRunner().invoke(funds, ["audit-pack", *args, "--out", str(out)])


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    result = pack(out, "2012")
    assert result.exit_code == 0, result.output
    return out / "audit-pack-2012.zip"


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name.removeprefix(ROOT): archive.read(name) for name in archive.namelist()}


def manifest(files: dict[str, bytes]) -> dict[str, str]:
    lines = files["MANIFEST.sha256"].decode().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def test_the_manifest_lists_every_other_file_with_its_sha256(demo_pack: Path) -> None:
    files = members(demo_pack)
    listed = manifest(files)
    assert set(listed) == set(files) - {"MANIFEST.sha256"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name


def test_the_books_are_packed_as_they_are(demo_pack: Path) -> None:
    files = members(demo_pack)
    for source in DEMO_BOOKS.parent.glob("*.beancount"):
        assert files[f"books/{source.name}"] == source.read_bytes()


def test_the_check_is_check_funds_for_the_year(demo_pack: Path) -> None:
    files = members(demo_pack)
    packed = json.loads(files["check/findings.json"])
    expected = check_funds_json(str(DEMO_BOOKS), "--since", "2012-01-01", "--until",
                                "2012-12-31")
    assert packed["funds"] == expected["funds"]
    assert [{**finding, "filename": Path(finding["filename"]).name}
            for finding in packed["findings"]] == [
        {**finding, "filename": Path(finding["filename"]).name}
        for finding in expected["findings"]]
    assert all(finding["filename"].startswith("books/") for finding in packed["findings"])
    summary = files["check/summary.txt"].decode()
    assert "经批准调剂（approved-transfer，提示）：1" in summary
    assert "专项 construction 示范点建设经费" in summary


def test_every_month_the_books_cover_is_exported_and_the_others_are_named(
        demo_pack: Path) -> None:
    files = members(demo_pack)
    exported = sorted({name.split("/")[1] for name in files if name.startswith("monthly/")})
    assert exported == [f"2012-{month:02d}" for month in range(4, 13)]
    for month in exported:
        assert f"monthly/{month}/专项资金月报-{month}.xlsx" in files
    readme = files["README.txt"].decode()
    for month in ("2012-01", "2012-02", "2012-03"):
        assert f"未出 {month} 月报" in readme


def test_the_fund_summary_has_the_year_end_figures(demo_pack: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(members(demo_pack)["funds/fund-summary.csv"]
                                           .decode("utf-8-sig"))))
    expected = check_funds_json(str(DEMO_BOOKS), "--until", "2012-12-31")["funds"]
    totals = {row["专项"]: row for row in rows if row["预算科目"] == "合计"}
    assert set(totals) == {fund["fund"] for fund in expected}
    for fund in expected:
        row = totals[fund["fund"]]
        assert (row["预算"], row["已支出"], row["资金余额"], row["已承诺"], row["可用余额"]) == (
            fund["budget"], fund["spent"], fund["balance"], fund["committed"],
            fund["available"])
        lines = {line["预算科目"]: (line["已承诺"], line["可用余额"]) for line in rows
                 if line["专项"] == fund["fund"] and line["预算科目"] != "合计"}
        assert lines == {line["account"]: (line["committed"], line["available"])
                         for line in fund["lines"]}
        assert len([line for line in rows if line["专项"] == fund["fund"]]) == (
            1 + len(fund["lines"]))


def test_every_evidence_reference_is_listed(demo_pack: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(members(demo_pack)["documents/documents.csv"]
                                           .decode("utf-8-sig"))))
    text = "".join(path.read_text(encoding="utf-8")
                   for path in DEMO_BOOKS.parent.glob("*.beancount"))
    quoted = sum(text.count(f"  {key}: ") for key in ("invoice", "contract", "payroll",
                                                        "approval"))
    assert len(rows) >= quoted > 100  # an invoice: may list several numbers
    assert any(row["编号或文件"] == "揭社工委〔2012〕21号" for row in rows)  # a budget revision
    assert {row["说明"] for row in rows} == {
        "未找到对应文件（纸质原件须另行核对） / no file found: check the paper original"}


def test_verify_pack_passes_on_a_pack_as_written(demo_pack: Path) -> None:
    result = CliRunner().invoke(funds, ["verify-pack", str(demo_pack)])
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(members(demo_pack)["MANIFEST.sha256"]).hexdigest()
    assert f"sha256:{digest}" in result.output
    result = CliRunner().invoke(funds, ["verify-pack", str(demo_pack), "--digest",
                                       f"sha256:{digest}"])
    assert result.exit_code == 0, result.output


def test_sha256sum_checks_an_unzipped_pack(demo_pack: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(demo_pack) as archive:
        archive.extractall(tmp_path)
    done = subprocess.run(["sha256sum", "--check", "--quiet", "MANIFEST.sha256"],
                          cwd=tmp_path / ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def rewritten(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of the pack with members replaced (bytes), dropped (None) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            short = name.removeprefix(ROOT)
            if short not in change:
                new.writestr(name, old.read(name))
        for short, content in change.items():
            if content is not None:
                new.writestr(ROOT + short, content)
    return target


@pytest.mark.parametrize(("change", "said"), [
    ({"books/2012.beancount": b"; emptied\n"}, "内容不符 / altered: books/2012.beancount"),
    ({"check/summary.txt": None}, "缺少文件 / missing: check/summary.txt"),
    ({"books/extra.beancount": b"; slipped in\n"}, "清单外的文件 / not in the manifest: "
                                                   "books/extra.beancount"),
])
def test_verify_pack_names_what_does_not_match(demo_pack: Path, tmp_path: Path,
                                               change: dict[str, bytes | None],
                                               said: str) -> None:
    bad = rewritten(demo_pack, tmp_path / "bad.zip", change)
    result = CliRunner().invoke(funds, ["verify-pack", str(bad)])
    assert result.exit_code == 1
    assert said in result.output


def test_verify_pack_refuses_another_manifest_digest(demo_pack: Path) -> None:
    result = CliRunner().invoke(funds, ["verify-pack", str(demo_pack), "--digest",
                                       "sha256:" + "0" * 64])
    assert result.exit_code == 1 and "清单摘要不符" in result.output


def test_verify_pack_of_no_zip_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    assert CliRunner().invoke(funds, ["verify-pack", str(junk)]).exit_code == 2


DOCUMENTED = HEADER + """\
option "documents" "docs"
2012-03-01 * "文具店" "办公用品"
  invoice: "04418031，04418032"
  Assets:Bank:Construction         -300.00 CNY
  Expenses:Construction:Equipment   300.00 CNY
2012-03-02 document Expenses:Construction:Equipment "docs/contract.pdf"
2012-03-03 document Expenses:Construction:Equipment "docs/lost.pdf"
"""


def test_document_files_are_packed_and_missing_ones_noted(tmp_path: Path) -> None:
    books = tmp_path / "books"
    (books / "docs" / "scans").mkdir(parents=True)
    (books / "docs" / "scans" / "04418031.pdf").write_bytes(b"%PDF scan")
    (books / "docs" / "contract.pdf").write_bytes(b"%PDF contract")
    (books / "main.beancount").write_text(DOCUMENTED, encoding="utf-8")
    result = pack(tmp_path / "out", "2012", "--ledger", str(books / "main.beancount"))
    assert result.exit_code == 0, result.output
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    rows = {row["编号或文件"].split("/")[-1]: row for row in csv.DictReader(
        io.StringIO(files["documents/documents.csv"].decode("utf-8-sig")))}
    assert files[rows["04418031"]["包内文件"]] == b"%PDF scan"
    assert files[rows["contract.pdf"]["包内文件"]] == b"%PDF contract"
    assert rows["04418032"]["包内文件"] == "" and "未找到" in rows["04418032"]["说明"]
    assert rows["lost.pdf"]["说明"] == "文件缺失 / the file is missing"
    assert rows["04418031"]["所在文件"] == "books/main.beancount"


def test_a_sealed_month_text_goes_into_the_pack(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    main = books / "main.beancount"
    shutil.copy(DEMO_BOOKS.parent / "accounts.beancount", books)
    main.write_text(HEADER, encoding="utf-8")
    assert CliRunner().invoke(funds, ["seal", "2012-01", "--ledger", str(main)]).exit_code == 0
    assert pack(tmp_path / "out", "2012", "--ledger", str(main)).exit_code == 0
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    assert files["books/seals/2012-01.jsonl"] == (books / "seals" / "2012-01.jsonl").read_bytes()


@pytest.mark.parametrize("year", ["12", "2030", "abcd"])
def test_a_bad_year_or_one_outside_the_books_writes_nothing(tmp_path: Path, year: str) -> None:
    result = pack(tmp_path / "out", year)
    assert result.exit_code == 2 and "无法生成资料包" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_failure_part_way_leaves_the_old_pack_and_no_debris(
        demo_pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / "audit-pack-2012.zip"
    shutil.copy(demo_pack, old)
    before = old.read_bytes()

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("reports.audit_pack._write_fund_summary", fail)
    result = pack(out, "2012")
    assert result.exit_code == 2 and "disk full" in result.output
    assert old.read_bytes() == before
    assert [path.name for path in out.iterdir()] == ["audit-pack-2012.zip"]


def test_the_pack_names_no_folder_of_the_machine_it_was_made_on(demo_pack: Path) -> None:
    machine = str(DEMO_BOOKS.parent.parent)
    for name, content in members(demo_pack).items():
        texts = [content]
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(content)) as workbook:
                texts = [workbook.read(part) for part in workbook.namelist()]
        for text in texts:
            assert machine.encode() not in text, name


def zip_of(target: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return target


def test_verify_pack_refuses_an_empty_manifest_and_names_stray_files(tmp_path: Path) -> None:
    empty = zip_of(tmp_path / "empty.zip", {ROOT + "MANIFEST.sha256": b""})
    result = CliRunner().invoke(funds, ["verify-pack", str(empty)])
    assert result.exit_code == 1 and "未列出任何文件" in result.output
    readme = b"pack\n"
    listed = f"{hashlib.sha256(readme).hexdigest()}  README.txt\n".encode()
    stray = zip_of(tmp_path / "stray.zip", {ROOT + "MANIFEST.sha256": listed,
                                            ROOT + "README.txt": readme, "evil.txt": b"x"})
    result = CliRunner().invoke(funds, ["verify-pack", str(stray)])
    assert result.exit_code == 1 and "not in the manifest: evil.txt" in result.output


def test_verify_pack_takes_digests_as_sha256sum_writes_them(tmp_path: Path) -> None:
    readme = b"pack\n"
    manifest_text = f"{hashlib.sha256(readme).hexdigest().upper()}  README.txt\n".encode()
    upper = zip_of(tmp_path / "upper.zip", {ROOT + "MANIFEST.sha256": manifest_text,
                                            ROOT + "README.txt": readme})
    bare = hashlib.sha256(manifest_text).hexdigest().upper()
    result = CliRunner().invoke(funds, ["verify-pack", str(upper), "--digest", bare])
    assert result.exit_code == 0, result.output


def test_a_failure_leaves_no_folder_it_made(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("reports.audit_pack._write_fund_summary", fail)
    result = pack(tmp_path / "new" / "deeper", "2012")
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


OCTOBER_SALARY = demo_lines(SALARY_BANK, datetime.date(2012, 10, 1),
                            datetime.date(2012, 10, 31))


def october_statement(folder: Path) -> Path:
    """October's salary statement with a bank fee the books do not have yet: reconciled only
    with the statement (an outstanding item), not by the books' own balance assertion."""
    balance = OCTOBER_SALARY[-1].balance - Decimal("15.00")
    fee = Line(datetime.date(2012, 10, 31), "账户管理费", "揭阳农商银行东山支行",
               Decimal("-15.00"), balance, "FEE1031")
    folder.mkdir(parents=True, exist_ok=True)
    return statement_csv(folder / "对账单-2012-10.csv", [*OCTOBER_SALARY, fee])


def export_october(books: Path, out: Path, statement: Path) -> Path:
    result = CliRunner().invoke(funds, ["export", "monthly", "2012-10", "--ledger", str(books),
                                        "--statement", str(statement), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "2012-10"


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*") if path.is_file()}


def test_the_pack_takes_the_months_export_as_written_with_its_statement(
        tmp_path: Path) -> None:
    statement = october_statement(tmp_path / "bank")
    exported = export_october(DEMO_BOOKS, tmp_path / "out", statement)
    assert (exported / "statements" / statement.name).read_bytes() == statement.read_bytes()
    result = pack(tmp_path / "out", "2012", "--ledger", str(DEMO_BOOKS))
    assert result.exit_code == 0, result.output
    assert "原样采用已导出的月报 / taken as exported: 2012-10" in result.stdout
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    inside = {name.removeprefix("monthly/2012-10/"): data for name, data in files.items()
              if name.startswith("monthly/2012-10/")}
    assert inside == files_under(exported)  # the very export, statement and manifest included
    assert "银行已付企业未付" in inside["3-银行存款余额调节表.csv"].decode("utf-8-sig")
    assert f"monthly/2012-10/statements/{statement.name}" in files["README.txt"].decode()
    assert f"monthly/2012-10/statements/{statement.name}" in manifest(files)
    verified = CliRunner().invoke(funds, ["verify-pack",
                                          str(tmp_path / "out" / "audit-pack-2012.zip")])
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize(("change", "named"), [
    ("edit", "altered: 1-资金收支月报.csv"),
    ("add", "not in the manifest: extra.txt"),
    ("remove", "missing: statements/对账单-2012-10.csv"),
])
def test_an_export_altered_after_it_was_written_stops_the_pack(
        tmp_path: Path, change: str, named: str) -> None:
    exported = export_october(DEMO_BOOKS, tmp_path / "out",
                              october_statement(tmp_path / "bank"))
    if change == "edit":
        path = exported / "1-资金收支月报.csv"
        path.write_bytes(path.read_bytes().replace("无异常".encode(), "有异常".encode()))
    elif change == "add":
        (exported / "extra.txt").write_text("x", "utf-8")
    else:
        (exported / "statements" / "对账单-2012-10.csv").unlink()
    result = pack(tmp_path / "out", "2012", "--ledger", str(DEMO_BOOKS))
    assert result.exit_code == 2
    assert "2012-10 月报在写出后被改动" in result.stderr and named in result.stderr
    assert "funds export monthly 2012-10" in result.stderr
    assert not (tmp_path / "out" / "audit-pack-2012.zip").exists()


def test_books_changed_since_the_export_rebuild_the_month_with_its_statement(
        tmp_path: Path) -> None:
    books = tmp_path / "books"
    shutil.copytree(DEMO_BOOKS.parent, books)
    export_october(books / "main.beancount", tmp_path / "out",
                   october_statement(tmp_path / "bank"))
    journal = books / "2012.beancount"
    text = journal.read_text("utf-8")
    edited = re.sub(r'^(2012-10-\d\d \* ".*" ")(.*")$', r"\1（改）\2", text, count=1,
                    flags=re.MULTILINE)  # one October narration, as a later correction
    assert edited != text
    journal.write_text(edited, "utf-8")
    result = pack(tmp_path / "out", "2012", "--ledger", str(books / "main.beancount"))
    assert result.exit_code == 0, result.output
    assert "重新生成 2012-10 月报" in result.stdout
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    sheet = files["monthly/2012-10/3-银行存款余额调节表.csv"].decode("utf-8-sig")
    assert "银行已付企业未付" in sheet and "对账单 对账单-2012-10.csv" in sheet
    assert "monthly/2012-10/statements/对账单-2012-10.csv" in files


def test_statements_given_to_the_pack_reconcile_the_months_not_exported(
        tmp_path: Path) -> None:
    statement = october_statement(tmp_path / "bank")
    result = pack(tmp_path / "out", "2012", "--ledger", str(DEMO_BOOKS), "--statement",
                  str(statement))
    assert result.exit_code == 0, result.output
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    assert files[f"monthly/2012-10/statements/{statement.name}"] == statement.read_bytes()
    sheet = files["monthly/2012-10/3-银行存款余额调节表.csv"].decode("utf-8-sig")
    assert "银行已付企业未付" in sheet
    assert "statements/" not in "".join(name for name in files
                                        if name.startswith("monthly/2012-09/"))


def test_a_file_from_outside_the_books_folder_is_named_with_the_path_to_put_it_back(
        tmp_path: Path) -> None:
    folder = tmp_path / "books"
    shutil.copytree(DEMO_BOOKS.parent, folder)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "notes.beancount").write_text("; 共用的说明\n", encoding="utf-8")
    main = folder / "main.beancount"
    main.write_text(main.read_text("utf-8") + 'include "../shared/notes.beancount"\n', "utf-8")
    result = pack(tmp_path / "out", "2012", "--ledger", str(main))
    assert result.exit_code == 0, result.output
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    [inside] = [name for name in files if name.startswith("books/_outside/")]
    readme = files["README.txt"].decode("utf-8")
    assert f"{inside} → ../shared/notes.beancount" in readme
    assert str(tmp_path) not in readme


def test_a_year_holding_only_a_contract_signed_after_the_last_payment_is_in_the_books(
        tmp_path: Path) -> None:
    books = tmp_path / "books"
    shutil.copytree(DEMO_BOOKS.parent, books)
    with (books / "2012.beancount").open("a", encoding="utf-8") as file:
        file.write('2013-01-10 custom "contract" "东山采〔2013〕01号" "operating" 5000.00 CNY\n'
                   '  account: Expenses:5101-业务活动成本:运营经费:宣传费\n')
    refused = pack(tmp_path / "out", "2014", "--ledger", str(books / "main.beancount"))
    assert refused.exit_code == 2 and "不在账簿期间" in refused.output
    result = pack(tmp_path / "out", "2013", "--ledger", str(books / "main.beancount"))
    assert "2013 年不在账簿期间" not in result.output
    assert (tmp_path / "out" / "audit-pack-2013.zip").is_file(), result.output


ANNUAL_FILES = ["annual/年度会计报表-2012.xlsx", "annual/1-资产负债表.csv",
                "annual/2-业务活动表.csv", "annual/3-现金流量表.csv",
                "annual/4-专项资金收支情况表.csv"]


def test_the_years_statements_are_in_annual_and_the_manifest(demo_pack: Path,
                                                              tmp_path: Path) -> None:
    files = members(demo_pack)
    listed = manifest(files)
    assert sorted(name for name in files if name.startswith("annual/")) == sorted(ANNUAL_FILES)
    assert set(ANNUAL_FILES) <= set(listed)
    exported = CliRunner().invoke(funds, ["export", "annual", "2012", "--out",
                                          str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    for name in ANNUAL_FILES[1:]:
        assert files[name] == (tmp_path / "out" / "2012" / name.split("/")[1]).read_bytes()
    readme = files["README.txt"].decode()
    assert "annual/       年度会计报表" in readme


def test_books_the_chart_does_not_place_get_a_pack_without_annual_saying_why(
        tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    main = books / "main.beancount"
    main.write_text(HEADER, encoding="utf-8")
    result = pack(tmp_path / "out", "2012", "--ledger", str(main))
    assert result.exit_code == 0, result.output
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    assert not [name for name in files if name.startswith("annual/")]
    readme = files["README.txt"].decode()
    assert "未出年度会计报表" in readme and "Assets:Bank:Construction" in readme
    assert "警告：资料包未含年度会计报表" in result.output  # said, not only inside the zip
    assert "Assets:Bank:Construction" in result.output
