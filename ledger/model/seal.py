"""Sealed months (封账): the canonical text of a month's fund entries, and its digest.

Once a month's reconciliation has gone to the finance bureau, ``funds seal YYYY-MM`` appends to
the books ``custom "fund-seal" "YYYY-MM" "sha256:<hex>"``, dated the month's last day, and keeps
the month's canonical text in ``seals/YYYY-MM.jsonl`` beside the file holding that directive.

The canonical text has one line per entry dated in the month that touches a fund, sorted:

- an entry touches a fund when it names an account of a fund (a posting, a balance, an
  ``open``, a ``pad``'s either account, ...), or is one of the project's own directives that
  govern the funds: ``fund``, ``allocation``, ``fund-policy``, and ``budget`` on a fund's account;
- a line is the entry as JSON: its kind of directive, date and every field (postings sorted,
  tags and links sorted, numbers without trailing zeros), and its metadata but the file and
  line the parser records and Beancount's own ``__`` keys. Where it is written, in which file,
  in which order, with which spacing and comments, changes nothing; every date, account,
  amount, payee, narration, flag, tag, link and metadata value does;
- what Beancount makes itself is left out: ``pad``'s transactions, a ``balance``'s computed
  difference, the documents it finds in ``option "documents"`` folders, and entries of no file
  (``<...>``). ``fund-seal`` directives are never part of it. The text is read from the
  entries the rules judge: the plugin's when the books declare it (other plugins after it
  change nothing), else the loaded ones.

The digest is the sha256 of the text, each line ending in a newline: ``sha256sum`` of the kept
file gives it.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path

from beancount.core import account as account_lib
from beancount.core import data, flags
from beancount.core.amount import Amount

from ledger.model.findings import custom_values, shown_values

SEAL_TYPE = "fund-seal"
SEALS_FOLDER = "seals"
_MONTH = re.compile(r"(?!0000)\d{4}-(0[1-9]|1[0-2])")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_GOVERNING = frozenset({"fund", "allocation", "fund-policy"})
_ACCOUNT_FIELDS = ("account", "source_account")


@dataclass(frozen=True)
class Seal:
    """One ``fund-seal`` directive: the month it seals and the digest of its text then."""

    month: str
    digest: str
    entry: data.Custom

    @property
    def text_path(self) -> Path:
        """Where the sealed text is kept: ``seals/<month>.jsonl`` beside the directive's file."""
        return seal_text_path(Path(self.entry.meta["filename"]), self.month)


def kept_texts(seals: Iterable[Seal]) -> list[Path]:
    """The sealed texts that are there: files the books' checks read besides the books."""
    return [seal.text_path for seal in seals if seal.text_path.is_file()]


def seal_text_path(books_file: Path, month: str) -> Path:
    return books_file.parent / SEALS_FOLDER / f"{month}.jsonl"


def read_seal_directive(entry: data.Custom) -> Seal | str:
    """The seal, or a message saying what is wrong with the directive."""
    values = custom_values(entry)
    if (len(values) == 2 and isinstance(values[0], str) and _MONTH.fullmatch(values[0])
            and isinstance(values[1], str) and _DIGEST.fullmatch(values[1])):
        last = month_days(values[0])[1]
        if entry.date == last:
            return Seal(values[0], values[1], entry)
        return (f"封账指令应记于该月最后一天 {last}，实为 {entry.date} / a seal of {values[0]} "
                f"is dated {last}, not {entry.date}")
    shown = shown_values(entry)
    return ('封账指令应为 custom "fund-seal" "YYYY-MM" "sha256:<64 位十六进制>"，实为 '
            f'{shown} / expected custom "fund-seal" "YYYY-MM" "sha256:<64 hex>"')


