"""Write the demo books of the Dongshan centre, April to December 2012.

The books follow the plan's timeline: preparation in April, construction and fit-out to the end of
August, social workers hired by August, operation from October, third-party evaluation in
December. Every figure is written out below; the script only numbers the vouchers and invoices,
computes the payroll withholdings and the month-end bank balances, and lays out the files.

The books name their accounts in the chart of 《民间非营利组织会计制度》 (``ledger.model.chart``):
``Assets:1002-银行存款:建设经费专户``, ``Expenses:5101-业务活动成本:建设经费:装修工程`` ... The entries
below are built on the short English names the books had before; :data:`TO_CHART` maps each of
them to its account in the chart, and ``--naming english`` still writes the English names (the
same entries and figures, for the test that the move to the chart changed nothing).

    python scripts/make_demo_books.py             # rewrites ledger/books/*.beancount
    python scripts/make_demo_books.py OUT_DIR     # writes them to OUT_DIR instead
    python scripts/make_demo_books.py OUT_DIR --naming english

Files are written atomically. The output is deterministic: running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ledger.files import replace_file
from ledger.model import chart
from ledger.model.chart import (
    CONSTRUCTION,
    DEFAULT_COSTS,
    HOUSING_FUND_PAYABLE,
    INCOME_TAX_PAYABLE,
    OPERATING,
    RESTRICTED_NET_ASSETS,
    SALARY,
    SOCIAL_SECURITY_PAYABLE,
    UNRESTRICTED_NET_ASSETS,
    WAGES_PAYABLE,
    FundAccounts,
)
from ledger.model.formats import display_width

BOOKS = Path(__file__).resolve().parent.parent / "ledger" / "books"
CENT = Decimal("0.01")
D = Decimal

BANK = {
    "construction": "Assets:Bank:Dedicated:Construction",
    "salary": "Assets:Bank:Dedicated:Salary",
    "operating": "Assets:Bank:Dedicated:Operating",
}
CASH = "Assets:Cash:Operating"
BANK_NUMBERS = {
    BANK["construction"]: "8002 0101 0000 1201",
    BANK["salary"]: "8002 0101 0000 1202",
    BANK["operating"]: "8002 0101 0000 1203",
}
SUSPENSE = "Equity:Suspense:Unclassified"
RETENTION = "Liabilities:Construction:Retention"


@dataclass(frozen=True)
class Leg:
    account: str
    amount: Decimal


@dataclass
class Txn:
    date: datetime.date
    payee: str
    narration: str
    legs: list[Leg]
    meta: dict[str, str] = field(default_factory=dict)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def money(value: str | int | Decimal) -> Decimal:
    return D(value).quantize(CENT)


# ---------------------------------------------------------------------------------------------
# The plan: funds, accounts, budget lines, allocations.

FUNDS = (
    ("construction", "示范点建设经费", "2012-04-01", "2012-10-31"),
    ("salary", "社工薪酬", "2012-04-01", None),
    ("operating", "日常运营经费", "2012-09-01", None),
)

ACCOUNTS: tuple[tuple[str, str, str | None, str], ...] = (
    ("2012-04-11", BANK["construction"], "construction", "揭阳农商银行东山支行 建设经费专户"),
    ("2012-04-01", "Income:Construction:District", "construction", "东山区管委会拨入"),
    ("2012-04-01", "Income:Construction:CitySubsidy", "construction", "市财政补助"),
    ("2012-04-11", "Income:Construction:Interest", "construction", "专户利息"),
    ("2012-04-01", "Expenses:Construction:Preparation", "construction", "筹建费用"),
    ("2012-04-01", "Expenses:Construction:Design", "construction", "设计费"),
    ("2012-04-01", "Expenses:Construction:Renovation", "construction", "装修工程"),
    ("2012-04-01", "Expenses:Construction:Equipment", "construction", "设备购置"),
    ("2012-04-01", "Expenses:Construction:Expert", "construction", "专家辅导费"),
    ("2012-04-11", "Expenses:Construction:BankFee", "construction", "银行手续费"),
    ("2012-07-04", RETENTION, "construction", "应付装修工程质保金（质保期满后支付）"),
    ("2012-07-15", BANK["salary"], "salary", "揭阳农商银行东山支行 社工薪酬专户"),
    ("2012-07-01", "Income:Salary:District", "salary", "东山区管委会拨入"),
    ("2012-07-01", "Income:Salary:CitySubsidy", "salary", "市财政补助"),
    ("2012-07-15", "Income:Salary:Interest", "salary", "专户利息"),
    ("2012-07-01", "Expenses:Salary:Wages", "salary", "应发工资"),
    ("2012-07-01", "Expenses:Salary:SocialSecurity", "salary", "单位社会保险费"),
    ("2012-07-01", "Expenses:Salary:HousingFund", "salary", "单位住房公积金"),
    ("2012-07-15", "Expenses:Salary:BankFee", "salary", "银行手续费"),
    ("2012-07-01", "Liabilities:Salary:SocialSecurity", "salary", "应付社会保险费"),
    ("2012-07-01", "Liabilities:Salary:HousingFund", "salary", "应付住房公积金"),
    ("2012-07-01", "Liabilities:Salary:IncomeTax", "salary", "代扣个人所得税"),
    ("2012-09-01", BANK["operating"], "operating", "揭阳农商银行东山支行 运营经费专户"),
    ("2012-09-01", CASH, "operating", "运营备用金"),
    ("2012-09-01", "Income:Operating:District", "operating", "东山区管委会拨入"),
    ("2012-09-01", "Income:Operating:CitySubsidy", "operating", "市财政补助"),
    ("2012-09-01", "Income:Operating:Interest", "operating", "专户利息"),
    ("2012-09-01", "Expenses:Operating:Activities", "operating", "社区服务活动"),
    ("2012-09-01", "Expenses:Operating:Volunteers", "operating", "志愿者补贴"),
    ("2012-09-01", "Expenses:Operating:Utilities", "operating", "水电费"),
    ("2012-09-01", "Expenses:Operating:Publicity", "operating", "宣传费"),
    ("2012-09-01", "Expenses:Operating:Office", "operating", "办公费"),
    ("2012-09-01", "Expenses:Operating:Training", "operating", "培训费"),
    ("2012-09-01", "Expenses:Operating:Evaluation", "operating", "第三方评估费"),
    ("2012-09-01", "Expenses:Operating:BankFee", "operating", "银行手续费"),
    ("2012-04-11", SUSPENSE, None, "银行流水导入时未能分类的款项（待查明后改记）"),
)

BUDGET: tuple[tuple[str, str, str, dict[str, str]], ...] = (
    ("2012-04-01", "Expenses:Construction:Preparation", "8000.00", {}),
    ("2012-04-01", "Expenses:Construction:Design", "20000.00", {}),
    ("2012-04-01", "Expenses:Construction:Renovation", "370000.00", {}),
    ("2012-04-01", "Expenses:Construction:Equipment", "160000.00", {}),
    ("2012-04-01", "Expenses:Construction:Expert", "36000.00", {}),
    ("2012-04-01", "Expenses:Construction:BankFee", "300.00", {}),
    ("2012-07-01", "Expenses:Salary:Wages", "115000.00", {}),
    ("2012-07-01", "Expenses:Salary:SocialSecurity", "26000.00", {}),
    ("2012-07-01", "Expenses:Salary:HousingFund", "9000.00", {}),
    ("2012-07-01", "Expenses:Salary:BankFee", "200.00", {}),
    ("2012-09-01", "Expenses:Operating:Activities", "45000.00", {}),
    ("2012-09-01", "Expenses:Operating:Volunteers", "6000.00", {}),
    ("2012-09-01", "Expenses:Operating:Utilities", "5000.00", {}),
    ("2012-09-01", "Expenses:Operating:Publicity", "15000.00", {}),
    ("2012-09-01", "Expenses:Operating:Office", "8000.00", {}),
    ("2012-09-01", "Expenses:Operating:Training", "10000.00", {}),
    ("2012-09-01", "Expenses:Operating:Evaluation", "30000.00", {}),
    ("2012-09-01", "Expenses:Operating:BankFee", "200.00", {}),
    ("2012-11-15", "Expenses:Operating:Publicity", "23000.00",
     {"approval": "揭社工委〔2012〕21号", "note": "年中调整：增加社工案例选集编印及专题片"}),
)

# (date, fund, source, amount, due or None, notice)
ALLOCATIONS = (
    ("2012-04-10", "construction", "District", "300000.00", "2012-04-20", "东管财〔2012〕15号"),
    ("2012-06-25", "construction", "District", "200000.00", None, "东管财〔2012〕31号"),
    ("2012-07-01", "construction", "CitySubsidy", "100000.00", "2012-08-15", "揭财社〔2012〕42号"),
    ("2012-07-20", "salary", "District", "66000.00", "2012-08-10", "东管财〔2012〕38号"),
    ("2012-09-20", "operating", "District", "80000.00", "2012-10-10", "东管财〔2012〕52号"),
    ("2012-10-10", "salary", "District", "66000.00", None, "东管财〔2012〕57号"),
    ("2012-10-15", "salary", "CitySubsidy", "40000.00", "2012-11-30", "揭财社〔2012〕66号"),
    ("2012-11-01", "operating", "CitySubsidy", "40000.00", "2012-12-10", "揭财社〔2012〕71号"),
)

# The day each allocation arrived on the dedicated account, in the order above.
RECEIVED = ("2012-04-13", "2012-07-12", "2012-08-09", "2012-08-03",
            "2012-09-28", "2012-10-26", "2012-11-21", "2012-12-04")

SOURCE_PAYER = {"District": "东山区管委会", "CitySubsidy": "揭阳市财政局"}

# ---------------------------------------------------------------------------------------------
# Contracts (合同), signed as the journal's tenders imply: the design commissioned once the site
# was chosen (考察 27 April) and paid on delivery; the renovation tendered 5 June, bids opened
# 28 June, signed before the 30% advance of 6 July; the equipment tendered 3 July (20 days to
# bid), signed before delivery and the 70% of 15 August, reduced by a 补充协议 the day after a
# defective projector screen went back and was refunded (20 September); the university's training agreement and the
# evaluation signed before their work. Every payment under one quotes its number (contract:).
# (date, number, fund, sum, payee, expense account, further metadata)

CONTRACTS: tuple[tuple[str, str, str, str, str, str, dict[str, str]], ...] = (
    ("2012-05-02", "东山采〔2012〕03号", "construction", "18000.00", "揭阳市建筑设计院",
     "Expenses:Construction:Design", {"note": "服务中心功能室装修设计，交付设计图后一次付清"}),
    ("2012-07-04", "东山采〔2012〕08号", "construction", "368000.00",
     "揭阳市宏建装饰工程有限公司", "Expenses:Construction:Renovation",
     {"retention": "0.05", "retention-until": "2013-09-05",
      "note": "装修工程施工合同：预付30%，进度款40%，验收后付至95%，余5%质保金验收满一年后付清"}),
    ("2012-07-31", "东山采〔2012〕11号", "construction", "128600.00",
     "广东粤东办公设备有限公司", "Expenses:Construction:Equipment",
     {"note": "服务中心设备采购合同：到货付70%，安装调试后付清"}),
    ("2012-09-21", "东山采〔2012〕11号", "construction", "127340.00",
     "广东粤东办公设备有限公司", "Expenses:Construction:Equipment",
     {"note": "补充协议：9月20日退回质量不合格的投影幕布并退款，合同金额核减1260.00元"}),
    ("2012-10-22", "东山社工〔2012〕03号", "operating", "6000.00",
     "华南农业大学公共管理学院", "Expenses:Operating:Training",
     {"note": "社工专业实务培训合作协议"}),
    ("2012-11-23", "东山采〔2012〕21号", "operating", "28000.00", "广州市社会工作评估中心",
     "Expenses:Operating:Evaluation", {"note": "示范点建设及运营第三方评估服务合同"}),
)
# 质保金 held back from a contract's settlement, owed (RETENTION) until the warranty ends:
# (date of the settlement, contract) -> the amount (the contract's retention share of its sum).
RETAINED = {("2012-09-05", "东山采〔2012〕08号"): D("18400.00")}
UNQUOTED_META = ("retention", "retention-until")  # written as a number and a date

# ---------------------------------------------------------------------------------------------
# Payments: (date, expense account, payee, narration, amount, evidence key, evidence or "").
# An empty evidence value gets the next invoice number.

CONSTRUCTION_PAYMENTS = (
    ("2012-04-14", "Preparation", "揭阳市榕城区彩虹印务", "示范点申报材料装订", "280.00"),
    ("2012-04-16", "Preparation", "揭阳市榕城区彩虹印务", "社区需求调研问卷印制", "240.00"),
    ("2012-04-18", "Preparation", "揭阳市东山汽车租赁站", "示范点候选社区实地考察用车", "680.00"),
    ("2012-04-23", "Preparation", "揭阳市东山区惠民超市", "社区需求调研问卷礼品", "360.00"),
    ("2012-04-26", "Preparation", "揭阳市榕城区彩虹印务", "筹建领导小组会议资料印刷", "420.00"),
    ("2012-04-27", "Preparation", "揭阳市东山汽车租赁站", "市社工委、市民政局选址考察用车", "560.00"),
    ("2012-05-08", "Expert", "香港社会服务联会", "专家辅导服务费（陈志明督导）：筹建方案论证", "6000.00"),
    ("2012-05-08", "Expert", "揭阳市华侨旅行社", "专家差旅费：香港—揭阳往返及住宿", "1280.00"),
    ("2012-05-15", "Design", "揭阳市建筑设计院", "服务中心功能室装修设计费", "18000.00",
     "contract", "东山采〔2012〕03号"),
    ("2012-06-05", "Preparation", "揭阳日报社", "装修工程招标公告刊登费", "900.00"),
    ("2012-06-12", "Expert", "香港社会服务联会", "专家辅导服务费（陈志明督导）：功能室设置", "6000.00"),
    ("2012-06-12", "Expert", "揭阳市华侨旅行社", "专家差旅费：香港—揭阳往返及住宿", "1280.00"),
    ("2012-06-28", "Preparation", "揭阳市东山区政务服务中心", "装修工程开标评标场地费", "1500.00"),
    ("2012-07-03", "Preparation", "揭阳日报社", "设备采购招标公告刊登费", "800.00"),
    ("2012-07-06", "Renovation", "揭阳市宏建装饰工程有限公司", "装修工程预付款（合同30%）",
     "110400.00", "contract", "东山采〔2012〕08号"),
    ("2012-07-10", "Expert", "香港社会服务联会", "专家辅导服务费（陈志明督导）：社工岗位设置", "6000.00"),
    ("2012-07-10", "Expert", "揭阳市华侨旅行社", "专家差旅费：香港—揭阳往返及住宿", "1280.00"),
    ("2012-08-03", "Renovation", "揭阳市宏建装饰工程有限公司", "装修工程进度款（合同40%）",
     "147200.00", "contract", "东山采〔2012〕08号"),
    ("2012-08-15", "Equipment", "广东粤东办公设备有限公司", "服务中心设备采购首期款（合同70%）",
     "90020.00", "contract", "东山采〔2012〕11号"),
    ("2012-08-22", "Equipment", "揭阳市新华书店", "阅览室图书一批", "6800.00"),
    ("2012-08-25", "Equipment", "揭阳市童趣文具玩具店", "儿童服务室玩教具", "4250.00"),
    ("2012-08-28", "Equipment", "广州心语心理设备有限公司", "心理咨询室沙盘及测评软件", "9600.00"),
    ("2012-08-30", "Equipment", "揭阳市榕城区家具城", "老年人文娱室棋牌桌椅", "7350.00"),
    ("2012-09-05", "Renovation", "揭阳市宏建装饰工程有限公司",
     "装修工程验收结算款（合同30%，其中5%质保金暂扣至2013年9月5日）",
     "110400.00", "contract", "东山采〔2012〕08号"),
    ("2012-09-10", "Equipment", "广东粤东办公设备有限公司", "服务中心设备采购尾款（合同30%）",
     "38580.00", "contract", "东山采〔2012〕11号"),
    ("2012-09-18", "Expert", "香港社会服务联会", "专家辅导服务费（陈志明督导）：开业前社工培训", "6000.00"),
    ("2012-09-18", "Expert", "揭阳市华侨旅行社", "专家差旅费：香港—揭阳往返及住宿", "1280.00"),
    ("2012-10-16", "Expert", "香港社会服务联会", "专家辅导服务费（陈志明督导）：初期运作督导", "4000.00"),
    ("2012-10-16", "Expert", "揭阳市华侨旅行社", "专家差旅费：香港—揭阳往返及住宿", "1280.00"),
)

OPERATING_PAYMENTS = (
    ("2012-09-29", "Office", "揭阳市榕城区文化用品商行", "开业筹备办公用品", "1260.00"),
    ("2012-10-05", "Publicity", "揭阳市东山广告制作部", "开业宣传横幅及展板", "1200.00"),
    ("2012-10-08", "Activities", "揭阳市东山礼仪庆典服务部", "服务中心开业典礼", "6800.00"),
    ("2012-10-10", "Publicity", "揭阳市榕城区彩虹印务", "社工服务宣传册印刷", "4800.00"),
    ("2012-10-12", "Publicity", "揭阳日报社", "《揭阳日报》社工专版", "6000.00"),
    ("2012-10-11", "Activities", "揭阳市东山区惠民超市", "社区居民需求评估入户调查礼品", "520.00"),
    ("2012-10-15", "Activities", "揭阳市新华书店", "亲子阅读会绘本及材料", "860.00"),
    ("2012-10-17", "Training", "揭阳市社会工作协会", "社工个案管理专题培训", "1200.00"),
    ("2012-10-19", "Activities", "揭阳市东山区惠民超市", "青少年课业辅导班学习用品", "640.00"),
    ("2012-10-22", "Office", "揭阳市榕城区电脑城", "活动音响设备维修", "320.00"),
    ("2012-10-23", "Activities", "揭阳市东山区惠民超市", "重阳节敬老活动慰问品", "3200.00"),
    ("2012-10-25", "Utilities", "揭阳供电局东山供电所", "10月电费", "620.40"),
    ("2012-10-25", "Utilities", "揭阳市自来水公司", "10月水费", "85.60"),
    ("2012-10-26", "Activities", "揭阳市人民医院", "社区义诊活动医务人员劳务费", "1500.00"),
    ("2012-10-30", "Office", "揭阳市榕城区文化用品商行", "打印机耗材及复印纸", "980.00"),
    ("2012-10-29", "Activities", "揭阳市东山区体育馆", "青少年篮球兴趣小组场地费", "600.00"),
    ("2012-11-02", "Activities", "揭阳市心理卫生协会", "心理健康讲座讲师费", "1200.00"),
    ("2012-11-07", "Activities", "揭阳市东山区惠民超市", "长者生日会蛋糕及茶点", "760.00"),
    ("2012-11-10", "Training", "华南农业大学公共管理学院", "社工专业实务培训（合作协议）",
     "6000.00", "contract", "东山社工〔2012〕03号"),
    ("2012-11-12", "Activities", "揭阳市东山区惠民超市", "环保手工坊材料", "430.00"),
    ("2012-11-13", "Activities", "揭阳市东山区体育馆", "社区居民趣味运动会场地费", "1800.00"),
    ("2012-11-09", "Activities", "揭阳市红十字会", "居民急救知识讲座讲师费", "800.00"),
    ("2012-11-16", "Activities", "揭阳市新华书店", "亲子阅读会绘本及材料", "920.00"),
    ("2012-11-20", "Publicity", "揭阳市东山广告制作部", "社会工作宣传海报印制张贴", "1800.00"),
    ("2012-11-19", "Office", "揭阳市榕城区电脑城", "个案记录电脑硬盘更换", "450.00"),
    ("2012-11-21", "Activities", "揭阳市东山区惠民超市", "单亲家庭支持小组活动物资", "580.00"),
    ("2012-11-22", "Activities", "揭阳市东山区惠民超市", "外来务工人员子女课业辅导用品", "690.00"),
    ("2012-11-23", "Training", "揭阳市榕城区彩虹印务", "志愿者培训教材印刷", "800.00"),
    ("2012-11-26", "Utilities", "揭阳供电局东山供电所", "11月电费", "712.80"),
    ("2012-11-26", "Utilities", "揭阳市自来水公司", "11月水费", "92.40"),
    ("2012-11-28", "Activities", "揭阳市东山礼仪庆典服务部", "社区邻里节活动布置", "2600.00"),
    ("2012-11-30", "Office", "揭阳市榕城区文化用品商行", "个案档案盒及文件柜标签", "540.00"),
    ("2012-12-01", "Activities", "揭阳市人民医院", "世界艾滋病日社区宣传义诊劳务费", "1000.00"),
    ("2012-12-04", "Activities", "揭阳市心理卫生协会", "青少年情绪管理小组带领费", "1600.00"),
    ("2012-12-05", "Activities", "揭阳市东山礼仪庆典服务部", "国际志愿者日表彰活动", "1900.00"),
    ("2012-12-07", "Activities", "揭阳市东山区惠民超市", "残疾人家庭探访慰问品", "2400.00"),
    ("2012-12-10", "Activities", "揭阳市东山区体育馆", "亲子趣味运动会场地费", "1200.00"),
    ("2012-12-11", "Activities", "揭阳市新华书店", "亲子阅读会绘本及材料", "780.00"),
    ("2012-12-13", "Training", "揭阳市社会工作协会", "社工督导技巧工作坊", "1500.00"),
    ("2012-12-14", "Activities", "揭阳市东山区体育馆", "长者健身操培训场地费", "900.00"),
    ("2012-12-15", "Publicity", "揭阳市榕城区彩虹印务", "社工案例选集编印", "5200.00"),
    ("2012-12-17", "Publicity", "揭阳电视台", "社工服务专题片制作播出", "3000.00"),
    ("2012-12-18", "Activities", "揭阳市东山区惠民超市", "冬至社区包饺子活动食材", "1350.00"),
    ("2012-12-20", "Evaluation", "广州市社会工作评估中心", "示范点建设及运营第三方评估费",
     "28000.00", "contract", "东山采〔2012〕21号"),
    ("2012-12-19", "Activities", "揭阳市心理卫生协会", "长者哀伤辅导小组带领费", "1200.00"),
    ("2012-12-21", "Office", "揭阳市榕城区文化用品商行", "年终总结材料装订", "460.00"),
    ("2012-12-24", "Utilities", "揭阳供电局东山供电所", "12月电费", "805.20"),
    ("2012-12-24", "Utilities", "揭阳市自来水公司", "12月水费", "88.80"),
    ("2012-12-26", "Office", "揭阳市榕城区文化用品商行", "2013年工作台历及档案袋", "380.00"),
    ("2012-12-27", "Activities", "揭阳市东山礼仪庆典服务部", "元旦社区游园会", "3800.00"),
)

# Small purchases paid from petty cash (under the 1000-yuan cash settlement threshold).
PETTY_CASH_WITHDRAWALS = (("2012-10-08", "800.00"), ("2012-11-05", "900.00"),
                          ("2012-12-03", "950.00"))
PETTY_CASH_PAYMENTS = (
    ("2012-10-09", "Office", "东山区便民文具店", "签到表及活动记录本", "86.00"),
    ("2012-10-17", "Activities", "东山区便民水果店", "亲子活动茶点", "145.50"),
    ("2012-10-24", "Office", "东山区顺达快递", "宣传资料快递费", "64.00"),
    ("2012-10-27", "Activities", "东山区便民水果店", "课业辅导班茶点", "88.00"),
    ("2012-10-30", "Office", "东山区便民文具店", "活动照片冲印", "76.00"),
    ("2012-11-06", "Activities", "东山区便民水果店", "长者探访水果", "210.00"),
    ("2012-11-14", "Office", "东山区便民文具店", "白板笔及海报纸", "58.00"),
    ("2012-11-20", "Office", "东山区顺达快递", "培训报名材料快递费", "38.00"),
    ("2012-11-27", "Activities", "东山区便民水果店", "邻里节茶点", "168.00"),
    ("2012-12-05", "Office", "东山区顺达快递", "评估资料快递费", "72.00"),
    ("2012-12-08", "Office", "东山区便民文具店", "评估资料复印", "118.00"),
    ("2012-12-12", "Activities", "东山区便民水果店", "小组活动茶点", "132.00"),
    ("2012-12-19", "Activities", "东山区便民水果店", "冬至活动调料及餐具", "96.50"),
    ("2012-12-26", "Office", "东山区便民文具店", "年终总结会桌签及纸笔", "64.00"),
)

VOLUNTEER_STIPENDS = (
    ("2012-10-15", "300.00"), ("2012-10-31", "380.00"), ("2012-11-01", "260.00"),
    ("2012-11-15", "420.00"), ("2012-11-30", "460.00"),
    ("2012-12-07", "280.00"), ("2012-12-14", "440.00"), ("2012-12-21", "310.00"),
    ("2012-12-28", "520.00"),
)

# Social workers hired by August: a supervisor and five graduates in social work.
MONTHLY_GROSS = (D("4500.00"), D("3500.00"), D("3500.00"), D("3500.00"), D("3500.00"),
                 D("3500.00"))
PAYDAYS = ("2012-08-31", "2012-09-28", "2012-10-31", "2012-11-30", "2012-12-31")
EMPLOYEE_SOCIAL_RATE = D("0.105")  # pension 8%, medical 2%, unemployment 0.5%
EMPLOYER_SOCIAL_RATE = D("0.227")
HOUSING_RATE = D("0.08")
TAX_THRESHOLD = D("3500")
TAX_RATE = D("0.03")  # the first bracket of the 2011 schedule is enough here

BANK_FEES = {
    "construction": (("2012-05-25", "18.00"), ("2012-06-25", "32.50"), ("2012-07-25", "27.00"),
                     ("2012-08-24", "45.00"), ("2012-09-25", "36.00"), ("2012-10-25", "21.50")),
    "salary": (("2012-08-24", "12.00"), ("2012-09-25", "20.00"), ("2012-10-25", "20.00"),
               ("2012-11-26", "20.00"), ("2012-12-25", "20.00")),
    "operating": (("2012-09-28", "10.00"), ("2012-10-25", "38.50"), ("2012-11-26", "41.00"),
                  ("2012-12-25", "43.50")),
}
APPROVED_TRANSFER = D("12000.00")  # construction savings moved to operating, approved
CLOSING_INTEREST = D("11.62")  # interest paid before the construction balance is returned
# Quarterly interest on the 21st at the 2012 demand-deposit rate (0.35% a year).
INTEREST = {
    "construction": (("2012-06-21", "186.42"), ("2012-09-21", "176.35")),
    "salary": (("2012-09-21", "23.85"), ("2012-12-21", "39.62")),
    "operating": (("2012-12-21", "48.93"),),
}


# ---------------------------------------------------------------------------------------------
# Building the transactions.


class Numbers:
    """Voucher numbers per month and invoice numbers, in the order entries are booked."""

    def __init__(self) -> None:
        self.vouchers: dict[str, int] = defaultdict(int)
        self.invoice = 4417800

    def next_invoice(self) -> str:
        self.invoice += 7
        return f"{self.invoice:08d}"


def payment(bank: str, fund_prefix: str, row: tuple[str, ...], numbers: Numbers) -> Txn:
    date, account, payee, narration, amount, *evidence = row
    key, value = (evidence[0], evidence[1]) if evidence else ("invoice", "")
    meta = {key: value or numbers.next_invoice()}
    if key == "contract":
        meta["invoice"] = numbers.next_invoice()
    held = RETAINED.get((date, meta.get("contract", "")), D(0))
    retained = [Leg(RETENTION, -held)] if held else []
    return Txn(day(date), payee, narration,
               [Leg(f"{fund_prefix}:{account}", money(amount)), *retained,
                Leg(bank, held - money(amount))], meta)


def allocations_and_receipts() -> Iterable[Txn]:
    for (_, fund, source, amount, _, notice), received in zip(ALLOCATIONS, RECEIVED,
                                                             strict=True):
        account = f"Income:{fund.capitalize()}:{source}"
        yield Txn(day(received), SOURCE_PAYER[source], f"收到{notice}拨款",
                  [Leg(BANK[fund], money(amount)), Leg(account, -money(amount))],
                  {"notice": notice})


def income_tax(gross: Decimal) -> Decimal:
    """One person's monthly income tax, rounded half up to the fen as payroll offices do."""
    withheld = (gross * (EMPLOYEE_SOCIAL_RATE + HOUSING_RATE)).quantize(CENT)
    taxable = max(D(0), gross - withheld - TAX_THRESHOLD)
    return (taxable * TAX_RATE).quantize(CENT, rounding=ROUND_HALF_UP)


