"""The fund-use plan (资金使用计划) from a spreadsheet: budget lines and allocations for the books.

The district and the city hand the centre its plan as a spreadsheet: an xlsx with a sheet whose
name holds 预算 (budget) and one whose name holds 拨款 (allocations), or CSV files whose names
hold 预算 / 拨款 (a file or sheet named neither is told by its header; a workbook's sheet that
is neither, such as 填表说明, is skipped and named). Amounts are in 元, or in 万元 where the
header (金额（万元）), a 单位 line or the title above it says so: converted exactly. A title
row above the header is allowed (``2013年度资金使用计划``: the plan's year), and so are
signature rows under the table; a 合计 or 小计 row is skipped once it is checked to equal
the rows it adds up. A cell merged over several rows (a fund's 专项 down the rows of its lines)
reads in each of them.

- 预算 rows: 专项 (the fund's code or declared name), 科目 (an Expenses account of the fund, or
  the Chinese name of one of its expense sub-accounts, e.g. 装修工程: a new one is opened under
  the chart's 业务活动成本 where the fund has none, with a note when its name is one character
  away from one the fund has), 期间 (年度/季度/月度 or yearly/quarterly/monthly; 年度 when the
  column or the cell is blank), 金额 (0 or more), optional 文号.
- 拨款 rows: 专项, 来源 (区财政 / 市财政: the fund's Income account with that component, else a
  new 政府补助收入 account; or a component or the full name of one of the fund's opened Income
  accounts, noted when outside 4401 政府补助收入; nothing else), 金额 (more than 0), 到位期限
  (on or after 1 January of the plan's year), optional 文号.

:func:`draft_plan` turns the rows into the text of a new file: an ``open`` for every account
the plan names that the books lack, a ``custom "budget"`` per budget row and a
``custom "allocation"`` per allocation row, compared with what the books already hold for the
plan's year so that a revised plan (调整) writes only what changed. Allocations are matched by
fund and source: a raised one writes a top-up of the difference, due on the row's 到位期限, which
must fall after the revision (so must a new one's); a lowered allocation or a moved due date is
refused, to be changed by hand. A plan of one kind (budget or allocations) is a first plan while
the books hold none of that kind for the year. A first plan takes effect on 1 January, or
the day after the year's last sealed month; a revision on its date, never within a sealed
month. Every row it cannot take is named by file, sheet, row and column, all of them at once,
and nothing is drafted. :func:`verify_with_plan` loads the books with the drafted text before
anything is written.

Modules: :mod:`.sheets` (the sheets and their headers), :mod:`.rows` (the rows, cell by cell),
:mod:`.accounts` (the books' accounts the cells name), :mod:`.draft` (the plan against the
books), :mod:`.text` (the Beancount text), :mod:`.check` (the books loaded with it),
:mod:`.units` (元 or 万元).
"""

from importers.plan.accounts import BooksPlan, Opening, books_plan
from importers.plan.check import REFUSED_RULES, PlanCheck, is_included, verify_with_plan
from importers.plan.draft import (
    AllocationChange,
    BooksWithoutFunds,
    BudgetChange,
    PlanDraft,
    PlanError,
    RevisionDateError,
    draft_plan,
)
from importers.plan.rows import AllocationRow, BudgetRow, Place, PlanUsageError
from importers.plan.sheets import ALLOCATION, BUDGET, COLUMNS, Header, Sheet, find_header
from importers.plan.text import REVISION_NOTE, TOP_UP_NOTE, plan_text

__all__ = [
    "ALLOCATION", "BUDGET", "COLUMNS", "REFUSED_RULES", "REVISION_NOTE", "TOP_UP_NOTE",
    "AllocationChange", "AllocationRow", "BooksPlan", "BooksWithoutFunds", "BudgetChange",
    "BudgetRow", "Header", "Opening", "Place", "PlanCheck", "PlanDraft", "PlanError",
    "PlanUsageError", "RevisionDateError", "Sheet", "books_plan", "draft_plan", "find_header",
    "is_included", "plan_text", "verify_with_plan",
]
