"""A new centre's books as texts: what ``funds init DIR --unit NAME --year YYYY`` writes.

:func:`new_centre_books` gives ``{file name: text}`` for a :class:`NewCentre` (its unit name,
year and funds), and nothing else: no file is read or written here.

- ``main.beancount``: the title, CNY, the plugin, the Fava extension in Chinese, and the
  includes of the files below;
- ``accounts.beancount``: the funds (``custom "fund"``) and, in the 2004 chart of
  :mod:`ledger.model.chart`, each fund's dedicated bank account, grant income from 区财政 and
  市财政, interest, bank fee and expense sub-accounts, each with its ``fund:``; the payroll
  payables (owned by the fund coded ``salary``), net assets and the suspense account;
- ``policy.beancount``: every key of :data:`ledger.model.policy.POLICY_KEYS` at its default;
- ``import.beancount``: the import rules that need no local knowledge, and commented-out
  examples of those that do (the funders' names as the statements show them);
- ``YYYY.beancount``: the year's empty journal, where Fava's add-entry form writes, with the
  opening entry (期初建账) commented out, to fill in.

Every account opens on the last day of the year before (:attr:`NewCentre.opening_day`), so that
the opening entry, dated that day as ``funds export annual`` wants it, loads; the funds, the
policy, the import rules and Fava's options take effect on the year's first day.

A fund coded ``construction``, ``salary`` or ``operating`` gets that default fund's usual expense
sub-accounts (:data:`ledger.model.chart.DEFAULT_COSTS`), any other fund only its bank fee:
``funds plan`` opens the sub-accounts its plan names. A fund's name is part of its account
names, so it must be one Beancount can read there (:func:`check_fund`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ledger.model.account_names import is_account_name
from ledger.model.beancount_text import quoted
from ledger.model.chart import (
    DEFAULT_COSTS,
    DEFAULT_FUNDS,
    HOUSING_FUND_PAYABLE,
    INCOME_TAX_PAYABLE,
    RESTRICTED_NET_ASSETS,
    SOCIAL_SECURITY_PAYABLE,
    SUSPENSE,
    UNRESTRICTED_NET_ASSETS,
    WAGES_PAYABLE,
    FundAccounts,
)
from ledger.model.policy import (
    OPTIONAL_POLICY_KEYS,
    POLICY_KEYS,
    SIGNER_ROLES,
    MetadataKeys,
    PolicyValue,
)

MAIN = "main.beancount"
ACCOUNTS = "accounts.beancount"
POLICY = "policy.beancount"
IMPORT = "import.beancount"
PLAN_FOLDER = "plan"  # where funds plan writes the fund-use plan
PLAN_NOTE = f"{PLAN_FOLDER}/说明.beancount"
FIRST_YEAR, LAST_YEAR = 1900, 2099
FUND_CODE = re.compile(r"[a-z][a-z0-9-]*")
GRANT_SOURCES = ("区财政", "市财政")
SALARY, OPERATING = "salary", "operating"
CURRENCY = "CNY"

# What each policy key means, for the comment beside it in policy.beancount.
POLICY_NOTES: dict[str, str] = {
    "cash-limit": "现金结算起点：一笔提取现金超过此数即报超限提现 / cash settlement threshold",
    "split-threshold": "拆分支付限额：同一收款人的多笔小额支付合计达此数即报拆分支付 / "
                       "split-payment threshold",
    "split-window-days": "拆分支付的合并天数 / days within which payments to one payee add up",
    "allocation-due-days": "拨款未写 due: 时的到位期限（天） / days for an allocation to arrive "
                           "when it gives no due:",
    "evidence-keys": "支付须附的凭证：发票、合同、工资表、银行回单 / the evidence a payment "
                     "needs",
}


class SetupError(ValueError):
    """A unit name, year or fund that new books cannot be written with; the message says
    why, in Chinese and English."""


@dataclass(frozen=True)
class NewCentre:
    """What new books are written from: the unit's name, the year, the funds."""

    unit: str
    year: int
    funds: tuple[FundAccounts, ...] = DEFAULT_FUNDS

    @property
    def first_day(self) -> str:
        return f"{self.year}-01-01"

    @property
    def opening_day(self) -> str:
        """The last day of the year before: the accounts open then, so that the opening
        entry (期初建账) dated that day loads and forms the year's 年初数."""
        return f"{self.year - 1}-12-31"

    @property
    def journal(self) -> str:
        return f"{self.year}.beancount"

    @property
    def salary(self) -> FundAccounts | None:
        """The fund that pays wages, which owns the payroll payables."""
        return next((fund for fund in self.funds if fund.code == SALARY), None)


