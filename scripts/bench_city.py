"""Benchmark the project against bean-check on city-scale books, in one run.

    python scripts/bench_city.py [--sizes 10000 100000] [--million] [--runs 3]
        [--work DIR]

For each size, books are written by ``scripts/make_city_books.py`` (once; the same seed gives
the same books) and each command runs ``--runs`` times as a fresh process (``bean-check`` and
``check-funds`` in turn, one of each per round, as the machine's speed drifts); the table shows
the median wall time and peak memory (the process's maximum resident set) with their ratios to
``bean-check`` on the same books without the project's plugin (``bare.beancount``):

- ``check-funds --format json``, each run with an empty check cache;
- the same again on unchanged books (answered from the cache), as a ratio to the first;
- ``funds export monthly`` for the June of the books' last year;
- Fava: the 专项资金 page requested once Fava has loaded the books (``fava`` started on a free
  127.0.0.1 port), and Fava's load itself;
- the rules' own time inside one process (books loaded once, then ``read_books`` and
  ``run_checks``, median of the runs), and at more than one size their growth per size;
- beside it a floor: one pass that only reads each posting's account and amount. Its growth
  shows what the machine's memory makes of a larger heap of the same objects, for any code.

``--million`` adds 1,000,000 transactions (one run of each command, ``--runs`` of the rules in
process: about forty minutes on two cores).
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data

from ledger.check import load_books
from ledger.model.books import read_books
from ledger.rules import run_checks

BIN = Path(sys.executable).parent
SCRIPTS = Path(__file__).parent
PAGE = "/extension/EarmarkedFunds/"


@dataclass(frozen=True)
class Measure:
    """One command's median wall time (seconds) and peak memory (MiB) over its runs."""

    name: str
    seconds: float
    mebibytes: float | None


