"""The gatekeeper of ``funds serve`` in-process, around a fake WSGI application, with an
injected clock; and the users file it reads."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import stat
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from ledger.cli.main import funds
from ledger.serve import middleware, users
from ledger.serve.middleware import ChangeLog, Gatekeeper, Lockout, UsersSource
from ledger.serve.users import ROLES, User, UsersFileError, read_users, write_users
from tests.serving import basic

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

PASSWORD = "correct-horse-9"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Books:
    """A fake WSGI app standing for Fava: a PUT appends to the books' file."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "main.beancount"
        self.file.write_text("; books\n", encoding="utf-8")
        self.calls = 0

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        self.calls += 1
        if environ["REQUEST_METHOD"] == "PUT":
            with self.file.open("a", encoding="utf-8") as books:
                books.write("; changed\n")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]


def gate(tmp_path: Path, clock: Clock) -> tuple[Gatekeeper, Books]:
    users_file = tmp_path / "users.toml"
    write_users(users_file, {
        "张会计": User("张会计", ROLES["会计"], users.hash_password(PASSWORD)),
        "审计员": User("审计员", ROLES["审计"], users.hash_password(PASSWORD)),
    })
    books = Books(tmp_path)
    log = ChangeLog(tmp_path / "serve-log.jsonl", lambda: [books.file])
    fixed = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    return Gatekeeper(books, users=UsersSource(users_file), log=log,
                      lockout=Lockout(clock=clock), now=lambda: fixed), books


def call(app: Gatekeeper, method: str = "GET", credentials: tuple[str, str] | None = None,
         address: str = "10.0.0.7", path: str = "/books/api/source") -> tuple[int, str, dict[
             str, str]]:
    environ: dict[str, object] = {"REQUEST_METHOD": method, "PATH_INFO": path,
                                  "REMOTE_ADDR": address, "wsgi.input": io.BytesIO()}
    if credentials is not None:
        environ["HTTP_AUTHORIZATION"] = basic(*credentials)
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]],
                       exc_info: object = None) -> Callable[[bytes], object]:
        started.append((status, headers))
        return lambda data: None

    body = b"".join(app(environ, start_response))
    status, headers = started[-1]
    return int(status.split()[0]), body.decode("utf-8"), dict(headers)


def test_five_failures_lock_an_address_for_five_minutes(tmp_path: Path) -> None:
    clock = Clock()
    app, _ = gate(tmp_path, clock)
    statuses = [call(app, credentials=("审计员", "wrong"))[0] for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    clock.now += 299
    status, text, headers = call(app, credentials=("审计员", PASSWORD))
    assert status == 429 and "1 秒" in text and headers["Retry-After"] == "1"
    assert call(app, credentials=("审计员", PASSWORD), address="10.0.0.8")[0] == 200
    clock.now += 2
    assert call(app, credentials=("审计员", PASSWORD))[0] == 200


def test_a_good_login_forgets_the_failures_and_no_credentials_is_no_failure(
        tmp_path: Path) -> None:
    app, _ = gate(tmp_path, Clock())
    for _ in range(4):
        assert call(app, credentials=("审计员", "wrong"))[0] == 401
    assert call(app, credentials=("审计员", PASSWORD))[0] == 200
    statuses = [call(app, credentials=("nobody", PASSWORD))[0] for _ in range(4)]
    statuses += [call(app)[0] for _ in range(10)]  # a browser's first, credential-less ask
    assert set(statuses) == {401}


def test_an_unknown_name_costs_a_hash_check_too(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    app, _ = gate(tmp_path, Clock())
    checked: list[str] = []
    real = users.verify_password

    def counting(password: str, stored: str) -> bool:
        checked.append(stored)
        return real(password, stored)

    monkeypatch.setattr(middleware, "verify_password", counting)
    assert call(app, credentials=("nobody", PASSWORD))[0] == 401
    assert checked == [users.dummy_hash()]


def test_the_first_unknown_name_costs_no_more_than_a_known_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in hash for unknown names is made when the gatekeeper starts, not at the
    first unknown name (which would then take two scrypt runs, and tell)."""
    users.dummy_hash.cache_clear()
    app, _ = gate(tmp_path, Clock())
    made: list[str] = []
    real = users.hash_password

    def counting(password: str) -> str:
        made.append(password)
        return real(password)

    monkeypatch.setattr(users, "hash_password", counting)
    assert call(app, credentials=("nobody", PASSWORD))[0] == 401
    assert made == []


def test_guesses_sent_at_once_are_checked_five_at_most(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Many wrong passwords sent together from one address: no more than five are checked
    before the address is locked out (the checks of one address wait for each other)."""
    app, _ = gate(tmp_path, Clock())
    checked: list[str] = []
    real = users.verify_password

    def slow(password: str, stored: str) -> bool:
        checked.append(password)
        time.sleep(0.02)
        return real(password, stored)

    monkeypatch.setattr(middleware, "verify_password", slow)
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda n: call(app, credentials=("审计员", f"guess-{n}"))[0],
                                 range(20)))
    assert len(checked) == 5
    assert sorted(statuses) == [401] * 4 + [429] * 16