@dataclass(frozen=True)
class Opening:
    """An account to open, with what it is in Chinese and the fund it belongs to."""

    account: str
    description: str
    fund: str | None = None


def new_centre(unit: str, year: int, funds: Sequence[FundAccounts] = DEFAULT_FUNDS) -> NewCentre:
    """The centre, once its unit name, year and funds are known to give loadable books;
    :class:`SetupError` otherwise."""
    return NewCentre(check_unit(unit), check_year(year), check_funds(funds))


def check_unit(unit: str) -> str:
    """The unit's name without surrounding spaces; refused if empty or holding a control
    character (a line break, a tab), which a title and a comment line cannot hold."""
    name = unit.strip()
    if not name:
        raise SetupError("单位名称不能为空 / the unit's name is empty")
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise SetupError(f"单位名称 {name!r} 含换行、制表符等控制字符 / the unit's name "
                         f"{name!r} holds a control character (a line break, a tab)")
    return name


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SetupError(f"年度 {year} 应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间 / the year {year} "
                         f"must be from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def fund_from_option(value: str) -> FundAccounts:
    """A fund given as ``CODE=名称`` (``--fund youth=青少年服务``). One of the three default
    funds given by its own code and name is that fund, with its short name (建设经费)."""
    code, equals, name = value.partition("=")
    code, name = code.strip(), name.strip()
    if not equals or not FUND_CODE.fullmatch(code) or not name:
        raise SetupError(f"“{value}” 应为 代码=名称，代码以小写字母开头，只含小写字母、数字与 -"
                         f"（如 youth=青少年服务） / “{value}” must be CODE=NAME, the code of "
                         "lower-case letters, digits and -, starting with a letter (e.g. "
                         "youth=青少年服务)")
    default = next((fund for fund in DEFAULT_FUNDS if (fund.code, fund.name) == (code, name)),
                   None)
    return default or FundAccounts(code, name, name)


def check_funds(funds: Sequence[FundAccounts]) -> tuple[FundAccounts, ...]:
    """The funds, if there is one at least, each readable in account names, and no two
    sharing a code, a name or account names."""
    if not funds:
        raise SetupError("至少要有一个专项 / at least one fund is needed")
    for fund in funds:
        check_fund(fund)
    _refuse_repeated("代码", "code", [fund.code for fund in funds])
    _refuse_repeated("名称", "name", [fund.name for fund in funds])
    _refuse_repeated("科目名", "account name", [fund.short for fund in funds])
    return tuple(funds)


def check_fund(fund: FundAccounts) -> None:
    """Refuse a fund whose name cannot stand in its account names (a space, a colon, a quote,
    ASCII punctuation, a lower-case first letter): Beancount would not read them."""
    if not FUND_CODE.fullmatch(fund.code):
        raise SetupError(f"专项代码“{fund.code}”应以小写字母开头，只含小写字母、数字与 - / "
                         f"the fund code “{fund.code}” must be lower-case letters, digits and -, "
                         "starting with a letter")
    if ":" in fund.name + fund.short or not all(
            is_account_name(opening.account) for opening in fund_openings(fund)):
        raise SetupError(f"专项名称“{fund.name}”不能用作科目名的一段：只可用汉字、字母、数字"
                         "与 -，不可含空格、冒号、引号等符号，且不以小写字母或 - 开头 / "
                         f"the fund name “{fund.name}” cannot be part of an account name: use "
                         "Chinese characters, letters, digits and -, with no space, colon, quote "
                         "or other sign, not starting with a lower-case letter or -")


def _refuse_repeated(chinese: str, english: str, values: list[str]) -> None:
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        shown = "、".join(repeated)
        raise SetupError(f"两个专项的{chinese}相同：{shown} / two funds share a {english}: {shown}")


def new_centre_books(centre: NewCentre) -> dict[str, str]:
    """The files of the centre's new books, by their name in the books' folder."""
    return {
        MAIN: main_text(centre),
        ACCOUNTS: accounts_text(centre),
        POLICY: policy_text(centre),
        IMPORT: import_text(centre),
        centre.journal: journal_text(centre),
        PLAN_NOTE: plan_note_text(centre),
    }


def main_text(centre: NewCentre) -> str:
    day = centre.first_day
    return _lines(
        f"; {centre.unit} 账簿主文件（funds init 生成） / the books' main file",
        f"; 凭证记在 {centre.journal}；专项与科目在 {ACCOUNTS}；政策参数在 {POLICY}；"
        f"导入配置在 {IMPORT}。",
        f"; Vouchers go in {centre.journal}; funds and accounts in {ACCOUNTS}; the policy in "
        f"{POLICY}; the import configuration in {IMPORT}.",
        "",
        f"option \"title\" {quoted(centre.unit)}",
        f'option "operating_currency" "{CURRENCY}"',
        "",
        "; Fava 资产负债表中的收支结余列入限定性净资产 / the surplus shown as restricted "
        "net assets",
        *(f'option "{option}" "{RESTRICTED_NET_ASSETS.split(":", 1)[1]}"'
          for option in ("account_current_earnings", "account_previous_earnings",
                         "account_previous_balances")),
        "; 汇兑差额与未实现损益（只用人民币时为零）列入非限定性净资产 / conversions and unrealized "
        "gains",
        *(f'option "{option}" "{UNRESTRICTED_NET_ASSETS.split(":", 1)[1]}"'
          for option in ("account_current_conversions", "account_unrealized_gains")),
        "",
        'plugin "ledger.plugin"',
        "",
        "; Fava：专项资金页面与中文界面（启动：fava main.beancount） / Fava: the 专项资金 page, "
        "in Chinese",
        f'{day} custom "fava-extension" "ledger.fava_ext"',
        f'{day} custom "fava-option" "language" "zh"',
        "",
        *(f'include "{name}"' for name in (ACCOUNTS, POLICY, IMPORT, centre.journal)),
        "",
        "; 资金使用计划：funds plan 把计划（及其调整）写入 plan/ 文件夹，这里全部 include",
        "; The fund-use plan: funds plan writes it (and its revisions) into plan/, all included",
        f'include "{PLAN_FOLDER}/*.beancount"',
    )


def plan_note_text(centre: NewCentre) -> str:
    """The file that keeps ``plan/`` from being empty: Beancount refuses an include pattern
    that matches no file."""
    return _lines(
        f"; {centre.unit} 资金使用计划文件夹 / the fund-use plan's folder",
        f"; funds plan 资金使用计划.xlsx 把 {centre.year} 年的预算与拨款写成 {PLAN_FOLDER}/"
        f"{centre.year}.beancount，调整写成 {PLAN_FOLDER}/{centre.year}-调整1.beancount 等；"
        "本文件夹的 .beancount 文件都由 main.beancount 读入。本文件只是说明，请保留。",
        f"; funds plan writes the year's budget lines and allocations to {PLAN_FOLDER}/"
        f"{centre.year}.beancount and revisions beside it; main.beancount includes every "
        ".beancount file here. This note keeps the folder from being empty: keep it.",
    )


def journal_text(centre: NewCentre) -> str:
    day = centre.first_day
    return _lines(
        f"; {centre.unit} {centre.year} 年记账凭证 / the {centre.year} journal",
        f'; 每张凭证写明 voucher:（凭证号，如 "记-{centre.year}01-001"）及其依据：'
        "invoice:（发票号）、contract:（合同号）或 payroll:（工资表），都加引号。",
        "; Fava 的“添加分录”把新凭证写在本文件最后一行之前：请让该行始终留在最后。",
        "; Fava's add-entry form writes new vouchers before the last line: keep it last.",
        "",
        *opening_entry_example(centre),
        "",
        f'{day} custom "fava-option" "default-file"',
        f'{day} custom "fava-option" "insert-entry" ".*"',
    )


def opening_entry_example(centre: NewCentre) -> list[str]:
    """The opening entry (期初建账), commented, dated on the last day of the year before: each
    fund's bank account (and petty cash) at 0.00 to fill in, the credit to 限定性净资产 left for
    Beancount to work out."""
    day = centre.opening_day
    assets = [opening.account for fund in centre.funds for opening in fund_openings(fund)
              if opening.account.startswith("Assets:")]
    return [
        f"; 期初建账：原账务系统结转的余额记在上年最后一天 {day}，构成 {centre.year} 年报表的年初数"
        f"（记在 {centre.year} 年内的净资产分录会被 funds export annual 拒绝）。",
        f"; 去掉下面分录各行（自“; {day}”一行起）行首的“; ”，把 0.00 改成各账户该日的余额"
        "（与银行对账单、现金盘点一致），没有余额的行删去；",
        f"; 上年未付的应付款项（如“  {WAGES_PAYABLE}  -3000.00 {CURRENCY}”）与原账的非限定性"
        f"净资产（{UNRESTRICTED_NET_ASSETS}）照此加行，贷方金额写负数；",
        f"; 最后一行 {RESTRICTED_NET_ASSETS} 不写金额，自动取借贷差额，应与原账的限定性净资产"
        "相符。",
        f"; The opening entry: the balances carried from the old books, on the last day of the "
        f"year before ({day}), where they form the year's opening figures. Uncomment it and "
        "give each account its balance (delete the lines left at 0.00); add payables and "
        "unrestricted net assets (3101) as credits (negative); the last line, restricted net "
        "assets (3102), takes the difference.",
        f'; {day} * "期初建账：上年结转余额"',
        *(f";   {account}  0.00 {CURRENCY}" for account in assets),
        f";   {RESTRICTED_NET_ASSETS}",
    ]


def policy_text(centre: NewCentre) -> str:
    """Every policy key at its default, from the year's first day."""
    return _lines(
        f"; 资金监管政策参数（check-funds 的规则所用），自 {centre.first_day} 起取默认值 / "
        "the policy the rules apply, at its defaults",
        "; 要改某项，另写一行日期较晚的同名指令（原行保留）：每笔分录按其日期适用当时有效的值。",
        "; To change a value, add a later-dated line for its key and keep this one: each entry "
        "is judged by the value in force on its date.",
        "",
        *(f'{centre.first_day} custom "fund-policy" "{key.name}" '
          f"{policy_value_text(key.default)}  ; {POLICY_NOTES.get(key.name, key.used_by)}"
          for key in POLICY_KEYS.values()),
        "",
        "; 可选：预算预警比例，支出加已承诺达到预算的这一比例时提示（去掉行首分号即启用） / "
        "optional: warn when spending plus commitments reach this share of a budget line",
        *(f'; {centre.first_day} custom "fund-policy" "{key.name}" 0.9'
          for key in OPTIONAL_POLICY_KEYS.values()),
        "",
        "; 可选：打印记账凭证（funds print vouchers）签章栏的姓名（去掉行首分号、填入姓名即启用）"
        " / optional: the names in the signature boxes of the printed vouchers",
        *(f'; {centre.first_day} custom "fund-policy" "signer-{role}" "{box}姓名"'
          for role, box in SIGNER_ROLES),
    )


def policy_value_text(value: PolicyValue) -> str:
    """A policy value as the books write it: ``1000.00 CNY``, ``30``, ``"invoice contract"``."""
    if isinstance(value, MetadataKeys):
        return quoted(" ".join(value.names))
    return str(value)


def fund_openings(fund: FundAccounts) -> list[Opening]:
    """The accounts a fund starts with: its bank account, grant income, interest, its usual
    expense sub-accounts and bank fee; the operating fund's petty cash."""
    openings = [Opening(fund.bank, f"{fund.name}专户", fund.code)]
    if fund.code == OPERATING:
        openings.append(Opening(fund.cash, f"{fund.name}备用金（现金）", fund.code))
    openings += [Opening(fund.grant(source), f"{source}拨入{fund.name}", fund.code)
                 for source in GRANT_SOURCES]
    openings.append(Opening(fund.interest, f"{fund.short}专户利息", fund.code))
    openings += [Opening(fund.cost(item, code), f"{fund.name}：{item}", fund.code)
                 for item, code in DEFAULT_COSTS.get(fund.code, ())]
    openings.append(Opening(fund.bank_fee, f"{fund.short}专户银行手续费", fund.code))
    return openings


def payroll_openings(centre: NewCentre) -> list[Opening]:
    """Wages payable and the withholdings, owned by the fund that pays wages if there is one."""
    owner = centre.salary.code if centre.salary else None
    return [Opening(WAGES_PAYABLE, "应付工资", owner),
            Opening(SOCIAL_SECURITY_PAYABLE, "代扣社会保险费", owner),
            Opening(HOUSING_FUND_PAYABLE, "代扣住房公积金", owner),
            Opening(INCOME_TAX_PAYABLE, "代扣个人所得税", owner)]


def accounts_text(centre: NewCentre) -> str:
    day = centre.first_day
    blocks = [_accounts_header(centre),
              _lines("; 专项资金 / the funds",
                     *(f'{day} custom "fund" {quoted(fund.code)} {quoted(fund.name)}'
                       for fund in centre.funds))]
    blocks += [_fund_block(centre, fund) for fund in centre.funds]
    blocks += [_payroll_block(centre), _net_assets_block(centre), _suspense_block(centre)]
    return "\n".join(blocks)


def _accounts_header(centre: NewCentre) -> str:
    return _lines(
        f"; {centre.unit} {centre.year} 年账簿：专项资金与会计科目 / funds and accounts",
        "; 科目依《民间非营利组织会计制度》（财会〔2004〕7号）：第一段是科目代码与名称（如 "
        "1002-银行存款），其后是明细科目。",
        "; 专项的每个科目都写明 fund:（所属专项的代码），check-funds 据此检查专款专用；"
        "以后新开的专项科目也要写 fund:。",
        "; Accounts follow the 2004 chart for non-profits (code and name, then sub-accounts); "
        "every account of a fund carries fund:, and so must any you open later.",
    )


def _fund_block(centre: NewCentre, fund: FundAccounts) -> str:
    openings = fund_openings(fund)
    bank, rest = openings[0], openings[1:]
    return _lines(
        f"; ── 专项 {fund.code} {fund.name} ──",
        "; 专户：去掉 bank-account: 一行前的“;”，填入对账单上的账号，funds import 就能认出"
        "本户的对账单。",
        "; The dedicated account: uncomment bank-account: and give the statement's account "
        "number, so funds import knows the statements of this account.",
        *_open_lines(centre, bank),
        '  ; bank-account: "账号"',
        *(line for opening in rest for line in _open_lines(centre, opening)),
    )


def _payroll_block(centre: NewCentre) -> str:
    salary = centre.salary
    owner = (f"由专项 {salary.code} {salary.name} 的专户支付，故属于该专项 / paid out of "
             f"fund {salary.code}, so they belong to it") if salary else (
             "不属于任何专项；若由某专项支付，请给它们加上该专项的 fund: / owned by no fund: "
             "give them the fund: of the fund that pays them")
    return _lines("; 应付工资与代扣代缴款项 / wages payable and withholdings",
                  f"; {owner}",
                  *(line for opening in payroll_openings(centre)
                    for line in _open_lines(centre, opening)))


def _net_assets_block(centre: NewCentre) -> str:
    return _lines(
        "; 净资产：上年结转的余额记在这里 / net assets: balances brought forward",
        *_open_lines(centre, Opening(UNRESTRICTED_NET_ASSETS, "非限定性净资产")),
        *_open_lines(centre, Opening(RESTRICTED_NET_ASSETS, "限定性净资产")),
    )


def _suspense_block(centre: NewCentre) -> str:
    return _lines(
        "; 待查明款项：funds import 未能分类的银行流水暂记于此并标 !，查明后改记正确科目 / "
        "suspense: statement lines no import rule classifies wait here, flagged !",
        *_open_lines(centre, Opening(SUSPENSE, "导入时未能分类的款项（查明后改记）")),
    )


def _open_lines(centre: NewCentre, opening: Opening) -> list[str]:
    lines = [f"{centre.opening_day} open {opening.account} {CURRENCY}",
             f"  description: {quoted(opening.description)}"]
    if opening.fund is not None:
        lines.append(f"  fund: {quoted(opening.fund)}")
    return lines


def import_text(centre: NewCentre) -> str:
    blocks = [_import_header(centre)]
    blocks += [_fund_rules(centre, fund) for fund in centre.funds]
    if centre.salary is not None:
        blocks.append(_payroll_config(centre, centre.salary))
    return "\n".join(blocks)


def _import_header(centre: NewCentre) -> str:
    return _lines(
        f"; {centre.unit} 银行流水与工资表的导入配置（funds import） / how funds import "
        "classifies statement lines and books the payroll sheet",
        "; 规则按顺序尝试，先匹配者生效；模式是正则表达式，普通文字即匹配其本身。",
        '; custom "import-rule" 银行科目 "对方户名|摘要|对方账号" "模式" 对方科目；direction: '
        '"收入" 或 "支出" 限定收付方向。',
        f"; 没有规则匹配的流水记入 {SUSPENSE} 并标 !，查明后改记。先在 {ACCOUNTS} 填好各专户的 "
        "bank-account:。",
        "; Rules are tried in order, the first match wins; unmatched lines go to suspense, "
        f"flagged !. Fill in each bank account's bank-account: in {ACCOUNTS} first.",
    )


BANK_SLIP = "receipt"  # the evidence key under which a bank fee's 流水号 is written


def _rule(centre: NewCentre, bank: str, column: str, pattern: str, target: str,
          direction: str | None, evidence: str | None = None) -> list[str]:
    """An import rule; with ``evidence``, the imported line's 流水号 is written under that
    key (a bank fee's evidence is the bank's own slip)."""
    lines = [f'{centre.first_day} custom "import-rule" {bank} "{column}" {quoted(pattern)} '
             f"{target}"]
    if direction is not None:
        lines.append(f'  direction: "{direction}"')
    if evidence is not None:
        lines.append(f"  evidence: {quoted(evidence)}")
    return lines


def _commented(lines: Iterable[str]) -> list[str]:
    return [f"; {line}" for line in lines]


def _fund_rules(centre: NewCentre, fund: FundAccounts) -> str:
    bank = fund.bank
    funders = [line for source, payer in zip(GRANT_SOURCES, ("东山区管委会", "揭阳市财政局"),
                                             strict=True)
               for line in _rule(centre, bank, "对方户名", payer, fund.grant(source), "收入")]
    lines = [
        f"; ── {fund.bank}（专项 {fund.code} {fund.name}） ──",
        "; 拨款单位：去掉下面几行行首的“; ”，把“东山区管委会”“揭阳市财政局”改成对账单“对方户名”"
        "一栏里区、市拨款单位的名称。",
        "; The funders: uncomment the lines below and put the payer names the statements show "
        "for the district and the city.",
        *_commented(funders),
        "; 结息与手续费：各银行通用，不必修改 / interest and bank fees, the same at every bank",
        *_rule(centre, bank, "摘要", "结息", fund.interest, "收入"),
        "; 手续费的凭证是银行的回单：流水号记为 receipt / a bank fee's evidence is the bank's "
        "slip: its 流水号 is written as receipt",
        *_rule(centre, bank, "摘要", "手续费|管理费", fund.bank_fee, "支出", BANK_SLIP),
    ]
    if fund.code == OPERATING:
        lines += ["; 从专户提取备用金 / cash drawn for petty cash",
                  *_rule(centre, bank, "摘要", "备用金", fund.cash, "支出")]
    if fund.code == SALARY:
        lines += _withholding_examples(centre, fund)
    return _lines(*lines)


def _withholding_examples(centre: NewCentre, fund: FundAccounts) -> list[str]:
    payees = (("揭阳市社会保险基金管理局", SOCIAL_SECURITY_PAYABLE),
              ("揭阳市住房公积金管理中心", HOUSING_FUND_PAYABLE),
              ("地方税务局", INCOME_TAX_PAYABLE))
    return [
        "; 缴纳代扣的社保、公积金、个税：去掉行首的“; ”，把户名改成对账单上收款单位的名称。",
        "; Paying the withholdings: uncomment, with the payee names the statements show.",
        *_commented(line for payee, target in payees
                    for line in _rule(centre, fund.bank, "对方户名", payee, target, "支出")),
    ]


def _payroll_config(centre: NewCentre, fund: FundAccounts) -> str:
    return _lines(
        f"; 工资表：应发工资记入 {fund.name} 的成本，代扣款项记入应付 / the payroll sheet",
        f'{centre.first_day} custom "import-payroll" {fund.bank}',
        f"  gross: {fund.cost('应发工资')}",
        f"  social-security: {SOCIAL_SECURITY_PAYABLE}",
        f"  housing-fund: {HOUSING_FUND_PAYABLE}",
        f"  income-tax: {INCOME_TAX_PAYABLE}",
    )


def _lines(*lines: str) -> str:
    return "\n".join(lines) + "\n"