def month_zh(month: str) -> str:
    """2012-08 -> 2012年8月"""
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def payroll(numbers: Numbers) -> Iterable[Txn]:
    remit_after = None
    for payday in PAYDAYS:
        gross = sum(MONTHLY_GROSS, D(0))
        social = money(sum((pay * EMPLOYEE_SOCIAL_RATE).quantize(CENT) for pay in MONTHLY_GROSS))
        housing = money(sum((pay * HOUSING_RATE).quantize(CENT) for pay in MONTHLY_GROSS))
        tax = sum((income_tax(pay) for pay in MONTHLY_GROSS), D("0.00"))
        employer_social = money(gross * EMPLOYER_SOCIAL_RATE)
        net = gross - social - housing - tax
        month = payday[:7]
        if remit_after is not None:
            yield from remittances(day(payday).replace(day=15), remit_after, numbers)
        yield Txn(day(payday), "社工（6人）", f"发放{month_zh(month)}社工工资",
                  [Leg("Expenses:Salary:Wages", gross),
                   Leg("Expenses:Salary:SocialSecurity", employer_social),
                   Leg("Expenses:Salary:HousingFund", housing),
                   Leg("Liabilities:Salary:SocialSecurity", -(social + employer_social)),
                   Leg("Liabilities:Salary:HousingFund", -(housing * 2)),
                   Leg("Liabilities:Salary:IncomeTax", -tax),
                   Leg(BANK["salary"], -net)],
                  {"payroll": month})
        remit_after = (month, social + employer_social, housing * 2, tax)


