"""How a bank line clears a book movement: the one matcher of the import and the reconciliation.

A line clears a movement of the same account and amount: first the one carrying the line's
``bank-ref:`` (banks that number by day reuse references, so only within ``MATCH_DAYS``), then
the earliest one within ``MATCH_DAYS`` of the line (a cheque may take weeks to clear; equal
amounts pair in date order) or carried: left outstanding by the previous closing and dated on
or before the line, whatever its age (the bank had not shown it then, so this line is its).
``funds import`` uses it to recognise a line that clears a book item the bank had not yet
shown; ``funds export monthly`` to find the outstanding items.

The movements wait in a :class:`Pool`, by amount in date order (and by ``bank-ref:``), so each
line looks only at the movements of its amount: a statement of many lines against a long
history is matched in about linear time. Of equal dates the one listed first is taken.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

MATCH_DAYS = 31  # a cheque may take weeks to clear
_WINDOW = datetime.timedelta(days=MATCH_DAYS)


class Clearable(Protocol):
    """A book movement on a bank account: its date, net amount and ``bank-ref:``."""

    @property
    def date(self) -> datetime.date: ...

    @property
    def amount(self) -> Decimal: ...

    @property
    def ref(self) -> str: ...


M = TypeVar("M", bound=Clearable)
_Slot = tuple[datetime.date, int]  # a movement's date and its place in the list given


class Pool(Generic[M]):
    """Movements a bank line may clear, each taken once; what is left stays in the order
    given."""

    def __init__(self, movements: Iterable[M]) -> None:
        self._listed = list(movements)
        self._left = set(range(len(self._listed)))
        self._by_amount: dict[Decimal, list[_Slot]] = defaultdict(list)
        self._by_ref: dict[tuple[str, Decimal], list[int]] = defaultdict(list)
        for place, movement in enumerate(self._listed):
            self._by_amount[movement.amount].append((movement.date, place))
            if movement.ref:
                self._by_ref[movement.ref, movement.amount].append(place)
        for slots in self._by_amount.values():
            slots.sort()

    def left(self) -> list[M]:
        """The movements not taken, in the order given."""
        return [self._listed[place] for place in sorted(self._left)]

    def earliest(self, amount: Decimal, since: datetime.date | None = None,
                 until: datetime.date | None = None) -> M | None:
        """The earliest movement of ``amount`` dated from ``since`` to ``until`` (either
        open), not taken."""
        slots = self._by_amount.get(amount, [])
        index = 0 if since is None else bisect_left(slots, (since, -1))
        if index == len(slots) or (until is not None and slots[index][0] > until):
            return None
        return self._listed[slots[index][1]]

    def by_ref(self, ref: str, amount: Decimal, date: datetime.date) -> M | None:
        """The first movement listed with this ``bank-ref:`` and amount, within
        ``MATCH_DAYS`` of ``date``, not taken."""
        places = self._by_ref.get((ref, amount), []) if ref else []
        return next((self._listed[place] for place in places
                     if within(self._listed[place].date, date)), None)

    def take(self, movement: M | None) -> M | None:
        """The movement (one this pool found), no longer to be found."""
        if movement is None:
            return None
        place = next(place for place in self._places(movement)
                     if self._listed[place] is movement)
        self._left.discard(place)
        slots = self._by_amount[movement.amount]
        del slots[bisect_left(slots, (movement.date, place))]
        if movement.ref:
            self._by_ref[movement.ref, movement.amount].remove(place)
        return movement

    def take_earliest(self, amount: Decimal, since: datetime.date | None = None,
                      until: datetime.date | None = None) -> M | None:
        return self.take(self.earliest(amount, since, until))

    def _places(self, movement: M) -> Iterable[int]:
        slots = self._by_amount[movement.amount]
        index = bisect_left(slots, (movement.date, -1))
        while index < len(slots) and slots[index][0] == movement.date:
            yield slots[index][1]
            index += 1


def within(first: datetime.date, second: datetime.date) -> bool:
    return abs((first - second).days) <= MATCH_DAYS


def around(date: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The days within ``MATCH_DAYS`` of ``date`` (open at the calendar's ends)."""
    since = date - _WINDOW if date - datetime.date.min > _WINDOW else None
    until = date + _WINDOW if datetime.date.max - date > _WINDOW else None
    return since, until


def take_clearing(movements: Pool[M], ref: str, amount: Decimal, date: datetime.date,
                  carried: Pool[M] | None = None) -> M | None:
    """The movement a bank line of this reference, amount and date clears, taken from its
    pool: by ``bank-ref:`` first, else the earliest of its amount, of ``movements`` within
    ``MATCH_DAYS`` and of ``carried`` (outstanding at the previous closing) dated by the line
    (of equal dates, the one of ``movements``)."""
    found = movements.by_ref(ref, amount, date)
    if found is not None:
        return movements.take(found)
    near = movements.earliest(amount, *around(date))
    old = carried.earliest(amount, until=date) if carried is not None else None
    if old is not None and (near is None or old.date < near.date):
        assert carried is not None
        return carried.take(old)
    return movements.take(near)
