"""Contracts (合同) and what is charged and paid under them: the commitments a budget line
carries before the money goes.

    2012-06-20 custom "contract" "DSPG-2012-001" "construction" 370000.00 CNY
      payee: "揭阳市某装饰工程有限公司"
      account: Expenses:5101-业务活动成本:建设经费:装修工程   ; the budget line it commits
      retention: 0.05                                          ; optional 质保金 share of the sum
      retention-until: 2013-09-30                              ; required with retention
      approval: "东管〔2012〕31号"                               ; optional

The directive's date is the signing date; a later directive with the same number and fund is a
dated change (补充协议) of its sum or terms, in force from its date. A transaction belongs to a
contract when it quotes its number under ``contract:`` (on the transaction, or on postings).

Under a contract, per transaction quoting it:

- **charged** is the net debit to the contract's fund's Expenses postings the quote covers (the
  whole transaction's, or those postings that carry it): the costs booked, paid at once or
  booked to a payable; a refund under the contract charges a negative amount;
- **paid** is the net credit to the fund's Assets postings the quote covers; a quote on costs
  alone (no Assets posting carries it) pays what the fund's Assets give in the transaction, at
  most what it charges.

**Committed** on a date is the sum in force minus what has been charged up to that date, never
below zero; nothing before the signing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from beancount.core.account_types import AccountTypes
from beancount.core.amount import Amount

from ledger.model.account_names import is_account_name
from ledger.model.budget import Budgets
from ledger.model.evidence import document_numbers
from ledger.model.findings import custom_values, shown_values
from ledger.model.postings import Leg

CONTRACT_TYPE = "contract"
CONTRACT_KEY = "contract"  # the evidence key a payment quotes the contract's number under
ZERO = Decimal(0)
ONE = Decimal(1)
_NUMBER = re.compile(r"\S(?:.*\S)?")


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


def read_contract_directive(entry: data.Custom, roots: AccountTypes) -> ContractTerms | str:
    """The terms a contract directive states, or a message saying what is wrong with it."""
    values = custom_values(entry)
    meta = entry.meta or {}
    usage = (f'合同应为 custom "contract" "合同号" "专项代码" 正金额 币种，实为 '
             f'{shown_values(entry)} / expected custom "contract" "NUMBER" "FUND" AMOUNT '
             'CURRENCY (amount > 0)')
    if (len(values) != 3 or not isinstance(values[0], str) or not isinstance(values[1], str)
            or not isinstance(values[2], Amount) or values[2].number is None
            or values[2].number <= 0 or not _NUMBER.fullmatch(values[0]) or not values[1]):
        return usage
    account = meta.get("account")
    if account is not None and not (is_account_name(account, roots)
                                    and str(account).split(":")[0] == roots.expenses):
        return (f"account: 应为专项的支出科目（{roots.expenses}:…），实为 {account!r} / account: "
                f"must be an {roots.expenses} account of the fund, got {account!r}")
    retention = _retention(meta)
    if isinstance(retention, str):
        return retention
    until = meta.get("retention-until")
    if until is not None and not isinstance(until, datetime.date):
        return (f"retention-until: 应为日期，实为 {until!r} / retention-until: must be a date, "
                f"got {until!r}")
    if retention and until is None:
        return ("有质保金（retention:）时须写明到期日 retention-until: / retention: needs "
                "retention-until: DATE")
    amount: Amount = values[2]
    assert amount.number is not None
    return ContractTerms(values[0].strip(), values[1], amount.number, amount.currency, entry.date,
                         _text(meta.get("payee")), str(account) if account else None, retention,
                         until, _text(meta.get("approval")), entry)


def _retention(meta: data.Meta) -> Decimal | str:
    value = meta.get("retention")
    if value is None:
        return ZERO
    if not isinstance(value, Decimal) or not ZERO <= value < ONE:
        return (f"retention: 应为 0 到 1 之间的比例（如 0.05），实为 {value!r} / retention: must "
                f"be a share from 0 to 1 (e.g. 0.05), got {value!r}")
    return value


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def contract_numbers(meta: data.Meta | None) -> list[str]:
    """The contract numbers one transaction's or posting's ``contract:`` quotes."""
    value = meta.get(CONTRACT_KEY) if meta else None
    text = str(value).strip() if value is not None else ""
    return document_numbers([text]) if text else []


@dataclass(frozen=True)
class ContractMove:
    """What one transaction charges and pays under one contract."""

    number: str
    transaction: data.Transaction
    charged: Decimal
    paid: Decimal


def contract_moves(transaction: data.Transaction, legs: list[Leg],
                   contracts: dict[str, Contract], roots: AccountTypes) -> list[ContractMove]:
    """The transaction's moves under the contracts it quotes (numbers no contract declares are
    left out): see the module's docstring."""
    quoted = contract_numbers(transaction.meta)
    on_postings = {id(leg[0]): contract_numbers(leg[0].meta) for leg in legs if leg[0].meta}
    numbers = dict.fromkeys([*quoted, *(n for ns in on_postings.values() for n in ns)])
    moves = []
    for number in numbers:
        contract = contracts.get(number)
        if contract is None:
            continue
        covers_all = number in quoted
        charged = paid = given = ZERO
        carried_assets = False
        for leg in legs:
            posting, _, owner, root, amount, currency = leg
            if owner != contract.fund or currency != contract.terms[0].currency:
                continue
            carried = covers_all or number in on_postings.get(id(posting), ())
            if root == roots.assets:
                given -= amount
                if carried:
                    carried_assets = True
                    paid -= amount
            elif root == roots.expenses and carried:
                charged += amount
        if not carried_assets:
            paid = max(ZERO, min(given, charged)) if charged > 0 else ZERO
        if charged or paid:
            moves.append(ContractMove(number, transaction, charged, paid))
    return moves


@dataclass
class ContractPosition:
    """A contract's figures on a date: the sum in force, what has been charged and paid, what
    it still commits and the retention still held."""

    contract: Contract
    amount: Decimal = ZERO
    charged: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def committed(self) -> Decimal:
        return max(ZERO, self.amount - self.charged)

    @property
    def retention_held(self) -> Decimal:
        """The 质保金 not paid yet: the retained share less what was paid beyond the rest."""
        terms = self.contract.latest
        retained = self.amount * terms.retention
        paid_into = max(ZERO, self.paid - (self.amount - retained))
        return max(ZERO, retained - paid_into)

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
            positions[number] = ContractPosition(contract, terms.amount)
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


def committed_by_line(positions: dict[str, ContractPosition], budgets: Budgets,
                      ) -> dict[str, Decimal]:
    """What the open contracts commit per budget line, on the positions' date: on every line
    covering their terms' ``account:`` (a line above another counts its contracts, as it
    counts its spending)."""
    committed: dict[str, Decimal] = {}
    for position in positions.values():
        account = position.contract.latest.account
        if account is None or not position.committed:
            continue
        for line in budgets.covering(account):
            committed[line] = committed.get(line, ZERO) + position.committed
    return committed
