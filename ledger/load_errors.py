"""What the loader's errors mean, for a Chinese bookkeeper: the lines ``check-funds`` (and every
command that loads books) and the 专项资金 page show when the books do not load cleanly.

Beancount's messages are English, and one mistake is often followed by a cascade: a file saved
as GBK gives an error per line, a missing ``include`` an "unknown account" per posting, a
dropped transaction a failed balance later. :func:`explain_load_errors` turns the errors into
:class:`ShownError` lines, in this order:

1. each file that cannot be read (saved as GBK or UTF-16, or with a UTF-8 byte-order mark) and
   each ``include`` that names no file, one line each at its file and line, with what to change;
   the errors located in an unreadable file are counted on its line, not listed;
2. the syntax errors, one line per line of the books (a full-width amount such as ``４０５.２０``
   or ``1，000.00`` is one line saying which half-width text to type; so is each slip of a
   Chinese keyboard: ``800.00 元``, a date in 年月日, a full-width space, Chinese quotes “…” or
   a full-width colon after a metadata key);
3. if any of the above, a note that the errors after them may follow from them;
4. the other errors, each after what it means (an unbalanced transaction by how much, a failed
   ``balance`` with the books' figure, the asserted one and the difference, an account opened
   twice with both ``open`` lines and which to delete: never the only one with ``fund:``, …);
5. when a file is missing or unreadable, the "unknown account" errors: which accounts a missing
   file would have opened cannot be known, so all of them are collapsed into one line that
   counts them and names the first few (they reappear, for real, once the file is back).

Each line keeps Beancount's own text (file:line and its English words) beside the Chinese. The
raw bytes of the books are read only here, that is only when the load failed: a clean load
costs nothing.
"""

from __future__ import annotations

import codecs
import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import printer
from beancount.parser.grammar import ParserError, ParserSyntaxError
from beancount.parser.lexer import LexerError

from ledger.files import path_from_books

SYNTAX_ERRORS = (LexerError, ParserError, ParserSyntaxError)
SHOWN_UNKNOWN_ACCOUNTS = 5  # the first few collapsed "unknown account" errors, named


@dataclass(frozen=True)
class ShownError:
    """One line about the books: ``where`` (file:line, the file by its path from the books'
    folder; empty for a note about other lines), ``meaning`` (Chinese / English: what is wrong
    and what to do) and ``beancount`` (Beancount's own text of each error the line stands for;
    for an error of ours, whose message is the meaning, only the entry it is about)."""

    where: str
    meaning: str
    beancount: tuple[str, ...] = ()

    @property
    def headline(self) -> str:
        """The line to show first: where, then what it means."""
        return f"{self.where}: {self.meaning}" if self.where else self.meaning


@dataclass
class _Books:
    """The books' files as the errors need them: read at most once each, only when asked."""

    folder: Path
    files: list[str]
    entries: Iterable[data.Directive] = ()
    _texts: dict[str, list[str]] = field(default_factory=dict)
    _opens: dict[str, list[data.Open]] | None = None

    def lines(self, filename: str) -> list[str]:
        if filename not in self._texts:
            try:
                raw = Path(filename).read_bytes()
            except OSError:
                raw = b""
            self._texts[filename] = raw.decode("utf-8", "replace").splitlines()
        return self._texts[filename]

    def line(self, filename: str, lineno: int) -> str:
        lines = self.lines(filename)
        return lines[lineno - 1] if 0 < lineno <= len(lines) else ""

    def where(self, filename: str, lineno: int) -> str:
        return f"{path_from_books(filename, self.folder)}:{lineno}"

    def opens(self, account: str) -> list[data.Open]:
        """Every ``open`` of ``account`` among the loaded entries, in their order (by date)."""
        if self._opens is None:
            self._opens = {}
            for entry in self.entries:
                if isinstance(entry, data.Open):
                    self._opens.setdefault(entry.account, []).append(entry)
        return self._opens.get(account, [])

    def at(self, entry: data.Directive) -> str:
        return self.where(str(entry.meta.get("filename", "<load>")),
                          int(entry.meta.get("lineno") or 0))


