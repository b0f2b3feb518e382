"""The demo books in the 民非 chart of accounts: the same figures and findings as in the former
English naming, and the chart's names wherever a person reads an account.

Both namings are written by ``scripts/make_demo_books.py`` (``--naming english`` and the
default); ``TO_CHART`` maps each English account to its account in the chart. The same extra
vouchers, planted in both to break one rule each, show that the rules judge the chart's names
as they judged the English ones (a cash account under code 1001, suspense under
``Equity:Suspense``).
"""

from __future__ import annotations

import csv
import datetime
import importlib.util
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from beancount.core import data
from click.testing import CliRunner
from fava.application import create_app
from fava.beans import create
from fava.core import FavaLedger

from ledger.check import DEMO_BOOKS, check_books
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.chart import SUSPENSE, code_of
from ledger.model.summary import summarize_funds
from tests.helpers import check_funds_json

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_demo_books.py"
YEAR_END = datetime.date(2012, 12, 31)
ACCOUNT = re.compile(r"(?<![\w:])(?:Assets|Liabilities|Equity|Income|Expenses)"
                     r"(?::[^\s:\"',，/（）()]+)+")
RENOVATION = "Expenses:5101-业务活动成本:建设经费:装修工程"

# One voucher per rule, in the English naming; the chart's books get them through TO_CHART.
# Balance assertions are dropped from both copies, as these vouchers move the banks.
OWN_ACCOUNTS = ("Expenses:District:Hospitality",)  # outside both namings, opened by the extra
PLANTED = """\
2012-04-01 open Expenses:District:Hospitality CNY

2012-09-06 * "揭阳市宏建装饰工程有限公司" "装修工程增项"
  voucher: "记-201209-901"
  invoice: "09990001"
  Expenses:Construction:Renovation     5000.00 CNY
  Assets:Bank:Dedicated:Construction  -5000.00 CNY

2012-12-28 * "揭阳农商银行东山支行" "提取备用金"
  voucher: "记-201212-901"
  Assets:Cash:Operating             1500.00 CNY
  Assets:Bank:Dedicated:Operating  -1500.00 CNY

2012-12-10 * "揭阳市榕城区彩虹印务" "宣传单张"
  voucher: "记-201212-902"
  invoice: "09990002"
  Expenses:Operating:Publicity   300.00 CNY
  Assets:Bank:Dedicated:Salary  -300.00 CNY

2012-12-12 * "揭阳市榕城区文化用品商行" "文件夹"
  voucher: "记-201212-903"
  Expenses:Operating:Office         200.00 CNY
  Assets:Bank:Dedicated:Operating  -200.00 CNY

2012-12-20 ! "某某公司" "不明支出"
  voucher: "记-201212-904"
  Equity:Suspense:Unclassified      450.00 CNY
  Assets:Bank:Dedicated:Operating  -450.00 CNY

2012-12-22 * "东山酒家" "区领导接待"
  voucher: "记-201212-905"
  invoice: "09990003"
  Expenses:District:Hospitality     600.00 CNY
  Assets:Bank:Dedicated:Operating  -600.00 CNY

2012-12-23 * "揭阳市东山区惠民超市" "活动物资"
  voucher: "记-201212-906"
  invoice: "04417807"
  Expenses:Operating:Activities     280.00 CNY
  Assets:Bank:Dedicated:Operating  -280.00 CNY
"""
PLANTED_RULES = {"over-budget", "cash-withdrawal", "cross-fund", "missing-evidence",
                 "unclassified", "diverted", "duplicate-invoice"}


def _load_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_demo_books", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


TO_CHART: dict[str, str] = dict(_load_script().TO_CHART)


def in_chart(text: str) -> str:
    """``text`` with every English account of the demo books named as in the chart; any other
    account name must be one of the extra vouchers' own."""
    def renamed(found: re.Match[str]) -> str:
        name = found.group(0)
        assert name in TO_CHART or name in OWN_ACCOUNTS, name
        return TO_CHART.get(name, name)
    return ACCOUNT.sub(renamed, text)


