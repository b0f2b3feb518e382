"""``MANIFEST.sha256`` of a month's export folder, and checking a folder against it.

The manifest lists every other file of the folder, sorted by its path from there, one line
each in the format of ``sha256sum``: ``<hex>  <path>``. Its own digest (``sha256:`` and the
sha256 of its bytes) is what the centre tells the city finance bureau; the bureau checks a
folder it received with :func:`verify_export` (``funds verify-export DIR``):

- every listed file is there with the listed sha256,
- no file is there that the manifest does not list,
- the manifest itself is readable, names no path outside the folder and no file twice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from reports.export_manifest import SHA256_MANIFEST, file_sha256

_HEX = re.compile(r"[0-9a-fA-F]{64}")


def _files_of(folder: Path) -> dict[str, Path]:
    """Every file under ``folder`` but its ``MANIFEST.sha256``, by its path from there."""
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file() and path.relative_to(folder).as_posix() != SHA256_MANIFEST}


def write_sha256_manifest(folder: Path) -> str:
    """Write ``folder/MANIFEST.sha256`` over every other file of ``folder``; its digest."""
    lines = [f"{file_sha256(path)}  {name}\n" for name, path in sorted(_files_of(folder).items())]
    text = "".join(lines).encode("utf-8")
    (folder / SHA256_MANIFEST).write_bytes(text)
    return "sha256:" + hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class ExportCheck:
    """What checking a month's folder against its ``MANIFEST.sha256`` found."""

    ok: bool
    digest: str  # the manifest's own digest, "sha256:<hex>"; "" without a manifest
    problems: list[str]
    found: bool = True  # False: no readable manifest in the folder (or no folder)
    files: list[str] = field(default_factory=list)  # the files the manifest lists


def verify_export(folder: Path) -> ExportCheck:
    """Check ``folder`` against its ``MANIFEST.sha256``."""
    path = folder / SHA256_MANIFEST
    if not folder.is_dir():
        return ExportCheck(False, "", [f"不是文件夹 / not a folder: {folder}"], found=False)
    if not path.is_file():
        return ExportCheck(False, "", [f"缺少 {SHA256_MANIFEST} / no {SHA256_MANIFEST} in "
                                       f"{folder}"], found=False)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return ExportCheck(False, "", [f"{SHA256_MANIFEST} 无法读取 / unreadable: {error}"],
                           found=False)
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    listed, problems = _read_lines(text)
    if not listed and not problems:
        problems.append(f"{SHA256_MANIFEST} 未列出任何文件 / the manifest lists no file")
    present = _files_of(folder)
    for name, expected in listed.items():
        if name not in present:
            problems.append(f"缺少 / missing: {name}")
        elif file_sha256(present[name]) != expected:
            problems.append(f"内容已改 / altered: {name}")
    problems += [f"清单外的文件 / not in the manifest: {name}" for name in present
                 if name not in listed]
    return ExportCheck(not problems, digest, problems, files=list(listed))


def _read_lines(text: str) -> tuple[dict[str, str], list[str]]:
    """The files a manifest lists with their sha256, and its unreadable lines."""
    listed: dict[str, str] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        hexdigest, separator, name = line.partition("  ")
        where = f"{SHA256_MANIFEST} 第 {number} 行 / line {number}"
        if not separator or not _HEX.fullmatch(hexdigest) or not name:
            problems.append(f"{where} 无法读取 / unreadable: {line[:80]}")
        elif not _inside(name):
            problems.append(f"{where} 指向文件夹之外 / names a path outside the folder: {name}")
        elif name in listed:
            problems.append(f"{where} 重复列出 / lists a file twice: {name}")
        else:
            listed[name] = hexdigest.lower()
    return listed, problems


def _inside(name: str) -> bool:
    """Whether a listed path stays inside the folder: relative, no ``..``, no backslash."""
    path = PurePosixPath(name)
    return (not path.is_absolute() and "\\" not in name and ".." not in path.parts
            and name == path.as_posix())


def manifest_digest(folder: Path) -> str:
    """The digest of ``folder/MANIFEST.sha256`` as written: ``sha256:`` and its sha256."""
    return "sha256:" + file_sha256(folder / SHA256_MANIFEST)


def digest_matches(given: str, digest: str) -> bool:
    """Whether a digest given by hand (with ``sha256:`` or without, any case) is ``digest``."""
    return "sha256:" + given.strip().lower().removeprefix("sha256:") == digest
