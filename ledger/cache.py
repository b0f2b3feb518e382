"""A cache of what ``check-funds`` reports, so a second check of unchanged books is instant.

After a check of books that load cleanly, the findings and the fund figures are kept in
``$EARMARK_CACHE_DIR`` (default ``$XDG_CACHE_HOME/earmark-ledger``, else
``~/.cache/earmark-ledger``), one file per path of the books' main file, with a key over

- the sha256 of every file the books include, and the names of every file and folder under the
  folders that hold them (so an edit anywhere, the policy included, or a file added where an
  ``include`` pattern would take it, changes it),
- the sha256 of the project's own code (``ledger/**/*.py``: the rules and the model), of the
  source of every other plugin the books declare, and the Python and Beancount versions.

A cache whose key no longer matches is never used; one that cannot be read is ignored. The
findings depend on the day of the check too (``future-date`` names it, and ``allocation-late``
judges a due date once it has come): a cache made on another day is used only if that day is
not later than today, the books had no entry dated after it, and no allocation falls due
between the two (so books without future entries keep their cache from day to day). A check
during which a file or folder of the books changed (its modification or status-change time is
later than the load's start) is not kept. The books are never written to: the cache lives
outside them and is replaced atomically.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import os
import pickle
import platform
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import beancount

from ledger.model.findings import Finding
from ledger.model.summary import FundSummary
from ledger.rules import dates

FUTURE_DATE = "future-date"

CODE_ROOT = Path(__file__).parent
FORMAT = 4  # of the cache file; a cache of another format is not read


@dataclass
class CachedCheck:
    """What a check found, and the figures it showed, keyed by the state of books and code."""

    key: str
    files: list[str]
    plugins: list[str]
    findings: list[Finding]
    fund_names: dict[str, str]
    figures: dict[datetime.date | None, list[FundSummary]] = field(default_factory=dict)
    as_of: dict[datetime.date | None, datetime.date] = field(default_factory=dict)
    due_dates: list[datetime.date] = field(default_factory=list)  # the allocations'
    format: int = FORMAT
    # made after the check, so never earlier than the day the check judged dates by
    checked_on: datetime.date = field(default_factory=lambda: dates.today())

    def holds_on(self, day: datetime.date) -> bool:
        """Whether a check on ``day`` would find the same: the same day, or a later one when
        the books have no entry dated in the future (a ``future-date`` finding names the day
        of the check) and no allocation falls due in between (judged once it has come)."""
        if day <= self.checked_on:
            return day == self.checked_on
        return (not any(finding.rule == FUTURE_DATE for finding in self.findings)
                and not any(self.checked_on < due <= day for due in self.due_dates))


def cache_dir() -> Path:
    configured = os.environ.get("EARMARK_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "earmark-ledger"


def cache_path(books: Path) -> Path:
    """The cache file of the books whose main file is ``books``."""
    name = hashlib.sha256(str(books.absolute()).encode()).hexdigest()[:24]
    return cache_dir() / f"{name}.pickle"


def code_digest() -> str:
    """The project's rules and model as they are now, with the Python and Beancount versions."""
    digest = hashlib.sha256(f"{FORMAT} {platform.python_version()} "
                            f"{beancount.__version__}".encode())
    for source in sorted(CODE_ROOT.rglob("*.py")):
        digest.update(str(source.relative_to(CODE_ROOT)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def books_key(files: list[str], plugins: list[str]) -> str | None:
    """The key of the books made of ``files`` and checked by the code of ``plugins`` (source
    files of plugins other than the project's): their contents, everything under the books'
    folders (a new file an ``include`` pattern would take), and the code; None if a file is
    gone."""
    digest = hashlib.sha256(code_digest().encode())
    try:
        for name in sorted(files) + sorted(plugins):
            digest.update(name.encode())
            digest.update(hashlib.sha256(Path(name).read_bytes()).digest())
        for folder in _folders(files):
            digest.update("\0".join(_listing(folder)).encode())
    except OSError:
        return None
    return digest.hexdigest()


def _folders(files: list[str]) -> list[Path]:
    return sorted({Path(name).parent for name in files})


def _listing(folder: Path) -> list[str]:
    """Every file and folder under ``folder`` (hidden ones aside), by relative path."""
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found += [str(Path(root, name).relative_to(folder)) for name in (*folders, *names)]
    return sorted(found)


def plugin_sources(options_map: dict[str, object]) -> list[str]:
    """The source files of the plugins the books declare, but the project's own and
    Beancount's (the code digest and Beancount's version cover those)."""
    declared = options_map.get("plugin")
    sources = []
    for name, _ in declared if isinstance(declared, list) else []:
        if str(name).startswith(("ledger.", "beancount.")):
            continue
        spec = importlib.util.find_spec(str(name))
        if spec is not None and spec.origin and Path(spec.origin).is_file():
            origin = Path(spec.origin)
            package = spec.submodule_search_locations is not None
            sources += [str(path) for path in sorted(origin.parent.rglob("*.py"))] \
                if package else [str(origin)]
    return sources


def read_cached(books: Path) -> CachedCheck | None:
    """The cached check of ``books``, if there is one and books and code are unchanged."""
    try:
        with cache_path(books).open("rb") as file:
            cached = pickle.load(file)
    except Exception:  # no cache, or one of another version: check afresh
        return None
    try:
        fresh = isinstance(cached, CachedCheck) and cached.format == FORMAT and (
            cached.holds_on(dates.today())
            and books_key(cached.files, cached.plugins) == cached.key)
    except AttributeError:  # a cache written by an older release
        return None
    return cached if fresh else None


def write_cached(books: Path, cached: CachedCheck) -> None:
    """Keep ``cached`` for the next check, replacing the old cache file atomically. A cache
    that cannot be written is no error: the next check loads the books again."""
    folder = cache_dir()
    temporary: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".check-")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            pickle.dump(cached, file, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(cache_path(books))
        temporary = None
    except Exception:  # no room, no rights, something that does not pickle: check afresh
        return
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def unchanged_since(files: list[str], started_ns: int) -> bool:
    """Whether no file of the books, nor a folder holding them, was modified or replaced after
    ``started_ns`` (the load's start, ``time.time_ns()``): such a change would make the cache
    stale. The status-change time counts too, since a file moved or copied into place keeps an
    old modification time."""
    paths = [Path(name) for name in files] + _folders(files)
    try:
        return all(max((status := path.stat()).st_mtime_ns, status.st_ctime_ns) < started_ns
                   for path in paths)
    except OSError:
        return False


def included_files(options_map: dict[str, object]) -> list[str]:
    """Every file the books read, from the loader's options."""
    included = options_map.get("include")
    return [str(name) for name in included] if isinstance(included, list) else []

