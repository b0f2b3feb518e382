"""The bank statement importer: layouts, classification, balances and refusals."""

import dataclasses
import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beancount.core import data

from importers.bank import BankStatementImporter
from importers.config import ImportConfig
from importers.dedupe import DUPLICATE
from importers.errors import InputError
from tests.samples import (
    DEMO_SUSPENSE,
    LAYOUTS,
    SALARY_BANK,
    demo_lines,
    following,
    statement_csv,
    statement_xlsx,
)

DECEMBER = demo_lines(SALARY_BANK, datetime.date(2012, 12, 1), datetime.date(2012, 12, 31))
JANUARY = following(DECEMBER,
                    ("2013-01-05", "社工薪酬拨款", "东山区管委会", "60000.00"),
                    ("2013-01-15", "缴纳12月社会保险费", "揭阳市社会保险基金管理局", "-7304.00"),
                    ("2013-01-16", "查询费", "某某咨询公司", "-50.00"))


def transactions(entries: data.Entries) -> list[data.Transaction]:
    return [entry for entry in entries if isinstance(entry, data.Transaction)]


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_layout_and_format_gives_the_same_entries(tmp_path: Path, config: ImportConfig,
                                                       layout: str, kind: str) -> None:
    write = statement_csv if kind == "csv" else statement_xlsx
    path = write(tmp_path / f"s.{kind}", JANUARY, layout=layout)
    importer = BankStatementImporter(config)
    assert importer.identify(str(path))
    assert importer.account(str(path)) == SALARY_BANK
    entries = importer.extract(str(path), [])
    assert [(t.date, t.postings[0].units and t.postings[0].units.number, t.postings[1].account,
             t.flag) for t in transactions(entries)][-3:] == [
        (datetime.date(2013, 1, 5), Decimal("60000.00"),
         "Income:4401-政府补助收入:限定性收入:区财政:社工薪酬", "*"),
        (datetime.date(2013, 1, 15), Decimal("-7304.00"), "Liabilities:2209-其他应付款:社会保险费",
         "*"),
        (datetime.date(2013, 1, 16), Decimal("-50.00"), DEMO_SUSPENSE, "!")]
    closing = entries[-1]
    assert isinstance(closing, data.Balance)
    assert (closing.date, closing.account, closing.amount.number) == (
        datetime.date(2013, 1, 17), SALARY_BANK, JANUARY[-1].balance)


def test_metadata_carries_the_bank_reference_and_counterparty(tmp_path: Path,
                                                             config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY)
    grant = transactions(BankStatementImporter(config).extract(str(path), []))[-3]
    assert grant.payee == "东山区管委会" and grant.narration == "社工薪酬拨款"
    assert {key: grant.meta[key] for key in ("bank-ref", "counterparty", "counterparty-account")
            } == {"bank-ref": JANUARY[-3].ref, "counterparty": "东山区管委会",
                  "counterparty-account": "6228 4800 1234"}


def test_a_statement_listed_newest_first_is_put_in_date_order(tmp_path: Path,
                                                             config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY, newest_first=True, encoding="utf-8-sig")
    entries = BankStatementImporter(config).extract(str(path), [])
    dates = [entry.date for entry in transactions(entries)]
    assert dates == sorted(dates) and entries[-1].date == datetime.date(2013, 1, 17)


def test_a_rule_applies_only_in_its_direction(tmp_path: Path, config: ImportConfig) -> None:
    lines = following(JANUARY, ("2013-01-20", "退回多扣款", "揭阳市社会保险基金管理局", "100.00"))
    path = statement_csv(tmp_path / "s.csv", lines)
    refund = transactions(BankStatementImporter(config).extract(str(path), []))[-1]
    assert (refund.flag, refund.postings[1].account) == ("!", DEMO_SUSPENSE)


def test_lines_already_in_the_books_are_marked_duplicates(tmp_path: Path, config: ImportConfig,
                                                         demo_entries: data.Entries) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY)
    importer = BankStatementImporter(config)
    entries = importer.extract(str(path), demo_entries)
    importer.deduplicate(entries, list(demo_entries))
    fresh = [entry for entry in entries if DUPLICATE not in entry.meta]
    assert len(fresh) == 4  # three January lines and the closing balance
    booked = [entry.meta[DUPLICATE] for entry in entries if DUPLICATE in entry.meta]
    assert len(booked) == len(DECEMBER) and len(set(map(id, booked))) == len(DECEMBER)


