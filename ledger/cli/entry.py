"""The console entry points: run a command, then end the process at once.

A command holds the whole books in memory. Freeing them object by object at exit takes about a
second per 100,000 transactions and serves nothing; so once the command has finished and its
output is flushed, the process ends with ``os._exit`` and the system takes the memory back in
one go. Errors still end the usual way, with their message. Tests call the click commands.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click


def _run(command: click.Command, name: str) -> NoReturn:
    try:
        command.main(prog_name=name)
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed or broken: nothing more can be said there
            code = code or 1
    os._exit(code or 0)


def check_funds_main() -> NoReturn:
    """``check-funds`` (importing only what a check needs)."""
    from ledger.cli.check import check_funds

    _run(check_funds, "check-funds")


def funds_main() -> NoReturn:
    """``funds``."""
    from ledger.cli.main import funds

    _run(funds, "funds")
