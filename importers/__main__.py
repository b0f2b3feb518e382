"""beangulp's own commands over the project's importers: ``python -m importers extract FILE...``.

The configuration comes from the books every command reads (``ledger.cli.books``): those named
by the ``EARMARK_BOOKS`` environment variable, else ``$BEANCOUNT_FILE``, else ``main.beancount``
in the current folder, else the demo books, named on stderr; pass the same books with ``-e`` to
leave out what they already hold.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import beangulp
from beancount import loader

from importers import build_importers
from importers.config import read_import_config
from ledger.cli.books import choose_books


def main() -> None:
    named = os.environ.get("EARMARK_BOOKS", "").strip()
    chosen = choose_books(Path(named) if named else None, writes=False,
                          how="EARMARK_BOOKS=账簿.beancount")
    for line in chosen.lines("EARMARK_BOOKS=账簿.beancount"):
        print(line, file=sys.stderr)
    entries, _, options_map = loader.load_file(str(chosen.path))
    config = read_import_config(entries, options_map["name_equity"])
    beangulp.Ingest(build_importers(config))()


if __name__ == "__main__":
    main()
