"""The 专项资金 page served by Fava's own application, without a browser: where the findings
come from, reloads, and the helpful page shown instead of a traceback."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from fava.application import create_app
from flask import Flask
from flask.testing import FlaskClient

from ledger.fava_ext.page import NO_FUNDS
from ledger.model.findings import RULES
from tests.helpers import HEADER, check_funds_json

PLANTED = Path(__file__).parent / "ledgers" / "planted.beancount"
PAGE = "extension/EarmarkedFunds/"
EXTENSION = '2012-01-01 custom "fava-extension" "ledger.fava_ext"\n'
FINDING_ROW = re.compile(r'<tr class="earmark-finding severity-(\w+)" data-rule="([\w-]+)"')


def fava(books: Path, *, incognito: bool = False) -> tuple[Flask, FlaskClient, str]:
    app = create_app([str(books.resolve())], load=True, poll_watcher=True, incognito=incognito)
    client = app.test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    return app, client, slug


def page_html(client: FlaskClient, slug: str, query: str = "") -> str:
    response = client.get(f"/{slug}/{PAGE}{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Traceback" not in html
    return html


def rules_on(html: str) -> list[str]:
    return [rule for _, rule in FINDING_ROW.findall(html)]


def books_at(tmp_path: Path, text: str) -> Path:
    books = tmp_path / "books.beancount"
    books.write_text(text, "utf-8")
    return books


def test_the_page_takes_the_findings_of_the_plugin_run_of_the_load(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_second_run(*_: object) -> None:
        raise AssertionError("the rules ran a second time")

    monkeypatch.setattr("ledger.check.run_checks", no_second_run)
    _, client, slug = fava(PLANTED)
    assert len(rules_on(page_html(client, slug))) == len(RULES)  # one planted per rule


def test_books_without_the_plugin_are_checked_for_the_page(tmp_path: Path) -> None:
    text = PLANTED.read_text("utf-8").replace('plugin "ledger.plugin"\n', "")
    _, client, slug = fava(books_at(tmp_path, text))
    rules = rules_on(page_html(client, slug))
    assert len(rules) == len(RULES) and "split-payment" in rules


def test_the_page_follows_a_reload_of_the_books(tmp_path: Path) -> None:
    books = books_at(tmp_path, EXTENSION + HEADER)
    _, client, slug = fava(books)
    assert rules_on(page_html(client, slug)) == []
    with books.open("a", encoding="utf-8") as file:
        file.write('2012-03-01 * "酒店" "宴请"\n  invoice: "F-0301"\n'
                   "  Assets:Bank:Construction       -800.00 CNY\n"
                   "  Expenses:District:Hospitality   800.00 CNY\n")
    later = books.stat().st_mtime + 10
    os.utime(books, (later, later))
    assert rules_on(page_html(client, slug)) == ["diverted"]


def test_names_from_the_books_are_shown_as_text_not_markup(tmp_path: Path) -> None:
    header = HEADER.replace('"示范点建设经费"', '"<script>alert(1)</script>"')
    _, client, slug = fava(books_at(tmp_path, EXTENSION + header))
    html = page_html(client, slug)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_books_without_funds_get_a_page_that_says_how_to_declare_them(tmp_path: Path) -> None:
    books = books_at(tmp_path, EXTENSION + "2012-01-01 open Assets:Bank CNY\n"
                     "2012-01-01 open Equity:Opening CNY\n"
                     '2012-01-02 * "opening"\n  Assets:Bank  10.00 CNY\n  Equity:Opening\n')
    _, client, slug = fava(books)
    html = page_html(client, slug)
    assert NO_FUNDS in html.replace("&#34;", '"')
    assert 'class="earmark-funds"' not in html


def test_an_account_filter_of_no_fund_says_so(tmp_path: Path) -> None:
    _, client, slug = fava(PLANTED)
    html = page_html(client, slug, "?account=Assets:Nowhere")
    assert "没有专项的科目符合科目筛选“Assets:Nowhere”" in html
    assert rules_on(html) == []


def test_an_extension_error_renders_a_page_that_explains(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr("ledger.fava_ext.build_page", broken)
    _, client, slug = fava(PLANTED)
    html = page_html(client, slug)
    assert "专项资金页无法计算：磁盘已满" in html
    assert 'class="earmark-funds"' not in html


def test_books_with_load_errors_warn_that_figures_may_be_incomplete(tmp_path: Path) -> None:
    books = books_at(tmp_path, EXTENSION + HEADER + "2012-03-01 * \"unbalanced\"\n"
                     "  Assets:Bank:Construction  -1.00 CNY\n"
                     "  Expenses:Construction:Expert  2.00 CNY\n")
    _, client, slug = fava(books)
    assert "账簿有 1 处加载错误" in page_html(client, slug)


def test_incognito_fava_obscures_the_page_numbers() -> None:
    construction = next(fund for fund in check_funds_json(str(PLANTED))["funds"]
                        if fund["fund"] == "construction")
    budget = f"{Decimal(construction['budget']):,}"
    rate = f"</span>{Decimal(construction['spent']) / Decimal(construction['budget']) * 100:.2f}%"
    committed = f'data-value="{construction["months"][-1]["spent_and_committed"]}"'
    _, client, slug = fava(PLANTED, incognito=True)
    html = page_html(client, slug)
    assert budget not in html and rate not in html and committed not in html
    assert "XXX,XXX.XX" in html and "</span>XX.XX%" in html
    _, client, slug = fava(PLANTED)
    html = page_html(client, slug)
    assert budget in html and rate in html and committed in html


CELL = re.compile(r'<td class="num (errors|infos|balance)">([^<]*)</td>')


def cells(html: str, name: str) -> list[str]:
    return [value.strip() for column, value in CELL.findall(html) if column == name]


def test_balances_count_what_pad_adds_as_fava_and_check_funds_do(tmp_path: Path) -> None:
    books = books_at(tmp_path, EXTENSION + 'plugin "ledger.plugin"\n' + HEADER
                     + "2012-02-01 pad Assets:Bank:Construction Assets:District:General\n"
                     + "2012-03-01 balance Assets:Bank:Construction 600000.00 CNY\n"
                     + '2012-03-02 * "专家" "咨询"\n  invoice: "F-1"\n'
                     + "  Assets:Bank:Construction  -300.00 CNY\n"
                     + "  Expenses:Construction:Expert\n")
    construction = next(fund for fund in check_funds_json(str(books))["funds"]
                        if fund["fund"] == "construction")
    assert construction["balance"] == "599700.00"
    _, client, slug = fava(books)
    assert cells(page_html(client, slug), "balance")[0] == "599,700.00"


def test_a_malformed_fund_declaration_still_shows_its_findings(tmp_path: Path) -> None:
    books = books_at(tmp_path, EXTENSION + '2012-01-01 custom "fund" "construction"\n'
                     "2012-01-01 open Assets:Bank:Construction CNY\n  fund: \"construction\"\n")
    _, client, slug = fava(books)
    html = page_html(client, slug)
    assert NO_FUNDS in html.replace("&#34;", '"')
    assert rules_on(html) == [
        rule for rule in ("bad-directive", "unknown-fund")
        if rule in {f["rule"] for f in check_funds_json(str(books))["findings"]}]
    assert rules_on(html) == ["bad-directive", "unknown-fund"]


def test_an_account_filter_on_an_undeclared_funds_account_shows_its_finding() -> None:
    _, client, slug = fava(PLANTED)
    assert rules_on(page_html(client, slug, "?account=Expenses:Mystery")) == ["unknown-fund"]


def test_a_time_filter_before_any_fund_says_so() -> None:
    _, client, slug = fava(PLANTED)
    html = page_html(client, slug, "?time=2011")
    assert "截至 2011-12-31 尚无已声明的专项（最早的专项声明于 2012-01-01）" in html


@pytest.mark.parametrize("query", ["?time=2012-13", "?time=someday", "?account=(Assets"])
def test_a_bad_filter_is_named_without_a_traceback_in_the_log(
        query: str, caplog: pytest.LogCaptureFixture) -> None:
    _, client, slug = fava(PLANTED)
    html = page_html(client, slug, query)
    assert "筛选条件无效" in html
    assert not [record for record in caplog.records if record.exc_info]


MULTI_CURRENCY = HEADER.replace(
    "Expenses:Construction:Expert:Travel CNY", "Expenses:Construction:Expert:Travel CNY,USD",
).replace("Equity:Opening CNY", "Equity:Opening CNY,USD").replace(
    "2012-01-01 open Assets:District:General CNY", """\