def explain_load_errors(errors: Sequence[data.BeancountError], options_map: dict[str, Any],
                        main: Path, entries: Iterable[data.Directive] = ()) -> list[ShownError]:
    """The lines that say what ``errors`` (the load errors of the books at ``main``, whose
    ``options_map["include"]`` lists the files read) mean, in the order of the module's
    docstring. ``entries``, the loaded ones, let a duplicate ``open`` name the other one(s)."""
    books = _Books(main.absolute().parent, [str(name) for name in
                                            options_map.get("include") or [main.absolute()]],
                   entries)
    unreadable = _unreadable_files({_filename(error) for error in errors}, books)
    missing, rest = _missing_includes(errors, books)
    broken = [*(line for line, _ in unreadable.values()), *missing]
    kinds = _Kinds(books, unreadable, bool(broken), _in_order(main))
    for error in rest:
        kinds.add(error)
    kinds.fold_balances_after_skipped_entries()
    shown = [_with_folded(line, kinds.folded.get(name, []))
             for name, (line, _) in unreadable.items()]
    shown += missing
    shown += [_shown_syntax(group, kinds.after_syntax.get(key, []), books)
              for key, group in kinds.sorted_syntax()]
    if shown and kinds.others:
        shown.append(ShownError("", FOLLOWING))
    shown += _shown_others(kinds.sorted(kinds.others), books)
    if kinds.unknown:
        shown.append(_collapsed_unknown(kinds.sorted(kinds.unknown), broken, books))
    return shown


_Where = tuple[str, int]


@dataclass
class _Kinds:
    """The load errors sorted into what is shown how: ``folded`` into the line of the
    unreadable file they are in, ``syntax`` by file and line, ``after_syntax`` the failed
    balances of accounts of a transaction a syntax error skipped, ``unknown`` accounts when a
    file is missing or unreadable, and ``others``."""

    books: _Books
    unreadable: dict[str, tuple[ShownError, bool]]
    broken: bool
    in_order: Callable[[str, int], tuple[bool, str, int]]
    folded: dict[str, list[data.BeancountError]] = field(default_factory=dict)
    syntax: dict[_Where, list[data.BeancountError]] = field(default_factory=dict)
    after_syntax: dict[_Where, list[data.BeancountError]] = field(default_factory=dict)
    unknown: list[data.BeancountError] = field(default_factory=list)
    others: list[data.BeancountError] = field(default_factory=list)

    def add(self, error: data.BeancountError) -> None:
        filename = _filename(error)
        if filename in self.unreadable and (self.unreadable[filename][1] or _lineno(error) == 1):
            self.folded.setdefault(filename, []).append(error)
        elif isinstance(error, SYNTAX_ERRORS):
            self.syntax.setdefault((filename, _lineno(error)), []).append(error)
        elif self.broken and _UNKNOWN_ACCOUNT.search(str(error.message)):
            self.unknown.append(error)
        else:
            self.others.append(error)

    def sorted(self, errors: list[data.BeancountError]) -> list[data.BeancountError]:
        return sorted(errors, key=lambda error: self.in_order(_filename(error), _lineno(error)))

    def sorted_syntax(self) -> list[tuple[_Where, list[data.BeancountError]]]:
        return [(key, self.syntax[key]) for key in sorted(self.syntax,
                                                          key=lambda key: self.in_order(*key))]

    def fold_balances_after_skipped_entries(self) -> None:
        """Move each failed ``balance`` of an account that a transaction skipped for a syntax
        error posts to (or of a parent of it), dated after that transaction, from ``others``
        to ``after_syntax`` of the first such syntax error."""
        skipped = [(key, found) for key, _ in self.sorted_syntax()
                   if (found := _skipped_transaction(self.books, *key)) is not None]
        if not skipped:
            return
        kept: list[data.BeancountError] = []
        for error in self.others:
            cause = _skipped_cause(error, skipped)
            if cause is None:
                kept.append(error)
            else:
                self.after_syntax.setdefault(cause, []).append(error)
        self.others = kept


@dataclass(frozen=True)
class _Skipped:
    """A transaction the loader skipped for a syntax error in it: its date and accounts."""

    date: datetime.date
    accounts: frozenset[str]


