"""``funds serve`` (being built)."""

from __future__ import annotations

import click


@click.command("serve")
def serve() -> None:
    """为办公室提供 Fava / serve Fava to the office."""
