"""The import configuration, kept in the books beside the ledger.

    2012-07-15 open Assets:1002-银行存款:社工薪酬专户 CNY
      bank-account: "8002 0101 0000 1202"      ; the statement's 账号 -> this ledger account
    2012-07-15 custom "import-rule" Assets:1002-银行存款:社工薪酬专户 "对方户名" "东山区管委会"
      Income:4401-政府补助收入:限定性收入:区财政:社工薪酬   ; (one line in the books)
      direction: "收入"                          ; optional: only money in ("收入") or out ("支出")
    2012-07-15 custom "import-payroll" Assets:1002-银行存款:社工薪酬专户
      gross: Expenses:5101-业务活动成本:社工薪酬:应发工资
      social-security: Liabilities:2209-其他应付款:社会保险费
      housing-fund: Liabilities:2209-其他应付款:住房公积金
      income-tax: Liabilities:2206-应交税金:代扣个人所得税
    2012-01-01 custom "bank-profile" "某银行"    ; a statement layout beyond the built-in ones
      date: "记账日期"
      ...

Rules are tried in the order of the books; the first whose pattern (a regular expression, so
plain text matches itself) is found in the line's field gives the other leg. A line no rule
classifies goes to the books' own suspense account: the first account they open under
``Equity:Suspense`` (``Equity:Suspense:待查明款项`` in the demo books), else
``ledger.model.chart.SUSPENSE``, which ``funds import`` then opens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from beancount.core import data

from importers.errors import InputError
from importers.profiles import AMOUNT_FIELDS, COMMON_FIELDS, OPTIONAL_FIELDS, BankProfile
from ledger.model.chart import SUSPENSE
from ledger.model.findings import custom_values
from ledger.model.policy import is_metadata_key

SUSPENSE_COMPONENT = "Suspense"  # the suspense accounts sit under Equity:Suspense, as the rules say
RULE_FIELDS = {"对方户名": "payee", "摘要": "narration", "对方账号": "counterparty_account"}
DIRECTIONS = {"收入": 1, "in": 1, "支出": -1, "out": -1}
PAYROLL_LEGS = ("gross", "social-security", "housing-fund", "income-tax")


@dataclass(frozen=True)
class ImportRule:
    """A statement line of ``bank`` whose ``field`` contains ``pattern`` goes to ``target``."""

    bank: str
    field: str  # an attribute of a statement line
    pattern: re.Pattern[str]
    target: str
    direction: int  # 0 both, 1 money in only, -1 money out only
    evidence: str | None = None  # the key under which the line's 流水号 is its evidence


@dataclass(frozen=True)
class PayrollAccounts:
    """Where the payroll sheet's columns go for one bank account."""

    bank: str
    gross: str
    social_security: str
    housing_fund: str
    income_tax: str


@dataclass
class ImportConfig:
    """Everything the importers need from the books."""

    banks: dict[str, str] = field(default_factory=dict)  # account number (digits) -> account
    rules: list[ImportRule] = field(default_factory=list)
    payroll: list[PayrollAccounts] = field(default_factory=list)
    profiles: list[BankProfile] = field(default_factory=list)
    open_accounts: set[str] = field(default_factory=set)
    currencies: dict[str, str] = field(default_factory=dict)  # an account's first currency
    suspense: str = SUSPENSE  # where a line no rule classifies goes: the books' own, if any

    def account_for(self, number: str) -> str | None:
        return self.banks.get(digits(number))


def digits(number: str) -> str:
    """An account number as its digits alone: ``8001 0000-12`` -> ``8001000012``."""
    return re.sub(r"\D", "", number)


def read_import_config(entries: data.Directives, equity: str = "Equity") -> ImportConfig:
    """The configuration in the books; an ``InputError`` naming the line of a bad directive.
    ``equity`` is the books' name of the Equity root (``option "name_equity"``)."""
    config = ImportConfig()
    named: list[tuple[data.Custom, tuple[str, ...]]] = []
    suspense: str | None = None
    for entry in entries:
        if isinstance(entry, data.Open):
            config.open_accounts.add(entry.account)
            if suspense is None and is_suspense(entry.account, equity):
                suspense = entry.account
            if entry.currencies:
                config.currencies[entry.account] = entry.currencies[0]
            _read_bank_account(config, entry)
        elif isinstance(entry, data.Custom) and entry.type == "import-rule":
            rule = _read_rule(entry)
            config.rules.append(rule)
            named.append((entry, (rule.bank, rule.target)))
        elif isinstance(entry, data.Custom) and entry.type == "import-payroll":
            payroll = _read_payroll(entry)
            config.payroll.append(payroll)
            named.append((entry, (payroll.bank, payroll.gross, payroll.social_security,
                                  payroll.housing_fund, payroll.income_tax)))
        elif isinstance(entry, data.Custom) and entry.type == "bank-profile":
            config.profiles.append(_read_profile(entry))
    for entry, accounts in named:
        _require_open(config, entry, accounts)
    config.suspense = suspense or f"{equity}:{SUSPENSE.split(':', 1)[1]}"
    return config


