"""``manage.py ticketflow_sweep``: advance the tickets whose deadline has come."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ticketflow.django import store
from ticketflow.django._instants import instant
from ticketflow.django.models import TicketflowModel


class Command(BaseCommand):
    """Advance due tickets once, or every N seconds until stopped."""

    help = "Fire the timers, reminders and SLA breaches that fell due, once or every N seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        """The command's options."""
        parser.add_argument("--every", type=float, metavar="SECONDS", help="sweep again and again")
        parser.add_argument("--limit", type=int, default=500, help="tickets per sweep (500)")
        parser.add_argument(
            "--model",
            default="ticketflow.TicketState",
            metavar="APP.MODEL",
            help="the model holding the tickets (ticketflow.TicketState)",
        )
        parser.add_argument(
            "--now", metavar="ISO", help="sweep as of this instant instead of the clock (once)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Sweep, report each sweep on one line."""
        every = options["every"]
        try:
            model = apps.get_model(options["model"])
        except (LookupError, ValueError):
            raise CommandError(f"--model {options['model']!r} is not an installed model") from None
        if not issubclass(model, TicketflowModel):
            raise CommandError(f"--model {options['model']!r} is not a TicketflowModel")
        while True:
            now = instant(options["now"], "--now")
            result = store.sweep(now=now, limit=options["limit"], model=model)
            self.stdout.write(
                f"advanced {result.advanced} ticket(s), fired {result.fired}, "
                f"failed {len(result.failed)}"
            )
            for ticket_id, error in result.failed:
                self.stderr.write(f"{ticket_id}: {error}")
            if every is None or options["now"] is not None:
                return
            time.sleep(every)
