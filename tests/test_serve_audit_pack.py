"""The audit pack never holds ``funds serve``'s users file (password hashes) nor its change log,
even when an entry of the books names one as its document; other documents still go in."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from ledger.cli.main import funds
from tests.helpers import HEADER
from tests.test_audit_pack import members

BOOKS = HEADER + """\
2012-03-01 * "文具店" "办公用品"
  contract: "serve-log.jsonl"
  Assets:Bank:Construction         -300.00 CNY
  Expenses:Construction:Equipment   300.00 CNY
2012-03-02 document Expenses:Construction:Equipment "users.toml"
2012-03-03 document Expenses:Construction:Equipment "contract.pdf"
"""


def test_the_users_file_and_the_change_log_stay_out_of_the_pack(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    (books / "main.beancount").write_text(BOOKS, encoding="utf-8")
    (books / "users.toml").write_text('[users."张会计"]\nrole = "会计"\nhash = "scrypt$..."\n',
                                      encoding="utf-8")
    (books / "serve-log.jsonl").write_text('{"user": "张会计"}\n', encoding="utf-8")
    (books / "contract.pdf").write_bytes(b"%PDF contract")
    result = CliRunner().invoke(funds, ["audit-pack", "2012", "--ledger",
                                        str(books / "main.beancount"), "--out",
                                        str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    assert not [name for name, data in files.items()
                if name.endswith(("users.toml", "serve-log.jsonl")) or b"scrypt$" in data
                or b'"user"' in data]
    rows = {row["编号或文件"].split("/")[-1]: row for row in csv.DictReader(
        io.StringIO(files["documents/documents.csv"].decode("utf-8-sig")))}
    for name in ("users.toml", "serve-log.jsonl"):
        assert rows[name]["包内文件"] == "" and "不放入审计包" in rows[name]["说明"]
    assert files[rows["contract.pdf"]["包内文件"]] == b"%PDF contract"


def test_a_users_file_under_another_name_stays_out_too(tmp_path: Path) -> None:
    """``funds serve --users FILE`` may name it anything: a file holding the password hashes
    stays out by its content; a look-alike holding no hash goes in."""
    books = tmp_path / "books"
    books.mkdir()
    (books / "main.beancount").write_text(HEADER + """\
2012-03-02 document Expenses:Construction:Equipment "office-logins.toml"
2012-03-03 document Expenses:Construction:Equipment "hashes.toml"
""", encoding="utf-8")
    (books / "office-logins.toml").write_text(
        '# 用户\n[users."张会计"]\nrole = "会计"\nhash = "scrypt$16384$8$1$c2FsdA==$ZGlnZXN0"\n',
        encoding="utf-8")
    (books / "hashes.toml").write_text('[files]\nhash = "sha256:ab12"\n', encoding="utf-8")
    result = CliRunner().invoke(funds, ["audit-pack", "2012", "--ledger",
                                        str(books / "main.beancount"), "--out",
                                        str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    files = members(tmp_path / "out" / "audit-pack-2012.zip")
    assert not [name for name, data in files.items() if b"scrypt$" in data]
    rows = {row["编号或文件"].split("/")[-1]: row for row in csv.DictReader(
        io.StringIO(files["documents/documents.csv"].decode("utf-8-sig")))}
    assert rows["office-logins.toml"]["包内文件"] == ""
    assert "不放入审计包" in rows["office-logins.toml"]["说明"]
    assert files[rows["hashes.toml"]["包内文件"]] == b'[files]\nhash = "sha256:ab12"\n'