def remittances(date: datetime.date, owed: tuple[str, Decimal, Decimal, Decimal],
                numbers: Numbers) -> Iterable[Txn]:
    month, social, housing, tax = owed
    for payee, what, account, amount in (
            ("揭阳市社会保险基金管理局", "社会保险费", "SocialSecurity", social),
            ("揭阳市住房公积金管理中心", "住房公积金", "HousingFund", housing),
            ("揭阳市地方税务局东山分局", "代扣个人所得税", "IncomeTax", tax)):
        yield Txn(date, payee, f"缴纳{month_zh(month)}{what}",
                  [Leg(f"Liabilities:Salary:{account}", amount), Leg(BANK["salary"], -amount)],
                  {"invoice": numbers.next_invoice(), "payroll": month})


def bank_items(numbers: Numbers) -> Iterable[Txn]:
    for fund, fees in BANK_FEES.items():
        for date, amount in fees:
            yield Txn(day(date), "揭阳农商银行东山支行", "网银转账手续费及账户管理费",
                      [Leg(f"Expenses:{fund.capitalize()}:BankFee", money(amount)),
                       Leg(BANK[fund], -money(amount))],
                      {"invoice": f"NSH-{date.replace('-', '')}-{fund[:3].upper()}"})
    for fund, credits in INTEREST.items():
        for date, amount in credits:
            yield Txn(day(date), "揭阳农商银行东山支行", "专户季度结息",
                      [Leg(BANK[fund], money(amount)),
                       Leg(f"Income:{fund.capitalize()}:Interest", -money(amount))], {})


