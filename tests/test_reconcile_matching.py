"""The reconciliation's reading of ``bank-balance`` records, and the matching shared with the
import (:mod:`importers.clearing`, :mod:`importers.outstanding`)."""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import beangulp
import pytest
from beancount.core import account as account_type
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType
from click.testing import CliRunner

from importers.bank import BankStatementImporter
from importers.clearing import Pool, take_clearing
from importers.payroll import PayrollImporter
from ledger.cli.main import funds
from reports.month import Month
from reports.reconcile import (
    Movement,
    Outstanding,
    Reconciliation,
    reconcile_with_figure,
    recorded_figures,
)
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


@dataclass(eq=False)
class Counted:
    """A book movement that counts how often the matcher reads it."""

    day: datetime.date
    sum: Decimal
    number: str
    reads: list[int]

    @property
    def date(self) -> datetime.date:
        self.reads[0] += 1
        return self.day

    @property
    def amount(self) -> Decimal:
        self.reads[0] += 1
        return self.sum

    @property
    def ref(self) -> str:
        self.reads[0] += 1
        return self.number


def _clearing_reads(count: int) -> tuple[int, list[tuple[datetime.date, Decimal]]]:
    """Reads of the movements while ``count`` lines clear ``count`` movements (and a tenth as
    many carried), and what each line cleared."""
    reads = [0]
    first = datetime.date(2010, 1, 1)
    moves = [Counted(first + datetime.timedelta(days=index // 4), Decimal(index % 97 + 1),
                     f"R{index}" if index % 2 else "", reads) for index in range(count)]
    carried = Pool(moves[:count // 10])
    pool = Pool(moves[count // 10:])
    cleared = []
    for move in moves:
        found = take_clearing(pool, move.number, move.sum, move.day + datetime.timedelta(days=3),
                              carried)
        assert found is not None
        cleared.append((found.day, found.sum))
    return reads[0], cleared


def test_clearing_many_lines_against_a_long_history_stays_linear() -> None:
    small, _ = _clearing_reads(500)
    large, _ = _clearing_reads(2000)
    assert large < 6 * small  # 4x the lines and movements: about 4x the work, not 16x


def test_equal_amounts_clear_the_earliest_first_and_the_month_before_the_carried() -> None:
    reads = [0]
    day = datetime.date(2013, 1, 10)
    fee = Decimal("-15.00")
    later = Counted(day, fee, "", reads)
    earlier = Counted(day - datetime.timedelta(days=2), fee, "", reads)
    same_day = Counted(day - datetime.timedelta(days=2), fee, "", reads)
    old_same_day = Counted(day - datetime.timedelta(days=2), fee, "", reads)
    old = Counted(day - datetime.timedelta(days=90), fee, "", reads)
    movements = Pool([later, earlier, same_day])
    carried = Pool([old_same_day, old])
    taken = [take_clearing(movements, "", fee, day, carried) for _ in range(6)]
    assert taken == [old, earlier, same_day, old_same_day, later, None]
    assert movements.left() == [] and carried.left() == []


def test_two_recorded_items_of_one_date_and_amount_are_named_after_two_movements() -> None:
    day = datetime.date(2012, 10, 31)
    record = data.Custom(
        data.new_metadata("books.beancount", 30, {
            "statement": "10月.csv",
            "outstanding": "2012-10-31 -800.00 记-201210-009; 2012-10-31 -800.00 记-201210-010"}),
        day + datetime.timedelta(days=1), "bank-balance",
        [ValueType("Assets:Bank:Operating", account_type.TYPE),  # type: ignore[arg-type]
         ValueType(Amount(Decimal("10000.00"), "CNY"), Amount)])
    [figure] = recorded_figures([record], Month.parse("2012-10"))
    cheques = [Movement(day, Decimal("-800.00"), f"文具店 {what}", "", "")
               for what in ("办公用品", "打印纸")]
    reconciliation = Reconciliation("Assets:Bank:Operating", "operating", Decimal("8400.00"),
                                    None, "无")
    reconcile_with_figure(reconciliation, Outstanding(cheques), figure)
    assert reconciliation.reconciled
    assert sorted(item.narration for item in reconciliation.items) == [
        "文具店 办公用品", "文具店 打印纸"]
