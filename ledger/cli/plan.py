"""``funds plan``: the fund-use plan from a spreadsheet (being written; see issue 15)."""

from __future__ import annotations

import click


@click.command()
def plan() -> None:
    """资金使用计划 / the fund-use plan from a spreadsheet."""
    raise click.UsageError("funds plan: 尚未完成 / not done yet")
