"""The benchmark times bean-check and check-funds in turn, so a drifting machine slows both."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_city.py"


def _load_script() -> Any:
    spec = importlib.util.spec_from_file_location("bench_city", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_two_commands_run_in_turn_and_each_gets_its_own_median(
        monkeypatch: pytest.MonkeyPatch) -> None:
    bench = _load_script()
    ran: list[str] = []
    slowing = iter([10.0, 11.0, 20.0, 22.0, 30.0, 33.0])  # the machine slows down round by round

    def run_once(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
        ran.append(command[0])
        assert environment["EARMARK_CACHE_DIR"]  # an empty cache of its own each run
        return next(slowing), 100.0 + len(ran)

    monkeypatch.setattr(bench, "run_once", run_once)
    base, check = bench.interleaved([("bean-check", ["bean-check"]),
                                     ("check-funds", ["check-funds"])], 3)
    assert ran == ["bean-check", "check-funds"] * 3
    assert (base.seconds, check.seconds) == (20.0, 22.0)  # 1.1x, as in every round
    assert (base.mebibytes, check.mebibytes) == (103.0, 104.0)
