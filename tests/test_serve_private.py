"""``funds serve`` never lets Fava serve, change, move or delete its users file (password hashes)
or its change log, even when an entry names one as a document or the import folder holds it;
the books' real documents are still served. In-process: Fava behind the gatekeeper, as
``funds serve`` builds it, called through werkzeug's test client."""

from __future__ import annotations

import base64
import urllib.parse
from pathlib import Path

import pytest
from werkzeug.test import Client, TestResponse

from ledger.serve.server import Settings, build_app
from ledger.serve.users import ROLES, User, hash_password, write_users
from tests.helpers import HEADER

ACCOUNTANT = ("张会计", "kuaiji-secret-1")
AUDITOR = ("王审计", "shenji-secret-2")
BOOKS = HEADER + """\
option "documents" "documents"
2012-01-01 custom "fava-option" "import-dirs" "."
2012-03-02 document Expenses:Construction:Equipment "users.toml"
2012-03-02 document Expenses:Construction:Equipment "serve-log.jsonl"
2012-03-02 document Expenses:Construction:Equipment "old-users.toml"
2012-03-03 document Expenses:Construction:Equipment "contract.pdf"
2012-03-03 document Expenses:Construction:Equipment "invoice.html"
2012-03-04 * "文具店" "办公用品"
  statement: "users.toml"
  Assets:Bank:Construction         -300.00 CNY
  Expenses:Construction:Equipment   300.00 CNY
"""


def _auth(credentials: tuple[str, str]) -> dict[str, str]:
    token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Client, str, Path]:
    folder = tmp_path_factory.mktemp("books")
    (folder / "main.beancount").write_text(BOOKS, encoding="utf-8")
    write_users(folder / "users.toml", {
        name: User(name, ROLES[role], hash_password(password))
        for (name, password), role in ((ACCOUNTANT, "会计"), (AUDITOR, "审计"))})
    (folder / "old-users.toml").write_bytes((folder / "users.toml").read_bytes())
    (folder / "serve-log.jsonl").write_text('{"user": "张会计"}\n', encoding="utf-8")
    (folder / "contract.pdf").write_bytes(b"%PDF contract")
    (folder / "invoice.html").write_text("<script>fetch('api/source')</script>", "utf-8")
    (folder / "link.toml").symlink_to(folder / "users.toml")
    (folder / "hard-link.txt").hardlink_to(folder / "serve-log.jsonl")
    client = Client(build_app(Settings(folder / "main.beancount", "127.0.0.1", 0,
                                       folder / "users.toml")))
    location = client.get("/", headers=_auth(AUDITOR)).headers["Location"]
    return client, "/" + urllib.parse.urlsplit(location).path.strip("/").split("/")[0], folder


def _document(client: Client, slug: str, name: str) -> TestResponse:
    return client.get(f"{slug}/document/", query_string={"filename": name},
                      headers=_auth(AUDITOR))


@pytest.mark.parametrize("name", ["users.toml", "serve-log.jsonl", "old-users.toml",
                                  "./users.toml", "documents/../users.toml", "link.toml",
                                  "hard-link.txt"])
def test_the_document_route_never_serves_the_users_file_nor_the_log(
        office: tuple[Client, str, Path], name: str) -> None:
    client, slug, folder = office
    for given in (str(folder / name), name):  # as the entry names it, and as an import file
        served = _document(client, slug, given)
        assert served.status_code == 403, (given, served.status_code)
        assert b"scrypt$" not in served.data and b'"user"' not in served.data
        assert "用户文件" in served.get_data(as_text=True)


def test_a_real_document_is_still_served(office: tuple[Client, str, Path]) -> None:
    client, slug, folder = office
    served = _document(client, slug, str(folder / "contract.pdf"))
    assert (served.status_code, served.data) == (200, b"%PDF contract")


def test_the_statement_route_never_serves_the_users_file(
        office: tuple[Client, str, Path]) -> None:
    client, slug, _ = office
    journal = client.get(f"{slug}/api/journal", headers=_auth(AUDITOR)).get_json()["data"]
    [entry] = [entry for entry in journal if entry.get("meta", {}).get("statement")]
    served = client.get(f"{slug}/statement/", headers=_auth(AUDITOR), query_string={
        "entry_hash": entry["entry_hash"], "key": "statement"})
    assert served.status_code == 403 and b"scrypt$" not in served.data


def test_an_accountant_can_neither_delete_nor_move_the_log(
        office: tuple[Client, str, Path]) -> None:
    client, slug, folder = office
    log = folder / "serve-log.jsonl"
    kept = log.read_bytes()
    deleted = client.delete(f"{slug}/api/document", headers=_auth(ACCOUNTANT),
                            query_string={"filename": str(log)})
    moved = client.put(f"{slug}/api/move", headers=_auth(ACCOUNTANT), json={
        "account": "Expenses:Construction:Equipment", "new_name": "log.txt",
        "filename": str(log)})
    assert (deleted.status_code, moved.status_code) == (403, 403)
    assert "修改记录" in deleted.get_json()["error"]  # Fava's page shows a JSON API error
    assert log.read_bytes().startswith(kept)


def test_a_document_that_could_run_script_is_sandboxed(office: tuple[Client, str, Path]) -> None:
    """An HTML document (a vendor's e-invoice) opened in Fava runs no script as the viewer,
    who may be an accountant whose browser would send the credentials; a PDF is as it was."""
    client, slug, folder = office
    page = _document(client, slug, str(folder / "invoice.html"))
    pdf = _document(client, slug, str(folder / "contract.pdf"))
    assert page.status_code == 200
    assert "sandbox" in page.headers.getlist("Content-Security-Policy")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.status_code == 200
    assert "sandbox" not in pdf.headers.getlist("Content-Security-Policy")
