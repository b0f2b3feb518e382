"""Dated policy: ``custom "fund-policy" "KEY" VALUE``; the latest on or before a date applies."""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

PolicyValue = Decimal


@dataclass(frozen=True)
class PolicyKey:
    """A known policy key: the type its value must have, and the default that applies before any."""

    name: str
    default: PolicyValue
    kind: str  # "days": a whole number from 0 to MAX_DAYS


MAX_DAYS = 3660  # ten years: a longer period is a typing error, and dates must stay in range

POLICY_KEYS: dict[str, PolicyKey] = {
    key.name: key
    for key in (
        PolicyKey("allocation-due-days", Decimal(30), "days"),
    )
}


def parse_policy_value(key: PolicyKey, value: object) -> PolicyValue | None:
    """The value if it has the key's type, else None."""
    if (key.kind == "days" and isinstance(value, Decimal)
            and value == value.to_integral_value() and 0 <= value <= MAX_DAYS):
        return value
    return None


@dataclass
class Policy:
    """Every key's dated values, in date order."""

    _dates: dict[str, list[datetime.date]] = field(default_factory=dict)
    _values: dict[str, list[PolicyValue]] = field(default_factory=dict)

    def set(self, key: str, date: datetime.date, value: PolicyValue) -> None:
        """Record a value in effect from ``date``; entries come in date order."""
        self._dates.setdefault(key, []).append(date)
        self._values.setdefault(key, []).append(value)

    def value(self, key: str, date: datetime.date) -> PolicyValue:
        """The value of ``key`` in effect on ``date``."""
        dates = self._dates.get(key, [])
        index = bisect.bisect_right(dates, date)
        if index == 0:
            return POLICY_KEYS[key].default
        return self._values[key][index - 1]

    def days(self, key: str, date: datetime.date) -> int:
        return int(self.value(key, date))


def read_policy_directive(entry: data.Custom) -> tuple[str, PolicyValue] | str:
    """The (key, value) of a fund-policy directive, or a message saying what is wrong."""
    values = [value.value for value in entry.values]
    if len(values) != 2 or not isinstance(values[0], str):
        return '应为 custom "fund-policy" "键" 值 / expected custom "fund-policy" "KEY" VALUE'
    name, raw = values
    key = POLICY_KEYS.get(name)
    if key is None:
        known = ", ".join(sorted(POLICY_KEYS))
        return (f'未知的政策键 "{name}"（可用：{known}） / '
                f'unknown policy key "{name}" (known: {known})')
    value = parse_policy_value(key, raw)
    if value is None:
        shown = f'"{raw}"' if isinstance(raw, str) else str(raw)
        return (f"政策键 {name} 的值 {shown} 不是{_KIND_ZH[key.kind]} / "
                f"policy key {name}: {shown} is not {_KIND_EN[key.kind]}")
    return name, value


_KIND_ZH = {"days": f"介于 0 与 {MAX_DAYS} 之间的整数天数"}
_KIND_EN = {"days": f"a whole number of days from 0 to {MAX_DAYS}"}
