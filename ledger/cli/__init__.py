"""Command-line tools: ``check-funds`` and the ``funds`` group."""
