"""Properties of the transfers read from random vouchers: nothing is counted twice, nothing
is invented, and a fund alone in a voucher never transfers anything."""

import datetime
from collections import defaultdict
from decimal import Decimal

from beancount.core import account_types, data
from beancount.core.amount import Amount
from hypothesis import given
from hypothesis import strategies as st

from ledger.model.flows import Flows, read_flows
from ledger.model.postings import AccountKind, Owner, read_legs

TYPES = account_types.DEFAULT_ACCOUNT_TYPES
ACCOUNTS: dict[str, AccountKind] = {
    "Assets:Bank:A": ("a", "Assets"), "Assets:Cash:A": ("a", "Assets"),
    "Liabilities:A:Payable": ("a", "Liabilities"), "Expenses:A:Cost": ("a", "Expenses"),
    "Income:A:Grant": ("a", "Income"),
    "Assets:Bank:B": ("b", "Assets"), "Expenses:B:Cost": ("b", "Expenses"),
    "Income:B:Grant": ("b", "Income"),
    "Assets:District": (None, "Assets"), "Expenses:District": (None, "Expenses"),
    "Equity:Opening": (None, "Equity"),
}
amounts = st.integers(min_value=-5000, max_value=5000).map(lambda cents: Decimal(cents) / 100)
legs = st.lists(st.tuples(st.sampled_from(sorted(ACCOUNTS)), amounts), min_size=1, max_size=7)


def voucher(postings: list[tuple[str, Decimal]], balance_on: str) -> data.Transaction:
    total = sum((number for _, number in postings), Decimal(0))
    rows = [*postings, (balance_on, -total)]
    return data.Transaction(
        {}, datetime.date(2012, 1, 1), "*", None, "", frozenset(), frozenset(),
        [data.Posting(account, Amount(number, "CNY"), None, None, None, None)
         for account, number in rows])


def flows_of(transaction: data.Transaction) -> Flows | None:
    legs, _ = read_legs(transaction, ACCOUNTS)
    return read_flows(legs, TYPES)


def nets(postings: list[data.Posting]) -> dict[Owner, Decimal]:
    """Each owner's postings summed, Equity left out: computed here, not by the code tested."""
    totals: dict[Owner, Decimal] = defaultdict(Decimal)
    for posting in postings:
        owner, root = ACCOUNTS[posting.account]
        number = posting.units.number if posting.units is not None else None
        if root != "Equity" and number is not None:
            totals[owner] += number
    return totals


@given(legs, st.sampled_from(sorted(ACCOUNTS)))
def test_transfers_never_exceed_what_an_owner_lost_or_gained(
        postings: list[tuple[str, Decimal]], balance_on: str) -> None:
    transaction = voucher(postings, balance_on)
    flows = flows_of(transaction)
    transfers = flows.transfers if flows is not None else []
    net = nets(transaction.postings)
    given_by: dict[Owner, Decimal] = defaultdict(Decimal)
    taken_by: dict[Owner, Decimal] = defaultdict(Decimal)
    for transfer in transfers:
        assert transfer.amount > 0 and transfer.source != transfer.target
        assert ACCOUNTS[transfer.account][0] == transfer.target
        given_by[transfer.source] += transfer.amount
        taken_by[transfer.target] += transfer.amount
    for owner, amount in given_by.items():
        assert amount <= -net[owner]
    for owner, amount in taken_by.items():
        assert amount <= net[owner]


@given(legs)
def test_a_fund_alone_with_the_district_equity_transfers_nothing(
        postings: list[tuple[str, Decimal]]) -> None:
    own = [(account, number) for account, number in postings
           if ACCOUNTS[account][0] == "a"]
    flows = flows_of(voucher(own, "Equity:Opening"))
    assert flows is None or flows.transfers == []


@given(legs, st.sampled_from(sorted(ACCOUNTS)))
def test_what_one_fund_lost_to_the_others_is_reported_in_full(
        postings: list[tuple[str, Decimal]], balance_on: str) -> None:
    transaction = voucher(postings, balance_on)
    flows = flows_of(transaction)
    net = nets(transaction.postings)
    losers = [owner for owner, total in net.items() if owner is not None and total < 0]
    gained = sum((total for total in net.values() if total > 0), Decimal(0))
    if len(losers) == 1 and gained > 0:
        # A fund that nets to a credit while others gain has passed money to them.
        assert flows is not None
        moved = sum((t.amount for t in flows.transfers if t.source == losers[0]), Decimal(0))
        assert moved == min(-net[losers[0]], gained)
