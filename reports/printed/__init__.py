"""The books printed as the archive keeps them: 记账凭证 with their 封面, the 三栏式明细账 and the
科目余额表, as PDF files with the Chinese font embedded (:mod:`reports.printed.pdf`)."""
