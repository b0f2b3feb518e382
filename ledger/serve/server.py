"""Fava on the books, behind :class:`ledger.serve.middleware.Gatekeeper`, on cheroot's WSGI
server (the production server Fava's own ``fava`` command uses), over TLS when given a
certificate and its key."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cheroot.ssl.builtin import BuiltinSSLAdapter
from cheroot.wsgi import Server
from fava.application import create_app

from ledger.serve.middleware import LOG_FILE, ChangeLog, Gatekeeper, UsersSource
from ledger.serve.private import PrivateFiles, refuse_private_files, sandbox_active_documents
from ledger.serve.users import USERS_FILE, User

if TYPE_CHECKING:  # pragma: no cover
    from wsgiref.types import WSGIApplication

    from flask import Flask

LOOPBACK_NAMES = frozenset({"localhost"})
THREADS = 16
QUEUE = 128


@dataclass(frozen=True)
class Settings:
    """What ``funds serve`` was asked for."""

    books: Path
    host: str
    port: int
    users: Path | None
    certfile: Path | None = None
    keyfile: Path | None = None

    @property
    def bind_host(self) -> str:
        return "127.0.0.1" if self.host == "localhost" else self.host

    @property
    def url(self) -> str:
        host = f"[{self.bind_host}]" if ":" in self.bind_host else self.bind_host
        return f"{'https' if self.certfile else 'http'}://{host}:{self.port}/"

    @property
    def log(self) -> Path:
        return self.books.parent / LOG_FILE


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only: ``localhost``, 127.x.x.x or ``::1``."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def books_files(fava: Flask, main: Path) -> list[Path]:
    """The books' main file and every file Fava's loaded books include."""
    return [main, *(Path(name) for ledger in fava.config["LEDGERS"].ledgers
                    for name in ledger.options["include"])]


ACCOUNT_ROOTS = ("name_assets", "name_liabilities", "name_equity", "name_income", "name_expenses")


def document_folders(fava: Flask) -> list[Path]:
    """Where Fava uploads, moves and deletes files: each root account's folder in the books'
    documents folders (``documents/Assets/...``), and the import folders."""
    folders: list[Path] = []
    for ledger in fava.config["LEDGERS"].ledgers:
        roots = [str(ledger.options[root]) for root in ACCOUNT_ROOTS]
        folders += [ledger.join_path(documents, root)
                    for documents in ledger.options["documents"] for root in roots]
        folders += [ledger.join_path(folder) for folder in ledger.fava_options.import_dirs]
    return folders


def load_fava(settings: Settings) -> Flask:
    """Fava with the books, loaded now (so the first visitor does not wait)."""
    return create_app([str(settings.books)], load=True)


def books_errors(fava: Flask) -> int:
    """How many errors Fava's loaded books have (Fava lists them on its Errors page)."""
    return sum(len(ledger.errors) for ledger in fava.config["LEDGERS"].ledgers)


def build_app(settings: Settings, fava: Flask | None = None) -> Gatekeeper:
    """Fava with the books (``fava``, else loaded now) behind the gatekeeper; Fava shows the
    books' own errors, as ``fava`` does."""
    fava = fava or load_fava(settings)
    refuse_private_files(fava, private_files(settings, Path(fava.root_path)))
    sandbox_active_documents(fava)
    log = ChangeLog(settings.log, lambda: books_files(fava, settings.books),
                    lambda: document_folders(fava))
    users = UsersSource(settings.users) if settings.users is not None else None
    application: WSGIApplication = fava
    return Gatekeeper(application, users=users, log=log)


def private_files(settings: Settings, fava_root: Path) -> PrivateFiles:
    """The users file (given, or the default one beside the books) and the change log; a
    relative name is read from the books' folder, the working folder or Fava's own."""
    paths = [settings.log, settings.books.parent / USERS_FILE]
    if settings.users is not None:
        paths.append(settings.users)
    return PrivateFiles(tuple(path.absolute() for path in paths),
                        (settings.books.parent, Path.cwd(), fava_root))


def log_problem(log: Path) -> str | None:
    """Why the change log cannot be appended to (in Chinese and English); None if it can."""
    if log.exists() and not log.is_file():
        return f"{log} 不是文件 / is not a file"
    if not os.access(log if log.exists() else log.parent, os.W_OK):
        return f"{log} 无写入权限 / cannot be written (permission denied)"
    return None


def tls_adapter(settings: Settings) -> BuiltinSSLAdapter | None:
    """cheroot's TLS for the settings' certificate and key (read now: ``OSError`` or
    ``ValueError`` if they are unusable); None without a certificate."""
    if settings.certfile is None or settings.keyfile is None:
        return None
    return BuiltinSSLAdapter(str(settings.certfile), str(settings.keyfile))


def make_server(settings: Settings, app: Gatekeeper,
                adapter: BuiltinSSLAdapter | None) -> Server:
    """cheroot's server for ``app``, over TLS with ``adapter``; bound by
    :meth:`Server.prepare`, run by :meth:`Server.serve`."""
    server = Server((settings.bind_host, settings.port), app, numthreads=THREADS,
                    request_queue_size=QUEUE, server_name="funds serve")
    server.ssl_adapter = adapter
    return server


def bound_port(server: Server) -> int:
    """The port ``server`` is bound to (the system's choice for port 0)."""
    address = server.bind_addr
    return int(address[1]) if isinstance(address, tuple) else 0


def start_lines(settings: Settings, users: dict[str, User] | None, errors: int = 0) -> list[str]:
    """What ``funds serve`` says when it starts: where, who, and how safely."""
    lines = [f"账簿 / books: {settings.books}",
             f"Fava 已启动 / Fava is served at {settings.url}"]
    if errors:
        lines.append(f"警告：账簿有 {errors} 处错误，见 Fava 的「错误」页 / warning: the books "
                     f"have {errors} errors; Fava's Errors page lists them")
    if users is None:
        lines += ["无用户文件：不要求登录，只在本机回环地址提供，能登录本机的人都可修改账簿 "
                  "/ no users file: no login; served on this machine's loopback address "
                  "only, where anyone logged in on this machine may change the books",
                  "  为办公室提供前先添加用户 / to serve the office, first add users: funds users "
                  "add 名字 --role 会计|审核|审计"]
    else:
        shown = "、".join(f"{user.name}（{user.role.name}）"
                         for user in sorted(users.values(), key=lambda user: user.name))
        lines.append(f"用户文件 / users file: {settings.users}（{len(users)} 个用户 / users"
                     f"{'：' + shown if shown else ''}）")
        if not users:
            lines.append("警告：用户文件中没有用户，谁也无法登录 / warning: the users file holds "
                         "no user; nobody can log in")
    lines.append(f"修改记录 / change log: {settings.log}")
    if settings.certfile is not None:
        lines.append(f"TLS：已启用 / TLS on: {settings.certfile}")
    elif users is not None:
        lines.append("警告：未启用 TLS，密码以明文在网络上传输；请用 --certfile/--keyfile，或在前面"
                     "加 HTTPS 反向代理 / warning: no TLS: passwords travel in clear; use "
                     "--certfile/--keyfile, or an HTTPS reverse proxy in front")
    lines.append("按 Ctrl+C 停止 / press Ctrl+C to stop")
    return lines
