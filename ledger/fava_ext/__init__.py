"""The Fava extension: a 专项资金 page with each fund's plan, spending and findings.

Declare it in the books beside the plugin::

    2012-01-01 custom "fava-extension" "ledger.fava_ext"

The page shows what ``check-funds`` reports, from the same functions (see
:mod:`ledger.fava_ext.page`), for Fava's time filter (findings dated within it, figures as of
its last day) and account filter (the funds with an account it matches). The rules run once
per load of the books: Fava's load runs the plugin, whose findings the page takes.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from beancount.core import data
from fava.beans.funcs import hash_entry
from fava.core.filters import AccountFilter, TimeFilter
from fava.ext import FavaExtensionBase
from fava.helpers import FavaAPIError
from flask import request

from ledger.check import Checked, check_loaded, plugin_findings
from ledger.fava_ext.page import FindingRow, FundsPage, build_page
from ledger.files import unincluded_files
from ledger.load_errors import ShownError, explain_load_errors
from ledger.model.books import Books
from ledger.model.budget import period_label
from ledger.model.findings import EarmarkError, Finding

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator, Sequence

    from fava.beans.abc import Directive
    from fava.core import FavaLedger
    from fava.util.date import DateRange

log = logging.getLogger(__name__)


class BadFilterError(Exception):
    """A time or account filter that Fava cannot read."""


@contextlib.contextmanager
def _bad_filter() -> Iterator[None]:
    try:
        yield
    except (FavaAPIError, ValueError, re.error) as error:
        raise BadFilterError(str(error)) from error


class EarmarkedFunds(FavaExtensionBase):
    """专项资金: per-fund budget, spending, balance and findings, with links to the entries."""

    report_title = "专项资金"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._lock = threading.Lock()
        self._plugin_findings: tuple[Sequence[Directive], list[Finding] | None] | None = None
        self._checked: tuple[Sequence[Directive], Checked] | None = None
        self._load_errors: tuple[Sequence[object], list[ShownError]] | None = None

    def after_load_file(self) -> None:
        """Take the plugin's findings of this load (the load runs in this very thread)."""
        entries = self.ledger.all_entries
        findings = plugin_findings(cast("dict[str, Any]", self.ledger.options))
        with self._lock:
            self._plugin_findings = (entries, findings)

    def checked(self) -> Checked:
        """The books Fava holds now, read once per load: the plugin's findings if it ran
        during that load, else the rules run on the first request. A reading is kept with
        the load it was made of, so one finished after a reload is never served."""
        entries, options = self.ledger.all_entries, self.ledger.options
        with self._lock:
            if self._checked is not None and self._checked[0] is entries:
                return self._checked[1]
            taken = self._plugin_findings
            findings = taken[1] if taken is not None and taken[0] is entries else None
            checked = check_loaded(cast("data.Directives", entries),
                                   cast("dict[str, Any]", options), findings)
            self._checked = (entries, checked)
            return checked

    def page(self) -> FundsPage:
        """The page for the current request's filters; on any failure, a page that says so."""
        try:
            return self._page()
        except BadFilterError as error:
            return FundsPage(notice=f"筛选条件无效：{error}")
        except Exception as error:  # the page explains; Fava's log keeps the traceback
            log.exception("专项资金 page failed")
            return FundsPage(notice=f"专项资金页无法计算：{error}。请在命令行运行 check-funds "
                                    "查看账簿的问题，或查看 Fava 的错误页。")

    def _page(self) -> FundsPage:
        date_range = self._date_range(request.args.get("time", ""))
        checked = self.checked()
        account = request.args.get("account", "")
        funds = self._funds_matching(checked.books, account) if account else ()
        if account and not funds:
            return FundsPage(notice=f"没有专项的科目符合科目筛选“{account}”。")
        main = Path(self.ledger.beancount_file_path)
        included = self.ledger.options.get("include") or []
        return build_page(checked.books, checked.findings,
                          since=None if date_range is None else date_range.begin,
                          until=None if date_range is None else date_range.end_inclusive,
                          funds=funds, books_dir=main.parent,
                          unincluded=unincluded_files(main, map(str, included)).paths)

    def _date_range(self, time: str) -> DateRange | None:
        """The dates of Fava's time filter, read by Fava (without filtering the entries)."""
        if not time:
            return None
        with _bad_filter():
            return TimeFilter(self.ledger.options, self.ledger.fava_options, time).date_range

    def _funds_matching(self, books: Books, account: str) -> tuple[str, ...]:
        """The funds (declared or not) of the accounts that Fava's account filter keeps."""
        with _bad_filter():
            opens = cast("list[data.Open]",
                         AccountFilter(account).apply(self.ledger.all_entries_by_type.Open))
        named = {books.model.fund_of(entry.account) for entry in opens}
        return tuple(sorted(fund for fund in named if fund is not None))

    def load_error_count(self) -> int:
        """Errors of the books themselves (not findings): the figures may be incomplete."""
        return len(self._books_errors())

    def load_error_lines(self) -> list[ShownError]:
        """What the books' load errors mean, as ``check-funds`` says it (file:line, in Chinese
        and what to do; see :mod:`ledger.load_errors`), worked out once per load."""
        errors = self.ledger.load_errors
        with self._lock:
            if self._load_errors is not None and self._load_errors[0] is errors:
                return self._load_errors[1]
        lines = explain_load_errors(self._books_errors(), cast("dict[str, Any]",
                                                               self.ledger.options),
                                    Path(self.ledger.beancount_file_path),
                                    cast("data.Directives", self.ledger.all_entries))
        with self._lock:
            self._load_errors = (errors, lines)
        return lines

    def _books_errors(self) -> list[data.BeancountError]:
        return [cast("data.BeancountError", error) for error in self.ledger.load_errors
                if not isinstance(error, EarmarkError)]

    @staticmethod
    def money(value: Decimal) -> str:
        """An amount with thousands separators and every digit the books hold."""
        return f"{value:,}"

    @staticmethod
    def period_label(period: str) -> str:
        """A budget period in Chinese: 年度, 季度, 月度, 每周, 每日."""
        return period_label(period)

    @staticmethod
    def context_hash(row: FindingRow) -> str | None:
        """The hash of the finding's entry, for Fava's ``#context-`` link."""
        entry = row.finding.entry
        return None if entry is None else hash_entry(cast("Directive", entry))
