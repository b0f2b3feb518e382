"""``funds init``: a new centre's books that load, check clean, take Fava's new entries in
the year's journal, and are never written over anything."""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from click.testing import CliRunner, Result
from fava.beans import create
from fava.beans.abc import Transaction
from fava.core import FavaLedger
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from importers.config import read_import_config
from ledger import files
from ledger.check import check_books
from ledger.cli.check import check_funds
from ledger.cli.main import funds
from ledger.model.account_names import is_account_name
from ledger.model.chart import (
    DEFAULT_COSTS,
    DEFAULT_FUNDS,
    HOUSING_FUND_PAYABLE,
    INCOME_TAX_PAYABLE,
    SOCIAL_SECURITY_PAYABLE,
    SUSPENSE,
    WAGES_PAYABLE,
    FundAccounts,
)
from ledger.model.policy import POLICY_KEYS, read_policy_directive
from ledger.setup import folder as folder_module
from ledger.setup.folder import write_new_folder
from ledger.setup.new_centre import (
    POLICY_NOTES,
    NewCentre,
    SetupError,
    new_centre,
    new_centre_books,
)
from tests.samples import following, statement_csv

UNIT = "揭阳市榕城区社工服务中心"
PAYABLES = (WAGES_PAYABLE, SOCIAL_SECURITY_PAYABLE, HOUSING_FUND_PAYABLE, INCOME_TAX_PAYABLE)


def init(folder: Path, *args: str, year: str = "2013") -> Result:
    return CliRunner().invoke(funds, ["init", str(folder), "--unit", UNIT, "--year", year,
                                      *args])


def loaded(main: Path) -> tuple[data.Entries, dict[str, object]]:
    entries, errors, options = loader.load_file(str(main))
    assert errors == []
    return entries, options


def opened(entries: data.Entries) -> dict[str, data.Open]:
    return {entry.account: entry for entry in entries if isinstance(entry, data.Open)}


def declared(entries: data.Entries) -> dict[str, str]:
    return {str(entry.values[0].value): str(entry.values[1].value) for entry in entries
            if isinstance(entry, data.Custom) and entry.type == "fund"}


