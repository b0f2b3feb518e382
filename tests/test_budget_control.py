"""Budget control on a line: action (stop/warn/ignore), alert (预算预警) and accumulate (the year
to date), the budget-alert policy, and the figures cross-checked against an independent
recomputation from the entries."""

from __future__ import annotations

import datetime
import itertools
import json
import random
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from click.testing import CliRunner

from ledger.cli.check import check_funds
from ledger.model.books import read_books
from ledger.model.findings import Finding, Severity
from ledger.model.summary import summarize_funds
from ledger.rules import run_rules
from tests.helpers import HEADER, findings_of

BARE = "\n".join(line for line in HEADER.splitlines() if '"budget"' not in line) + "\n"
ACCOUNT = "Expenses:Construction:Expert"
PAYABLE = "Liabilities:Construction:Payable"
INVOICES = itertools.count(1)


def line(period: str, amount: str, date: str = "2012-01-01", *meta: str) -> str:
    extra = "".join(f"\n  {item}" for item in meta)
    return f'{date} custom "budget" {ACCOUNT} "{period}" {amount} CNY{extra}\n'


def spend(date: str, amount: str, account: str = ACCOUNT) -> str:
    return f"""
        {date} * "专家" "辅导费"
          invoice: "S-{next(INVOICES):04d}"
          Assets:Bank:Construction   -{amount} CNY
          {account}   {amount} CNY
    """


def found(*parts: str) -> list[tuple[str, datetime.date]]:
    return [(f.rule, f.date) for f in findings_of(*parts, header=BARE)]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# action

def test_a_warned_line_over_budget_is_a_warning() -> None:
    findings = findings_of(line("yearly", "1000.00", "2012-01-01", 'action: "warn"'),
                           spend("2012-03-01", "1200.00"), header=BARE)
    assert [(f.rule, f.severity, f.amount) for f in findings] == [
        ("over-budget", Severity.WARNING, Decimal("200.00"))]
    assert findings[0].to_json()["severity"] == "warning"


def test_a_stopped_line_over_budget_is_an_error_as_before() -> None:
    for meta in ((), ('action: "stop"',)):
        findings = findings_of(line("yearly", "1000.00", "2012-01-01", *meta),
                               spend("2012-03-01", "1200.00"), header=BARE)
        assert [(f.rule, f.severity) for f in findings] == [("over-budget", Severity.ERROR)]


def test_an_ignored_line_over_budget_gives_no_finding() -> None:
    assert found(line("yearly", "1000.00", "2012-01-01", 'action: "ignore"'),
                 spend("2012-03-01", "1200.00")) == []


def test_the_action_of_the_directive_in_force_applies() -> None:
    warned = line("yearly", "1000.00", "2012-01-01", 'action: "warn"')
    stopped = line("yearly", "1500.00", "2012-06-01")
    findings = findings_of(warned, stopped, spend("2012-03-01", "1200.00"),
                           spend("2012-07-01", "400.00"), header=BARE)
    assert [(f.date, f.severity) for f in findings] == [
        (day("2012-03-01"), Severity.WARNING), (day("2012-07-01"), Severity.ERROR)]


def books_file(folder: Path, *parts: str) -> Path:
    text = ('plugin "ledger.plugin"\n' + BARE
            + "".join(textwrap.dedent(part).strip("\n") + "\n" for part in parts))
    path = folder / "main.beancount"
    path.write_text(text, "utf-8")
    return path


def test_check_funds_exits_0_on_a_warned_line_over_budget(tmp_path: Path) -> None:
    books = books_file(tmp_path, line("yearly", "1000.00", "2012-01-01", 'action: "warn"'),
                       spend("2012-03-01", "1200.00"))
    result = CliRunner().invoke(check_funds, [str(books), "--format", "json"])
    assert result.exit_code == 0, result.output
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["severity"], finding["amount"]) == (
        "over-budget", "warning", "200.00")
    table = CliRunner().invoke(check_funds, [str(books)])
    assert table.exit_code == 0 and "警告" in table.stdout and "超预算" in table.stdout