def petty_cash(numbers: Numbers) -> Iterable[Txn]:
    for date, amount in PETTY_CASH_WITHDRAWALS:
        yield Txn(day(date), "揭阳农商银行东山支行", "提取备用金",
                  [Leg(CASH, money(amount)), Leg(BANK["operating"], -money(amount))], {})
    for row in PETTY_CASH_PAYMENTS:
        yield payment(CASH, "Expenses:Operating", row, numbers)


def adjustments(balance_before_return: Decimal) -> Iterable[Txn]:
    yield Txn(day("2012-10-20"), "", "经市社工委批准，建设经费结余调剂至日常运营经费",
              [Leg(BANK["construction"], -APPROVED_TRANSFER),
               Leg(BANK["operating"], APPROVED_TRANSFER)],
              {"approval": "揭社工委〔2012〕18号"})
    yield Txn(day("2012-11-08"), "揭阳农商银行东山支行", "建设经费专户结息（上缴结余前）",
              [Leg(BANK["construction"], CLOSING_INTEREST),
               Leg("Income:Construction:Interest", -CLOSING_INTEREST)], {})
    held = sum(RETAINED.values(), D(0))
    returned = balance_before_return + CLOSING_INTEREST - held
    yield Txn(day("2012-11-08"), "东山区管委会",
              f"建设期结束，上缴建设经费结余（专户留存装修工程质保金{held}元）",
              [Leg(BANK["construction"], -returned),
               Leg("Income:Construction:District", returned)],
              {"notice": "东管财〔2012〕63号"})


