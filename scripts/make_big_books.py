"""Write large, clean, deterministic books for benchmarks.

    python scripts/make_big_books.py TRANSACTIONS OUT.beancount [--seed N]

Three funds (construction, salary, operating) with dedicated bank accounts, yearly budget lines
above the spending, receipts from the district, purchases and wages each with its invoice, and a
``balance`` assertion for every bank account on the first of each month, over as many years as
the number of transactions needs (about 10,000 a year). ``check-funds`` finds no error in them,
so a benchmark times the rules doing all their work, not reporting.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

FUNDS = ("Construction", "Salary", "Operating")
PER_YEAR = 10_000
COSTS = ("Equipment", "Services", "Supplies", "Travel", "Training")
START = datetime.date(2001, 1, 1)


def header(years: int) -> list[str]:
    lines = ['option "title" "Benchmark books"', 'option "operating_currency" "CNY"',
             'plugin "ledger.plugin"', ""]
    for fund in FUNDS:
        code = fund.lower()
        lines += [f'2001-01-01 custom "fund" "{code}" "{fund}"',
                  f"2001-01-01 open Assets:Bank:{fund} CNY", f'  fund: "{code}"',
                  f"2001-01-01 open Income:{fund}:District CNY", f'  fund: "{code}"']
        for cost in (*COSTS, "Wages"):
            lines += [f"2001-01-01 open Expenses:{fund}:{cost} CNY", f'  fund: "{code}"']
            for year in range(START.year, START.year + years):
                lines.append(f'{year}-01-01 custom "budget" Expenses:{fund}:{cost} "yearly" '
                             "100000000.00 CNY")
    return [*lines, ""]


def transaction(date: datetime.date, payee: str, narration: str, meta: dict[str, str],
                postings: list[tuple[str, Decimal]]) -> list[str]:
    lines = [f'{date} * "{payee}" "{narration}"']
    lines += [f'  {key}: "{value}"' for key, value in meta.items()]
    lines += [f"  {account}  {amount:.2f} CNY" for account, amount in postings]
    return lines


def day_entries(date: datetime.date, count: int, rng: random.Random,
                serial: list[int]) -> list[list[str]]:
    entries = []
    for _ in range(count):
        serial[0] += 1
        number = serial[0]
        fund = FUNDS[number % 3]
        if number % 25 == 0:
            amount = Decimal(rng.randint(20_000, 60_000))
            entries.append(transaction(date, "东山区管委会", "拨款", {"voucher": f"V{number}"},
                                       [(f"Assets:Bank:{fund}", amount),
                                        (f"Income:{fund}:District", -amount)]))
            continue
        amount = Decimal(rng.randint(100, 90_000)) / 100
        cost = "Wages" if fund == "Salary" else COSTS[number % len(COSTS)]
        payee = f"供应商{number % 997}"
        entries.append(transaction(date, payee, "支出", {"voucher": f"V{number}",
                                                         "invoice": f"I{number}"},
                                   [(f"Expenses:{fund}:{cost}", amount),
                                    (f"Assets:Bank:{fund}", -amount)]))
    return entries


def write_books(total: int, out: Path, seed: int) -> None:
    rng = random.Random(seed)
    years = max(1, -(-total // PER_YEAR))
    days = (datetime.date(START.year + years, 1, 1) - START).days
    lines = header(years)
    balances: dict[str, Decimal] = defaultdict(Decimal)
    serial = [0]
    for offset in range(days):
        date = START + datetime.timedelta(days=offset)
        if date.day == 1 and offset:
            lines += [f"{date} balance Assets:Bank:{fund}  {balances[fund]:.2f} CNY"
                      for fund in FUNDS]
        count = total * (offset + 1) // days - total * offset // days
        for entry in day_entries(date, count, rng, serial):
            lines += [*entry, ""]
            for line in entry[1:]:
                if line.startswith("  Assets:Bank:"):
                    fund, amount = line.split()[0].rsplit(":", 1)[1], line.split()[1]
                    balances[fund] += Decimal(amount)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transactions", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2012)
    args = parser.parse_args(argv)
    write_books(args.transactions, args.out, args.seed)
    print(f"wrote {args.transactions} transactions to {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