def test_bean_check_shows_no_error_for_a_warned_line(tmp_path: Path) -> None:
    books = books_file(tmp_path, line("yearly", "1000.00", "2012-01-01", 'action: "warn"'),
                       spend("2012-03-01", "1200.00"))
    _, errors, _ = loader.load_file(str(books))
    assert errors == []


# malformed control

def test_malformed_control_is_a_bad_directive_naming_the_value() -> None:
    cases = {
        'action: "block"': '实为 "block"',  # as the books write it, not Python's repr
        "alert: 1.5": "实为 1.5",
        "alert: 0": "实为 0",
        'alert: "90%"': '实为 "90%"',
        'accumulate: "yes"': '实为 "yes"',
    }
    for meta, shown in cases.items():
        findings = findings_of(line("monthly", "1000.00", "2012-01-01", meta), header=BARE)
        assert [f.rule for f in findings] == ["bad-directive"], meta
        key = meta.split(":")[0]
        assert f"{key}:" in findings[0].message and shown in findings[0].message, meta


def test_accumulate_is_for_monthly_and_quarterly_lines_only() -> None:
    findings = findings_of(line("yearly", "1000.00", "2012-01-01", "accumulate: TRUE"),
                           header=BARE)
    assert [f.rule for f in findings] == ["bad-directive"]
    assert '"yearly"' in findings[0].message
    assert found(line("quarterly", "1000.00", "2012-01-01", "accumulate: TRUE"),
                 line("monthly", "1000.00", "2012-02-01", "accumulate: FALSE")) == []


# accumulate

MONTHLY = line("monthly", "1000.00", "2012-01-01", "accumulate: TRUE")


def test_an_accumulated_month_over_its_own_cap_within_the_year_to_date_is_quiet() -> None:
    spending = (spend("2012-01-10", "200.00"), spend("2012-02-10", "1500.00"))
    assert found(MONTHLY, *spending) == []
    # the same spending on a month judged alone is over February's cap
    assert found(line("monthly", "1000.00"), *spending) == [("over-budget", day("2012-02-10"))]


def test_an_accumulated_line_over_the_year_to_date_fires() -> None:
    findings = findings_of(MONTHLY, spend("2012-01-10", "200.00"),
                           spend("2012-02-10", "1500.00"), spend("2012-03-10", "1400.00"),
                           spend("2012-03-20", "100.00"), header=BARE)
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("over-budget", day("2012-03-10"), Decimal("100.00"))]
    message = findings[0].message
    assert "3000.00" in message and "3100.00" in message and "本年累计" in message


def test_an_accumulated_line_starts_again_each_year() -> None:
    # 2012 left 11800.00 unspent; 2013's January and February give 2000.00 only
    assert found(MONTHLY, spend("2012-01-10", "200.00"), spend("2013-02-10", "2000.00")) == []
    assert found(MONTHLY, spend("2012-01-10", "200.00"), spend("2013-02-10", "2000.01")) == [
        ("over-budget", day("2013-02-10"))]


def test_the_year_to_date_counts_from_the_month_the_line_took_effect() -> None:
    april = line("monthly", "1000.00", "2012-04-15", "accumulate: TRUE")
    # April and May: 2000.00 on the year to date
    assert found(april, spend("2012-05-10", "2000.00")) == []
    assert found(april, spend("2012-05-10", "2000.01")) == [("over-budget", day("2012-05-10"))]


def test_the_year_to_date_takes_each_month_at_the_amount_then_in_force() -> None:
    raised = line("monthly", "3000.00", "2012-03-01", "accumulate: TRUE")
    # January 1000 + February 1000 + March 3000
    assert found(MONTHLY, raised, spend("2012-03-10", "5000.00")) == []
    assert found(MONTHLY, raised, spend("2012-03-10", "5000.01")) == [
        ("over-budget", day("2012-03-10"))]


