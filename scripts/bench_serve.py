"""A bounded load test of ``funds serve``: many clients reading the 专项资金 page at once.

    python scripts/bench_serve.py [--clients 50] [--requests 20] [--books BOOKS]

A copy of the books (default: the demo books) gets a users file with one auditor; ``funds
serve`` is started on it on a free 127.0.0.1 port, as a user starts it; once it answers and the
page has been read once, ``--clients`` threads each read the page ``--requests`` times over a
kept-alive connection of their own, with the auditor's Basic credentials. The report: how many
answers were 200, and the median, p95 and slowest latency, with the wall time. Exit 0 when all
were 200, else 1. A benchmark, not a timed test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

FUNDS = str(Path(sys.executable).with_name("funds"))
DEMO_BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "books" / "main.beancount"
PAGE = "/extension/EarmarkedFunds/"
AUDITOR = ("审计员", "bench-password-1")
START_SECONDS = 120


@dataclass(frozen=True)
class Answer:
    status: int
    seconds: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def authorization() -> dict[str, str]:
    token = base64.b64encode(":".join(AUDITOR).encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def get(connection: http.client.HTTPConnection, path: str) -> Answer:
    started = time.perf_counter()
    connection.request("GET", path, headers=authorization())
    response = connection.getresponse()
    response.read()
    return Answer(response.status, time.perf_counter() - started)


def prepare(books: Path, folder: Path) -> Path:
    """A copy of the books' folder with a users file holding the auditor; its main file."""
    copy = folder / "books"
    shutil.copytree(books.parent, copy, ignore=shutil.ignore_patterns(
        "__pycache__", "users.toml", "serve-log.jsonl", ".*"))
    added = subprocess.run([FUNDS, "users", "add", AUDITOR[0], "--role", "审计",
                            "--password-stdin", "--ledger", str(copy)],
                           input=AUDITOR[1] + "\n", capture_output=True, text=True, check=False)
    if added.returncode != 0:
        sys.exit(f"funds users add failed:\n{added.stderr}")
    return copy / books.name


def page_path(port: int) -> str:
    """The 专项资金 page's path, once ``funds serve`` answers (the books' slug from Fava's
    redirect)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/", headers=authorization())
            response = connection.getresponse()
            response.read()
            location = response.getheader("Location")
            if location:
                slug = urllib.parse.urlsplit(location).path.strip("/").split("/")[0]
                return f"/{slug}{PAGE}"
            sys.exit(f"funds serve answered {response.status} without a redirect")
        except OSError:
            time.sleep(0.3)
        finally:
            connection.close()
    sys.exit(f"funds serve did not answer within {START_SECONDS} s")


def client(port: int, path: str, requests: int, answers: list[Answer]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        for _ in range(requests):
            try:
                answers.append(get(connection, path))
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                answers.append(Answer(0, 0.0))
    finally:
        connection.close()


def load(port: int, path: str, clients: int, requests: int) -> tuple[list[Answer], float]:
    """Every answer of ``clients`` threads × ``requests`` reads, and the wall time."""
    answers: list[Answer] = []
    threads = [threading.Thread(target=client, args=(port, path, requests, answers))
               for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - started


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def report(answers: list[Answer], wall: float, clients: int, requests: int) -> bool:
    good = [answer.seconds for answer in answers if answer.status == 200]
    total = clients * requests
    print(f"funds serve, 专项资金 page: {clients} clients x {requests} requests")
    print(f"  200: {len(good)}/{total}" + ("" if len(good) == total else
          f"  (others: {sorted({answer.status for answer in answers} - {200})})"))
    if good:
        print(f"  latency: median {statistics.median(good) * 1000:.0f} ms, "
              f"p95 {p95(good) * 1000:.0f} ms, slowest {max(good) * 1000:.0f} ms")
    print(f"  wall time {wall:.1f} s, {total / wall:.1f} requests/s")
    return len(good) == total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--books", type=Path, default=DEMO_BOOKS,
                        help="the books' main file (copied; default: the demo books)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        books = prepare(arguments.books.resolve(), Path(folder))
        port = free_port()
        log = Path(folder) / "serve.log"
        with log.open("wb") as output:
            server = subprocess.Popen([FUNDS, "serve", str(books), "--port", str(port)],
                                      stdout=output, stderr=subprocess.STDOUT)
        try:
            path = page_path(port)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            first = get(connection, path)  # Fava computes the page once; then the load
            connection.close()
            print(f"first read: {first.status} in {first.seconds * 1000:.0f} ms")
            answers, wall = load(port, path, arguments.clients, arguments.requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
    sys.exit(0 if report(answers, wall, arguments.clients, arguments.requests) else 1)


if __name__ == "__main__":
    main()
