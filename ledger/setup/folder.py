"""Writing a new folder of files whole: all of them, or none.

The files go to a temporary folder beside the target first; the folder is then renamed into
place (when the target does not exist) or its files are linked into the empty target one by
one, and taken out again if one cannot be. Nothing is ever written over a file.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ledger.files import link_new, umask, write_new_file


class FolderNotEmpty(Exception):
    """The target folder already holds something: ``held`` names it (hidden names too)."""

    def __init__(self, folder: Path, held: list[str]) -> None:
        self.folder = folder
        self.held = held
        super().__init__(f"{folder}: {', '.join(held)}")


def held_names(folder: Path) -> list[str]:
    """What a folder holds, hidden files included, by name; nothing if it does not exist."""
    if not folder.exists():
        return []
    return sorted(entry.name for entry in folder.iterdir())


def write_new_folder(folder: Path, texts: Mapping[str, str]) -> None:
    """Write each text under its relative name into ``folder``, which must not exist or be
    empty (:class:`FolderNotEmpty` otherwise, ``NotADirectoryError`` for a file); on any
    failure no file is left in ``folder``."""
    folder = folder.absolute()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(str(folder))
    held = held_names(folder)
    if held:
        raise FolderNotEmpty(folder, held)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.new-"))
    try:
        for name, text in texts.items():
            write_new_file(staging / name, text)
        if folder.exists():
            _move_into(staging, folder)
        else:
            staging.chmod(0o777 & ~umask())
            staging.rename(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _move_into(staging: Path, folder: Path) -> None:
    """Each top-level file or folder of ``staging`` into the empty ``folder``; if one
    cannot go, those already moved are taken out again."""
    moved: list[Path] = []
    try:
        for source in sorted(staging.iterdir()):
            target = folder / source.name
            _move_new(source, target)
            moved.append(target)
    except BaseException:
        for target in moved:
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        raise


def _move_new(source: Path, target: Path) -> None:
    """Move ``source`` to ``target``, never over anything there."""
    if source.is_dir():
        if target.exists():
            raise FileExistsError(str(target))
        source.chmod(0o777 & ~umask())
        source.rename(target)
        return
    link_new(source, target)
