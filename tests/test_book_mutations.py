"""Sloppy and hostile edits of the demo books never end in a traceback.

Each example copies the demo books into a folder of its own, edits them the way a careless or
hostile hand would (dates at the ends of the calendar or in other years, amounts huge, zero,
negative or with many decimals, lines deleted or duplicated, ``custom`` directives stripped of
their arguments, account names changed, metadata values made numbers, currencies swapped,
directives at the calendar's ends or of odd values inserted) and
runs the commands a bookkeeper runs on them. Whatever the edit, a command ends with exit 0, 1
or 2 and a message, never a Python traceback (not even one quoted from Beancount), and leaves
the books as they were, but for what ``funds seal`` is documented to append.

The examples are the same on every run (``derandomize``), so CI is repeatable; set
``EARMARK_MUTATIONS=explore`` to search ten times as many random ones.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.check import DEMO_BOOKS
from ledger.cli.check import check_funds
from ledger.cli.main import funds

BOOKS = {path.name: path.read_text(encoding="utf-8")
         for path in sorted(DEMO_BOOKS.parent.glob("*.beancount"))}

EXPLORE = os.environ.get("EARMARK_MUTATIONS") == "explore"
settings.register_profile("book-mutations", deadline=None, derandomize=not EXPLORE,
                          database=None, suppress_health_check=[HealthCheck.too_slow])


def examples(count: int) -> settings:
    return settings(settings.get_profile("book-mutations"),
                    max_examples=count * 10 if EXPLORE else count)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?= +[A-Z])")
_ACCOUNT = re.compile(r"(?:Assets|Liabilities|Equity|Income|Expenses)"
                      r"(?::[A-Za-z0-9\-\u4e00-\u9fff]+)+")  # Chinese after the first character
_CUSTOM = re.compile(r'^(\S+ custom "[^"]*")')
_META = re.compile(r'^(\s+[a-z][\w-]*: )".*"')
_CURRENCY = re.compile(r"\bCNY\b")

DATES = ["0001-01-01", "9999-12-31", "9999-12-01", "0001-12-31", "2011-12-31", "2013-01-01",
         "2012-02-29", "2031-06-15", "2012-10-31"]
NUMBERS = ["0", "0.00", "-0.01", "1000000000000.00", "-50000.00", "0.000000000001",
           "123456789.123456789", "99999999999999999999999999.99",
           "999999999999999999999999999999999999"]
ACCOUNTS = ["Expenses:Operating:社区活动", "Expenses:5101-业务活动成本:建设经费:专家辅导费",
            "Assets:1002-银行存款:社工薪酬专户",
            "Income:4401-政府补助收入:限定性收入:区财政:运营经费",
            "Equity:Suspense:待查明款项", "Liabilities:2206-应交税金:代扣个人所得税",
            "Expenses:Unknown:Account", "Assets:银行存款", "Expenses"]
VALUES = ["5120210", "0", "-1.5", "2012-01-01", "TRUE", "12.00 CNY", '""',
          "Expenses:5101-业务活动成本:建设经费:专家辅导费"]
CURRENCIES = ["USD", "HKD", "EUR"]
ZEROS = "0" * 64
INSERTS = [
    '9999-12-31 custom "allocation" "construction" 100.00 CNY',
    '0001-01-01 custom "allocation" "salary" 100.00 CNY\n  due: 9999-12-31',
    '0001-01-01 custom "budget" Expenses:Construction "weekly" 0.00 CNY',
    '9999-12-31 custom "budget" Expenses:Operating "daily" 1.00 CNY',
    '2012-06-01 custom "fund-policy" "split-window-days" 3660',
    '2012-06-01 custom "fund-policy" "allocation-due-days" 3660',
    '2012-06-01 custom "fund-policy" "split-threshold" 0.00 CNY',
    '2012-06-01 custom "fund-policy" "cash-limit" 0.00 USD',
    '2012-06-01 custom "fund-policy" "evidence-keys" "voucher"',
    f'9999-12-31 custom "fund-seal" "9999-12" "sha256:{ZEROS}"',
    f'2012-10-31 custom "fund-seal" "2012-10" "sha256:{ZEROS}"',
    '2012-06-01 custom "fund" "construction" "重复声明"',
    '9999-12-31 custom "fund" "late" "最后一天的专项"\n  end: 0001-01-01',
    '2012-06-01 open Expenses:Operating:社区活动 CNY\n  fund: "operating"',
    '2012-06-01 open Assets:Cash:Other CNY\n  fund: "nobody"\n  kind: 5',
    '0001-01-01 balance Assets:1002-银行存款:运营经费专户 0.00 CNY',
    '9999-12-31 balance Assets:1002-银行存款:运营经费专户 0.00 CNY',
    '2012-06-01 pad Assets:1002-银行存款:运营经费专户 Equity:Suspense:待查明款项',
    '2012-06-01 note Assets:1002-银行存款:运营经费专户 "备注"',
    '2012-06-01 document Assets:1002-银行存款:运营经费专户 "/nonexistent/发票.pdf"',
    '9999-12-31 * "惠民超市" "活动物资"\n  Assets:1002-银行存款:运营经费专户  -1.00 CNY\n'
    '  Expenses:5101-业务活动成本:运营经费:社区服务活动',
    '0001-01-01 * "惠民超市" "活动物资" #tag ^link\n  invoice: 5120210\n'
    '  Assets:1002-银行存款:运营经费专户  -1.00 HKD @ 0.90 CNY\n'
    '  Expenses:5101-业务活动成本:运营经费:社区服务活动  0.90 CNY',
    '2012-06-01 * "惠民超市" "活动物资"\n  Assets:1001-现金:运营经费备用金  99999.00 CNY\n'
    '  Assets:1002-银行存款:社工薪酬专户  -99999.00 CNY',
    '2012-06-01 * "惠民超市"\n  Assets:1002-银行存款:运营经费专户  0 CNY\n'
    '  Expenses:5101-业务活动成本:运营经费:社区服务活动  0 CNY',
    '2012-06-01 custom "import-rule" Assets:1002-银行存款:社工薪酬专户 "摘要" "("'
    ' Income:4401-政府补助收入:限定性收入:区财政:社工薪酬',
    '2012-06-01 custom "bank-profile" "某银行"\n  date: 5',
]


@dataclass(frozen=True)
class Edit:
    """One edit: its kind, which of the lines it applies to (modulo their number), and the
    value it puts in (by index, modulo the choices)."""

    file: str
    kind: str
    line: int
    choice: int


def _replace_first(pattern: re.Pattern[str], line: str, new: str) -> str:
    return pattern.sub(lambda _: new, line, count=1)


def _edited_line(kind: str, line: str, choice: int) -> str | None:
    """The line after the edit, or None when the edit does not apply to it."""
    if kind == "date" and _DATE.search(line):
        return _replace_first(_DATE, line, DATES[choice % len(DATES)])
    if kind == "amount" and _NUMBER.search(line):
        return _replace_first(_NUMBER, line, NUMBERS[choice % len(NUMBERS)])
    if kind == "account" and _ACCOUNT.search(line):
        return _replace_first(_ACCOUNT, line, ACCOUNTS[choice % len(ACCOUNTS)])
    if kind == "strip" and _CUSTOM.match(line):
        return _CUSTOM.match(line).group(1)  # type: ignore[union-attr]
    if kind == "meta" and _META.match(line):
        return _META.sub(lambda found: found.group(1) + VALUES[choice % len(VALUES)], line)
    if kind == "currency" and _CURRENCY.search(line):
        return _replace_first(_CURRENCY, line, CURRENCIES[choice % len(CURRENCIES)])
    return None


def apply(books: dict[str, str], edit: Edit) -> dict[str, str]:
    lines = books[edit.file].split("\n")
    if edit.kind == "insert":
        candidates = [number for number, line in enumerate(lines) if not line.startswith(" ")]
    elif edit.kind in ("delete", "duplicate"):
        candidates = [number for number, line in enumerate(lines) if line.strip()]
    else:
        candidates = [number for number, line in enumerate(lines)
                      if _edited_line(edit.kind, line, edit.choice) is not None]
    if not candidates:
        return books
    number = candidates[edit.line % len(candidates)]
    if edit.kind == "insert":
        lines.insert(number, INSERTS[edit.choice % len(INSERTS)])
    elif edit.kind == "delete":
        del lines[number]
    elif edit.kind == "duplicate":
        lines.insert(number, lines[number])
    else:
        lines[number] = _edited_line(edit.kind, lines[number], edit.choice) or lines[number]
    return {**books, edit.file: "\n".join(lines)}


KINDS = ["date", "amount", "delete", "duplicate", "strip", "account", "meta", "currency",
         "insert"]
edits = st.builds(Edit, st.sampled_from(sorted(BOOKS)), st.sampled_from(KINDS),
                  st.integers(0, 10_000), st.integers(0, 100))
edit_lists = st.lists(edits, min_size=1, max_size=3)


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@functools.cache
def sealed_books() -> dict[str, str]:
    """The demo books with October 2012 sealed by ``funds seal``: their files, and the sealed
    text under ``seals/``."""
    with tempfile.TemporaryDirectory(prefix="sealed-") as folder:
        root = Path(folder)
        for name, text in BOOKS.items():
            (root / name).write_text(text, encoding="utf-8")
        result = invoke(funds, "seal", "2012-10", "--ledger", str(root / "main.beancount"))
        assert result.exit_code == 0, result.output
        return {str(path.relative_to(root)): path.read_text(encoding="utf-8")
                for path in root.rglob("*") if path.is_file()}


@contextmanager
def mutated_books(edit_list: list[Edit], *, sealed: bool = False) -> Iterator[Path]:
    """The main file of a fresh copy of the demo books (with October sealed, if ``sealed``)
    with the edits applied."""
    books = sealed_books() if sealed else dict(BOOKS)
    for edit in edit_list:
        books = apply(books, edit)
    with tempfile.TemporaryDirectory(prefix="mutated-") as folder:
        root = Path(folder) / "books"
        for name, text in books.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        yield root / "main.beancount"


def assert_no_crash(result: Result) -> None:
    """Exit 0, 1 or 2 with a message: never an exception, a traceback, or the rules failing."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception, result.output)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert "专项资金规则无法检查" not in result.output  # ledger.check's last-resort message


