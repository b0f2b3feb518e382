"""``funds init``: a new centre's books (being written; see issue 15)."""

from __future__ import annotations

import click


@click.command()
def init() -> None:
    """新建机构账簿 / write a new centre's books."""
    raise click.UsageError("funds init: 尚未完成 / not done yet")
