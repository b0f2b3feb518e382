"""How a bank line clears a book movement: the one matcher of the import and the reconciliation.

A line clears a movement of the same account and amount: first the one carrying the line's
``bank-ref:`` (banks that number by day reuse references, so only within ``MATCH_DAYS``), then
the earliest one within ``MATCH_DAYS`` of the line (a cheque may take weeks to clear; equal
amounts pair in date order) or carried: left outstanding by the previous closing and dated on
or before the line, whatever its age (the bank had not shown it then, so this line is its).
``funds import`` uses it to recognise a line that clears a book item the bank had not yet
shown; ``funds export monthly`` to find the outstanding items.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Protocol, TypeVar

MATCH_DAYS = 31  # a cheque may take weeks to clear


class Clearable(Protocol):
    """A book movement on a bank account: its date, net amount and ``bank-ref:``."""

    @property
    def date(self) -> datetime.date: ...

    @property
    def amount(self) -> Decimal: ...

    @property
    def ref(self) -> str: ...


M = TypeVar("M", bound=Clearable)


def within(first: datetime.date, second: datetime.date, days: int = MATCH_DAYS) -> bool:
    return abs((first - second).days) <= days


def take_by_ref(movements: list[M], ref: str, amount: Decimal,
                date: datetime.date) -> M | None:
    """The movement with this ``bank-ref:`` and amount within ``MATCH_DAYS`` of the date,
    removed from the list."""
    found = next((movement for movement in movements if ref and movement.ref == ref
                  and movement.amount == amount and within(movement.date, date)), None)
    if found is not None:
        movements.remove(found)
    return found


def take_earliest(movements: list[M], amount: Decimal,
                  near: datetime.date | None) -> M | None:
    """The earliest movement of ``amount`` (within ``MATCH_DAYS`` of ``near``, if given),
    removed from the list. Pairing equal amounts earliest first keeps them in date order."""
    found = min((movement for movement in movements if movement.amount == amount
                 and (near is None or within(movement.date, near))),
                key=lambda movement: movement.date, default=None)
    if found is not None:
        movements.remove(found)
    return found


def take_clearing(movements: list[M], ref: str, amount: Decimal, date: datetime.date,
                  carried: list[M] | None = None) -> M | None:
    """The movement a bank line of this reference, amount and date clears, removed from its
    list: by ``bank-ref:`` first, else the earliest of its amount, of ``movements`` within
    ``MATCH_DAYS`` and of ``carried`` (outstanding at the previous closing) dated by the line."""
    found = take_by_ref(movements, ref, amount, date)
    if found is not None:
        return found
    old = carried if carried is not None else []
    candidates = [(movement, movements) for movement in movements
                  if movement.amount == amount and within(movement.date, date)]
    candidates += [(movement, old) for movement in old
                   if movement.amount == amount and movement.date <= date]
    if not candidates:
        return None
    found, pool = min(candidates, key=lambda candidate: candidate[0].date)
    pool.remove(found)
    return found
