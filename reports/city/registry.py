"""The centres the bureau expects: ``centres.csv`` (or .xlsx), read in any usual encoding.

Layout: a header row, then one row per centre::

    单位名称,区,2012-10,2012-11
    榕城区社工服务中心,榕城区,sha256:3f5a…,
    普宁市社工服务中心,普宁市,,

``单位名称`` (the export's 单位, the books' title) and ``区`` are required; every other column
whose header is a month ``YYYY-MM`` holds the manifest digest the centre sent separately for
that month (``sha256:`` and 64 hex digits, or the hex alone; blank: none registered). Other
columns are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from importers.errors import InputError
from importers.tables import column_letter, read_table

NAME, DISTRICT = "单位名称", "区"
UNREGISTERED = "未登记"
_MONTH_HEADER = re.compile(r"\d{4}-\d{2}")
_DIGEST = re.compile(r"(?:sha256:)?([0-9a-fA-F]{64})")


@dataclass(frozen=True)
class Centre:
    """One expected centre: its name, its district, and its registered digests by month."""

    name: str
    district: str
    digests: dict[str, str] = field(default_factory=dict)


def read_registry(path: Path) -> dict[str, Centre]:
    """The registry's centres by name; ``InputError`` naming the row and column of a bad cell."""
    rows = [[cell.text.strip() for cell in row] for row in read_table(path).rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise InputError(path, "登记表为空 / the registry is empty")
    header = rows[0]
    missing = [name for name in (NAME, DISTRICT) if name not in header]
    if missing:
        raise InputError(path, f"表头缺少列 {'、'.join(missing)} / the header lacks "
                               f"{', '.join(missing)}", row=1)
    name_at, district_at = header.index(NAME), header.index(DISTRICT)
    months = {index: text for index, text in enumerate(header) if _MONTH_HEADER.fullmatch(text)}
    centres: dict[str, Centre] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, *([""] * (len(header) - len(row)))]
        name, district = cells[name_at], cells[district_at]
        if not name:
            raise InputError(path, f"缺少{NAME} / no centre name", row=number,
                             column=column_letter(name_at))
        if name in centres:
            raise InputError(path, f"单位 {name} 重复登记 / registered twice", row=number,
                             column=column_letter(name_at))
        digests: dict[str, str] = {}
        for index, month in months.items():
            if not cells[index]:
                continue
            digest = _DIGEST.fullmatch(cells[index])
            if digest is None:
                raise InputError(path, f"摘要应为 sha256: 加 64 位十六进制，实为 "
                                       f"\"{cells[index]}\" / a digest is sha256: and 64 hex",
                                 row=number,
                                 column=column_letter(index))
            digests[month] = "sha256:" + digest.group(1).lower()
        centres[name] = Centre(name, district or UNREGISTERED, digests)
    return centres
