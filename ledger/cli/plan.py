"""``funds plan``: the fund-use plan (资金使用计划) from a spreadsheet into a new file of the books.

The plan's rows are read by :mod:`importers.plan` against the books (loaded once): budget
lines and allocations, the accounts to open, and for a plan the books already hold for the
year (调整) only the lines that changed. The text goes to a new file beside the books, by
default ``plan/YYYY.beancount`` (a revision: ``plan/YYYY-调整N.beancount``), never over an
existing file, written atomically, and only once the books with it load and its directives
draw no finding of their own. A row that cannot be taken stops everything: each is named by
file, sheet, row and column, exit 1, nothing written. A revision without ``--date`` outside
the plan's year, or books that do not load, exit 2.
"""

from __future__ import annotations

import datetime
import glob
import os
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import click
from beancount.parser import parser

from importers.errors import InputError
from importers.plan import PlanDraft, RevisionDateNeeded, draft_plan
from ledger.check import CheckedBooks, check_books
from ledger.cli.books import EXIT_USAGE, ExistingFile, books_for, warn_unincluded
from ledger.cli.check import load_or_exit, use_utf8_stdout
from ledger.files import write_new_file
from ledger.model.findings import Finding, Severity

EXIT_INPUT_ERROR = 1
PLAN_FOLDER = "plan"
REFUSED_RULES = frozenset({"bad-directive", "unknown-fund", "sealed"})


def plan_path(folder: Path, draft: PlanDraft) -> Path:
    """The default new file: ``plan/YYYY.beancount``; a revision ``plan/YYYY-调整N.beancount``,
    N the first number not taken."""
    if draft.first:
        return folder / PLAN_FOLDER / f"{draft.year}.beancount"
    number = 1
    while (candidate := folder / PLAN_FOLDER / f"{draft.year}-调整{number}.beancount").exists():
        number += 1
    return candidate


