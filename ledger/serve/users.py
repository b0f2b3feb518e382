"""The users file of ``funds serve``: each user's name, role and password hash, never a password.

The file is TOML, written by :func:`write_users` and read by :func:`read_users`::

    [users."张会计"]
    role = "会计"
    hash = "scrypt$16384$8$1$<salt>$<digest>"

The hash is scrypt (memory-hard, from :mod:`hashlib`) with a random 16-byte salt; its
parameters are kept with it, so a later, costlier setting still reads the old hashes. Roles:
``会计`` (accountant) may change the books through Fava; ``审核`` (reviewer: 会计主管, 出纳) and
``审计`` (auditor, evaluator) read only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ledger.files import replace_file

USERS_FILE = "users.toml"


@dataclass(frozen=True)
class Role:
    """A role: its Chinese name, its English one and whether it may change the books."""

    name: str
    english: str
    writes: bool

    @property
    def label(self) -> str:
        return f"{self.name} / {self.english}"


ROLES: dict[str, Role] = {role.name: role for role in (
    Role("会计", "accountant", writes=True),
    Role("审核", "reviewer", writes=False),
    Role("审计", "auditor", writes=False),
)}

# A name: letters (Chinese included), digits, and . _ - · inside; no colon (HTTP Basic
# credentials are name:password), no space, no quote.
NAME = re.compile(r"[^\W_](?:[\w.·-]{0,30}[^\W_])?")
SCHEME = "scrypt"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
SALT_BYTES, DIGEST_BYTES = 16, 32
MAX_MEMORY = 64 * 1024 * 1024
MIN_PASSWORD = 8
HASH_LINE = re.compile(rb"^\s*hash\s*=\s*[\"']scrypt\$", re.MULTILINE)
SNIFFED_BYTES = 64 * 1024


class UsersFileError(Exception):
    """A users file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    password_hash: str


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a user's name, in Chinese and English; None if it can."""
    if NAME.fullmatch(name) is None:
        return (f"用户名不合规：{name!r}，应为 1–32 个汉字、字母或数字（中间可有 . _ - ·），不含"
                f"空格和冒号 / not a user name: {name!r}; use 1-32 letters (Chinese too) or "
                "digits, with . _ - · only inside, no space or colon")
    return None


def password_problem(password: str) -> str | None:
    """Why ``password`` is refused, in Chinese and English; None if it is accepted."""
    if len(password) < MIN_PASSWORD:
        return (f"密码太短：至少 {MIN_PASSWORD} 个字符 / the password is too short: at least "
                f"{MIN_PASSWORD} characters")
    if password != password.strip() or any(ord(char) < 32 for char in password):
        return ("密码首尾不能有空格，也不能含控制字符 / the password may not begin or end with a "
                "space, nor hold control characters")
    return None


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$digest`` (salt and digest in base64) for ``password``."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join([SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt),
                     _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (compared in constant time)."""
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != SCHEME:
        return False
    expected = base64.b64decode(digest)
    found = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    return hmac.compare_digest(found, expected)


def holds_password_hashes(path: Path) -> bool:
    """Whether ``path`` is a regular file whose beginning holds a users file's password hash
    (a users file under any name)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as file:
            start = file.read(SNIFFED_BYTES)
    except (OSError, ValueError):
        return False
    return HASH_LINE.search(start) is not None


@cache
def dummy_hash() -> str:
    """A hash no password is known for: checked for an unknown name, so that the time a
    refusal takes does not tell whether the name exists."""
    return hash_password(secrets.token_urlsafe(16))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int,
            length: int = DIGEST_BYTES) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=MAX_MEMORY, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _hash_problem(stored: object) -> str | None:
    if not isinstance(stored, str):
        return "hash 应为字符串 / hash must be a string"
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME or not all(part.isdigit() for part in parts[1:4]):
        return f"hash 不是 {SCHEME}$n$r$p$salt$digest / hash is not {SCHEME}$n$r$p$salt$digest"
    n, r, p = (int(part) for part in parts[1:4])
    if n < 2 or n & (n - 1) or not r or not p or 128 * n * r > MAX_MEMORY:
        return "hash 的 scrypt 参数不可用 / the hash's scrypt parameters are unusable"
    try:
        base64.b64decode(parts[4], validate=True)
        if not base64.b64decode(parts[5], validate=True):
            raise ValueError(parts[5])
    except ValueError:
        return "hash 的 salt 或摘要不是 base64 / the hash's salt or digest is not base64"
    return None


