"""Text in Beancount's syntax, for the files the commands write."""

from __future__ import annotations


def quoted(text: str) -> str:
    """``text`` as a Beancount string: in double quotes, its quotes and backslashes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
