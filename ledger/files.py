"""Writing files the way the books deserve: whole or not at all, never over the user's work."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


def write_new_file(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` atomically; ``FileExistsError`` if it already exists.

    The text goes to a temporary file beside ``path`` first, which is then linked into place:
    a reader sees either no file or the whole of it, and an existing file is never replaced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).chmod(0o666 & ~umask())
        link_new(Path(temporary), path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def replace_file(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``path`` atomically, replacing any file there: a reader sees the old file or the
    whole new one. Only for files the project owns (seal texts, packs), never the books.
    ``private``: the file stays its owner's only (``mkstemp``'s 0600), never readable by others,
    even for a moment (the users file's password hashes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if not private:
            Path(temporary).chmod(0o666 & ~umask())
        Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def append_to_books(path: Path, text: str) -> None:
    """Append ``text`` to a file of the books, on a line of its own; nothing before it is
    touched. If the write fails part way, the file is cut back to its old end."""
    with path.open("rb+") as file:
        size = file.seek(0, os.SEEK_END)
        if size:
            file.seek(size - 1)
            if file.read(1) != b"\n":
                text = "\n" + text
        try:
            file.write(text.encode("utf-8"))
            file.flush()
            os.fsync(file.fileno())
        except BaseException:
            file.truncate(size)
            raise


def link_new(temporary: Path, path: Path) -> None:
    """Put the finished file in place, never over an existing one."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (FAT, some network shares)
        if path.exists():
            raise FileExistsError(path) from None
        temporary.rename(path)


def unused_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``folder/stem-2.suffix`` and so on if that exists."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def replace_directory(final: Path, build: Callable[[Path], None]) -> None:
    """Build a directory in a temporary place beside ``final``, then put it in place of any
    old one by two renames: readers see the old directory or the complete new one, never a
    part of either; if the second rename fails, the old one is put back."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.new-"))
    try:
        build(temporary)
        temporary.chmod(0o777 & ~umask())
        if final.exists():
            old = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.old-"))
            old.rmdir()
            final.rename(old)
            try:
                temporary.rename(final)
            except BaseException:
                old.rename(final)  # put the old one back whole
                raise
            shutil.rmtree(old)
        else:
            temporary.rename(final)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)


def umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def path_from_books(filename: str, folder: Path) -> str:
    """A file of the books named by its path from the books' folder (``2012.beancount``,
    ``../shared/accounts.beancount``), so that what is written names no folder of this machine.
    A name that is no absolute path (``<string>``, a path already relative) is kept as it is."""
    if not Path(filename).is_absolute():
        return filename
    try:
        relative = os.path.relpath(filename, folder)
    except ValueError:  # another drive, on Windows: no relative path exists
        return filename
    return Path(relative).as_posix()


INBOX = "inbox"  # where funds import writes what waits for review
SKIPPED_FOLDERS = frozenset({INBOX, "seals", "venv", "node_modules", "__pycache__"})
MAX_DEPTH = 8
MAX_FOLDERS = 5000
OTHER_BOOKS = "main.beancount"  # a sub-folder with its own main file holds other books


def waiting_imports(main: Path, included: Iterable[str]) -> list[str]:
    """The ``.beancount`` files ``funds import`` wrote to ``inbox/`` beside the main file that
    the books do not include yet (waiting for review), by their path from the books' folder."""
    inbox = main.absolute().parent / INBOX
    if not inbox.is_dir():
        return []
    read = {os.path.realpath(name) for name in included}
    return sorted(f"{INBOX}/{path.name}" for path in inbox.glob("*.beancount")
                  if os.path.realpath(path) not in read)


@dataclass(frozen=True)
class UnincludedFiles:
    """The ``.beancount`` files in the books' folder tree that the books do not include, by
    their path from the books' folder; ``complete`` is False when the walk stopped at its
    bounds (too deep, or too many folders)."""

    paths: list[str]
    complete: bool = True


def unincluded_files(main: Path, included: Iterable[str]) -> UnincludedFiles:
    """The ``.beancount`` files under the main file's folder that no ``include`` reads.

    Hidden folders, ``inbox``, ``seals``, virtualenvs and the like are not looked into, nor a
    sub-folder holding a ``main.beancount`` of its own (other books, not a forgotten part); links
    to folders are not followed (so a link loop ends nothing), and the walk reads at most
    ``MAX_FOLDERS`` folders, ``MAX_DEPTH`` deep: books kept in a vast folder still answer at
    once, saying the look was partial."""
    root = main.absolute().parent
    read = {os.path.realpath(name) for name in [*included, str(main)]}
    found: list[str] = []
    complete = True
    for walked, (folder, subfolders, files) in enumerate(os.walk(root)):
        if walked == MAX_FOLDERS:
            complete = False
            break
        depth = len(Path(folder).relative_to(root).parts)
        if depth and OTHER_BOOKS in files:  # a folder of other books, with their own main file
            subfolders[:] = []
            continue
        kept = [name for name in subfolders if not _skipped(name)]
        if depth >= MAX_DEPTH and kept:
            complete = False
            kept = []
        subfolders[:] = sorted(kept)
        found += [(Path(folder) / name).relative_to(root).as_posix()
                  for name in files if name.endswith(".beancount") and not name.startswith(".")
                  and os.path.realpath(Path(folder) / name) not in read]
    return UnincludedFiles(sorted(found), complete)


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_FOLDERS or name.endswith(".egg-info")
