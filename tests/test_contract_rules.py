"""超合同付款, 提前支付质保金, 合同未登记 and 超预算签约: payments and signings judged against
the contracts the books register, with the decoys that must stay quiet."""

from __future__ import annotations

import datetime
import itertools
import textwrap
from decimal import Decimal

from beancount import loader
from beancount.core import data

from ledger.model.books import read_books
from ledger.model.contracts import committed_by_line, contract_moves, contract_positions
from ledger.model.findings import Severity
from ledger.model.summary import summarize_funds
from ledger.model.voucher import read_voucher
from tests.helpers import HEADER, findings_of

# A header whose only budget lines are the ones a test declares.
BARE = "\n".join(line for line in HEADER.splitlines() if '"budget"' not in line) + "\n"
VOUCHERS = itertools.count(1)


def contract(date: str, amount: str, number: str = "HT-001",
             account: str = "Expenses:Construction:Equipment", retention: str = "") -> str:
    extra = f"\n  retention: {retention}\n  retention-until: 2012-12-31" if retention else ""
    return (f'{date} custom "contract" "{number}" "construction" {amount} CNY\n'
            f'  payee: "设备公司"\n  account: {account}{extra}\n')


def pay(date: str, amount: str, number: str = "HT-001",
        account: str = "Expenses:Construction:Equipment") -> str:
    """A payment under the contract, charged to its costs at once (negative: a refund)."""
    return f"""
        {date} * "设备公司" "合同款"
          voucher: "记-{next(VOUCHERS):04d}"
          contract: "{number}"
          {account}   {amount} CNY
          Assets:Bank:Construction
    """


def spend(date: str, amount: str, account: str = "Expenses:Construction:Equipment") -> str:
    """Spending under no contract."""
    return f"""
        {date} * "文具店" "办公用品"
          invoice: "F-{next(VOUCHERS):04d}"
          {account}   {amount} CNY
          Assets:Bank:Construction
    """


def found(*parts: str, header: str = HEADER) -> list[tuple[str, datetime.date]]:
    return [(f.rule, f.date) for f in findings_of(*parts, header=header)]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# contract-overrun

def test_charging_beyond_the_sum_is_an_overrun_on_every_payment_beyond_it() -> None:
    # the crossing payment takes 500.00 beyond the sum, the next one all of its 100.00
    findings = findings_of(contract("2012-03-01", "10000.00"), pay("2012-04-01", "6000.00"),
                           pay("2012-05-01", "4500.00"), pay("2012-06-01", "100.00"))
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("contract-overrun", day("2012-05-01"), Decimal("500.00")),
        ("contract-overrun", day("2012-06-01"), Decimal("100.00"))]
    finding = findings[0]
    assert finding.severity is Severity.ERROR and finding.fund == "construction"
    assert "HT-001" in finding.message
    assert "10000.00" in finding.message and "10500.00" in finding.message
    assert "10600.00" in findings[1].message and "本笔超出 100.00" in findings[1].message


def test_after_a_refund_back_under_the_sum_only_what_goes_beyond_again_is_reported() -> None:
    findings = findings_of(contract("2012-03-01", "10000.00"), pay("2012-04-01", "10300.00"),
                           pay("2012-05-01", "-500.00"), pay("2012-06-01", "300.00"),
                           pay("2012-07-01", "500.00"))
    # 10300.00, back to 9800.00, then 10100.00 (100.00 beyond) and 10600.00 (500.00 more)
    assert [(f.date, f.amount) for f in findings] == [
        (day("2012-04-01"), Decimal("300.00")), (day("2012-06-01"), Decimal("100.00")),
        (day("2012-07-01"), Decimal("500.00"))]


def test_a_change_raising_the_sum_takes_in_part_of_an_overrun() -> None:
    # 12000.00 charged on 10000.00 (2000.00 over); raised to 11000.00, then 500.00 more
    findings = findings_of(contract("2012-03-01", "10000.00"), pay("2012-04-01", "12000.00"),
                           contract("2012-05-01", "11000.00"), pay("2012-06-01", "500.00"))
    assert [(f.date, f.amount) for f in findings] == [
        (day("2012-04-01"), Decimal("2000.00")), (day("2012-06-01"), Decimal("500.00"))]


def test_decoy_a_payment_lowering_the_excess_is_not_reported_again() -> None:
    assert [f.date for f in findings_of(
        contract("2012-03-01", "10000.00"), pay("2012-04-01", "10300.00"),
        pay("2012-05-01", "-100.00"), contract("2012-06-01", "10250.00"))] == [
        day("2012-04-01")]


