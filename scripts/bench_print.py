"""Benchmark the printed books against ``bean-check`` on the same city-scale books.

    python scripts/bench_print.py [--sizes 10000 40000] [--runs 1] [--work DIR]

For each size, the books of ``scripts/make_city_books.py`` (kept in ``--work`` between runs, as
``bench_city.py`` keeps them), and, as fresh processes taken in turn each round:
``bean-check`` on the books without the plugin, ``funds print vouchers`` of the last year's
June, ``funds print ledger`` of the last year (every account's 三栏式明细账, PDF and workbook)
and ``funds print trial-balance`` of that year. The table shows the median wall time and peak
memory of each, with their ratios to ``bean-check``, and the 明细账's pages; the growth line
compares the sizes (linear: the ledger's time grows as its pages do).
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import subprocess
import tempfile
from pathlib import Path

from bench_city import BIN, Measure, interleaved, write_books

PAGES = re.compile(r"共 (\d+) 页")


def commands(books: Path, month: str, out: Path) -> list[tuple[str, list[str]]]:
    year = month[:4]
    funds = [str(BIN / "funds"), "print"]
    where = ["--ledger", str(books / "main.beancount"), "--out", str(out)]
    return [("bean-check (no plugin)", [str(BIN / "bean-check"), str(books / "bare.beancount")]),
            (f"funds print vouchers {month}", [*funds, "vouchers", month, *where]),
            (f"funds print ledger {year}", [*funds, "ledger", year, *where]),
            (f"funds print trial-balance {year}", [*funds, "trial-balance", year, *where])]


def ledger_pages(books: Path, year: str, out: Path) -> int:
    """The 明细账's page count, as the command reports it."""
    result = subprocess.run([str(BIN / "funds"), "print", "ledger", year, "--ledger",
                             str(books / "main.beancount"), "--out", str(out)],
                            capture_output=True, text=True, check=True)
    found = PAGES.search(result.stdout)
    return int(found.group(1)) if found else 0


def print_table(size: int, measures: list[Measure], pages: int, runs: int) -> None:
    base = measures[0]
    print(f"\n{size:,} transactions ({runs} run(s) each, median); the 明细账: {pages:,} pages")
    print(f"{'':40}{'seconds':>9}{'x bean-check':>14}{'peak MiB':>10}{'x bean-check':>14}")
    for item in measures:
        memory = (f"{item.mebibytes:>10.0f}{item.mebibytes / base.mebibytes:>14.2f}"
                  if item.mebibytes is not None and base.mebibytes else "")
        print(f"{item.name:<40}{item.seconds:>9.2f}{item.seconds / base.seconds:>14.3f}{memory}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 40_000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "earmark-bench")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}")
    ledger_seconds: dict[int, tuple[float, int]] = {}
    for size in args.sizes:
        books, month = write_books(size, args.work)
        with tempfile.TemporaryDirectory() as out:
            measures = interleaved(commands(books, month, Path(out)), args.runs)
            pages = ledger_pages(books, month[:4], Path(out))
        print_table(size, measures, pages, args.runs)
        ledger_seconds[size] = (measures[2].seconds, pages)
    sizes = sorted(ledger_seconds)
    for smaller, larger in itertools.pairwise(sizes):
        (first, first_pages), (second, second_pages) = (ledger_seconds[smaller],
                                                         ledger_seconds[larger])
        print(f"the ledger's growth {smaller:,} -> {larger:,}: time x{second / first:.2f} for "
              f"pages x{second_pages / max(first_pages, 1):.2f}")


if __name__ == "__main__":
    main()
