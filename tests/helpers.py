"""Small ledgers for rule tests: a common header plus the lines a test adds."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from beancount import loader
from click.testing import CliRunner

from ledger.check import DEMO_BOOKS
from ledger.cli.check import check_funds
from ledger.model.findings import Finding
from ledger.rules import run_rules

HEADER = """\
2012-01-01 custom "fund" "construction" "示范点建设经费"
2012-01-01 custom "fund" "operating" "日常运营经费"
2012-01-01 open Assets:Bank:Construction CNY
  fund: "construction"
2012-01-01 open Assets:Bank:Operating CNY
  fund: "operating"
2012-01-01 open Assets:Cash:Operating CNY
  fund: "operating"
2012-01-01 open Income:Construction:District CNY
  fund: "construction"
2012-01-01 open Income:Operating:District CNY
  fund: "operating"
2012-01-01 open Expenses:Construction:Expert CNY
  fund: "construction"
2012-01-01 open Expenses:Construction:Expert:Travel CNY
  fund: "construction"
2012-01-01 open Expenses:Construction:Equipment CNY
  fund: "construction"
2012-01-01 open Expenses:Operating:Publicity CNY
  fund: "operating"
2012-01-01 open Liabilities:Operating:Payable CNY
  fund: "operating"
2012-01-01 open Assets:District:General CNY
2012-01-01 open Expenses:District:Hospitality CNY
2012-01-01 open Equity:Opening CNY
2012-01-01 custom "budget" Expenses:Construction "yearly" 1000000.00 CNY
2012-01-01 custom "budget" Expenses:Operating "yearly" 1000000.00 CNY
2012-01-02 * "opening money"
  Assets:Bank:Construction   500000.00 CNY
  Assets:Bank:Operating      500000.00 CNY
  Assets:District:General    500000.00 CNY
  Equity:Opening
"""


def findings_of(*parts: str, header: str = HEADER) -> list[Finding]:
    """The findings on the header plus the parts (each dedented); the ledger must load cleanly."""
    text = header + "".join(textwrap.dedent(part).strip("\n") + "\n" for part in parts)
    entries, errors, options_map = loader.load_string(text)
    assert not errors, errors
    return run_rules(entries, options_map)


def rules_of(*parts: str, header: str = HEADER) -> list[str]:
    return [finding.rule for finding in findings_of(*parts, header=header)]


def claim(date: str, invoice: str, amount: str = "300.00") -> str:
    """A purchase of construction equipment paid from its bank, under an invoice number."""
    return f"""
        {date} * "文具店" "办公用品"
          invoice: "{invoice}"
          Assets:Bank:Construction         -{amount} CNY
          Expenses:Construction:Equipment   {amount} CNY
    """


def check_funds_json(*args: str) -> dict[str, Any]:
    """What ``check-funds ARGS --format json`` prints, parsed."""
    result = CliRunner().invoke(check_funds, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def copy_demo_books(folder: Path) -> Path:
    """A copy of the demo books in ``folder`` (made if need be); its main file."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in DEMO_BOOKS.parent.glob("*.beancount"):
        (folder / source.name).write_bytes(source.read_bytes())
    return folder / "main.beancount"