def test_a_yearly_line_turned_monthly_counts_its_months_from_the_change() -> None:
    # 12000.00 a year to June, then 1000.00 a month on the year to date from July: in July
    # the year to date is July's 1000.00, not the yearly cap once per month before
    yearly, monthly = line("yearly", "12000.00"), line("monthly", "1000.00", "2012-07-01",
                                                       "accumulate: TRUE")
    march = spend("2012-03-10", "6000.00")
    assert found(yearly, monthly, march, spend("2012-07-15", "1000.00")) == []
    assert found(yearly, monthly, march, spend("2012-07-15", "1000.01")) == [
        ("over-budget", day("2012-07-15"))]
    text = BARE + "".join(textwrap.dedent(part) for part in (yearly, monthly, march))
    entries, errors, options_map = loader.load_string(text)
    assert errors == []
    [summary] = [s for s in summarize_funds(read_books(entries, options_map), 2012,
                                            day("2012-12-31")) if s.fund == "construction"]
    # the line's year: its six months since July
    assert [(item.period, item.budget) for item in summary.lines] == [
        ("monthly", Decimal("6000.00"))]


def test_an_accumulated_quarterly_line() -> None:
    quarterly = line("quarterly", "1000.00", "2012-01-01", "accumulate: TRUE")
    assert found(quarterly, spend("2012-05-10", "2000.00")) == []
    assert found(quarterly, spend("2012-05-10", "2000.01")) == [
        ("over-budget", day("2012-05-10"))]


# budget-alert

def test_the_alert_fires_once_when_spending_reaches_the_share() -> None:
    findings = findings_of(line("yearly", "1000.00", "2012-01-01", "alert: 0.8"),
                           spend("2012-02-01", "500.00"), spend("2012-03-01", "300.00"),
                           spend("2012-04-01", "100.00"), header=BARE)
    assert [(f.rule, f.date, f.severity, f.amount) for f in findings] == [
        ("budget-alert", day("2012-03-01"), Severity.WARNING, Decimal("800.00"))]
    assert "80%" in findings[0].message and findings[0].budget_line == ACCOUNT


def test_decoy_spending_below_the_share_is_quiet() -> None:
    assert found(line("yearly", "1000.00", "2012-01-01", "alert: 0.8"),
                 spend("2012-02-01", "500.00"), spend("2012-03-01", "299.99")) == []


def test_decoy_no_alert_without_a_share() -> None:
    assert found(line("yearly", "1000.00"), spend("2012-02-01", "999.00")) == []


def test_the_alert_comes_again_in_the_next_period() -> None:
    monthly = line("monthly", "1000.00", "2012-01-01", "alert: 0.9")
    assert found(monthly, spend("2012-01-05", "950.00"), spend("2012-01-06", "10.00"),
                 spend("2012-02-05", "920.00")) == [
        ("budget-alert", day("2012-01-05")), ("budget-alert", day("2012-02-05"))]


def test_open_commitments_count_towards_the_alert() -> None:
    contract = ('2012-03-01 custom "contract" "HT-1" "construction" 600.00 CNY\n'
                f"  account: {ACCOUNT}\n")
    findings = findings_of(line("yearly", "1000.00", "2012-01-01", "alert: 0.8"),
                           spend("2012-02-01", "100.00"), contract,
                           spend("2012-04-01", "100.00"), header=BARE)
    assert [(f.rule, f.date, f.amount) for f in findings] == [
        ("budget-alert", day("2012-04-01"), Decimal("800.00"))]
    assert "600.00" in findings[0].message  # committed


def test_a_signing_that_reaches_the_share_is_alerted_on_the_contract() -> None:
    contract = ('2012-03-01 custom "contract" "HT-1" "construction" 800.00 CNY\n'
                f"  account: {ACCOUNT}\n")
    findings = findings_of(line("yearly", "1000.00", "2012-01-01", "alert: 0.8"), contract,
                           header=BARE)
    assert [(f.rule, f.date) for f in findings] == [("budget-alert", day("2012-03-01"))]
    assert isinstance(findings[0].entry, data.Custom)


