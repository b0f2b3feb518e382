"""The 专项资金 page in Fava, looked at in headless Chromium: the same figures and findings as
``check-funds --format json``, Fava's filters applied, and links that land on the entry."""

from __future__ import annotations

import itertools
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from ledger.check import DEMO_BOOKS
from ledger.model.findings import RULES, Severity
from tests.browser import running_fava
from tests.helpers import check_funds_json
from tests.test_export_monthly import export, read_csv, table

PLANTED = Path(__file__).parent / "ledgers" / "planted.beancount"
PAGE = "/extension/EarmarkedFunds/"
WAIT_SECONDS = 20

# One call into the page: every row of the page's tables, with its data attributes and cells.
READ_PAGE = """
const rows = (selector) => [...document.querySelectorAll(selector)].map((row) => ({
  data: {...row.dataset}, over: row.classList.contains("over"),
  cells: [...row.cells].map((cell) => cell.innerText.trim()),
}));
const text = (selector) => document.querySelector(selector)?.innerText ?? null;
const charts = [...document.querySelectorAll("svg.earmark-chart")].map((svg) => ({
  data: {...svg.dataset}, width: svg.getBoundingClientRect().width,
  height: svg.getBoundingClientRect().height,
  series: [...svg.querySelectorAll("g[data-series]")].map((group) => ({
    key: group.dataset.series,
    line: group.querySelector("polyline").points.numberOfItems,
    length: group.querySelector("polyline").getTotalLength(),
    points: [...group.querySelectorAll("circle.point")].map((point) => ({
      month: point.dataset.month, value: point.dataset.value,
      cy: point.cy.baseVal.value, shown: point.getBoundingClientRect().width > 0,
    })),
  })),
}));
return {funds: rows("tr.earmark-fund"), lines: rows("tr.earmark-line"),
        totals: rows("tr.earmark-total"), findings: rows("tr.earmark-finding"),
        contracts: rows("tr.earmark-contract"), charts,
        scope: text(".earmark-scope"), notice: text(".empty-notice")};
"""


@pytest.fixture(scope="module")
def demo_fava(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_fava(DEMO_BOOKS.resolve(), tmp_path_factory.mktemp("fava") / "log") as url:
        yield url


@pytest.fixture(scope="module")
def planted_fava(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_fava(PLANTED.resolve(), tmp_path_factory.mktemp("fava") / "log") as url:
        yield url


def open_page(browser: Chrome, url: str) -> dict[str, Any]:
    browser.get(url + PAGE)
    return read_page(browser)


def read_page(browser: Chrome) -> dict[str, Any]:
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, ".earmark-scope"))
    page: dict[str, Any] = browser.execute_script(READ_PAGE)
    return page


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def rate(spent: Decimal, budget: Decimal) -> str:
    return "—" if budget == 0 else f"{(spent / budget * 100).quantize(Decimal('0.01'))}%"


FIGURES = ("budget", "spent", "remaining", "committed", "available")  # cells 2 to 6, then 执行率


