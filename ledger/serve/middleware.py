"""The WSGI middleware of ``funds serve``: a login, roles and a log of every change.

In front of Fava it:

- asks for HTTP Basic credentials and checks them against the users file (scrypt, compared in
  constant time; an unknown name costs the same hash check as a known one);
- after :data:`FAILURES` failed logins from one address, refuses that address for
  :data:`LOCK_SECONDS` (429, saying how long), whatever it sends, and says so on the server's
  output; one address's password checks run one at a time, so guesses sent at once are
  counted too;
- lets the read-only roles (审核, 审计) send only GET and HEAD: anything else is refused (403)
  before Fava sees it, so the books stay untouched;
- for every other request of an accountant (会计), digests each file of the books and each
  document before and after it and appends one JSON line to the change log: time, user, role,
  address, method, path, status, and each file that changed (a books file, or a document
  uploaded, moved or deleted) with its sha256 before and after (null: no file).

No answer may be shown in another site's frame (a browser keeps Basic credentials).

Without a users file (``users=None``: ``funds serve`` on a loopback address only) nobody is asked
to log in; changes are still logged, with no user.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ledger.files import path_from_books
from ledger.serve.users import ROLES, User, UsersFileError, dummy_hash, read_users, verify_password

if TYPE_CHECKING:  # pragma: no cover
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from _typeshed import OptExcInfo

FAILURES = 5
LOCK_SECONDS = 300
READING = frozenset({"GET", "HEAD"})
REALM = "earmark-ledger funds serve"
CACHED_LOGINS = 1024
TRACKED_ADDRESSES = 10_000
LOG_FILE = "serve-log.jsonl"
UNFRAMED = (("X-Frame-Options", "DENY"), ("Content-Security-Policy", "frame-ancestors 'none'"))
ADDRESS_LOCKS = 64  # password checks of one address run one at a time (addresses share 64 locks)


@dataclass
class Lockout:
    """Failed logins per address: the :data:`FAILURES`-th makes that address wait
    :data:`LOCK_SECONDS`; a good login forgets the address's failures. ``clock`` is
    monotonic seconds (injected by the tests)."""

    clock: Callable[[], float] = time.monotonic
    failures: int = FAILURES
    seconds: float = LOCK_SECONDS
    _counts: dict[str, int] = field(default_factory=dict)
    _until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def waiting(self, address: str) -> float:
        """Seconds ``address`` must still wait; 0 if it may try."""
        with self._lock:
            until = self._until.get(address)
            if until is None:
                return 0.0
            left = until - self.clock()
            if left > 0:
                return left
            del self._until[address]
            return 0.0

    def failed(self, address: str) -> float:
        """Count a failed login; the seconds to wait if this one locks the address, else 0."""
        with self._lock:
            if len(self._counts) >= TRACKED_ADDRESSES:
                self._counts.clear()  # a flood of addresses: forget old counts, keep locks
            count = self._counts.get(address, 0) + 1
            if count < self.failures:
                self._counts[address] = count
                return 0.0
            self._counts.pop(address, None)
            now = self.clock()
            if len(self._until) >= TRACKED_ADDRESSES:  # forget the locks that have ended
                self._until = {known: until for known, until in self._until.items()
                               if until > now}
            self._until[address] = now + self.seconds
            return self.seconds

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._counts.pop(address, None)


class UsersSource:
    """The users file, read again whenever it changes on disk (``funds users add`` or
    ``remove`` while serving takes effect at the next request)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int, int, int] | None = None
        self._users: dict[str, User] = {}
        self._lock = threading.Lock()

    def users(self) -> dict[str, User]:
        """The users; :class:`UsersFileError` if the file is gone or malformed."""
        try:
            status = self.path.stat()
        except OSError as error:
            raise UsersFileError(f"{self.path}: 用户文件无法读取 / the users file cannot be "
                                 f"read ({error.strerror})") from None
        # the inode too: funds users writes a new file and renames it, so a change is seen even
        # where the file system keeps whole seconds and the size is the same
        seen = (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size)
        with self._lock:
            if seen != self._seen:
                self._users = read_users(self.path)
                self._seen = seen
            return self._users


