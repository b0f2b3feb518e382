"""earmark-ledger: the books and the rules that keep earmarked funds on their purpose.

The package is laid out by role:

- ``ledger.books``  the demo books of the Dongshan centre (Beancount files);
- ``ledger.model``  the fund model read from the books: funds, accounts, policy, budgets;
- ``ledger.rules``  one module per money rule of the plan, each a pure pass over the entries;
- ``ledger.plugin`` the Beancount plugin that turns findings into errors for bean-check and Fava;
- ``ledger.cli``    the ``check-funds`` and ``funds`` commands.
"""