def shown_funds(page: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {(row["data"]["fund"], row["data"]["currency"]):
            (*(money(cell) for cell in row["cells"][2:7]), row["cells"][7],
             money(row["cells"][8]), int(row["cells"][9]), int(row["cells"][10]),
             int(row["cells"][11]))
            for row in page["funds"]}


def expected_funds(document: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {(fund["fund"], fund["currency"]):
            (*(Decimal(fund[key]) for key in FIGURES),
             rate(Decimal(fund["spent"]), Decimal(fund["budget"])), Decimal(fund["balance"]),
             fund["findings"]["error"], fund["findings"]["warning"], fund["findings"]["info"])
            for fund in document["funds"]}


def shown_lines(page: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {(row["data"]["fund"], row["data"]["line"]):
            (*(money(cell) for cell in row["cells"][2:7]), row["cells"][7], row["over"],
             "超预算" in row["cells"][0])
            for row in page["lines"]}


def expected_lines(document: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Each line's figures; marked over if over for the year so far or for one of its periods
    (an over-budget finding on it; an over-commitment or a budget alert is no 超预算)."""
    broken = {(finding["fund"], finding["budget_line"]) for finding in document["findings"]
              if finding["rule"] == "over-budget"}
    lines = {}
    for fund in document["funds"]:
        for line in fund["lines"]:
            over = line["over"] or (fund["fund"], line["account"]) in broken
            lines[fund["fund"], line["account"]] = (
                *(Decimal(line[key]) for key in FIGURES),
                rate(Decimal(line["spent"]), Decimal(line["budget"])), over, over)
    return lines


def shown_findings(page: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for row in page["findings"]:
        date, severity, rule, _, amount, source, message = row["cells"]
        rows.append((date, severity, rule, amount, source, message))
    return rows


def expected_findings(document: dict[str, Any], books: Path) -> list[tuple[Any, ...]]:
    rows = []
    for finding in document["findings"]:
        amount = ("" if finding["amount"] is None
                  else f"{Decimal(finding['amount']):,} {finding['currency']}")
        source = finding["filename"]  # check-funds names it from the books' folder, as the page
        rows.append((finding["date"], Severity(finding["severity"]).label,
                     f"{finding['label']} {finding['rule']}", amount,
                     f"{source}:{finding['lineno']}", finding["message"]))
    return rows


def assert_page_matches(page: dict[str, Any], document: dict[str, Any], books: Path) -> None:
    assert page["notice"] is None
    assert page["funds"], "the page shows no fund"
    assert shown_funds(page) == expected_funds(document)
    assert shown_lines(page) == expected_lines(document)
    assert shown_findings(page) == expected_findings(document, books)
    assert_charts_match(page, document)
    assert [row["data"]["number"] for row in page["contracts"]] == [
        contract["number"] for contract in document["contracts"]]


def assert_charts_match(page: dict[str, Any], document: dict[str, Any]) -> None:
    """A chart per fund, drawn (a box on the page, lines through every point), whose points
    are the fund's months in the JSON, each placed the higher the larger its value."""
    charts = {(chart["data"]["fund"], chart["data"]["currency"]): chart
              for chart in page["charts"]}
    assert set(charts) == {(fund["fund"], fund["currency"]) for fund in document["funds"]}
    for fund in document["funds"]:
        chart = charts[fund["fund"], fund["currency"]]
        assert chart["width"] > 300 and chart["height"] > 100
        series = {item["key"]: item for item in chart["series"]}
        assert list(series) == ["spent", "spent-and-committed", "budget"]
        placed = []
        for key, field in (("spent", "spent"), ("spent-and-committed", "spent_and_committed"),
                           ("budget", "budget")):
            points = series[key]["points"]
            assert [(point["month"], Decimal(point["value"])) for point in points] == [
                (month["month"], Decimal(month[field])) for month in fund["months"]]
            assert series[key]["line"] == len(points) and all(p["shown"] for p in points)
            assert series[key]["length"] > 0 or len(points) < 2
            placed += [(Decimal(point["value"]), point["cy"]) for point in points]
        placed.sort()
        assert all(lower[1] >= higher[1] for lower, higher in itertools.pairwise(placed))


def test_demo_page_shows_the_figures_and_findings_of_check_funds(
        browser: Chrome, demo_fava: str, tmp_path: Path) -> None:
    page = open_page(browser, demo_fava)
    document = check_funds_json(str(DEMO_BOOKS))
    assert_page_matches(page, document, DEMO_BOOKS)
    assert [row["cells"][0] for row in page["funds"]] == [
        "示范点建设经费 construction", "日常运营经费 operating", "社工薪酬 salary"]
    [total] = page["totals"]
    assert [money(cell) for cell in total["cells"][2:7]] == [
        sum(Decimal(fund[key]) for fund in document["funds"]) for key in FIGURES]
    assert money(total["cells"][8]) == sum(Decimal(fund["balance"]) for fund in document["funds"])
    screenshot = tmp_path / "earmarked-funds-demo.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000


def test_page_budget_lines_are_the_monthly_exports(browser: Chrome, demo_fava: str,
                                                  tmp_path: Path) -> None:
    browser.get(f"{demo_fava}{PAGE}?time=2012-10")
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: "2012-10-31" in driver.find_element(By.CSS_SELECTOR, ".earmark-scope").text)
    page = read_page(browser)
    assert export(tmp_path, "2012-10").exit_code == 0
    sheet = table(read_csv(tmp_path / "out" / "2012-10", 2), "专项")
    columns = ("年度预算", "本年累计支出", "预算余额", "已承诺", "可用余额")
    exported = {(row["专项代码"], row["预算科目"]):
                (*(Decimal(row[column]) for column in columns), f"{row['执行率(%)']}%")
                for row in sheet}
    shown = {key: line[:6] for key, line in shown_lines(page).items()}
    assert shown == exported
    assert len(shown) == 18


def test_demo_books_speak_chinese_in_fava(browser: Chrome, demo_fava: str) -> None:
    open_page(browser, demo_fava)
    sidebar = browser.find_element(By.TAG_NAME, "aside").text
    assert "损益表" in sidebar and "专项资金" in sidebar
    assert "东山区社区社工综合服务中心示范点" in browser.find_element(By.TAG_NAME, "header").text


RENOVATION = "Expenses:5101-业务活动成本:建设经费:装修工程"


def body_once_it_shows(browser: Chrome, url: str, text: str) -> str:
    """The page's text at ``url`` once it shows ``text`` (Fava draws its reports in the
    browser)."""
    browser.get(url)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: text in driver.find_element(By.TAG_NAME, "body").text)
    body: str = browser.find_element(By.TAG_NAME, "body").text
    return body


def test_the_page_and_fava_show_the_chart_of_accounts(browser: Chrome, demo_fava: str,
                                                      tmp_path: Path) -> None:
    page = open_page(browser, demo_fava)
    lines = {row["data"]["line"] for row in page["lines"]}
    assert RENOVATION in lines and "Expenses:5201-管理费用:运营经费:办公费" in lines
    assert all(line.split(":")[1][:4].isdigit() for line in lines)
    [finding] = page["findings"]
    assert "Assets:1002-银行存款:运营经费专户" in finding["cells"][-1]
    page_text = browser.find_element(By.TAG_NAME, "body").text
    assert RENOVATION in page_text and "Construction" not in page_text
    screenshot = tmp_path / "earmarked-funds-chart.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000
    tree = body_once_it_shows(browser, f"{demo_fava}/balance_sheet/", "1002-银行存款")
    for name in ("建设经费专户", "社工薪酬专户", "运营经费专户", "1001-现金", "运营经费备用金",
                 "2209-其他应付款", "2206-应交税金", "Suspense"):
        assert name in tree, name
    assert browser.save_screenshot(str(tmp_path / "balance-sheet-chart.png"))
    assert "3102-限定性净资产" in tree and "Earnings" not in tree  # the year's surplus
    october = body_once_it_shows(browser, f"{demo_fava}/balance_sheet/?time=2012-10",
                                 "1002-银行存款")
    assert "3102-限定性净资产" in october
    assert "Earnings" not in october and "Opening-Balances" not in october
    income = body_once_it_shows(browser, f"{demo_fava}/income_statement/", "5101-业务活动成本")
    for name in ("4401-政府补助收入", "限定性收入", "区财政", "装修工程", "5201-管理费用",
                 "5301-筹资费用", "银行手续费"):
        assert name in income, name
    quoted = urllib.parse.quote(RENOVATION, safe=":")  # as Fava links it
    account = body_once_it_shows(browser, f"{demo_fava}/account/{quoted}/", "装修工程验收结算款")
    assert "装修工程预付款" in account and "Traceback" not in browser.page_source


def test_a_finding_links_to_its_entry_in_one_click(browser: Chrome, demo_fava: str) -> None:
    open_page(browser, demo_fava)
    [finding] = check_funds_json(str(DEMO_BOOKS))["findings"]
    link = browser.find_element(By.CSS_SELECTOR, "tr.earmark-finding a.context-link")
    target = link.get_attribute("href")
    link.click()
    location = f"{Path(finding['filename']).name}:{finding['lineno']}"
    entry = (location, finding["voucher"], finding["narration"])
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: any(all(text in dialog.text for text in entry)
                           for dialog in driver.find_elements(By.CSS_SELECTOR, "dialog")))
    assert target is not None and "#context-" in target
    assert browser.current_url == target


def test_planted_page_lists_every_finding(browser: Chrome, planted_fava: str,
                                          tmp_path: Path) -> None:
    page = open_page(browser, planted_fava)
    document = check_funds_json(str(PLANTED))
    assert len(page["findings"]) == len(document["findings"]) == len(RULES)  # one per rule
    assert_page_matches(page, document, PLANTED)
    over = [key for key, line in shown_lines(page).items() if line[6]]
    assert over == [("construction", "Expenses:Construction:Expert")]
    assert browser.save_screenshot(str(tmp_path / "earmarked-funds-planted.png"))


def test_a_finding_links_to_its_line_in_fava_editor(browser: Chrome, planted_fava: str) -> None:
    open_page(browser, planted_fava)
    document = check_funds_json(str(PLANTED), "--rule", "duplicate-invoice")
    [finding] = document["findings"]
    browser.find_element(By.CSS_SELECTOR,
                         'tr[data-rule="duplicate-invoice"] a.source-link').click()
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: "/editor/" in driver.current_url
        and driver.find_elements(By.CSS_SELECTOR, ".cm-activeLine"))
    line = PLANTED.read_text("utf-8").splitlines()[finding["lineno"] - 1]
    assert browser.find_element(By.CSS_SELECTOR, ".cm-activeLine").text == line


