"""Line breaking in the printed books' cells (:meth:`reports.printed.layout.BoxedTable.lines`):
避头 (no line starts with closing punctuation or a per cent sign, which takes its number down
with it) and 避尾 (no line ends with an opening bracket or quotation mark), at every width;
decoys where nothing may move."""

from __future__ import annotations

import itertools

import pytest
from fpdf import FPDF

from reports.printed.layout import CLOSING, OPENING, BoxedTable, Column, moved_down
from reports.printed.pdf import new_document

# the cells that wrap are 34 mm wide and more (a voucher's 总账科目); below about 25 mm a line
# holds too few characters for every rule to be kept (a line of "70%）" before "，")
WIDTHS = [tenths / 10 for tenths in range(250, 900, 3)]
PER_CENT = "装修工程验收结算款（合同70%），其中5%质保金暂扣，滞纳金日3.5‰，折让80％。"
BRACKETS = ("建设期结束，上缴建设经费结余（专户留存装修工程质保金18400.00元）另见《合同》「附件」"
            "『说明』【备注】〔2012〕15号(a)[b]{c}“引号”与‘单引号’各一处")
PLAIN = "装修材料一批揭阳市建材公司验收合格另附验收单照片共三张合计一万二千元整" * 2


@pytest.fixture(scope="module")
def document() -> FPDF:
    document = new_document(landscape=True)
    document.add_page()
    return document


def wrapped(document: FPDF, text: str, width: float) -> list[str]:
    lines = BoxedTable((Column("摘要", width),)).lines(document, text, width)
    assert "".join(lines) == text, (width, lines)  # every character kept, in order
    return lines


def test_a_per_cent_sign_starts_no_line_and_keeps_its_number(document: FPDF) -> None:
    starts = set()
    for width in WIDTHS:
        lines = wrapped(document, PER_CENT, width)
        starts |= {line[:1] for line in lines[1:]}
        assert not any(line[:1] in CLOSING for line in lines[1:]), (width, lines)
        for number in ("70%", "5%", "3.5‰", "80％"):
            assert any(number in line for line in lines), (width, number, lines)
    assert {"7", "5", "3", "8"} & starts  # the numbers did go down, with their signs


def test_an_opening_bracket_ends_no_line(document: FPDF) -> None:
    ends = set()
    for width in WIDTHS:
        lines = wrapped(document, BRACKETS, width)
        ends |= {line[-1:] for line in lines}
        assert not any(line[-1:] in OPENING for line in lines[:-1]), (width, lines)
        assert not any(line[:1] in CLOSING for line in lines[1:]), (width, lines)
    starts = {line[:1] for width in WIDTHS for line in wrapped(document, BRACKETS, width)}
    assert set("（《「『【〔([{“‘") <= starts  # each bracket did go down to begin a line


def test_the_demo_summary_breaks_before_its_bracket(document: FPDF) -> None:
    text = "建设期结束，上缴建设经费结余（专户留存装修工程质保金18400.00元）"
    lines = wrapped(document, text, 60 - 2)  # the 明细账's 摘要 column, less its padding
    assert lines[0].endswith("结余") and lines[1].startswith("（专户留存"), lines


def test_text_without_a_rule_to_keep_wraps_as_fpdf2_wraps_it(document: FPDF) -> None:
    """Decoy: nothing moves when no line starts with closing punctuation or ends with an
    opening bracket: brackets and signs inside a line, and plain text."""
    for width in WIDTHS:
        table = BoxedTable((Column("摘要", width),))
        inner = width - 2 * table.padding
        assert table.lines(document, PLAIN, width) == table._wrapped(document, PLAIN, inner)
    assert wrapped(document, "见附件（", 80) == ["见附件（"]  # one line: nothing to avoid
    assert wrapped(document, "甲（乙）丙70%丁", 80) == ["甲（乙）丙70%丁"]
    assert wrapped(document, "", 80) == [""]


@pytest.mark.parametrize(("before", "after", "down"), [
    ("合同70", "%）", 2),  # the number goes down with its sign
    ("质保金暂扣", "，至", 1),  # the character before a comma
    ("工程）", "，验收", 2),  # closing punctuation ending the line goes too
    ("结余（", "专户", 1),  # 避尾
    ("结余“（", "专户", 2),
    ("合同（70", "%）", 3),  # the number and the bracket before it
    ("结余", "专户", 0),  # nothing to avoid
    ("（", "专户", 0),  # a line of nothing but a bracket cannot help
    ("70", "%", 1),  # a line of nothing but the number: its last digit, not the sign
    ("甲（乙", "丙", 0),  # a bracket inside a line stays
    ("质保金184", "00.00元）", 3),  # a number is not cut in two
    ("利率3.", "5‰", 2),
    ("结余（184", "00", 4),  # nor left behind its bracket
    ("2012", "00", 0),  # a line of nothing but digits cannot help
    ("第3", "号", 0),  # a number ending before a word stays
])
def test_what_goes_down(before: str, after: str, down: int) -> None:
    assert moved_down(before, after) == down


def test_a_cell_too_narrow_to_help_keeps_every_character(document: FPDF) -> None:
    for text in ("（（（（（（", "%%%%%%", "（70%）" * 4, "".join(itertools.repeat("（甲）", 5)),
                 PER_CENT, BRACKETS):
        for width in (10.0, 12.0, 15.9, 20.0):
            wrapped(document, text, width)
