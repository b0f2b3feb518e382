"""Setting up books: a new centre's files (``funds init``)."""
