"""Contracts (合同) and what is charged and paid under them: the commitments a budget line
carries before the money goes.

    2012-06-20 custom "contract" "DSPG-2012-001" "construction" 370000.00 CNY
      payee: "揭阳市某装饰工程有限公司"
      account: Expenses:5101-业务活动成本:建设经费:装修工程   ; the budget line it commits
      retention: 0.05                                          ; optional 质保金 share of the sum
      retention-until: 2013-09-30                              ; required with retention
      approval: "东管〔2012〕31号"                               ; optional

The directive's date is the signing date; a later directive with the same number and fund is a
dated change (补充协议) of its sum or terms, in force from its date: the terms it does not
restate (payee, account, retention, retention-until, approval) stay as they were. ``account:``
is required (an opened Expenses account of the contract's fund, checked with the fund model in
:mod:`ledger.model.funds`). A transaction belongs to a contract when it quotes its number under
``contract:`` (on the transaction, or on postings).

Under a contract, per transaction quoting it:

- **charged** is the net debit to the contract's fund's Expenses postings the quote covers (the
  whole transaction's, or those postings that carry it): the costs booked, paid at once or
  booked to a payable; a refund under the contract charges a negative amount;
- **paid** is the net credit to the fund's Assets postings the quote covers. A quote no Assets
  posting carries pays what the fund's Assets give in the transaction (those quoting another
  contract left out) towards what it calls for: what it charges, and the payables it settles
  (a debit to a Liabilities posting that carries it, as when a payable booked under the
  contract is paid off); a refund under it (charged negative) takes back at most what the
  Assets receive. Several such quotes in one transaction share what the Assets give, in the
  order of their first posting: to be exact, quote the contracts on the Assets postings.

**Committed** on a date is the sum in force minus what has been charged up to that date, never
below zero; nothing before the signing. The 质保金 **held** on a date is what is actually
withheld: what has been charged and not paid, at most the retention share of the sum in force.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from beancount.core import data
from beancount.core.account_types import AccountTypes
from beancount.core.amount import Amount

from ledger.model.account_names import is_account_name
from ledger.model.budget import Budgets
from ledger.model.evidence import document_numbers
from ledger.model.findings import custom_values, shown_values, written_value
from ledger.model.postings import Leg
from ledger.model.voucher import Voucher

CONTRACT_TYPE = "contract"
CONTRACT_KEY = "contract"  # the evidence key a payment quotes the contract's number under
ZERO = Decimal(0)
ONE = Decimal(1)
_NUMBER = re.compile(r"\S(?:.*\S)?")
_RESTATED = {"payee": "payee", "account": "account", "retention": "retention",
             "retention-until": "retention_until", "approval": "approval"}  # key: field


@dataclass(frozen=True)
class ContractTerms:
    """One ``custom "contract"`` directive: the signing, or a change of the sum or terms."""

    number: str
    fund: str
    amount: Decimal
    currency: str
    date: datetime.date
    payee: str | None
    account: str | None  # the Expenses account whose budget line the contract commits
    retention: Decimal  # the 质保金 share of the sum, 0 for none
    retention_until: datetime.date | None
    approval: str | None
    entry: data.Custom

    @property
    def payable_before_retention(self) -> Decimal:
        """What may be paid before ``retention_until``: (1 − retention) × sum."""
        return self.amount * (ONE - self.retention)


@dataclass
class Contract:
    """A contract's terms in date order: the signing first, then its changes."""

    number: str
    fund: str
    terms: list[ContractTerms] = field(default_factory=list)

    @property
    def signed(self) -> datetime.date:
        return self.terms[0].date

    @property
    def latest(self) -> ContractTerms:
        return self.terms[-1]

    def in_force(self, date: datetime.date) -> ContractTerms | None:
        """The terms in force on ``date``; None before the signing."""
        found = None
        for terms in self.terms:
            if terms.date > date:
                break
            found = terms
        return found