class ChangeLog:
    """``serve-log.jsonl``: one JSON line per change request of an accountant.

    It names each file the request changed: the books' files (hashed before and after every
    change request) and the documents Fava uploads, moves or deletes in ``document_folders``
    (each document hashed once, then again only when its size, time or inode change)."""

    def __init__(self, path: Path, books_files: Callable[[], Iterable[Path]],
                 document_folders: Callable[[], Iterable[Path]] = tuple) -> None:
        self.path = path
        self.books_files = books_files
        self.document_folders = document_folders
        self.folder = path.parent
        self.lock = threading.Lock()
        self._hashed: dict[Path, tuple[tuple[int, int, int], str | None]] = {}

    def digests(self) -> dict[Path, str | None]:
        """The sha256 of each file of the books (None for one that is missing) and of each
        document in the document folders."""
        found = {path: _sha256(path) for path in dict.fromkeys(self.books_files())}
        for folder in dict.fromkeys(self.document_folders()):
            for path in _files_under(folder):
                if path not in found and path != self.path:
                    found[path] = self._document_sha256(path)
        return found

    def _document_sha256(self, path: Path) -> str | None:
        try:
            status = path.stat()
        except OSError:
            return None
        key = (status.st_ino, status.st_size, status.st_mtime_ns)
        known = self._hashed.get(path)
        if known is None or known[0] != key:
            known = self._hashed[path] = (key, _sha256(path))
        return known[1]

    def open(self) -> TextIO:
        """The log, open to append to (``OSError`` if it cannot be): opened before a change
        is let through, so that no change is made that could not be logged."""
        return self.path.open("a", encoding="utf-8")

    def append(self, log: TextIO, record: dict[str, Any]) -> None:
        """Append ``record`` to the open ``log``; a write that fails (a full disk) is said on
        the server's standard error, naming the request, not raised."""
        try:
            log.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
            log.flush()
            os.fsync(log.fileno())
        except OSError as error:
            print(f"funds serve: {self.path}: 修改记录写入失败，此修改未记录 / the change log "
                  f"could not be written; this change is not logged: {record['method']} "
                  f"{record['path']} ({error.strerror})", file=sys.stderr)

    def changed(self, before: dict[Path, str | None],
                after: dict[Path, str | None]) -> list[dict[str, str | None]]:
        return [{"file": path_from_books(str(path), self.folder), "sha256_before": before.get(path),
                 "sha256_after": after.get(path)}
                for path in dict.fromkeys([*before, *after])
                if before.get(path) != after.get(path)]