def _refuse(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(line, err=True)
    click.echo("未写入任何文件 / nothing was written", err=True)
    sys.exit(code)


def draft_or_exit(files: tuple[Path, ...], checked: CheckedBooks, year: int | None,
           date: datetime.date | None) -> PlanDraft:
    try:
        return draft_plan(list(files), checked.entries, checked.options_map, year=year,
                          revision_date=date)
    except RevisionDateNeeded as problem:
        _refuse([str(problem)], EXIT_USAGE)
    except InputError as problem:
        _refuse(["资金使用计划有误，以下各行未能读取 / the plan has rows that cannot be taken:",
                 *(f"  {line}" for line in str(problem).splitlines())], EXIT_INPUT_ERROR)
    raise AssertionError("unreachable")


def verified_or_exit(books: Path, text: str, before: list[Finding]) -> list[Finding]:
    """Load the books with the new text included (a copy of the main file beside it, the new
    text in a temporary file); refuse if they do not load, or if the plan draws a finding on
    its directives themselves (a malformed directive, a fund unknown, a sealed month
    changed). The other error findings the plan adds (a budget lowered below what is spent,
    a top-up already due) are returned, to be shown."""
    with tempfile.TemporaryDirectory(prefix="funds-plan-") as folder:
        drafted = Path(folder) / "plan.beancount"
        drafted.write_text(text, encoding="utf-8")
        main = books.read_text(encoding="utf-8")
        handle, name = tempfile.mkstemp(dir=books.parent, prefix=".funds-plan-check-",
                                        suffix=".beancount")
        trial = Path(name)
        try:
            os.close(handle)
            trial.write_text(f'{main}\ninclude "{drafted.as_posix()}"\n', encoding="utf-8")
            checked = check_books(trial)
        finally:
            trial.unlink(missing_ok=True)
        if checked.load_errors:
            _refuse(["加入计划后账簿无法加载 / the books with the plan do not load:",
                     *(f"  {error.message}" for error in checked.load_errors)],
                    EXIT_INPUT_ERROR)
        known = {(finding.rule, finding.message) for finding in before}
        added = [finding for finding in checked.findings
                 if finding.severity is Severity.ERROR
                 and (finding.rule, finding.message) not in known]
        own = [finding for finding in added if finding.rule in REFUSED_RULES]
        if own:
            _refuse(["计划中的指令本身有误 / the plan's directives draw findings:",
                     *(f"  [{finding.rule}] {finding.message}" for finding in own)],
                    EXIT_INPUT_ERROR)
        return added


def _included(books: Path, target: Path) -> bool:
    """Whether an ``include`` of the books' main file takes the new file (its glob matches)."""
    patterns = parser.parse_file(str(books))[2].get("include", [])
    wanted = target.resolve()
    for pattern in patterns:
        search = pattern if Path(pattern).is_absolute() else str(books.parent / pattern)
        found = glob.glob(search, recursive=True)  # noqa: PTH207 (Beancount's own expansion)
        if any(Path(name).resolve() == wanted for name in found):
            return True
    return False


def plan_summary(draft: PlanDraft) -> list[str]:
    """What the plan holds and what is written, per fund."""
    budgets: dict[str, Decimal] = defaultdict(Decimal)
    allocated: dict[str, Decimal] = defaultdict(Decimal)
    for budget in draft.budgets:
        budgets[budget.fund] += budget.amount
    for allocation in draft.allocations:
        allocated[allocation.fund] += allocation.amount
    lines = [f"计划年度 / plan year: {draft.year}（{draft.year_from}）",
             f"计划：预算 {len(draft.budgets)} 行，拨款 {len(draft.allocations)} 行 / the plan: "
             f"{len(draft.budgets)} budget rows, {len(draft.allocations)} allocation rows"]
    for fund in sorted(budgets.keys() | allocated.keys()):
        lines.append(f"  {fund}：预算合计 {budgets[fund]:,.2f}，拨款合计 {allocated[fund]:,.2f} / "
                     f"budget {budgets[fund]:,.2f}, allocations {allocated[fund]:,.2f}")
    if draft.unchanged:
        lines.append(f"账簿中已有、金额相同，不再写入：{draft.unchanged} 行 / already in the books "
                     f"as they are: {draft.unchanged} rows")
    if draft.left_alone:
        lines.append("账簿中有、计划中没有的，保持不变 / in the books but not in the plan, left "
                     "as they are:")
        lines += [f"  {item}" for item in draft.left_alone]
    return lines


def written_line(draft: PlanDraft) -> str:
    new_lines = sum(1 for change in draft.budget_changes if change.previous is None)
    top_ups = sum(1 for change in draft.allocation_changes if change.booked)
    new_allocations = len(draft.allocation_changes) - top_ups
    revised = len(draft.budget_changes) - new_lines
    return (f"写入预算 {len(draft.budget_changes)} 行（新增 {new_lines}，调整 {revised}），拨款 "
            f"{len(draft.allocation_changes)} 笔（新增 {new_allocations}，追加 {top_ups}），"
            f"新开科目 {len(draft.opened)} 个，调整共 "
            f"{draft.revisions} 处 / written: {len(draft.budget_changes)} budget lines, "
            f"{len(draft.allocation_changes)} allocations, {len(draft.opened)} accounts opened, "
            f"{draft.revisions} revisions")


@click.command("plan")
@click.argument("files", nargs=-1, required=True, type=ExistingFile())
@click.option("--ledger", "books", type=ExistingFile(),
              help="账簿主文件（默认：$BEANCOUNT_FILE，或当前文件夹的 main.beancount） / "
                   "the books' main file (default: $BEANCOUNT_FILE, or main.beancount here).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入的新文件（默认：账簿旁 plan/年度.beancount，调整为 "
                   "plan/年度-调整N.beancount） / the new file (default: plan/YYYY.beancount by "
                   "the books; a revision "
                   "plan/YYYY-调整N.beancount).")
@click.option("--year", type=click.IntRange(1900, 9999),
              help="计划年度（默认：表格标题中的年度，其次文件名，其次账簿） / the plan's year "
                   "(default: the sheet's title, else the file name, else the books).")
@click.option("--date", "revision_date", type=click.DateTime(["%Y-%m-%d"]),
              help="调整生效日期（账簿已有本年度计划时需要；默认今天，若在计划年度内） / the "
                   "date a revision takes effect (default: today, within the plan's year).")
def plan(files: tuple[Path, ...], books: Path | None, output: Path | None, year: int | None,
         revision_date: datetime.datetime | None) -> None:
    """资金使用计划 FILES（xlsx，含“预算”“拨款”工作表；或 预算.csv 拨款.csv）写入账簿旁的新文件 /
    the fund-use plan (an xlsx with sheets 预算 and 拨款, or CSV files) into a new file beside
    the books."""
    use_utf8_stdout()
    books = books_for(books, writes=True, how="--ledger 账簿.beancount")
    if output is not None and output.exists():
        raise click.BadParameter(f"{output} 已存在，不会覆盖 / {output} exists and is never "
                                 "overwritten", param_hint="-o")
    checked = load_or_exit(books)
    warn_unincluded(books, checked.options_map)
    draft = draft_or_exit(files, checked, year,
                   None if revision_date is None else revision_date.date())
    for line in plan_summary(draft):
        click.echo(line)
    if not draft.text:
        click.echo("计划与账簿一致，没有需要写入的内容，未写文件 / the books already hold this "
                   "plan: nothing to write, no file written")
        return
    target = output or plan_path(books.parent, draft)
    added = verified_or_exit(books, draft.text, checked.findings)
    try:
        write_new_file(target, draft.text)
    except FileExistsError:
        _refuse([f"{target} 已存在，不会覆盖 / {target} exists and is never overwritten"],
                EXIT_INPUT_ERROR)
    click.echo(f"已写入 / written: {target}")
    click.echo(written_line(draft))
    for finding in added:
        click.echo(f"注意：加入计划后的新问题 / note, with the plan: [{finding.rule}] "
                   f"{finding.message}")
    _say_include(books, target)


def _say_include(books: Path, target: Path) -> None:
    if _included(books, target):
        click.echo(f"账簿已 include 此文件 / the books include it: {books.name}")
        return
    try:
        shown = target.resolve().relative_to(books.resolve().parent).as_posix()
    except ValueError:
        shown = target.resolve().as_posix()
    click.echo(f"请在 {books.name} 中加入这一行，计划才会生效 / add this line to {books.name} "
               f"for the plan to take effect:")
    click.echo(f'include "{shown}"')
