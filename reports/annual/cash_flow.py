"""现金流量表 (会民非03表), direct method: the year's cash movements by their other leg.

货币资金 is every account under the chart's codes 1001 现金, 1002 银行存款 and 1009 其他货币资金
(an account's code as :mod:`reports.annual.mapping` reads it, ``statement-line:`` included).
Each transaction of the year that changes 货币资金 is read leg by leg: the cash it moved is
shared among its legs on the other side of the cash (for a payment, the debited legs; for a
receipt, the credited ones) in proportion to their amounts (at cost or price), to the cent,
the rounding's remainder on the largest leg, and each leg's share goes to a line by its chart
code and its direction. Legs on the cash's own side only lessen what is shared: equipment of
20,000 paid 10,000 now and 10,000 owed (2202 credited) shows 10,000 under line 35 and nothing
under 16; a payroll that debits wages and credits the withholdings shows its net pay under
line 15; a payment of 1,000 that books 990 of cost and 10 of bank fee shows 1,000 under line
16. A movement between two cash accounts (提取备用金) has no other leg and is no cash flow. A
refund is booked against the line of what it refunds (a credited cost lowers line 16).

The legs, by chart code:

- 4101 捐赠收入 → 接受捐赠收到的现金 (1); 4201 → 收取会费 (2); 4301, 1121 应收账款,
  2203 预收账款 → 提供服务收到的现金 (3); 4501 → 销售商品 (4); 4401 政府补助收入 credited →
  政府补助收到的现金 (5);
- 4901 其他收入 (the 专户利息 these books earn on their dedicated accounts, an incidental income
  of the centre's work, not of an investment it holds) → 收到的其他与业务活动有关的现金 (8);
  4601 投资收益 → 取得投资收益所收到的现金 (26);
- an income account debited (4401 returned to the funder, interest handed back) → 支付的其他与
  业务活动有关的现金 (19): a return is no spending on the purpose;
- 2204 应付工资, 2206 应交税金 and the 2209 社会保险费 / 住房公积金 withholdings, and the
  5101/5201 costs of wages (a sub-account naming 工资, 薪金, 社会保险, 公积金 or 福利) →
  支付给员工以及为员工支付的现金 (15);
- a 2201/2202/2209 payable every credit of which (through the year's end) was against 1501,
  1505, 1506 or 1601 (equipment bought on credit, paid later) → 35 when paid;
- other 5101 业务活动成本, 5201 管理费用, 5301 筹资费用 (bank fees), 2201/2202 payables, other 2209
  (a 质保金 held back), 1141 预付账款, 1201 存货, 1301 待摊费用, 2301 预提费用 → 购买商品、接受
  服务支付的现金 (16); 5401 其他费用 → 19;
- 1501 固定资产, 1505 在建工程, 1506 文物文化资产, 1601 无形资产 debited → 购建固定资产和无形资产所
  支付的现金 (35), credited (and 1509 固定资产清理) → 处置固定资产和无形资产所收回的现金 (27);
- 1101/1401/1402 investments debited → 对外投资所支付的现金 (36), credited → 收回投资 (25);
- 2101/2501 borrowings credited → 借款所收到的现金 (45), debited → 偿还借款 (51);
- 3101/3102 net assets put in directly (an opening balance in books that start in the year),
  2502 长期应付款 → 收到的 (48) / 支付的其他与筹资活动有关的现金 (55);
- anything else (1122 其他应收款, 1701/2601 受托代理, an account placed by ``statement-line:``
  with no code) → 8 if it brought cash in, 19 if it took cash out.

Subtotals: 13 (1..8), 23 (14..19), 24 = 13 − 23; 34, 43, 44; 50, 58, 59. Line 60,
汇率变动对现金的影响额, is the cash of transactions whose postings weigh in more than one
currency, which no line can classify (nothing, in books of one currency: a deposit in USD at a
price weighs in CNY and is classified); line 61, 现金及现金等价物净增加额, is 24 + 44 + 59 + 60,
which equals the balance sheet's change in 货币资金.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from ledger.model.books import Books
from ledger.model.postings import weight
from reports.annual.mapping import account_codes
from reports.annual.rows import Statement, StatementRow

TITLE = "现金流量表"
CODE = "会民非03表"
COLUMNS = ("金额",)
CASH_CODES = frozenset({"1001", "1002", "1009"})
ZERO = Decimal(0)

# (行次, label); None for a heading
LAYOUT: tuple[tuple[int | None, str], ...] = (
    (None, "一、业务活动产生的现金流量"),
    (1, "接受捐赠收到的现金"), (2, "收取会费收到的现金"), (3, "提供服务收到的现金"),
    (4, "销售商品收到的现金"), (5, "政府补助收到的现金"), (8, "收到的其他与业务活动有关的现金"),
    (13, "现金流入小计"),
    (14, "提供捐赠或者资助支付的现金"), (15, "支付给员工以及为员工支付的现金"),
    (16, "购买商品、接受服务支付的现金"), (19, "支付的其他与业务活动有关的现金"),
    (23, "现金流出小计"), (24, "业务活动产生的现金流量净额"),
    (None, "二、投资活动产生的现金流量"),
    (25, "收回投资所收到的现金"), (26, "取得投资收益所收到的现金"),
    (27, "处置固定资产和无形资产所收回的现金"), (30, "收到的其他与投资活动有关的现金"),
    (34, "现金流入小计"),
    (35, "购建固定资产和无形资产所支付的现金"), (36, "对外投资所支付的现金"),
    (39, "支付的其他与投资活动有关的现金"), (43, "现金流出小计"),
    (44, "投资活动产生的现金流量净额"),
    (None, "三、筹资活动产生的现金流量"),
    (45, "借款所收到的现金"), (48, "收到的其他与筹资活动有关的现金"), (50, "现金流入小计"),
    (51, "偿还借款所支付的现金"), (52, "偿付利息所支付的现金"),
    (55, "支付的其他与筹资活动有关的现金"), (58, "现金流出小计"),
    (59, "筹资活动产生的现金流量净额"),
    (60, "四、汇率变动对现金的影响额"),
    (61, "五、现金及现金等价物净增加额"),
)

INFLOWS = (1, 2, 3, 4, 5, 8, 25, 26, 27, 30, 45, 48)
# subtotal: (lines added, lines taken away)
SUBTOTALS: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {
    13: ((1, 2, 3, 4, 5, 8), ()), 23: ((14, 15, 16, 19), ()), 24: ((13,), (23,)),
    34: ((25, 26, 27, 30), ()), 43: ((35, 36, 39), ()), 44: ((34,), (43,)),
    50: ((45, 48), ()), 58: ((51, 52, 55), ()), 59: ((50,), (58,)),
}

# chart code: (line when the leg brings cash in, line when it takes cash out)
BY_CODE: dict[str, tuple[int, int]] = {
    "4101": (1, 19), "4201": (2, 19), "4301": (3, 19), "1121": (3, 3), "2203": (3, 3),
    "4501": (4, 19), "4401": (5, 19), "4901": (8, 19), "4601": (26, 19),
    "2204": (15, 15), "2206": (15, 15),
    "5101": (16, 16), "5201": (16, 16), "5301": (16, 16), "2201": (16, 16), "2202": (16, 16),
    "2209": (16, 16), "1141": (16, 16), "1201": (16, 16), "1301": (16, 16), "2301": (16, 16),
    "5401": (19, 19),
    "1501": (27, 35), "1505": (27, 35), "1506": (27, 35), "1601": (27, 35), "1509": (27, 35),
    "1101": (25, 36), "1401": (25, 36), "1402": (25, 36),
    "2101": (45, 51), "2501": (45, 51),
    "3101": (48, 55), "3102": (48, 55), "2502": (48, 55),
}
OTHER = (8, 19)
WAGE_COSTS = frozenset({"5101", "5201"})
WAGE_WORDS = ("工资", "薪金", "社会保险", "公积金", "福利")
WITHHOLDINGS = ("社会保险费", "住房公积金")


FIXED_ASSETS = frozenset({"1501", "1505", "1506", "1601"})
PAYABLES = frozenset({"2201", "2202", "2209"})


def line_of(account: str, code: str | None, cash_in: bool,
            asset_payables: frozenset[str] = frozenset()) -> int:
    """The line of a transaction's leg on ``account`` (of chart ``code``) that brought cash in
    (``cash_in``: the leg is credited) or took it out; a payable in ``asset_payables`` (booked
    only against fixed assets) is paid on line 35."""
    leaf = account.rsplit(":", 1)[-1]
    if code in WAGE_COSTS and any(word in leaf for word in WAGE_WORDS):
        return 15
    if code == "2209" and leaf in WITHHOLDINGS:
        return 15
    if account in asset_payables and not cash_in:
        return 35
    inflow, outflow = BY_CODE.get(code or "", OTHER)
    return inflow if cash_in else outflow


def asset_payables(books: Books, last: datetime.date,
                   codes: dict[str, str | None]) -> frozenset[str]:
    """The payable accounts (2201, 2202, 2209) every credit of which, through ``last``, sat in a
    transaction that debits a fixed or intangible asset: what they owe is for fixed assets, and
    paying it is 购建固定资产 (35). One pass over the transactions."""
    for_assets: set[str] = set()
    for_other: set[str] = set()
    for transaction in books.transactions:
        if transaction.date > last:
            continue
        credited = [posting.account for posting in transaction.postings
                    if codes.get(posting.account) in PAYABLES and _number(posting) < 0]
        if not credited:
            continue
        buys_assets = any(codes.get(posting.account) in FIXED_ASSETS and _number(posting) > 0
                          for posting in transaction.postings)
        (for_assets if buys_assets else for_other).update(credited)
    return frozenset(for_assets - for_other)


def _number(posting: data.Posting) -> Decimal:
    """The posting's weight (at cost or price), zero if unknown."""
    weighed = weight(posting)
    return ZERO if weighed is None else weighed[0]


