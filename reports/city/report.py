"""The city's month end to end: collect the exports, read the registry, write the workbook."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from importers.errors import InputError
from reports.city.collect import UnreadableExports, collect
from reports.city.consolidate import (
    RECEIVED,
    Status,
    chart_data,
    city_sheets,
    counted,
    statuses,
)
from reports.city.registry import read_registry


class CityError(Exception):
    """Nothing can be written: an unreadable registry or EXPORTS argument, nothing to report,
    or an output folder that cannot be written."""


@dataclass(frozen=True)
class CityReport:
    """The files written and every centre's reporting state."""

    paths: list[Path]
    statuses: list[Status]

    @property
    def complete(self) -> bool:
        return all(status.state == RECEIVED for status in self.statuses)


def city_report(month: str, exports: list[Path], registry: Path | None,
                out: Path) -> CityReport:
    """Consolidate ``month`` from ``exports`` into ``out``; ``CityError`` when nothing can be
    written."""
    from reports.city.write import write_city  # pandas loads only when a workbook is written

    try:
        centres = read_registry(registry) if registry is not None else None
    except InputError as error:
        raise CityError(str(error)) from None
    with tempfile.TemporaryDirectory(prefix="funds-city-") as scratch:
        try:
            received = collect(exports, Path(scratch))
        except UnreadableExports as error:
            raise CityError(str(error)) from None
        all_statuses = statuses(received, centres, month)
    if not all_statuses:
        raise CityError(f"在给出的位置中没有 {month} 的月报（export.json），也没有登记表 / no "
                        f"export.json of {month} under the EXPORTS given, and no registry")
    try:
        paths = write_city(out, month, city_sheets(month, all_statuses),
                           chart_data(counted(all_statuses)))
    except OSError as error:
        raise CityError(f"无法写入 {out} / cannot write {out}: {error.strerror or error}") from None
    return CityReport(paths, all_statuses)