_HEADER = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\s+(?:\*|!|txn\b)")
_POSTING_ACCOUNT = re.compile(r"^\s+(?:[*!]\s+)?([A-Z0-9][^\s;:]*(?::[^\s;:]+)+)")


def _skipped_transaction(books: _Books, filename: str, lineno: int) -> _Skipped | None:
    """The transaction around ``filename:lineno``, read from the raw lines: from the dated
    line at or above it to the first line that is not indented below it."""
    lines = books.lines(filename)
    start = lineno - 1
    while 0 <= start < len(lines) and lines[start][:1].isspace():
        start -= 1
    header = _HEADER.match(lines[start]) if 0 <= start < len(lines) else None
    if header is None:
        return None
    try:
        date = datetime.date(*(int(part) for part in header.groups()))
    except ValueError:
        return None
    accounts = set()
    for text in lines[start + 1:]:
        if not text[:1].isspace():
            break
        found = _POSTING_ACCOUNT.match(text)
        if found:
            accounts.add(found.group(1))
    return _Skipped(date, frozenset(accounts))


def _skipped_cause(error: data.BeancountError,
                   skipped: list[tuple[_Where, _Skipped]]) -> _Where | None:
    """The first skipped transaction a failed ``balance`` may follow from, if any."""
    entry = getattr(error, "entry", None)
    if not isinstance(entry, data.Balance) or "Balance failed" not in str(error.message):
        return None
    for key, transaction in skipped:
        if transaction.date <= entry.date and any(
                account == entry.account or account.startswith(entry.account + ":")
                for account in transaction.accounts):
            return key
    return None


FOLLOWING = ("以下错误可能由上面的错误引起（被略过的分录会使余额、借贷对不上），请先改正上面的，"
             "再重新检查 / the errors below may follow from the ones above: fix those first, "
             "then check again")


def _in_order(main: Path) -> Callable[[str, int], tuple[bool, str, int]]:
    """The order errors are shown in: the main file's first, then by file name and line."""
    first = str(main.absolute())
    return lambda filename, lineno: (filename != first, filename, lineno)


def beancount_text(error: data.BeancountError) -> str:
    """Beancount's own words for ``error``: file:line, message, and the entry if any."""
    return str(printer.format_error(error)).rstrip()  # type: ignore[no-untyped-call]


def _filename(error: data.BeancountError) -> str:
    source = error.source or {}
    return str(source.get("filename", "<load>"))


def _lineno(error: data.BeancountError) -> int:
    source = error.source or {}
    return int(source.get("lineno") or 0)


# Files that cannot be read ---------------------------------------------------------------

SAVE_AS_UTF8 = "请用编辑器另存为 UTF-8（无 BOM） / save it as UTF-8 without BOM"


def _unreadable_files(filenames: Iterable[str], books: _Books,
                      ) -> dict[str, tuple[ShownError, bool]]:
    """The files among ``filenames`` (those the errors are in) that Beancount cannot read as
    UTF-8, each with the line that says so and whether the whole file is unreadable (else only
    its first line, after a byte-order mark), in the order of the books' files."""
    named = set(filenames)
    found: dict[str, tuple[ShownError, bool]] = {}
    for filename in books.files:
        if filename in named:
            line = _unreadable(filename, books)
            if line is not None:
                found[filename] = line
    return found


def _unreadable(filename: str, books: _Books) -> tuple[ShownError, bool] | None:
    try:
        raw = Path(filename).read_bytes()
    except OSError:
        return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _cannot_read(books.where(filename, 1), "文件以 UTF-16 编码保存，Beancount 无法读取",
                            "the file is saved as UTF-16, which Beancount cannot read"), True
    if raw.startswith(codecs.BOM_UTF8):
        return _cannot_read(books.where(filename, 1),
                            "文件开头有 UTF-8 字节顺序标记（BOM，看不见的字符），"
                            "Beancount 无法读取第 1 行",
                            "the file starts with a byte-order mark (BOM, invisible), which "
                            "Beancount cannot read"), False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        where = books.where(filename, raw.count(b"\n", 0, error.start) + 1)
        gbk = _is_gbk(raw)
        chinese = "文件不是 UTF-8 编码" + ("（多为 GBK 编码保存）" if gbk else "")
        english = "the file is not UTF-8" + (" (most likely saved as GBK)" if gbk else "")
        return _cannot_read(where, f"{chinese}，Beancount 读不出其中的汉字", english), True
    return None