def read_contract_directive(entry: data.Custom, roots: AccountTypes,
                            contracts: Mapping[str, Contract] | None = None,
                            ) -> ContractTerms | str:
    """The terms a contract directive states, or a message saying what is wrong with it. A
    change of one of ``contracts`` (same number and fund) keeps the terms it does not
    restate."""
    values = custom_values(entry)
    meta = entry.meta or {}
    usage = (f'合同应为 custom "contract" "合同号" "专项代码" 正金额 币种，实为 '
             f'{shown_values(entry)} / expected custom "contract" "NUMBER" "FUND" AMOUNT '
             'CURRENCY (amount > 0)')
    if (len(values) != 3 or not isinstance(values[0], str) or not isinstance(values[1], str)
            or not isinstance(values[2], Amount) or values[2].number is None
            or values[2].number <= 0 or not _NUMBER.fullmatch(values[0]) or not values[1]):
        return usage
    if document_numbers([values[0]]) != [values[0]]:
        return (f"合同号 {values[0]} 含分隔符（, ; ， ； 、），付款的 contract: 无法引用该合同 / "
                f"contract number {values[0]} contains a separator (, ; ， ； 、): no "
                "payment's contract: could quote it")
    account = meta.get("account")
    if account is not None and not (is_account_name(account, roots)
                                    and str(account).split(":")[0] == roots.expenses):
        return (f"account: 应为专项的支出科目（{roots.expenses}:…），实为 {account} / account: "
                f"must be an {roots.expenses} account of the fund, got {account}")
    retention = _retention(meta)
    if isinstance(retention, str):
        return retention
    until = meta.get("retention-until")
    if until is not None and not isinstance(until, datetime.date):
        return (f"retention-until: 应为日期，实为 {written_value(until)} / retention-until: "
                f"must be a date, got {written_value(until)}")
    amount: Amount = values[2]
    assert amount.number is not None
    terms = ContractTerms(values[0], values[1], amount.number, amount.currency,
                          entry.date, _text(meta.get("payee")),
                          str(account) if account else None, retention or ZERO, until,
                          _text(meta.get("approval")), entry)
    earlier = (contracts or {}).get(terms.number)
    if earlier is not None and earlier.fund == terms.fund:
        terms = _keep_unstated(terms, earlier.latest, meta)
    if terms.account is None:
        return ("合同须写明 account:（合同承诺的专项支出科目，决定其占用的预算科目） / a contract "
                "needs account: (the fund's Expenses account whose budget line it commits)")
    if terms.retention and terms.retention_until is None:
        return ("有质保金（retention:）时须写明到期日 retention-until: / retention: needs "
                "retention-until: DATE")
    return terms


def _keep_unstated(terms: ContractTerms, earlier: ContractTerms,
                   meta: data.Meta) -> ContractTerms:
    """A change's terms with the earlier ones it does not restate."""
    kept = {name: getattr(earlier, name) for key, name in _RESTATED.items() if key not in meta}
    return replace(terms, **kept) if kept else terms


def _retention(meta: data.Meta) -> Decimal | str | None:
    """The ``retention:`` share; None when not stated."""
    value = meta.get("retention")
    if value is None:
        return None
    if not isinstance(value, Decimal) or not ZERO <= value < ONE:
        return (f"retention: 应为 0 到 1 之间的比例（如 0.05），实为 {written_value(value)} / "
                f"retention: must be a share from 0 to 1 (e.g. 0.05), got "
                f"{written_value(value)}")
    return value


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def contract_numbers(meta: data.Meta | None) -> list[str]:
    """The contract numbers one transaction's or posting's ``contract:`` quotes."""
    value = meta.get(CONTRACT_KEY) if meta else None
    text = str(value).strip() if value is not None else ""
    return document_numbers([text]) if text else []


def quotes_contract(transaction: data.Transaction) -> bool:
    """Whether the transaction or one of its postings has a ``contract:`` (its value is read
    only then: most transactions have none, and this is asked of each)."""
    return CONTRACT_KEY in transaction.meta or any(
        posting.meta is not None and CONTRACT_KEY in posting.meta
        for posting in transaction.postings)


def quoted_numbers(transaction: data.Transaction) -> list[str]:
    """Every contract number the transaction quotes, on itself and then on its postings,
    once each."""
    numbers = contract_numbers(transaction.meta)
    for posting in transaction.postings:
        if posting.meta and CONTRACT_KEY in posting.meta:
            numbers += contract_numbers(posting.meta)
    return list(dict.fromkeys(numbers))


