"""The reconciliation's reading of ``bank-balance`` records, and the matching shared with the
import (:mod:`importers.clearing`, :mod:`importers.outstanding`)."""

import datetime

from beancount.core import data

from reports.month import Month
from reports.reconcile import recorded_figures


def test_a_custom_of_no_values_on_the_day_is_no_recorded_figure() -> None:
    day = datetime.date(2012, 11, 1)
    bare = data.Custom(data.new_metadata("books.beancount", 7), day, "note-to-self",
                       None)  # type: ignore[arg-type]
    record = data.Custom(data.new_metadata("books.beancount", 9), day, "bank-balance",
                         None)  # type: ignore[arg-type]
    assert recorded_figures([bare, record], Month.parse("2012-10")) == []
