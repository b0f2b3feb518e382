"""Account names: exactly the names Beancount's parser accepts, Chinese components included."""

import pytest
from beancount import loader

from ledger.model.account_names import is_account_name

LOADED = ["Expenses:Operating:社区活动", "Assets:Bank:专户", "Assets:A银行",
          "Expenses:Operating:2013-Fees"]
REFUSED = ["Assets:银行存款", "Expenses:社区活动", "Expenses", "expenses:Food", "Expenses::Food",
           "Expenses:food", "Expenses:Fo od", "Expenses:Food:", "Other:Food"]


@pytest.mark.parametrize("name", LOADED + REFUSED)
def test_an_account_name_is_what_the_books_load(name: str) -> None:
    _, errors, _ = loader.load_string(f"2013-01-01 open {name} CNY\n")
    assert is_account_name(name) is (not errors)


@pytest.mark.parametrize("value", ["", 5, None, "Expenses:社区\u3000活动"])
def test_other_values_are_not_account_names(value: object) -> None:
    assert not is_account_name(value)
