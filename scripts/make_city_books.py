"""Write city-scale books for benchmarks: centres x 3 funds x years, with violations planted.

    python scripts/make_city_books.py OUT_DIR [--transactions 100000] [--centres N]
        [--years Y] [--seed S] [--violations-every K]

From 2013 the plan rolls the Dongshan model out across the city: each centre opens during the
first year with three funds (建设经费 for its first year, 社工薪酬, 日常运营经费), dedicated bank
accounts and petty cash, a yearly budget per expense line (Publicity's with ``alert: 0.9``),
quarterly allocations from the district (due 30 days after they are announced, received within
10) and a yearly city subsidy. In the first year the renovation, the equipment and the design are
each a registered contract (``custom "contract"``) paid in four installments, the renovation's
last being its 5% retention (质保金), paid on the day its warranty ends. Every month: the payroll
(accrued with its withholdings, remitted the next month), a bank fee and a petty-cash top-up
below the cash limit; in between, purchases with invoices (from 10,000.00 under a contract of
their own, registered a week before) from a pool of suppliers, until the books hold about
``--transactions``.

Every ``--violations-every`` transactions (default 1,000) a violation of the next rule is planted
(cross-fund, diverted, unbudgeted, cash-withdrawal, split-payment, duplicate-invoice,
missing-evidence, out-of-period, approved-transfer, withheld, unclassified, unreviewed,
bad-evidence, allocation-late, over-budget with a budget-alert before it in the same year); as
many of each contract rule, at most one per centre in half the centres (the others are its
decoys): over-commitment (a design contract beyond the whole line), contract-overrun (paid
500.00 beyond the sum), retention-paid-early (the renovation's retention paid 20 days early) and
unregistered-contract (a number no directive declares); and once each an unknown fund, a
malformed budget, a malformed policy, a sealed month (June of the first year) whose entries no
longer give its seal's digest, and an allocation dated 2102 (future-date, on any day of the check
before it). Allocations name their funder (``source:``). Written to OUT_DIR:

- ``main.beancount``: options, the plugin, the Fava extension, and includes of the files below;
- ``bare.beancount``: the same books without the plugin (what ``bean-check`` alone costs);
- ``accounts.beancount`` (policy, funds, accounts, budgets, allocations, contracts) and
  ``YYYY.beancount`` per year (the journal and a ``balance`` on the first of each month per bank
  and cash account);
- ``planted.json``: each planted finding's rule, date and fund, what ``check-funds`` must find.

The same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ledger.model.chart import CONSTRUCTION as CONSTRUCTION_FUND
from ledger.model.chart import OPERATING as OPERATING_FUND
from ledger.model.chart import SALARY as SALARY_FUND
from ledger.model.chart import FundAccounts
from ledger.setup.new_centre import new_centre, new_centre_books

FIRST_YEAR = 2013
DAY = datetime.timedelta(days=1)
SEALED_MONTH, SEAL_DATE = f"{FIRST_YEAR}-06", datetime.date(FIRST_YEAR, 6, 30)  # a broken seal
WORKERS = 6
WAGE = 350_000  # cents a month per social worker
CONTRACT_FROM = 1_000_000  # purchases of 10,000.00 and more are under contract
OPERATING_LINES = ("Activities", "Office", "Utilities", "Publicity", "Training", "BankFee")
CONSTRUCTION_LINES = ("Renovation", "Equipment", "Design")
SALARY_LINES = ("Wages", "SocialSecurity", "HousingFund")
DISTRICTS = ("榕城", "东山", "揭东", "空港", "普宁", "揭西", "惠来")
TRADES = ("文具店", "印务", "电器行", "五金店", "培训中心", "广告部", "水电维修部", "书店",
          "餐饮服务部", "旅行社", "家具店", "电脑城")
Cents = int
SUSPENSE = "Equity:Suspense:Unclassified"
FUTURE = datetime.date(2102, 4, 1)  # the day of a planted future-dated allocation
SIGNED_BEFORE = datetime.timedelta(days=7)  # a contract is signed a week before its payment
RENOVATION_SHARES = (30, 40, 25)  # per cent of the sum, paid as the works go; 5% retained
RETENTION = 5  # per cent of the renovation held until the warranty ends
ALERT = "0.9"  # the Publicity lines' budget-alert share


def money(cents: Cents) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1) - DAY


@dataclass
class Txn:
    """One transaction, written in date order (``order`` breaks ties: planted ones last)."""

    date: datetime.date
    payee: str
    narration: str
    postings: list[tuple[str, Cents]]
    meta: dict[str, str] = field(default_factory=dict)
    order: int = 0
    flag: str = "*"
    bare: dict[str, str] = field(default_factory=dict)  # metadata written unquoted
    repeat_voucher: bool = False  # planted: the voucher number of the transaction before

    def text(self, voucher: str) -> str:
        lines = [f'{self.date} {self.flag} "{self.payee}" "{self.narration}"',
                 f'  voucher: "{voucher}"']
        lines += [f'  {key}: "{value}"' for key, value in self.meta.items()]
        lines += [f"  {key}: {value}" for key, value in self.bare.items()]
        lines += [f"  {account}  {money(amount)} CNY" for account, amount in self.postings]
        return "\n".join(lines)


@dataclass
class Centre:
    """One community centre: its code, opening day and accounts."""

    number: int
    opened: datetime.date
    name: str

    @property
    def code(self) -> str:
        return f"c{self.number:03d}"

    @property
    def tag(self) -> str:
        return f"C{self.number:03d}"

    def fund(self, kind: str) -> str:
        return f"{self.code}-{kind.lower()}"

    def bank(self, kind: str) -> str:
        return f"Assets:Bank:{self.tag}:{kind}"

    @property
    def cash(self) -> str:
        return f"Assets:Cash:{self.tag}:Operating"

    def expense(self, kind: str, line: str) -> str:
        return f"Expenses:{self.tag}:{kind}:{line}"

    def payable(self, line: str) -> str:
        return f"Liabilities:{self.tag}:Salary:{line}"

    def income(self, kind: str, funder: str) -> str:
        return f"Income:{self.tag}:{kind}:{funder}"

    @property
    def construction_end(self) -> datetime.date:
        return self.opened + datetime.timedelta(days=364)


@dataclass
class Allocation:
    fund: str
    announced: datetime.date
    amount: Cents
    due: datetime.date
    source: str  # the funder's Income account


@dataclass
class Contract:
    """A ``custom "contract"`` directive: signed on ``date`` for ``amount``."""

    date: datetime.date
    number: str
    fund: str
    amount: Cents
    payee: str
    account: str
    retention_until: datetime.date | None = None  # with RETENTION per cent held until then

    def text(self) -> str:
        lines = [f'{self.date} custom "contract" "{self.number}" "{self.fund}" '
                 f"{money(self.amount)} CNY", f'  payee: "{self.payee}"',
                 f"  account: {self.account}"]
        if self.retention_until is not None:
            lines += [f"  retention: {RETENTION / 100:.2f}",
                      f"  retention-until: {self.retention_until}"]
        return "\n".join(lines)


@dataclass
class Planted:
    rule: str
    date: datetime.date
    fund: str | None


class City:
    """The books being generated: transactions, allocations, invoice numbers, what is planted."""

    def __init__(self, centres: int, years: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.years = years
        self.last_day = datetime.date(FIRST_YEAR + years - 1, 12, 31)
        self.centres = [Centre(number, datetime.date(FIRST_YEAR, 1, 1)
                               + datetime.timedelta(days=(number * 37) % 300),
                               f"{DISTRICTS[number % len(DISTRICTS)]}区第{number}社工服务中心")
                        for number in range(1, centres + 1)]
        self.txns: list[Txn] = []
        self.allocations: list[Allocation] = []
        self.planted: list[Planted] = []
        self.invoices = 0
        self.claimed: dict[str, str] = {}  # each centre's first invoice claimed on costs
        self.contracts: list[Contract] = []

    def invoice(self, centre: Centre) -> str:
        self.invoices += 1
        return f"{44_000_000 + self.invoices:08d}"

    def add(self, txn: Txn) -> Txn:
        self.txns.append(txn)
        return txn

    def supplier(self, centre: Centre) -> str:
        trade = TRADES[self.rng.randrange(len(TRADES))]
        district = DISTRICTS[centre.number % len(DISTRICTS)]
        return f"揭阳市{district}{trade}{self.rng.randrange(300)}号"

    def purchase(self, centre: Centre, kind: str, line: str, date: datetime.date,
                 amount: Cents, *, payee: str | None = None, paid_from: str | None = None,
                 evidence: bool = True, contract: bool | None = None,
                 number: str | None = None, registered: bool = True) -> Txn:
        """Costs paid with an invoice, and under contract from 10,000.00 unless told: a
        contract of its own, signed a week before (within the year, once the centre opened)
        for the amount paid, unless ``registered`` is false; or the contract ``number``."""
        meta: dict[str, str] = {}
        payee = payee or self.supplier(centre)
        if evidence:
            meta["invoice"] = self.invoice(centre)
            self.claimed.setdefault(centre.code, meta["invoice"])
            if number is not None:
                meta["contract"] = number
            elif amount >= CONTRACT_FROM if contract is None else contract:
                meta["contract"] = f"{centre.tag}-HT-{date.year}-{len(self.txns)}"
                if registered:
                    signed = max(date - SIGNED_BEFORE, date.replace(month=1, day=1),
                                 centre.opened)
                    self.contracts.append(Contract(signed, meta["contract"], centre.fund(kind),
                                                   amount, payee, centre.expense(kind, line)))
        return self.add(Txn(date, payee, f"{line} 采购", [
            (centre.expense(kind, line), amount),
            (paid_from or centre.bank(kind), -amount)], meta))


def active_months(centre: Centre, last_day: datetime.date) -> Iterator[tuple[int, int]]:
    year, month = centre.opened.year, centre.opened.month
    while datetime.date(year, month, 1) <= last_day:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def monthly_routine(city: City, centre: Centre) -> None:
    """Payroll accrued and paid at each month's end, withholdings remitted on the 15th of the
    next, a bank fee, and a petty-cash top-up below the cash limit."""
    gross = WAGE * WORKERS
    for year, month in active_months(centre, city.last_day):
        end, label = month_end(year, month), f"{year}-{month:02d}"
        social, housing, tax = gross * 16 // 100, gross * 5 // 100, gross // 100
        personal_social, personal_housing = gross * 8 // 100, housing
        net = gross - personal_social - personal_housing - tax
        city.add(Txn(end, f"社工（{WORKERS}人）", f"发放{label}社工工资", [
            (centre.expense("Salary", "Wages"), gross),
            (centre.expense("Salary", "SocialSecurity"), social),
            (centre.expense("Salary", "HousingFund"), housing),
            (centre.payable("SocialSecurity"), -(social + personal_social)),
            (centre.payable("HousingFund"), -(housing + personal_housing)),
            (centre.payable("IncomeTax"), -tax),
            (centre.bank("Salary"), -net)], {"payroll": label}))
        remit = end + datetime.timedelta(days=15)
        if remit <= city.last_day:
            for line, amount, payee in (("SocialSecurity", social + personal_social, "社保局"),
                                        ("HousingFund", housing + personal_housing, "公积金中心"),
                                        ("IncomeTax", tax, "地方税务局")):
                city.add(Txn(remit, f"揭阳市{payee}", f"缴纳{label} {line}", [
                    (centre.payable(line), amount), (centre.bank("Salary"), -amount)],
                    {"payroll": label, "invoice": city.invoice(centre)}))
        fee = 1000 + city.rng.randrange(2000)
        city.add(Txn(end, "揭阳农商银行", "银行手续费", [
            (centre.expense("Operating", "BankFee"), fee), (centre.bank("Operating"), -fee)],
            {"invoice": city.invoice(centre)}))
        top_up = datetime.date(year, month, 1) if (year, month) != (
            centre.opened.year, centre.opened.month) else centre.opened
        city.add(Txn(top_up, "备用金", "提取备用金", [
            (centre.cash, 90_000), (centre.bank("Operating"), -90_000)]))
        for _ in range(3):
            day = datetime.date(year, month, 1 + city.rng.randrange(27))
            if centre.opened <= day <= city.last_day:
                amount = 2_000 + city.rng.randrange(20_000)
                city.purchase(centre, "Operating", "Office", day, amount, paid_from=centre.cash)


def construction(city: City, centre: Centre) -> None:
    """The first year: a contract each for the renovation, the equipment and the design, signed
    ten days after the centre opened and paid in four installments; the renovation's last is its
    5% retention, paid on the day the warranty ends (``retention-until``)."""
    start = centre.opened
    signed = start + datetime.timedelta(days=10)
    days = [start + datetime.timedelta(days=20 + step * 25) for step in range(12)]
    renovation = 32_000_000 + city.rng.randrange(2_000_000) // 100 * 100
    shares = [renovation * share // 100 for share in (*RENOVATION_SHARES, RETENTION)]
    for line in CONSTRUCTION_LINES:
        index = CONSTRUCTION_LINES.index(line)
        number = f"{centre.tag}-JS-{start.year}-{line}"
        payee = f"揭阳市{DISTRICTS[centre.number % len(DISTRICTS)]}{line}承包商{centre.number}号"
        amounts = shares if line == "Renovation" else [
            1_500_000 + city.rng.randrange(500_000) for _ in range(4)]
        for step, amount in enumerate(amounts):
            city.purchase(centre, "Construction", line, days[index + 3 * step], amount,
                          payee=payee, number=number)
        city.contracts.append(Contract(
            signed, number, centre.fund("Construction"), sum(amounts), payee,
            centre.expense("Construction", line),
            days[index + 9] if line == "Renovation" else None))


def purchases(city: City, centre: Centre, count: int) -> None:
    """Operating purchases spread over the centre's life, most small, some under contract."""
    days = (city.last_day - centre.opened).days
    for _ in range(count):
        day = centre.opened + datetime.timedelta(days=city.rng.randrange(days + 1))
        line = OPERATING_LINES[city.rng.randrange(len(OPERATING_LINES) - 1)]
        small = city.rng.random() < 0.97
        amount = (5_000 + city.rng.randrange(300_000) if small
                  else CONTRACT_FROM + city.rng.randrange(2_000_000))
        city.purchase(centre, "Operating", line, day, amount)


