"""``funds``: the project's command group; ``funds check`` is ``check-funds``."""

from __future__ import annotations

import click

from ledger.cli.check import check_funds
from ledger.cli.export import export
from ledger.cli.imports import import_files


@click.group()
@click.version_option(package_name="earmark-ledger")
def funds() -> None:
    """专项资金台账工具 / earmarked-fund books: check, import and export; later seal."""


funds.add_command(check_funds, "check")
funds.add_command(import_files, "import")
funds.add_command(export, "export")
