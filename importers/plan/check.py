"""The books with the drafted plan, checked before anything is written: whether they load,
which findings the plan adds, and whether the books already include the file it goes to."""

from __future__ import annotations

import glob
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledger.cache import included_files
from ledger.check import CheckedBooks, check_books
from ledger.model.findings import Finding, Severity

# The findings on the plan's own directives that refuse it: a malformed directive, a fund
# unknown, a sealed month changed (codes of the registry :data:`RULES`, as a test checks).
REFUSED_RULES = frozenset({"bad-directive", "unknown-fund", "sealed-period-changed"})
TRIAL_PREFIX = ".funds-plan-check-"
_INCLUDE = re.compile(r'^\s*include\s+"((?:[^"\\]|\\.)*)"', re.MULTILINE)


@dataclass(frozen=True)
class PlanCheck:
    """The books loaded with the plan: their load errors, and the error findings the plan
    adds, those on its own directives (``refused``) and the others (``added``)."""

    load_errors: tuple[str, ...]
    refused: tuple[Finding, ...]
    added: tuple[Finding, ...]


def _key(finding: Finding) -> tuple[object, ...]:
    """A finding as the same finding with the plan or without: its rule, date, account,
    amount and fund (its message names files, which the trial load renames)."""
    return (finding.rule, finding.date, finding.account, finding.amount, finding.fund)


def verify_with_plan(books: Path, text: str, before: CheckedBooks) -> PlanCheck:
    """Load the books with ``text`` included: a copy of the main file beside it (Beancount
    takes options and plugins only from the main file, so the copy must stand where the
    books' relative includes resolve), removed whatever happens, and the text in a temporary
    folder. ``OSError`` when the copy cannot be written."""
    with tempfile.TemporaryDirectory(prefix="funds-plan-") as folder:
        drafted = Path(folder) / "plan.beancount"
        drafted.write_text(text, encoding="utf-8")
        main = books.read_text(encoding="utf-8")
        handle, name = tempfile.mkstemp(dir=books.parent, prefix=TRIAL_PREFIX,
                                        suffix=".beancount")
        trial = Path(name)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(f'{main}\ninclude "{drafted.as_posix()}"\n')
            checked = check_books(trial)
        finally:
            trial.unlink(missing_ok=True)
    if checked.load_errors:
        return PlanCheck(tuple(error.message for error in checked.load_errors), (), ())
    known = Counter(_key(finding) for finding in before.findings)
    added = []
    for finding in checked.findings:
        if known[_key(finding)]:
            known[_key(finding)] -= 1
        elif finding.severity is Severity.ERROR:
            added.append(finding)
    return PlanCheck((), tuple(finding for finding in added if finding.rule in REFUSED_RULES),
                     tuple(finding for finding in added if finding.rule not in REFUSED_RULES))


def is_included(options_map: dict[str, Any], target: Path) -> bool:
    """Whether an ``include`` of any file the books load takes ``target`` (its glob matches,
    from that file's folder); each loaded file's include lines are found by a line scan."""
    wanted = target.resolve()
    for name in included_files(options_map):
        loaded = Path(name)
        try:
            content = loaded.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for pattern in _INCLUDE.findall(content):
            search = pattern if Path(pattern).is_absolute() else str(loaded.parent / pattern)
            found = glob.glob(search, recursive=True)  # noqa: PTH207 (Beancount's expansion)
            if any(Path(match).resolve() == wanted for match in found):
                return True
    return False