def read_users(path: Path) -> dict[str, User]:
    """The users of ``path`` by name; :class:`UsersFileError` naming the file and line if the
    file is no users file (bad TOML, an unknown role, a hash that is not scrypt's)."""
    try:
        text = path.read_text("utf-8-sig")  # Notepad writes a byte-order mark
    except UnicodeDecodeError as error:
        raise UsersFileError(f"{path}: 不是 UTF-8 文本 / not UTF-8 text ({error})") from None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsersFileError(f"{path}:{_error_line(str(error))}: 不是有效的 TOML / not valid "
                             f"TOML: {error}") from None
    table = parsed.get("users", {})
    extra = sorted(set(parsed) - {"users"})
    if extra or not isinstance(table, dict):
        key = extra[0] if extra else "users"
        raise UsersFileError(f"{path}:{_key_line(text, key)}: 只能有 [users.\"名字\"] 表 / only "
                             f"[users.\"NAME\"] tables belong here, not {key!r}")
    return {name: _user(path, text, name, entry) for name, entry in table.items()}


def _user(path: Path, text: str, name: str, entry: object) -> User:
    table = _key_line(text, name)
    where = f"{path}:{table}"
    problem = name_problem(name)
    if problem is not None:
        raise UsersFileError(f"{where}: {problem}")
    if not isinstance(entry, dict) or set(entry) != {"role", "hash"}:
        raise UsersFileError(f"{where}: 用户 {name} 应有且只有 role 与 hash 两项 / user {name} "
                             "must have exactly a role and a hash")
    role = ROLES.get(entry["role"]) if isinstance(entry["role"], str) else None
    if role is None:
        raise UsersFileError(f"{path}:{_key_line(text, 'role', table)}: 用户 {name} 的角色 "
                             f"{entry['role']!r} 不存在，应为 {'、'.join(ROLES)} / unknown role "
                             f"for {name}")
    problem = _hash_problem(entry["hash"])
    if problem is not None:
        raise UsersFileError(f"{path}:{_key_line(text, 'hash', table)}: 用户 {name}：{problem}")
    return User(name, role, entry["hash"])


def _error_line(message: str) -> str:
    found = re.search(r"line (\d+)", message)
    return found.group(1) if found else "1"


def _key_line(text: str, key: str, after: int = 0) -> int:
    """The line of the table or key named ``key`` (its first mention after line ``after``),
    else ``after`` (or 1)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and key in line and not line.lstrip().startswith("#"):
            return number
    return after or 1


def write_users(path: Path, users: Mapping[str, User]) -> None:
    """Write ``users`` to ``path`` atomically (a reader sees the old file or the new one),
    readable by its owner only from the start."""
    lines = ["# funds serve 的用户：名字、角色（会计 / 审核 / 审计）与密码的 scrypt 哈希，",
             "# 不存密码；用 funds users add / remove 修改。",
             "# The users of funds serve: name, role and a scrypt hash of the password, never",
             "# the password. Change them with funds users add / remove.",
             ""]
    for user in sorted(users.values(), key=lambda user: user.name):
        lines += [f"[users.{_toml_string(user.name)}]",
                  f"role = {_toml_string(user.role.name)}",
                  f"hash = {_toml_string(user.password_hash)}", ""]
    replace_file(path, "\n".join(lines).encode("utf-8"), private=True)


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda found: f"\\u{ord(found.group()):04x}",
                        escaped) + '"'