def invoke(command: click.Command, *args: str) -> Result:
    return CliRunner().invoke(command, list(args))


@examples(150)
@given(edit_lists, st.booleans())
def test_check_funds_never_crashes_on_edited_books(edit_list: list[Edit], sealed: bool) -> None:
    with mutated_books(edit_list, sealed=sealed) as main:
        before = fingerprint(main.parent)
        for output_format in ("json", "table"):
            assert_no_crash(invoke(check_funds, str(main), "--no-cache", "--format",
                                   output_format))
        assert fingerprint(main.parent) == before


@examples(25)
@given(edit_lists)
def test_monthly_export_never_crashes_on_edited_books(edit_list: list[Edit]) -> None:
    with mutated_books(edit_list) as main, tempfile.TemporaryDirectory() as out:
        before = fingerprint(main.parent)
        assert_no_crash(invoke(funds, "export", "monthly", "2012-10", "--ledger", str(main),
                               "--out", out))
        assert fingerprint(main.parent) == before


_SEAL = re.compile(r'\n*2012-10-31 custom "fund-seal" "2012-10" "sha256:[0-9a-f]{64}"\n'
                   r'(?:  [a-z-]+: .*\n)*')


@examples(60)
@given(edit_lists)
def test_seal_never_crashes_and_only_appends_its_seal(edit_list: list[Edit]) -> None:
    with mutated_books(edit_list) as main:
        before, text = fingerprint(main.parent), main.read_text(encoding="utf-8")
        result = invoke(funds, "seal", "2012-10", "--ledger", str(main))
        assert_no_crash(result)
        after = fingerprint(main.parent)
        if result.exit_code != 0 or after == before:  # refused, or sealed already: no write
            assert after == before
            return
        appended = main.read_text(encoding="utf-8").removeprefix(text)
        assert main.read_text(encoding="utf-8").startswith(text)
        assert _SEAL.fullmatch(appended), appended
        del after["main.beancount"], before["main.beancount"]
        assert set(after) - set(before) <= {"seals/2012-10.jsonl"}
        assert {name: after[name] for name in before} == before


def test_the_sealed_books_are_sealed() -> None:
    books = sealed_books()
    assert set(books) == {*BOOKS, "seals/2012-10.jsonl"}
    assert '2012-10-31 custom "fund-seal" "2012-10"' in books["main.beancount"]


def test_the_edits_change_the_books() -> None:
    """The strategy edits what it says: each kind changes some line of the books."""
    for kind in KINDS:
        changed = [name for name in BOOKS
                   if apply(BOOKS, Edit(name, kind, 3, 1))[name] != BOOKS[name]]
        assert changed, kind
    assert _ACCOUNT.fullmatch("Expenses:5101-业务活动成本:建设经费:装修工程")  # a whole name
    stripped = apply(BOOKS, Edit("accounts.beancount", "strip", 0, 0))["accounts.beancount"]
    assert re.search(r'^\S+ custom "[^"]*"$', stripped, re.MULTILINE)