2012-01-01 open Assets:District:General CNY
2012-01-01 open Assets:Bank:ConstructionUSD USD
  fund: "construction"
2012-01-01 custom "budget" Expenses:Construction:Expert:Travel "monthly" 100.00 USD""")


def test_a_fund_in_two_currencies_counts_its_findings_once(tmp_path: Path) -> None:
    books = books_at(tmp_path, EXTENSION + MULTI_CURRENCY + """\
2012-01-03 * "district" "USD grant"
  Assets:Bank:ConstructionUSD   1000.00 USD
  Equity:Opening               -1000.00 USD
2012-02-03 * "airline" "ticket"
  invoice: "T-1"
  Assets:Bank:ConstructionUSD   -150.00 USD
  Expenses:Construction:Expert:Travel  150.00 USD
2012-02-04 * "hotel" "host"
  invoice: "H-1"
  Assets:Bank:Construction      -80.00 CNY
  Expenses:District:Hospitality  80.00 CNY
""")
    document = check_funds_json(str(books))
    assert [(fund["fund"], fund["currency"]) for fund in document["funds"]] == [
        ("construction", "CNY"), ("construction", "USD"), ("operating", "CNY")]
    _, client, slug = fava(books)
    html = page_html(client, slug)
    assert cells(html, "errors") == ["2", "", "0"]
    assert sorted(rules_on(html)) == ["diverted", "over-budget"]
    travel = re.search(r'<tr class="earmark-line( over)?"[^>]*\s+data-line='
                       r'"Expenses:Construction:Expert:Travel"', html)
    assert travel is not None and travel.group(1) == " over"
    [line] = [line for fund in document["funds"] for line in fund["lines"]
              if line["account"] == "Expenses:Construction:Expert:Travel"]
    assert line["over"] is False  # 150 of a year's 1,200: over in February only


def test_a_reading_of_an_earlier_load_is_never_served_after_a_reload(tmp_path: Path) -> None:
    """A slow first request may finish after a reload: its result stays with its load."""
    books = books_at(tmp_path, EXTENSION + HEADER)
    app, client, slug = fava(books)
    ledger = app.config["LEDGERS"][slug]
    extension = ledger.extensions.get_extension("EarmarkedFunds")
    earlier_entries, before = ledger.all_entries, extension.checked()
    with books.open("a", encoding="utf-8") as file:
        file.write('2012-03-01 * "酒店" "宴请"\n  invoice: "F-0301"\n'
                   "  Assets:Bank:Construction       -800.00 CNY\n"
                   "  Expenses:District:Hospitality   800.00 CNY\n")
    ledger.load_file()
    extension._checked = (earlier_entries, before)  # the slow request lands late
    assert [finding.rule for finding in extension.checked().findings] == ["diverted"]
    assert rules_on(page_html(client, slug)) == ["diverted"]


CONTRACT_ROW = re.compile(r'<tr class="earmark-contract (\w+)" data-number="([^"]+)"')
CHART = re.compile(r'<svg class="earmark-chart" data-fund="(\w+)" data-currency="(\w+)"(.*?)</svg>',
                   re.S)
POINT = re.compile(r'data-month="([\d-]+)" data-value="([^"]+)"')


def test_the_page_shows_commitments_the_register_and_a_chart_per_fund(tmp_path: Path) -> None:
    from tests.test_commitments import BOOKS as CONTRACT_BOOKS
    from tests.test_contracts_register import OVERRUN

    _, client, slug = fava(books_at(tmp_path, EXTENSION + CONTRACT_BOOKS + OVERRUN))
    html = page_html(client, slug)
    document = check_funds_json(str(tmp_path / "books.beancount"))
    assert CONTRACT_ROW.findall(html) == [("open", "HT-001"), ("overrun", "HT-002"),
                                          ("open", "HT-003")]
    assert "超合同付款（contract-overrun" in html
    committed = re.findall(r'<tr class="earmark-fund"[^>]*>.*?<td class="num committed">([^<]*)'
                           r'</td>\s*<td class="num available[^"]*">([^<]*)</td>', html, re.S)
    assert [(cell.replace(",", ""), available.replace(",", ""))
            for cell, available in committed] == [(fund["committed"], fund["available"])
                                                  for fund in document["funds"]]
    charts = {fund: body for fund, _, body in CHART.findall(html)}
    assert set(charts) == {fund["fund"] for fund in document["funds"]}
    for fund in document["funds"]:
        points = POINT.findall(charts[fund["fund"]])
        expected = [(month["month"], month[key]) for key in
                    ("spent", "spent_and_committed", "budget") for month in fund["months"]]
        assert points == expected
        assert len(fund["months"]) == 10  # January to the books' last day, 2012-10-01