def equipment_refund() -> Txn:
    return Txn(day("2012-09-20"), "广东粤东办公设备有限公司", "退回质量不合格的投影幕布货款",
               [Leg(BANK["construction"], D("1260.00")),
                Leg("Expenses:Construction:Equipment", D("-1260.00"))],
               {"contract": "东山采〔2012〕11号", "invoice": "红字04418333"})


def volunteer_stipends(numbers: Numbers) -> Iterable[Txn]:
    for date, amount in VOLUNTEER_STIPENDS:
        yield Txn(day(date), "社区志愿者服务队", "志愿者交通及误餐补贴",
                  [Leg("Expenses:Operating:Volunteers", money(amount)),
                   Leg(BANK["operating"], -money(amount))],
                  {"payroll": f"志愿者补贴发放表{date[:7]}"})


def all_transactions() -> list[Txn]:
    numbers = Numbers()
    txns: list[Txn] = [
        *allocations_and_receipts(),
        *(payment(BANK["construction"], "Expenses:Construction", row, numbers)
          for row in CONSTRUCTION_PAYMENTS),
        *(payment(BANK["operating"], "Expenses:Operating", row, numbers)
          for row in OPERATING_PAYMENTS),
        *payroll(numbers), *bank_items(numbers), *petty_cash(numbers),
        *volunteer_stipends(numbers), equipment_refund(),
    ]
    before_return = sum((leg.amount for txn in txns for leg in txn.legs
                         if leg.account == BANK["construction"]), D(0)) - APPROVED_TRANSFER
    txns.extend(adjustments(before_return))
    txns.sort(key=lambda txn: txn.date)
    for txn in txns:
        month = txn.date.strftime("%Y%m")
        numbers.vouchers[month] += 1
        txn.meta = {"voucher": f"记-{month}-{numbers.vouchers[month]:03d}", **txn.meta}
    return txns


