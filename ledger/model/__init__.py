"""The fund model: what the books declare about funds, accounts, policy and budgets."""