def test_decoy_a_contract_paid_exactly_to_its_sum() -> None:
    assert found(contract("2012-03-01", "10000.00"), pay("2012-04-01", "6000.00"),
                 pay("2012-05-01", "4000.00")) == []


def test_decoy_a_change_raising_the_sum_before_the_extra_payment() -> None:
    # the 补充协议 is dated the day of the extra payment: it counts before that day's payments
    assert found(contract("2012-03-01", "10000.00"), pay("2012-04-01", "10000.00"),
                 pay("2012-06-01", "2000.00"), contract("2012-06-01", "12000.00")) == []


def test_a_change_after_the_extra_payment_comes_too_late() -> None:
    assert found(contract("2012-03-01", "10000.00"), pay("2012-04-01", "10000.00"),
                 pay("2012-06-01", "2000.00"), contract("2012-06-02", "12000.00")) == [
        ("contract-overrun", day("2012-06-01"))]


def test_a_change_lowering_the_sum_below_what_was_charged_is_an_overrun_on_it() -> None:
    findings = findings_of(contract("2012-03-01", "10000.00"), pay("2012-04-01", "8000.00"),
                           contract("2012-06-01", "7000.00"))
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("contract-overrun", day("2012-06-01"), Decimal("1000.00"))]
    assert isinstance(findings[0].entry, data.Custom)


def test_decoy_a_change_lowering_the_sum_on_the_day_of_a_refund() -> None:
    # the refund and the 补充协议 of one day: the change is judged once the day is in
    assert found(contract("2012-03-01", "10000.00"), pay("2012-04-01", "10000.00"),
                 contract("2012-06-01", "9500.00"), pay("2012-06-01", "-500.00")) == []


def test_a_change_lowering_the_sum_below_a_later_days_refund_is_an_overrun() -> None:
    assert found(contract("2012-03-01", "10000.00"), pay("2012-04-01", "10000.00"),
                 contract("2012-06-01", "9500.00"), pay("2012-06-02", "-500.00")) == [
        ("contract-overrun", day("2012-06-01"))]


def test_decoy_a_refund_under_the_contract_makes_room_again() -> None:
    assert found(contract("2012-03-01", "10000.00"), pay("2012-04-01", "10000.00"),
                 pay("2012-05-01", "-800.00"), pay("2012-06-01", "800.00")) == []


# retention-paid-early

def test_paying_into_the_retention_before_it_is_due_is_early() -> None:
    findings = findings_of(contract("2012-03-01", "10000.00", retention="0.05"),
                           pay("2012-04-01", "9500.00"), pay("2012-12-30", "500.00"))
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("retention-paid-early", day("2012-12-30"), Decimal("500.00"))]
    message = findings[0].message
    assert "5%" in message and "2012-12-31" in message and "9500.00" in message


def test_decoy_retention_paid_on_its_date() -> None:
    assert found(contract("2012-03-01", "10000.00", retention="0.05"),
                 pay("2012-04-01", "9500.00"), pay("2012-12-31", "500.00")) == []


def test_decoy_a_refund_before_the_retention_is_due_is_not_early() -> None:
    assert found(contract("2012-03-01", "10000.00", retention="0.05"),
                 pay("2012-04-01", "9500.00"), pay("2012-05-01", "-300.00"),
                 pay("2012-06-01", "300.00")) == []


def test_a_cost_booked_to_a_payable_is_charged_but_not_yet_paid() -> None:
    # the whole sum booked as a payable is no early retention; paying all of it is
    signed = contract("2012-03-01", "10000.00", retention="0.05")
    body = """
        2012-04-01 open Liabilities:Construction:Payable CNY
          fund: "construction"
        2012-04-01 * "设备公司" "设备验收，确认应付"
          contract: "HT-001"
          Expenses:Construction:Equipment   10000.00 CNY
          Liabilities:Construction:Payable
        2012-05-01 * "设备公司" "支付设备款（未扣质保金）"
          contract: "HT-001"
          Liabilities:Construction:Payable  10000.00 CNY
          Assets:Bank:Construction
    """
    assert found(signed, body) == [("retention-paid-early", day("2012-05-01"))]


# unregistered-contract

def test_a_payment_quoting_an_undeclared_contract_is_a_warning() -> None:
    findings = findings_of(contract("2012-03-01", "10000.00"), pay("2012-04-01", "100.00"),
                           pay("2012-05-01", "100.00", number="HT-999"))
    assert [(f.rule, f.date, f.severity) for f in findings] == [
        ("unregistered-contract", day("2012-05-01"), Severity.WARNING)]
    assert "HT-999" in findings[0].message