def test_read_only_roles_send_only_get_and_head(tmp_path: Path) -> None:
    app, books = gate(tmp_path, Clock())
    before = books.file.read_bytes()
    refused = [call(app, method, ("审计员", PASSWORD)) for method in
               ("PUT", "POST", "DELETE", "PATCH")]
    assert [status for status, _, _ in refused] == [403] * 4
    assert "审计" in refused[0][1] and "只能查看" in refused[0][1]
    assert books.calls == 0 and books.file.read_bytes() == before
    assert [call(app, method, ("审计员", PASSWORD))[0] for method in ("GET", "HEAD")] == [200,
                                                                                        200]
    assert books.calls == 2


def test_an_accountants_change_is_logged_with_both_digests(tmp_path: Path) -> None:
    app, books = gate(tmp_path, Clock())
    before = sha256_of(books.file)
    assert call(app, "PUT", ("张会计", PASSWORD), path="/东山/api/source")[0] == 200
    assert call(app, "GET", ("张会计", PASSWORD))[0] == 200  # a read is not logged
    lines = (tmp_path / "serve-log.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [{
        "time": "2026-12-01T09:30:00+00:00", "user": "张会计", "role": "会计",
        "address": "10.0.0.7", "method": "PUT", "path": "/东山/api/source", "status": 200,
        "files": [{"file": "main.beancount", "sha256_before": before,
                   "sha256_after": sha256_of(books.file)}]}]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_removed_user_is_refused_at_the_next_request(tmp_path: Path) -> None:
    app, _ = gate(tmp_path, Clock())
    assert call(app, credentials=("审计员", PASSWORD))[0] == 200
    known = read_users(tmp_path / "users.toml")
    del known["审计员"]
    write_users(tmp_path / "users.toml", known)
    assert call(app, credentials=("审计员", PASSWORD))[0] == 401


def test_a_role_changed_within_the_same_second_is_seen(tmp_path: Path) -> None:
    """On a file system that keeps whole seconds, remove and add again within one second
    leave the same size and time: the new file (a rename) is still read again."""
    app, _ = gate(tmp_path, Clock())
    path = tmp_path / "users.toml"
    assert call(app, "PUT", ("张会计", PASSWORD))[0] == 200
    old = path.stat()
    known = read_users(path)
    known["张会计"] = User("张会计", ROLES["审计"], known["张会计"].password_hash)
    write_users(path, known)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size
    assert call(app, "PUT", ("张会计", PASSWORD))[0] == 403