def _currencies(transaction: data.Transaction) -> set[str]:
    return {weighed[1] for weighed in map(weight, transaction.postings) if weighed is not None}


def spread(cash: Decimal, amounts: list[Decimal]) -> list[Decimal]:
    """``cash`` shared among legs in proportion to their ``amounts`` (all of one sign, as
    ``cash``), to its cents; the remainder of the rounding on the largest leg."""
    total = sum(amounts, ZERO)
    if total == cash:
        return list(amounts)
    quantum = Decimal(1).scaleb(min(cash.as_tuple().exponent, -2))  # type: ignore[arg-type]
    shares = [(cash * amount / total).quantize(quantum) for amount in amounts]
    largest = max(range(len(amounts)), key=lambda index: abs(amounts[index]))
    shares[largest] += cash - sum(shares, ZERO)
    return shares


def _legs(transaction: data.Transaction, codes: dict[str, str | None],
          lines: dict[int, Decimal], payables: frozenset[str]) -> None:
    """Add the cash the transaction moved to the lines of its legs on the other side of the
    cash (for a payment the debited legs, for a receipt the credited ones), shared in
    proportion to their amounts; legs on the cash's side (a payable credited beside a
    payment) only lessen what is shared."""
    moved = ZERO
    others: list[tuple[str, Decimal]] = []
    for posting in transaction.postings:
        number = _number(posting)
        if codes.get(posting.account) in CASH_CODES:
            moved += number
        elif number:
            others.append((posting.account, number))
    opposite = [(account, -number) for account, number in others if number * moved < 0]
    if not moved:
        return
    if not opposite:  # nothing balances the cash: an other 业务活动 inflow or outflow
        lines[OTHER[0] if moved > 0 else OTHER[1]] += abs(moved)
        return
    shares = spread(moved, [number for _, number in opposite])
    for (account, _), share in zip(opposite, shares, strict=True):
        line = line_of(account, codes.get(account), share > 0, payables)
        lines[line] += share if line in INFLOWS else -share


