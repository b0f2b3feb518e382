"""``funds serve`` and ``funds users``: a login, roles and a log of changes in front of Fava,
on a copy of the demo books served on a free 127.0.0.1 port."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import copy_demo_books
from tests.serving import (
    FUNDS,
    PAGE,
    Served,
    add_user,
    funds,
    request,
    running_serve,
)

ACCOUNTANT = ("张会计", "kuaiji-secret-1")
AUDITOR = ("王审计", "shenji-secret-2")
REVIEWER = ("reviewer", "shenhe-secret-3")
PASSWORDS = [ACCOUNTANT[1], AUDITOR[1], REVIEWER[1]]


def books_digests(folder: Path) -> dict[str, str]:
    """Every ``.beancount`` file of the books' folder and its sha256."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.glob("*.beancount"))}


def office_books(folder: Path) -> Path:
    books = copy_demo_books(folder)
    add_user(books, *ACCOUNTANT[:1], "会计", ACCOUNTANT[1])
    add_user(books, AUDITOR[0], "审计", AUDITOR[1])
    add_user(books, REVIEWER[0], "reviewer", REVIEWER[1])
    return books


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Path]]:
    books = office_books(tmp_path_factory.mktemp("office") / "books")
    log = tmp_path_factory.mktemp("serve") / "log"
    with running_serve(books, log) as served:
        yield served, books


def test_no_credentials_wrong_password_and_unknown_user_get_401(
        office: tuple[Served, Path]) -> None:
    served, _ = office
    asked = served.request("GET", "/")
    wrong = served.request("GET", "/", (AUDITOR[0], "not-the-password"))
    unknown = served.request("GET", "/", ("nobody", AUDITOR[1]))
    good = served.request("GET", "/", AUDITOR)  # and forgets the two failures
    assert [asked.status, wrong.status, unknown.status] == [401, 401, 401]
    assert asked.headers["www-authenticate"].startswith("Basic realm=")
    assert "请登录" in wrong.text and wrong.text == unknown.text
    assert good.status == 302


def test_an_auditor_reads_the_earmarked_funds_page(office: tuple[Served, Path]) -> None:
    served, _ = office
    page = served.request("GET", served.slug(AUDITOR) + PAGE, AUDITOR)
    assert page.status == 200
    assert "专项资金" in page.text and "earmark-fund" in page.text


def test_an_auditor_cannot_save_nor_add_and_the_books_stay_as_they_were(
        office: tuple[Served, Path]) -> None:
    served, books = office
    slug = served.slug(AUDITOR)
    before = books_digests(books.parent)
    source = json.loads(served.request("GET", f"{slug}/api/source", AUDITOR).body)["data"]
    saved = served.request("PUT", f"{slug}/api/source", AUDITOR, json.dumps({
        "file_path": source["file_path"], "source": source["source"] + "\n; 审计改的\n",
        "sha256sum": source["sha256sum"]}).encode(), {"Content-Type": "application/json"})
    added = served.request("PUT", f"{slug}/api/add_entries", AUDITOR, json.dumps({
        "entries": [_note("审计加的")]}).encode(), {"Content-Type": "application/json"})
    reviewed = served.request("PUT", f"{slug}/api/add_entries", REVIEWER, json.dumps({
        "entries": [_note("审核加的")]}).encode(), {"Content-Type": "application/json"})
    assert [saved.status, added.status, reviewed.status] == [403, 403, 403]
    assert "只能查看" in json.loads(saved.body)["error"]  # shown by Fava's editor
    assert books_digests(books.parent) == before
    assert not (books.parent / "serve-log.jsonl").exists()


def _note(comment: str) -> dict[str, object]:
    return {"t": "Note", "date": "2012-12-30", "account": "Assets:1002-银行存款:建设经费专户",
            "comment": comment, "meta": {}, "tags": [], "links": []}