def _files_under(folder: Path) -> list[Path]:
    """The files under ``folder`` (hidden folders skipped), in a stable order."""
    found: list[Path] = []
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found += [Path(root, name) for name in sorted(files)]
    return found


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Gatekeeper:
    """The middleware (see the module's docstring) around the WSGI application ``app``."""

    def __init__(self, app: WSGIApplication, *, users: UsersSource | None, log: ChangeLog,
                 lockout: Lockout | None = None,
                 now: Callable[[], datetime.datetime] | None = None) -> None:
        self.app = app
        self.source = users
        self.log = log
        self.lockout = lockout or Lockout()
        self.now = now or (lambda: datetime.datetime.now().astimezone())
        self._key = secrets.token_bytes(32)  # for the in-memory cache of checked logins
        self._checked: dict[bytes, tuple[str, str]] = {}
        self._checked_lock = threading.Lock()
        self._address_locks = tuple(threading.Lock() for _ in range(ADDRESS_LOCKS))
        if users is not None:
            dummy_hash()  # made now: the first unknown name costs one scrypt run, as any other

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        return self._gate(environ, _unframed(start_response))

    def _gate(self, environ: WSGIEnvironment,
              start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        user: User | None = None
        if self.source is not None:
            address = str(environ.get("REMOTE_ADDR", ""))
            found = self._login(environ, address, start_response)
            if not isinstance(found, User):
                return found
            user = found
        if method in READING:
            return self.app(environ, start_response)
        if user is not None and not user.role.writes:
            text = _read_only_text(user, method)
            if "/api/" in str(environ.get("PATH_INFO", "")):  # Fava's editor shows the error
                return _json_error(start_response, "403 Forbidden", text)
            return _refuse(start_response, "403 Forbidden", text)
        return self._logged(environ, start_response, user, method)

    def _login(self, environ: WSGIEnvironment, address: str,
               start_response: StartResponse) -> User | Iterable[bytes]:
        """The user logged in, or the refusal already started (401, 429 or 503)."""
        assert self.source is not None
        waiting = self.lockout.waiting(address)
        if waiting:
            return _locked(start_response, waiting)
        header = str(environ.get("HTTP_AUTHORIZATION", ""))
        if not header:
            return _ask(start_response)
        with self._address_locks[hash(address) % ADDRESS_LOCKS]:
            # one address's checks wait for each other: guesses sent at once are counted
            # before the next is checked, so no more than FAILURES are ever checked
            waiting = self.lockout.waiting(address)
            if waiting:
                return _locked(start_response, waiting)
            return self._checked_login(header, address, start_response)

    def _checked_login(self, header: str, address: str,
                       start_response: StartResponse) -> User | Iterable[bytes]:
        try:
            user = self._check(header)
        except UsersFileError as error:
            print(f"funds serve: {error}", file=sys.stderr)
            return _refuse(start_response, "503 Service Unavailable",
                           "用户文件有误，暂时无法登录，请告知管理员（详情见 funds serve 的输出）"
                           " / the users file is broken: no login until it is mended; tell "
                           "whoever runs funds serve (its output says where)\n")
        if user is None:
            locked = self.lockout.failed(address)
            if not locked:
                return _ask(start_response)
            print(f"funds serve: {self.now().isoformat(timespec='seconds')} 地址 {address} 登录"
                  f"失败 {FAILURES} 次，锁定 {locked:.0f} 秒 / address {address} locked out for "
                  f"{locked:.0f} s after {FAILURES} failed logins", file=sys.stderr)
            return _locked(start_response, locked)
        self.lockout.succeeded(address)
        return user

    def _check(self, header: str) -> User | None:
        """The user whose Basic credentials ``header`` holds; None for a wrong password, an
        unknown name or a header that is not Basic credentials."""
        assert self.source is not None
        users = self.source.users()
        key = hmac.new(self._key, header.encode("utf-8", "surrogateescape"), "sha256").digest()
        with self._checked_lock:
            cached = self._checked.get(key)
        if cached is not None:
            known = users.get(cached[0])
            if known is not None and hmac.compare_digest(known.password_hash, cached[1]):
                return known
        credentials = _basic_credentials(header)
        name, password = credentials or ("", "")
        known = users.get(name)
        stored = known.password_hash if known is not None else dummy_hash()
        good = verify_password(password, stored) and known is not None and bool(credentials)
        if not good or known is None:
            return None
        with self._checked_lock:
            if len(self._checked) >= CACHED_LOGINS:
                self._checked.clear()
            self._checked[key] = (known.name, known.password_hash)
        return known

    def _logged(self, environ: WSGIEnvironment, start_response: StartResponse,
                user: User | None, method: str) -> Iterable[bytes]:
        """Pass a change request to Fava, one at a time, and log it with the books' digests."""
        status: list[str] = []

        def recording(code: str, headers: list[tuple[str, str]],
                      exc_info: OptExcInfo | None = None) -> Callable[[bytes], object]:
            status.append(code)
            return start_response(code, headers, exc_info)

        with self.log.lock:
            try:
                log = self.log.open()
            except OSError as error:
                return _unlogged(start_response, environ, self.log.path, error)
            with log:
                before = self.log.digests()
                try:
                    return _drained(self.app(environ, recording))
                finally:  # logged even if Fava fails part way: the books may have changed
                    self.log.append(log, self._record(environ, user, method, status, before))

    def _record(self, environ: WSGIEnvironment, user: User | None, method: str,
                status: list[str], before: dict[Path, str | None]) -> dict[str, Any]:
        return {
            "time": self.now().isoformat(timespec="seconds"),
            "user": user.name if user is not None else None,
            "role": (user.role if user is not None else ROLES["会计"]).name,
            "address": str(environ.get("REMOTE_ADDR", "")),
            "method": method,
            "path": _request_path(environ),
            "status": int(status[-1].split()[0]) if status else None,
            "files": self.log.changed(before, self.log.digests()),
        }


def _unlogged(start_response: StartResponse, environ: WSGIEnvironment, path: Path,
              error: OSError) -> list[bytes]:
    """The refusal of a change that could not be logged (the books untouched)."""
    print(f"funds serve: {path}: 修改记录无法打开，修改请求被拒绝 / the change log cannot be "
          f"opened; change requests are refused ({error.strerror})", file=sys.stderr)
    text = (f"拒绝：修改记录 {path.name} 无法写入；为保证每次修改都有记录，此修改未执行，"
            f"账簿未改动，请告知管理员 / refused: the change log {path.name} cannot be "
            "written; so that no change goes unlogged, this change was not made and the books "
            "are unchanged; tell whoever runs funds serve\n")
    if "/api/" in str(environ.get("PATH_INFO", "")):
        return _json_error(start_response, "503 Service Unavailable", text)
    return _refuse(start_response, "503 Service Unavailable", text)


def _unframed(start_response: StartResponse) -> StartResponse:
    """``start_response`` adding :data:`UNFRAMED` to every answer: a browser keeps Basic
    credentials, so no other site may show the books in a frame (clickjacking)."""

    def starting(status: str, headers: list[tuple[str, str]],
                 exc_info: OptExcInfo | None = None) -> Callable[[bytes], object]:
        return start_response(status, [*headers, *UNFRAMED], exc_info)

    return starting


def _drained(response: Iterable[bytes]) -> list[bytes]:
    """The whole body of a WSGI response, the response closed (WSGI's rule)."""
    try:
        return list(response)
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()


def _request_path(environ: WSGIEnvironment) -> str:
    """The path asked for, readable: WSGI gives it as Latin-1 text of the URL's bytes."""
    raw = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    try:
        path = raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        path = raw
    query = str(environ.get("QUERY_STRING", ""))
    return f"{path}?{query}" if query else path


def _basic_credentials(header: str) -> tuple[str, str] | None:
    """(name, password) from an ``Authorization: Basic`` header (UTF-8); None if it is not."""
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, colon, password = decoded.partition(":")
    return (name, password) if colon else None


def _read_only_text(user: User, method: str) -> str:
    return (f"拒绝：{user.name} 的角色是「{user.role.name}」，只能查看账簿，不能修改；"
            f"此请求（{method}）未执行，账簿未改动。 / refused: {user.name} has the "
            f"role {user.role.name} ({user.role.english}), which reads the books but does not "
            f"change them; this "
            f"{method} request was not carried out and the books are unchanged.\n")


def _ask(start_response: StartResponse) -> list[bytes]:
    return _refuse(start_response, "401 Unauthorized",
                   "请登录：输入 funds serve 的用户名和密码（用户名或密码不对也是这个回答） / log "
                   "in with your funds serve user name and password (a wrong name or password "
                   "gets this answer too).\n",
                   [("WWW-Authenticate", f'Basic realm="{REALM}", charset="UTF-8"')])


def _locked(start_response: StartResponse, seconds: float) -> list[bytes]:
    whole = max(1, int(seconds + 0.999))
    minutes, rest = divmod(whole, 60)
    shown = f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"
    english = f"{minutes} min {rest} s" if minutes else f"{rest} s"
    return _refuse(start_response, "429 Too Many Requests",
                   f"登录失败次数过多（{FAILURES} 次）：本地址须等待 {shown}后再试。 / too many "
                   f"failed logins ({FAILURES}) from this address: try again in {english}.\n",
                   [("Retry-After", str(whole))])


def _json_error(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    """A refusal as Fava's JSON API words its errors, so Fava's page shows the text."""
    body = json.dumps({"error": text.strip()}, ensure_ascii=False).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
    return [body]


def _refuse(start_response: StartResponse, status: str, text: str,
            headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                            *headers])
    return [body]

