"""Budget lines: Fava's ``custom "budget" ACCOUNT PERIOD AMOUNT`` read with the plan's semantics.

A line caps the spending on its account and sub-accounts within each calendar period. The cap
for a period is the amount of the latest directive for that account dated on or before the
spending date: a revision replaces the amount, it is never spread over days.

A directive may carry the line's control (in metadata; a malformed value is ``bad-directive``):

- ``action: "stop"`` (the default: spending over the cap is an ``over-budget`` error),
  ``"warn"`` (an ``over-budget`` warning) or ``"ignore"`` (no ``over-budget`` finding);
- ``alert: 0.9``: a ``budget-alert`` warning once spending plus open commitments reach that
  share of the cap (without it, the policy key ``budget-alert`` applies, if set);
- ``accumulate: TRUE``, on a monthly or quarterly line: the cap is judged on the year to date,
  the sum of the line's caps for the periods begun since it took effect in that year (or since
  it took that period, if it had another: then the spending too counts from that day), each at
  the amount in force in its period (see :meth:`Budgets.year_to_date_cap`).
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount

from ledger.model.account_names import ROOTS, is_account_name
from ledger.model.findings import custom_values, shown_values, written_value

PERIODS = ("daily", "weekly", "monthly", "quarterly", "yearly")
PERIOD_LABELS = {"yearly": "年度", "quarterly": "季度", "monthly": "月度", "weekly": "每周",
                 "daily": "每日"}

ACTIONS = ("stop", "warn", "ignore")
ACCUMULATED_PERIODS = ("monthly", "quarterly")

PeriodKey = tuple[int, ...]


def period_key(period: str, date: datetime.date) -> PeriodKey:
    """The calendar period of ``date``: the key under which spending accumulates."""
    if period == "yearly":
        return (date.year,)
    if period == "quarterly":
        return (date.year, (date.month - 1) // 3 + 1)
    if period == "monthly":
        return (date.year, date.month)
    if period == "weekly":
        iso = date.isocalendar()
        return (iso.year, iso.week)
    return (date.year, date.month, date.day)


def period_end(period: str, date: datetime.date) -> datetime.date:
    """The first day after the calendar period of ``date``; ``datetime.date.max`` for the last
    period of the calendar (9999), which has no day after it."""
    if period == "yearly":
        year, month = date.year + 1, 1
    elif period in ("quarterly", "monthly"):
        months = 3 if period == "quarterly" else 1
        month = (date.month - 1) // months * months + months  # months before the next period
        year, month = date.year + month // 12, month % 12 + 1
    else:
        days = 7 - date.weekday() if period == "weekly" else 1
        if (datetime.date.max - date).days < days:
            return datetime.date.max
        return date + datetime.timedelta(days=days)
    return datetime.date(year, month, 1) if year <= datetime.MAXYEAR else datetime.date.max


def period_label(period: str) -> str:
    """A budget period as the plan says it: 年度, 季度, 月度, 每周, 每日 (else as written)."""
    return PERIOD_LABELS.get(period, period)


def period_name(period: str, key: PeriodKey) -> str:
    """A short Chinese name for a period, e.g. 2012年 or 2012年10月."""
    if period == "yearly":
        return f"{key[0]}年"
    if period == "quarterly":
        return f"{key[0]}年第{key[1]}季度"
    if period == "monthly":
        return f"{key[0]}年{key[1]}月"
    if period == "weekly":
        return f"{key[0]}年第{key[1]}周"
    return f"{key[0]}年{key[1]}月{key[2]}日"


@dataclass(frozen=True)
class BudgetDirective:
    """One budget directive: from its date on, this is the cap of its account's line."""

    account: str
    period: str
    amount: Decimal
    currency: str
    date: datetime.date
    entry: data.Custom
    action: str = "stop"  # one of ACTIONS: what spending over the cap is
    alert: Decimal | None = None  # the share of the cap that raises a budget-alert
    accumulate: bool = False  # judged on the year to date (monthly and quarterly lines)


def read_budget_directive(entry: data.Custom,
                          roots: Iterable[str] = ROOTS) -> BudgetDirective | str:
    """The budget directive, or a message saying what is wrong with it. The account may be
    any name the parser accepts for the books' root names ``roots`` (Chinese included)."""
    values = custom_values(entry)
    if (len(values) != 3 or not is_account_name(values[0], roots) or values[1] not in PERIODS
            or not isinstance(values[2], Amount) or not isinstance(values[2].number, Decimal)
            or not values[2].number.is_finite() or values[2].number < 0):
        periods = "|".join(PERIODS)
        shown = shown_values(entry)
        return (f'预算指令应为 custom "budget" 科目 "{periods}" 非负金额 币种，实为 '
                f'{shown} / expected custom "budget" ACCOUNT "{periods}" AMOUNT '
                'CURRENCY (amount >= 0)')
    amount: Amount = values[2]
    assert amount.number is not None
    control = _read_control(entry.meta or {}, values[1])
    if isinstance(control, str):
        return control
    action, alert, accumulate = control
    return BudgetDirective(values[0], values[1], amount.number, amount.currency,
                           entry.date, entry, action, alert, accumulate)


