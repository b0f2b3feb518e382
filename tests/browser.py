"""Fava on a free loopback port, and Debian's headless Chromium to look at it.

``bash .ci/run`` installs ``chromium`` and ``chromium-driver``; without them the browser tests
fail (they are never skipped) with a message saying what to install.
"""

from __future__ import annotations

import contextlib
import http.client
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Headless, and nothing that reaches for the network beyond 127.0.0.1.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--window-size=1400,1000")
FAVA_START_SECONDS = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ledger_path(port: int) -> str | None:
    """Where Fava's front page redirects (``/<slug>/income_statement/``), once it answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        location = connection.getresponse().getheader("Location")
    except OSError:
        return None
    finally:
        connection.close()
    if location is None:
        return None
    slug = urllib.parse.urlsplit(location).path.strip("/").split("/")[0]
    return f"/{slug}"


@contextlib.contextmanager
def running_fava(books: Path, log: Path) -> Iterator[str]:
    """Fava serving ``books`` on 127.0.0.1; yields the books' base URL. A port taken between
    choosing it and Fava binding it is tried again with another."""
    for _ in range(3):
        port = free_port()
        with log.open("wb") as output:
            process = subprocess.Popen(
                [str(Path(sys.executable).with_name("fava")), "--host", "127.0.0.1", "--port",
                 str(port), str(books)], stdout=output, stderr=subprocess.STDOUT)
        try:
            path = _wait_for_fava(process, port, log)
            if path is not None:
                yield f"http://127.0.0.1:{port}{path}"
                return
        finally:
            process.terminate()
            process.wait(timeout=10)
    pytest.fail(f"fava could not bind a port:\n{log.read_text('utf-8')}")


def _wait_for_fava(process: subprocess.Popen[bytes], port: int, log: Path) -> str | None:
    """The books' path once Fava answers; None if its port was taken."""
    deadline = time.monotonic() + FAVA_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text("utf-8", errors="replace")
            if "already in use" in output:
                return None
            pytest.fail(f"fava exited with {process.returncode}:\n{output}")
        path = _ledger_path(port)
        if path is not None:
            return path
        time.sleep(0.2)
    pytest.fail(f"fava did not answer on port {port} within {FAVA_START_SECONDS} s")


def _program(path: Path) -> str:
    """Debian's path for the program, else the one on PATH; fails saying what to install."""
    found = str(path) if path.exists() else shutil.which(path.name)
    if found is None:
        pytest.fail(f"{path.name} not found: install Debian's chromium and chromium-driver "
                    "(bash .ci/run does)")
    return found


def chromium(profile: Path) -> webdriver.Chrome:
    """Headless Chromium with a new, empty profile in ``profile``."""
    options = Options()
    options.binary_location = _program(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    service = Service(executable_path=_program(CHROMEDRIVER))
    return webdriver.Chrome(options=options, service=service)
