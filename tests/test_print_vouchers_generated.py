"""``funds print vouchers`` over generated small books: random accounts, amounts and voucher
numbers (repeated, missing, out of date order). Printing never fails, every voucher prints as
the books hold it, and the cover's totals are the books' sums."""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from ledger.model.capitals import chinese_capitals
from tests.pdf_tools import pdf_pages
from tests.test_print_vouchers import HEADER, books, check_voucher_pages, loaded, printed
from tests.test_print_vouchers_pages import expected_vouchers

ACCOUNTS = ("Expenses:5101-业务活动成本:建设经费:装修工程",
            "Expenses:5101-业务活动成本:建设经费:专家辅导费",
            "Expenses:5201-管理费用:运营经费:办公费",
            "Liabilities:2209-其他应付款:社会保险费",
            "Assets:1001-现金:运营经费备用金",
            "Expenses:Operating:Publicity:Printing")
GENERATED_HEADER = HEADER + "2012-01-01 open Expenses:Operating:Publicity:Printing CNY\n"

postings = st.lists(st.tuples(st.sampled_from(ACCOUNTS),
                              st.integers(-10**9, 10**11).filter(bool)),
                    min_size=1, max_size=4)
transactions = st.lists(st.tuples(st.none() | st.integers(1, 12), st.integers(1, 28),
                                  postings, st.integers(0, 3)),
                        min_size=1, max_size=7)


def journal(generated: list[tuple[int | None, int, list[tuple[str, int]], int]]) -> str:
    lines = []
    for number, day, legs, invoices in sorted(generated, key=lambda txn: txn[1]):
        lines.append(f'2012-03-{day:02d} * "某供应商" "第{number}号业务"')
        if number is not None:
            lines.append(f'  voucher: "记-201203-{number:03d}"')
        if invoices:
            lines.append(f'  invoice: "{"，".join(f"{day}{i}" for i in range(invoices))}"')
        lines += [f"  {account}   {Decimal(cents) / 100:.2f} CNY" for account, cents in legs]
        lines.append("  Assets:1002-银行存款:建设经费专户")
    return "\n".join(lines) + "\n"


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],  # a failing example prints as generated
          suppress_health_check=[HealthCheck.too_slow])
@given(transactions)
@example([(3, 9, [(ACCOUNTS[2], -91904189), (ACCOUNTS[4], 340)], 0),  # amounts too wide
          (None, 3, [(ACCOUNTS[4], 1729), (ACCOUNTS[3], 5165), (ACCOUNTS[5], 2271635),
                     (ACCOUNTS[1], 100_000_000_000)], 0)])
def test_generated_books_print_and_their_totals_match(
        generated: list[tuple[int | None, int, list[tuple[str, int]], int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp_path = Path(folder)
        ledger = books(tmp_path, journal(generated), header=GENERATED_HEADER)
        pdf = printed(tmp_path, "2012-03", ledger)
        expected = expected_vouchers(loaded(ledger), 2012, 3)
        check_voucher_pages(pdf, expected)
        cover = pdf_pages(pdf)[0]
        debit = sum((voucher.total()[0] for voucher in expected), Decimal(0))
        credit = sum((voucher.total()[1] for voucher in expected), Decimal(0))
        assert debit == credit
        assert re.search(rf"共 {len(expected)}\s*张", cover)
        assert re.search(rf"借方合计\s+{debit:,.2f} 元\s+（大写）{chinese_capitals(debit)}",
                         cover)
        assert re.search(rf"贷方合计\s+{credit:,.2f} 元", cover)
        unnumbered = sum(voucher.voucher is None for voucher in expected)
        assert (f"其中无凭证号 {unnumbered} 张" in cover) == bool(unnumbered)
        attachments = sum(voucher.attachments() for voucher in expected)
        assert re.search(rf"附件总数\s+{attachments}\s*张", cover)
        check_span(cover, {number for number, *_ in generated if number is not None})


def check_span(cover: str, numbers: set[int]) -> None:
    """凭证起讫号 and 缺号 on the cover, worked out from the numbers the books use."""
    if not numbers:
        assert "本月凭证均无凭证号" in cover
        return
    low, high = min(numbers), max(numbers)
    if low == high:
        assert f"记字第 {low} 号（记-201203-{low:03d}）" in cover
    else:
        assert (f"自 记字第 {low} 号 至 记字第 {high} 号（记-201203-{low:03d} 至 "
                f"记-201203-{high:03d}）") in cover
    missing = sorted(set(range(low, high + 1)) - numbers)
    found = re.search(r"缺号 ([\d～、]+)", cover)
    shown = [] if found is None else [
        number for run in found[1].split("、")
        for number in range(int(run.split("～")[0]), int(run.split("～")[-1]) + 1)]
    assert shown == missing, (shown, missing)
