"""The tests run on the database DATABASE_URL names (SQLite without it)."""

import os

from django.db import connection
from django.test import SimpleTestCase


class TestDatabase(SimpleTestCase):
    def test_the_database_is_the_one_database_url_names(self) -> None:
        """``python -m tests.pgserver run -- make example-django`` must not fall back to SQLite."""
        url = os.environ.get("DATABASE_URL", "")
        assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")