def test_an_accountants_save_changes_the_books_and_is_logged_with_both_digests(
        office: tuple[Served, Path]) -> None:
    served, books = office
    slug = served.slug(ACCOUNTANT)
    source = json.loads(served.request("GET", f"{slug}/api/source", ACCOUNTANT).body)["data"]
    edited = source["source"] + "\n; 张会计补记的说明\n"
    saved = served.request("PUT", f"{slug}/api/source", ACCOUNTANT, json.dumps({
        "file_path": source["file_path"], "source": edited,
        "sha256sum": source["sha256sum"]}).encode(), {"Content-Type": "application/json"})
    assert saved.status == 200, saved.text
    main = Path(source["file_path"])
    assert main.read_text("utf-8") == edited
    records = [json.loads(line) for line in
               (books.parent / "serve-log.jsonl").read_text("utf-8").splitlines()]
    assert len(records) == 1
    record = records[0]
    assert (record["user"], record["role"], record["method"], record["status"]) == (
        "张会计", "会计", "PUT", 200)
    assert record["path"] == urllib.parse.unquote(f"{slug}/api/source")
    assert record["files"] == [{
        "file": main.name, "sha256_before": source["sha256sum"],
        "sha256_after": hashlib.sha256(edited.encode("utf-8")).hexdigest()}]


def test_the_users_file_holds_no_password(office: tuple[Served, Path]) -> None:
    _, books = office
    stored = (books.parent / "users.toml").read_text("utf-8")
    assert "scrypt$" in stored and "王审计" in stored
    assert not [password for password in PASSWORDS if password in stored]
    listed = funds("users", "list", "--ledger", str(books))
    assert listed.returncode == 0
    assert "王审计" in listed.stdout and "审计 / auditor" in listed.stdout
    assert "scrypt" not in listed.stdout


def test_five_failures_lock_the_address_out(tmp_path: Path) -> None:
    books = copy_demo_books(tmp_path / "books")
    add_user(books, AUDITOR[0], "审计", AUDITOR[1])
    with running_serve(books, tmp_path / "log") as served:
        answers = [served.request("GET", "/", (AUDITOR[0], f"wrong-{n}")).status
                   for n in range(5)]
        locked = served.request("GET", "/", AUDITOR)
    assert answers == [401, 401, 401, 401, 429]
    assert locked.status == 429
    assert "5 分 0 秒" in locked.text or "4 分" in locked.text
    assert int(locked.headers["retry-after"]) > 290


def test_without_users_only_loopback(tmp_path: Path) -> None:
    books = copy_demo_books(tmp_path / "books")
    refused = funds("serve", str(books), "--host", "0.0.0.0", "--port", "1")
    assert refused.returncode == 2
    assert "没有用户文件" in refused.stderr and "funds users add" in refused.stderr
    with running_serve(books, tmp_path / "log") as served:
        assert served.request("GET", "/").status == 302  # no login on loopback
        slug = served.slug()
        source = json.loads(served.request("GET", f"{slug}/api/source").body)["data"]
        saved = served.request("PUT", f"{slug}/api/source", None, json.dumps({
            "file_path": source["file_path"], "source": source["source"] + "; 本机\n",
            "sha256sum": source["sha256sum"]}).encode(), {"Content-Type": "application/json"})
    assert saved.status == 200
    assert "无用户文件" in (tmp_path / "log").read_text("utf-8")
    [record] = [json.loads(line) for line in
                (books.parent / "serve-log.jsonl").read_text("utf-8").splitlines()]
    assert record["user"] is None and [file["file"] for file in record["files"]] == [
        "main.beancount"]


def test_an_unusable_certificate_or_a_taken_port_exit_2(tmp_path: Path) -> None:
    books = copy_demo_books(tmp_path / "books")
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n", encoding="utf-8")
    bad = funds("serve", str(books), "--certfile", str(junk), "--keyfile", str(junk))
    assert bad.returncode == 2 and "TLS 证书或私钥无法使用" in bad.stderr
    lonely = funds("serve", str(books), "--certfile", str(junk))
    assert lonely.returncode == 2 and "--keyfile" in lonely.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = funds("serve", str(books), "--port", str(taken.getsockname()[1]))
    assert busy.returncode == 2 and "端口已被占用" in busy.stderr


def test_with_users_another_host_is_served_behind_the_login(tmp_path: Path) -> None:
    books = copy_demo_books(tmp_path / "books")
    add_user(books, AUDITOR[0], "审计", AUDITOR[1])
    with running_serve(books, tmp_path / "log", "--host", "0.0.0.0") as served:
        assert served.request("GET", "/").status == 401
        assert served.request("GET", "/", AUDITOR).status == 302
    assert "http://0.0.0.0:" in (tmp_path / "log").read_text("utf-8")


