"""Time check-funds (and the monthly export) against bean-check on the same ledger.

    python scripts/bench_check.py [LEDGER] [--runs N] [--month YYYY-MM]

Each command runs N times (default 5) as a fresh process, Beancount's load cache off; the table
shows the median wall time and its ratio to bean-check, and the rules' own time measured inside
one process (load once, then run the rules). With ``--month``, ``funds export monthly`` for that
month is timed too. Large books for it: ``python scripts/make_big_books.py 100000 big.beancount``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from beancount import loader

from ledger.check import DEMO_BOOKS
from ledger.rules import run_rules

BIN = Path(sys.executable).parent


def median_wall(command: list[str], runs: int) -> float:
    """Median seconds of ``runs`` fresh runs; exit codes 0 and 1 (findings) are fine."""
    times = []
    environment = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, check=False, env=environment)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{command[0]} failed: {result.stderr.decode()}")
    return statistics.median(times)


def rules_time(ledger: Path, runs: int) -> float:
    entries, _, options_map = loader.load_file(str(ledger))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run_rules(entries, options_map)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger", nargs="?", type=Path, default=DEMO_BOOKS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--month", help="also time funds export monthly for this YYYY-MM")
    args = parser.parse_args()
    ledger = str(args.ledger)
    timings = [("bean-check", median_wall([str(BIN / "bean-check"), ledger], args.runs)),
               ("check-funds --format json",
                median_wall([str(BIN / "check-funds"), "--format", "json", ledger], args.runs))]
    if args.month:
        with tempfile.TemporaryDirectory() as out:
            command = [str(BIN / "funds"), "export", "monthly", args.month, "--ledger", ledger,
                       "--out", out]
            timings.append((f"funds export monthly {args.month}",
                            median_wall(command, args.runs)))
    timings.append(("rules only (in process)", rules_time(args.ledger, args.runs)))
    print(f"ledger: {args.ledger}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; median of {args.runs} runs")
    print(f"{'command':<34}{'seconds':>10}{'x bean-check':>14}")
    for name, seconds in timings:
        print(f"{name:<34}{seconds:>10.3f}{seconds / timings[0][1]:>14.2f}")


if __name__ == "__main__":
    main()
