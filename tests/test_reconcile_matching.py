"""The reconciliation's reading of ``bank-balance`` records, and the matching shared with the
import (:mod:`importers.clearing`, :mod:`importers.outstanding`)."""

import datetime
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import beangulp
import pytest
from beancount.core import data
from click.testing import CliRunner

from importers.bank import BankStatementImporter
from importers.payroll import PayrollImporter
from ledger.cli.main import funds
from reports.month import Month
from reports.reconcile import recorded_figures
from tests.helpers import copy_demo_books
from tests.samples import (
    SALARY_BANK,
    demo_lines,
    following,
    payroll_csv,
    payroll_rows,
    statement_csv,
)


def test_a_custom_of_no_values_on_the_day_is_no_recorded_figure() -> None:
    day = datetime.date(2012, 11, 1)
    bare = data.Custom(data.new_metadata("books.beancount", 7), day, "note-to-self",
                       None)  # type: ignore[arg-type]
    record = data.Custom(data.new_metadata("books.beancount", 9), day, "bank-balance",
                         None)  # type: ignore[arg-type]
    assert recorded_figures([bare, record], Month.parse("2012-10")) == []


def test_each_importer_identifies_each_file_once(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    books = copy_demo_books(tmp_path / "books")
    december = demo_lines(SALARY_BANK, datetime.date(2012, 12, 1), datetime.date(2012, 12, 31))
    statement = statement_csv(tmp_path / "对账单.csv", following(
        december, ("2013-01-05", "社工薪酬拨款", "东山区管委会", "60000.00")))
    payroll = payroll_csv(tmp_path / "工资表.csv", payroll_rows())
    asked: Counter[tuple[str, str]] = Counter()
    for importer in (BankStatementImporter, PayrollImporter):
        def counted(self: beangulp.Importer, filepath: str,
                    identify: Callable[[beangulp.Importer, str], bool] = importer.identify
                    ) -> bool:
            asked[type(self).__name__, Path(filepath).name] += 1
            return identify(self, filepath)
        monkeypatch.setattr(importer, "identify", counted)
    result = CliRunner().invoke(funds, ["import", str(statement), str(payroll),
                                        "--ledger", str(books)])
    assert result.exit_code == 0, result.output
    assert result.output.index("工资表.csv") < result.output.index("对账单.csv")  # payroll first
    assert set(asked.values()) == {1} and len(asked) == 4
