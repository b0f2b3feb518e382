"""The city finance bureau's month: every centre's verified ``export.json`` in one workbook.

``collect`` finds the month folders under the folders and zips given, ``registry`` reads the
centres the bureau expects, ``consolidate`` makes the five sheets, and ``charts`` adds native
Excel bar charts to the written workbook.
"""
