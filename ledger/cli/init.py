"""``funds init DIR --unit NAME --year YYYY [--fund CODE=名称 ...]``: a new centre's books.

DIR must not exist or be empty (hidden files count): books are never written over or beside
other files. Exit 2 for bad usage (a year outside 1900–2099, a malformed ``--fund``, a fund
name that cannot be part of an account name, a DIR that is a file); exit 1 when DIR holds
anything or cannot be written, with nothing written.
"""

from __future__ import annotations

import shlex
import tempfile
from pathlib import Path

import click

from importers.plan import PlanDraft
from ledger.cli.books import ExistingFile, refuse
from ledger.cli.check import load_or_exit, use_utf8_stdout
from ledger.cli.plan import draft_or_exit, plan_summary, verified_or_exit, written_lines
from ledger.files import write_new_file
from ledger.model.chart import DEFAULT_FUNDS, FundAccounts
from ledger.setup.folder import FolderNotEmpty, write_new_folder
from ledger.setup.new_centre import (
    ACCOUNTS,
    IMPORT,
    MAIN,
    PLAN_FOLDER,
    PLAN_NOTE,
    POLICY,
    SetupError,
    check_funds,
    check_unit,
    check_year,
    fund_from_option,
    new_centre,
    new_centre_books,
)

LISTED_HELD = 5  # the names shown of what a non-empty DIR holds

ROLES = {
    MAIN: "主文件：选项、插件、Fava 设置与 include / the main file",
    ACCOUNTS: "专项与会计科目 / the funds and the chart of accounts",
    POLICY: "资金监管政策参数（默认值） / the policy, at its defaults",
    IMPORT: "银行流水与工资表的导入配置（待填写） / the import configuration, to fill in",
    PLAN_NOTE: "资金使用计划文件夹的说明 / what the plan's folder holds",
}


def _required(param: click.Parameter, value: object) -> None:
    if value is None:
        raise click.BadParameter("必须给出 / required", param=param)


def _unit(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    _required(param, value)
    try:
        return check_unit(str(value))
    except SetupError as problem:
        raise click.BadParameter(str(problem), ctx, param) from None


def _year(ctx: click.Context, param: click.Parameter, value: str | None) -> int:
    _required(param, value)
    try:
        return check_year(int(str(value).strip()))
    except ValueError as problem:  # SetupError is one
        message = (str(problem) if isinstance(problem, SetupError) else
                   f"{value!r} 不是年份，应为四位数字（如 2013） / {value!r} is no year: give "
                   "four digits (e.g. 2013)")
        raise click.BadParameter(message, ctx, param) from None


def _funds(ctx: click.Context, param: click.Parameter,
           values: tuple[str, ...]) -> tuple[FundAccounts, ...]:
    try:
        given = [fund_from_option(value) for value in values]
        return check_funds(given) if given else DEFAULT_FUNDS
    except SetupError as problem:
        raise click.BadParameter(str(problem), ctx, param) from None


def _held_lines(problem: FolderNotEmpty) -> list[str]:
    shown = "、".join(problem.held[:LISTED_HELD])
    more = len(problem.held) - LISTED_HELD
    if more > 0:
        shown += f" 等 {len(problem.held)} 项 / and {more} more"
    return [f"{problem.folder} 不是空文件夹（有 {shown}），新账簿只写入不存在或空的文件夹 / "
            f"{problem.folder} is not empty: new books go only into a new or empty folder",
            "  请换一个文件夹名，或先清空该文件夹 / name another folder, or empty this one"]


def _plan_file(year: int) -> str:
    return f"{PLAN_FOLDER}/{year}.beancount"


def _planned(texts: dict[str, str], plan_files: tuple[Path, ...], year: int,
             main: str) -> PlanDraft:
    """The plan drafted against the new books, staged in a temporary folder (never DIR), and
    the books with it checked to load; exit 1 naming the rows that cannot be taken, or a plan
    of another year."""
    with tempfile.TemporaryDirectory(prefix="funds-init-") as folder:
        staged = Path(folder)
        for name, text in texts.items():
            write_new_file(staged / name, text)
        checked = load_or_exit(staged / main)
        draft = draft_or_exit(plan_files, checked, None, None)
        if draft.year != year:
            refuse([f"资金使用计划是 {draft.year} 年的（{draft.year_from}），新账簿是 {year} 年的 "
                     f"/ the plan is for {draft.year}, the new books for {year}"])
        if draft.text:
            verified_or_exit(staged / main, draft.text, checked)
    return draft


def _is_here(folder: Path) -> bool:
    """Whether DIR is the current folder (``.``): no ``cd`` step then."""
    try:
        return folder.resolve() == Path.cwd().resolve()
    except OSError:
        return False


def _next_steps(folder: Path, journal: str, opening_day: str, planned: bool) -> list[str]:
    plan = ("资金使用计划已写入；调整时：funds plan 调整后的计划.xlsx --date 生效日期 / "
            "the plan is written; for a revision: funds plan FILE --date DATE" if planned else
            "funds plan 资金使用计划.xlsx      写入资金使用计划（预算与拨款） / the fund-use plan")
    steps = [
        f"在 {ACCOUNTS} 填写各专户的账号（bank-account:），在 {IMPORT} 填写拨款单位的户名 / "
        "fill in each bank account's number and the funders' names",
        f"从别的账簿转来的机构：在 {journal} 开头按注释示例填写期初建账分录（{opening_day} 的余额；"
        f"新机构无余额可跳过） / a centre with balances: fill in the opening entry (the balances "
        f"on {opening_day}), commented at the top of {journal}",
        *([] if _is_here(folder) else [f"cd {shlex.quote(str(folder))}"]),
        plan,
        "check-funds                      检查账簿 / check the books",
        f"fava {MAIN}              在浏览器中查看与记账（新凭证写入 {journal}） / "
        "browse and enter vouchers in Fava",
    ]
    return ["下一步 / next steps:",
            *(f"  {number}. {step}" for number, step in enumerate(steps, 1)),
            "注意：导入的银行手续费记入各专项的 5301 筹资费用:…:银行手续费；资金使用计划中没有"
            "这一行时，手续费是无预算列支，请在计划中列出 / note: imported bank fees go to each "
            "fund's 5301 …:银行手续费; without a plan line for it they are unbudgeted"]


def _no_extra_arguments(ctx: click.Context) -> None:
    """Arguments after DIR: most often a second plan file after one ``--plan``."""
    if ctx.args:
        extra = " ".join(ctx.args)
        raise click.UsageError(
            f"多余的参数：{extra}。每个计划文件前都要写 --plan，如 --plan 预算.csv --plan "
            f"拨款.csv / unexpected arguments: {extra}; give --plan before each plan file, "
            "e.g. --plan 预算.csv --plan 拨款.csv", ctx)


@click.command(context_settings={"allow_extra_args": True})
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--unit", metavar="NAME", callback=_unit,
              help="单位名称，即账簿标题（必填） / the unit's name, the books' title (required).")