def fund_spending(city: City) -> dict[tuple[str, int], Cents]:
    """Each Expenses account's spending per year."""
    spent: dict[tuple[str, int], Cents] = defaultdict(int)
    for txn in city.txns:
        for account, amount in txn.postings:
            if account.startswith("Expenses:"):
                spent[account, txn.date.year] += amount
    return spent


def budget_caps(city: City) -> dict[str, Cents]:
    """A yearly cap per budgeted line: a quarter above its busiest year, in whole thousands."""
    busiest: dict[str, Cents] = defaultdict(int)
    whole: dict[str, Cents] = defaultdict(int)  # a construction line's contracts span years
    for (account, _), amount in fund_spending(city).items():
        busiest[account] = max(busiest[account], amount)
        whole[account] += amount
    for account, amount in whole.items():
        if account.split(":")[2] == "Construction":
            busiest[account] = amount
    return {account: (amount * 5 // 4 // 100_000 + 1) * 100_000
            for account, amount in busiest.items() if not account.endswith(":Misc")}


def allocate(city: City, centre: Centre, caps: dict[str, Cents]) -> None:
    """Quarterly allocations of each fund's yearly budget, received 10 days after
    announcement; the construction fund's in two parts in its year, the city's subsidy once a
    year."""
    for kind, lines in (("Salary", SALARY_LINES), ("Operating", OPERATING_LINES)):
        yearly = sum(caps.get(centre.expense(kind, line), 0) for line in lines)
        day = centre.opened
        while day <= city.last_day - datetime.timedelta(days=40):
            share = yearly // 4
            if kind == "Operating" and day.month <= 3:
                receive(city, centre, kind, "City", day, share // 5)
            receive(city, centre, kind, "District", day, share)
            day += datetime.timedelta(days=91)
    total = sum(caps.get(centre.expense("Construction", line), 0) for line in CONSTRUCTION_LINES)
    receive(city, centre, "Construction", "District", centre.opened, total // 2)
    receive(city, centre, "Construction", "District",
            centre.opened + datetime.timedelta(days=150), total - total // 2)


def receive(city: City, centre: Centre, kind: str, funder: str, day: datetime.date,
            amount: Cents, late: int = 0) -> Txn:
    """An allocation announced on ``day`` and received 10 (or ``late``) days later."""
    city.allocations.append(Allocation(centre.fund(kind), day, amount,
                                       day + datetime.timedelta(days=30),
                                       centre.income(kind, funder)))
    received = day + datetime.timedelta(days=late or 10)
    name = "揭阳市财政局" if funder == "City" else f"{DISTRICTS[centre.number % 7]}区管委会"
    return city.add(Txn(received, name, f"{kind} 拨款", [
        (centre.bank(kind), amount), (centre.income(kind, funder), -amount)]))


# --- violations: each plants one finding and returns it ------------------------------------

Planter = Callable[[City, Centre, datetime.date], Planted]


def cross_fund(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.purchase(centre, "Operating", "Office", day, 80_000, paid_from=centre.bank("Salary"))
    return Planted("cross-fund", day, centre.fund("Salary"))


def diverted(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.add(Txn(day, "揭阳宾馆", "招待", [("Expenses:District:Hospitality", 120_000),
                                         (centre.bank("Operating"), -120_000)],
                 {"invoice": city.invoice(centre)}))
    return Planted("diverted", day, centre.fund("Operating"))


def unbudgeted(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.purchase(centre, "Operating", "Misc", day, 50_000)
    return Planted("unbudgeted", day, centre.fund("Operating"))


def cash_withdrawal(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.add(Txn(day, "备用金", "提取备用金", [(centre.cash, 300_000),
                                            (centre.bank("Operating"), -300_000)]))
    return Planted("cash-withdrawal", day, centre.fund("Operating"))


def split_payment(city: City, centre: Centre, day: datetime.date) -> Planted:
    payee = f"揭阳市{centre.tag}装饰工程部{len(city.planted)}"
    for offset in (0, 5, 11):
        city.purchase(centre, "Operating", "Activities", day + datetime.timedelta(days=offset),
                      1_800_000, payee=payee, contract=False)
    return Planted("split-payment", day + datetime.timedelta(days=11), centre.fund("Operating"))


def duplicate_invoice(city: City, centre: Centre, day: datetime.date) -> Planted:
    earlier = city.claimed[centre.code]
    txn = city.purchase(centre, "Operating", "Publicity", day, 60_000)
    txn.meta["invoice"] = earlier
    return Planted("duplicate-invoice", day, centre.fund("Operating"))


def voucher_repeated(city: City, centre: Centre, day: datetime.date) -> Planted:
    txn = city.purchase(centre, "Operating", "Publicity", day, 20_000)
    txn.repeat_voucher = True  # the number of the voucher before it: 重号
    return Planted("voucher-sequence", day, None)


def missing_evidence(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.purchase(centre, "Operating", "Training", day, 70_000, evidence=False)
    return Planted("missing-evidence", day, centre.fund("Operating"))


def out_of_period(city: City, centre: Centre, day: datetime.date) -> Planted:
    day = max(day, centre.construction_end + 5 * DAY)
    city.purchase(centre, "Construction", "Equipment", day, 90_000)
    return Planted("out-of-period", day, centre.fund("Construction"))


def approved_transfer(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.add(Txn(day, "调剂", "建设经费结余调入运营", [
        (centre.bank("Operating"), 100_000), (centre.bank("Construction"), -100_000)],
        {"approval": f"揭社工委〔{day.year}〕{len(city.planted)}号"}))
    return Planted("approved-transfer", day, centre.fund("Construction"))


def withheld(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.add(Txn(day, "揭阳农商银行", "运营经费专户利息误入区财政账户", [
        ("Assets:District:General", 1_000), (centre.income("Operating", "District"), -1_000)]))
    return Planted("withheld", day, centre.fund("Operating"))


def unclassified(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.add(Txn(day, "揭阳市某单位", "转账", [
        (SUSPENSE, 30_000), (centre.bank("Operating"), -30_000)], flag="!"))
    return Planted("unclassified", day, centre.fund("Operating"))


def unreviewed(city: City, centre: Centre, day: datetime.date) -> Planted:
    city.purchase(centre, "Operating", "Office", day, 30_000).flag = "!"
    return Planted("unreviewed", day, centre.fund("Operating"))


def bad_evidence(city: City, centre: Centre, day: datetime.date) -> Planted:
    """An invoice number written unquoted (so read as a number, its leading zero lost)."""
    city.add(Txn(day, city.supplier(centre), "Office 采购", [
        (centre.expense("Operating", "Office"), 30_000), (centre.bank("Operating"), -30_000)],
        bare={"invoice": f"0{city.invoice(centre)}"}))
    return Planted("bad-evidence", day, centre.fund("Operating"))


def allocation_late(city: City, centre: Centre, day: datetime.date) -> Planted:
    """An allocation received the day after it was due: short on its due date only. Planted
    after the regular allocations, on a due date of its own, when no other allocation has
    been received ahead of its due date (receipts count cumulatively)."""
    fund = centre.fund("Operating")
    others = [allocation for allocation in city.allocations if allocation.fund == fund]
    while any(other.announced <= day <= other.due + DAY for other in others):
        day += DAY
    announced = day - datetime.timedelta(days=30)
    txn = receive(city, centre, "Operating", "District", announced, 200_000, late=31)
    txn.narration += "（迟到一天）"
    return Planted("allocation-late", day, fund)


SPENDING: tuple[Planter, ...] = (cross_fund, diverted, unbudgeted, cash_withdrawal,
                                 split_payment, duplicate_invoice, missing_evidence,
                                 out_of_period, approved_transfer, withheld, unclassified,
                                 unreviewed, bad_evidence, voucher_repeated)


def plant(city: City, planters: tuple[Planter, ...], count: int) -> None:
    """``count`` violations, cycling through ``planters``, at random centres and days (never
    in a centre's first two months nor its last two, so each stands alone)."""
    for index in range(count):
        centre = city.centres[city.rng.randrange(len(city.centres))]
        first = centre.opened + datetime.timedelta(days=60)
        span = (city.last_day - datetime.timedelta(days=60) - first).days
        day = first + datetime.timedelta(days=city.rng.randrange(max(span, 1)))
        city.planted.append(planters[index % len(planters)](city, centre, day))


def over_budget(city: City, caps: dict[str, Cents], count: int) -> None:
    """``count`` purchases that take a line over its year's cap on the year's last day."""
    spent = fund_spending(city)
    for index in range(min(count, len(city.centres) * (city.years - 1))):
        centre = city.centres[index % len(city.centres)]
        year = FIRST_YEAR + 1 + index // len(city.centres)
        line = centre.expense("Operating", "Publicity")
        # First to 95% of the cap, crossing the line's alert: share (its spending is
        # otherwise at most 4/5 of the cap: see budget_caps), then over it.
        for day, amount, rule in (
                (30, caps[line] * 95 // 100 - spent[line, year], "budget-alert"),
                (31, caps[line] * 5 // 100 + 100_000, "over-budget")):
            txn = city.purchase(centre, "Operating", "Publicity", datetime.date(year, 12, day),
                                amount, contract=False)
            txn.order = 1
            spent[line, year] += amount
            city.planted.append(Planted(rule, txn.date, centre.fund("Operating")))


# --- contracts: one violation of each contract rule per centre, in turn --------------------

ContractPlanter = Callable[[City, Centre, dict[str, Cents]], Planted]


def over_commitment(city: City, centre: Centre, caps: dict[str, Cents]) -> Planted:
    """A design contract for more than the whole line, signed after the design was paid."""
    line = centre.expense("Construction", "Design")
    day = centre.construction_end - 10 * DAY
    city.contracts.append(Contract(day, f"{centre.tag}-JS-{day.year}-Extra",
                                   centre.fund("Construction"), caps[line] + 100_000,
                                   f"揭阳市{centre.tag}设计院", line))
    return Planted("over-commitment", day, centre.fund("Construction"))


def contract_overrun(city: City, centre: Centre, caps: dict[str, Cents]) -> Planted:
    """A training paid 500.00 beyond its contract's sum."""
    day = some_day(city, centre)
    city.purchase(centre, "Operating", "Training", day, 2_000_000, contract=True)
    city.contracts[-1].amount -= 50_000
    return Planted("contract-overrun", day, centre.fund("Operating"))


def retention_paid_early(city: City, centre: Centre, caps: dict[str, Cents]) -> Planted:
    """The renovation's retention paid twenty days before the warranty ends."""
    number = f"{centre.tag}-JS-{centre.opened.year}-Renovation"
    [contract] = [c for c in city.contracts if c.number == number]
    [release] = [txn for txn in city.txns if txn.meta.get("contract") == number
                 and txn.date == contract.retention_until]
    release.date -= 20 * DAY
    return Planted("retention-paid-early", release.date, centre.fund("Construction"))


def unregistered_contract(city: City, centre: Centre, caps: dict[str, Cents]) -> Planted:
    """Activities paid under a contract number the books never registered."""
    day = some_day(city, centre)
    city.purchase(centre, "Operating", "Activities", day, 1_200_000, contract=True,
                  registered=False)
    return Planted("unregistered-contract", day, centre.fund("Operating"))


CONTRACT_RULES: tuple[ContractPlanter, ...] = (over_commitment, contract_overrun,
                                               retention_paid_early, unregistered_contract)


def some_day(city: City, centre: Centre) -> datetime.date:
    """A random day of the centre's life, not in its first two months nor its last two."""
    first = centre.opened + datetime.timedelta(days=60)
    span = (city.last_day - datetime.timedelta(days=60) - first).days
    return first + datetime.timedelta(days=city.rng.randrange(max(span, 1)))


def plant_contracts(city: City, caps: dict[str, Cents], count: int) -> None:
    """Up to ``count`` violations of each contract rule, each at another centre, in at most
    half the centres (at least one): the others are the rule's decoys (a retention paid on its
    date, contracts paid exactly to their sums and within their lines)."""
    for offset, planter in enumerate(CONTRACT_RULES):
        for index in range(min(count, max(1, len(city.centres) // 2))):
            centre = city.centres[(index + offset) % len(city.centres)]
            city.planted.append(planter(city, centre, caps))


# --- writing -----------------------------------------------------------------------------

def header(city: City, caps: dict[str, Cents]) -> str:
    lines = ["; 揭阳市社区社工服务中心（全市推广）专项资金账簿 / city-scale benchmark books", ""]
    start = f"{FIRST_YEAR}-01-01"
    lines += [f'{start} custom "fund-policy" "cash-limit" 1000.00 CNY',
              f'{start} custom "fund-policy" "split-threshold" 50000.00 CNY',
              f'{start} custom "fund-policy" "split-window-days" 30',
              f'{start} custom "fund-policy" "allocation-due-days" 30',
              f'{start} custom "fund-policy" "evidence-keys" "invoice contract payroll"',
              f'{start} custom "fund-policy" "allocation-due-days" "thirty"',
              f"{start} open Assets:District:General CNY",
              f"{start} open Expenses:District:Hospitality CNY",
              f"{start} open Equity:Opening CNY",
              f"{start} open {SUSPENSE} CNY",
              f"{start} open Expenses:Mystery CNY", '  fund: "ghost"',
              f'{start} custom "budget" Expenses:Mystery "fortnightly" 10.00 CNY',
              f'{SEAL_DATE} custom "fund-seal" "{SEALED_MONTH}" "sha256:{"0" * 64}"', ""]
    for centre in city.centres:
        lines += centre_header(centre, caps)
    lines.append("; 拨款计划 / allocations")
    for allocation in sorted(city.allocations, key=lambda a: (a.announced, a.fund)):
        lines += [f'{allocation.announced} custom "allocation" "{allocation.fund}" '
                  f"{money(allocation.amount)} CNY", f"  due: {allocation.due}",
                  f"  source: {allocation.source}"]
    lines.append("; 合同登记 / contracts")
    lines += [contract.text() for contract in sorted(city.contracts,
                                                     key=lambda c: (c.date, c.number))]
    return "\n".join(lines) + "\n"


def centre_header(centre: Centre, caps: dict[str, Cents]) -> list[str]:
    opened = centre.opened
    lines = [f"; {centre.name}"]
    for kind, name in (("Construction", "建设经费"), ("Salary", "社工薪酬"),
                       ("Operating", "日常运营经费")):
        lines.append(f'{opened} custom "fund" "{centre.fund(kind)}" "{centre.name}{name}"')
        if kind == "Construction":
            lines.append(f"  end: {centre.construction_end}")
    accounts = [(centre.bank(kind), kind) for kind in ("Construction", "Salary", "Operating")]
    accounts += [(centre.cash, "Operating")]
    accounts += [(centre.income(kind, "District"), kind)
                 for kind in ("Construction", "Salary", "Operating")]
    accounts += [(centre.income("Operating", "City"), "Operating")]
    accounts += [(centre.expense("Construction", line), "Construction")
                 for line in CONSTRUCTION_LINES]
    accounts += [(centre.expense("Salary", line), "Salary") for line in SALARY_LINES]
    accounts += [(centre.payable(line), "Salary")
                 for line in ("SocialSecurity", "HousingFund", "IncomeTax")]
    accounts += [(centre.expense("Operating", line), "Operating")
                 for line in (*OPERATING_LINES, "Misc")]
    for account, kind in accounts:
        lines += [f"{opened} open {account} CNY", f'  fund: "{centre.fund(kind)}"']
    for account, cap in sorted(caps.items()):
        if account.split(":")[1] == centre.tag:
            lines.append(f'{opened} custom "budget" {account} "yearly" {money(cap)} CNY')
            if account == centre.expense("Operating", "Publicity"):
                lines.append(f"  alert: {ALERT}")
    return [*lines, ""]


def journals(city: City) -> dict[int, str]:
    """Each year's journal: the transactions in date order, a voucher number each, and a
    ``balance`` of every bank and cash account on the first of each month."""
    balances: dict[str, Cents] = defaultdict(int)
    opened = {account: centre.opened for centre in city.centres
              for account in (*(centre.bank(kind) for kind in ("Construction", "Salary",
                                                               "Operating")), centre.cash)}
    texts: dict[int, list[str]] = defaultdict(list)
    month = None
    serial, voucher = 0, ""
    for txn in sorted(city.txns, key=lambda t: (t.date, t.order)):
        if (txn.date.year, txn.date.month) != month:
            month = (txn.date.year, txn.date.month)
            first = txn.date.replace(day=1)
            texts[txn.date.year] += [f"{first} balance {account}  {money(balances[account])} CNY"
                                     for account in sorted(balances) if opened[account] < first]
        if not (txn.repeat_voucher and voucher):
            serial += 1
            voucher = f"记-{txn.date:%Y%m}-{serial:07d}"
        texts[txn.date.year].append(txn.text(voucher))
        for account, amount in txn.postings:
            if account in opened:
                balances[account] += amount
    return {year: "\n\n".join(parts) + "\n" for year, parts in texts.items()}


def write(out: Path, city: City, caps: dict[str, Cents]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    years = journals(city)
    includes = ["accounts.beancount", *(f"{year}.beancount" for year in sorted(years))]
    for plugin in (True, False):
        plugin_line = ['plugin "ledger.plugin"'] if plugin else []
        lines = ['option "title" "揭阳市社区社工服务中心专项资金账簿（基准）"',
                 'option "operating_currency" "CNY"', *plugin_line,
                 f'{FIRST_YEAR}-01-01 custom "fava-extension" "ledger.fava_ext"',
                 *(f'include "{name}"' for name in includes)]
        name = "main.beancount" if plugin else "bare.beancount"
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "accounts.beancount").write_text(header(city, caps), encoding="utf-8")
    for year, text in years.items():
        (out / f"{year}.beancount").write_text(text, encoding="utf-8")
    planted = [{"rule": p.rule, "date": p.date.isoformat(), "fund": p.fund}
               for p in sorted(city.planted, key=lambda p: (p.date, p.rule, p.fund or ""))]
    (out / "planted.json").write_text(json.dumps(planted, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    return len(city.txns)


ONCE = [Planted("unknown-fund", datetime.date(FIRST_YEAR, 1, 1), "ghost"),
        Planted("bad-directive", datetime.date(FIRST_YEAR, 1, 1), "ghost"),  # its line's fund
        Planted("bad-policy", datetime.date(FIRST_YEAR, 1, 1), None),
        Planted("sealed-period-changed", SEAL_DATE, None)]


def build(transactions: int, centres: int, years: int, seed: int,
          violations_every: int) -> tuple[City, dict[str, Cents]]:
    city = City(centres, years, seed)
    for centre in city.centres:
        monthly_routine(city, centre)
        construction(city, centre)
    fixed = len(city.txns) + centres * years * 9
    rules = len(SPENDING) + 2 + len(CONTRACT_RULES)  # and allocation-late, over-budget
    violations = max(transactions // violations_every, rules)
    per_centre = max(0, (transactions - fixed - violations * 2) // centres)
    for centre in city.centres:
        purchases(city, centre, per_centre)
    plant(city, SPENDING, violations * len(SPENDING) // rules)
    caps = budget_caps(city)
    for centre in city.centres:
        allocate(city, centre, caps)
    plant(city, (allocation_late,), violations // rules)
    over_budget(city, caps, violations // rules)
    plant_contracts(city, caps, violations // rules)
    city.planted += ONCE
    city.planted.append(future_allocation(city))
    return city, caps


def future_allocation(city: City) -> Planted:
    """An allocation announced in 2102, a typo for 2012: the tests check on a day before it."""
    centre = city.centres[0]
    city.allocations.append(Allocation(centre.fund("Salary"), FUTURE, 100_000,
                                       FUTURE + datetime.timedelta(days=30),
                                       centre.income("Salary", "District")))
    return Planted("future-date", FUTURE, centre.fund("Salary"))


# --- separate centres: one set of books per centre, for the city's consolidation ---------

SEPARATE_DISTRICTS = ("榕城区", "揭东区", "揭西县", "惠来县", "普宁市", "空港区")
SEPARATE_YEAR = 2013
RECEIVED_ON, DUE_ON, FEE_ON, PAYROLL_ON = 8, 15, 28, 25  # days of each month
LATE_CENTRE = 3  # the centre whose last district allocation for operating never arrives
CENTRE_WAGE = 3_000_000  # cents a month of the centre's wages
WORKS = (("设计费", 800_000), ("装修工程", 3_000_000), ("设备购置", 1_500_000))
OPERATING_COSTS = ("社区服务活动", "志愿者补贴", "水电费", "宣传费", "办公费", "培训费")


@dataclass
class Journal:
    """One centre's vouchers, numbered per month in date order, as the centre's bookkeeper
    numbers them once the month is in."""

    entries: list[tuple[datetime.date, int, list[str], list[str]]] = field(default_factory=list)

    def add(self, date: datetime.date, payee: str, narration: str,
            postings: list[tuple[str, Cents]], meta: dict[str, str] | None = None) -> None:
        head = [f'{date} * "{payee}" "{narration}"']
        rest = [*(f'  {key}: "{value}"' for key, value in (meta or {}).items()),
                *(f"  {account}  {money(amount)} CNY" for account, amount in postings), ""]
        self.entries.append((date, len(self.entries), head, rest))

    @property
    def lines(self) -> list[str]:
        serial: dict[str, int] = defaultdict(int)
        lines: list[str] = []
        for date, _, head, rest in sorted(self.entries, key=lambda entry: entry[:2]):
            month = f"{date:%Y%m}"
            serial[month] += 1
            lines += [*head, f'  voucher: "记-{month}-{serial[month]:03d}"', *rest]
        return lines


@dataclass
class SeparateCentre:
    """One centre of the city's consolidation test data: its books' texts once made."""

    number: int
    months: int
    rng: random.Random
    journal: Journal = field(default_factory=Journal)
    spent: dict[str, Cents] = field(default_factory=lambda: defaultdict(int))
    allocations: list[str] = field(default_factory=list)
    planted: list[Planted] = field(default_factory=list)
    invoices: int = 0

    @property
    def district(self) -> str:
        return SEPARATE_DISTRICTS[self.number % len(SEPARATE_DISTRICTS)]

    @property
    def unit(self) -> str:
        return f"揭阳市{self.district}第{self.number}社区社工服务中心"

    @property
    def folder(self) -> str:
        return f"c{self.number:04d}"

    @property
    def size(self) -> int:
        """Operating purchases a month: from 2 to 14, by centre."""
        return 2 + (self.number * 7 % 5) * 3

    def invoice(self) -> dict[str, str]:
        self.invoices += 1
        return {"invoice": f"{self.number:04d}{self.invoices:06d}"}

    def spend(self, date: datetime.date, payee: str, cost: str, bank: str, amount: Cents,
              meta: dict[str, str] | None = None) -> None:
        self.journal.add(date, payee, cost.rsplit(":", 1)[1],
                         [(cost, amount), (bank, -amount)],
                         self.invoice() if meta is None else meta)
        self.spent[cost] += amount

    def allocate(self, fund: FundAccounts, source: str, month: int, amount: Cents,
                 received: bool = True) -> None:
        """An allocation announced on the month's first day, due on the 15th, received on the
        8th unless not ``received``."""
        announced = datetime.date(SEPARATE_YEAR, month, 1)
        self.allocations += [f'{announced} custom "allocation" "{fund.code}" {money(amount)} CNY',
                             f"  due: {announced.replace(day=DUE_ON)}",
                             f"  source: {fund.grant(source)}"]
        if received:
            day = announced.replace(day=RECEIVED_ON)
            self.journal.add(day, f"揭阳市{self.district}财政局" if source == "区财政"
                             else "揭阳市财政局", f"{source}拨入{fund.name}",
                             [(fund.bank, amount), (fund.grant(source), -amount)],
                             {"receipt": f"HD{self.number:04d}{month:02d}{len(self.allocations)}"})


def separate_month(centre: SeparateCentre, month: int) -> None:
    """A month of one centre: the allocations received, the payroll, the works of the first
    half-year, the operating purchases and each account's bank fee."""
    last = month == centre.months
    operating_need = centre.size * 160_000 + 200_000
    centre.allocate(SALARY_FUND, "区财政", month, CENTRE_WAGE + 100_000)
    centre.allocate(OPERATING_FUND, "区财政", month, operating_need,
                    received=not (last and centre.number == LATE_CENTRE))
    if month % 3 == 1:
        centre.allocate(OPERATING_FUND, "市财政", month, 300_000)
    if month <= 6:
        centre.allocate(CONSTRUCTION_FUND, "区财政", month,
                        sum(amount for _, amount in WORKS) + 100_000)
        for index, (item, amount) in enumerate(WORKS):
            centre.spend(datetime.date(SEPARATE_YEAR, month, 10 + index),
                         f"揭阳市{centre.district}{item}承包商{month}号",
                         CONSTRUCTION_FUND.cost(item), CONSTRUCTION_FUND.bank, amount)
    label = f"{SEPARATE_YEAR}-{month:02d}"
    centre.spend(datetime.date(SEPARATE_YEAR, month, PAYROLL_ON), f"社工（{label}）",
                 SALARY_FUND.cost("应发工资"), SALARY_FUND.bank, CENTRE_WAGE, {"payroll": label})
    for _ in range(centre.size):
        item = OPERATING_COSTS[centre.rng.randrange(len(OPERATING_COSTS))]
        code = "5201" if item == "办公费" else "5101"
        centre.spend(datetime.date(SEPARATE_YEAR, month, 9 + centre.rng.randrange(15)),
                     f"揭阳市{centre.district}{TRADES[centre.rng.randrange(len(TRADES))]}"
                     f"{centre.rng.randrange(1000)}号", OPERATING_FUND.cost(item, code),
                     OPERATING_FUND.bank, 5_000 + centre.rng.randrange(100_000))
    for fund in (CONSTRUCTION_FUND, SALARY_FUND, OPERATING_FUND):
        centre.spend(datetime.date(SEPARATE_YEAR, month, FEE_ON), "揭阳农商银行", fund.bank_fee,
                     fund.bank, 500 + centre.rng.randrange(1000),
                     {"receipt": f"SX{centre.number:04d}{month:02d}{fund.code[:2]}"})


def plant_separate(centre: SeparateCentre) -> None:
    """The violations planted in some centres, in the last month, and the late allocation."""
    day = datetime.date(SEPARATE_YEAR, centre.months, 20)
    if centre.number % 5 == 2:  # operating costs paid out of the salary account
        centre.spend(day, "揭阳市文具店", OPERATING_FUND.cost("办公费", "5201"),
                     SALARY_FUND.bank, 80_000)
        centre.planted.append(Planted("cross-fund", day, SALARY_FUND.code))
    if centre.number % 5 == 4:  # a purchase without its invoice
        centre.spend(day, "揭阳市印务店", OPERATING_FUND.cost("宣传费"), OPERATING_FUND.bank,
                     60_000, {})
        centre.planted.append(Planted("missing-evidence", day, OPERATING_FUND.code))
    if centre.number % 7 == 6:  # the evaluation, budgeted at 5,000.00, paid 8,000.00
        centre.spend(day, "揭阳市社会工作评估中心", OPERATING_FUND.cost("第三方评估费"),
                     OPERATING_FUND.bank, 800_000)
        centre.planted.append(Planted("over-budget", day, OPERATING_FUND.code))
    if centre.number == LATE_CENTRE:
        due = datetime.date(SEPARATE_YEAR, centre.months, DUE_ON)
        centre.planted.append(Planted("allocation-late", due, OPERATING_FUND.code))


def separate_budgets(centre: SeparateCentre) -> list[str]:
    """A yearly budget per expense line: what the books spend on it and half again, the
    evaluation's 5,000.00 (which a planted payment overruns)."""
    day = f"{SEPARATE_YEAR}-01-01"
    evaluation = OPERATING_FUND.cost("第三方评估费")
    caps = {account: spent * 3 // 2 // 10_000 * 10_000 + 10_000
            for account, spent in centre.spent.items()}
    caps[evaluation] = 500_000
    return [f'{day} custom "budget" {account} "yearly" {money(cap)} CNY'
            for account, cap in sorted(caps.items())]


def separate_centre(number: int, months: int, seed: int) -> SeparateCentre:
    centre = SeparateCentre(number, months, random.Random(seed * 100_003 + number))
    for month in range(1, months + 1):
        separate_month(centre, month)
    plant_separate(centre)
    return centre


def write_separate(out: Path, centres: int, months: int, seed: int) -> int:
    """Each centre's books in ``out/cNNNN/`` (new books as ``funds init`` writes them, the
    journal and the plan filled in, ``planted.json``) and ``out/centres.csv``, the registry."""
    registry = ["单位名称,区"]
    findings = 0
    for number in range(1, centres + 1):
        centre = separate_centre(number, months, seed)
        texts = new_centre_books(new_centre(centre.unit, SEPARATE_YEAR))
        journal = f"{SEPARATE_YEAR}.beancount"
        texts[journal] += "\n" + "\n".join(centre.journal.lines)
        texts[f"plan/{SEPARATE_YEAR}.beancount"] = "\n".join(
            [f"; {centre.unit} {SEPARATE_YEAR} 年资金使用计划 / the fund-use plan",
             *separate_budgets(centre), "", *centre.allocations]) + "\n"
        planted = [{"rule": p.rule, "date": p.date.isoformat(), "fund": p.fund}
                   for p in centre.planted]
        texts["planted.json"] = json.dumps(planted, ensure_ascii=False, indent=1) + "\n"
        for name, text in texts.items():
            path = out / centre.folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        registry.append(f"{centre.unit},{centre.district}")
        findings += len(planted)
    (out / "centres.csv").write_text("\n".join(registry) + "\n", encoding="utf-8")
    return findings


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--centres", type=int, help="default: one per 10,000 transactions "
                        "(with --separate: 6)")
    parser.add_argument("--years", type=int, default=5, choices=range(2, 31), metavar="2..30")
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--violations-every", type=int, default=1000)
    parser.add_argument("--separate", type=Path, metavar="OUT",
                        help="each centre's books in a folder of its own under OUT, and "
                             "OUT/centres.csv")
    parser.add_argument("--months", type=int, default=12, choices=range(1, 13), metavar="1..12",
                        help=f"with --separate: the months of {SEPARATE_YEAR} the books cover")
    args = parser.parse_args(argv)
    if (args.out is None) == (args.separate is None):
        parser.error("give OUT_DIR or --separate OUT, not both")
    if args.separate is not None:
        centres = args.centres or 6
        planted = write_separate(args.separate, centres, args.months, args.seed)
        print(f"wrote the books of {centres} centres ({SEPARATE_YEAR}-01 to "
              f"{SEPARATE_YEAR}-{args.months:02d}), {planted} planted findings, to "
              f"{args.separate}")
        return
    centres = args.centres or max(1, args.transactions // 10_000)
    city, caps = build(args.transactions, centres, args.years, args.seed, args.violations_every)
    count = write(args.out, city, caps)
    print(f"wrote {count} transactions of {centres} centres over {args.years} years, "
          f"{len(city.planted)} planted findings, to {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
