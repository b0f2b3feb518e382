"""A month's 记账凭证 and their 凭证封面, as figures to print (no PDF here).

The rule of what a voucher is:

- the month's transactions (those dated in it; the ones Beancount makes itself, ``pad``'s and
  summaries, are no vouchers) grouped by their ``voucher:`` metadata: one voucher per number,
  however many transactions carry it. A transaction without ``voucher:`` is a voucher of its own,
  marked 无凭证号. Vouchers come in number order (the number :func:`parse_voucher` reads, e.g.
  1 for ``记-201210-001``; then the number as written), a number without digits after them, the
  无凭证号 ones last, by date and then as the books list them.
- its date is its earliest transaction's; its 记字 number N is the voucher number's number.
- 附件张数: the ``attachments:`` metadata of its transactions where given (a whole number, summed
  over the voucher's transactions); for a transaction without it, the evidence it quotes: every
  number of the policy's ``evidence-keys`` in force on its date and of ``approval:`` (on the
  transaction or its postings; one ``invoice:`` may list several numbers), each number once per
  voucher, and the ``document`` directives that carry the voucher's number as ``voucher:`` or share
  a link with one of its transactions.
- its lines: 摘要 | 总账科目 | 明细科目 | 借方 | 贷方. Each account's postings are merged: its
  debits summed into one line and its credits into another (a bookkeeper does not net a debit
  against a credit on a voucher); the debit lines first, then the credit lines, each in the order
  the accounts first appear. The amount is the posting's weight (what balances the transaction):
  the units, or their cost or price. An amount in a currency other than the books' operating
  currency keeps its currency code; one whose units are in another currency than its weight
  (``100 USD @ 6.50 CNY``) notes the units in the 摘要 (``原币 100.00 USD``). The 摘要 is the
  narration of the line's first transaction, the payee after it in brackets when the narration
  does not already name it. Zero amounts make no line.
- 合计 per currency, the operating currency first; 大写 (:func:`chinese_capitals`) is given for
  the operating currency only (大写 reads 元).
- signatures: 制单 and 审核 from the ``preparer:``/``reviewer:`` metadata of its first transaction
  that has one, else from the policy's signer keys (``signer-preparer``, ``signer-reviewer``);
  会计主管, 记账 and 出纳 from ``signer-supervisor``, ``signer-bookkeeper``, ``signer-cashier``.

The cover (凭证封面): 单位 (the books' title), 年月, 凭证起讫号 (per form of number, the text
around it: the first and last voucher, and the numbers missing between them, 断号), 张数
(vouchers), 附件总数 and 借贷合计 per currency, summed over the vouchers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import convert, data, flags

from importers.vouchers import parse_voucher
from ledger.model.books import Books
from ledger.model.capitals import chinese_capitals
from ledger.model.evidence import quoted_numbers
from ledger.model.policy import SIGNER_ROLES, Policy
from reports.month import Month
from reports.printed.layout import account_names

NO_NUMBER = "无凭证号"
# Beancount's own transactions (pad, summaries, transfers, conversions, merges): no vouchers
MADE_BY_BEANCOUNT = frozenset({flags.FLAG_PADDING, flags.FLAG_SUMMARIZE, flags.FLAG_TRANSFER,
                               flags.FLAG_CONVERSIONS, flags.FLAG_MERGING})
ZERO = Decimal(0)


class VoucherError(ValueError):
    """Metadata a voucher cannot be printed with; the message names its file and line."""


@dataclass(frozen=True)
class VoucherLine:
    """One line of a voucher: an account's debits or its credits, merged."""

    summary: str
    account: str
    general: str
    detail: str
    debit: Decimal
    credit: Decimal
    currency: str


@dataclass(frozen=True)
class Totals:
    """A currency's debits and credits."""

    currency: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class PrintedVoucher:
    """One 记账凭证 as printed."""

    voucher: str | None  # the ``voucher:`` value as written; None for 无凭证号
    number: int | None  # the 记字 number N
    form: tuple[str, str] | None  # the text before and after N (``记-201210-``, "")
    date: datetime.date
    attachments: int
    lines: tuple[VoucherLine, ...]
    totals: tuple[Totals, ...]  # the operating currency first
    signers: dict[str, str]  # role (SIGNER_ROLES) -> name, "" when unknown
    sources: tuple[str, ...]  # each transaction's file:line

    @property
    def label(self) -> str:
        """记字第 N 号, the number as written when it has no digits, or 无凭证号."""
        if self.number is not None:
            return f"记字第 {self.number} 号"
        return self.voucher if self.voucher is not None else NO_NUMBER


@dataclass(frozen=True)
class Sequence:
    """The vouchers of one form of number in a month: the first, the last and the numbers
    missing between them (断号)."""

    first: PrintedVoucher
    last: PrintedVoucher
    missing: tuple[int, ...]


def _sequence(vouchers: list[PrintedVoucher]) -> Sequence:
    """The sequence of vouchers of one form, in number order."""
    numbers = {voucher.number for voucher in vouchers}
    first, last = vouchers[0], vouchers[-1]
    low, high = first.number or 0, last.number or 0
    return Sequence(first, last, tuple(number for number in range(low, high + 1)
                                       if number not in numbers))