def test_two_equal_fees_on_one_day_are_two_lines(tmp_path: Path, config: ImportConfig) -> None:
    lines = following([], ("2013-01-25", "手续费", "揭阳农商银行东山支行", "-10.00"),
                      ("2013-01-25", "手续费", "揭阳农商银行东山支行", "-10.00"))
    path = statement_csv(tmp_path / "s.csv", lines)
    importer = BankStatementImporter(config)
    entries = importer.extract(str(path), [])
    booked = [entries[0]]
    importer.deduplicate(entries, booked)
    assert [DUPLICATE in entry.meta for entry in entries] == [True, False, False]


def test_the_account_comes_from_the_command_line_when_the_file_names_none(
        tmp_path: Path, config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY, account_number=None)
    with pytest.raises(InputError, match="--account"):
        BankStatementImporter(config).account(str(path))
    assert BankStatementImporter(config, SALARY_BANK).account(str(path)) == SALARY_BANK


def test_an_unknown_account_number_is_refused(tmp_path: Path, config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY, account_number="6222 0000 9999")
    with pytest.raises(InputError, match="6222 0000 9999"):
        BankStatementImporter(config).account(str(path))


def _corrupt(path: Path, old: str, new: str) -> Path:
    path.write_bytes(path.read_bytes().decode("gb18030").replace(old, new, 1).encode("gb18030"))
    return path


def test_a_missing_column_names_the_header_row(tmp_path: Path, config: ImportConfig) -> None:
    path = _corrupt(statement_csv(tmp_path / "s.csv", JANUARY), ",余额,", ",结余说明,")
    with pytest.raises(InputError, match="缺少列：余额") as raised:
        BankStatementImporter(config).extract(str(path), [])
    assert raised.value.row == 3


def test_a_text_where_an_amount_should_be_names_row_and_column(tmp_path: Path,
                                                              config: ImportConfig) -> None:
    path = _corrupt(statement_csv(tmp_path / "s.csv", JANUARY), ",50.00,", ",伍拾元,")
    with pytest.raises(InputError, match="伍拾元") as raised:
        BankStatementImporter(config).extract(str(path), [])
    assert (raised.value.row, raised.value.column) == (3 + len(JANUARY), "G（支出金额）")


def test_a_balance_that_does_not_follow_is_refused(tmp_path: Path, config: ImportConfig) -> None:
    path = _corrupt(statement_csv(tmp_path / "s.csv", JANUARY), ",50.00,", ",5.00,")
    with pytest.raises(InputError, match="余额不连续") as raised:
        BankStatementImporter(config).extract(str(path), [])
    assert raised.value.column == "H（余额）"


def test_a_file_that_is_no_statement_is_not_identified(tmp_path: Path,
                                                      config: ImportConfig) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("姓名,电话\n张三,123\n", "utf-8")
    assert not BankStatementImporter(config).identify(str(path))


def test_footer_and_total_rows_are_not_lines(tmp_path: Path, config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY)
    text = path.read_bytes().decode("gb18030")
    footer = ("合计：,,,,,\"60,000.00\",\"7,354.00\",,\n本页小计,,,,,,,,\n"
              "打印日期：2013-02-01,,,,,,,,\n以上信息仅供参考\n")
    path.write_bytes((text + footer).encode("gb18030"))
    entries = BankStatementImporter(config).extract(str(path), [])
    assert len(transactions(entries)) == len(JANUARY)


def test_a_signature_row_reaching_into_the_amount_columns_is_not_a_line(
        tmp_path: Path, config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY)
    text = path.read_bytes().decode("gb18030")
    signed = "制表：林晓燕,,,,,审核：陈主任,,日期：2013年1月31日,\n"
    path.write_bytes((text + signed).encode("gb18030"))
    entries = BankStatementImporter(config).extract(str(path), [])
    assert len(transactions(entries)) == len(JANUARY)