def written(folder: Path, naming: str, planted: bool) -> Path:
    """The demo books as the script writes them in ``naming``, with the extra vouchers if
    ``planted``; their main file."""
    folder.mkdir(parents=True)
    subprocess.run([sys.executable, str(SCRIPT), str(folder), "--naming", naming], check=True,
                   capture_output=True)
    main = folder / "main.beancount"
    if planted:
        journal = folder / "2012.beancount"
        text = re.sub(r"^\d{4}-\d\d-\d\d balance .*\n\n?", "", journal.read_text("utf-8"),
                      flags=re.MULTILINE)
        journal.write_text(text, "utf-8")
        extra = PLANTED if naming == "english" else in_chart(PLANTED)
        (folder / "extra.beancount").write_text(extra, "utf-8")
        main.write_text(main.read_text("utf-8") + 'include "extra.beancount"\n', "utf-8")
    return main


@pytest.fixture(scope="module", params=[False, True], ids=["demo", "planted"])
def both(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The English-named and the chart-named books, both written by the script."""
    planted: bool = request.param
    root = tmp_path_factory.mktemp("namings")
    return (written(root / "english", "english", planted),
            written(root / "chart", "chart", planted))


@pytest.fixture(scope="module")
def planted_chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return written(tmp_path_factory.mktemp("planted") / "chart", "chart", True)


BEFORE_THE_MOVE = ROOT / "tests" / "ledgers" / "demo-2012-english"

# Issue 16 registered the contracts (合同) after the move: the contract directives (a section of
# accounts.beancount, taken out below) and, in the lines the books had, exactly these edits: the
# design payment quotes its contract, and the renovation's settlement holds back its 5% 质保金
# (owed on a payable, kept on the construction account when the savings go back).
CONTRACTS_SECTION = re.compile(r'\n; 合同登记 / contracts[^\n]*\n'
                               r'(?:\d{4}-\d\d-\d\d custom "contract" [^\n]*\n(?:  [^\n]*\n)*)+')
ISSUE_16_EDITS: dict[str, tuple[tuple[str, str], ...]] = {
    "accounts.beancount": (
        ("; 专项资金、科目、预算（资金使用计划）与拨款计划\n"
         "; Funds, accounts, the fund-use plan as budget lines, and the allocations.\n",
         "; 专项资金、科目、预算（资金使用计划）、拨款计划与合同登记\n"
         "; Funds, accounts, the fund-use plan as budget lines, the allocations and the "
         "contracts.\n"),
        ('2012-07-15 open Assets:Bank:Dedicated:Salary CNY\n',
         '2012-07-04 open Liabilities:Construction:Retention CNY\n'
         '  description: "应付装修工程质保金（质保期满后支付）"\n'
         '  fund: "construction"\n'
         '2012-07-15 open Assets:Bank:Dedicated:Salary CNY\n'),
    ),
    "2012.beancount": (
        ('  voucher: "记-201205-003"\n',
         '  voucher: "记-201205-003"\n  contract: "东山采〔2012〕03号"\n'),
        ('"装修工程验收结算款（合同30%）"',
         '"装修工程验收结算款（合同30%，其中5%质保金暂扣至2013年9月5日）"'),
        ("  Assets:Bank:Dedicated:Construction         -110400.00 CNY\n"
         "\n2012-09-10",  # the settlement's, not the advance's
         "  Liabilities:Construction:Retention          -18400.00 CNY\n"
         "  Assets:Bank:Dedicated:Construction          -92000.00 CNY\n"
         "\n2012-09-10"),
        ("2012-10-01 balance Assets:Bank:Dedicated:Construction           24004.27 CNY",
         "2012-10-01 balance Assets:Bank:Dedicated:Construction           42404.27 CNY"),
        ("2012-11-01 balance Assets:Bank:Dedicated:Construction            6702.77 CNY",
         "2012-11-01 balance Assets:Bank:Dedicated:Construction           25102.77 CNY"),
        ('"建设经费专户销户结息"', '"建设经费专户结息（上缴结余前）"'),
        ('"建设期结束，上缴建设经费结余"',
         '"建设期结束，上缴建设经费结余（专户留存装修工程质保金18400.00元）"'),
        ("2012-12-01 balance Assets:Bank:Dedicated:Construction               0.00 CNY",
         "2012-12-01 balance Assets:Bank:Dedicated:Construction           18400.00 CNY"),
        ("2013-01-01 balance Assets:Bank:Dedicated:Construction               0.00 CNY",
         "2013-01-01 balance Assets:Bank:Dedicated:Construction           18400.00 CNY"),
    ),
}


def with_issue_16_edits(name: str, text: str) -> str:
    """The file as it was before the move, with the lines issue 16 changed, each edit made
    exactly once."""
    for old, new in ISSUE_16_EDITS.get(name, ()):
        assert text.count(old) == 1, (name, old)
        text = text.replace(old, new)
    return text


def test_the_english_naming_is_the_demo_books_as_they_were_before_the_move(
        tmp_path: Path) -> None:
    """``tests/ledgers/demo-2012-english`` is ``ledger/books`` as committed before the move to
    the chart: the English naming the comparisons below use writes them again, but for the
    journal's last lines (Fava's insert-entry option, added with the move) and issue 16's
    contracts (their directives, and the edits above)."""
    main = written(tmp_path / "english", "english", planted=False)
    for before in sorted(BEFORE_THE_MOVE.iterdir()):
        now = (main.parent / before.name).read_text("utf-8")
        if before.name == "2012.beancount":
            now, option = now.rsplit("\n\n", 1)
            now += "\n"
            assert option.endswith('2012-01-01 custom "fava-option" "insert-entry" ".*"\n')
        if before.name == "accounts.beancount":
            now, sections = CONTRACTS_SECTION.subn("", now)
            assert sections == 1
        assert now == with_issue_16_edits(before.name, before.read_text("utf-8")), before.name


def test_the_mapping_is_one_to_one_onto_the_chart() -> None:
    assert len(set(TO_CHART.values())) == len(TO_CHART) == 36
    assert all(code_of(account) is not None for account in TO_CHART.values() if account != SUSPENSE)
    assert TO_CHART["Expenses:Construction:Renovation"] == RENOVATION
    assert TO_CHART["Expenses:Operating:Office"] == "Expenses:5201-管理费用:运营经费:办公费"
    assert TO_CHART["Assets:Cash:Operating"] == "Assets:1001-现金:运营经费备用金"
    assert TO_CHART["Liabilities:Salary:IncomeTax"] == "Liabilities:2206-应交税金:代扣个人所得税"
    assert TO_CHART["Equity:Suspense:Unclassified"] == "Equity:Suspense:待查明款项"
    assert TO_CHART["Liabilities:Construction:Retention"] == (
        "Liabilities:2209-其他应付款:工程质保金")


def test_the_english_naming_is_the_chart_naming_renamed(both: tuple[Path, Path]) -> None:
    english, chart = both
    for name in ("2012.beancount", "import.beancount"):
        english_text = (english.parent / name).read_text("utf-8")
        chart_text = (chart.parent / name).read_text("utf-8")
        assert _unaligned(in_chart(english_text)) == _unaligned(chart_text), name


def _unaligned(text: str) -> str:
    return re.sub(r" {2,}", " ", text)


def test_the_per_fund_figures_are_the_same(both: tuple[Path, Path]) -> None:
    english, chart = (check_books(path) for path in both)
    assert english.load_errors == chart.load_errors == []
    before = summarize_funds(english.books, 2012, YEAR_END)
    after = summarize_funds(chart.books, 2012, YEAR_END)
    assert [(s.fund, s.name, s.currency, s.budget, s.spent, s.balance, s.owed) for s in before] \
        == [(s.fund, s.name, s.currency, s.budget, s.spent, s.balance, s.owed) for s in after]
    assert len(before) == 3
    for old, new in zip(before, after, strict=True):
        lines = {(TO_CHART[line.account], line.period, line.currency, line.budget, line.spent)
                 for line in old.lines}
        assert lines == {(line.account, line.period, line.currency, line.budget, line.spent)
                         for line in new.lines}
        assert len(new.lines) == len(old.lines) > 0


def _finding_key(finding: Any) -> tuple[Any, ...]:
    return (finding.rule, finding.fund, finding.date, finding.amount, finding.severity,
            finding.lineno)


def test_every_finding_is_the_same_and_names_the_mapped_account(both: tuple[Path, Path]) -> None:
    english, chart = (check_books(path) for path in both)
    before = sorted(english.findings, key=_finding_key)
    after = sorted(chart.findings, key=_finding_key)
    assert [_finding_key(f) for f in before] == [_finding_key(f) for f in after]
    assert before, "no finding to compare"
    pairs = {(old.account, new.account) for old, new in zip(before, after, strict=True)}
    pairs |= {(old.budget_line, new.budget_line) for old, new in zip(before, after, strict=True)}
    for old_account, new_account in pairs:
        assert new_account == (None if old_account is None
                               else TO_CHART.get(old_account, old_account))
    assert len({new for _, new in pairs}) == len(pairs)  # one to one
    for old, new in zip(before, after, strict=True):
        assert in_chart(old.message) == new.message


def test_the_planted_vouchers_break_their_rules_in_both_namings(both: tuple[Path, Path]) -> None:
    english, chart = (check_books(path) for path in both)
    if not (english.path.parent / "extra.beancount").exists():
        assert {f.rule for f in chart.findings} == {"approved-transfer"}
        return
    assert {f.rule for f in english.findings} >= PLANTED_RULES
    assert {f.rule for f in chart.findings} >= PLANTED_RULES


def test_check_funds_json_is_the_same_document_renamed(both: tuple[Path, Path]) -> None:
    english, chart = (check_funds_json(str(path)) for path in both)
    del english["ledger"], chart["ledger"]
    renamed = _renamed(english)
    for document in (renamed, chart):  # a fund's lines come in the order of their names
        for fund in document["funds"]:
            fund["lines"].sort(key=lambda line: line["account"])
    assert renamed == chart


def _renamed(value: Any) -> Any:
    if isinstance(value, str):
        return in_chart(value)
    if isinstance(value, list):
        return [_renamed(item) for item in value]
    if isinstance(value, dict):
        return {key: _renamed(item) for key, item in value.items()}
    return value


def _english_names(text: str) -> list[str]:
    """The account names in ``text`` outside the chart (the suspense account aside)."""
    return [name for name in ACCOUNT.findall(text) if code_of(name) is None
            and not name.startswith(SUSPENSE) and name not in OWN_ACCOUNTS]


def test_no_english_account_name_remains_in_the_demo_books() -> None:
    texts = {path.name: path.read_text("utf-8")
             for path in sorted(DEMO_BOOKS.parent.glob("*.beancount"))}
    assert set(texts) == {"main.beancount", "accounts.beancount", "import.beancount",
                          "2012.beancount"}
    for name, text in texts.items():
        assert _english_names(text) == [], name
        assert not [old for old in TO_CHART if old in text], name
    opened = re.findall(r"^\d{4}-\d\d-\d\d open (\S+)", texts["accounts.beancount"], re.M)
    assert {"Equity:3101-非限定性净资产", "Equity:3102-限定性净资产",
            "Liabilities:2204-应付工资", *TO_CHART.values()} == set(opened)


def test_check_funds_shows_the_chart_names_in_every_format(planted_chart: Path) -> None:
    shown = {}
    for output in ("table", "json", "csv"):
        result = CliRunner().invoke(check_funds, [str(planted_chart), "--format", output])
        assert result.exit_code == 1, result.output
        shown[output] = result.stdout
        assert _english_names(result.stdout) == [], output
    over = next(row for row in csv.DictReader(shown["csv"].lstrip("\ufeff").splitlines())
                if row["规则代码"] == "over-budget")
    assert over["科目"] == RENOVATION
    assert "[over-budget] 超预算" in shown["table"] and RENOVATION in shown["table"]
    assert "Assets:1001-现金:运营经费备用金" in shown["table"]  # the cash withdrawal
    assert '"account": "Expenses:5101-业务活动成本:建设经费:装修工程"' in shown["json"]


def test_check_funds_json_of_the_demo_lists_the_chart_budget_lines() -> None:
    document = check_funds_json(str(DEMO_BOOKS))
    lines = {line["account"] for fund in document["funds"] for line in fund["lines"]}
    assert RENOVATION in lines and "Expenses:5201-管理费用:运营经费:办公费" in lines
    assert "Expenses:5301-筹资费用:社工薪酬:银行手续费" in lines
    assert all(code_of(line) is not None for line in lines)


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def _column(rows: list[list[str]], name: str) -> set[str]:
    header = next(row for row in rows if name in row)
    index = header.index(name)
    return {row[index] for row in rows[rows.index(header) + 1:] if len(row) > index}


def test_the_monthly_export_names_the_chart_accounts(tmp_path: Path) -> None:
    result = CliRunner().invoke(funds, ["export", "monthly", "2012-09", "--ledger",
                                        str(DEMO_BOOKS), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "2012-09"
    assert RENOVATION in _column(_read_csv(folder / "2-预算执行情况.csv"), "预算科目")
    assert "Assets:1002-银行存款:建设经费专户" in _column(
        _read_csv(folder / "3-银行存款余额调节表.csv"), "银行账户")
    accounts = _column(_read_csv(folder / "4-收支明细.csv"), "科目")  # a voucher's joined by 、
    assert RENOVATION in {name for cell in accounts for name in cell.split("、")}
    for path in folder.glob("*.csv"):
        assert _english_names(path.read_text("utf-8-sig")) == [], path.name
    [workbook] = folder.glob("*.xlsx")
    cells = [str(cell.value) for sheet in openpyxl.load_workbook(workbook).worksheets
             for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert RENOVATION in cells
    assert _english_names("\n".join(cells)) == []


@pytest.fixture
def fava_copy(tmp_path: Path) -> Path:
    for source in DEMO_BOOKS.parent.glob("*.beancount"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    return tmp_path / "main.beancount"


def test_fava_account_pages_open_under_the_chart_names(fava_copy: Path) -> None:
    client = create_app([str(fava_copy)], load=True).test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    page = client.get(f"/{slug}/extension/EarmarkedFunds/").get_data(as_text=True)
    quoted = urllib.parse.quote(RENOVATION, safe=":")  # as Fava's url_for writes it
    assert f'href="/{slug}/account/{quoted}/"' in page
    bank = "Assets:1002-银行存款:建设经费专户"
    for account, narration in ((RENOVATION, "装修工程验收结算款"),
                               (bank, "建设期结束，上缴建设经费结余")):
        response = client.get(f"/{slug}/account/{urllib.parse.quote(account, safe=':')}/")
        assert response.status_code == 200, account
        assert "Traceback" not in response.get_data(as_text=True)
        report = client.get(f"/{slug}/api/account_report", query_string={"a": account})
        assert report.status_code == 200, account
        assert narration in report.get_json()["data"]["journal"], account


def test_fava_inserts_a_new_voucher_at_the_end_of_the_journal(fava_copy: Path) -> None:
    folder = fava_copy.parent
    before = {path.name: path.read_text("utf-8") for path in folder.glob("*.beancount")}
    ledger = FavaLedger(str(fava_copy))
    entry = create.transaction(  # as Fava's add-entry form makes it
        {"filename": "<fava>", "lineno": 0, "voucher": "记-201212-099", "invoice": "09990099"},
        datetime.date(2012, 12, 31), "*", "揭阳市东山区惠民超市", "元旦活动物资",
        postings=[create.posting("Expenses:5101-业务活动成本:运营经费:社区服务活动", "120.00 CNY"),
                  create.posting("Assets:1002-银行存款:运营经费专户", "-120.00 CNY")])
    ledger.file.insert_entries([entry])
    after = {path.name: path.read_text("utf-8") for path in folder.glob("*.beancount")}
    assert {name for name in after if after[name] != before[name]} == {"2012.beancount"}
    journal = after["2012.beancount"]
    assert journal.rstrip("\n").endswith('2012-01-01 custom "fava-option" "insert-entry" ".*"')
    assert journal.index("2013-01-01 balance") < journal.index("元旦活动物资")
    # The voucher is read: the bank's balance on 2013-01-01 is now 120.00 less than asserted.
    [error] = check_books(fava_copy).load_errors
    assert isinstance(error.entry, data.Balance)
    assert (error.entry.date, error.entry.account) == (
        datetime.date(2013, 1, 1), "Assets:1002-银行存款:运营经费专户")
    assert "19450.73 CNY" in error.message
