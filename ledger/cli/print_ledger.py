"""``funds print ledger YEAR`` and ``funds print trial-balance YEAR|YYYY-MM`` (being built)."""

from __future__ import annotations

import click


@click.command("ledger")
def ledger_command() -> None:
    """打印明细账 / print the ledgers."""


@click.command("trial-balance")
def trial_balance_command() -> None:
    """打印科目余额表 / print the trial balance."""
