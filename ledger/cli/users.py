"""``funds users`` (being built)."""

from __future__ import annotations

import click


@click.group("users")
def users() -> None:
    """管理 funds serve 的用户 / manage the users of funds serve."""
