"""``funds``: the project's command group; ``funds check`` is ``check-funds``."""

from __future__ import annotations

import click

from ledger.cli.check import check_funds
from ledger.cli.city import city
from ledger.cli.contracts import contracts
from ledger.cli.export import export, verify_export_command
from ledger.cli.imports import import_files
from ledger.cli.init import init
from ledger.cli.pack import audit_pack, verify_pack_command
from ledger.cli.plan import plan
from ledger.cli.print_books import print_books
from ledger.cli.seal import seal
from ledger.cli.serve import serve
from ledger.cli.users import users


@click.group()
@click.version_option(package_name="earmark-ledger")
def funds() -> None:
    """专项资金台账工具 / earmarked-fund books: check, import, export, seal and pack for audit."""


funds.add_command(init, "init")
funds.add_command(plan, "plan")
funds.add_command(check_funds, "check")
funds.add_command(contracts, "contracts")
funds.add_command(import_files, "import")
funds.add_command(export, "export")
funds.add_command(seal, "seal")
funds.add_command(audit_pack, "audit-pack")
funds.add_command(verify_pack_command, "verify-pack")
funds.add_command(verify_export_command, "verify-export")
funds.add_command(city, "city")
funds.add_command(print_books, "print")
funds.add_command(serve, "serve")
funds.add_command(users, "users")