def test_decoy_paying_a_contract_already_counted_is_no_new_alert() -> None:
    contract = ('2012-03-01 custom "contract" "HT-1" "construction" 700.00 CNY\n'
                f"  account: {ACCOUNT}\n")
    assert found(line("yearly", "1000.00", "2012-01-01", "alert: 0.8"), contract,
                 """
                 2012-04-01 * "专家" "合同款"
                   contract: "HT-1"
                   Assets:Bank:Construction   -700.00 CNY
                   Expenses:Construction:Expert   700.00 CNY
                 """) == []


def test_the_over_budget_transaction_is_not_alerted_too() -> None:
    assert found(line("yearly", "1000.00", "2012-01-01", "alert: 0.8"),
                 spend("2012-02-01", "1200.00")) == [("over-budget", day("2012-02-01"))]


def test_an_ignored_line_over_its_cap_gives_no_alert_either() -> None:
    policy = '2012-01-01 custom "fund-policy" "budget-alert" 0.9\n'
    ignored = line("yearly", "1000.00", "2012-01-01", 'action: "ignore"')
    assert found(policy, ignored, spend("2012-03-01", "1500.00"),
                 spend("2012-04-01", "10.00")) == []


def test_decoy_an_ignored_line_reaching_its_share_within_its_cap_is_alerted() -> None:
    policy = '2012-01-01 custom "fund-policy" "budget-alert" 0.9\n'
    ignored = line("yearly", "1000.00", "2012-01-01", 'action: "ignore"')
    assert found(policy, ignored, spend("2012-03-01", "950.00"),
                 spend("2012-04-01", "100.00")) == [("budget-alert", day("2012-03-01"))]


def test_the_policy_share_is_every_line_s_default() -> None:
    policy = '2012-01-01 custom "fund-policy" "budget-alert" 0.9\n'
    assert found(policy, line("yearly", "1000.00"), spend("2012-02-01", "900.00")) == [
        ("budget-alert", day("2012-02-01"))]
    # a line's own alert: replaces it
    assert found(policy, line("yearly", "1000.00", "2012-01-01", "alert: 0.95"),
                 spend("2012-02-01", "900.00")) == []


def test_a_bad_budget_alert_policy_is_bad_policy() -> None:
    for value in ("1.5", "0", '"0.9"'):
        findings = findings_of(f'2012-01-01 custom "fund-policy" "budget-alert" {value}\n',
                               header=BARE)
        assert [f.rule for f in findings] == ["bad-policy"], value
        assert "budget-alert" in findings[0].message and "比例" in findings[0].message
    assert found('2012-01-01 custom "fund-policy" "budget-alert" 1\n') == []

# the figures, cross-checked


def random_books(seed: int) -> str:
    """Two lines (one under the other), contracts signed, changed and paid, and spending
    under no contract, in a year; every amount a whole number of yuan."""
    rng = random.Random(seed)
    parts = [f'2012-01-01 open {PAYABLE} CNY\n  fund: "construction"\n',
             '2012-01-01 custom "budget" Expenses:Construction "yearly" 60000.00 CNY\n',
             f'2012-01-01 custom "budget" {ACCOUNT} "yearly" 30000.00 CNY\n',
             f'2012-07-01 custom "budget" {ACCOUNT} "yearly" 35000.00 CNY\n']
    accounts = [ACCOUNT, "Expenses:Construction:Expert:Travel", "Expenses:Construction:Equipment"]
    signed: list[tuple[str, str]] = []
    for index in range(40):
        date = datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randrange(360))
        account = rng.choice(accounts)
        choice = rng.random()
        if choice < 0.25 or not signed:
            number = f"HT-{index:02d}"
            signed.append((number, account))
            parts.append(f'{date} custom "contract" "{number}" "construction" '
                         f"{rng.randrange(1000, 15000)}.00 CNY\n  account: {account}\n")
        elif choice < 0.35:
            number, account = rng.choice(signed)
            parts.append(f'{date} custom "contract" "{number}" "construction" '
                         f"{rng.randrange(1000, 15000)}.00 CNY\n  account: {account}\n")
        elif choice < 0.75:
            parts.append(contract_payment(rng, date, signed))
        else:
            parts.append(f'{date} * "文具店" "零星支出"\n  invoice: "R-{index}"\n'
                         f"  {account}   {rng.randrange(100, 3000)}.00 CNY\n"
                         "  Assets:Bank:Construction\n")
    return "".join(parts)


