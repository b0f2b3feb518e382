"""``funds serve`` started as the user starts it, on a free 127.0.0.1 port, and HTTP requests
to it with or without Basic credentials (UTF-8 names, as browsers send them)."""

from __future__ import annotations

import base64
import contextlib
import http.client
import ssl
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser import free_port

FUNDS = str(Path(sys.executable).with_name("funds"))
START_SECONDS = 60
PAGE = "/extension/EarmarkedFunds/"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Served:
    """A running ``funds serve``: where it answers and the books' slug (``/<slug>``)."""

    port: int
    tls: ssl.SSLContext | None
    log: Path

    def request(self, method: str, path: str, credentials: tuple[str, str] | None = None,
                body: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
        return request(self.port, method, path, credentials, body, headers, self.tls)

    def slug(self, credentials: tuple[str, str] | None = None) -> str:
        location = self.request("GET", "/", credentials).headers.get("location", "")
        return "/" + urllib.parse.urlsplit(location).path.strip("/").split("/")[0]


def basic(name: str, password: str) -> str:
    """The ``Authorization`` header for ``name:password``, UTF-8 then base64."""
    return "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode("ascii")


def request(port: int, method: str, path: str, credentials: tuple[str, str] | None = None,
            body: bytes | None = None, headers: dict[str, str] | None = None,
            tls: ssl.SSLContext | None = None) -> Reply:
    connection: http.client.HTTPConnection
    if tls is not None:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=tls)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = dict(headers or {})
    if credentials is not None:
        sent["Authorization"] = basic(*credentials)
    try:
        connection.request(method, urllib.parse.quote(path, safe="/?=&%"), body=body,
                           headers=sent)
        response = connection.getresponse()
        return Reply(response.status, {key.lower(): value for key, value in
                                       response.getheaders()}, response.read())
    finally:
        connection.close()


def funds(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([FUNDS, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, check=False)


def add_user(books: Path, name: str, role: str, password: str) -> None:
    done = funds("users", "add", name, "--role", role, "--password-stdin", "--ledger",
                 str(books), stdin=password + "\n")
    assert done.returncode == 0, done.stderr


@contextlib.contextmanager
def running_serve(books: Path, log: Path, *args: str,
                  tls: ssl.SSLContext | None = None) -> Iterator[Served]:
    """``funds serve BOOKS --port P ARGS`` until the block ends; a port taken between choosing
    it and binding it is tried again with another."""
    for _ in range(3):
        port = free_port()
        with log.open("wb") as output:
            process = subprocess.Popen([FUNDS, "serve", str(books), "--port", str(port), *args],
                                       stdout=output, stderr=subprocess.STDOUT)
        try:
            if _answers(process, port, log, tls):
                yield Served(port, tls, log)
                return
        finally:
            process.terminate()
            process.wait(timeout=10)
    pytest.fail(f"funds serve could not bind a port:\n{log.read_text('utf-8')}")


def _answers(process: subprocess.Popen[bytes], port: int, log: Path,
             tls: ssl.SSLContext | None) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text("utf-8", errors="replace")
            if "in use" in output or "Address already" in output:
                return False
            pytest.fail(f"funds serve exited with {process.returncode}:\n{output}")
        try:
            request(port, "GET", "/", tls=tls)
            return True
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"funds serve did not answer on port {port} within {START_SECONDS} s")
