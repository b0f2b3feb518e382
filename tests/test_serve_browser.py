"""An auditor logs in to ``funds serve`` in headless Chromium and reads the 专项资金 page.

The browser sends the Basic credentials as a header on every request (Chrome DevTools'
``Network.setExtraHTTPHeaders``): base64 of the UTF-8 ``name:password``, as Chromium itself
sends them, so a Chinese name logs in as well as an ASCII one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.helpers import check_funds_json, copy_demo_books
from tests.serving import PAGE, Served, add_user, basic, running_serve
from tests.test_fava_browser import WAIT_SECONDS, expected_funds, read_page, shown_funds
from tests.test_serve import books_digests

AUDITOR = ("王审计", "shenji-secret-2")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Path]]:
    books = copy_demo_books(tmp_path_factory.mktemp("office") / "books")
    add_user(books, AUDITOR[0], "审计", AUDITOR[1])
    with running_serve(books, tmp_path_factory.mktemp("serve") / "log") as running:
        yield running, books


def send_credentials(browser: Chrome, credentials: tuple[str, str] | None) -> None:
    browser.execute_cdp_cmd("Network.enable", {})
    headers = {} if credentials is None else {"Authorization": basic(*credentials)}
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})


def test_without_credentials_the_browser_sees_nothing_of_the_books(
        browser: Chrome, served: tuple[Served, Path]) -> None:
    running, _ = served
    send_credentials(browser, None)
    browser.get(f"http://127.0.0.1:{running.port}{running.slug(AUDITOR)}{PAGE}")
    assert not browser.find_elements(By.CSS_SELECTOR, ".earmark-scope")
    assert "earmark" not in browser.page_source and "专项资金" not in browser.page_source


def test_an_auditor_logs_in_and_reads_the_earmarked_funds_page(
        browser: Chrome, served: tuple[Served, Path]) -> None:
    running, books = served
    send_credentials(browser, AUDITOR)
    browser.get(f"http://127.0.0.1:{running.port}{running.slug(AUDITOR)}{PAGE}")
    page = read_page(browser)
    assert shown_funds(page) == expected_funds(check_funds_json(str(books)))
    assert [row["cells"][0] for row in page["funds"]] == [
        "示范点建设经费 construction", "日常运营经费 operating", "社工薪酬 salary"]
    assert "专项资金" in browser.title or "专项资金" in browser.page_source


def test_an_auditors_save_in_favas_editor_is_refused_in_chinese(
        browser: Chrome, served: tuple[Served, Path]) -> None:
    running, books = served
    before = books_digests(books.parent)
    send_credentials(browser, AUDITOR)
    browser.get(f"http://127.0.0.1:{running.port}{running.slug(AUDITOR)}/editor/")
    editor = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, ".cm-content"))
    editor.click()
    editor.send_keys(Keys.CONTROL, Keys.END)
    editor.send_keys("\n; 审计改的\n")
    editor.send_keys(Keys.CONTROL, "s")
    shown = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: driver.execute_script(
            "return document.querySelector('.notifications')?.innerText || null"))
    assert "403" in shown and "只能查看账簿" in shown
    assert books_digests(books.parent) == before
