"""``check-funds``: check a ledger against the plan's money rules before an audit.

Exit codes: 0 no error-severity finding; 1 at least one; 2 the ledger does not load, or bad usage.
"""

from __future__ import annotations

import datetime
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from ledger.cache import (
    CachedCheck,
    books_key,
    included_files,
    plugin_sources,
    read_cached,
    unchanged_since,
    write_cached,
)
from ledger.check import CheckedBooks, check_books
from ledger.cli.books import (
    ExistingFile,
    books_for,
    choose_books,
    unincluded_lines,
    warn_unincluded,
)
from ledger.cli.render import render_csv, render_json, render_table
from ledger.load_errors import ShownError, explain_load_errors
from ledger.model.findings import RULES, Finding, Severity, select_findings
from ledger.model.seal import kept_texts
from ledger.model.summary import FundSummary, figures_date, fund_figures, plan_dates

EXIT_CLEAN, EXIT_FINDINGS, EXIT_LOAD_ERROR = 0, 1, 2


HOW_BOOKS = "--ledger 账簿.beancount"  # how a command is told which books to read


def use_utf8_stdout() -> None:
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.encoding.lower() != "utf-8":
        sys.stdout.reconfigure(encoding="utf-8")


def load_or_exit(path: Path, tolerated: tuple[type, ...] = ()) -> CheckedBooks:
    """The books loaded and checked; if they do not load, the errors with file and line, and
    exit 2. Every command starts here. Errors of the ``tolerated`` types are only noted."""
    checked = check_books(path)
    if any(not isinstance(error, tolerated) for error in checked.load_errors):
        report_load_errors(checked)
        sys.exit(EXIT_LOAD_ERROR)
    for shown in explain_load_errors(checked.load_errors, checked.options_map, checked.path,
                                     checked.entries):
        click.echo(_shown_error(shown, "注意 / note: "), err=True)
    return checked


def read_books(given: Path | None, *, err: bool = False,
               tolerated: tuple[type, ...] = ()) -> CheckedBooks:
    """A reading command's start: choose the books and name them (:func:`books_for`; on stderr
    with ``err``), load and check them once (:func:`load_or_exit`), and warn of the folder's
    ``.beancount`` files they do not include."""
    path = books_for(given, writes=False, how=HOW_BOOKS, err=err)
    checked = load_or_exit(path, tolerated)
    warn_unincluded(path, checked.options_map, err=err)
    return checked


def report_load_errors(checked: CheckedBooks) -> None:
    """The load errors as :mod:`ledger.load_errors` explains them: each line's file:line and
    what it means in Chinese, then Beancount's own words, indented."""
    click.echo(f"账本无法加载 / the ledger does not load: {checked.path}", err=True)
    for shown in explain_load_errors(checked.load_errors, checked.options_map, checked.path,
                                     checked.entries):
        click.echo(_shown_error(shown), err=True)


def _shown_error(shown: ShownError, prefix: str = "") -> str:
    """A line of :func:`explain_load_errors`, with Beancount's text of each error it stands
    for indented below it."""
    lines = [f"{prefix}{shown.headline}"]
    lines += ["    " + line if line else "" for text in shown.beancount
              for line in text.splitlines()]
    return "\n".join(lines)


def _as_date(value: datetime.datetime | None) -> datetime.date | None:
    return None if value is None else value.date()


def _rules_epilog() -> str:
    rows = "\n".join(f"  {rule.code:<18} {rule.label}：{rule.summary}" for rule in RULES.values())
    exits = ("0 无错误 no error; 1 有错误 errors found; "
             "2 账本无法加载或用法错误 the ledger does not load, or bad usage")
    return f"\b\n规则 / rules:\n{rows}\n\n\b\n退出码 / exit codes: {exits}"


@click.command("check", epilog=_rules_epilog())
@click.argument("ledger", required=False, type=ExistingFile(books=True))
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True, help="输出格式 / output format.")
@click.option("--fund", "funds", multiple=True, metavar="CODE",
              help="只看该专项（可重复） / only this fund (repeatable).")
@click.option("--rule", "rules", multiple=True, type=click.Choice(sorted(RULES)),
              help="只看该规则（可重复） / only this rule (repeatable).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="该日及以后的问题 / findings on or after this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]),
              help="该日及以前的问题，也是专项数字的截止日 / findings on or before; also the "
                   "date of the fund figures.")
@click.option("--no-cache", is_flag=True,
              help="不用也不写检查缓存 / neither use nor write the check cache.")