def test_a_contract_quoted_on_a_posting_is_judged_too() -> None:
    signed = contract("2012-03-01", "10000.00")
    body = """
        2012-05-01 * "设备公司" "合同款"
          Expenses:Construction:Equipment   100.00 CNY
            contract: "HT-998"
          Assets:Bank:Construction
    """
    assert found(signed, body) == [("unregistered-contract", day("2012-05-01"))]


def test_an_unregistered_quote_gives_what_it_charges_and_guesses_the_contract() -> None:
    # the payee 设备公司 has HT-001 with the construction fund: the typo HT-01 is likely it
    findings = findings_of(contract("2012-03-01", "10000.00"),
                           pay("2012-05-01", "2500.00", number="HT-01"))
    assert [(f.rule, f.amount, f.currency) for f in findings] == [
        ("unregistered-contract", Decimal("2500.00"), "CNY")]
    assert "是否为 HT-001？" in findings[0].message and "is it HT-001?" in findings[0].message
    assert findings[0].to_json()["amount"] == "2500.00"


def test_decoy_no_guess_for_another_payee_or_another_fund() -> None:
    other_payee = """
        2012-05-01 * "装修公司" "合同款"
          contract: "HT-01"
          Expenses:Construction:Equipment   2500.00 CNY
          Assets:Bank:Construction
    """
    other_fund = """
        2012-05-01 * "设备公司" "宣传品"
          contract: "HT-02"
          Expenses:Operating:Publicity   300.00 CNY
          Assets:Bank:Operating
    """
    findings = findings_of(contract("2012-03-01", "10000.00"), other_payee, other_fund)
    assert [f.rule for f in findings] == ["unregistered-contract"] * 2
    assert not [f for f in findings if "是否为" in f.message or "is it" in f.message]
    assert [f.fund for f in findings] == ["construction", "operating"]


def test_an_unregistered_quote_on_a_payable_payment_gives_what_it_pays() -> None:
    body = """
        2012-05-01 * "设备公司" "支付应付款"
          contract: "HT-77"
          Liabilities:Operating:Payable   800.00 CNY
          Assets:Bank:Operating
    """
    [finding] = findings_of(contract("2012-03-01", "10000.00"), body)
    assert (finding.rule, finding.amount, finding.fund) == (
        "unregistered-contract", Decimal("800.00"), "operating")


def test_a_payment_of_one_fund_quoting_another_fund_s_contract_is_a_warning() -> None:
    body = """
        2012-05-01 * "设备公司" "宣传品"
          contract: "HT-001"
          Expenses:Operating:Publicity   300.00 CNY
          Assets:Bank:Operating
    """
    findings = findings_of(contract("2012-03-01", "10000.00"), body)
    assert [(f.rule, f.severity, f.fund, f.amount) for f in findings] == [
        ("unregistered-contract", Severity.WARNING, "operating", Decimal("300.00"))]
    assert "合同 HT-001 属于专项 construction" in findings[0].message


def test_decoy_a_transfer_between_the_contract_s_fund_and_another_is_not_warned_here() -> None:
    # the construction fund's own payment (with an approved cross-fund move) quoting its
    # contract: the contract's fund takes part, so it is no quote of another fund's contract
    body = """
        2012-05-01 * "设备公司" "合同款"
          contract: "HT-001"
          approval: "东管〔2012〕31号"
          Expenses:Construction:Equipment   300.00 CNY
          Assets:Bank:Operating
    """
    assert "unregistered-contract" not in [f.rule for f in findings_of(
        contract("2012-03-01", "10000.00"), body)]


def test_decoy_books_that_register_no_contract_use_contract_as_evidence() -> None:
    assert found(pay("2012-05-01", "100.00", number="HT-999")) == []


# over-commitment

LINE = '2012-01-01 custom "budget" Expenses:Construction:Equipment "yearly" 100000.00 CNY\n'


def test_a_contract_signed_beyond_the_line_s_available_is_over_commitment() -> None:
    findings = findings_of(LINE, spend("2012-02-01", "30000.00"),
                           contract("2012-03-01", "60000.00", "HT-A"),
                           contract("2012-04-01", "20000.00", "HT-B"), header=BARE)
    over = [f for f in findings if f.rule == "over-commitment"]
    assert [(f.date, f.amount, f.budget_line) for f in over] == [
        (day("2012-04-01"), Decimal("10000.00"), "Expenses:Construction:Equipment")]
    message = over[0].message
    # cap 100000, spent 30000, HT-A commits 60000: 10000 available for HT-B's 20000
    for figure in ("100000.00", "30000.00", "60000.00", "10000.00", "20000.00"):
        assert figure in message
    assert "HT-B" in message


