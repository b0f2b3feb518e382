"""Bank profiles: which header names a bank's statement export gives each field.

A profile lists, for each field, the header names it accepts (banks word them differently), and
how amounts are given: two columns for money in and out (收入金额 / 支出金额), one signed column
(发生额), or debit and credit columns (借方发生额 = out, 贷方发生额 = in, as on a bank's own
statement). The books can add profiles with ``custom "bank-profile"`` (see ``importers/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from importers.tables import Cell

# Fields every layout has; "time" and "counterparty-account" may be missing.
COMMON_FIELDS = ("date", "narration", "payee", "balance", "ref")
OPTIONAL_FIELDS = ("time", "counterparty-account")
AMOUNT_FIELDS = {
    "in-out": ("income", "expense"),
    "signed": ("amount",),
    "debit-credit": ("debit", "credit"),
}
FIELD_NAMES_ZH = {
    "date": "交易日期", "time": "交易时间", "narration": "摘要", "payee": "对方户名",
    "counterparty-account": "对方账号", "income": "收入金额", "expense": "支出金额",
    "amount": "发生额", "debit": "借方发生额", "credit": "贷方发生额", "balance": "余额",
    "ref": "流水号",
}
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class BankProfile:
    """A statement layout: the header names accepted for each field, and the amount form."""

    name: str
    headers: dict[str, tuple[str, ...]]

    @property
    def amount_form(self) -> str:
        return next(form for form, fields in AMOUNT_FIELDS.items()
                    if all(field in self.headers for field in fields))

    @property
    def required(self) -> tuple[str, ...]:
        return (*COMMON_FIELDS, *AMOUNT_FIELDS[self.amount_form])


def _common(**extra: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {
        "date": ("交易日期", "记账日期", "交易日", "日期"),
        "time": ("交易时间", "时间"),
        "narration": ("摘要", "用途", "交易摘要"),
        "payee": ("对方户名", "对方名称", "对方账户名称", "对方单位"),
        "counterparty-account": ("对方账号", "对方账户", "对方帐号"),
        "balance": ("余额", "账户余额", "帐户余额"),
        "ref": ("流水号", "交易流水号", "银行流水号"),
        **extra,
    }


BUILTIN_PROFILES = (
    BankProfile("收支两栏", _common(income=("收入金额", "收入", "存入金额"),
                                   expense=("支出金额", "支出", "支取金额"))),
    BankProfile("借贷两栏", _common(debit=("借方发生额", "借方金额", "借方"),
                                   credit=("贷方发生额", "贷方金额", "贷方"))),
    BankProfile("单栏发生额", _common(amount=("发生额", "交易金额", "金额"))),
)


@dataclass(frozen=True)
class HeaderMatch:
    """Where a profile's header row is in a file, and the column of each field found."""

    profile: BankProfile
    row: int  # 0-based index in the table's rows
    columns: dict[str, int]

    @property
    def missing(self) -> list[str]:
        return [field for field in self.profile.required if field not in self.columns]


def match_header(profile: BankProfile, cells: list[Cell], row: int) -> HeaderMatch:
    """Which of the profile's fields a row names as column headers."""
    names = [cell.text.replace(" ", "").replace("\u3000", "") for cell in cells]
    columns = {}
    for field, accepted in profile.headers.items():
        found = next((index for index, name in enumerate(names) if name in accepted), None)
        if found is not None:
            columns[field] = found
    return HeaderMatch(profile, row, columns)


def find_header(rows: list[list[Cell]],
                profiles: tuple[BankProfile, ...]) -> HeaderMatch | None:
    """The best header row among the first rows: the one naming most of a profile's required
    fields (a complete one wins at once); None when no row names a date and an amount column."""
    best: HeaderMatch | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for profile in profiles:
            found = match_header(profile, cells, index)
            if not found.missing:
                return found
            if best is None or len(found.columns) > len(best.columns):
                best = found
    if best is None or "date" not in best.columns or not any(
            field in best.columns for fields in AMOUNT_FIELDS.values() for field in fields):
        return None
    return best
