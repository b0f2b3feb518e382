"""Reports for the city finance bureau, computed from the books the rules police.

``reports.monthly`` gathers one month's reconciliation export (funds' receipts and payments,
budget execution, bank reconciliation, the month's detail and findings); ``reports.workbook``
writes it as one Excel workbook and one CSV per sheet.
"""