def test_decoy_two_contracts_that_fit_the_line_only_together() -> None:
    assert found(LINE, contract("2012-03-01", "60000.00", "HT-A"),
                 contract("2012-04-01", "40000.00", "HT-B"), pay("2012-05-01", "60000.00",
                                                                 "HT-A"),
                 pay("2012-06-01", "40000.00", "HT-B"), header=BARE) == []


def test_what_a_contract_has_charged_no_longer_commits() -> None:
    # HT-A paid 50000 of its 60000: it commits 10000 more, spending is 50000: 40000 left
    assert found(LINE, contract("2012-03-01", "60000.00", "HT-A"),
                 pay("2012-04-01", "50000.00", "HT-A"),
                 contract("2012-05-01", "40000.00", "HT-B"), header=BARE) == []
    assert found(LINE, contract("2012-03-01", "60000.00", "HT-A"),
                 pay("2012-04-01", "50000.00", "HT-A"),
                 contract("2012-05-01", "40000.01", "HT-B"), header=BARE) == [
        ("over-commitment", day("2012-05-01"))]


def test_a_change_raising_the_sum_beyond_what_is_left_is_over_commitment() -> None:
    assert found(LINE, contract("2012-03-01", "90000.00"),
                 contract("2012-05-01", "95000.00"),
                 contract("2012-06-01", "100000.01"), header=BARE) == [
        ("over-commitment", day("2012-06-01"))]


MONTHLY = '2012-01-01 custom "budget" Expenses:Construction:Equipment "monthly" 10000.00 CNY\n'


def test_decoy_a_change_lowering_the_sum_is_not_judged_again() -> None:
    # signed in March within March's cap; lowered in April, once April's cap is spent
    assert found(MONTHLY, contract("2012-03-01", "9000.00"), spend("2012-04-02", "1000.00"),
                 contract("2012-04-03", "8000.00"), header=BARE) == []
    assert found(MONTHLY, contract("2012-03-01", "9000.00"), spend("2012-04-02", "1000.00"),
                 contract("2012-04-03", "9000.01"), header=BARE) == [
        ("over-commitment", day("2012-04-03"))]


def test_a_signing_counts_before_the_spending_of_its_own_day() -> None:
    assert found(LINE, spend("2012-03-01", "50000.00"),
                 contract("2012-03-01", "60000.00"), header=BARE) == []


def test_commitments_count_in_every_later_period_until_paid() -> None:
    assert found(MONTHLY, contract("2012-03-01", "8000.00", "HT-A"),
                 contract("2012-05-01", "3000.00", "HT-B"), header=BARE) == [
        ("over-commitment", day("2012-05-01"))]


def test_a_contract_no_line_covers_in_its_currency_commits_against_nothing() -> None:
    # a CNY contract under a line capped in HKD only: its account has no CNY budget, as
    # spending on it would be unbudgeted; judged against an available balance of 0
    hkd = '2012-01-01 custom "budget" Expenses:Construction:Equipment "yearly" 100.00 HKD\n'
    findings = findings_of(hkd, contract("2012-03-01", "60000.00"), header=BARE)
    assert [(f.rule, f.amount, f.budget_line, f.severity) for f in findings] == [
        ("over-commitment", Decimal("60000.00"), None, Severity.ERROR)]
    assert "无 CNY 有效预算" in findings[0].message and "0.00" in findings[0].message


def test_a_contract_on_an_account_without_any_budget_line_is_over_commitment() -> None:
    findings = findings_of(contract("2012-03-01", "6000.00", account="Expenses:Construction:"
                                    "Equipment"), header=BARE)
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("over-commitment", day("2012-03-01"), Decimal("6000.00"))]
    assert "Expenses:Construction:Equipment" in findings[0].message


def test_decoy_a_contract_covered_by_a_line_above_its_account_or_starting_that_day() -> None:
    above = '2012-03-01 custom "budget" Expenses:Construction "yearly" 10000.00 CNY\n'
    assert found(above, contract("2012-03-01", "6000.00"), header=BARE) == []