@dataclass(frozen=True)
class ContractMove:
    """What one transaction charges and pays under one contract."""

    number: str
    transaction: data.Transaction
    charged: Decimal
    paid: Decimal


def contract_moves(transaction: data.Transaction, legs: list[Leg],
                   contracts: Mapping[str, Contract], roots: AccountTypes) -> list[ContractMove]:
    """The transaction's moves under the contracts it quotes (numbers no contract declares are
    left out): see the module's docstring. Quotes that carry no Assets posting share what the
    fund's Assets give, in the order of their first posting (the transaction's own quote
    first)."""
    if not quotes_contract(transaction):
        return []
    quoted = contract_numbers(transaction.meta)
    on_postings = {id(leg[0]): contract_numbers(leg[0].meta) for leg in legs if leg[0].meta}
    left: dict[tuple[str, str], Decimal] = {}  # per fund and currency: Assets' money not taken
    moves = []
    for number in quoted_numbers(transaction):
        contract = contracts.get(number)
        if contract is None:
            continue
        quote = Quote(number, number in quoted, on_postings)
        charged, paid = quote.moves(legs, contract.fund, contract.terms[0].currency, roots, left)
        if charged or paid:
            moves.append(ContractMove(number, transaction, charged, paid))
    return moves


def voucher_quotes(voucher: Voucher) -> bool:
    """:func:`quotes_contract` of a voucher the rules read: only the postings with metadata
    of their own are looked at (asked of every transaction, by more than one rule)."""
    if CONTRACT_KEY in voucher.transaction.meta:
        return True
    annotated = voucher.annotated
    return bool(annotated) and any(
        posting.meta is not None and CONTRACT_KEY in posting.meta for posting in annotated)


def voucher_moves(voucher: Voucher, contracts: Mapping[str, Contract],
                  roots: AccountTypes) -> list[ContractMove]:
    """:func:`contract_moves` of a voucher the rules read (none without a quote)."""
    if not contracts or not voucher_quotes(voucher):
        return []
    return contract_moves(voucher.transaction, voucher.legs, contracts, roots)


@dataclass(frozen=True)
class Quote:
    """A contract number as one transaction quotes it: on the transaction (covering all its
    postings), or on some postings (``on_postings``: the numbers each posting quotes, by the
    posting's id)."""

    number: str
    covers_all: bool
    on_postings: Mapping[int, list[str]]

    @classmethod
    def of(cls, number: str, transaction: data.Transaction, legs: list[Leg]) -> Quote:
        on_postings = {id(leg[0]): contract_numbers(leg[0].meta) for leg in legs if leg[0].meta}
        return cls(number, number in contract_numbers(transaction.meta), on_postings)

    def covers(self, posting: data.Posting) -> bool:
        return self.covers_all or self.number in self.on_postings.get(id(posting), ())

    def moves(self, legs: list[Leg], fund: str, currency: str, roots: AccountTypes,
              left: dict[tuple[str, str], Decimal] | None = None) -> tuple[Decimal, Decimal]:
        """What the quote charges and pays on ``fund``'s accounts in ``currency``.

        Paid is the net credit to the Assets postings it carries. Without one, it is what the
        fund's Assets postings that quote no contract give towards what the quote calls for:
        its costs (a refund, negative, takes back at most what the Assets receive) and the
        payables it settles (debits to Liabilities postings it carries). ``left``, shared by
        a transaction's quotes, holds per fund and currency what the Assets still give once
        earlier quotes took their part."""
        charged = given = settled = paid = ZERO
        carried_assets = False
        for posting, _, owner, root, amount, in_currency in legs:
            if owner != fund or in_currency != currency:
                continue
            carried = self.covers(posting)
            if root == roots.assets:
                if carried:
                    carried_assets = True
                    paid -= amount
                elif not self.on_postings.get(id(posting)):  # not another contract's
                    given -= amount
            elif carried and root == roots.expenses:
                charged += amount
            elif carried and root == roots.liabilities and amount > 0:
                settled += amount
        if carried_assets:
            return charged, paid
        left = {} if left is None else left
        pool = left.setdefault((fund, currency), given)
        called = charged + settled
        if called > 0:
            paid = max(ZERO, min(pool, called))
        elif called < 0:
            paid = -max(ZERO, min(-pool, -called))
        left[fund, currency] = pool - paid
        return charged, paid