def _cannot_read(where: str, chinese: str, english: str) -> ShownError:
    return ShownError(where, f"{chinese}：请用编辑器另存为 UTF-8（无 BOM） / {english}: save it "
                             "as UTF-8 without BOM")


def _is_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _with_folded(line: ShownError, errors: list[data.BeancountError]) -> ShownError:
    """``line`` saying that ``errors`` (of its file) follow from it, with Beancount's words
    for the first of them."""
    if not errors:
        return line
    chinese, english = line.meaning.split(" / ", 1)
    count = len(errors)
    return ShownError(line.where, f"{chinese}；此文件因此有 {count} 处错误，未逐条列出 / "
                                  f"{english} ({count} errors in this file follow from it, not "
                                  "listed)", (beancount_text(errors[0]).splitlines()[0],))


# Missing included files ----------------------------------------------------------------------

_NO_FILE = re.compile(r'^File glob "(.*)" does not match any files$|^File "(.*)" does not exist$')


def _missing_includes(errors: Iterable[data.BeancountError], books: _Books,
                      ) -> tuple[list[ShownError], list[data.BeancountError]]:
    """The line of each ``include`` that names no file, at the ``include`` in the books, and
    the other errors."""
    missing: list[ShownError] = []
    rest: list[data.BeancountError] = []
    taken: set[tuple[str, int]] = set()
    for error in errors:
        found = _NO_FILE.match(str(error.message)) if _filename(error) == "<load>" else None
        if found is None:
            rest.append(error)
            continue
        name = found.group(1) or found.group(2)
        where = _include_line(name, books, taken)
        missing.append(ShownError(
            books.where(*where) if where else "<load>:0",
            f"include 的文件不存在：{name}；请把该文件放回账簿文件夹，或改正 include 行的文件名 / "
            f"the included file {name} does not exist: put it back or correct the include",
            (beancount_text(error),)))
    return missing, rest


def _include_line(name: str, books: _Books, taken: set[tuple[str, int]],
                  ) -> tuple[str, int] | None:
    """The file and line of the first ``include "name"`` not yet named."""
    include = re.compile(rf'^\s*include\s+"{re.escape(name)}"')
    for filename in books.files:
        for number, text in enumerate(books.lines(filename), start=1):
            if (filename, number) not in taken and include.match(text):
                taken.add((filename, number))
                return filename, number
    return None


_UNKNOWN_ACCOUNT = re.compile(r"Invalid reference to unknown account '([^']*)'")


def _collapsed_unknown(errors: list[data.BeancountError], broken: list[ShownError],
                       books: _Books) -> ShownError:
    accounts = list(dict.fromkeys(
        found.group(1) for error in errors
        if (found := _UNKNOWN_ACCOUNT.search(str(error.message))) is not None))
    first = list({books.where(_filename(error), _lineno(error)): error
                  for error in errors}.items())[:SHOWN_UNKNOWN_ACCOUNTS]
    wheres = "、".join(where for where, _ in first)
    named = "、".join(accounts[:SHOWN_UNKNOWN_ACCOUNTS])
    named += "…" if len(accounts) > SHOWN_UNKNOWN_ACCOUNTS else ""
    causes = "、".join(line.where for line in broken)
    return ShownError(
        "", f"另有 {len(errors)} 处“科目未开设”错误（{len(accounts)} 个科目：{named}；如 "
            f"{wheres}），多半因为上面的文件（{causes}）未能读入，其中的 open 没有生效；"
            "该文件恢复后重新检查，仍未开设的科目会逐条列出 / "
            f"{len(errors)} unknown-account error(s), most likely because the file above was not "
            "read and its opens are missing; once it is back, any still unknown are listed",
        tuple(beancount_text(error).splitlines()[0] for _, error in first))


# Syntax errors -------------------------------------------------------------------------------

