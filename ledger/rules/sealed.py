"""已封账期间被修改 (sealed-period-changed): a sealed month's fund entries changed after sealing.

A ``custom "fund-seal" "YYYY-MM" "sha256:<hex>"`` directive (written by ``funds seal``) holds
the digest of the month's canonical text (see :mod:`ledger.model.seal`). When the text of the
books now gives another digest, an entry of that month touching a fund was edited, removed or
added after sealing: the seal is reported, naming the month. The sealed text kept in
``seals/YYYY-MM.jsonl`` beside the directive's file, when it is there and still gives the sealed
digest, names the entries that differ: those of the books now (file and line) and those of the
sealed state. Moving an entry to another file, reordering, reformatting and comments change
nothing.

The months are read in one pass over the books' entries, after the transactions' pass, and only
when the books hold a seal.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from beancount.core import data

from ledger.model.findings import Finding, finding_at, source_of
from ledger.model.seal import SEALS_FOLDER, MonthReader, Seal, canonical_text, digest_of
from ledger.rules.rule import RuleCheck

SHOWN = 5  # entries named per side in a finding; the rest are counted


class SealedMonths(RuleCheck):
    """Sealed months whose fund entries changed."""

    visits_transactions = False

    def findings(self) -> list[Finding]:
        seals = self.books.model.seals
        by_folder: dict[Path, list[Seal]] = {}
        for seal in seals:
            by_folder.setdefault(seal.text_path.parent.parent, []).append(seal)
        for folder, sealed in by_folder.items():
            reader = MonthReader(self.books.model.account_fund, folder)
            now = reader.lines(self.books.entries, {seal.month for seal in sealed})
            for seal in sealed:
                lines = now[seal.month]
                if digest_of(line for line, _ in lines) != seal.digest:
                    self.found.append(_changed(seal, lines))
        return self.found


def _changed(seal: Seal, lines: list[tuple[str, data.Directive]]) -> Finding:
    return finding_at(
        "sealed-period-changed", seal.entry,
        f"{seal.month} 已封账（{seal.digest[:15]}…），封账后本月专项分录被修改、删除或新增："
        f"{_differences(seal, lines)} / the fund entries of sealed month {seal.month} changed "
        "after sealing (edited, removed or added)")


def _differences(seal: Seal, lines: list[tuple[str, data.Directive]]) -> str:
    """The entries that differ from the sealed text, or why they cannot be named."""
    path, shown = seal.text_path, f"{SEALS_FOLDER}/{seal.month}.jsonl"
    try:  # bytes that are no UTF-8 cannot give the digest: read as altered, below
        sealed = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return f"封账文本 {shown} 不存在或无法读取，无法列出差异的分录"
    sealed_lines = sealed.split("\n")[:-1]  # one line per entry, each ending in "\n"
    if digest_of(sealed_lines) != seal.digest or canonical_text(sealed_lines) != sealed:
        return f"封账文本 {shown} 与封账摘要不符（已被改动），无法列出差异的分录"
    before, after = Counter(sealed_lines), Counter(line for line, _ in lines)
    extra = after - before
    added = []
    for line, entry in lines:
        if extra[line] > 0:
            extra[line] -= 1
            added.append(f"{source_of(entry)} {_described(json.loads(line))}")
    removed = [_described(json.loads(line)) for line in sorted((before - after).elements())]
    parts = []
    if added:
        parts.append(f"现有而封账时没有的 {len(added)} 条：{_listed(added)}")
    if removed:
        parts.append(f"封账时有而现已不在的 {len(removed)} 条：{_listed(removed)}")
    return "；".join(parts)


def _listed(items: list[str]) -> str:
    shown = "，".join(items[:SHOWN])
    return shown + (f" 等（另有 {len(items) - SHOWN} 条）" if len(items) > SHOWN else "")


KINDS = {"Transaction": "交易", "Balance": "余额断言", "Open": "开户", "Close": "销户",
         "Pad": "补差", "Note": "备注", "Document": "单据", "Custom": "指令"}


def _described(fields: dict[str, object]) -> str:
    """A short description of an entry from its canonical fields."""
    kind = str(fields.get("directive"))
    words = [str(fields.get("date")), KINDS.get(kind, kind)]
    if kind == "Custom":
        words.append(f'"{fields.get("type")}"')
    words += [str(fields[name]) for name in ("payee", "narration", "account")
              if fields.get(name)]
    postings = fields.get("postings")
    if isinstance(postings, list) and postings:
        first = postings[0]
        if isinstance(first, dict):
            units = first.get("units")
            words.append(str(first.get("account")) + (
                f" {units[0]} {units[1]}" if isinstance(units, list) else ""))
    return " ".join(words)
