"""``funds serve``: Fava for a whole office, behind a login with roles and a log of changes.

:mod:`ledger.serve.users` keeps the users file (names, roles, scrypt password hashes),
:mod:`ledger.serve.middleware` is the WSGI middleware that asks for the password, keeps the
read-only roles from writing and logs every change, :mod:`ledger.serve.private` keeps Fava from
serving, changing, moving or deleting the users file and the change log, and
:mod:`ledger.serve.server` puts Fava behind all this on cheroot's WSGI server.
"""
