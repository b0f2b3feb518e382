"""Dated policy: ``custom "fund-policy" "KEY" VALUE``; the latest on or before a date applies.

Each key has a kind that says what its value must be:

- ``days``: a whole number of days from 0 to :data:`MAX_DAYS`, e.g. ``30``;
- ``amount``: a non-negative amount with its currency, e.g. ``1000.00 CNY``;
- ``keys``: a string of metadata keys separated by spaces, e.g. ``"invoice contract payroll"``;
- ``share``: a share above 0 and at most 1, e.g. ``0.9``;
- ``name``: a signer's name in quotes, e.g. ``"张三"``.

A key of :data:`OPTIONAL_POLICY_KEYS` (``budget-alert``) or of :data:`SIGNER_KEYS` (who signs
the printed 记账凭证: ``signer-supervisor`` 会计主管, ``signer-bookkeeper`` 记账,
``signer-reviewer`` 审核, ``signer-cashier`` 出纳, ``signer-preparer`` 制单) has no default: it
applies only from a directive that sets it. New books state every key of
:data:`POLICY_KEYS` at its default.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from beancount.core import data
from beancount.core.amount import Amount

from ledger.model.findings import custom_values


@dataclass(frozen=True)
class Money:
    """An amount policy value: a number that is always there, and its currency."""

    number: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.number} {self.currency}"


@dataclass(frozen=True)
class MetadataKeys:
    """A keys policy value: metadata keys, in the order the books list them."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class SignerName:
    """A name policy value: who signs a printed voucher in one role."""

    name: str


PolicyValue = Decimal | Money | MetadataKeys | SignerName
_Value = TypeVar("_Value", Decimal, Money, MetadataKeys, SignerName)

MAX_DAYS = 3660  # ten years: a longer period is a typing error, and dates must stay in range
_METADATA_KEY = re.compile(r"[a-z][a-zA-Z0-9_-]*")


def is_metadata_key(name: object) -> bool:
    """Whether ``name`` is a key Beancount's metadata can carry (``invoice``, ``bank-ref``)."""
    return isinstance(name, str) and _METADATA_KEY.fullmatch(name) is not None


@dataclass(frozen=True)
class PolicyKind:
    """What a value must be, said in Chinese and in English for a bad-policy message."""

    name: str
    zh: str
    en: str


DAYS = PolicyKind("days", f"介于 0 与 {MAX_DAYS} 之间的整数天数",
                  f"a whole number of days from 0 to {MAX_DAYS}")
AMOUNT = PolicyKind("amount", "带币种的非负金额（如 1000.00 CNY）",
                    "a non-negative amount with its currency (e.g. 1000.00 CNY)")
SHARE = PolicyKind("share", "大于 0、不超过 1 的比例（如 0.9）",
                   "a share above 0 and at most 1 (e.g. 0.9)")
NAME = PolicyKind("name", '带引号的签名人姓名（如 "张三"）', 'a name in quotes (e.g. "张三")')
KEYS = PolicyKind("keys", '以空格分隔的元数据键（如 "invoice contract payroll"）',
                  'metadata keys separated by spaces (e.g. "invoice contract payroll")')


@dataclass(frozen=True)
class PolicyKey:
    """A known policy key: the kind its value must have, and the default that applies before
    any directive sets it."""

    name: str
    kind: PolicyKind
    default: PolicyValue
    used_by: str


POLICY_KEYS: dict[str, PolicyKey] = {
    key.name: key
    for key in (
        PolicyKey("cash-limit", AMOUNT, Money(Decimal("1000.00"), "CNY"), "cash-withdrawal"),
        PolicyKey("split-threshold", AMOUNT, Money(Decimal("50000.00"), "CNY"), "split-payment"),
        PolicyKey("split-window-days", DAYS, Decimal(30), "split-payment"),
        PolicyKey("allocation-due-days", DAYS, Decimal(30), "withheld"),
        PolicyKey("evidence-keys", KEYS,
                  MetadataKeys(("invoice", "contract", "payroll", "receipt")),
                  "missing-evidence"),
    )
}


@dataclass(frozen=True)
class OptionalPolicyKey:
    """A known policy key without a default: it applies only from a directive that sets it."""

    name: str
    kind: PolicyKind
    used_by: str


OPTIONAL_POLICY_KEYS: dict[str, OptionalPolicyKey] = {
    key.name: key for key in (OptionalPolicyKey("budget-alert", SHARE, "budget-alert"),)
}

# The signers of the printed 记账凭证 (funds print vouchers), by role; a voucher's own
# ``preparer:``/``reviewer:`` metadata replaces the policy's 制单/审核.
SIGNER_ROLES = (("supervisor", "会计主管"), ("bookkeeper", "记账"), ("reviewer", "审核"),
                ("cashier", "出纳"), ("preparer", "制单"))  # role, its box on the voucher
