"""The ticketflow.django app itself: checks, refusals, conflicts and a failing handler."""

import io
import warnings
from datetime import datetime

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from flow.models import Case
from helpdesk.models import FollowUp, Ticket

import ticketflow as tf
from ticketflow.django import store
from ticketflow.django.checks import check_settings
from ticketflow.django.errors import ConfigurationError, ConflictError, TicketNotFound
from ticketflow.django.models import TicketState

from .base import agent_update, clock, madrid, make_agent, make_queue, row, status, sweep, titles

SETTINGS = {
    "WORKFLOWS": ["flow.workflow.WORKFLOW"],
    "HANDLER": "flow.glue.on_change",
    "ADOPT": "flow.glue.adoptable",
}


def failing_handler(change: store.Change) -> None:
    """A handler whose delivery fails (a mail server down, say)."""
    raise RuntimeError(f"cannot deliver for {change.ticket_id}")


def ids(found: list[object]) -> list[str]:
    return [m.id for m in found]  # type: ignore[attr-defined]


class TestChecks(TestCase):
    def test_the_example_passes(self) -> None:
        """The example's settings raise nothing."""
        assert check_settings() == []

    @override_settings(USE_TZ=False)
    def test_naive_projects_are_refused(self) -> None:
        """USE_TZ=False is an error: ticketflow needs aware datetimes."""
        assert ids(check_settings()) == ["ticketflow.E001"]

    @override_settings(TICKETFLOW={"WORKFLOWS": ["flow.workflow.NOPE"]})
    def test_a_workflow_path_that_does_not_import(self) -> None:
        """A bad dotted path is an error naming it."""
        (found,) = check_settings()
        assert found.id == "ticketflow.E002"
        assert "flow.workflow.NOPE" in found.msg

    @override_settings(TICKETFLOW={"WORKFLOWS": ["flow.workflow.MADRID"]})
    def test_a_path_to_something_else(self) -> None:
        """A path to an object that is not a Workflow is an error naming it."""
        (found,) = check_settings()
        assert found.msg == "TICKETFLOW['WORKFLOWS']: 'flow.workflow.MADRID' is not a Workflow"

    @override_settings(TICKETFLOW={"WORKFLOWS": [], "HANDLERS": "x"})
    def test_an_unknown_key(self) -> None:
        """A misspelt key is an error listing the known ones."""
        (found,) = check_settings()
        assert found.msg == (
            "settings.TICKETFLOW has unknown key(s) 'HANDLERS' (known: WORKFLOWS, HANDLER, ADOPT)"
        )

    @override_settings(TICKETFLOW={"WORKFLOWS": ["tests.bad_workflow.WORKFLOW"]})
    def test_an_invalid_workflow(self) -> None:
        """A workflow module that raises WorkflowError is an error with its problems."""
        (found,) = check_settings()
        assert found.id == "ticketflow.E002"
        assert "statuses 'open' and 'done' share code 1" in found.msg

    @override_settings(TICKETFLOW={})
    def test_no_workflow(self) -> None:
        """No workflow at all is a warning."""
        assert ids(check_settings()) == ["ticketflow.W001"]

    def test_sqlite_without_immediate_transactions(self) -> None:
        """SQLite in deferred mode is a warning: concurrent sweepers would fail."""
        deferred = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Django warns that DATABASES is overridden
            with override_settings(DATABASES=deferred):
                assert ids(check_settings()) == ["ticketflow.W002"]


