"""Time check-funds against bean-check on the same ledger and print the ratios.

    python scripts/bench_check.py [LEDGER] [--runs N]

Each command runs N times (default 5) as a fresh process; the table shows the median wall time,
and the rules' own time measured inside one process (load once, then run the rules).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
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
    args = parser.parse_args()
    bean_check = median_wall([str(BIN / "bean-check"), str(args.ledger)], args.runs)
    check_funds = median_wall([str(BIN / "check-funds"), "--format", "json", str(args.ledger)],
                              args.runs)
    rules = rules_time(args.ledger, args.runs)
    print(f"ledger: {args.ledger}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; median of {args.runs} runs")
    print(f"{'command':<28}{'seconds':>10}{'x bean-check':>14}")
    for name, seconds in (("bean-check", bean_check), ("check-funds --format json", check_funds),
                          ("rules only (in process)", rules)):
        print(f"{name:<28}{seconds:>10.3f}{seconds / bean_check:>14.2f}")


if __name__ == "__main__":
    main()
