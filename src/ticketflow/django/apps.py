"""The Django app configuration: the app's label and its start-up checks."""

from __future__ import annotations

from django.apps import AppConfig
from django.core import checks

from .checks import check_settings


class TicketflowConfig(AppConfig):
    """``ticketflow.django``, labelled ``ticketflow`` in migrations and the admin."""

    name = "ticketflow.django"
    label = "ticketflow"
    verbose_name = "ticketflow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the system checks that load and validate the configured workflows."""
        checks.register(check_settings)
