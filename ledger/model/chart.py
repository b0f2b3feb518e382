"""The chart of accounts of 《民间非营利组织会计制度》 (财会〔2004〕7号), and where a fund's
accounts sit in it.

An account of the chart carries the chart's code and name as its first component under the
root, then Chinese sub-accounts::

    Assets:1002-银行存款:建设经费专户
    Income:4401-政府补助收入:限定性收入:区财政:建设经费
    Expenses:5101-业务活动成本:建设经费:装修工程

Beancount's parser takes a component that starts with a digit and Chinese after it (but not a
component that starts with a Chinese character), so the code also keeps every name loadable.
An account under code 1001 (现金) is a cash account.

The accounts outside the chart are the suspense account that ``funds import`` books what it
cannot classify against (:data:`SUSPENSE`; the rules know it by its ``Suspense`` component), and
nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ASSETS, LIABILITIES, EQUITY, INCOME, EXPENSES = (
    "Assets", "Liabilities", "Equity", "Income", "Expenses")

# code: (name, root): the 2004 chart, in its order
CHART: dict[str, tuple[str, str]] = {
    "1001": ("现金", ASSETS), "1002": ("银行存款", ASSETS), "1009": ("其他货币资金", ASSETS),
    "1101": ("短期投资", ASSETS), "1102": ("短期投资跌价准备", ASSETS),
    "1111": ("应收票据", ASSETS), "1121": ("应收账款", ASSETS), "1122": ("其他应收款", ASSETS),
    "1131": ("坏账准备", ASSETS), "1141": ("预付账款", ASSETS), "1201": ("存货", ASSETS),
    "1202": ("存货跌价准备", ASSETS), "1301": ("待摊费用", ASSETS),
    "1401": ("长期股权投资", ASSETS), "1402": ("长期债权投资", ASSETS),
    "1421": ("长期投资减值准备", ASSETS), "1501": ("固定资产", ASSETS),
    "1502": ("累计折旧", ASSETS), "1505": ("在建工程", ASSETS),
    "1506": ("文物文化资产", ASSETS), "1509": ("固定资产清理", ASSETS),
    "1601": ("无形资产", ASSETS), "1701": ("受托代理资产", ASSETS),
    "2101": ("短期借款", LIABILITIES), "2201": ("应付票据", LIABILITIES),
    "2202": ("应付账款", LIABILITIES), "2203": ("预收账款", LIABILITIES),
    "2204": ("应付工资", LIABILITIES), "2206": ("应交税金", LIABILITIES),
    "2209": ("其他应付款", LIABILITIES), "2301": ("预提费用", LIABILITIES),
    "2401": ("预计负债", LIABILITIES), "2501": ("长期借款", LIABILITIES),
    "2502": ("长期应付款", LIABILITIES), "2601": ("受托代理负债", LIABILITIES),
    "3101": ("非限定性净资产", EQUITY), "3102": ("限定性净资产", EQUITY),
    "4101": ("捐赠收入", INCOME), "4201": ("会费收入", INCOME), "4301": ("提供服务收入", INCOME),
    "4401": ("政府补助收入", INCOME), "4501": ("商品销售收入", INCOME),
    "4601": ("投资收益", INCOME), "4901": ("其他收入", INCOME),
    "5101": ("业务活动成本", EXPENSES), "5201": ("管理费用", EXPENSES),
    "5301": ("筹资费用", EXPENSES), "5401": ("其他费用", EXPENSES),
}

CASH_CODE = "1001"
RESTRICTED = "限定性收入"
UNRESTRICTED = "非限定性收入"
SUSPENSE = "Equity:Suspense:待查明款项"

_CODED = re.compile(r"(\d{4})(?:-|$)")


def coded(code: str) -> str:
    """The chart's component for ``code``: its root and ``CODE-名称``, e.g.
    ``Assets:1002-银行存款``."""
    name, root = CHART[code]
    return f"{root}:{code}-{name}"


def code_of(account: str) -> str | None:
    """The chart code of an account (``1002`` for ``Assets:1002-银行存款:建设经费专户``), or None
    for an account outside the chart."""
    parts = account.split(":")
    if len(parts) < 2:
        return None
    found = _CODED.match(parts[1])
    return found.group(1) if found else None


def is_cash_code(account: str) -> bool:
    """Whether the account is under code 1001 (现金)."""
    return code_of(account) == CASH_CODE


@dataclass(frozen=True)
class FundAccounts:
    """Where one fund's accounts sit in the chart. ``short`` is the fund's name as its
    sub-accounts show it (建设经费 for 示范点建设经费)."""

    code: str
    name: str
    short: str

    @property
    def bank(self) -> str:
        return f"{coded('1002')}:{self.short}专户"

    @property
    def cash(self) -> str:
        return f"{coded('1001')}:{self.short}备用金"

    def grant(self, source: str) -> str:
        """Restricted government grant income from ``source`` (区财政, 市财政)."""
        return f"{coded('4401')}:{RESTRICTED}:{source}:{self.short}"

    @property
    def interest(self) -> str:
        """Interest earned on the fund's dedicated account."""
        return f"{coded('4901')}:{RESTRICTED}:专户利息:{self.short}"

    def cost(self, item: str, code: str = "5101") -> str:
        """An expense sub-account of the fund: 业务活动成本 unless ``code`` says otherwise."""
        return f"{coded(code)}:{self.short}:{item}"

    @property
    def bank_fee(self) -> str:
        return self.cost("银行手续费", "5301")


# Payroll withholdings, owed by the fund that pays the wages.
SOCIAL_SECURITY_PAYABLE = f"{coded('2209')}:社会保险费"
HOUSING_FUND_PAYABLE = f"{coded('2209')}:住房公积金"
INCOME_TAX_PAYABLE = f"{coded('2206')}:代扣个人所得税"
WAGES_PAYABLE = coded("2204")
UNRESTRICTED_NET_ASSETS = coded("3101")
RESTRICTED_NET_ASSETS = coded("3102")

CONSTRUCTION = FundAccounts("construction", "示范点建设经费", "建设经费")
SALARY = FundAccounts("salary", "社工薪酬", "社工薪酬")
OPERATING = FundAccounts("operating", "日常运营经费", "运营经费")
DEFAULT_FUNDS = (CONSTRUCTION, SALARY, OPERATING)

# The expense sub-accounts of the plan's three funds: (name, chart code).
DEFAULT_COSTS: dict[str, tuple[tuple[str, str], ...]] = {
    "construction": (("筹建费用", "5101"), ("设计费", "5101"), ("装修工程", "5101"),
                     ("设备购置", "5101"), ("专家辅导费", "5101")),
    "salary": (("应发工资", "5101"), ("单位社会保险费", "5101"), ("单位住房公积金", "5101")),
    "operating": (("社区服务活动", "5101"), ("志愿者补贴", "5101"), ("水电费", "5101"),
                  ("宣传费", "5101"), ("办公费", "5201"), ("培训费", "5101"),
                  ("第三方评估费", "5101")),
}