@dataclass(frozen=True)
class VoucherMonth:
    """A month's vouchers and what their cover says."""

    unit: str
    month: Month
    operating_currency: str
    vouchers: tuple[PrintedVoucher, ...]

    @property
    def sequences(self) -> list[Sequence]:
        """凭证起讫号 per form of number (the text around it: ``记-201210-001`` and a late
        ``记-201209-015`` are two forms, as ``voucher-sequence`` judges them), in the order
        their first voucher prints."""
        forms: dict[tuple[str, str], list[PrintedVoucher]] = {}
        for voucher in self.vouchers:
            if voucher.form is not None:
                forms.setdefault(voucher.form, []).append(voucher)
        return [_sequence(vouchers) for vouchers in forms.values()]

    @property
    def without_digits(self) -> list[str]:
        """The voucher numbers as written that have no digits to read (no sequence)."""
        return [voucher.voucher for voucher in self.vouchers
                if voucher.voucher is not None and voucher.form is None]

    @property
    def merged(self) -> list[PrintedVoucher]:
        """The vouchers printed from several transactions (one number on each: a repeat,
        perhaps, that ``voucher-sequence`` warns of)."""
        return [voucher for voucher in self.vouchers if len(voucher.sources) > 1]

    @property
    def unnumbered(self) -> int:
        return sum(voucher.voucher is None for voucher in self.vouchers)

    @property
    def attachments(self) -> int:
        return sum(voucher.attachments for voucher in self.vouchers)

    @property
    def totals(self) -> tuple[Totals, ...]:
        """借贷合计 per currency, over every voucher, the operating currency first."""
        summed: dict[str, list[Decimal]] = {self.operating_currency: [ZERO, ZERO]}
        for voucher in self.vouchers:
            for total in voucher.totals:
                pair = summed.setdefault(total.currency, [ZERO, ZERO])
                pair[0] += total.debit
                pair[1] += total.credit
        return tuple(Totals(currency, debit, credit)
                     for currency, (debit, credit) in summed.items())


def capitals(amount: Decimal) -> str:
    """The 大写 of an amount (a negative one, which a voucher should not have, with 负); one
    past 仟亿 says it has none."""
    try:
        return f"负{chinese_capitals(-amount)}" if amount < 0 else chinese_capitals(amount)
    except ValueError:
        return "（超出大写范围 / too large for Chinese capitals）"


def is_voucher(entry: data.Directive) -> bool:
    """A transaction the books hold (not one Beancount made itself)."""
    return isinstance(entry, data.Transaction) and entry.flag not in MADE_BY_BEANCOUNT


def voucher_month(books: Books, options_map: dict[str, Any], month: Month) -> VoucherMonth:
    """The month's vouchers, in number order (see the module's docstring)."""
    currencies = options_map.get("operating_currency") or ["CNY"]
    operating = str(currencies[0])
    unit = str(options_map.get("title") or "专项资金账簿")
    groups: dict[str, list[data.Transaction]] = {}
    single: list[data.Transaction] = []
    for entry in books.transactions:
        if not month.first <= entry.date <= month.last or not is_voucher(entry):
            continue
        number = entry.meta.get("voucher")
        if number is None or not str(number).strip():
            single.append(entry)
        else:
            groups.setdefault(str(number).strip(), []).append(entry)
    documents = _documents(books.entries, month)
    policy = books.model.policy
    printed = [_voucher(number, transactions, operating, policy, documents)
               for number, transactions in groups.items()]
    printed.sort(key=_order)
    printed += [_voucher(None, [transaction], operating, policy, documents)
                for transaction in single]  # the books' order: by date, then as listed
    return VoucherMonth(unit, month, operating, tuple(printed))


def _order(voucher: PrintedVoucher) -> tuple[int, int, str, datetime.date]:
    number = voucher.number
    return (0 if number is not None else 1, number or 0, voucher.voucher or "", voucher.date)


@dataclass
class _Documents:
    """The month's ``document`` directives by their ``voucher:`` and by their links."""

    by_voucher: dict[str, list[data.Document]] = field(default_factory=dict)
    by_link: dict[str, list[data.Document]] = field(default_factory=dict)

    def of(self, voucher: str | None, transactions: Iterable[data.Transaction]) -> int:
        found: dict[int, None] = {}
        for document in self.by_voucher.get(voucher or "", []) if voucher else []:
            found[id(document)] = None
        for transaction in transactions:
            for link in transaction.links or ():
                for document in self.by_link.get(link, []):
                    found[id(document)] = None
        return len(found)


def _documents(entries: Iterable[data.Directive], month: Month) -> _Documents:
    documents = _Documents()
    for entry in entries:
        if not isinstance(entry, data.Document) or not month.first <= entry.date <= month.last:
            continue
        number = (entry.meta or {}).get("voucher")
        if number is not None and str(number).strip():
            documents.by_voucher.setdefault(str(number).strip(), []).append(entry)
        for link in entry.links or ():
            documents.by_link.setdefault(link, []).append(entry)
    return documents