def contract_payment(rng: random.Random, date: datetime.date,
                     signed: list[tuple[str, str]]) -> str:
    """A payment (or refund) under a contract: quoted on the transaction, on the cost posting,
    booked to a payable and paid off quoting it on the payable, or two contracts' costs in one
    payment each quoted on its posting."""
    number, account = rng.choice(signed)
    amount = rng.randrange(-500, 5000)
    style = rng.random()
    head = f'{date} * "供应商" "合同款"\n'
    if style < 0.4:
        return (head + f'  contract: "{number}"\n  {account}   {amount}.00 CNY\n'
                "  Assets:Bank:Construction\n")
    if style < 0.6:
        return (head + f'  {account}   {amount}.00 CNY\n    contract: "{number}"\n'
                "  Assets:Bank:Construction\n")
    if style < 0.8:
        return (head + f'  contract: "{number}"\n  {account}   {amount}.00 CNY\n'
                f"  {PAYABLE}\n{date} * \"供应商\" \"付挂账款\"\n"
                f'  {PAYABLE}   {amount}.00 CNY\n    contract: "{number}"\n'
                "  Assets:Bank:Construction\n")
    other, other_account = rng.choice(signed)
    return (head + f'  {account}   {amount}.00 CNY\n    contract: "{number}"\n'
            f'  {other_account}   {rng.randrange(0, 3000)}.00 CNY\n    contract: "{other}"\n'
            "  Assets:Bank:Construction\n")


def under(account: str, line_name: str) -> bool:
    return account == line_name or account.startswith(line_name + ":")


def value(entry: data.Custom, index: int) -> Any:
    return entry.values[index].value


def amount_of(entry: data.Custom) -> Decimal:
    number: Decimal = value(entry, 2).number
    return number


def costs(transactions: list[data.Transaction], line_name: str = "Expenses") -> Decimal:
    """The net debit to the Expenses accounts under ``line_name`` in the transactions."""
    total = Decimal(0)
    for transaction in transactions:
        for posting in transaction.postings:
            if (posting.account.startswith("Expenses") and under(posting.account, line_name)
                    and posting.units is not None and posting.units.number is not None):
                total += posting.units.number
    return total


def charged_under(transactions: list[data.Transaction], number: str) -> Decimal:
    """The net debit to the Expenses postings that quote ``number``: under their own
    ``contract:``, or else their transaction's."""
    total = Decimal(0)
    for transaction in transactions:
        for posting in transaction.postings:
            quoted = (posting.meta or {}).get("contract", transaction.meta.get("contract"))
            if (quoted == number and posting.account.startswith("Expenses")
                    and posting.units is not None and posting.units.number is not None):
                total += posting.units.number
    return total