def test_the_users_file_round_trips_and_keeps_no_password(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    hashed = users.hash_password(PASSWORD)
    write_users(path, {"李·审核": User("李·审核", ROLES["审核"], hashed)})
    assert read_users(path) == {"李·审核": User("李·审核", ROLES["审核"], hashed)}
    assert PASSWORD not in path.read_text("utf-8")
    assert hashed.startswith("scrypt$16384$8$1$")
    assert users.verify_password(PASSWORD, hashed)
    assert not users.verify_password(PASSWORD + "x", hashed)
    assert hashed != users.hash_password(PASSWORD)  # a random salt each time


def test_the_users_file_is_written_for_its_owner_only(tmp_path: Path) -> None:
    """Written private from the start (not made private after it is in place): the hashes are
    never readable by the machine's other accounts, even for a moment."""
    path = tmp_path / "users.toml"
    old = os.umask(0o022)
    try:
        write_users(path, {"甲": User("甲", ROLES["会计"], users.hash_password(PASSWORD))})
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [file.name for file in tmp_path.iterdir()] == ["users.toml"]  # no temporary left


def test_a_users_file_saved_by_notepad_is_read(tmp_path: Path) -> None:
    """Windows Notepad saves UTF-8 with a byte-order mark and CRLF line ends."""
    path = tmp_path / "users.toml"
    hashed = users.hash_password(PASSWORD)
    write_users(path, {"甲": User("甲", ROLES["审核"], hashed)})
    text = path.read_text("utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_users(path) == {"甲": User("甲", ROLES["审核"], hashed)}


@pytest.mark.parametrize(("text", "line", "words"), [
    ('[users."甲"]\nrole = "会计"\nhash = \n', 3, "TOML"),
    ('# users\n\n[users."甲"]\nrole = "出纳"\nhash = "x"\n', 4, "出纳"),
    ('[users."乙"]\nrole = "审计"\nhash = "sha1$1$1$1$a$b"\n', 3, "scrypt"),
    ('[users."丙"]\nrole = "审计"\n', 1, "role 与 hash"),
    ('[users."a b"]\nrole = "审计"\nhash = "x"\n', 1, "用户名不合规"),
    ('[other]\nx = 1\n', 1, "users"),
])
def test_a_malformed_users_file_is_named_with_its_line(tmp_path: Path, text: str, line: int,
                                                       words: str) -> None:
    path = tmp_path / "users.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsersFileError) as raised:
        read_users(path)
    assert f"{path}:{line}:" in str(raised.value) and words in str(raised.value)


def test_funds_users_refuses_and_explains(tmp_path: Path) -> None:
    (tmp_path / "main.beancount").write_text("", encoding="utf-8")
    runner = CliRunner()

    def users_cli(*args: str, stdin: str = PASSWORD + "\n") -> tuple[int, str]:
        done = runner.invoke(funds, ["users", *args, "--ledger", str(tmp_path)], input=stdin)
        return done.exit_code, done.output

    assert users_cli("add", "张会计", "--role", "会计", "--password-stdin")[0] == 0
    assert users_cli("add", "张会计", "--role", "审计", "--password-stdin")[0] == 1
    assert users_cli("add", "a:b", "--role", "审计", "--password-stdin")[0] == 1
    short = users_cli("add", "短密码", "--role", "审计", "--password-stdin", stdin="abc\n")
    assert short[0] == 1 and "密码太短" in short[1]
    assert users_cli("remove", "没有的人")[0] == 1
    assert users_cli("remove", "张会计")[0] == 0
    assert read_users(tmp_path / "users.toml") == {}
    (tmp_path / "users.toml").write_text('[users."x"]\nrole = 1\n', encoding="utf-8")
    code, output = users_cli("list")
    assert code == 2 and f"{tmp_path / 'users.toml'}:1:" in output


def test_funds_users_prompts_twice_without_password_stdin(tmp_path: Path) -> None:
    (tmp_path / "main.beancount").write_text("", encoding="utf-8")
    done = CliRunner().invoke(funds, ["users", "add", "审计员", "--role", "auditor", "--ledger",
                                      str(tmp_path)], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.exit_code == 0, done.output
    assert PASSWORD not in done.output
    added = read_users(tmp_path / "users.toml")["审计员"]
    assert added.role is ROLES["审计"] and users.verify_password(PASSWORD, added.password_hash)


def test_a_change_that_fails_part_way_is_logged_too(tmp_path: Path) -> None:
    app, books = gate(tmp_path, Clock())

    def failing(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        books.file.write_text("; half written\n", encoding="utf-8")
        raise OSError("disk full")

    app.app = failing
    with pytest.raises(OSError, match="disk full"):
        call(app, "PUT", ("张会计", PASSWORD))
    [record] = [json.loads(line) for line in
                (tmp_path / "serve-log.jsonl").read_text("utf-8").splitlines()]
    assert record["status"] is None and record["user"] == "张会计"
    assert record["files"][0]["sha256_after"] == sha256_of(books.file)


def test_a_change_that_cannot_be_logged_is_not_made(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A change log that cannot be opened (here a folder in its place): the change is refused
    (503) before Fava sees it, the books untouched, and nothing is raised to the server."""
    app, books = gate(tmp_path, Clock())
    (tmp_path / "serve-log.jsonl").mkdir()
    before = books.file.read_bytes()
    status, text, _ = call(app, "PUT", ("张会计", PASSWORD), path="/b/api/source")
    assert status == 503 and "修改记录" in json.loads(text)["error"]
    assert books.calls == 0 and books.file.read_bytes() == before
    assert "serve-log.jsonl" in capsys.readouterr().err
    status, _, _ = call(app, "PUT", ("张会计", PASSWORD), path="/b/editor")
    assert status == 503 and books.calls == 0


def test_a_users_file_broken_while_serving_refuses_every_login_and_names_no_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Mended by hand and broken while serving: nobody logs in (503, not a lockout); the
    visitor, who may not have logged in, is not told where the file lies: the server's
    standard error says it, with the line."""
    app, books = gate(tmp_path, Clock())
    (tmp_path / "users.toml").write_text('[users."张会计"]\nrole = "出纳"\nhash = "x"\n',
                                         encoding="utf-8")
    status, text, _ = call(app, credentials=("张会计", PASSWORD))
    assert status == 503 and "用户文件有误" in text
    assert str(tmp_path) not in text and "出纳" not in text
    assert f"{tmp_path / 'users.toml'}:2:" in capsys.readouterr().err
    assert books.calls == 0


@pytest.mark.parametrize(("method", "credentials"), [
    ("GET", ("审计员", PASSWORD)), ("PUT", ("张会计", PASSWORD)), ("PUT", ("审计员", PASSWORD)),
    ("GET", None)])
def test_no_page_may_be_framed_by_another_site(tmp_path: Path, method: str,
                                               credentials: tuple[str, str] | None) -> None:
    """A browser keeps Basic credentials: another site must not show Fava in a frame and
    trick an accountant into clicking its save button (clickjacking)."""
    app, _ = gate(tmp_path, Clock())
    _, _, headers = call(app, method, credentials)
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_a_lockout_is_said_on_the_server_output(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Whoever runs funds serve sees that an address was locked out (someone guessing), not
    the passwords tried."""
    app, _ = gate(tmp_path, Clock())
    for n in range(4):
        call(app, credentials=("审计员", f"guess-{n}"))
    assert "10.0.0.7" not in capsys.readouterr().err  # four failures: not yet
    call(app, credentials=("审计员", "guess-4"))
    said = capsys.readouterr().err
    assert "10.0.0.7" in said and "锁定" in said and "locked out" in said
    assert "guess" not in said