_TOKEN = re.compile(r"Invalid token: '(.*)'$", re.DOTALL)
_FULL_WIDTH = re.compile("[\u3000\u3002\uff01-\uff5e]")
_AMOUNT_PART = re.compile(
    r"^(?:\s+(?:[*!]\s+)?|\d{4}-\d{1,2}-\d{1,2}\s+balance\s+)[A-Z0-9][^\s;]*\s+(?P<amount>.*)$")
_DATE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})")
_BAD_DATE = re.compile(r"day is out of range|month must be in|year .* is out of range")


def _shown_syntax(errors: list[data.BeancountError], balances: list[data.BeancountError],
                  books: _Books) -> ShownError:
    """One line for the syntax errors of one line of the books, counting the failed
    ``balance`` assertions that follow from the transaction they made the loader skip."""
    first = errors[0]
    lineno = _lineno(first)
    meaning = _syntax_meaning(errors, books.line(_filename(first), lineno))
    texts = tuple(beancount_text(error) for error in errors)
    if balances:
        chinese, english = meaning.split(" / ", 1)
        count, where = len(balances), books.where(_filename(balances[0]), _lineno(balances[0]))
        meaning = (f"{chinese}。这笔分录因此被略过，其后 {count} 处余额断言随之不符（如 {where}），"
                   f"未逐条列出 / {english}. The entry was skipped, so {count} balance "
                   f"assertion(s) after it fail (first {where}), not listed")
        texts += (beancount_text(balances[0]).splitlines()[0],)
    return ShownError(books.where(_filename(first), lineno), meaning, texts)


def _syntax_meaning(errors: list[data.BeancountError], text: str) -> str:
    slips = keyboard_slips(text)
    if slips:
        return slips
    messages = [str(error.message) for error in errors]
    tokens = [found.group(1) for message in messages if (found := _TOKEN.match(message))]
    amount = _AMOUNT_PART.match(text)
    full_width = [token for token in tokens if _FULL_WIDTH.search(token)]
    if full_width:
        return _full_width(full_width[0], text)
    if any(_BAD_DATE.search(message) for message in messages):
        found = _DATE.match(text)
        date = f"“{found.group(1)}”" if found else ""
        return (f"日期无效{date}：该月没有这一天或月份不在 1–12，请改正日期 / invalid date: no "
                "such day")
    if any("Invalid number format" in message for message in messages):
        number = re.search(r"Invalid number format: '(.*)'", " ".join(messages))
        shown = f"“{number.group(1)}”" if number else ""
        return (f"金额写法无效{shown}：千分位逗号须每三位一个，小数点用句点，如 1,000.00 或 "
                "1000.00 / not a valid amount, e.g. 1,000.00")
    if amount is not None and _not_a_number(amount.group("amount"), tokens):
        return (f"金额不是数字（“{amount.group('amount').split()[0]}”）：金额须用半角数字，如 "
                "-1,000.00 CNY / the amount is not a number")
    for message in messages:
        for pattern, meaning in _PARSER_MEANINGS:
            found = re.search(pattern, message)
            if found:
                return meaning(found)
    if any('"' in token for token in tokens):
        return ("引号不成对：此行或前面某行少了一个引号（\"），一段文字被读到了这里 / unbalanced "
                "quotes: a quote is missing on this line or one before it")
    return ("无法识别的写法（多为金额、引号或缩进有误） / syntax error (usually an amount, a "
            "quote or an indentation)")


# Chinese-keyboard slips: what an input method types instead of Beancount's half-width text,
# looked for only outside the quoted texts of the line (where any character is fine)

_QUOTED = re.compile(r'"[^"]*"')
_INDENT_FULL_WIDTH_SPACE = re.compile("^[ \t]*\u3000")
_CURRENCY_WORD = re.compile(r"(?:^|(?<=\s))(?:(?P<number>[-+]?[\d,.]*\d)\s*"
                            r"(?P<word>元|人民币|块|cny|rmb)(?![A-Za-z])"
                            r"|(?P<sign>[￥¥])\s*(?P<signed>[-+]?[\d,.]*\d))")
_CHINESE_DATE = re.compile(r"^(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"
                           r"|\.(\d{1,2})\.(\d{1,2}))(?=\s|$)")
