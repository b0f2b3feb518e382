"""beangulp importers for the dedicated accounts' bank statements and the payroll sheet.

The importers read their configuration from the books (see :mod:`importers.config`); build them
with :func:`build_importers`. ``funds import`` drives them; so can beangulp's own commands:
``python -m importers extract FILE... -e BOOKS`` (see ``importers/__main__.py``).
"""

from __future__ import annotations

import beangulp

from importers.bank import BankStatementImporter
from importers.config import ImportConfig
from importers.payroll import PayrollImporter


def build_importers(config: ImportConfig, account: str | None = None) -> list[beangulp.Importer]:
    """The importers for books with this configuration; ``account`` is the ledger account for
    files that do not name theirs."""
    return [BankStatementImporter(config, account), PayrollImporter(config, account)]
