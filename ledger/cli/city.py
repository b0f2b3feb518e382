"""``funds city MONTH EXPORTS...``: the city finance bureau's month from the centres' exports.

Exit codes: 0 written, every expected centre in and verified; 1 written, but some centre is
未报送 or 校验失败 (the workbook's first sheet says which); 2 nothing written: a malformed
month, an unreadable registry or EXPORTS argument, no export and no registry, or an output
folder that cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ledger.cli.check import EXIT_FINDINGS, EXIT_LOAD_ERROR, use_utf8_stdout
from ledger.cli.export import DEFAULT_OUT
from reports.city.consolidate import FAILED, MISSING
from reports.city.registry import UNREGISTERED
from reports.city.report import CityError, city_report
from reports.month import Month


def _refuse(message: str) -> None:
    click.echo(f"无法汇总 / cannot consolidate: {message}", err=True)
    click.echo("未写入任何文件 / nothing was written", err=True)
    sys.exit(EXIT_LOAD_ERROR)


@click.command("city")
@click.argument("month")
@click.argument("exports", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--registry", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="应报单位登记表 centres.csv（单位名称、区、各月摘要） / the centres expected "
                   "(单位名称, 区, a digest column per month YYYY-MM).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="输出目录 / output folder.")
def city(month: str, exports: tuple[Path, ...], registry: Path | None, out: Path) -> None:
    """汇总全市各单位 MONTH（YYYY-MM）的月报 / consolidate the centres' monthly exports."""
    use_utf8_stdout()
    try:
        period = str(Month.parse(month))
        report = city_report(period, list(exports), registry, out)
    except (ValueError, CityError) as error:
        _refuse(str(error))
        return
    click.echo(f"已写入 / written: {report.paths[0]}（另有 {len(report.paths) - 1} 个 CSV "
               "文件 / and a CSV per sheet）")
    for status in report.statuses:
        if status.state in (MISSING, FAILED) or status.note:
            state = status.state if status.state in (MISSING, FAILED) else UNREGISTERED
            note = f"：{status.note}" if status.note else ""
            click.echo(f"  {state}：{status.district} {status.name}{note}")
    counted = sum(1 for status in report.statuses if status.month is not None)
    click.echo(f"计入汇总 / summed: {counted} 个单位，共 {len(report.statuses)} 个 / "
               f"{counted} of {len(report.statuses)} centres")
    if not report.complete:
        click.echo("有单位未报送或校验失败，见工作簿首页 / some centres are missing or failed "
                   "verification: see the workbook's first sheet", err=True)
        sys.exit(EXIT_FINDINGS)