_CHINESE_QUOTES = re.compile("[\u201c\u201d\u2018\u2019\u300c\u300d]")
_QUOTED_CHINESE = re.compile("[\u201c\u2018\u300c]([^\u201c\u201d\u2018\u2019\u300c\u300d]*)"
                             "[\u201d\u2019\u300d]")
_META_COLON = re.compile(r"^\s+([a-z][A-Za-z0-9_-]*)\s*：\s*(.*?)\s*$")


def keyboard_slips(text: str) -> str:
    """What to type instead of the Chinese-keyboard slips on the line ``text`` (a full-width
    space, Chinese quotes or colon, 元 for CNY, a date in 年月日), Chinese / English, or ""."""
    bare = _QUOTED.sub('""', text)
    found = [slip for check in _SLIPS if (slip := check(text, bare)) is not None]
    return "；".join(chinese for chinese, _ in found) + " / " + "; ".join(
        english for _, english in found) if found else ""


_Slip = tuple[str, str] | None


def _full_width_space(_: str, bare: str) -> _Slip:
    if _INDENT_FULL_WIDTH_SPACE.match(bare):
        return ("行首用了全角空格缩进：请把它换成两个半角空格",
                "the line is indented with a full-width space: use two half-width spaces")
    if "\u3000" in bare:
        return ("用了全角空格：请换成半角空格", "a full-width space: use a half-width space")
    return None


def _chinese_quotes(text: str, bare: str) -> _Slip:
    if not _CHINESE_QUOTES.search(bare):
        return None
    fixed = _QUOTED_CHINESE.search(text)
    shown = f'，写作 "{fixed.group(1)}"' if fixed else ""
    return (f"引号用了中文引号“”：请换成半角双引号{shown}",
            'Chinese quotes: use straight double quotes "..."')


def _meta_colon(text: str, bare: str) -> _Slip:
    found = _META_COLON.match(bare)
    if found is None:
        return None
    key, value = found.group(1), _META_COLON.match(text)
    typed = (_QUOTED_CHINESE.sub(r'"\1"', value.group(2)) if value else "") or "…"
    return (f"元数据的冒号用了全角“：”：请写作 {key}: {typed}（半角冒号，后加一个空格）",
            f"a full-width colon after {key}: write {key}: followed by a space")


def _currency_word(_: str, bare: str) -> _Slip:
    found = _CURRENCY_WORD.search(bare)
    if found is None:
        return None
    word = found.group("word") or found.group("sign")
    number = found.group("number") or found.group("signed")
    return (f"币种请写 CNY，不要写“{word}”：写作 {number} CNY",
            f"write the currency as CNY, not {word}: {number} CNY")


def _chinese_date(_: str, bare: str) -> _Slip:
    found = _CHINESE_DATE.match(bare)
    if found is None:
        return None
    year, month, day = found.group(1), found.group(2) or found.group(4), found.group(3) or (
        found.group(5))
    date = f"{year}-{int(month):02}-{int(day):02}"
    return (f"日期须写作 {date}（年-月-日，半角数字和连字符）",
            f"write the date as {date} (year-month-day)")


_SLIPS: tuple[Callable[[str, str], _Slip], ...] = (
    _chinese_date, _full_width_space, _chinese_quotes, _meta_colon, _currency_word)


_NUMBER_TEXT = re.compile(r"[-+]?[\d,.()+\-*/]+")


def _not_a_number(amount: str, tokens: list[str]) -> bool:
    """Whether the amount written on a line with a syntax error is what is wrong with it: a
    token Beancount could not read is in it, or it has more than digits and arithmetic."""
    words = amount.split()
    return bool(words) and (any(token in amount for token in tokens)
                            or not _NUMBER_TEXT.fullmatch(words[0]))


def _full_width(token: str, text: str) -> str:
    """What to type instead of the full-width text around ``token`` on the line ``text``."""
    typed = next((word for word in text.split() if token in word), token)
    half = unicodedata.normalize("NFKC", typed).replace("。", ".")
    return (f"金额或标点用了全角字符（“{typed}”）：请使用半角数字和标点，写作 {half} / use "
            f"half-width digits and punctuation: {half}")