def movements(books: Books, year: int) -> tuple[dict[int, Decimal], Decimal]:
    """The year's cash by line (inflows and outflows, each as a positive amount) and what the
    lines leave unexplained of the change in 货币资金: the cash of transactions weighing in
    more than one currency (nothing, in books of one currency). One pass over the
    transactions, and one more to find the payables of fixed assets."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    codes = account_codes(books)
    payables = asset_payables(books, last, codes)
    lines: dict[int, Decimal] = defaultdict(Decimal)
    unexplained = ZERO
    for transaction in books.transactions:
        if not first <= transaction.date <= last:
            continue
        if not any(codes.get(posting.account) in CASH_CODES
                   for posting in transaction.postings):
            continue
        if len(_currencies(transaction)) > 1:
            unexplained += sum((_number(posting) for posting in transaction.postings
                                if codes.get(posting.account) in CASH_CODES), ZERO)
            continue
        _legs(transaction, codes, lines, payables)
    return lines, unexplained


def cash_flow(books: Books, year: int) -> Statement:
    """The 现金流量表 of ``year`` (see the module's docstring for what goes where)."""
    lines, exchange = movements(books, year)
    values: dict[int, Decimal] = {line: lines.get(line, ZERO)
                                  for line, _ in LAYOUT if line is not None}
    for total, (added, taken) in SUBTOTALS.items():
        values[total] = (sum((values[line] for line in added), ZERO)
                         - sum((values[line] for line in taken), ZERO))
    values[60] = exchange
    values[61] = values[24] + values[44] + values[59] + values[60]
    rows = [StatementRow(line, label, (None,) if line is None else (values[line],))
            for line, label in LAYOUT]
    return Statement(TITLE, CODE, COLUMNS, rows)
