"""The Fava extension: a 专项资金 page with each fund's plan, spending and findings.

Declare it in the books beside the plugin::

    2012-01-01 custom "fava-extension" "ledger.fava_ext"

The page shows what ``check-funds`` reports, from the same functions (see
:mod:`ledger.fava_ext.page`), for Fava's time filter (findings dated within it, figures as of
its last day) and account filter (the funds with an account it matches). The rules run once
per load of the books: Fava's load runs the plugin, whose findings the page takes.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from beancount.core import data
from fava.beans.funcs import hash_entry
from fava.context import g
from fava.core.filters import AccountFilter
from fava.ext import FavaExtensionBase
from flask import request

from ledger.check import check_loaded
from ledger.fava_ext.page import FindingRow, FundsPage, build_page
from ledger.model.books import Books
from ledger.model.findings import EarmarkError
from ledger.plugin import Checked, checked_by_plugin

if TYPE_CHECKING:  # pragma: no cover
    from fava.beans.abc import Directive
    from fava.core import FavaLedger

log = logging.getLogger(__name__)

PERIOD_LABELS = {"yearly": "年度", "quarterly": "季度", "monthly": "月度", "weekly": "每周",
                 "daily": "每日"}


class EarmarkedFunds(FavaExtensionBase):
    """专项资金: per-fund budget, spending, balance and findings, with links to the entries."""

    report_title = "专项资金"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._checked: Checked | None = None

    def after_load_file(self) -> None:
        self._checked = checked_by_plugin(self._options())

    def checked(self) -> Checked:
        """The rules' reading of the books Fava loaded; run now if the plugin did not run."""
        if self._checked is None:
            entries = cast("data.Directives", self.ledger.all_entries)
            self._checked = check_loaded(entries, self._options())
        return self._checked

    def _options(self) -> dict[str, Any]:
        return cast("dict[str, Any]", self.ledger.options)

    def page(self) -> FundsPage:
        """The page for the current request's filters; on any failure, a page that says so."""
        try:
            return self._page()
        except Exception as error:  # the page explains; Fava's log keeps the traceback
            log.exception("专项资金 page failed")
            return FundsPage(notice=f"专项资金页无法计算：{error}。请在命令行运行 check-funds "
                                    "查看账簿的问题，或查看 Fava 的错误页。")

    def _page(self) -> FundsPage:
        date_range = g.filtered.date_range
        since = None if date_range is None else date_range.begin
        until = None if date_range is None else date_range.end_inclusive
        checked = self.checked()
        books_dir = Path(self.ledger.beancount_file_path).parent
        account = request.args.get("account", "")
        if not account:
            return build_page(checked.books, checked.findings, since=since, until=until,
                              books_dir=books_dir)
        funds = self._funds_matching(checked.books, account)
        if not funds:
            return FundsPage(notice=f"没有专项的科目符合科目筛选“{account}”。")
        return build_page(checked.books, checked.findings, since=since, until=until,
                          funds=funds, books_dir=books_dir)

    def _funds_matching(self, books: Books, account: str) -> tuple[str, ...]:
        """The funds with an account that Fava's account filter keeps."""
        opens = AccountFilter(account).apply(self.ledger.all_entries_by_type.Open)
        funds = {books.model.fund_of(entry.account) for entry in opens}  # type: ignore[attr-defined]
        return tuple(sorted(fund for fund in funds if fund in books.model.funds))

    def load_error_count(self) -> int:
        """Errors of the books themselves (not findings): the figures may be incomplete."""
        return sum(not isinstance(error, EarmarkError) for error in self.ledger.load_errors)

    @staticmethod
    def money(value: Decimal) -> str:
        """An amount with thousands separators and every digit the books hold."""
        return f"{value:,}"

    @staticmethod
    def period_label(period: str) -> str:
        return PERIOD_LABELS.get(period, period)

    @staticmethod
    def context_hash(row: FindingRow) -> str | None:
        """The hash of the finding's entry, for Fava's ``#context-`` link."""
        entry = row.finding.entry
        return None if entry is None else hash_entry(cast("Directive", entry))