def check_funds(ledger: Path | None, output_format: str, funds: tuple[str, ...],
                rules: tuple[str, ...], since: datetime.datetime | None,
                until: datetime.datetime | None, no_cache: bool) -> None:
    """按专项资金规则检查账簿 LEDGER（默认：$BEANCOUNT_FILE，或当前文件夹的 main.beancount，
    都没有时为示范账簿）。

    Check LEDGER (default: $BEANCOUNT_FILE, else main.beancount in the current folder, else
    the demo books, said so) against the earmarked-fund rules. A second check of unchanged
    books answers from a cache (see README, "Performance").
    """
    use_utf8_stdout()
    machine = output_format != "table"
    chosen = choose_books(ledger, writes=False, how="check-funds 账簿.beancount")
    path = chosen.path
    until_date = _as_date(until)
    report = _report(path, until_date, use_cache=not no_cache)
    _refuse_unknown_funds(report, funds)
    findings = select_findings(report.findings, funds=funds, rules=rules,
                               since=_as_date(since), until=until_date)
    summaries = [summary for summary in report.figures if not funds or summary.fund in funds]
    heading = [*chosen.lines("check-funds 账簿.beancount"),
               *unincluded_lines(path, report.files)]
    folder = path.absolute().parent
    if machine:
        for line in heading:
            click.echo(line, err=True)
    if output_format == "json":
        click.echo(render_json(str(path), findings, summaries, folder, report.as_of), nl=False)
    elif output_format == "csv":
        click.echo(render_csv(findings, folder), nl=False)
    else:
        names = {code: name for code, name in report.fund_names.items()
                 if not funds or code in funds}
        filtered = bool(rules or since or until)
        click.echo(render_table(heading, findings, summaries, names, filtered, report.as_of),
                   nl=False)
    has_errors = any(finding.severity is Severity.ERROR for finding in findings)
    sys.exit(EXIT_FINDINGS if has_errors else EXIT_CLEAN)


@dataclass(frozen=True)
class _Report:
    """What a check shows: every finding, the funds' names, their figures and the day they
    are as of, and the files the books read."""

    findings: list[Finding]
    fund_names: dict[str, str]
    figures: list[FundSummary]
    as_of: datetime.date
    files: list[str]


def _report(path: Path, until: datetime.date | None, *, use_cache: bool) -> _Report:
    """The check of the books at ``path``, from the cache if books and code are unchanged,
    else loaded and checked (and then cached)."""
    cached = read_cached(path) if use_cache else None
    if cached is not None and until in cached.figures and until in cached.as_of:
        return _Report(cached.findings, cached.fund_names, cached.figures[until],
                       cached.as_of[until], cached.files)
    started = time.time_ns()
    checked = load_or_exit(path)
    names = {code: fund.name for code, fund in checked.books.model.funds.items()}
    files = included_files(checked.options_map) + [
        str(path) for path in kept_texts(checked.books.model.seals)]
    report = _Report(checked.findings, names, fund_figures(checked.books, until),
                     figures_date(checked.books, until), files)
    if use_cache:
        _keep(path, checked, report, until, started, cached)
    return report


def _keep(path: Path, checked: CheckedBooks, report: _Report, until: datetime.date | None,
          started: int, cached: CachedCheck | None) -> None:
    """Cache the report, unless a file of the books changed while they were loading."""
    plugins = plugin_sources(checked.options_map)
    key = books_key(report.files, plugins) if unchanged_since(report.files, started) else None
    if key is None:
        return
    same = cached is not None and cached.key == key
    figures = dict(cached.figures) if cached is not None and same else {}
    as_of = dict(cached.as_of) if cached is not None and same else {}
    figures[until] = report.figures
    as_of[until] = report.as_of
    # the days on which the findings or the figures may change: due dates, and plan entries
    # (a contract signed ahead) whose day has not come yet
    due_dates = [*(allocation.due for allocation in checked.books.model.allocations),
                 *plan_dates(checked.books)]
    write_cached(path, CachedCheck(key, report.files, plugins, report.findings,
                                   report.fund_names, figures, as_of, due_dates))


def _refuse_unknown_funds(report: _Report, funds: tuple[str, ...]) -> None:
    """Bad usage: a --fund that neither the books declare nor any finding names."""
    named = set(report.fund_names)
    named |= {finding.fund for finding in report.findings if finding.fund is not None}
    unknown = ", ".join(sorted(set(funds) - named))
    if unknown:
        known = ", ".join(sorted(named)) or "-"
        raise click.BadParameter(f"账本中没有专项 {unknown}（已有：{known}） / "
                                 f"unknown fund {unknown} (known: {known})", param_hint="--fund")
