"""``funds print``: the books printed as the archive keeps them (PDF, with the Chinese font
embedded): ``vouchers YYYY-MM`` (记账凭证 and their 封面), ``ledger YEAR`` (三栏式明细账, PDF and
Excel) and ``trial-balance YEAR|YYYY-MM`` (科目余额表)."""

from __future__ import annotations

import click

from ledger.cli.print_ledger import ledger_command, trial_balance_command
from ledger.cli.print_vouchers import vouchers_command


@click.group("print")
def print_books() -> None:
    """打印账簿：记账凭证、明细账、科目余额表（PDF） / print the books: vouchers, ledgers and
    the trial balance (PDF)."""


print_books.add_command(vouchers_command, "vouchers")
print_books.add_command(ledger_command, "ledger")
print_books.add_command(trial_balance_command, "trial-balance")