# ---------------------------------------------------------------------------------------------
# The naming: each English account of the entries above and its account in the chart.

FUND_ACCOUNTS = {"construction": CONSTRUCTION, "salary": SALARY, "operating": OPERATING}
GRANT_SOURCES = {"District": "区财政", "CitySubsidy": "市财政"}
# The Chinese expense sub-accounts of the chart (DEFAULT_COSTS) and the English lines they were.
ENGLISH_ITEMS = {
    "筹建费用": "Preparation", "设计费": "Design", "装修工程": "Renovation", "设备购置": "Equipment",
    "专家辅导费": "Expert", "应发工资": "Wages", "单位社会保险费": "SocialSecurity",
    "单位住房公积金": "HousingFund", "社区服务活动": "Activities", "志愿者补贴": "Volunteers",
    "水电费": "Utilities", "宣传费": "Publicity", "办公费": "Office", "培训费": "Training",
    "第三方评估费": "Evaluation",
}


def fund_names(fund: str, accounts: FundAccounts) -> dict[str, str]:
    """One fund's English accounts and their accounts in the chart."""
    english = fund.capitalize()
    names = {BANK[fund]: accounts.bank,
             f"Income:{english}:Interest": accounts.interest,
             f"Expenses:{english}:BankFee": accounts.bank_fee}
    names |= {f"Income:{english}:{source}": accounts.grant(name)
              for source, name in GRANT_SOURCES.items()}
    names |= {f"Expenses:{english}:{ENGLISH_ITEMS[item]}": accounts.cost(item, code)
              for item, code in DEFAULT_COSTS[fund]}
    return names


def chart_names() -> dict[str, str]:
    """Every English account of the demo books and its account in the chart."""
    names = {CASH: OPERATING.cash, SUSPENSE: chart.SUSPENSE,
             RETENTION: f"{chart.coded('2209')}:工程质保金",
             "Liabilities:Salary:SocialSecurity": SOCIAL_SECURITY_PAYABLE,
             "Liabilities:Salary:HousingFund": HOUSING_FUND_PAYABLE,
             "Liabilities:Salary:IncomeTax": INCOME_TAX_PAYABLE}
    for fund, accounts in FUND_ACCOUNTS.items():
        names |= fund_names(fund, accounts)
    return names


