"""A calendar month as the export names it: ``YYYY-MM``."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """The month ``YYYY-MM`` names; ``ValueError`` with a Chinese and English message."""
        match = _MONTH.fullmatch(text.strip())
        if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
            raise ValueError(f'月份应为 YYYY-MM，如 2012-10，实为 "{text}" / a month is YYYY-MM, '
                             f'e.g. 2012-10, not "{text}"')
        month = cls(int(match.group(1)), int(match.group(2)))
        if not FIRST <= month <= LAST:  # a report reads the day before and the day after
            raise ValueError(f"月份 {month} 超出可处理的范围（{FIRST} 至 {LAST}），"
                             f"是否年份输错？ / {month} is outside {FIRST} to {LAST}: a typo in "
                             "the year?")
        return month

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        """The month of ``day``."""
        return cls(day.year, day.month)

    def following(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


FIRST, LAST = Month(1, 2), Month(9999, 11)  # months whose neighbours the calendar holds
