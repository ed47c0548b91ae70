"""``manage.py ticketflow_adopt``: take over the project's tickets that have no row yet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ticketflow import _errors
from ticketflow.django import conf, store
from ticketflow.django._instants import instant
from ticketflow.django.adoption import Adoption
from ticketflow.django.models import TicketState


class Command(BaseCommand):
    """Adopt every ticket that ``TICKETFLOW["ADOPT"]`` lists and that has no row yet."""

    help = "Start a ticketflow row for each existing ticket, in its status since its last change."

    def add_arguments(self, parser: CommandParser) -> None:
        """The command's options."""
        parser.add_argument("--dry-run", action="store_true", help="show, write nothing")
        parser.add_argument("--at", metavar="ISO", help="adopt as of this instant (now)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Adopt each listed ticket not yet adopted, one line each."""
        source = conf.adoption_source()
        if source is None:
            raise CommandError("TICKETFLOW['ADOPT'] names no function listing tickets to adopt")
        at = instant(options["at"], "--at")
        dry = options["dry_run"]
        done = set(TicketState.objects.values_list("ticket_id", flat=True))
        count = failed = 0
        for item in source():
            if not isinstance(item, Adoption):
                raise CommandError(f"TICKETFLOW['ADOPT'] gave {item!r}, not an Adoption")
            if item.ticket_id in done:
                continue
            try:
                self._adopt(item, at, dry=dry)
            except (_errors.TicketflowError, CommandError) as exc:
                self.stderr.write(f"ticket {item.ticket_id}: {exc}")
                failed += 1
                continue
            count += 1
        verb = "would adopt" if dry else "adopted"
        self.stdout.write(f"{verb} {count} ticket(s)")
        if failed:
            raise CommandError(f"{failed} ticket(s) could not be adopted (see above)")

    def _adopt(self, item: Adoption, at: datetime, *, dry: bool) -> None:
        wf = conf.workflow(item.workflow)
        if item.status is not None:
            status = wf.status(item.status).name
        elif item.code is not None:
            status = wf.status_by_code(item.code).name
        else:
            raise CommandError(f"ticket {item.ticket_id}: the Adoption gives no status or code")
        kw: dict[str, Any] = {"since": item.since, "at": at, "attrs": item.attrs}
        kw["created_at"] = item.created_at
        outcome = (
            wf.adopt(status, id=item.ticket_id, **kw)
            if dry
            else store.adopt(wf, item.ticket_id, status, **kw)
        )
        deadline = wf.next_deadline(outcome.ticket)
        when = deadline.isoformat() if deadline else "none"
        self.stdout.write(
            f"{item.ticket_id}: {status} since {item.since.isoformat()}, next deadline {when}"
        )