TO_CHART = chart_names()

# Accounts of the chart the books open though no entry of 2012 uses them: the net assets the
# year-end closing credits, and wages payable (wages are paid in the month they are due).
CHART_ONLY = (
    ("2012-04-01", UNRESTRICTED_NET_ASSETS, "非限定性净资产（年末由非限定性收入、费用结转）"),
    ("2012-04-01", RESTRICTED_NET_ASSETS, "限定性净资产（年末由限定性收入、费用结转）"),
    ("2012-07-01", WAGES_PAYABLE, "应付工资（工资当月发放，月末无余额）"),
)


@dataclass(frozen=True)
class Naming:
    """How the written books name the accounts: ``names`` maps each English account to the
    name written; ``extra`` are the accounts only this naming opens (date, account,
    description)."""

    names: Mapping[str, str]
    width: int  # the column the amounts of an entry's legs are aligned after
    extra: tuple[tuple[str, str, str], ...] = ()
    options: str = ""  # lines of main.beancount's options

    def __call__(self, account: str) -> str:
        return self.names[account]

    def padded(self, account: str) -> str:
        """The account's name, padded to the amounts' column as it shows (a Chinese character
        takes two columns)."""
        name = self(account)
        return name + " " * max(0, self.width - display_width(name))




# Where Fava's balance sheet shows the surplus (income less expenses) of the year and of the
# time before a time filter: the funds are restricted grants, so their unspent surplus is
# 限定性净资产 (3102), not Beancount's Equity:Earnings:Current.
CHART_OPTIONS = """
; Fava 资产负债表中的收支结余列入限定性净资产 / the surplus shown as restricted net assets
option "account_current_earnings" "3102-限定性净资产"
option "account_previous_earnings" "3102-限定性净资产"
option "account_previous_balances" "3102-限定性净资产"
; 汇兑差额与未实现损益（本账簿只用人民币，应为零）列入非限定性净资产 / conversions and unrealized gains
option "account_current_conversions" "3101-非限定性净资产"
option "account_unrealized_gains" "3101-非限定性净资产"
"""

NAMINGS = {"chart": Naming(TO_CHART, 52, CHART_ONLY, CHART_OPTIONS),
           "english": Naming({account: account for account in TO_CHART}, 40)}


# ---------------------------------------------------------------------------------------------
# Writing.