class TestStore(TestCase):
    def setUp(self) -> None:
        self.agent = make_agent()
        # Wed 9 Dec 2026 10:00 CET: a ticket made with django-helpdesk's model
        with clock(madrid(9, 10)):
            self.ticket = Ticket.objects.create(title="t", queue=make_queue())
        self.id = str(self.ticket.pk)

    def test_naive_datetimes_are_refused_and_change_nothing(self) -> None:
        """A naive instant raises NaiveDatetimeError naming the argument; the row is untouched."""
        before = row(self.ticket).snapshot
        with self.assertRaisesMessage(tf.NaiveDatetimeError, "at=datetime.datetime(2026, 12, 9"):
            store.apply(self.id, "agent_reply", at=datetime(2026, 12, 9, 11), actor="agent")
        with self.assertRaisesMessage(tf.NaiveDatetimeError, "now="):
            store.sweep(now=datetime(2026, 12, 9, 11))
        assert row(self.ticket).snapshot == before

    def test_a_refused_event_changes_nothing(self) -> None:
        """A customer may not resolve: NotPermitted, and neither the row nor helpdesk changes."""
        before = row(self.ticket).snapshot
        with self.assertRaises(tf.NotPermitted):
            store.apply(self.id, "resolve", at=madrid(9, 11), actor="customer")
        assert row(self.ticket).snapshot == before
        assert status(self.ticket) == Ticket.OPEN_STATUS

    def test_expected_version(self) -> None:
        """A write expecting another version raises ConflictError naming both versions."""
        with self.assertRaisesMessage(ConflictError, "is at version 1, not 5"):
            store.apply(self.id, "agent_reply", at=madrid(9, 11), actor="agent", expected_version=5)
        out = store.apply(
            self.id, "agent_reply", at=madrid(9, 11), actor="agent", expected_version=1
        )
        assert out.ticket.version == row(self.ticket).version == 2

    def test_starting_twice_and_unknown_ids(self) -> None:
        """A second start of one id is a conflict; an unknown id is TicketNotFound."""
        before = row(self.ticket).snapshot
        message = f"a ticket with id '{self.id}' exists already"
        with self.assertRaisesMessage(ConflictError, message):
            store.start("helpdesk", self.id, at=madrid(9, 11))
        assert row(self.ticket).snapshot == before
        with self.assertRaisesMessage(TicketNotFound, "no ticket with id 'nope'"):
            store.apply("nope", "agent_reply", at=madrid(9, 11), actor="agent")
        with self.assertRaisesMessage(ConfigurationError, "no workflow named 'other'"):
            store.start("other", "x", at=madrid(9, 11))

    def test_a_late_reply_is_clamped(self) -> None:
        """An event stamped before the last change is applied at that change, not refused."""
        store.apply(self.id, "agent_reply", at=madrid(9, 12), actor="agent")
        out = store.apply(self.id, "customer_reply", at=madrid(9, 11), actor="customer")
        assert out.steps[-1].at == madrid(9, 12)
        assert out.steps[-1].requested_at == madrid(9, 11)

    def test_a_failing_handler_loses_nothing(self) -> None:
        """A handler that raises leaves the ticket as it was; the next sweep fires it once."""
        # first response due Wed 9 10:00 + 4 business hours = 14:00 CET
        with override_settings(TICKETFLOW={**SETTINGS, "HANDLER": failing_handler}):
            result = store.sweep(now=madrid(9, 14))
        assert (result.advanced, result.fired) == (0, 0)
        assert result.failed == ((self.id, f"RuntimeError: cannot deliver for {self.id}"),)
        assert row(self.ticket).version == 1
        assert FollowUp.objects.filter(ticket_id=self.ticket.pk).count() == 0
        # delivery works again: the breach is recorded once, at its own instant
        assert sweep(madrid(9, 15)) == "advanced 1 ticket(s), fired 1, failed 0"
        assert [(d, t) for d, t, _ in titles(self.ticket)] == [
            (madrid(9, 14), "SLA breached: first_response")
        ]

    def test_sweep_reports_failures_on_stderr(self) -> None:
        """The command names each ticket it could not advance."""
        with override_settings(TICKETFLOW={**SETTINGS, "HANDLER": failing_handler}):
            text = sweep(madrid(9, 14))
        assert text.splitlines() == [
            "advanced 0 ticket(s), fired 0, failed 1",
            f"{self.id}: RuntimeError: cannot deliver for {self.id}",
        ]

    def test_helpdesk_refusal_propagates(self) -> None:
        """An agent reopening an open ticket: the workflow refuses, the error reaches the caller."""
        with self.assertRaises(tf.TransitionError):
            agent_update(self.agent, self.ticket, madrid(9, 11), new_status=Ticket.REOPENED_STATUS)
        assert row(self.ticket).status == "open"

    def test_sweep_a_model_of_ones_own(self) -> None:
        """--model sweeps another TicketflowModel table, and refuses what is not one."""
        store.start("helpdesk", "C-9", at=madrid(9, 10), model=Case)
        out = io.StringIO()
        # first response due Wed 9 10:00 + 4 business hours = 14:00 CET
        call_command(
            "ticketflow_sweep",
            "--model",
            "flow.Case",
            "--now",
            "2026-12-09T14:00+01:00",
            stdout=out,
        )
        assert out.getvalue().strip() == "advanced 1 ticket(s), fired 1, failed 0"
        assert Case.objects.get(ticket_id="C-9").version == 2
        assert row(self.ticket).version == 1  # the helpdesk table was not swept
        with self.assertRaisesMessage(
            CommandError, "--model 'helpdesk.Queue' is not a TicketflowModel"
        ):
            call_command("ticketflow_sweep", "--model", "helpdesk.Queue")
        with self.assertRaisesMessage(CommandError, "--model 'nope' is not an installed model"):
            call_command("ticketflow_sweep", "--model", "nope")

    def test_advance_one_ticket(self) -> None:
        """advance fires what is due for one ticket once; a second call writes nothing."""
        # first response due Wed 9 10:00 + 4 business hours = 14:00 CET
        assert store.advance(self.id, now=madrid(9, 13, 59)).ticket.version == 1
        out = store.advance(self.id, now=madrid(9, 14))
        assert [(e.kind, e.at) for e in out.effects] == [("sla_breach", madrid(9, 14))]
        assert store.get(self.id) == out.ticket
        again = store.advance(self.id, now=madrid(9, 15))
        assert again.effects == ()
        assert row(self.ticket).version == out.ticket.version == 2
        assert len(titles(self.ticket)) == 1
        with self.assertRaises(TicketNotFound):
            store.get("nope")

    def test_every_with_now_sweeps_once(self) -> None:
        """--every with --now sweeps once, as of that instant, and returns."""
        out = io.StringIO()
        call_command(
            "ticketflow_sweep", "--every", "60", "--now", "2026-12-09T14:00+01:00", stdout=out
        )
        assert out.getvalue().strip() == "advanced 1 ticket(s), fired 1, failed 0"

    def test_bad_now_option(self) -> None:
        """--now without an offset is refused naming the option."""
        with self.assertRaisesMessage(CommandError, "--now '2026-12-09T10:00' has no UTC offset"):
            call_command("ticketflow_sweep", "--now", "2026-12-09T10:00")

    def test_rows_are_only_written_by_the_store(self) -> None:
        """The row's columns come from the snapshot: status, category, version, deadline."""
        state = TicketState.objects.get(ticket_id=self.id)
        ticket = state.ticket
        assert (state.status, state.category, state.version) == ("open", "open", ticket.version)
        assert state.next_deadline == madrid(9, 14)