def _voucher(number: str | None, transactions: list[data.Transaction], operating: str,
             policy: Policy, documents: _Documents) -> PrintedVoucher:
    parsed = parse_voucher(number) if number is not None else None
    lines = tuple(_lines(transactions, operating))
    return PrintedVoucher(
        voucher=number, number=parsed.number if parsed else None,
        form=(parsed.head, parsed.tail) if parsed else None,
        date=min(transaction.date for transaction in transactions),
        attachments=_attachments(number, transactions, policy, documents),
        lines=lines, totals=_totals(lines, operating),
        signers=_signers(transactions, policy),
        sources=tuple(_where(transaction) for transaction in transactions))


def _where(entry: data.Directive) -> str:
    meta = entry.meta or {}
    return f"{meta.get('filename', '?')}:{meta.get('lineno', '?')}"


def _summary(transaction: data.Transaction) -> str:
    narration = " ".join((transaction.narration or "").split())  # tabs and line breaks too
    payee = " ".join((transaction.payee or "").split())
    if payee and payee not in narration:
        return f"{narration}（{payee}）" if narration else payee
    return narration


@dataclass
class _Side:
    """One account's debits or credits in one voucher, being summed."""

    summary: str
    account: str
    currency: str
    weight: Decimal = ZERO
    units: Decimal = ZERO
    units_currency: str = ""


def _lines(transactions: list[data.Transaction], operating: str) -> Iterator[VoucherLine]:
    debits: dict[tuple[str, str, str], _Side] = {}
    credits: dict[tuple[str, str, str], _Side] = {}
    for transaction in transactions:
        summary = _summary(transaction)
        for posting in transaction.postings:
            weight = convert.get_weight(posting)  # type: ignore[no-untyped-call]
            if weight is None or weight.number is None or not weight.number:
                continue
            units = posting.units
            units_currency = units.currency if units is not None else weight.currency
            key = (posting.account, weight.currency, units_currency)
            sides = debits if weight.number > 0 else credits
            side = sides.setdefault(key, _Side(summary, posting.account, weight.currency,
                                               units_currency=units_currency))
            side.weight += weight.number
            if units is not None and isinstance(units.number, Decimal):
                side.units += units.number
    for sides, debit in ((debits, True), (credits, False)):
        for side in sides.values():
            names = account_names(side.account)
            summary = side.summary
            if side.units_currency != side.currency:
                summary += f"（原币 {abs(side.units):,.2f} {side.units_currency}）"
            amount = abs(side.weight)
            yield VoucherLine(summary, side.account, names.general, names.detail,
                              amount if debit else ZERO, ZERO if debit else amount,
                              side.currency)


def _totals(lines: tuple[VoucherLine, ...], operating: str) -> tuple[Totals, ...]:
    summed: dict[str, list[Decimal]] = {operating: [ZERO, ZERO]}
    for line in lines:
        pair = summed.setdefault(line.currency, [ZERO, ZERO])
        pair[0] += line.debit
        pair[1] += line.credit
    return tuple(Totals(currency, debit, credit) for currency, (debit, credit) in summed.items())


def _attachments(number: str | None, transactions: list[data.Transaction], policy: Policy,
                 documents: _Documents) -> int:
    given = 0
    counted: list[data.Transaction] = []
    for transaction in transactions:
        value = transaction.meta.get("attachments")
        if value is None:
            counted.append(transaction)
        else:
            given += _attachment_count(value, transaction)
    if not counted:
        return given
    numbers: dict[tuple[str, str], None] = {}
    for transaction in counted:
        keys = policy.keys("evidence-keys", transaction.date)
        for quoted in quoted_numbers(transaction.meta, transaction.postings, keys):
            numbers[quoted] = None
    return given + len(numbers) + documents.of(number, counted)


def _attachment_count(value: object, transaction: data.Transaction) -> int:
    """``attachments:`` as a whole number of sheets (written ``3`` or ``"3"``)."""
    text = value.strip() if isinstance(value, str) else value
    try:
        count = Decimal(text) if isinstance(text, str | Decimal) and not isinstance(
            text, bool) else None
    except ArithmeticError:
        count = None
    if count is None or not count.is_finite() or count < 0 or count != count.to_integral():
        raise VoucherError(
            f"{_where(transaction)}：attachments: 的值 {value!r} 不是附件张数（非负整数） / "
            f"attachments: {value!r} is not a number of sheets (a whole number, 0 or more)")
    return int(count)


def _signers(transactions: list[data.Transaction], policy: Policy) -> dict[str, str]:
    """Each role's name: the transactions' ``preparer:``/``reviewer:`` first, else the policy's
    signer key on the voucher's first date."""
    first = min(transaction.date for transaction in transactions)
    names = {role: policy.signer(role, first) for role, _ in SIGNER_ROLES}
    for role in ("preparer", "reviewer"):
        given = next((str(transaction.meta[role]).strip() for transaction in transactions
                      if str(transaction.meta.get(role) or "").strip()), "")
        if given:
            names[role] = given
    return names