def quoted(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def format_txn(txn: Txn, naming: Naming) -> str:
    head = f"{txn.date} * {quoted(txn.payee)} {quoted(txn.narration)}" if txn.payee else (
        f"{txn.date} * {quoted(txn.narration)}")
    lines = [head, *(f"  {key}: {quoted(value)}" for key, value in txn.meta.items())]
    lines += [f"  {naming.padded(leg.account)} {leg.amount:>12} CNY" for leg in txn.legs]
    return "\n".join(lines)


def month_ends() -> list[datetime.date]:
    return [datetime.date(2012 + (month == 12), month % 12 + 1, 1) for month in range(4, 13)]


def balance_assertions(txns: list[Txn], naming: Naming) -> list[tuple[datetime.date, str]]:
    """A balance on the first of each month for every bank and cash account; on the way, check
    that no account ever goes below zero at the end of a day."""
    opened = {account: day(date) for date, account, _, _ in ACCOUNTS}
    running: dict[str, Decimal] = defaultdict(Decimal)
    by_day: dict[datetime.date, list[Leg]] = defaultdict(list)
    for txn in txns:
        by_day[txn.date].extend(txn.legs)
    assertions = []
    firsts = set(month_ends())
    current = day("2012-04-01")
    while current <= day("2013-01-01"):
        if current in firsts:
            assertions += [(current, f"{current} balance {naming.padded(account)} "
                                     f"{running[account]:>12} CNY")
                           for account in (*BANK.values(), CASH) if opened[account] < current]
        for leg in by_day.get(current, []):
            running[leg.account] += leg.amount
        negative = [account for account in (*BANK.values(), CASH) if running[account] < 0]
        assert not negative, (current, negative)
        current += datetime.timedelta(days=1)
    return assertions


POLICY = (
    ("cash-limit", "1000.00 CNY", "现金结算起点 / cash settlement threshold"),
    ("split-threshold", "50000.00 CNY", "拆分支付限额 / split-payment threshold"),
    ("split-window-days", "30", "拆分支付窗口天数 / split-payment window"),
    ("allocation-due-days", "30", "拨款到位期限 / days for an allocation to arrive"),
    ("evidence-keys", '"invoice contract payroll"', "支付凭证 / evidence a payment needs"),
)


def account_opens(naming: Naming) -> list[str]:
    """The ``open`` of every account, with its description, bank account number and fund."""
    parts = []
    for date, account, fund, description in ACCOUNTS:
        parts.append(f"{date} open {naming(account)} CNY")
        parts.append(f"  description: {quoted(description)}")
        if account in BANK_NUMBERS:
            parts.append(f"  bank-account: {quoted(BANK_NUMBERS[account])}")
        if fund:
            parts.append(f'  fund: "{fund}"')
    for date, account, description in naming.extra:
        parts += [f"{date} open {account} CNY", f"  description: {quoted(description)}"]
    return parts


def accounts_file(naming: Naming) -> str:
    parts = ["; 专项资金、科目、预算（资金使用计划）、拨款计划与合同登记",
             "; Funds, accounts, the fund-use plan as budget lines, the allocations and the "
             "contracts.", "",
             "; 资金监管政策参数 / the policy the rules apply (dated; a later one replaces it)",
             *(f'2012-04-01 custom "fund-policy" "{key}" {value}  ; {note}'
               for key, value, note in POLICY), ""]
    for code, name, declared, end in FUNDS:
        parts.append(f'{declared} custom "fund" "{code}" "{name}"')
        if end:
            parts.append(f"  end: {end}")
    parts += ["", *account_opens(naming)]
    parts += ["", "; 资金使用计划 / the fund-use plan (yearly lines; a later line revises the cap)"]
    for date, account, amount, meta in BUDGET:
        parts.append(f'{date} custom "budget" {naming(account)} "yearly" {amount} CNY')
        parts += [f"  {key}: {quoted(value)}" for key, value in meta.items()]
    parts += ["", "; 拨款计划 / allocations announced by the district and the city"]
    for date, fund, source, amount, due, notice in ALLOCATIONS:
        parts.append(f'{date} custom "allocation" "{fund}" {amount} CNY')
        parts.append(f"  notice: {quoted(notice)}")
        parts.append(f"  source: {naming(f'Income:{fund.capitalize()}:{source}')}")  # funder
        if due:
            parts.append(f"  due: {due}")
    parts += ["", "; 合同登记 / contracts signed, and their changes (补充协议), "
              "by their signing dates", *contract_lines(naming)]
    return "\n".join(parts) + "\n"


def contract_lines(naming: Naming) -> list[str]:
    """The ``custom "contract"`` directives: number, fund, sum, then payee, the budget line it
    commits (account:), the 质保金 terms and a note."""
    lines = []
    for date, number, fund, amount, payee, account, meta in CONTRACTS:
        lines += [f'{date} custom "contract" {quoted(number)} "{fund}" {amount} CNY',
                  f"  payee: {quoted(payee)}", f"  account: {naming(account)}"]
        lines += [f"  {key}: {value if key in UNQUOTED_META else quoted(value)}"
                  for key, value in meta.items()]
    return lines


WITHHOLDING_PAYEES = (
    ("揭阳市社会保险基金管理局", "Liabilities:Salary:SocialSecurity"),
    ("揭阳市住房公积金管理中心", "Liabilities:Salary:HousingFund"),
    ("地方税务局", "Liabilities:Salary:IncomeTax"),
)


def import_rules(fund: str, naming: Naming) -> list[str]:
    """The statement classification rules of one fund's bank account."""
    bank, name = BANK[fund], fund.capitalize()
    rules = [("对方户名", SOURCE_PAYER["District"], f"Income:{name}:District", None),
             ("对方户名", SOURCE_PAYER["CitySubsidy"], f"Income:{name}:CitySubsidy", None),
             ("摘要", "结息", f"Income:{name}:Interest", "收入"),
             ("摘要", "手续费|管理费", f"Expenses:{name}:BankFee", "支出")]
    if fund == "salary":
        rules += [("对方户名", payee, account, "支出") for payee, account in WITHHOLDING_PAYEES]
    if fund == "operating":
        rules.append(("摘要", "备用金", CASH, "支出"))
    lines = []
    for column, pattern, target, direction in rules:
        lines.append(f'{OPENED[bank]} custom "import-rule" {naming(bank)} "{column}" '
                     f'"{pattern}" {naming(target)}')
        if direction:
            lines.append(f'  direction: "{direction}"')
    return lines


PAYROLL_LEGS = (("gross", "Expenses:Salary:Wages"),
                ("social-security", "Liabilities:Salary:SocialSecurity"),
                ("housing-fund", "Liabilities:Salary:HousingFund"),
                ("income-tax", "Liabilities:Salary:IncomeTax"))


def import_file(naming: Naming) -> str:
    parts = ["; 银行流水与工资表的导入配置（funds import） / how funds import classifies statement",
             "; lines and books the payroll sheet. Rules are tried in order; the first match wins.",
             ""]
    for fund in BANK:
        parts += [*import_rules(fund, naming), ""]
    parts.append(f'{OPENED[BANK["salary"]]} custom "import-payroll" {naming(BANK["salary"])}')
    parts += [f"  {key}: {naming(account)}" for key, account in PAYROLL_LEGS]
    return "\n".join(parts) + "\n"


OPENED = {account: date for date, account, _, _ in ACCOUNTS}

MAIN = """\
; 揭阳市首家社区社工综合服务中心示范点（东山区）2012 年专项资金账簿
; Demo books of the Dongshan community social-work service centre, 2012.
option "title" "东山区社区社工综合服务中心示范点 专项资金账簿"
option "operating_currency" "CNY"
option "booking_method" "STRICT"
{options}
plugin "ledger.plugin"

; Fava: the 专项资金 page, and a Chinese interface (start with: fava ledger/books/main.beancount)
2012-01-01 custom "fava-extension" "ledger.fava_ext"
2012-01-01 custom "fava-option" "language" "zh"

include "accounts.beancount"
include "import.beancount"
include "2012.beancount"
"""


# Fava's add-entry form inserts a new entry before the insert-entry option dated before it whose
# pattern matches one of its accounts: this one, the journal's last line, matches them all.
INSERT_HERE = """\
; 在 Fava 中新增的凭证写在下面这行之前：请让它留在本文件的最后一行
; Fava's add-entry form writes new vouchers above the next line: keep it the file's last line
2012-01-01 custom "fava-option" "insert-entry" ".*"
"""


def journal_file(txns: list[Txn], naming: Naming) -> str:
    items = [(txn.date, 0, format_txn(txn, naming)) for txn in txns]
    items += [(date, 1, line) for date, line in balance_assertions(txns, naming)]
    items.sort(key=lambda item: (item[0], item[1]))
    body = "\n\n".join(text for _, _, text in items)
    return ("; 2012 年记账凭证与月末银行余额核对 / 2012 journal and month-end bank balances\n\n"
            + body + "\n\n" + INSERT_HERE)


def write_books(folder: Path, naming: Naming = NAMINGS["chart"]) -> int:
    """Write the four files of the books to ``folder``; the number of transactions."""
    txns = all_transactions()
    files = {"main.beancount": MAIN.format(options=naming.options),
             "accounts.beancount": accounts_file(naming),
             "import.beancount": import_file(naming), "2012.beancount": journal_file(txns, naming)}
    for name, text in files.items():
        replace_file(folder / name, text.encode("utf-8"))  # atomic; makes the folder
    return len(txns)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=BOOKS,
                        help="where to write the books (default: ledger/books)")
    parser.add_argument("--naming", choices=sorted(NAMINGS), default="chart",
                        help="account names: the chart's (default) or the former English ones")
    args = parser.parse_args(argv)
    count = write_books(args.folder, NAMINGS[args.naming])
    print(f"wrote {count} transactions to {args.folder} ({args.naming} naming)")


if __name__ == "__main__":
    main()
