"""The year-end statements of a 民办非企业单位 (《民间非营利组织会计制度》, 2004).

Computed from the books, without closing entries:

- 资产负债表 (会民非01表): 年初数 and 期末数 of every line, net assets split into
  非限定性净资产 and 限定性净资产;
- 业务活动表 (会民非02表): 非限定性, 限定性 and 合计 for the year, with the release of
  restriction (限定性净资产转为非限定性净资产) as each fund spends on its purpose;
- 现金流量表 (会民非03表): cash movements by their other leg, direct method;
- 专项资金收支情况表: per fund, 上年结余, 本年拨入, 本年支出, 本年结余 and 限定性转出.

Each statement is a :class:`~reports.annual.rows.Statement`: a title, its code, the column heads,
and rows carrying the 2004 行次.
"""
