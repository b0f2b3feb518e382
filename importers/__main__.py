"""beangulp's own commands over the project's importers: ``python -m importers extract FILE...``.

The configuration comes from the books named by the ``EARMARK_BOOKS`` environment variable
(default: the demo books); pass the same books with ``-e`` to leave out what they already hold.
"""

from __future__ import annotations

import os
from pathlib import Path

import beangulp
from beancount import loader

from importers import build_importers
from importers.config import read_import_config
from ledger.check import DEMO_BOOKS


def main() -> None:
    books = Path(os.environ.get("EARMARK_BOOKS", str(DEMO_BOOKS)))
    entries, _, _ = loader.load_file(str(books))
    beangulp.Ingest(build_importers(read_import_config(entries)))()


if __name__ == "__main__":
    main()