SIGNER_KEYS: dict[str, OptionalPolicyKey] = {
    key.name: key for key in (
        OptionalPolicyKey(f"signer-{role}", NAME, "funds print vouchers")
        for role, _ in SIGNER_ROLES)
}
_NO_DEFAULT = {**OPTIONAL_POLICY_KEYS, **SIGNER_KEYS}


def parse_policy_value(kind: PolicyKind, value: object) -> PolicyValue | None:
    """The value if it is of the kind, else None."""
    if kind is DAYS:
        if (isinstance(value, Decimal) and value == value.to_integral_value()
                and 0 <= value <= MAX_DAYS):
            return value
    elif kind is AMOUNT:
        if isinstance(value, Amount) and value.number is not None and value.number >= 0:
            return Money(value.number, value.currency)
    elif kind is SHARE:
        if isinstance(value, Decimal) and value.is_finite() and 0 < value <= 1:
            return value
    elif kind is NAME:
        if isinstance(value, str) and value.strip() and "\n" not in value:
            return SignerName(value.strip())
    elif kind is KEYS and isinstance(value, str):
        keys = tuple(value.split())
        if keys and all(is_metadata_key(key) for key in keys):
            return MetadataKeys(keys)
    return None


@dataclass
class Policy:
    """Every key's dated values, in date order."""

    _dates: dict[str, list[datetime.date]] = field(default_factory=dict)
    _values: dict[str, list[PolicyValue]] = field(default_factory=dict)
    _looked_up: dict[tuple[str, datetime.date], PolicyValue | None] = field(
        default_factory=dict)

    def set(self, key: str, date: datetime.date, value: PolicyValue) -> None:
        """Record a value in effect from ``date``; entries come in date order."""
        self._dates.setdefault(key, []).append(date)
        self._values.setdefault(key, []).append(value)
        self._looked_up.clear()

    def value(self, key: str, date: datetime.date) -> PolicyValue | None:
        """The value of ``key`` in effect on ``date``, None for a key without a default that no
        directive has set yet (remembered: rules ask once per entry)."""
        if (key, date) in self._looked_up:
            return self._looked_up[key, date]
        index = bisect.bisect_right(self._dates.get(key, []), date)
        if index:
            found: PolicyValue | None = self._values[key][index - 1]
        else:
            found = None if key in _NO_DEFAULT else POLICY_KEYS[key].default
        self._looked_up[key, date] = found
        return found

    def days(self, key: str, date: datetime.date) -> int:
        """The value of a ``days`` key on ``date``."""
        return int(self._of_type(key, date, Decimal))

    def amount(self, key: str, date: datetime.date) -> Money:
        """The value of an ``amount`` key on ``date``."""
        return self._of_type(key, date, Money)

    def keys(self, key: str, date: datetime.date) -> tuple[str, ...]:
        """The value of a ``keys`` key on ``date``."""
        return self._of_type(key, date, MetadataKeys).names

    def is_set(self, key: str) -> bool:
        """Whether any directive sets ``key``."""
        return key in self._dates

    def share(self, key: str, date: datetime.date) -> Decimal | None:
        """The value of a ``share`` key on ``date``, None while no directive has set it."""
        value = self.value(key, date)
        return None if value is None else self._of_type(key, date, Decimal)

    def signer(self, role: str, date: datetime.date) -> str:
        """The name the policy gives the signer of ``role`` (``preparer`` for
        ``signer-preparer``) on ``date``; "" while no directive has set it."""
        value = self.value(f"signer-{role}", date)
        return value.name if isinstance(value, SignerName) else ""

    def _of_type(self, key: str, date: datetime.date, kind: type[_Value]) -> _Value:
        value = self.value(key, date)
        if not isinstance(value, kind):
            raise TypeError(f"policy key {key} holds {type(value).__name__}, not {kind.__name__}")
        return value


def read_policy_directive(entry: data.Custom) -> tuple[str, PolicyValue] | str:
    """The (key, value) of a fund-policy directive, or a message saying what is wrong."""
    values = custom_values(entry)
    if len(values) != 2 or not isinstance(values[0], str):
        return '应为 custom "fund-policy" "键" 值 / expected custom "fund-policy" "KEY" VALUE'
    name, raw = values
    key = POLICY_KEYS.get(name) or _NO_DEFAULT.get(name)
    if key is None:
        known = ", ".join(sorted([*POLICY_KEYS, *_NO_DEFAULT]))
        return (f'未知的政策键 "{name}"（可用：{known}） / '
                f'unknown policy key "{name}" (known: {known})')
    value = parse_policy_value(key.kind, raw)
    if value is None:
        shown = f'"{raw}"' if isinstance(raw, str) else str(raw)
        return (f"政策键 {name} 的值 {shown} 不是{key.kind.zh} / "
                f"policy key {name}: {shown} is not {key.kind.en}")
    return name, value
