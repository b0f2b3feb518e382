"""A month folder's ``MANIFEST.sha256``, checked: the stand-in for ``reports.export_check``.

The manifest lists every other file of the folder as ``<sha256>  <relative path>``; the
folder verifies when every file is listed, present and unaltered, and no other file is there.
Its digest is ``sha256:`` and the sha256 of the manifest itself, the one the centre sends.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "MANIFEST.sha256"


@dataclass(frozen=True)
class ExportCheck:
    """Whether a month folder matches its manifest, the manifest's digest, and what differs."""

    ok: bool
    digest: str | None
    problems: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _listed(text: str) -> dict[str, str] | None:
    listed: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        hexdigest, separator, name = line.partition("  ")
        if not separator or len(hexdigest) != 64 or not name:
            return None
        listed[name.removeprefix("*")] = hexdigest.lower()
    return listed


def verify_export(folder: Path) -> ExportCheck:
    """Check ``folder`` against its ``MANIFEST.sha256``."""
    manifest = folder / MANIFEST
    try:
        raw = manifest.read_bytes()
    except OSError:
        return ExportCheck(False, None, [f"缺少 {MANIFEST} / no {MANIFEST}"])
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    listed = _listed(raw.decode("utf-8", errors="replace"))
    if listed is None:
        return ExportCheck(False, digest, [f"{MANIFEST} 格式错误 / malformed {MANIFEST}"])
    present = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*")
               if path.is_file() and path != manifest}
    problems = [f"缺少文件 / missing: {name}" for name in sorted(set(listed) - set(present))]
    problems += [f"清单未列的文件 / not listed: {name}"
                 for name in sorted(set(present) - set(listed))]
    problems += [f"文件已被改动 / altered: {name}" for name in sorted(set(listed) & set(present))
                 if _sha256(present[name]) != listed[name]]
    return ExportCheck(not problems, digest, problems)
