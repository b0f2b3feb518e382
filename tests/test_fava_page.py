"""The 专项资金 page served by Fava's own application, without a browser: where the findings
come from, reloads, and the helpful page shown instead of a traceback."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from fava.application import create_app
from flask import Flask
from flask.testing import FlaskClient

from ledger.fava_ext.page import NO_FUNDS
from tests.helpers import HEADER

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
    assert len(rules_on(page_html(client, slug))) == 14


def test_books_without_the_plugin_are_checked_for_the_page(tmp_path: Path) -> None:
    text = PLANTED.read_text("utf-8").replace('plugin "ledger.plugin"\n', "")
    _, client, slug = fava(books_at(tmp_path, text))
    rules = rules_on(page_html(client, slug))
    assert len(rules) == 14 and "split-payment" in rules


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
    _, client, slug = fava(PLANTED, incognito=True)
    html = page_html(client, slug)
    assert "270,000.00" not in html and "</span>34.44%" not in html
    assert "XXX,XXX.XX" in html and "</span>XX.XX%" in html
    _, client, slug = fava(PLANTED)
    html = page_html(client, slug)
    assert "270,000.00" in html and "</span>34.44%" in html