def use_filter(browser: Chrome, key: str, value: str) -> dict[str, Any]:
    """Type into Fava's own filter box (``f t`` time, ``f a`` account) and read the page."""
    box = browser.find_element(By.CSS_SELECTOR, f'input[data-key="{key}"]')
    box.send_keys(value, Keys.ENTER)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: value.replace(":", "%3A") in driver.current_url
        or value in driver.current_url)
    return read_page(browser)


def test_fava_time_filter_applies(browser: Chrome, planted_fava: str) -> None:
    open_page(browser, planted_fava)
    use_filter(browser, "f t", "2012-06")
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: "2012-06-30" in driver.find_element(By.CSS_SELECTOR, ".earmark-scope").text)
    page = read_page(browser)
    document = check_funds_json(str(PLANTED), "--since", "2012-06-01", "--until", "2012-06-30")
    assert [row[2] for row in shown_findings(page)] == ["挤占 diverted",
                                                        "经批准调剂 approved-transfer"]
    assert_page_matches(page, document, PLANTED)


def test_fava_account_filter_applies(browser: Chrome, planted_fava: str) -> None:
    open_page(browser, planted_fava)
    use_filter(browser, "f a", "Expenses:Salary")
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: len(driver.find_elements(By.CSS_SELECTOR, "tr.earmark-fund")) == 1)
    page = read_page(browser)
    document = check_funds_json(str(PLANTED), "--fund", "salary")
    assert list(shown_funds(page)) == [("salary", "CNY")]
    assert_page_matches(page, document, PLANTED)


def test_an_empty_ledger_gets_a_helpful_page(browser: Chrome, tmp_path: Path) -> None:
    books = tmp_path / "empty.beancount"
    books.write_text('2012-01-01 custom "fava-extension" "ledger.fava_ext"\n', "utf-8")
    with running_fava(books, tmp_path / "fava.log") as url:
        page = open_page(browser, url)
    assert page["funds"] == [] and page["findings"] == []
    assert "没有声明专项资金" in page["notice"]
    assert "Traceback" not in browser.page_source