_PARSER_MEANINGS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r"Invalid account name: (\S+)",
     lambda found: f"科目名写法无效（{found.group(1)}）：每一级须以大写英文字母或数字开头，"
                   "汉字放在其后，如 Assets:1002-银行存款 / invalid account name: each "
                   "component must start with a capital letter or a digit"),
    (r"Too many strings on transaction description",
     lambda _: "交易标题最多两段带引号的文字（收付款人、摘要） / at most two strings (payee, "
               "narration) on a transaction"),
    (r"unexpected (?:INDENT|EOL)",
     lambda _: "这一行不完整或缩进有误：分录行须缩进，指令须从行首写起 / incomplete line or wrong "
               "indentation"),
)


# Other errors ------------------------------------------------------------------------------

def _shown_others(errors: list[data.BeancountError], books: _Books) -> list[ShownError]:
    """A line per error, but one per account opened more than twice (Beancount's words for
    each of its duplicates below it)."""
    shown: list[ShownError] = []
    opened: dict[str, int] = {}  # an account opened twice: the index of its line
    for error in errors:
        found = _DUPLICATE_OPEN.search(str(error.message))
        account = found.group(1) if found else None
        if account is not None and account in opened:
            line = shown[opened[account]]
            shown[opened[account]] = replace(line, beancount=(*line.beancount,
                                                               beancount_text(error)))
            continue
        if account is not None:
            opened[account] = len(shown)
            duplicate = _duplicate_open(account, books)
            if duplicate is not None:
                shown.append(replace(duplicate, beancount=(beancount_text(error),)))
                continue
        shown.append(_shown(error, books))
    return shown


_DUPLICATE_OPEN = re.compile(r"Duplicate open directive for (\S+)")
_BOOKKEEPING_META = ("filename", "lineno", "fund")


def _duplicate_open(account: str, books: _Books) -> ShownError | None:
    """The line of an account opened more than once: every ``open`` of it, which to keep (the
    one that carries ``fund:``, else the one with the most metadata, else the first) and which
    to delete, never the only one with ``fund:``. None without the loaded entries."""
    opens = books.opens(account)
    if len(opens) < 2:
        return None
    wheres = [books.at(entry) for entry in opens]
    listed = "、".join(wheres[:-1]) + f" 与 {wheres[-1]}"
    times = "两次" if len(opens) == 2 else f" {len(opens)} 次"
    head = f"同一科目开设了{times}：{account}（{listed}）"
    english = f"{account} is opened {len(opens)} times ({', '.join(wheres)})"
    funds = list(dict.fromkeys(str(entry.meta["fund"]) for entry in opens
                               if "fund" in entry.meta))
    if len(funds) > 1:
        named = "、".join(f"“{fund}”" for fund in funds)
        each = "两条" if len(opens) == 2 else "各条"
        return ShownError(books.at(opens[-1]),
                          f"{head}；{each}的 fund: 不同（{named}）：请核对该科目属于哪项专项，"
                          f"删去错的一条 / {english}, with different funds: keep the right one "
                          "only")
    keeper = max(opens, key=lambda entry: ("fund" in entry.meta, len(_own_meta(entry))))
    dropped = [entry for entry in opens if entry is not keeper]
    return ShownError(books.at(dropped[0]) if len(dropped) == 1 else books.at(opens[-1]),
                      f"{head}；{_keep_one(keeper, dropped, books)} / {english}: keep "
                      f"{books.at(keeper)}, delete {', '.join(map(books.at, dropped))}")


def _own_meta(entry: data.Open) -> list[str]:
    return [key for key in entry.meta
            if key not in _BOOKKEEPING_META and not key.startswith("__")]


def _keep_one(keeper: data.Open, dropped: list[data.Open], books: _Books) -> str:
    """请删去 …，保留 …: with why (fund:), what to move first, and the date to keep."""
    these = "这一条" if len(dropped) == 1 else f"这 {len(dropped)} 条"
    why = "（没有 fund:）" if "fund" in keeper.meta else ""
    fund = f"（fund: \"{keeper.meta['fund']}\"）" if "fund" in keeper.meta else ""
    text = (f"请删去 {'、'.join(books.at(entry) for entry in dropped)} {these}{why}，保留 "
            f"{books.at(keeper)} 那一条{fund}")
    moved = [key for key in dict.fromkeys(key for entry in dropped for key in _own_meta(entry))
             if key not in keeper.meta]
    if moved:
        text += f"，删去前先把 {'、'.join(key + ':' for key in moved)} 移到保留的那一条"
    earliest = min(entry.date for entry in dropped)
    if earliest < keeper.date:
        which = "两者中较早的" if len(dropped) == 1 else "其中最早的"
        text += f"，并把它的日期改为 {earliest}（{which}）"
    return text