def is_suspense(account: str, equity: str = "Equity") -> bool:
    """Whether the account is a suspense account: under ``Equity:Suspense``."""
    return account.split(":")[:2] == [equity, SUSPENSE_COMPONENT]


def _error(entry: data.Directive, message: str) -> InputError:
    meta = entry.meta or {}
    return InputError(str(meta.get("filename", "<books>")), message,
                      row=int(meta.get("lineno", 0)) or None)


def _require_open(config: ImportConfig, entry: data.Custom, accounts: tuple[str, ...]) -> None:
    for account in accounts:
        if account not in config.open_accounts:
            raise _error(entry, f"科目 {account} 未在账簿中开设 / account {account} is not "
                                "opened in the books")


def _read_bank_account(config: ImportConfig, entry: data.Open) -> None:
    number = (entry.meta or {}).get("bank-account")
    if number is None:
        return
    if not isinstance(number, str) or not digits(number):
        raise _error(entry, f"bank-account: 应为带引号的账号，实为 {number!r} / bank-account: "
                            f"must be a quoted account number, got {number!r}")
    earlier = config.banks.get(digits(number))
    if earlier is not None:
        raise _error(entry, f"账号 {number} 已属于 {earlier} / account number {number} "
                            f"already belongs to {earlier}")
    config.banks[digits(number)] = entry.account


def _read_rule(entry: data.Custom) -> ImportRule:
    values = custom_values(entry)
    usage = ('应为 custom "import-rule" 银行科目 "对方户名|摘要|对方账号" "模式" 对方科目 / '
             'expected custom "import-rule" BANK-ACCOUNT "对方户名|摘要|对方账号" "PATTERN" '
             'ACCOUNT')
    if (len(values) != 4 or not all(isinstance(value, str) for value in values)
            or values[1] not in RULE_FIELDS):
        raise _error(entry, usage)
    bank, column, pattern, target = (str(value) for value in values)
    direction = (entry.meta or {}).get("direction")
    if direction is not None and direction not in DIRECTIONS:
        raise _error(entry, f'direction: 应为 "收入" 或 "支出"，实为 {direction!r} / '
                            f'direction: must be "收入" (in) or "支出" (out), got {direction!r}')
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise _error(entry, f"模式 {pattern!r} 不是正则表达式 / pattern {pattern!r} is not a "
                            f"regular expression: {error}") from None
    evidence = (entry.meta or {}).get("evidence")
    if evidence is not None and not is_metadata_key(evidence):
        raise _error(entry, f'evidence: 应为元数据键名（如 "receipt"），实为 {evidence!r} / '
                            f'evidence: must be a metadata key (e.g. "receipt"), got {evidence!r}')
    return ImportRule(bank, RULE_FIELDS[column], compiled, target,
                      DIRECTIONS.get(str(direction), 0) if direction else 0, evidence)


def _read_payroll(entry: data.Custom) -> PayrollAccounts:
    values = custom_values(entry)
    meta = entry.meta or {}
    legs = [meta.get(key) for key in PAYROLL_LEGS]
    if len(values) != 1 or not isinstance(values[0], str) or not all(
            isinstance(leg, str) for leg in legs):
        raise _error(entry, '应为 custom "import-payroll" 银行科目，并以 gross:、social-security:、'
                            'housing-fund:、income-tax: 给出科目 / expected custom '
                            '"import-payroll" BANK-ACCOUNT with gross:, social-security:, '
                            'housing-fund: and income-tax: accounts')
    return PayrollAccounts(str(values[0]), *(str(leg) for leg in legs))


def _read_profile(entry: data.Custom) -> BankProfile:
    values = custom_values(entry)
    meta = entry.meta or {}
    known = {*COMMON_FIELDS, *OPTIONAL_FIELDS, *(f for fs in AMOUNT_FIELDS.values() for f in fs)}
    headers = {key: tuple(name.strip() for name in str(value).split("|") if name.strip())
               for key, value in meta.items() if key in known}
    unknown = sorted(key for key in meta if key not in known and key not in ("filename",
                                                                             "lineno"))
    has_amounts = any(all(field in headers for field in fields)
                      for fields in AMOUNT_FIELDS.values())
    if (len(values) != 1 or not isinstance(values[0], str) or unknown or not has_amounts
            or not all(field in headers for field in COMMON_FIELDS)):
        raise _error(entry, f"银行格式应给出 {', '.join(COMMON_FIELDS)} 及一组金额列"
                            f"（income+expense、amount 或 debit+credit）；未知字段：{unknown} / "
                            f"a bank profile names {', '.join(COMMON_FIELDS)} and one set of "
                            f"amount columns; unknown fields: {unknown}")
    return BankProfile(str(values[0]), headers)
