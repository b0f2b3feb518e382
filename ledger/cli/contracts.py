"""``funds contracts``: the 合同台账 (contract register) of the books, with the findings on each.

Exit codes: 0 the register is shown (findings on a contract are shown in it; ``check-funds``
is the command that fails on them); 2 the books do not load, or bad usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.books import ledger_option
from ledger.cli.check import read_books, use_utf8_stdout
from ledger.model.summary import figures_date, fund_figures
from reports.contracts import contract_register, register_csv, register_json, register_table


@click.command("contracts")
@ledger_option(writes=False)
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True, help="输出格式 / output format.")
def contracts(books: Path | None, output_format: str) -> None:
    """合同台账：每份合同的金额、已列支、已付款、未履行（已承诺）、质保金与问题，截至账簿最后
    一笔交易之日（其后至今日签订的合同、预算、拨款也计入，截至其最晚一日）。

    The contract register: each contract's sum in force, what is charged and paid under it,
    what it still commits, its retention and the findings on it, as of the books' last
    transaction (or of a later contract, budget line or allocation not after today).
    """
    use_utf8_stdout()
    machine = output_format != "table"
    checked = read_books(books, err=machine)
    as_of = figures_date(checked.books, None)
    rows = contract_register(fund_figures(checked.books, None, months=False),
                             checked.findings)
    if output_format == "json":
        click.echo(register_json(rows, str(checked.path), as_of), nl=False)
    elif output_format == "csv":
        click.echo(register_csv(rows), nl=False)
    else:
        click.echo(register_table(rows, as_of), nl=False)
