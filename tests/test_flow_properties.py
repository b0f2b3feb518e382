"""Properties of the movement matching on random vouchers: nothing is counted twice."""

import datetime
from collections import defaultdict
from decimal import Decimal

from beancount.core import account_types, data
from beancount.core.amount import Amount
from hypothesis import given
from hypothesis import strategies as st

from ledger.model.flows import AccountKind, read_flows
from ledger.rules.movement import moves

TYPES = account_types.DEFAULT_ACCOUNT_TYPES
ACCOUNTS: dict[str, AccountKind] = {
    "Assets:Bank:A": ("a", "Assets"), "Liabilities:A:Payable": ("a", "Liabilities"),
    "Expenses:A:Cost": ("a", "Expenses"), "Income:A:Grant": ("a", "Income"),
    "Assets:Bank:B": ("b", "Assets"), "Expenses:B:Cost": ("b", "Expenses"),
    "Assets:District": (None, "Assets"), "Expenses:District": (None, "Expenses"),
}
amounts = st.integers(min_value=-5000, max_value=5000).map(lambda cents: Decimal(cents) / 100)
legs = st.lists(st.tuples(st.sampled_from(sorted(ACCOUNTS)), amounts), min_size=1, max_size=7)


def voucher(postings: list[tuple[str, Decimal]]) -> data.Transaction:
    total = sum((number for _, number in postings), Decimal(0))
    rows = [*postings, ("Assets:District", -total)]
    return data.Transaction(
        {}, datetime.date(2012, 1, 1), "*", None, "", frozenset(), frozenset(),
        [data.Posting(account, Amount(number, "CNY"), None, None, None, None)
         for account, number in rows])


@given(legs)
def test_no_fund_gives_more_than_it_paid_and_no_owner_gets_more_than_it_gained(
        postings: list[tuple[str, Decimal]]) -> None:
    flows = read_flows(voucher(postings), ACCOUNTS.__getitem__, TYPES)
    found = moves(flows) if flows is not None else []
    given_by: dict[str, Decimal] = defaultdict(Decimal)
    taken_by: dict[str | None, Decimal] = defaultdict(Decimal)
    for move in found:
        assert move.amount > 0 and move.source != move.target
        given_by[move.source] += move.amount
        taken_by[move.target] += move.amount
    assert flows is not None or not found
    for source, amount in given_by.items():
        assert flows is not None
        assert amount <= min(flows.paid_out[source, "CNY"], -flows.net[source, "CNY"])
    for target, amount in taken_by.items():
        assert flows is not None
        assert amount <= flows.net[target, "CNY"]


@given(legs)
def test_everything_that_left_a_fund_is_accounted_for(postings: list[tuple[str, Decimal]]) -> None:
    flows = read_flows(voucher(postings), ACCOUNTS.__getitem__, TYPES)
    if flows is None:
        return
    left = sum((min(paid, -flows.net[key]) for key, paid in flows.paid_out.items()
                if flows.net[key] < 0), Decimal(0))
    gained = sum((net for net in flows.net.values() if net > 0), Decimal(0))
    assert sum((move.amount for move in moves(flows)), Decimal(0)) == min(left, gained)
