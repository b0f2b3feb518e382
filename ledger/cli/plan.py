"""``funds plan``: the fund-use plan (资金使用计划) from a spreadsheet into a new file of the books.

The plan's rows are read by :mod:`importers.plan` against the books (loaded once): budget
lines and allocations, the accounts to open, and for a plan the books already hold for the
year (调整) only the lines that changed. The text goes to a new file beside the books, by
default ``plan/YYYY.beancount`` (a revision: ``plan/YYYY-调整N.beancount``), never over an
existing file, written atomically, and only once the books with it load and its directives
draw no finding of their own. Exit 1, nothing written: a row that cannot be taken (each named
by file, sheet, row and column), books that do not load with the plan, or an output file that
exists. Exit 2, nothing written: bad usage (a revision without ``--date`` outside the plan's
year, dated in a sealed month or on or before a revision the books hold of the same line,
titles naming different years), books that do not load or
declare no fund, or a books folder the check cannot write in.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import click

from importers.errors import InputError
from importers.plan import (
    BooksWithoutFunds,
    PlanDraft,
    PlanUsageError,
    RevisionDateError,
    draft_plan,
    is_included,
    verify_with_plan,
)
from ledger.check import CheckedBooks
from ledger.cli.books import (
    EXIT_USAGE,
    ExistingFile,
    books_for,
    ledger_option,
    refuse,
    warn_unincluded,
)
from ledger.cli.check import load_or_exit, use_utf8_stdout
from ledger.files import write_new_file
from ledger.model.findings import Finding

PLAN_FOLDER = "plan"


def plan_path(folder: Path, draft: PlanDraft) -> Path:
    """The default new file: ``plan/YYYY.beancount`` (a first plan of one kind, budget or
    allocations, where that is taken: ``plan/YYYY-预算.beancount`` or
    ``plan/YYYY-拨款.beancount``); a revision
    ``plan/YYYY-调整N.beancount``; N the first number not taken."""
    plans = folder / PLAN_FOLDER
    if draft.first and draft.budgets and draft.allocations:
        return plans / f"{draft.year}.beancount"
    if draft.first:
        kind = "预算" if draft.budgets else "拨款"
        for name in (f"{draft.year}", f"{draft.year}-{kind}"):
            if not (plans / f"{name}.beancount").exists():
                return plans / f"{name}.beancount"
        stem = f"{draft.year}-{kind}"
    else:
        stem = f"{draft.year}-调整"
    number = 1
    while (candidate := plans / f"{stem}{number}.beancount").exists():
        number += 1
    return candidate


def draft_or_exit(files: tuple[Path, ...], checked: CheckedBooks, year: int | None,
                  date: datetime.date | None) -> PlanDraft:
    """The plan drafted against the loaded books, or exit: 1 for rows that cannot be taken,
    2 for a usage error or books that declare no fund."""
    try:
        return draft_plan(list(files), checked.entries, checked.options_map,
                          checked.books.model, year=year, revision_date=date)
    except PlanUsageError as problem:
        refuse([str(problem)], EXIT_USAGE)
    except RevisionDateError as problem:
        refuse(["调整日期无法使用：账簿中这些预算已在该日或之后调整 / the revision date cannot be "
                "used: the books revise these lines on or after it:",
                *(f"  {line}" for line in str(problem).splitlines())], EXIT_USAGE)
    except BooksWithoutFunds as problem:
        refuse(["账簿无法接收资金使用计划 / the books cannot take a plan:", f"  {problem}"],
               EXIT_USAGE)
    except InputError as problem:
        refuse(["资金使用计划有误，以下各行未能采用 / the plan has rows that cannot be taken:",
                *(f"  {line}" for line in str(problem).splitlines())])


def verified_or_exit(books: Path, text: str, checked: CheckedBooks) -> list[Finding]:
    """The books loaded with the plan's text; exit 1 if they do not load or the plan draws a
    finding on its directives themselves (a malformed directive, a fund unknown, a sealed
    month changed), exit 2 if the check cannot write beside the books. The other error
    findings the plan adds (a budget lowered below what is spent, a top-up already due) are
    returned, to be shown."""
    try:
        result = verify_with_plan(books, text, checked)
    except OSError as problem:
        refuse([f"无法在账簿文件夹中试加载计划 / cannot try the plan beside the books in "
                f"{books.parent}: {problem.strerror or problem}"], EXIT_USAGE)
    if result.load_errors:
        refuse(["加入计划后账簿无法加载 / the books with the plan do not load:",
                *(f"  {message}" for message in result.load_errors)])
    if result.refused:
        refuse(["计划中的指令本身有误 / the plan's directives draw findings:",
                *(f"  [{finding.rule}] {finding.message}" for finding in result.refused)])
    return list(result.added)


def plan_summary(draft: PlanDraft, names: Mapping[str, str]) -> list[str]:
    """What the plan holds and what is written, per fund (named by ``names``, in the books'
    order): the year's budget the sheet gives (a monthly line ×12, a quarterly ×4: what
    check-funds counts for a first plan) and the allocations."""
    budgets: dict[str, Decimal] = defaultdict(Decimal)
    allocated: dict[str, Decimal] = defaultdict(Decimal)
    for budget in draft.budgets:
        budgets[budget.fund] += budget.year_amount
    for allocation in draft.allocations:
        allocated[allocation.fund] += allocation.amount
    lines = [f"计划年度 / plan year: {draft.year}（{draft.year_from}）"]
    lines += [f"已跳过工作表 {name}：不是预算或拨款表 / sheet {name} skipped: neither a budget "
              "nor an allocation sheet" for name in draft.skipped]
    lines += [f"{where}：金额单位：万元，已换算为元 / amounts in 万元 (10,000 元), converted to 元"
              for where in draft.converted]
    lines.append(f"计划：预算 {len(draft.budgets)} 行，拨款 {len(draft.allocations)} 行 / the "
                 f"plan: {len(draft.budgets)} budget rows, {len(draft.allocations)} allocation "
                 "rows")
    planned = budgets.keys() | allocated.keys()
    for fund in [*(code for code in names if code in planned), *sorted(planned - names.keys())]:
        parts = ([(f"计划表全年预算 {budgets[fund]:,.2f}（月度×12、季度×4）",
                   f"the sheet's budget for the year {budgets[fund]:,.2f} (a monthly line ×12, "
                   "a quarterly ×4)")] if draft.budgets else [])
        parts += ([(f"拨款合计 {allocated[fund]:,.2f}", f"allocations {allocated[fund]:,.2f}")]
                  if draft.allocations else [])
        name = f"{names[fund]}（{fund}）" if fund in names else fund
        lines.append(f"  {name}：{'，'.join(zh for zh, _ in parts)} / "
                     f"{', '.join(en for _, en in parts)}")
    lines += [f"注意：拨款记入 {account}，不是政府补助收入，请核对 / note: allocations go to "
              f"{account}, not to government grants (4401): check" for account in
              draft.outside_grants]
    if draft.unchanged:
        lines.append(f"账簿中已有、金额相同，不再写入：{draft.unchanged} 行 / already in the books "
                     f"as they are: {draft.unchanged} rows")
    if draft.left_alone:
        lines.append("账簿中有、计划中没有的，保持不变 / in the books but not in the plan, left "
                     "as they are:")
        lines += [f"  {item}" for item in draft.left_alone]
    return lines


def written_lines(draft: PlanDraft, target: Path) -> list[str]:
    """What is written: the counts, the date it takes effect, every account opened, and a
    note for each new account a character away from one the fund has."""
    new_lines = sum(1 for change in draft.budget_changes if change.previous is None)
    top_ups = sum(1 for change in draft.allocation_changes if change.booked)
    new_allocations = len(draft.allocation_changes) - top_ups
    revised = len(draft.budget_changes) - new_lines
    lines = [f"写入预算 {len(draft.budget_changes)} 行（新增 {new_lines}，调整 {revised}），拨款 "
             f"{len(draft.allocation_changes)} 笔（新增 {new_allocations}，追加 {top_ups}），"
             f"新开科目 {len(draft.opened)} 个，调整共 "
             f"{draft.revisions} 处 / written: {len(draft.budget_changes)} budget lines, "
             f"{len(draft.allocation_changes)} allocations, {len(draft.opened)} accounts opened, "
             f"{draft.revisions} revisions",
             f"生效日期 / in effect from: {draft.date}"]
    if draft.sealed_until:
        lines.append(f"计划生效日晚于已封账月份：{draft.sealed_until} 及以前已封账，计划自 "
                     f"{draft.date} 起生效 / the plan takes effect after the sealed months: "
                     f"sealed to {draft.sealed_until}, in effect from {draft.date}")
    if draft.opened:
        lines.append("新开科目 / accounts opened:")
        lines += [f"  {opening.account}（专项 / fund {opening.fund}）" for opening in draft.opened]
    for account, close in draft.near:
        lines.append(f"注意：新开科目 {account} 与已有科目 {close} 相近（名称仅一字之差，或是"
                     f"另一专项的同名科目），如为笔误请改正计划表；撤销：删除 {target} 后重新运行 "
                     "/ note: "
                     f"the new account {account} is like {close} (one character away, or another "
                     f"fund's item of that name): if it is a mistake, correct the plan sheet; to "
                     f"undo, delete {target} and run again")
    return lines


def _no_output_over(target: Path) -> None:
    refuse([f"{target} 已存在，不会覆盖 / {target} exists and is never overwritten"])


@click.command("plan")
@click.argument("files", nargs=-1, required=True, type=ExistingFile())
@ledger_option(writes=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入的新文件（默认：账簿旁 plan/年度.beancount，调整为 "
                   "plan/年度-调整N.beancount） / the new file (default: plan/YYYY.beancount by "
                   "the books; a revision "
                   "plan/YYYY-调整N.beancount).")
@click.option("--year", type=click.IntRange(1900, 2099),
              help="计划年度，1900–2099（默认：表格标题中的年度，其次文件名，其次账簿） / "
                   "the plan's year, 1900–2099 (default: the sheet's title, else the file "
                   "name, else the books).")
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
        _no_output_over(output)
    checked = load_or_exit(books)
    warn_unincluded(books, checked.options_map)
    draft = draft_or_exit(files, checked, year,
                          None if revision_date is None else revision_date.date())
    names = {code: fund.name for code, fund in checked.books.model.funds.items()}
    for line in plan_summary(draft, names):
        click.echo(line)
    if not draft.text:
        click.echo("计划与账簿一致，没有需要写入的内容，未写文件 / the books already hold this "
                   "plan: nothing to write, no file written")
        return
    target = output or plan_path(books.parent, draft)
    added = verified_or_exit(books, draft.text, checked)
    try:
        write_new_file(target, draft.text)
    except FileExistsError:
        _no_output_over(target)
    except OSError as problem:
        refuse([f"无法写入 {target} / cannot write {target}: {problem.strerror or problem}"],
               EXIT_USAGE)
    click.echo(f"已写入 / written: {target}")
    for line in written_lines(draft, target):
        click.echo(line)
    for finding in added:
        click.echo(f"注意：加入计划后的新问题 / note, with the plan: [{finding.rule}] "
                   f"{finding.message}")
    _say_include(books, target, checked)


def _say_include(books: Path, target: Path, checked: CheckedBooks) -> None:
    if is_included(checked.options_map, target):
        click.echo(f"账簿已 include 此文件 / the books include it: {books.name}")
        return
    try:
        shown = Path(os.path.relpath(target.resolve(), books.resolve().parent)).as_posix()
    except ValueError:  # another drive: only an absolute path reaches it
        shown = target.resolve().as_posix()
    click.echo(f"请在 {books.name} 中加入这一行，计划才会生效 / add this line to {books.name} "
               f"for the plan to take effect:")
    click.echo(f'include "{shown}"')
