"""``funds serve``: Fava with the project's extension for a whole office, behind a login.

With a users file (``users.toml`` beside the books, or ``--users FILE``) every visitor logs in;
会计 may change the books, 审核 and 审计 only read, and every change is logged in
``serve-log.jsonl`` beside the books. Without one, nobody logs in, so the books are served on a
loopback address only. See :mod:`ledger.serve`.

Exit codes: 0 stopped with Ctrl+C; 2 bad usage (a host other than loopback without users, a
certificate without its key), books that do not exist, a users file that cannot be read, a
change log that cannot be written, or a port that cannot be bound. Books that do not load are
served: Fava shows their errors.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import NoReturn

import click

from ledger.cli.books import EXIT_USAGE, ExistingFile, choose_books, refuse
from ledger.cli.check import use_utf8_stdout
from ledger.serve.server import (
    Settings,
    books_errors,
    bound_port,
    build_app,
    is_loopback,
    load_fava,
    log_problem,
    make_server,
    start_lines,
    tls_adapter,
)
from ledger.serve.users import USERS_FILE, User, UsersFileError, read_users

HOW = "funds serve 账簿.beancount"


@click.command("serve")
@click.argument("books", required=False, type=ExistingFile(books=True))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；无用户文件时只能是本机回环地址 / the address to listen on; without "
                   "a users file, a loopback address only.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535),
              help="端口 / the port.")
@click.option("--users", "users_file", type=ExistingFile(),
              help=f"用户文件（默认：账簿主文件旁的 {USERS_FILE}，若存在） / the users file "
                   f"(default: {USERS_FILE} beside the books' main file, if there).")
@click.option("--certfile", type=ExistingFile(), help="TLS 证书 / the TLS certificate (PEM).")
@click.option("--keyfile", type=ExistingFile(), help="TLS 私钥 / its private key (PEM).")
def serve(books: Path | None, host: str, port: int, users_file: Path | None,
          certfile: Path | None, keyfile: Path | None) -> None:
    """为办公室提供 Fava：登录、角色（会计可改，审核、审计只读）与修改记录。

    Serve Fava to the office: a login, roles (会计 changes the books, 审核 and 审计 read them)
    and a log of every change. Without a users file, only on this machine's loopback address.
    """
    use_utf8_stdout()
    if (certfile is None) != (keyfile is None):
        refuse(["--certfile 与 --keyfile 须同时给出 / --certfile and --keyfile go together"],
               EXIT_USAGE)
    path = choose_books(books, writes=True, how=HOW).path.absolute()
    if users_file is None and (path.parent / USERS_FILE).is_file():
        users_file = path.parent / USERS_FILE
    settings = Settings(path, host, port, users_file and users_file.absolute(),
                        certfile, keyfile)
    known = _users(settings)
    if known is None and not is_loopback(host):
        _refuse_without_users(host, path)
    problem = log_problem(settings.log)
    if problem is not None:
        refuse([f"修改记录无法写入，不提供服务（每次修改都须有记录） / the change log cannot be "
                f"written, so nothing is served (every change must be logged): {problem}"],
               EXIT_USAGE)
    try:
        _run(settings, known)
    except KeyboardInterrupt:  # Ctrl+C while serving, or while the books still load
        click.echo("已停止 / stopped")


def _refuse_without_users(host: str, path: Path) -> NoReturn:
    refuse([f"拒绝在 {host} 上提供：没有用户文件，任何能连到此地址的人都能不经登录修改账簿 / "
            f"refused to serve on {host}: without a users file anyone who reaches it could "
            "change the books without logging in",
            f"  先添加用户 / first add users: funds users add 名字 --role 会计 --ledger {path}"
            f"（审核、审计只读 / 审核 and 审计 read only）；或只在本机提供 / or serve on "
            "this machine only: --host 127.0.0.1"], EXIT_USAGE)


def _users(settings: Settings) -> dict[str, User] | None:
    if settings.users is None:
        return None
    try:
        return read_users(settings.users)
    except UsersFileError as error:
        refuse([f"用户文件有误 / the users file is malformed: {error}"], EXIT_USAGE)


def _run(settings: Settings, known: dict[str, User] | None) -> None:
    try:
        adapter = tls_adapter(settings)
    except (OSError, ValueError) as error:
        refuse([f"TLS 证书或私钥无法使用 / the TLS certificate or key cannot be used: {error}"],
               EXIT_USAGE)
    fava = load_fava(settings)
    server = make_server(settings, build_app(settings, fava), adapter)
    try:
        server.prepare()
    except OSError as error:
        refuse([f"无法在 {settings.url} 提供（端口已被占用？请换 --port） / cannot serve on "
                f"{settings.url}: the port is in use? try another --port ({error})"],
               EXIT_USAGE)
    settings = dataclasses.replace(settings, port=bound_port(server))  # --port 0: the one chosen
    for line in start_lines(settings, known, books_errors(fava)):
        click.echo(line)
    try:
        server.serve()
    finally:
        server.stop()