def test_a_line_above_counts_the_contracts_of_the_lines_below() -> None:
    lines = ('2012-01-01 custom "budget" Expenses:Construction "yearly" 100000.00 CNY\n'
             '2012-01-01 custom "budget" Expenses:Construction:Expert "yearly" 80000.00 CNY\n')
    findings = findings_of(lines, contract("2012-03-01", "50000.00", "HT-A"),
                           contract("2012-04-01", "60000.00", "HT-B",
                                    account="Expenses:Construction:Expert"), header=BARE)
    assert [(f.rule, f.date, f.budget_line, f.amount) for f in findings] == [
        ("over-commitment", day("2012-04-01"), "Expenses:Construction", Decimal("10000.00"))]


def test_committed_by_line_counts_on_every_covering_line() -> None:
    lines = ('2012-01-01 custom "budget" Expenses:Construction "yearly" 100000.00 CNY\n'
             '2012-01-01 custom "budget" Expenses:Construction:Expert "yearly" 80000.00 CNY\n')
    text = BARE + "".join(textwrap.dedent(part).strip("\n") + "\n" for part in (
        lines, contract("2012-03-01", "50000.00", "HT-A"),
        contract("2012-04-01", "60000.00", "HT-B", account="Expenses:Construction:Expert"),
        pay("2012-05-01", "10000.00", "HT-B", account="Expenses:Construction:Expert")))
    entries, errors, options_map = loader.load_string(text)
    assert errors == []
    books = read_books(entries, options_map)
    moves = [move for transaction in books.transactions
             for move in contract_moves(transaction, read_voucher(
                 transaction, books.kinds, books.account_types).legs, books.model.contracts,
                 books.account_types)]
    positions = contract_positions(books.model.contracts, moves, day("2012-12-31"))
    assert committed_by_line(positions, books.model.budgets) == {
        ("Expenses:Construction", "CNY"): Decimal("100000.00"),
        ("Expenses:Construction:Expert", "CNY"): Decimal("50000.00")}


def test_a_change_restating_only_the_sum_is_judged_on_the_contract_s_line() -> None:
    change = '2012-06-01 custom "contract" "HT-001" "construction" 100000.01 CNY\n'
    findings = findings_of(LINE, contract("2012-03-01", "90000.00"), change, header=BARE)
    assert [(f.rule, f.date, f.budget_line, f.amount) for f in findings] == [
        ("over-commitment", day("2012-06-01"), "Expenses:Construction:Equipment",
         Decimal("0.01"))]
    # the change says what it adds: 10000.01 more than the 90000.00 committed, with 10000.00
    # left on the line beside it
    message = findings[0].message
    assert "补充协议增加承诺 10000.01 CNY（由 90000.00 增至 100000.01）" in message
    assert "可用余额 10000.00 CNY" in message and "超出 0.01 CNY" in message


def test_a_change_restating_only_the_sum_counts_on_the_line_as_in_the_fund() -> None:
    change = '2012-06-01 custom "contract" "HT-001" "construction" 95000.00 CNY\n'
    text = BARE + LINE + contract("2012-03-01", "90000.00") + change
    entries, errors, options_map = loader.load_string(text)
    assert errors == []
    [summary] = [summary for summary in summarize_funds(read_books(entries, options_map), 2012,
                                                        day("2012-06-30"))
                 if summary.fund == "construction"]
    [line] = summary.lines
    assert line.committed == summary.committed == Decimal("95000.00")
    [row] = summary.contracts
    assert (row.payee, row.account) == ("设备公司", "Expenses:Construction:Equipment")


def test_a_warned_line_makes_over_commitment_a_warning_an_ignored_one_none() -> None:
    signed = contract("2012-03-01", "120000.00")
    for action, expected in (("warn", [Severity.WARNING]), ("ignore", []),
                             ("stop", [Severity.ERROR])):
        controlled = LINE + f'  action: "{action}"\n'
        assert [f.severity for f in findings_of(controlled, signed, header=BARE)
                if f.rule == "over-commitment"] == expected, action


def test_a_stopped_line_above_an_ignored_one_still_judges_the_contract() -> None:
    lines = ('2012-01-01 custom "budget" Expenses:Construction "yearly" 100000.00 CNY\n'
             '2012-01-01 custom "budget" Expenses:Construction:Equipment "yearly" 10.00 CNY\n'
             '  action: "ignore"\n')
    assert [(f.rule, f.budget_line, f.amount) for f in findings_of(
        lines, contract("2012-03-01", "100000.01"), header=BARE)] == [
        ("over-commitment", "Expenses:Construction", Decimal("0.01"))]
    assert found(lines, contract("2012-03-01", "100000.00"), header=BARE) == []
