"""The 民非 chart of accounts: every name of it loads, and a code says what an account is."""

from beancount import loader

from ledger.model.account_names import is_account_name
from ledger.model.chart import (
    CHART,
    DEFAULT_COSTS,
    DEFAULT_FUNDS,
    SUSPENSE,
    code_of,
    coded,
    is_cash_code,
)


def chart_accounts() -> list[str]:
    accounts = [coded(code) for code in CHART] + [SUSPENSE]
    for fund in DEFAULT_FUNDS:
        accounts += [fund.bank, fund.cash, fund.grant("区财政"), fund.grant("市财政"),
                     fund.interest, fund.bank_fee]
        accounts += [fund.cost(item, code) for item, code in DEFAULT_COSTS[fund.code]]
    return accounts


def test_every_account_of_the_chart_loads_with_beancount() -> None:
    accounts = chart_accounts()
    text = "".join(f"2013-01-01 open {account} CNY\n" for account in accounts)
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    assert len(entries) == len(set(accounts))
    assert all(is_account_name(account) for account in accounts)


def test_a_code_is_read_from_the_first_component_under_the_root() -> None:
    assert code_of("Assets:1002-银行存款:建设经费专户") == "1002"
    assert code_of("Liabilities:2204-应付工资") == "2204"
    assert code_of("Liabilities:2204") == "2204"
    assert code_of("Assets:Bank:Dedicated:Construction") is None
    assert code_of("Assets:10021-x") is None
    assert code_of("Assets") is None


def test_only_code_1001_is_cash() -> None:
    assert is_cash_code("Assets:1001-现金:运营经费备用金")
    assert not is_cash_code("Assets:1002-银行存款:运营经费专户")
    assert not is_cash_code("Assets:Cash:Operating")  # the books know it by its component
