"""已承诺 and 可用余额: what the open contracts commit per fund and budget line, cross-checked
against a count made here from the entries alone, and the funds' months for the chart."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data

from ledger.model.books import read_books
from ledger.model.summary import FundSummary, fund_figures, summarize_funds
from tests.helpers import HEADER

BOOKS = HEADER + """\
2012-01-01 open Liabilities:Construction:Payable CNY
  fund: "construction"
2012-01-01 custom "budget" Expenses:Construction:Equipment "yearly" 400000.00 CNY
2012-03-01 custom "contract" "HT-001" "construction" 300000.00 CNY
  payee: "装饰公司"
  account: Expenses:Construction:Equipment
  retention: 0.05
  retention-until: 2013-06-30
2012-04-01 * "装饰公司" "首期款"
  contract: "HT-001"
  Expenses:Construction:Equipment   100000.00 CNY
  Assets:Bank:Construction         -100000.00 CNY
2012-05-01 custom "contract" "HT-002" "construction" 20000.00 CNY
  payee: "专家"
  account: Expenses:Construction:Expert
2012-05-20 * "专家" "咨询费，一次付清"
  contract: "HT-002"
  Expenses:Construction:Expert   20000.00 CNY
  Assets:Bank:Construction      -20000.00 CNY
2012-06-01 * "装饰公司" "二期工程量确认，未付"
  contract: "HT-001"
  Expenses:Construction:Equipment   50000.00 CNY
  Liabilities:Construction:Payable -50000.00 CNY
2012-06-15 * "文具店" "办公用品（无合同）"
  Expenses:Construction:Equipment    3000.00 CNY
  Assets:Bank:Construction          -3000.00 CNY
2012-07-01 custom "contract" "HT-001" "construction" 320000.00 CNY
  payee: "装饰公司"
  account: Expenses:Construction:Equipment
  retention: 0.05
  retention-until: 2013-06-30
2012-08-01 custom "contract" "HT-003" "operating" 8000.00 CNY
  payee: "印刷厂"
  account: Expenses:Operating:Publicity
2012-09-01 * "印刷厂" "宣传册"
  contract: "HT-003"
  Expenses:Operating:Publicity   2000.00 CNY
  Assets:Bank:Operating         -2000.00 CNY
"""

# contract: on postings: two contracts quoted on their costs in one payment, partly on a
# payable (the bank's 6000.00 goes to the first quoted), a refund quoted on its cost, and the
# payable paid off quoting the contract on the Liabilities posting
POSTING_QUOTES = """\
2012-10-01 custom "contract" "HT-004" "construction" 10000.00 CNY
  payee: "设备公司"
  account: Expenses:Construction:Equipment
  retention: 0.10
  retention-until: 2012-12-31
2012-10-10 * "设备公司" "两份合同的货款，一部分挂账"
  Expenses:Construction:Equipment   6000.00 CNY
    contract: "HT-004"
  Expenses:Construction:Equipment   4000.00 CNY
    contract: "HT-001"
  Liabilities:Construction:Payable -4000.00 CNY
  Assets:Bank:Construction         -6000.00 CNY
2012-10-20 * "设备公司" "退款"
  Expenses:Construction:Equipment  -1000.00 CNY
    contract: "HT-004"
  Assets:Bank:Construction          1000.00 CNY
2012-11-01 * "装饰公司" "付清挂账款"
  Liabilities:Construction:Payable 54000.00 CNY
    contract: "HT-001"
  Assets:Bank:Construction        -54000.00 CNY
