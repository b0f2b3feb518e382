"""The drafted plan as Beancount text: the accounts to open, the budget lines, the allocations,
each under a comment naming the row it comes from."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from importers.plan.rows import Place
from ledger.model.beancount_text import quoted

if TYPE_CHECKING:
    from importers.plan.draft import PlanDraft

REVISION_NOTE = "资金使用计划调整"
TOP_UP_NOTE = "资金使用计划调整：追加"


def plan_text(draft: PlanDraft, source_names: Sequence[str], today: datetime.date) -> str:
    """The directives to add to the books, under a header naming the plan's files."""
    sources = "、".join(source_names)
    lines = [f"; {draft.year} 年度资金使用计划，由 funds plan 于 {today} 从 {sources} 生成 / the "
             f"{draft.year} fund-use plan, written by funds plan on {today} from {sources}"]
    if not draft.first:
        lines.append(f"; {REVISION_NOTE}，自 {draft.date} 起生效 / a revision of the plan, in "
                     f"effect from {draft.date}")
    elif draft.sealed_until:
        lines.append(f"; {draft.sealed_until} 及以前已封账，计划自 {draft.date} 起生效 / sealed "
                     f"to {draft.sealed_until}: the plan takes effect on {draft.date}")
    return "\n".join(lines + _openings(draft) + _budgets(draft) + _allocations(draft)) + "\n"


def _openings(draft: PlanDraft) -> list[str]:
    lines = ["", "; 新开科目 / accounts the plan names that the books lack"] if draft.opened else []
    for opening in draft.opened:
        lines += [f"{draft.date} open {opening.account} {draft.currency}",
                  f"  fund: {quoted(opening.fund)}",
                  f"  description: {quoted(opening.description)}"]
    return lines


def _budgets(draft: PlanDraft) -> list[str]:
    lines = ["", "; 预算 / budget lines"] if draft.budget_changes else []
    for change in draft.budget_changes:
        row = change.row
        was = "" if change.previous is None else f"（原 / was {change.previous:.2f}）"
        lines += [f"; {_label(row.place)}{was}",
                  f'{draft.date} custom "budget" {row.account} "{row.period}" '
                  f"{row.amount:.2f} {draft.currency}"]
        lines += _meta(row.approval, None if draft.first else REVISION_NOTE)
    return lines


def _allocations(draft: PlanDraft) -> list[str]:
    lines = ["", "; 拨款 / allocations"] if draft.allocation_changes else []
    for allocation in draft.allocation_changes:
        given = allocation.row
        note = TOP_UP_NOTE if allocation.booked else (None if draft.first else REVISION_NOTE)
        was = "" if not allocation.booked else f"（已有 / booked {allocation.booked:.2f}）"
        lines += [f"; {_label(given.place)}{was}",
                  f"{draft.date} custom \"allocation\" {quoted(given.fund)} "
                  f"{allocation.amount:.2f} {draft.currency}",
                  f"  due: {given.due}", f"  source: {given.source}"]
        lines += _meta(given.approval, note)
    return lines


def _label(place: Place) -> str:
    """A row's place as the file names it: the file's name (and sheet), the row."""
    sheet = "" if place.sheet is None else f" {place.sheet}"
    return f"{place.file.name}{sheet} 第 {place.row} 行"


def _meta(approval: str | None, note: str | None) -> list[str]:
    lines = [f"  approval: {quoted(approval)}"] if approval else []
    return lines + ([f"  note: {quoted(note)}"] if note else [])
