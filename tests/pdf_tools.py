"""Reading printed PDFs back with poppler (Debian's ``poppler-utils``, which ``.ci/run``
installs): the text with ``pdftotext``, the page count with ``pdfinfo``, a page as PNG with
``pdftoppm``. Without poppler these fail saying what to install; they are never skipped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install Debian's poppler-utils (bash .ci/run does)")
    return found


def pdf_text(path: Path, *, layout: bool = True, page: int | None = None) -> str:
    """The PDF's text (``-layout`` keeps each printed row on one line); one page if given."""
    command = [_tool("pdftotext"), "-enc", "UTF-8"]
    if layout:
        command.append("-layout")
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    result = subprocess.run([*command, str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_pages(path: Path) -> list[str]:
    """The PDF's pages' text, in order (pdftotext separates pages with a form feed)."""
    pages = pdf_text(path).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def render_png(path: Path, page: int, out: Path) -> Path:
    """Page ``page`` (1-based) rendered at 100 dpi to ``out`` (a ``.png`` path), for a person to
    look at; returns the PNG's path."""
    prefix = out.with_suffix("")
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "100", "-f", str(page), "-l", str(page),
                    "-singlefile", str(path), str(prefix)], check=True, capture_output=True)
    png = prefix.with_suffix(".png")
    assert png.is_file() and png.stat().st_size > 0
    return png
