"""The Django app configuration: the app's label, its start-up checks, the configured hooks."""

from __future__ import annotations

import contextlib

from django.apps import AppConfig
from django.core import checks

from . import conf
from .checks import check_settings
from .errors import ConfigurationError


class TicketflowConfig(AppConfig):
    """``ticketflow.django``, labelled ``ticketflow`` in migrations and the admin."""

    name = "ticketflow.django"
    label = "ticketflow"
    verbose_name = "ticketflow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the system checks, and import the ``HANDLER`` and ``ADOPT`` callables.

        Importing them at start-up connects the signal receivers defined in
        their modules. A path that cannot be imported is left to the checks,
        which report it.
        """
        checks.register(check_settings)
        for load in (conf.handler, conf.adoption_source):
            with contextlib.suppress(ConfigurationError):  # reported by check_settings
                load()
