"""System checks run at start-up (``manage.py check``, ``runserver``, ``migrate``).

* ``ticketflow.E001``: ``USE_TZ`` is False; ticketflow needs aware datetimes.
* ``ticketflow.E002``: the ``TICKETFLOW`` setting cannot be loaded (a path that
  does not import, an object that is not a Workflow, a workflow that is invalid).
* ``ticketflow.W001``: no workflow is configured.
* ``ticketflow.W002``: a SQLite database without ``"transaction_mode": "IMMEDIATE"``,
  where two writers (sweepers) would meet "database is locked" errors.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from ticketflow._errors import TicketflowError

from . import conf

__all__ = ["check_settings"]


def check_settings(app_configs: object = None, **kwargs: Any) -> list[CheckMessage]:
    """Every problem of the project's settings for ticketflow."""
    found: list[CheckMessage] = []
    if not settings.USE_TZ:
        found.append(
            Error(
                "USE_TZ is False: ticketflow needs timezone-aware datetimes",
                hint="Set USE_TZ = True (TIME_ZONE stays the project's local zone).",
                id="ticketflow.E001",
            )
        )
    try:
        configured = conf.workflows()
        conf.handler()
        conf.adoption_source()
    except TicketflowError as exc:
        found.append(Error(str(exc), id="ticketflow.E002"))
    else:
        if not configured:
            found.append(
                Warning(
                    "TICKETFLOW['WORKFLOWS'] lists no workflow",
                    hint="List dotted paths to ticketflow.Workflow objects.",
                    id="ticketflow.W001",
                )
            )
    for alias, db in settings.DATABASES.items():
        options = db.get("OPTIONS", {})
        if db.get("ENGINE", "").endswith("sqlite3") and options.get("transaction_mode") != (
            "IMMEDIATE"
        ):
            found.append(
                Warning(
                    f"database {alias!r} is SQLite without transaction_mode IMMEDIATE",
                    hint='Add "OPTIONS": {"transaction_mode": "IMMEDIATE"} so that '
                    "concurrent sweepers wait for each other instead of failing.",
                    id="ticketflow.W002",
                )
            )
    return found