def _shown(error: data.BeancountError, books: _Books) -> ShownError:
    where = books.where(_filename(error), _lineno(error))
    message = str(error.message)
    if _is_ours(message):  # the message says it; Beancount's text adds the entry, if any
        entry = beancount_text(error).split("\n", 1)[1:]
        return ShownError(where, message, tuple(text.strip("\n") for text in entry if text.strip()))
    return ShownError(where, _meaning(message), (beancount_text(error),))


def _is_ours(message: str) -> bool:
    """Our own load errors (see :mod:`ledger.check`) say it in Chinese, then `` / `` and
    English."""
    chinese, slash, _ = message.partition(" / ")
    return bool(slash) and _CJK.search(chinese) is not None


_CJK = re.compile("[\u4e00-\u9fff]")


def _meaning(message: str) -> str:
    for pattern, meaning in _MEANINGS:
        found = re.search(pattern, message)
        if found:
            return meaning(found)
    return "账簿错误，见下方 Beancount 的原文 / an error in the books, see Beancount's words"


def _unbalanced(found: re.Match[str]) -> str:
    residual = found.group(1).strip()
    parts = residual.split()
    side = ""
    if len(parts) == 2 and "," not in residual:
        number = _decimal(parts[0])
        if number is not None and number:
            side = "借方多于贷方" if number > 0 else "贷方多于借方"
            residual = f"{abs(number)} {parts[1]}"
    side = f"（{side}）" if side else ""
    return (f"该笔交易借贷不平：相差 {residual}{side}，请核对各行金额 / the transaction does "
            f"not balance by {residual}")


def _balance_failed(found: re.Match[str]) -> str:
    account, expected, accumulated, currency = found.group(1, 2, 4, 5)
    books, asserted = _decimal(accumulated), _decimal(expected)
    if books is None or asserted is None:
        return f"余额断言不符：{account} 账面 {accumulated}，断言 {expected}"
    difference = books - asserted
    side = "账面多" if difference > 0 else "账面少"
    return (f"余额断言不符：{account} 账面 {books} {currency}，断言 {asserted} {currency}，相差 "
            f"{abs(difference)} {currency}（{side}）；请对照银行对账单查找漏记或错记的分录 / "
            f"balance assertion failed: books {books}, asserted {asserted}, difference "
            f"{difference} {currency}")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


_MEANINGS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r"Transaction does not balance: \((.*)\)", _unbalanced),
    (r"Balance failed for '([^']*)': expected (\S+) (\S+) != accumulated (\S+) (\S+)",
     _balance_failed),
    (_UNKNOWN_ACCOUNT.pattern,
     lambda found: f"科目未开设：{found.group(1)}（缺 open，或科目名写错） / unknown account "
                   f"{found.group(1)}: open it, or correct its name"),
    (r"Invalid reference to inactive account '([^']*)'",
     lambda found: f"科目 {found.group(1)} 在此日期不可用：日期早于其 open，或该科目已 close / "
                   f"account {found.group(1)} is not open on this date"),
    (r"Duplicate open directive for (\S+)",
     lambda found: f"同一科目开设了两次：{found.group(1)}，请删去多余的 open / "
                   f"{found.group(1)} is opened twice"),
    (r'Duplicate filename parsed: "(.*)"',
     lambda found: f"同一文件被 include 了两次：{found.group(1)}，请删去多余的 include 行 / "
                   "a file is included twice"),
    (r'File does not exist: "(.*)"',
     lambda found: f"document 指向的文件不存在：{found.group(1)} / the document's file does "
                   "not exist"),
    (r"Unused Pad entry",
     lambda _: "pad 没有用上：其后没有该科目的 balance 断言 / unused pad: no balance after it"),
)
