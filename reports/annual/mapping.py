"""Where each account of the books sits in the chart of 2004, for the annual statements.

An account maps to the chart code at the head of its first component under the root
(``Income:4401-政府补助收入:…`` → 4401, see :func:`ledger.model.chart.code_of`); a
``statement-line:`` on its ``open`` (a chart code, ``statement-line: "2209"``) places it
explicitly. An account with postings and no code, or with a code the chart does not have (or has
under another root), is unmapped: the statements refuse such books rather than drop it.
"""

from __future__ import annotations

from beancount.core import data

from ledger.model.books import Books
from ledger.model.chart import CHART, code_of

STATEMENT_LINE = "statement-line"


def declared_codes(books: Books) -> dict[str, str]:
    """The ``statement-line:`` of each ``open`` carrying one, as written (a string)."""
    declared: dict[str, str] = {}
    for entry in books.entries:
        if isinstance(entry, data.Open) and entry.meta and STATEMENT_LINE in entry.meta:
            declared[entry.account] = str(entry.meta[STATEMENT_LINE]).strip()
    return declared


def chart_code(account: str, declared: dict[str, str]) -> str | None:
    """The account's chart code, if the chart has it under the account's root; else None."""
    code = declared.get(account) or code_of(account)
    if code is None or code not in CHART:
        return None
    return code if CHART[code][1] == account.split(":")[0] else None


def posted_accounts(books: Books) -> list[str]:
    """Every account some transaction posts to, sorted."""
    return sorted({posting.account for entry in books.transactions
                   for posting in entry.postings})


def account_codes(books: Books) -> dict[str, str | None]:
    """The chart code of every account posted to (None for an unmapped one)."""
    declared = declared_codes(books)
    return {account: chart_code(account, declared) for account in posted_accounts(books)}


def unmapped(books: Books) -> list[str]:
    """The accounts posted to that map to no code of the chart, sorted: no code at the head of
    their first component and no ``statement-line:``, or a code the chart does not have (or
    has under another root)."""
    return [account for account, code in account_codes(books).items() if code is None]


def why_unmapped(account: str, books: Books) -> str:
    """Why an unmapped account is, in Chinese and English."""
    code = declared_codes(books).get(account) or code_of(account)
    if code is None:
        return "无会计科目代码 / no chart code"
    if code not in CHART:
        return f"科目代码 {code} 不在会计科目表中 / code {code} is not in the chart"
    return (f"科目代码 {code}（{CHART[code][0]}）属于 {CHART[code][1]}，不属于 "
            f"{account.split(':')[0]} / code {code} is under {CHART[code][1]}")