def run_once(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one fresh process; exit codes 0 and 1 (findings)
    are fine."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: it never fills up
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors,
                                   env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{command[0]} exited {code}: {errors.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def measure(name: str, command: list[str], runs: int,
            warm_cache: Path | None = None) -> Measure:
    """Median of ``runs`` fresh processes, each with an empty check cache unless
    ``warm_cache`` is given."""
    [measured] = interleaved([(name, command)], runs, warm_cache)
    return measured


def interleaved(commands: list[tuple[str, list[str]]], runs: int,
                warm_cache: Path | None = None) -> list[Measure]:
    """Each named command's median over ``runs`` rounds, one fresh process of each command per
    round in turn, so that a machine whose speed drifts slows them alike (the ratios of
    ``bean-check`` and ``check-funds`` are taken this way)."""
    times: list[list[float]] = [[] for _ in commands]
    peaks: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, (_, command) in enumerate(commands):
            with tempfile.TemporaryDirectory() as cache:
                folder = str(warm_cache) if warm_cache is not None else cache
                environment = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1",
                               "EARMARK_CACHE_DIR": folder}
                seconds, peak = run_once(command, environment)
            times[index].append(seconds)
            peaks[index].append(peak)
    return [Measure(name, statistics.median(times[index]), statistics.median(peaks[index]))
            for index, (name, _) in enumerate(commands)]


def cached_check(books: Path, runs: int) -> Measure:
    """``check-funds`` on unchanged books: a first run fills the cache, the next are timed."""
    command = [str(BIN / "check-funds"), str(books), "--format", "json"]
    with tempfile.TemporaryDirectory() as cache:
        folder = Path(cache)
        run_once(command, {**os.environ, "EARMARK_CACHE_DIR": cache})
        return measure("check-funds again (cached)", command, runs, warm_cache=folder)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def get(port: int, path: str, timeout: float = 3600) -> tuple[int, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def fava_page(books: Path, runs: int) -> list[Measure]:
    """Fava's load of the books, then the 专项资金 page requested ``runs`` times."""
    port = free_port()
    process = subprocess.Popen([str(BIN / "fava"), "--host", "127.0.0.1", "--port", str(port),
                                str(books)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        start = time.perf_counter()
        location = None
        while location is None:
            try:
                _, location = get(port, "/")
            except OSError:
                time.sleep(0.1)
        loaded = time.perf_counter() - start
        slug = location.strip("/").split("/")[0]
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            status, _ = get(port, f"/{slug}{PAGE}")
            times.append(time.perf_counter() - start)
            if status != 200:
                raise SystemExit(f"the 专项资金 page answered {status}")
        peak = _peak_mebibytes(process.pid)
    finally:
        process.terminate()
        process.wait()
    return [Measure("Fava: load of the books", loaded, peak),
            Measure("Fava: 专项资金 page after load", statistics.median(times), None)]


def _peak_mebibytes(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return None if line is None else int(line.split()[1]) / 1024


def rules_in_process(books: Path, runs: int) -> list[Measure]:
    """The rules' own time: the books loaded once, then read and checked ``runs`` times; and,
    as a floor, the time of one pass that only reads each posting's account and amount (what
    any rule must read once, at the speed this machine's memory allows)."""
    entries, _, options_map = load_books(books)
    transactions = read_books(entries, options_map).transactions
    rules, floor = [], []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        run_checks(read_books(entries, options_map))
        rules.append(time.perf_counter() - start)
        start = time.perf_counter()
        _read_every_posting(transactions)
        floor.append(time.perf_counter() - start)
    return [Measure("rules in process (read_books + run_checks)", statistics.median(rules),
                    None),
            Measure("floor: read every posting once, in process", statistics.median(floor),
                    None)]


def _read_every_posting(transactions: list[data.Transaction]) -> int:
    read = 0
    for transaction in transactions:
        for posting in transaction.postings:
            if posting.account and posting.units is not None and posting.units.number:
                read += 1
    return read


def write_books(size: int, work: Path) -> tuple[Path, str]:
    folder = work / f"city-{size}"
    if not (folder / "main.beancount").exists():
        subprocess.run([sys.executable, str(SCRIPTS / "make_city_books.py"), str(folder),
                        "--transactions", str(size), "--years", "10" if size >= 1_000_000
                        else "5"], check=True)
    years = sorted(int(path.stem) for path in folder.glob("[0-9]*.beancount"))
    return folder, f"{years[-1]}-06"


def bench(size: int, work: Path, runs: int, rule_runs: int) -> list[Measure]:
    folder, month = write_books(size, work)
    main, bare = folder / "main.beancount", folder / "bare.beancount"
    with tempfile.TemporaryDirectory() as out:
        return [
            *interleaved([("bean-check (no plugin)", [str(BIN / "bean-check"), str(bare)]),
                          ("check-funds --format json",
                           [str(BIN / "check-funds"), str(main), "--format", "json"])], runs),
            cached_check(main, runs),
            measure(f"funds export monthly {month}",
                    [str(BIN / "funds"), "export", "monthly", month, "--ledger", str(main),
                     "--out", out], runs),
            *fava_page(main, runs),
            *rules_in_process(main, rule_runs),
        ]


def print_table(size: int, measures: list[Measure], runs: int) -> None:
    base = measures[0]
    print(f"\n{size:,} transactions ({runs} run(s) each, median)")
    print(f"{'':46}{'seconds':>9}{'x bean-check':>14}{'peak MiB':>10}{'x bean-check':>14}")
    for item in measures:
        ratio = item.seconds / base.seconds
        memory = (f"{item.mebibytes:>10.0f}{item.mebibytes / base.mebibytes:>14.2f}"
                  if item.mebibytes is not None and base.mebibytes else "")
        note = ""
        if item.name.startswith("check-funds again"):
            note = f"   ({item.seconds / measures[1].seconds:.3f} x the first check-funds)"
        print(f"{item.name:<46}{item.seconds:>9.2f}{ratio:>14.3f}{memory}{note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="also 1,000,000 transactions")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "earmark-bench")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    sizes = [*args.sizes, *([1_000_000] if args.million else [])]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}")
    results: dict[int, list[Measure]] = {}
    for size in sizes:
        results[size] = bench(size, args.work, 1 if size >= 1_000_000 else args.runs, args.runs)
        print_table(size, results[size], 1 if size >= 1_000_000 else args.runs)
    rules = {size: measures[-2].seconds for size, measures in results.items()}
    floor = {size: measures[-1].seconds for size, measures in results.items()}
    for smaller, larger in zip(sorted(rules), sorted(rules)[1:], strict=False):
        print(f"rules' growth {smaller:,} -> {larger:,}: x{rules[larger] / rules[smaller]:.2f} "
              f"for x{larger / smaller:.0f} the transactions (the floor's: "
              f"x{floor[larger] / floor[smaller]:.2f})")
    if args.json:
        args.json.write_text(json.dumps({str(size): [item.__dict__ for item in measures]
                                         for size, measures in results.items()}, indent=1))


if __name__ == "__main__":
    main()