def listing(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_the_default_books_load_and_check_clean_per_fund(tmp_path: Path) -> None:
    result = init(tmp_path / "centre")
    assert result.exit_code == 0, result.output
    main = tmp_path / "centre" / "main.beancount"
    assert listing(tmp_path / "centre") == sorted(
        ["main.beancount", "accounts.beancount", "policy.beancount", "import.beancount",
         "2013.beancount", "plan", "plan/说明.beancount"])
    assert "下一步 / next steps" in result.output and "funds plan" in result.output
    steps = result.output[result.output.index("下一步 / next steps"):]
    assert f"cd {tmp_path / 'centre'}" in steps  # then, in the books' folder:
    assert "fava main.beancount" in steps and "fava /" not in steps
    entries, options = loaded(main)
    assert options["title"] == UNIT and options["operating_currency"] == ["CNY"]
    assert declared(entries) == {fund.code: fund.name for fund in DEFAULT_FUNDS}
    checked = check_books(main)
    assert checked.load_errors == [] and checked.findings == []
    checked_run = CliRunner().invoke(check_funds, [str(main)])
    assert checked_run.exit_code == 0, checked_run.output
    assert checked_run.output.count("未发现问题 / no findings") == 3
    for fund in DEFAULT_FUNDS:
        assert f"专项 {fund.code} {fund.name}" in checked_run.output


def test_every_fund_account_is_opened_with_its_fund_and_a_chinese_description(
        tmp_path: Path) -> None:
    init(tmp_path / "centre")
    accounts = opened(loaded(tmp_path / "centre" / "main.beancount")[0])
    assert all(is_account_name(account) for account in accounts)
    for fund in DEFAULT_FUNDS:
        expected = [fund.bank, fund.grant("区财政"), fund.grant("市财政"), fund.interest,
                    fund.bank_fee, *(fund.cost(item, code) for item, code in
                                     DEFAULT_COSTS[fund.code])]
        for account in expected:
            assert accounts[account].meta["fund"] == fund.code
            assert re.search(r"[\u4e00-\u9fff]", accounts[account].meta["description"])
    assert accounts[DEFAULT_FUNDS[2].cash].meta["fund"] == "operating"
    assert {accounts[account].meta["fund"] for account in PAYABLES} == {"salary"}
    assert SUSPENSE in accounts and "fund" not in accounts[SUSPENSE].meta
    assert "Equity:3101-非限定性净资产" in accounts and "Equity:3102-限定性净资产" in accounts


def test_funds_given_by_code_and_name(tmp_path: Path) -> None:
    result = init(tmp_path / "centre", "--fund", "youth=青少年服务", "--fund",
                  "salary=社工薪酬", "--fund", "construction=示范点建设经费")
    assert result.exit_code == 0, result.output
    main = tmp_path / "centre" / "main.beancount"
    entries = loaded(main)[0]
    accounts = opened(entries)
    assert declared(entries) == {"youth": "青少年服务", "salary": "社工薪酬",
                                 "construction": "示范点建设经费"}
    youth = FundAccounts("youth", "青少年服务", "青少年服务")
    own = {account for account, entry in accounts.items() if entry.meta.get("fund") == "youth"}
    assert own == {youth.bank, youth.grant("区财政"), youth.grant("市财政"), youth.interest,
                   youth.bank_fee}
    assert "Assets:1002-银行存款:建设经费专户" in accounts  # the default fund's short name
    assert not any(account.startswith("Assets:1001") for account in accounts)  # no operating
    assert {accounts[account].meta["fund"] for account in PAYABLES} == {"salary"}
    config = read_import_config(entries)
    assert [payroll.bank for payroll in config.payroll] == ["Assets:1002-银行存款:社工薪酬专户"]
    checked = CliRunner().invoke(check_funds, [str(main)])
    assert checked.exit_code == 0 and checked.output.count("未发现问题 / no findings") == 3


def test_without_a_salary_fund_the_payables_belong_to_no_fund(tmp_path: Path) -> None:
    assert init(tmp_path / "centre", "--fund", "youth=青少年服务").exit_code == 0
    entries = loaded(tmp_path / "centre" / "main.beancount")[0]
    accounts = opened(entries)
    assert all("fund" not in accounts[account].meta for account in PAYABLES)
    assert read_import_config(entries).payroll == []
    assert check_books(tmp_path / "centre" / "main.beancount").findings == []


@pytest.mark.parametrize("held", ["notes.txt", ".keep", "sub/"])
def test_a_folder_holding_anything_is_refused_and_nothing_written(tmp_path: Path,
                                                                  held: str) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    if held.endswith("/"):
        (folder / held).mkdir()
    else:
        (folder / held).write_text("mine", encoding="utf-8")
    result = init(folder)
    assert result.exit_code == 1
    assert "不是空文件夹" in result.output and held.rstrip("/") in result.output
    assert "未写入任何文件 / nothing was written" in result.output
    assert listing(folder) == [held.rstrip("/")]
    assert listing(tmp_path) == ["centre", f"centre/{held.rstrip('/')}"]


def test_an_empty_folder_is_filled_in_place(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    inode = folder.stat().st_ino
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(funds, ["init", ".", "--unit", UNIT, "--year", "2014"])
    assert result.exit_code == 0, result.output
    assert folder.stat().st_ino == inode  # the same folder, the shell still in it
    assert "2014.beancount" in listing(folder) and listing(tmp_path)[0] == "centre"
    assert check_books(folder / "main.beancount").findings == []


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[Path] = []
    real_write = files.write_new_file

    def failing_write(path: Path, text: str) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(path)
        real_write(path, text)

    monkeypatch.setattr(folder_module, "write_new_file", failing_write)
    result = init(tmp_path / "centre")
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert listing(tmp_path) == []


def test_a_failed_move_into_an_empty_folder_takes_back_what_it_moved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    moved: list[str] = []
    real_move = folder_module._move_new

    def failing_move(source: Path, target: Path) -> None:
        if len(moved) == 2:
            raise PermissionError(13, "Permission denied", str(target))
        moved.append(target.name)
        real_move(source, target)

    monkeypatch.setattr(folder_module, "_move_new", failing_move)
    result = init(folder)
    assert result.exit_code == 1 and "Permission denied" in result.output
    assert listing(tmp_path) == ["centre"]


def test_a_file_for_dir_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "centre").write_text("", encoding="utf-8")
    assert init(tmp_path / "centre").exit_code == 2


@pytest.mark.parametrize("year", ["1899", "2100", "20x3", "", "2013.5"])
def test_a_bad_year_is_a_usage_error_naming_it(tmp_path: Path, year: str) -> None:
    result = init(tmp_path / "centre", year=year)
    assert result.exit_code == 2 and "--year" in result.output
    assert (f"年度 {year}" if year.isdigit() else repr(year)) in result.output
    assert listing(tmp_path) == []


@pytest.mark.parametrize(("given", "named"), [
    (["youth"], "“youth”"), (["Youth=青少年服务"], "“Youth=青少年服务”"), (["youth="], "“youth=”"),
    (["=青少年服务"], "“=青少年服务”"), (["1youth=青少年服务"], "“1youth=青少年服务”"),
    (["youth=青少 年"], "“青少 年”"), (["youth=青少:年"], "“青少:年”"),
    (['youth=青少"年'], '“青少"年”'),
    (["youth=青少\\年"], "“青少\\年”"), (["youth=abc"], "“abc”"), (["youth=-青少年"], "“-青少年”"),
    (["a=甲", "a=乙"], "代码相同：a"), (["a=甲", "b=甲"], "名称相同：甲"),
    (["a=建设经费", "construction=示范点建设经费"], "科目名相同：建设经费"),
])
def test_a_bad_fund_is_a_usage_error_naming_it(tmp_path: Path, given: list[str],
                                               named: str) -> None:
    result = init(tmp_path / "centre", *(part for value in given for part in ("--fund", value)))
    assert result.exit_code == 2 and "--fund" in result.output
    assert named in result.output
    assert listing(tmp_path) == []


@pytest.mark.parametrize("missing", ["--unit", "--year"])
def test_unit_and_year_are_required(tmp_path: Path, missing: str) -> None:
    args = {"--unit": UNIT, "--year": "2013"}
    del args[missing]
    result = CliRunner().invoke(funds, ["init", str(tmp_path / "c"),
                                        *(part for item in args.items() for part in item)])
    assert result.exit_code == 2 and missing in result.output and "必须给出" in result.output


def new_transaction(day: datetime.date) -> Transaction:
    """A voucher as Fava's add-entry form makes it."""
    return create.transaction(
        {"voucher": f"记-{day:%Y%m}-001"}, day, "*", "文具店", f"办公用品 {day}",
        postings=[create.posting("Expenses:5201-管理费用:运营经费:办公费", "120.00 CNY"),
                  create.posting("Assets:1002-银行存款:运营经费专户", "-120.00 CNY")])


def test_fava_writes_new_entries_into_the_years_journal(tmp_path: Path) -> None:
    init(tmp_path / "centre")
    main = tmp_path / "centre" / "main.beancount"
    journal = tmp_path / "centre" / "2013.beancount"
    before = main.read_text(encoding="utf-8")
    ledger = FavaLedger(str(main))
    assert ledger.errors == []  # the options, extension and books all read
    ledger.file.insert_entries([new_transaction(datetime.date(2013, 3, 5)),
                                new_transaction(datetime.date(2013, 1, 1))])
    assert main.read_text(encoding="utf-8") == before
    text = journal.read_text(encoding="utf-8")
    assert "办公用品 2013-03-05" in text and "办公用品 2013-01-01" in text
    march = text.index("办公用品 2013-03-05")
    assert march < text.index('custom "fava-option" "insert-entry"')
    checked = check_books(main)
    assert checked.load_errors == []  # the vouchers' accounts are open on their dates
    assert sum(isinstance(entry, data.Transaction) for entry in checked.entries) == 2


def test_the_policy_file_holds_every_key_at_its_default(tmp_path: Path) -> None:
    init(tmp_path / "centre", year="2015")
    policy = tmp_path / "centre" / "policy.beancount"
    entries, errors, _ = loader.load_file(str(policy))
    assert errors == []
    read = [read_policy_directive(entry) for entry in entries if isinstance(entry, data.Custom)]
    assert dict(item for item in read if isinstance(item, tuple)) == {
        key.name: key.default for key in POLICY_KEYS.values()}
    assert len(read) == len(POLICY_KEYS)
    assert {entry.date for entry in entries} == {datetime.date(2015, 1, 1)}
    text = policy.read_text(encoding="utf-8")
    for key in POLICY_KEYS:
        assert re.search(rf'"{key}" .*  ; [^\n]*[\u4e00-\u9fff]', text)
    assert set(POLICY_NOTES) == set(POLICY_KEYS)


def filled_in(folder: Path) -> None:
    """New books as their bookkeeper completes them: each bank account's number (6230 0000 0000
    0001, 0002, 0003 in the order of the funds) and the funders' import rules uncommented."""
    accounts = (folder / "accounts.beancount").read_text(encoding="utf-8")
    numbers = iter(["6230 0000 0000 0001", "6230 0000 0000 0002", "6230 0000 0000 0003"])
    accounts = re.sub(r'  ; bank-account: "账号"', lambda _: f'  bank-account: "{next(numbers)}"',
                      accounts)
    (folder / "accounts.beancount").write_text(accounts, encoding="utf-8")
    rules = folder / "import.beancount"
    rules.write_text(uncommented(rules.read_text(encoding="utf-8")), encoding="utf-8")


def uncommented(text: str) -> str:
    """The commented-out examples made real (a directive or its metadata after ``; ``)."""
    return re.sub(r"^; (?=\d{4}-|  [a-z])", "", text, flags=re.MULTILINE)


def test_the_import_configuration_works_once_filled_in(tmp_path: Path) -> None:
    assert init(tmp_path / "centre").exit_code == 0
    folder = tmp_path / "centre"
    config = read_import_config(loaded(folder / "main.beancount")[0])
    assert config.banks == {} and len(config.rules) == 7  # 结息, 手续费 per bank; 备用金
    filled_in(folder)
    config = read_import_config(loaded(folder / "main.beancount")[0])
    assert len(config.banks) == 3 and len(config.rules) == 7 + 6 + 3
    lines = following([], ("2013-01-05", "拨付社工薪酬", "东山区管委会", "60000.00"),
                      ("2013-03-21", "结息", "", "12.34"),
                      ("2013-03-21", "账户管理费", "", "-5.00"))
    statement = statement_csv(tmp_path / "对账单.csv", lines,
                              account_number="6230 0000 0000 0002")
    output = tmp_path / "导入.beancount"
    result = CliRunner().invoke(funds, ["import", str(statement), "--ledger",
                                        str(folder / "main.beancount"), "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    salary = DEFAULT_FUNDS[1]
    for account in (salary.grant("区财政"), salary.interest, salary.bank_fee):
        assert account in text
    assert "Equity:Suspense" not in text  # every line classified


def test_a_refused_fund_name_would_not_have_loaded(tmp_path: Path) -> None:
    for name in ("青少 年", "abc", '青"少年', "青\\年", "-青少年"):
        fund = FundAccounts("youth", name, name)
        with pytest.raises(SetupError):
            new_centre(UNIT, 2013, [fund])
        forced = new_centre_books(NewCentre(UNIT, 2013, (fund,)))
        with tempfile.TemporaryDirectory(dir=tmp_path) as place:
            write_new_folder(Path(place) / "books", forced)
            errors = loader.load_file(str(Path(place) / "books" / "main.beancount"))[1]
        assert errors, name


UNITS = st.one_of(st.text(max_size=16),
                  st.text(alphabet='揭阳市社工中心 "\\\'（）A1\t\n', max_size=12))
FUND_NAMES = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x80) | st.sampled_from("ABZ019-"),
            min_size=1, max_size=8),
    st.text(alphabet='示范点建设青少年服务社工（）“”"\\: \t-Ab1z', min_size=1, max_size=8),
    st.text(max_size=8),
)


