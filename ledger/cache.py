"""A cache of what ``check-funds`` reports, so a second check of unchanged books is instant.

After a check of books that load cleanly, the findings and the fund figures are kept in
``$EARMARK_CACHE_DIR`` (default ``$XDG_CACHE_HOME/earmark-ledger``, else
``~/.cache/earmark-ledger``), one file per books, with a key over

- the sha256 of every file the books include (so an edit anywhere, the policy included, or a
  file added to or removed from the books' folders, changes it),
- the sha256 of the project's own code (``ledger/**/*.py``: the rules and the model), and the
  versions of Python and Beancount.

A cache whose key no longer matches is never used; one that cannot be read is ignored. The books
are never written to: the cache lives outside them and is replaced atomically.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import pickle
import platform
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import beancount

from ledger.model.findings import Finding
from ledger.model.summary import FundSummary

CODE_ROOT = Path(__file__).parent
FORMAT = 1


@dataclass
class CachedCheck:
    """What a check found, and the figures it showed, keyed by the state of books and code."""

    key: str
    files: list[str]
    findings: list[Finding]
    fund_names: dict[str, str]
    figures: dict[datetime.date | None, list[FundSummary]] = field(default_factory=dict)


def cache_dir() -> Path:
    configured = os.environ.get("EARMARK_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "earmark-ledger"


def cache_path(books: Path) -> Path:
    """The cache file of the books whose main file is ``books``."""
    name = hashlib.sha256(str(books.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"{name}.pickle"


def code_digest() -> str:
    """The project's rules and model as they are now, with the Python and Beancount versions."""
    digest = hashlib.sha256(f"{FORMAT} {platform.python_version()} "
                            f"{beancount.__version__}".encode())
    for source in sorted(CODE_ROOT.rglob("*.py")):
        digest.update(str(source.relative_to(CODE_ROOT)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def books_key(files: list[str]) -> str | None:
    """The key of the books made of ``files``: their contents, the listings of their folders
    (a new file an ``include`` pattern would take), and the code; None if a file is gone."""
    digest = hashlib.sha256(code_digest().encode())
    try:
        for name in sorted(files):
            digest.update(name.encode())
            digest.update(hashlib.sha256(Path(name).read_bytes()).digest())
        for folder in sorted({str(Path(name).parent) for name in files}):
            digest.update("\0".join(sorted(entry.name for entry in Path(folder).iterdir()))
                          .encode())
    except OSError:
        return None
    return digest.hexdigest()


def read_cached(books: Path) -> CachedCheck | None:
    """The cached check of ``books``, if there is one and books and code are unchanged."""
    try:
        with cache_path(books).open("rb") as file:
            cached = pickle.load(file)
    except Exception:  # no cache, or one of another version: check afresh
        return None
    if not isinstance(cached, CachedCheck) or books_key(cached.files) != cached.key:
        return None
    return cached


def write_cached(books: Path, cached: CachedCheck) -> None:
    """Keep ``cached`` for the next check, replacing the old cache file atomically. A cache
    that cannot be written is no error: the next check loads the books again."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".check-")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(cached, file, protocol=pickle.HIGHEST_PROTOCOL)
        Path(temporary).replace(cache_path(books))
    except OSError:
        return


def unchanged_since(files: list[str], started: float) -> bool:
    """Whether no file was modified after ``started`` (the load's start, ``time.time()``): a
    file edited during the load would make the cache stale."""
    try:
        return all(Path(name).stat().st_mtime <= started for name in files)
    except OSError:
        return False


def included_files(options_map: dict[str, object]) -> list[str]:
    """Every file the books read, from the loader's options."""
    included = options_map.get("include")
    return [str(name) for name in included] if isinstance(included, list) else []

