"""The load test of ``funds serve`` runs, small: 2 clients × 2 reads of the 专项资金 page."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_serve.py"


def test_the_load_test_reads_the_page_and_reports_the_latencies() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--clients", "2", "--requests", "2"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "200: 4/4" in done.stdout
    assert re.search(r"median \d+ ms, p95 \d+ ms, slowest \d+ ms", done.stdout)
