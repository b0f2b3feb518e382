"""``funds users add | remove | list``: the users of ``funds serve`` and their roles.

The users file is ``users.toml`` beside the books' main file unless ``--users FILE`` names
another; it keeps each name, role and a scrypt hash of the password, never the password (see
:mod:`ledger.serve.users`).

Exit codes: 0 done; 1 refused (a name already there or not there, a bad name or password),
nothing written; 2 bad usage, no books named, or a users file that cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ledger.cli.books import EXIT_USAGE, books_for, ledger_option, refuse
from ledger.cli.check import use_utf8_stdout
from ledger.serve.users import (
    ROLES,
    USERS_FILE,
    User,
    UsersFileError,
    hash_password,
    name_problem,
    password_problem,
    read_users,
    write_users,
)

ROLE_NAMES = {**{role.name: role.name for role in ROLES.values()},
              **{role.english: role.name for role in ROLES.values()}}
HOW = "--ledger 账簿.beancount"
ROLES_HELP = ("角色 / role: 会计 (accountant: 可修改账簿 / may change the books), 审核 (reviewer: "
              "会计主管、出纳，只读 / read only), 审计 (auditor, evaluator: 只读 / read only).")


def users_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option("--users", "users_file", type=click.Path(dir_okay=False, path_type=Path),
                        help=f"用户文件（默认：账簿主文件旁的 {USERS_FILE}） / the users file "
                             f"(default: {USERS_FILE} beside the books' main file).")(function)


def users_path(users_file: Path | None, books: Path | None, *, writes: bool) -> Path:
    """The users file: the one given, else ``users.toml`` beside the books."""
    if users_file is not None:
        return users_file
    return books_for(books, writes=writes, how=HOW, err=True).absolute().parent / USERS_FILE


def load_users(path: Path) -> dict[str, User]:
    """The users of ``path`` (none if it does not exist yet); exit 2 naming the line if it
    is malformed."""
    if not path.exists():
        return {}
    try:
        return read_users(path)
    except UsersFileError as error:
        refuse([f"用户文件有误 / the users file is malformed: {error}"], EXIT_USAGE)


def save_users(path: Path, users: dict[str, User]) -> None:
    try:
        write_users(path, users)
    except OSError as error:
        refuse([f"无法写入用户文件 / cannot write the users file {path}: {error.strerror}"],
               EXIT_USAGE)


@click.group("users")
def users() -> None:
    """管理 funds serve 的用户 / manage the users of funds serve."""


@users.command("add", epilog=ROLES_HELP)
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(sorted(ROLE_NAMES)),
              help="会计、审核或审计 / 会计 (accountant), 审核 (reviewer) or 审计 (auditor).")
@users_option
@ledger_option(writes=True)
@click.option("--password-stdin", is_flag=True,
              help="从标准输入读密码（一行） / read the password from standard input (one line).")
def add(name: str, role: str, users_file: Path | None, books: Path | None,
        password_stdin: bool) -> None:
    """添加用户 NAME，设定角色与密码 / add user NAME with a role and a password."""
    use_utf8_stdout()
    problem = name_problem(name)
    if problem is not None:
        refuse([problem])
    path = users_path(users_file, books, writes=True)
    known = load_users(path)
    if name in known:
        refuse([f"用户 {name} 已存在（{known[name].role.name}）；要改角色或密码，先 funds users "
                f"remove {name} / user {name} already exists; remove it first to change its "
                "role or password"])
    password = _read_password(password_stdin)
    problem = password_problem(password)
    if problem is not None:
        refuse([problem])
    user = User(name, ROLES[ROLE_NAMES[role]], hash_password(password))
    save_users(path, {**known, name: user})
    click.echo(f"已添加用户 / added: {name}（{user.role.label}） → {path}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = click.prompt("密码 / password", hide_input=True,
                                 confirmation_prompt="再输一次 / again", err=True)
    return password


@users.command("remove")
@click.argument("name")
@users_option
@ledger_option(writes=True)
def remove(name: str, users_file: Path | None, books: Path | None) -> None:
    """删除用户 NAME / remove user NAME."""
    use_utf8_stdout()
    path = users_path(users_file, books, writes=True)
    if not path.exists():
        refuse([f"用户文件不存在 / no users file: {path}"])
    known = load_users(path)
    if name not in known:
        refuse([f"没有用户 {name} / no user {name} in {path}"])
    save_users(path, {other: user for other, user in known.items() if other != name})
    click.echo(f"已删除用户 / removed: {name} → {path}")


@users.command("list")
@users_option
@ledger_option(writes=False)
def list_users(users_file: Path | None, books: Path | None) -> None:
    """列出用户与角色（不显示密码哈希） / list the users and their roles (never the hashes)."""
    use_utf8_stdout()
    path = users_path(users_file, books, writes=False)
    if not path.exists():
        click.echo(f"用户文件不存在，尚无用户 / no users file yet: {path}")
        return
    known = load_users(path)
    click.echo(f"用户文件 / users file: {path}（{len(known)} 个用户 / users）")
    for user in sorted(known.values(), key=lambda user: (user.role.name, user.name)):
        click.echo(f"  {user.name}\t{user.role.label}")