@click.option("--year", metavar="YYYY", callback=_year,
              help="账簿年度，1900–2099（必填） / the books' year, 1900–2099 (required).")
@click.option("--plan", "plan_files", metavar="FILE", multiple=True,
              type=ExistingFile(),
              help="资金使用计划（xlsx，含“预算”“拨款”工作表；CSV 则每个文件一个 --plan："
                   "--plan 预算.csv --plan 拨款.csv），与账簿一起写入 plan/年度.beancount / the "
                   "fund-use plan, written with the books (see funds plan); CSV files each "
                   "after their own --plan: --plan 预算.csv --plan 拨款.csv.")
@click.option("--fund", "funds", metavar="CODE=名称", multiple=True, callback=_funds,
              help="要设立的专项，可重复（默认：construction=示范点建设经费、salary=社工薪酬、"
                   "operating=日常运营经费） / a fund to set up, repeatable (default: the "
                   "three above).")
def init(folder: Path, unit: str, year: int, plan_files: tuple[Path, ...],
         funds: tuple[FundAccounts, ...]) -> None:
    """在 DIR 新建机构账簿（DIR 须不存在或为空） / write a new centre's books into DIR (a new or
    empty folder)."""
    use_utf8_stdout()
    _no_extra_arguments(click.get_current_context())
    try:
        centre = new_centre(unit, year, funds)
    except SetupError as problem:
        raise click.UsageError(str(problem)) from None
    texts = new_centre_books(centre)
    draft = _planned(texts, plan_files, centre.year, MAIN) if plan_files else None
    if draft is not None:
        texts[_plan_file(centre.year)] = draft.text
    try:
        write_new_folder(folder, texts)
    except FolderNotEmpty as problem:
        refuse(_held_lines(problem))
    except OSError as problem:
        refuse([f"无法写入 {folder} / cannot write {folder}: {problem}"])
    click.echo(f"已写入新账簿 / new books written: {folder}")
    roles = {**ROLES, centre.journal: f"{year} 年记账凭证 / the {year} journal",
             _plan_file(year): f"{year} 年资金使用计划：预算与拨款 / the {year} fund-use plan"}
    for name in texts:
        role = roles[name]
        click.echo(f"  {folder / name}  {role}")
    shown = "、".join(f"{fund.code} {fund.name}" for fund in centre.funds)
    click.echo(f"专项 / funds: {shown}")
    if draft is not None:
        for line in [*plan_summary(draft, {fund.code: fund.name for fund in centre.funds}),
                     *written_lines(draft, folder / _plan_file(year))]:
            click.echo(line)
    for line in _next_steps(folder, centre.journal, str(centre.opening_day),
                             planned=draft is not None):
        click.echo(line)