def test_books_that_do_not_exist_exit_2(tmp_path: Path) -> None:
    done = funds("serve", str(tmp_path / "nowhere.beancount"))
    assert done.returncode == 2
    assert "文件不存在" in done.stderr


def test_tls_with_a_self_signed_certificate(tmp_path: Path) -> None:
    books = copy_demo_books(tmp_path / "books")
    add_user(books, AUDITOR[0], "审计", AUDITOR[1])
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    trusting = ssl.create_default_context(cafile=str(cert))
    with running_serve(books, tmp_path / "log", "--certfile", str(cert), "--keyfile",
                       str(key), tls=trusting) as served:
        asked = served.request("GET", "/")
        page = served.request("GET", served.slug(AUDITOR) + PAGE, AUDITOR)
    assert (asked.status, page.status) == (401, 200)
    assert "专项资金" in page.text
    started = (tmp_path / "log").read_text("utf-8")
    assert "https://127.0.0.1:" in started and "TLS" in started


def test_a_malformed_users_file_is_named_with_its_line_and_nothing_is_served(
        tmp_path: Path) -> None:
    books = copy_demo_books(tmp_path / "books")
    users = books.parent / "users.toml"
    users.write_text('[users."张会计"]\nrole = "出纳"\nhash = "scrypt$1$1$1$a$b"\n',
                     encoding="utf-8")
    done = funds("serve", str(books), "--port", "1")
    assert done.returncode == 2
    assert f"{users}:2:" in done.stderr and "出纳" in done.stderr


def test_a_change_log_that_cannot_be_written_is_refused_at_the_start(tmp_path: Path) -> None:
    books = copy_demo_books(tmp_path / "books")
    (books.parent / "serve-log.jsonl").mkdir()
    done = funds("serve", str(books), "--port", "1")
    assert done.returncode == 2
    assert "修改记录" in done.stderr and "serve-log.jsonl" in done.stderr
    assert "Traceback" not in done.stderr


def test_port_0_says_the_port_the_system_chose(tmp_path: Path) -> None:
    books = copy_demo_books(tmp_path / "books")
    process = subprocess.Popen([FUNDS, "serve", str(books), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               encoding="utf-8")
    try:
        assert process.stdout is not None
        started = [process.stdout.readline() for _ in range(2)]
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", started[1])
        assert found is not None, started
        port = int(found.group(1))
        assert port != 0
        assert request(port, "GET", "/").status == 302
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_books_that_do_not_load_are_served_and_the_start_says_so(tmp_path: Path) -> None:
    books = tmp_path / "main.beancount"
    books.write_text('option "operating_currency" "CNY"\n2012-01-01 open Assets:Cash CNY\n'
                     '2012-01-02 * "x"\n  Assets:Cash 1 CNY\n'  # does not balance
                     '2012-01-03 balance Assets:Cash 5 CNY\n', encoding="utf-8")  # fails
    with running_serve(books, tmp_path / "log") as served:
        assert served.request("GET", "/").status == 302
    started = (tmp_path / "log").read_text("utf-8")
    assert "账簿有 2 处错误" in started and "2 errors" in started


SLOW_PLUGIN = """\
import sys
import time

__plugins__ = ["slow"]


def slow(entries, options):
    print("loading", file=sys.stderr, flush=True)
    time.sleep(60)
    return entries, []
"""


def test_ctrl_c_while_the_books_load_stops_cleanly(tmp_path: Path) -> None:
    (tmp_path / "slow_books_plugin.py").write_text(SLOW_PLUGIN, encoding="utf-8")
    books = tmp_path / "main.beancount"
    books.write_text('option "operating_currency" "CNY"\nplugin "slow_books_plugin"\n',
                     encoding="utf-8")
    process = subprocess.Popen(
        [FUNDS, "serve", str(books), "--port", "0"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, encoding="utf-8", env={
            **os.environ, "PYTHONPATH": str(tmp_path)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as a terminal's
    try:
        assert process.stderr is not None
        assert process.stderr.readline() == "loading\n"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "已停止" in out and "Traceback" not in err and "Aborted" not in err
