"""The month folders among the exports the bureau received: every folder, found recursively
under the folders and zip files given, that holds an ``export.json``.

A zip is unpacked into a scratch folder first (a member naming a path outside it is refused);
each month folder is then checked against its manifest and its ``export.json`` read.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from reports.export_check import verify_export

EXPORT_JSON = "export.json"
MAX_UNPACKED_BYTES = 512 * 2**20


@dataclass(frozen=True)
class Received:
    """One month folder as received: where it came from, its manifest's digest, whether it
    verifies (and if not, why), and its ``export.json`` when that could be read."""

    source: str
    digest: str | None
    problems: list[str]
    export: dict[str, Any] | None

    @property
    def verified(self) -> bool:
        return not self.problems and self.export is not None

    @property
    def unit(self) -> str | None:
        unit = self.export.get("unit") if self.export else None
        return unit if isinstance(unit, str) and unit.strip() else None

    @property
    def month(self) -> str | None:
        month = self.export.get("month") if self.export else None
        return month if isinstance(month, str) else None


class UnreadableExports(Exception):
    """An EXPORTS argument that is neither a folder nor a readable zip."""


def unpack(archive: Path, scratch: Path) -> Path:
    """Unpack ``archive`` into a new folder under ``scratch``; ``UnreadableExports`` for a
    damaged zip, a member outside the folder, or one too large."""
    target = Path(tempfile.mkdtemp(dir=scratch, prefix=f"{archive.stem}-"))
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = bundle.infolist()
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise UnreadableExports(f"{archive}：解压后过大 / too large once unpacked")
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise UnreadableExports(f"{archive}：成员路径越界 {member.filename} / a "
                                            "member's path leaves the folder")
            bundle.extractall(target)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableExports(f"{archive}：不是可读的 zip 文件 / not a readable zip "
                                f"({error})") from None
    return target


def month_folders(paths: list[Path], scratch: Path) -> list[tuple[str, Path]]:
    """Every folder holding an ``export.json`` under ``paths``, with the name to show for it
    (its path as given, or the zip's path and the member folder), in a stable order."""
    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_dir():
            root, shown = path, str(path)
        elif zipfile.is_zipfile(path):
            root, shown = unpack(path, scratch), f"{path}!"
        else:
            raise UnreadableExports(f"{path}：既不是文件夹也不是 zip 文件 / neither a folder "
                                    "nor a zip file")
        for export in sorted(root.rglob(EXPORT_JSON)):
            relative = export.parent.relative_to(root).as_posix()
            label = shown if relative == "." else (f"{shown}{relative}" if shown.endswith("!")
                                                    else str(path / relative))
            found.append((label, export.parent))
    return found


def read_folder(source: str, folder: Path) -> Received:
    """The month folder checked against its manifest, with its ``export.json``."""
    check = verify_export(folder)
    problems = list(check.problems)
    export: dict[str, Any] | None = None
    try:
        loaded = json.loads((folder / EXPORT_JSON).read_text("utf-8"))
        if isinstance(loaded, dict):
            export = loaded
        else:
            problems.append(f"{EXPORT_JSON} 不是对象 / not a JSON object")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        problems.append(f"{EXPORT_JSON} 无法读取 / cannot be read: {error}")
    return Received(source, check.digest or None, problems, export)


def collect(paths: list[Path], scratch: Path) -> list[Received]:
    """Every month folder under ``paths`` (zips unpacked under ``scratch``), checked."""
    return [read_folder(source, folder) for source, folder in month_folders(paths, scratch)]
