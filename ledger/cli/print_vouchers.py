"""``funds print vouchers YYYY-MM`` (being built)."""

from __future__ import annotations

import click


@click.command("vouchers")
def vouchers_command() -> None:
    """打印某月的记账凭证 / print a month's vouchers."""
