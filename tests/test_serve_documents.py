"""An accountant's document upload and deletion through ``funds serve`` are in the change log
with the document's path and its sha256 before and after, as a books file's change is.
In-process: Fava behind the gatekeeper, as ``funds serve`` builds it."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import urllib.parse
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from ledger.serve.server import Settings, build_app
from ledger.serve.users import ROLES, User, hash_password, write_users
from tests.helpers import HEADER

ACCOUNTANT = ("张会计", "kuaiji-secret-1")
RECEIPT = b"%PDF receipt of 2012-03-04"
UPLOADED = "documents/Expenses/Construction/Equipment/2012-03-04 收据.pdf"
BOOKS = HEADER + """\
option "documents" "documents"
2012-03-04 * "文具店" "办公用品"
  Assets:Bank:Construction         -300.00 CNY
  Expenses:Construction:Equipment   300.00 CNY
"""


def _auth() -> dict[str, str]:
    token = base64.b64encode(":".join(ACCOUNTANT).encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _office(folder: Path) -> tuple[Client, str]:
    (folder / "main.beancount").write_text(BOOKS, encoding="utf-8")
    write_users(folder / "users.toml", {ACCOUNTANT[0]: User(
        ACCOUNTANT[0], ROLES["会计"], hash_password(ACCOUNTANT[1]))})
    client = Client(build_app(Settings(folder / "main.beancount", "127.0.0.1", 0,
                                       folder / "users.toml")))
    location = client.get("/", headers=_auth()).headers["Location"]
    return client, "/" + urllib.parse.urlsplit(location).path.strip("/").split("/")[0]


def _records(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in
            (folder / "serve-log.jsonl").read_text("utf-8").splitlines()]


def test_an_uploaded_document_is_logged_with_its_path_and_digest(tmp_path: Path) -> None:
    client, slug = _office(tmp_path)
    main = tmp_path / "main.beancount"
    before = hashlib.sha256(main.read_bytes()).hexdigest()
    journal = client.get(f"{slug}/api/journal", headers=_auth()).get_json()["data"]
    [purchase] = [entry for entry in journal if entry.get("narration") == "办公用品"]
    uploaded = client.put(f"{slug}/api/add_document", headers=_auth(), data={
        "file": (io.BytesIO(RECEIPT), Path(UPLOADED).name), "folder": "documents",
        "account": "Expenses:Construction:Equipment", "hash": purchase["entry_hash"]})
    assert uploaded.status_code == 200, uploaded.get_data(as_text=True)
    assert (tmp_path / UPLOADED).read_bytes() == RECEIPT
    [record] = _records(tmp_path)
    assert record["files"] == [
        {"file": "main.beancount", "sha256_before": before,
         "sha256_after": hashlib.sha256(main.read_bytes()).hexdigest()},
        {"file": UPLOADED, "sha256_before": None,
         "sha256_after": hashlib.sha256(RECEIPT).hexdigest()}]


def test_a_deleted_document_is_logged_with_its_digest_before(tmp_path: Path) -> None:
    document = tmp_path / UPLOADED
    document.parent.mkdir(parents=True)
    document.write_bytes(RECEIPT)
    client, slug = _office(tmp_path)
    deleted = client.delete(f"{slug}/api/document", headers=_auth(),
                            query_string={"filename": str(document)})
    assert deleted.status_code == 200, deleted.get_data(as_text=True)
    assert not document.exists()
    [record] = _records(tmp_path)
    assert record["files"] == [{"file": UPLOADED,
                                "sha256_before": hashlib.sha256(RECEIPT).hexdigest(),
                                "sha256_after": None}]


def test_a_save_that_touches_no_document_names_no_document(tmp_path: Path) -> None:
    document = tmp_path / UPLOADED
    document.parent.mkdir(parents=True)
    document.write_bytes(RECEIPT)
    client, slug = _office(tmp_path)
    source = client.get(f"{slug}/api/source", headers=_auth()).get_json()["data"]
    saved = client.put(f"{slug}/api/source", headers=_auth(), json={
        "file_path": source["file_path"], "source": source["source"] + "; 补记\n",
        "sha256sum": source["sha256sum"]})
    assert saved.status_code == 200
    [record] = _records(tmp_path)
    assert [file["file"] for file in record["files"]] == ["main.beancount"]
