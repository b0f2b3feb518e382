"""What every printed book shares: the embedded Chinese font, amounts as the books print them,
and writing a PDF file whole.

The font is a TrueType font (or collection) from the system: ``$EARMARK_CJK_FONT`` if set, else
the first of :data:`FONT_CANDIDATES` found (Debian's ``fonts-wqy-microhei``, which ``.ci/run``
installs). fpdf2 embeds the subset of glyphs a document uses, so ``pdftotext`` reads the Chinese
back and the file prints the same on any machine.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Literal

from fpdf import FPDF

from ledger.files import replace_file

FONT_ENVIRONMENT = "EARMARK_CJK_FONT"
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)
FONT_FAMILY = "cjk"
# Where `funds print` writes by default: not reports/out, whose month folders the monthly export
# replaces whole and seals (a PDF there would be deleted, or be a file its manifest does not list)
PRINT_OUT = Path("printed")
CENT = Decimal("0.01")


class FontMissing(Exception):
    """No Chinese font to embed; the message says how to install one (bilingual)."""


def cjk_font() -> Path:
    """The Chinese font file to embed; :class:`FontMissing` when there is none."""
    named = os.environ.get(FONT_ENVIRONMENT, "").strip()
    if named:
        path = Path(named).expanduser()
        if path.is_file():
            return path
        raise FontMissing(f"环境变量 {FONT_ENVIRONMENT} 指向的字体文件不存在：{named} / "
                          f"${FONT_ENVIRONMENT} names no font file: {named}")
    for path in FONT_CANDIDATES:
        if path.is_file():
            return path
    raise FontMissing("找不到中文字体，无法打印：请安装 fonts-wqy-microhei（apt-get install "
                      f"fonts-wqy-microhei），或用环境变量 {FONT_ENVIRONMENT} 指定一个 .ttf/.ttc "
                      "字体文件 / no Chinese font to embed: install fonts-wqy-microhei, or name "
                      f"a .ttf/.ttc font file in ${FONT_ENVIRONMENT}")


def new_document(*, landscape: bool = False, title: str = "") -> FPDF:
    """An A4 document with the Chinese font embedded and selected (10 pt)."""
    orientation: Literal["portrait", "landscape"] = "landscape" if landscape else "portrait"
    document = FPDF(orientation=orientation, unit="mm", format="A4")
    document.add_font(FONT_FAMILY, fname=str(cjk_font()))
    document.set_font(FONT_FAMILY, size=10)
    document.set_creator("earmark-ledger")
    if title:
        document.set_title(title)
    return document


def money(amount: Decimal) -> str:
    """An amount as printed books show it: two decimals, thousands grouped (``12,345.60``)."""
    return f"{amount.quantize(CENT):,.2f}"


def write_pdf(document: FPDF, path: Path) -> Path:
    """Write the document to ``path`` atomically (a reader sees the old file or the whole new
    one), creating its folder; returns ``path``."""
    replace_file(path, bytes(document.output()))
    return path
