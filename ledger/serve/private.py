"""The files of ``funds serve`` that Fava never serves, writes, moves nor deletes: the users file
(password hashes) and the change log.

Fava serves a file through ``/<books>/document/?filename=...`` when an entry names it as a
document or it lies in an import folder, and ``/<books>/statement/`` serves the document an
entry's metadata names; its JSON API writes, moves and deletes files named by the request. So
before Fava sees a request, :func:`refuse_private_files` reads every file name the request
gives (the query, a JSON body's values, the statement an entry names) and refuses the request
(403) when one of them is a private file: by path, through a link, or by its content (any file
holding ``funds serve`` password hashes, whatever its name).

The documents Fava does serve go out with ``nosniff``, and sandboxed when they could run
script (:func:`sandbox_active_documents`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fava.helpers import FavaAPIError
from flask import Flask, Response, g, request

from ledger.serve.users import holds_password_hashes


@dataclass(frozen=True)
class PrivateFiles:
    """The private files (absolute paths) and the folders a relative file name is read from."""

    paths: tuple[Path, ...]
    bases: tuple[Path, ...]

    def named(self, name: str) -> Path | None:
        """The private file ``name`` refers to from one of the bases, else None."""
        if not name or "\x00" in name:
            return None
        for base in self.bases:
            candidate = base / name  # an absolute name stays itself
            if any(_same_file(candidate, private) for private in self.paths):
                return candidate
            if holds_password_hashes(candidate):
                return candidate
        return None

    def any_named(self, names: Iterable[str]) -> Path | None:
        return next((found for name in names if (found := self.named(name)) is not None), None)


def _same_file(candidate: Path, private: Path) -> bool:
    """Whether ``candidate`` is ``private``: the same path, or the same file through a link."""
    if os.path.normpath(candidate) == os.path.normpath(private):
        return True
    try:
        return candidate.samefile(private)
    except (OSError, ValueError):
        return False


def refused_text(found: Path) -> str:
    return (f"拒绝：{found.name} 是 funds serve 的用户文件（密码哈希）或修改记录，不经 Fava 查看、"
            f"修改、移动或删除 / refused: {found.name} is funds serve's users file (password "
            "hashes) or its change log, which Fava neither shows, changes, moves nor deletes")


def requested_names() -> Iterator[str]:
    """Every file name the current request gives Fava: query values, a JSON body's string
    values, and the file an entry's metadata names for ``/statement/``."""
    for values in request.args.listvalues():
        yield from values
    body = request.get_json(silent=True) if request.is_json else None
    if isinstance(body, dict):
        yield from (value for value in body.values() if isinstance(value, str))
    if request.endpoint == "statement" and getattr(g, "ledger", None) is not None:
        try:
            yield g.ledger.statement_path(request.args.get("entry_hash", ""),
                                          request.args.get("key", ""))
        except FavaAPIError:
            return


def refuse_private_files(fava: Flask, private: PrivateFiles) -> None:
    """Have ``fava`` refuse (403) every request that names one of the ``private`` files."""

    def guard() -> Response | None:
        found = private.any_named(requested_names())
        if found is None:
            return None
        text = refused_text(found)
        if "/api/" in request.path:  # as Fava's JSON API words its errors: Fava shows it
            return Response(json.dumps({"error": text}, ensure_ascii=False), 403,
                            mimetype="application/json")
        return Response(text + "\n", 403, mimetype="text/plain")

    fava.before_request(guard)


ACTIVE_TYPES = frozenset({"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
                          "application/xml", "text/javascript", "application/javascript"})
DOCUMENT_ENDPOINTS = frozenset({"document", "statement"})


def sandbox_active_documents(fava: Flask) -> None:
    """Have ``fava`` serve a document that could run script (HTML, SVG, XML: a vendor's
    e-invoice) sandboxed, so that it runs nothing as the viewer, whose browser sends the
    viewer's credentials; and never let a browser guess a document's type."""

    def sandboxed(response: Response) -> Response:
        if request.endpoint in DOCUMENT_ENDPOINTS:
            response.headers["X-Content-Type-Options"] = "nosniff"
            if response.mimetype in ACTIVE_TYPES:
                response.headers.add("Content-Security-Policy", "sandbox")
        return response

    fava.after_request(sandboxed)
