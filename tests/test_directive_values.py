"""A ``fund`` or ``allocation`` directive without values, or with values of the wrong type, is a
``bad-directive`` naming its file and line, never a Python error."""

from __future__ import annotations

import textwrap

from beancount.parser import parser

from ledger.model.funds import read_fund_model


def model_findings(text: str) -> list[tuple[str, int]]:
    entries, errors, _ = parser.parse_string(textwrap.dedent(text))
    assert not errors, errors
    return [(finding.rule, finding.lineno) for finding in read_fund_model(entries).findings]


def test_fund_and_allocation_without_values_are_bad_directives() -> None:
    assert model_findings("""\
        2012-01-01 custom "fund"
        2012-01-01 custom "allocation"
    """) == [("bad-directive", 1), ("bad-directive", 2)]


def test_fund_and_allocation_with_values_of_the_wrong_type_are_bad_directives() -> None:
    assert model_findings("""\
        2012-01-01 custom "fund" 12 TRUE
        2012-01-01 custom "fund" "a" "b"
        2012-01-02 custom "allocation" "a" "x"
        2012-01-02 custom "allocation" 100.00 CNY "a"
    """) == [("bad-directive", 1), ("bad-directive", 3), ("bad-directive", 4)]


def test_an_allocation_whose_default_due_date_is_past_the_calendar_is_a_bad_directive() -> None:
    findings = model_findings("""\
        2012-01-01 custom "fund" "a" "甲"
        9999-12-20 custom "allocation" "a" 100.00 CNY
        9999-12-20 custom "allocation" "a" 100.00 CNY
          due: 9999-12-31
    """)
    assert findings == [("bad-directive", 2)]