def month_days(month: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a month ``YYYY-MM``."""
    year, number = int(month[:4]), int(month[5:7])
    return datetime.date(year, number, 1), datetime.date(
        year, number, calendar.monthrange(year, number)[1])


def _date_of(entry: data.Directive) -> datetime.date:
    return entry.date


def digest_of(lines: Iterable[str]) -> str:
    """The digest of a month's canonical lines (sorted here)."""
    return "sha256:" + hashlib.sha256(canonical_text(lines).encode("utf-8")).hexdigest()


def canonical_text(lines: Iterable[str]) -> str:
    return "".join(f"{line}\n" for line in sorted(lines))


class MonthReader:
    """Reads the canonical lines of the entries of some months."""

    def __init__(self, fund_of: dict[str, str], root: Path) -> None:
        self.fund_of = fund_of  # account -> fund code, as the fund model reads it
        self.root = root  # the books' folder: document paths inside it are kept relative
        self.above_funds = {parent for account in fund_of  # a budget line there caps a fund
                            for parent in account_lib.parents(account)}

    def lines(self, entries: Sequence[data.Directive],
              months: set[str]) -> dict[str, list[tuple[str, data.Directive]]]:
        """Per month of ``months``: each fund entry's canonical line, with the entry. The
        entries are in date order (as Beancount gives them), so each month is found by
        bisection and only its own entries are read."""
        found: dict[str, list[tuple[str, data.Directive]]] = {}
        for month in months:
            first, last = month_days(month)
            start = bisect.bisect_left(entries, first, key=_date_of)
            end = bisect.bisect_right(entries, last, key=_date_of)
            written = _written(entries[start:end])
            found[month] = [(self.line(entry), entry) for entry in written
                            if self.touches_fund(entry)]
        return found

    def touches_fund(self, entry: data.Directive) -> bool:
        if isinstance(entry, data.Transaction):
            return any(posting.account in self.fund_of for posting in entry.postings)
        if isinstance(entry, data.Custom):
            return self._custom_touches_fund(entry)
        return any(getattr(entry, name, None) in self.fund_of for name in _ACCOUNT_FIELDS)

    def _custom_touches_fund(self, entry: data.Custom) -> bool:
        if entry.type == SEAL_TYPE:
            return False
        if entry.type in _GOVERNING:
            return True
        return any(isinstance(value.value, str) and (
            value.value in self.fund_of
            or (value.dtype == account_lib.TYPE and value.value in self.above_funds))
            for value in entry.values or ())

    def line(self, entry: data.Directive) -> str:
        """The entry's canonical line."""
        fields = _fields(entry)
        fields.pop("diff_amount", None)  # a balance's difference is computed by Beancount
        if isinstance(entry, data.Document):
            fields["filename"] = self._document_path(entry.filename)
        if isinstance(entry, data.Open) and entry.currencies:
            fields["currencies"] = sorted(entry.currencies)
        fields["directive"] = type(entry).__name__  # beside the fields ("type" is a custom's)
        return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          default=str)

    def _document_path(self, filename: str) -> str:
        """Inside the books' folder, relative to it (moving the books changes nothing);
        elsewhere, as it is."""
        relative = os.path.relpath(filename, self.root)
        return filename if relative.startswith("..") else relative


def _written(entries: Sequence[data.Directive]) -> list[data.Directive]:
    """The entries the user wrote: not ``pad``'s transactions (flag P, at the ``pad``'s own
    file and line), nor the documents Beancount finds in ``option "documents"`` folders (line
    0), nor entries of no file."""
    pads = {_source(entry) for entry in entries if isinstance(entry, data.Pad)}
    written = []
    for entry in entries:
        source = _source(entry)
        if not isinstance(source[0], str) or source[0].startswith("<"):
            continue
        if isinstance(entry, data.Transaction) and entry.flag == flags.FLAG_PADDING and (
                source in pads):
            continue
        if isinstance(entry, data.Document) and source[1] == 0:
            continue
        written.append(entry)
    return written


def _source(entry: data.Directive) -> tuple[object, object]:
    meta = entry.meta or {}
    return meta.get("filename"), meta.get("lineno")


def _fields(record: tuple[object, ...]) -> dict[str, object]:
    """A named tuple (an entry, a posting, a cost, a custom value) as JSON fields."""
    return {name: _meta(value) if name == "meta" else _plain(value)
            for name, value in record._asdict().items()}  # type: ignore[attr-defined]


def _meta(meta: object) -> object:
    """Metadata, but the file and line the parser records and Beancount's own ``__`` keys."""
    if not isinstance(meta, dict):
        return None
    return {str(key): _typed(value) for key, value in sorted(meta.items(), key=_key_text)
            if key not in ("filename", "lineno") and not str(key).startswith("__")}


def _typed(value: object) -> object:
    """A metadata value with its type, but for text: ``5`` and ``"5"`` differ."""
    return value if isinstance(value, str) else [type(value).__name__, _plain(value)]


def _key_text(item: tuple[object, object]) -> str:
    return str(item[0])


def _plain(value: object) -> object:
    """A field's value as JSON: what changes the books changes it, nothing else does."""
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, Amount):
        return [_plain(value.number), value.currency]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(str(item) for item in value)
    if isinstance(value, list) and value and isinstance(value[0], data.Posting):
        return sorted((_fields(posting) for posting in value), key=_sort_key)
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # Cost, CostSpec, ValueType
        return _fields(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, type):
        return value.__name__
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, dict):
        return _meta(value)
    return value


def _number(value: Decimal) -> str:
    if not value.is_finite():
        return str(value)
    return format(value.normalize(), "f") if value else "0"


def _sort_key(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
