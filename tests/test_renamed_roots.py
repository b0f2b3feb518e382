"""Books that rename their root accounts (``option "name_expenses"``) keep every directive."""

from pathlib import Path

from beancount import loader

from ledger.rules import run_rules

BOOKS = """\
option "name_expenses" "Costs"
option "name_income" "Revenue"
2013-01-01 custom "fund" "ops" "运营经费"
2013-01-01 open Assets:Bank:Ops CNY
  fund: "ops"
2013-01-01 open Revenue:Ops:District CNY
  fund: "ops"
2013-01-01 open Costs:Ops:社区活动 CNY
  fund: "ops"
2013-01-01 custom "budget" Costs:Ops:社区活动 "yearly" 100.00 CNY
2013-01-01 custom "allocation" "ops" 500.00 CNY
  due: 2013-01-10
  source: Revenue:Ops:District
2013-01-05 * "区财政" "拨款"
  voucher: "记-201301-001"
  Assets:Bank:Ops  500.00 CNY
  Revenue:Ops:District
2013-01-06 * "某公司" "活动"
  voucher: "记-201301-002"
  invoice: "001"
  Assets:Bank:Ops  -150.00 CNY
  Costs:Ops:社区活动
"""


def test_budget_lines_and_sources_under_renamed_roots(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(BOOKS, encoding="utf-8")
    entries, errors, options_map = loader.load_file(str(path))
    assert not errors
    assert [finding.rule for finding in run_rules(entries, options_map)] == ["over-budget"]