def _read_control(meta: data.Meta, period: str) -> tuple[str, Decimal | None, bool] | str:
    """The line's ``action:``, ``alert:`` and ``accumulate:``, or what is wrong with one."""
    action = meta.get("action", "stop")
    if action not in ACTIONS:
        return (f'action: 应为 "stop"（超预算报错误）、"warn"（报警告）或 "ignore"（不报），实为 '
                f'{written_value(action)} / action: must be "stop", "warn" or "ignore", got '
                f'{written_value(action)}')
    alert = meta.get("alert")
    if alert is not None and not (isinstance(alert, Decimal) and alert.is_finite()
                                  and 0 < alert <= 1):
        return (f"alert: 应为大于 0、不超过 1 的预警比例（如 0.9），实为 {written_value(alert)} / "
                f"alert: must be a share of the cap above 0 and at most 1 (e.g. 0.9), got "
                f"{written_value(alert)}")
    accumulate = meta.get("accumulate", False)
    if not isinstance(accumulate, bool):
        return (f"accumulate: 应为 TRUE 或 FALSE，实为 {written_value(accumulate)} / "
                f"accumulate: must be TRUE or FALSE, got {written_value(accumulate)}")
    if accumulate and period not in ACCUMULATED_PERIODS:
        return (f'accumulate: TRUE 只用于 "monthly" 或 "quarterly" 预算，实为 "{period}" / '
                f'accumulate: TRUE is for "monthly" or "quarterly" lines only, not "{period}"')
    return str(action), alert, accumulate


@dataclass
class Budgets:
    """Every account's budget directives, in date order."""

    _dates: dict[str, list[datetime.date]] = field(default_factory=dict)
    _directives: dict[str, list[BudgetDirective]] = field(default_factory=dict)
    _covering: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add(self, directive: BudgetDirective) -> None:
        """Record a directive; directives come in date order."""
        self._dates.setdefault(directive.account, []).append(directive.date)
        self._directives.setdefault(directive.account, []).append(directive)
        self._covering.clear()

    def accounts(self) -> list[str]:
        """The accounts that have a budget line, sorted."""
        return sorted(self._directives)

    def dates(self) -> list[datetime.date]:
        """The dates of every directive."""
        return [date for dates in self._dates.values() for date in dates]

    def in_effect(self, account: str, date: datetime.date) -> BudgetDirective | None:
        """The directive of ``account``'s own line in effect on ``date``, if any."""
        index = bisect.bisect_right(self._dates.get(account, []), date)
        return self._directives[account][index - 1] if index else None

    def next_change(self, account: str, date: datetime.date) -> datetime.date | None:
        """The date of ``account``'s next directive after ``date``, if any."""
        dates = self._dates.get(account, [])
        index = bisect.bisect_right(dates, date)
        return dates[index] if index < len(dates) else None

    def year_to_date_cap(self, account: str, date: datetime.date) -> Decimal:
        """The cap of ``account``'s line on the year to date of ``date``, in the currency of the
        directive in effect on ``date``: the sum of the caps of the line's periods (those of
        that directive) begun in the year since the line took that period (:meth:`run_start`),
        up to the period of ``date``; each at the amount in effect at its end (on ``date`` for
        the last), left out where no directive in that currency is."""
        current = self.in_effect(account, date)
        if current is None:
            return Decimal(0)
        start = max(datetime.date(date.year, 1, 1), self.run_start(account, date))
        total = Decimal(0)
        while True:
            end = period_end(current.period, start)
            last_day = date if end > date else end - datetime.timedelta(days=1)
            directive = self.in_effect(account, last_day)
            if directive is not None and directive.currency == current.currency:
                total += directive.amount
            if end > date:
                return total
            start = end

    def run_start(self, account: str, date: datetime.date) -> datetime.date:
        """The date since which ``account``'s line has had the period of its directive in
        effect on ``date`` (a yearly line turned monthly counts its months from then on);
        ``date`` itself without a directive."""
        index = bisect.bisect_right(self._dates.get(account, []), date) - 1
        if index < 0:
            return date
        directives = self._directives[account]
        period = directives[index].period
        while index > 0 and directives[index - 1].period == period:
            index -= 1
        return directives[index].date

    def covering(self, account: str) -> tuple[str, ...]:
        """The budget lines that cap ``account``: itself and its ancestors that have a line."""
        lines = self._covering.get(account)
        if lines is None:
            lines = tuple(name for name in account_lib.parents(account)
                          if name in self._directives)
            self._covering[account] = lines
        return lines