"""

DATES = [datetime.date(2012, 3, 31), datetime.date(2012, 5, 15), datetime.date(2012, 6, 30),
         datetime.date(2012, 12, 31)]


def _entries(text: str = BOOKS) -> data.Directives:
    entries, errors, _ = loader.load_string(text)
    assert errors == [], errors
    return entries


def _figures(text: str, as_of: datetime.date) -> dict[str, FundSummary]:
    entries, errors, options = loader.load_string(text)
    assert errors == [], errors
    return {summary.fund: summary
            for summary in summarize_funds(read_books(entries, options), 2012, as_of)}


def _expected(entries: data.Directives, as_of: datetime.date,
              ) -> tuple[dict[str, Decimal], dict[str, Decimal], dict[str, Decimal],
                         dict[str, Decimal]]:
    """Per budget line: its cap, what is spent under it and what its contracts still commit,
    and per fund what its contracts commit, counted from the entries without the model."""
    caps: dict[str, Decimal] = {}
    sums: dict[str, tuple[str, str | None, Decimal]] = {}  # number: fund, account, sum
    spent: dict[str, Decimal] = defaultdict(Decimal)
    charged: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if entry.date > as_of:
            break
        if isinstance(entry, data.Custom) and entry.type == "budget":
            caps[entry.values[0].value] = entry.values[2].value.number
        elif isinstance(entry, data.Custom) and entry.type == "contract":
            sums[entry.values[0].value] = (entry.values[1].value, entry.meta.get("account"),
                                           entry.values[2].value.number)
        elif isinstance(entry, data.Transaction):
            for posting in entry.postings:
                if posting.account.startswith("Expenses:"):
                    assert posting.units is not None and posting.units.number is not None
                    spent[posting.account] += posting.units.number
                    number = (posting.meta or {}).get("contract", entry.meta.get("contract"))
                    if number is not None:
                        charged[number] += posting.units.number
    line_spent = {line: sum((amount for account, amount in spent.items()
                             if account == line or account.startswith(line + ":")), Decimal(0))
                  for line in caps}
    line_committed: dict[str, Decimal] = defaultdict(Decimal)
    fund_committed: dict[str, Decimal] = defaultdict(Decimal)
    for number, (fund, account, amount) in sums.items():
        left = max(Decimal(0), amount - charged[number])
        fund_committed[fund] += left
        for line in caps:
            if account is not None and (account == line or account.startswith(line + ":")):
                line_committed[line] += left
    return caps, line_spent, line_committed, fund_committed


@pytest.mark.parametrize("text", [BOOKS, BOOKS + POSTING_QUOTES], ids=["books", "postings"])
@pytest.mark.parametrize("as_of", DATES)
def test_every_lines_available_is_its_cap_less_spent_and_committed(as_of: datetime.date,
                                                                   text: str) -> None:
    caps, spent, committed, fund_committed = _expected(_entries(text), as_of)
    figures = _figures(text, as_of)
    lines = {line.account: line for summary in figures.values() for line in summary.lines}
    assert set(lines) == set(caps)
    for account, line in lines.items():
        assert (line.budget, line.spent, line.committed) == (
            caps[account], spent[account], committed[account]), account
        assert line.available == caps[account] - spent[account] - committed[account]
    for fund, summary in figures.items():
        assert summary.committed == fund_committed[fund], fund
        assert summary.available == summary.budget - summary.spent - summary.committed


def test_the_commitment_follows_the_contract_through_the_year() -> None:
    line = "Expenses:Construction:Equipment"

    def equipment(as_of: datetime.date) -> tuple[Decimal, Decimal]:
        [found] = [item for item in _figures(BOOKS, as_of)["construction"].lines
                   if item.account == line]
        return found.committed, found.available

    assert equipment(datetime.date(2012, 2, 29)) == (Decimal(0), Decimal("400000.00"))
    assert equipment(datetime.date(2012, 3, 1)) == (Decimal("300000.00"), Decimal("100000.00"))
    # charged 150000 (paid or booked to the payable): committed 150000; 3000 without contract
    assert equipment(datetime.date(2012, 6, 30)) == (Decimal("150000.00"), Decimal("97000.00"))
    # the change to 320000 commits 20000 more
    assert equipment(datetime.date(2012, 7, 1)) == (Decimal("170000.00"), Decimal("77000.00"))


def test_each_contract_is_kept_with_its_fund_and_figures() -> None:
    figures = _figures(BOOKS, datetime.date(2012, 12, 31))
    contracts = {item.number: item for summary in figures.values()
                 for item in summary.contracts}
    assert list(contracts) == ["HT-001", "HT-002", "HT-003"]
    first = contracts["HT-001"]
    assert (first.fund, first.payee, first.line, first.amount, first.charged, first.paid,
            first.committed, first.status) == (
        "construction", "装饰公司", "Expenses:Construction:Equipment", Decimal("320000.00"),
        Decimal("150000.00"), Decimal("100000.00"), Decimal("170000.00"), "open")
    assert (first.retention, first.retention_until, first.retention_due) == (
        Decimal("0.05"), datetime.date(2013, 6, 30), Decimal("16000.0000"))
    assert (contracts["HT-002"].status, contracts["HT-002"].committed) == ("paid", Decimal(0))
    third = contracts["HT-003"]
    assert (third.account, third.line, third.committed) == (
        "Expenses:Operating:Publicity", "Expenses:Operating", Decimal("6000.00"))
    assert figures["operating"].committed == Decimal("6000.00")
    # the line above its account counts it
    assert [(line.account, line.committed) for line in figures["operating"].lines] == [
        ("Expenses:Operating", Decimal("6000.00"))]


def test_what_is_paid_under_contracts_quoted_on_postings_is_what_the_bank_gave() -> None:
    figures = _figures(BOOKS + POSTING_QUOTES, datetime.date(2012, 12, 31))
    contracts = {item.number: item for item in figures["construction"].contracts}
    first, fourth = contracts["HT-001"], contracts["HT-004"]
    # HT-001: 100000.00 in April, nothing of October's bank payment (HT-004's, quoted first),
    # 54000.00 when its payable is paid off: paid all it was charged
    assert (first.charged, first.paid) == (Decimal("154000.00"), Decimal("154000.00"))
    # HT-004: 6000.00 paid, 1000.00 refunded
    assert (fourth.charged, fourth.paid, fourth.retention_due) == (
        Decimal("5000.00"), Decimal("5000.00"), Decimal("0.00"))
    # what left the bank, net, under the contracts: all but the 3000.00 without one
    assert sum(item.paid for item in contracts.values()) == Decimal("179000.00")


def test_an_overrun_contract_commits_nothing_and_says_so() -> None:
    figures = _figures(BOOKS + """\