def test_a_signed_row_that_moves_money_is_still_refused(tmp_path: Path,
                                                        config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY)
    text = path.read_bytes().decode("gb18030")
    path.write_bytes((text + "制表：林晓燕,,,,,\"1,000.00\",,,\n").encode("gb18030"))
    with pytest.raises(InputError, match="不是日期"):
        BankStatementImporter(config).extract(str(path), [])


def test_a_line_without_a_date_but_with_money_is_refused(tmp_path: Path,
                                                        config: ImportConfig) -> None:
    path = _corrupt(statement_csv(tmp_path / "s.csv", JANUARY), "2013/01/16", "一月十六")
    with pytest.raises(InputError, match="不是日期") as raised:
        BankStatementImporter(config).extract(str(path), [])
    assert raised.value.column == "A（交易日期）"


def test_one_day_listed_newest_first_is_read_by_its_balances(tmp_path: Path,
                                                             config: ImportConfig) -> None:
    day = following([], ("2013-01-25", "收款一", "甲", "100.00"), ("2013-01-25", "收款二", "乙",
                                                                       "50.00"))
    path = statement_csv(tmp_path / "s.csv", day, newest_first=True)
    entries = BankStatementImporter(config).extract(str(path), [])
    assert [entry.narration for entry in transactions(entries)] == ["收款一", "收款二"]


def test_a_line_of_no_money_is_skipped_and_money_both_ways_refused(tmp_path: Path,
                                                                   config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY)
    zero = f"2013/01/16,09:30:00,冲正,某某咨询公司,,0.00,0.00,{JANUARY[-1].balance},X1"
    text = path.read_bytes().decode("gb18030").replace("\n合计", f"\n{zero}\n合计")
    path.write_bytes(text.encode("gb18030"))
    assert len(transactions(BankStatementImporter(config).extract(str(path), []))) == len(JANUARY)
    path.write_bytes(text.replace(",0.00,0.00,", ",5.00,5.00,").encode("gb18030"))
    with pytest.raises(InputError, match="同时有数"):
        BankStatementImporter(config).extract(str(path), [])


def test_a_statement_of_several_accounts_is_refused(tmp_path: Path, config: ImportConfig) -> None:
    path = tmp_path / "s.csv"
    path.write_text("本方账号,交易日期,摘要,对方户名,收入金额,支出金额,余额,流水号\n"
                    "80020101 00001202,2013-01-05,拨款,东山区管委会,100.00,,,R1\n"
                    "80020101 00001203,2013-01-05,拨款,东山区管委会,100.00,,,R2\n", "utf-8")
    with pytest.raises(InputError, match="多个账号"):
        BankStatementImporter(config, SALARY_BANK).account(str(path))


def test_an_unknown_account_number_is_refused_even_with_account(tmp_path: Path,
                                                                 config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY, account_number="6222 9999 0000 0001")
    with pytest.raises(InputError, match="6222 9999 0000 0001"):
        BankStatementImporter(config, SALARY_BANK).account(str(path))


def test_a_reused_bank_reference_on_another_day_is_another_line(tmp_path: Path,
                                                               config: ImportConfig) -> None:
    january = following([], ("2013-01-05", "拨款", "东山区管委会", "100.00"))
    february = following(january, ("2013-02-05", "拨款", "东山区管委会", "100.00"))
    importer = BankStatementImporter(config)
    first = importer.extract(str(statement_csv(tmp_path / "1.csv", january)), [])
    second = importer.extract(str(statement_csv(tmp_path / "2.csv", february)), [])
    second[1] = second[1]._replace(meta={**second[1].meta, "bank-ref": first[0].meta["bank-ref"]})
    importer.deduplicate(second, first)
    assert [DUPLICATE in entry.meta for entry in second] == [True, False, False]


def test_numbers_in_text_columns_of_a_spreadsheet(tmp_path: Path, config: ImportConfig) -> None:
    path = statement_xlsx(tmp_path / "s.xlsx", JANUARY[-1:], layout="收支两栏")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet["B4"] = Decimal("0.395833333333333")  # 09:30:00 as Excel keeps a time
    sheet["I4"] = 201301160001
    book.save(path)
    [line] = BankStatementImporter(config).statement(str(path)).lines
    assert (line.time, line.ref) == ("09:30:00", "201301160001")
    sheet["I4"] = Decimal("20130116000123456000")
    book.save(path)
    with pytest.raises(InputError, match="末几位已丢失") as raised:
        BankStatementImporter(config).statement(str(path))
    assert raised.value.column == "I（流水号）"


