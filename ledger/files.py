"""Writing files the way the books deserve: whole or not at all, never over the user's work."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
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
        Path(temporary).chmod(0o666 & ~_umask())
        _link_new(Path(temporary), path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``path`` atomically, replacing any file there: a reader sees the old file or the
    whole new one. Only for files the project owns (seal texts, packs), never the books."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).chmod(0o666 & ~_umask())
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


def _link_new(temporary: Path, path: Path) -> None:
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
        temporary.chmod(0o777 & ~_umask())
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


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