def recomputed_over_commitments(entries: data.Directives,
                                ) -> list[tuple[datetime.date, str, Decimal, Decimal]]:
    """For each contract signing or change raising its sum: its commitment against each line
    covering its account (the nearest first): the cap − spent − the commitments of the other
    contracts on accounts the line covers, from the entries alone; the first line it is over,
    with the available figure (for a change, less the contract's earlier commitment, as its
    increase is judged) and the excess."""
    caps = [entry for entry in entries
            if isinstance(entry, data.Custom) and entry.type == "budget"]
    budget_lines = {str(value(entry, 0)) for entry in caps}
    terms = [entry for entry in entries
             if isinstance(entry, data.Custom) and entry.type == "contract"]
    payments = [entry for entry in entries if isinstance(entry, data.Transaction)]
    over = []
    for index, signing in enumerate(terms):
        number, date = value(signing, 0), signing.date
        earlier = [t for t in terms[:index] if value(t, 0) == number]
        if earlier and amount_of(signing) <= amount_of(earlier[-1]):
            continue
        before = [t for t in payments if t.date < date]  # a signing counts first in its day
        in_force = {value(t, 0): t for t in terms[:index + 1]}  # the latest wins
        committed = {other: max(Decimal(0), amount_of(t) - charged_under(before, other))
                     for other, t in in_force.items()}
        mine = committed[number]
        paid_in = charged_under(before, number)
        mine_before = max(Decimal(0), amount_of(earlier[-1]) - paid_in) if earlier else 0
        account = str(signing.meta["account"])
        for line_name in sorted((n for n in budget_lines if under(account, n)), key=len,
                                reverse=True):
            cap = amount_of([c for c in caps if value(c, 0) == line_name
                             and c.date <= date][-1])
            spent = costs([t for t in before if t.date.year == date.year], line_name)
            others = sum((committed[other] for other, t in in_force.items()
                          if other != number and under(str(t.meta["account"]), line_name)),
                         Decimal(0))
            if mine > 0 and mine > cap - spent - others:
                # a change: its increase against what is left beside its earlier commitment
                available = cap - spent - others - mine_before
                over.append((date, number, available, mine - mine_before - available))
                break
    return over


def test_over_commitment_figures_match_an_independent_recomputation() -> None:
    fired = 0
    for seed in range(12):
        text = BARE + random_books(seed)
        entries, errors, options_map = loader.load_string(text)
        assert errors == []
        findings: list[Finding] = [f for f in run_rules(entries, options_map)
                                   if f.rule == "over-commitment"]
        expected = recomputed_over_commitments(entries)
        assert [(f.date, f.amount) for f in findings] == [
            (date, excess) for date, _, _, excess in expected], seed
        for finding, (_, number, available, _) in zip(findings, expected, strict=True):
            assert number in finding.message
            assert f"可用余额 {available:.2f} CNY" in finding.message, (seed, finding.message)
        fired += len(findings)
    assert fired >= 5  # the books do breach their lines, often


def test_line_figures_match_an_independent_recomputation() -> None:
    """For every line: available = cap − spent − committed, each recomputed from the entries
    (the figures check-funds, the Fava page and the export show)."""
    checked = 0
    for seed, as_of in itertools.product(range(6), ("2012-06-30", "2012-12-31")):
        entries, errors, options_map = loader.load_string(BARE + random_books(seed))
        assert errors == []
        date = day(as_of)
        books = read_books(entries, options_map)
        caps = [e for e in entries if isinstance(e, data.Custom) and e.type == "budget"]
        terms = [e for e in entries if isinstance(e, data.Custom) and e.type == "contract"
                 and e.date <= date]
        to_date = [e for e in entries if isinstance(e, data.Transaction) and e.date <= date]
        in_force = {value(t, 0): t for t in terms}
        committed = {number: max(Decimal(0), amount_of(t) - charged_under(to_date, number))
                     for number, t in in_force.items()}
        [summary] = [s for s in summarize_funds(books, 2012, date) if s.fund == "construction"]
        assert {line.account for line in summary.lines} == {str(value(c, 0)) for c in caps}
        for line in summary.lines:
            cap = amount_of([c for c in caps if value(c, 0) == line.account
                             and c.date <= date][-1])
            spent = costs(to_date, line.account)
            open_ = sum((committed[number] for number, t in in_force.items()
                         if under(str(t.meta["account"]), line.account)), Decimal(0))
            assert (line.budget, line.spent, line.committed) == (cap, spent, open_), (
                seed, as_of, line.account)
            assert line.available == cap - spent - open_
            checked += 1
    assert checked == 24