@settings(max_examples=int(os.environ.get("EARMARK_INIT_EXAMPLES", "150")), deadline=None,
          derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(unit=UNITS, names=st.lists(FUND_NAMES, min_size=1, max_size=3))
def test_any_accepted_unit_and_fund_names_give_books_that_load(
        tmp_path: Path, unit: str, names: list[str]) -> None:
    funds_given = [FundAccounts(f"fund{index}", name.strip(), name.strip())
                   for index, name in enumerate(names)]
    try:
        centre = new_centre(unit, 2013, funds_given)
    except SetupError:
        event("refused")
        return
    event("written")
    with tempfile.TemporaryDirectory(dir=tmp_path) as place:
        write_new_folder(Path(place) / "books", new_centre_books(centre))
        checked = check_books(Path(place) / "books" / "main.beancount")
    assert checked.load_errors == [] and checked.findings == []
    assert checked.options_map["title"] == unit.strip()
    assert declared(checked.entries) == {fund.code: fund.name for fund in funds_given}


def test_the_next_steps_say_bank_fees_need_a_plan_line(tmp_path: Path) -> None:
    result = init(tmp_path / "centre")
    assert result.exit_code == 0
    assert "银行手续费；资金使用计划中没有这一行时，手续费是无预算列支" in result.output


def test_the_optional_budget_alert_is_there_to_switch_on(tmp_path: Path) -> None:
    assert init(tmp_path / "centre").exit_code == 0
    policy = tmp_path / "centre" / "policy.beancount"
    text = policy.read_text(encoding="utf-8")
    assert '; 2013-01-01 custom "fund-policy" "budget-alert" 0.9' in text
    policy.write_text(text.replace('; 2013-01-01 custom "fund-policy" "budget-alert"',
                                   '2013-01-01 custom "fund-policy" "budget-alert"'), "utf-8")
    checked = check_books(tmp_path / "centre" / "main.beancount")
    assert checked.load_errors == [] and checked.findings == []
    assert checked.books.model.policy.share("budget-alert", datetime.date(2013, 6, 1)) == (
        Decimal("0.9"))


def test_the_optional_signers_are_there_to_fill_in(tmp_path: Path) -> None:
    assert init(tmp_path / "centre").exit_code == 0
    policy = tmp_path / "centre" / "policy.beancount"
    text = policy.read_text(encoding="utf-8")
    assert '; 2013-01-01 custom "fund-policy" "signer-cashier" "出纳姓名"' in text
    policy.write_text(text.replace('; 2013-01-01 custom "fund-policy" "signer-',
                                   '2013-01-01 custom "fund-policy" "signer-'), "utf-8")
    checked = check_books(tmp_path / "centre" / "main.beancount")
    assert checked.load_errors == [] and checked.findings == []
    signers = [checked.books.model.policy.signer(role, datetime.date(2013, 6, 1))
               for role in ("supervisor", "bookkeeper", "reviewer", "cashier", "preparer")]
    assert signers == ["会计主管姓名", "记账姓名", "审核姓名", "出纳姓名", "制单姓名"]


def test_the_next_steps_name_the_opening_entry_and_its_day(tmp_path: Path) -> None:
    result = init(tmp_path / "centre")
    assert result.exit_code == 0
    assert "期初建账分录（2012-12-31 的余额" in result.output
    assert "2013.beancount" in result.output.split("期初建账")[0].splitlines()[-1]