2012-10-01 * "专家" "追加咨询费"
  contract: "HT-002"
  Expenses:Construction:Expert   500.00 CNY
  Assets:Bank:Construction      -500.00 CNY
""", datetime.date(2012, 12, 31))
    [second] = [item for item in figures["construction"].contracts if item.number == "HT-002"]
    assert (second.status, second.committed, second.charged) == (
        "overrun", Decimal(0), Decimal("20500.00"))


def test_books_without_contracts_commit_nothing() -> None:
    """Decoy: a transaction quoting a number no contract declares commits nothing."""
    figures = _figures(HEADER + """\
2012-04-01 * "装饰公司" "首期款"
  contract: "HT-404"
  Expenses:Construction:Equipment   100.00 CNY
  Assets:Bank:Construction         -100.00 CNY
""", datetime.date(2012, 12, 31))
    for summary in figures.values():
        assert summary.committed == 0 and summary.contracts == []
        assert summary.available == summary.remaining
        assert all(line.available == line.remaining for line in summary.lines)


def test_the_months_of_a_fund_add_up_to_its_figures() -> None:
    entries, errors, options = loader.load_string(BOOKS)
    assert errors == []
    books = read_books(entries, options)
    [summary] = [item for item in summarize_funds(books, 2012, datetime.date(2012, 9, 15),
                                                  months=True)
                 if item.fund == "construction"]
    assert [month.month for month in summary.months] == [f"2012-{m:02}" for m in range(1, 10)]
    last = summary.months[-1]
    assert (last.spent, last.committed, last.budget) == (
        summary.spent, summary.committed, summary.budget)
    march, june, july = summary.months[2], summary.months[5], summary.months[6]
    assert (march.spent, march.committed) == (Decimal(0), Decimal("300000.00"))
    assert (june.spent, june.committed) == (Decimal("173000.00"), Decimal("150000.00"))
    assert july.spent_and_committed == Decimal("343000.00")
    assert {month.budget for month in summary.months} == {Decimal("1000000.00")}


def test_the_figures_without_the_chart_s_months() -> None:
    entries, errors, options = loader.load_string(BOOKS)
    assert errors == []
    books = read_books(entries, options)
    plain = fund_figures(books, datetime.date(2012, 9, 15), months=False)
    charted = fund_figures(books, datetime.date(2012, 9, 15))
    assert [summary.months for summary in plain] == [[]] * len(plain)
    assert all(summary.months for summary in charted)
    assert [(s.fund, s.committed, s.available) for s in plain] == [
        (s.fund, s.committed, s.available) for s in charted]