@dataclass
class ContractPosition:
    """A contract's figures on a date: the sum in force, what has been charged and paid, what
    it still commits and the retention still held."""

    contract: Contract
    amount: Decimal = ZERO
    charged: Decimal = ZERO
    paid: Decimal = ZERO
    terms: ContractTerms | None = None  # in force on the date (the latest if not given)

    @property
    def committed(self) -> Decimal:
        return max(ZERO, self.amount - self.charged)

    @property
    def retention_held(self) -> Decimal:
        """The 质保金 actually withheld: what is charged and not yet paid, at most the
        retention share of the sum in force."""
        terms = self.terms or self.contract.latest
        return min(self.amount * terms.retention, max(ZERO, self.charged - self.paid))

    @property
    def status(self) -> str:
        """``overrun`` (charged beyond the sum), ``paid`` (charged and paid to the sum: nothing
        committed, no 质保金 held), or ``open``."""
        if self.charged > self.amount:
            return "overrun"
        settled = self.charged == self.amount and self.paid >= self.amount
        return "paid" if settled else "open"


def contract_positions(contracts: dict[str, Contract],
                       moves: list[ContractMove], date: datetime.date,
                       ) -> dict[str, ContractPosition]:
    """Each contract signed by ``date``, with the moves up to that date (``moves`` of any
    dates; those after ``date`` are left out)."""
    positions: dict[str, ContractPosition] = {}
    for number, contract in contracts.items():
        terms = contract.in_force(date)
        if terms is not None:
            positions[number] = ContractPosition(contract, terms.amount, terms=terms)
    for move in moves:
        position = positions.get(move.number)
        if position is not None and move.transaction.date <= date:
            position.charged += move.charged
            position.paid += move.paid
    return positions


def contract_line(terms: ContractTerms, budgets: Budgets) -> str | None:
    """The budget line a contract's terms commit: that of its ``account:``, else the nearest
    ancestor's that has one; None without ``account:`` or without a line."""
    if terms.account is None:
        return None
    lines = budgets.covering(terms.account)
    return lines[0] if lines else None


def committed_by_line(positions: Mapping[str, ContractPosition], budgets: Budgets,
                      ) -> dict[tuple[str, str], Decimal]:
    """What the open contracts commit per budget line and currency, on the positions' date: on
    every line covering the ``account:`` of their terms in force (a line above another counts
    its contracts, as it counts its spending)."""
    committed: dict[tuple[str, str], Decimal] = {}
    for position in positions.values():
        terms = position.terms or position.contract.latest
        if terms.account is None or not position.committed:
            continue
        for line in budgets.covering(terms.account):
            key = (line, terms.currency)
            committed[key] = committed.get(key, ZERO) + position.committed
    return committed


class TermsInDateOrder:
    """Every contract's signing and changes in date order (the books' order within a day),
    handed out as a pass over the transactions reaches their dates."""

    def __init__(self, contracts: Mapping[str, Contract]) -> None:
        every = [terms for contract in contracts.values() for terms in contract.terms]
        self.pending = sorted(every, key=_date_and_place)
        self.next = 0

    def due(self, date: datetime.date, *, before: bool = False) -> list[ContractTerms]:
        """The terms dated on or before ``date`` (only before it, if ``before``) not handed out
        yet."""
        start = end = self.next
        pending = self.pending
        if start == len(pending) or pending[start].date > date or (
                before and pending[start].date == date):
            return []  # the usual: nothing signed since the last transaction
        while end < len(pending) and (pending[end].date < date or (
                not before and pending[end].date == date)):
            end += 1
        self.next = end
        return pending[start:end]

    def rest(self) -> list[ContractTerms]:
        """The terms not handed out yet (dated after the last transaction)."""
        return self.due(datetime.date.max)


def _date_and_place(terms: ContractTerms) -> tuple[datetime.date, str, int]:
    meta = terms.entry.meta or {}
    return terms.date, str(meta.get("filename", "")), int(meta.get("lineno", 0))