def test_a_damaged_xlsx_is_always_an_input_error(tmp_path: Path, config: ImportConfig) -> None:
    good = statement_xlsx(tmp_path / "good.xlsx", JANUARY).read_bytes()
    for position in range(30, len(good), max(1, len(good) // 60)):
        damaged = tmp_path / f"d{position}.xlsx"
        damaged.write_bytes(good[:position] + bytes([good[position] ^ 0xFF]) +
                            good[position + 1:])
        try:
            BankStatementImporter(config).identify(str(damaged))
        except InputError as error:
            assert str(damaged) in str(error)


def test_dated_subtotals_are_no_lines(tmp_path: Path, config: ImportConfig) -> None:
    path = statement_csv(tmp_path / "s.csv", JANUARY)
    text = path.read_bytes().decode("gb18030").replace(
        "\n合计", '\n2013/01/16,,本日小计,,,,50.00,,\n2013/01/31,,本月合计,,,"60,000.00",'
                  '"7,354.00",,\n合计')
    path.write_bytes(text.encode("gb18030"))
    assert len(transactions(BankStatementImporter(config).extract(str(path), []))) == len(JANUARY)


def test_lines_of_one_moment_that_read_both_ways_are_refused(tmp_path: Path,
                                                            config: ImportConfig) -> None:
    day = following([], ("2013-01-25", "收款", "甲", "500.00"), ("2013-01-25", "退款", "甲",
                                                                 "-500.00"))
    path = statement_csv(tmp_path / "s.csv", day, newest_first=True)
    text = path.read_bytes().decode("gb18030").replace("2013/01/25,09:30:00", "2013/01/25,")
    path.write_bytes(text.encode("gb18030"))
    with pytest.raises(InputError, match="无法确定先后"):
        BankStatementImporter(config).extract(str(path), [])


def test_times_order_the_lines_of_one_day(tmp_path: Path, config: ImportConfig) -> None:
    day = following(JANUARY, ("2013-01-25", "收款", "甲", "500.00"), ("2013-01-25", "退款", "甲",
                                                                       "-500.00"))
    path = statement_csv(tmp_path / "s.csv", day, newest_first=True)
    text = path.read_bytes().decode("gb18030")
    text = text.replace("2013/01/25,09:30:00,收款", "2013/01/25,08:00:00,收款")
    path.write_bytes(text.encode("gb18030"))
    entries = transactions(BankStatementImporter(config).extract(str(path), []))
    assert [entry.narration for entry in entries[-2:]] == ["收款", "退款"]


def test_a_number_in_a_narration_is_kept_as_text(tmp_path: Path, config: ImportConfig) -> None:
    path = statement_xlsx(tmp_path / "s.xlsx", JANUARY[-1:], layout="收支两栏")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet["C4"] = Decimal("3.8")
    book.save(path)
    [line] = BankStatementImporter(config).statement(str(path)).lines
    assert line.narration == "3.8"


FEES = following(DECEMBER, ("2013-01-20", "账户管理费", "", "-10.00"))


def _fee(tmp_path: Path, config: ImportConfig) -> data.Transaction:
    path = statement_csv(tmp_path / "s.csv", FEES)
    return transactions(BankStatementImporter(config).extract(str(path), []))[-1]


def test_a_rule_with_evidence_gives_the_line_its_bank_slip_as_evidence(
        tmp_path: Path, config: ImportConfig) -> None:
    rules = [rule if "手续费" not in rule.pattern.pattern else
             dataclasses.replace(rule, evidence="receipt") for rule in config.rules]
    fee = _fee(tmp_path, dataclasses.replace(config, rules=rules))
    assert fee.postings[1].account == "Expenses:5301-筹资费用:社工薪酬:银行手续费"
    assert fee.meta["receipt"] == fee.meta["bank-ref"] == FEES[-1].ref


def test_a_rule_without_evidence_gives_the_line_none(tmp_path: Path,
                                                     config: ImportConfig) -> None:
    fee = _fee(tmp_path, config)
    assert fee.postings[1].account == "Expenses:5301-筹资费用:社工薪酬:银行手续费"
    assert "receipt" not in fee.meta
