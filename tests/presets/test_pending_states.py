"""The ``pending-states`` preset follows the Znuny/OTRS pending states rule by rule.

Instants are wall-clock readings in Berlin, where summer time starts on Sunday
2026-03-29 (02:00 CET becomes 03:00 CEST, UTC+1 -> UTC+2). The ticket starts
on Thursday 26 March at 09:00 and an agent opens it at 09:30.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

import ticketflow as tf
from ticketflow import presets
from ticketflow.cli import main
from ticketflow.testing import workflow_state_machine

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock reading in Berlin in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture(scope="module")
def wf() -> tf.Workflow:
    return presets.pending_states(timezone="Europe/Berlin")


def opened(wf: tf.Workflow) -> tf.Ticket:
    """A ticket created Thu 26 Mar 09:00 and opened by an agent at 09:30."""
    t = wf.start(at=berlin(3, 26, 9), id="ZN-1").ticket
    return wf.apply(t, "open", at=berlin(3, 26, 9, 30), actor="agent").ticket


def pend(wf: tf.Workflow, status: str, at: datetime, until: object) -> tf.Outcome:
    """The opened ticket set to ``status`` at ``at`` with the pending time ``until``."""
    return wf.apply(
        opened(wf), f"set_{status}", at=at, actor="agent", data={"pending_until": until}
    )


class TestDefinition:
    def test_the_default_states(self, wf: tf.Workflow) -> None:
        """'The default states of OTRS are: closed successful, closed unsuccessful, merged,
        new, open, pending auto close+, pending auto close-, pending reminder and removed.'
        (removed is not modelled).
        """
        got = [(s.name, s.category, s.label, s.initial, s.terminal) for s in wf.statuses]
        assert got == [
            ("new", "new", "new", True, False),
            ("open", "open", "open", False, False),
            ("pending_reminder", "pending", "pending reminder", False, False),
            ("pending_auto_close_plus", "pending", "pending auto close+", False, False),
            ("pending_auto_close_minus", "pending", "pending auto close-", False, False),
            ("closed_successful", "closed", "closed successful", False, False),
            ("closed_unsuccessful", "closed", "closed unsuccessful", False, False),
            ("merged", "closed", "merged", False, True),
        ]

    def test_timers_take_the_pending_time_as_is(self, wf: tf.Workflow) -> None:
        """Each pending status has one timer at the attribute ``pending_until``, sent by the
        system, with no reminders counted on a calendar.
        """
        got = [(t.status, t.at, t.after, t.event, t.reminders, t.remind_before) for t in wf.timers]
        assert got == [
            ("pending_reminder", "pending_until", None, "pending_time_reached", (), ()),
            ("pending_auto_close_plus", "pending_until", None, "auto_close", (), ()),
            ("pending_auto_close_minus", "pending_until", None, "auto_close", (), ()),
        ]
        assert isinstance(wf.calendar, tf.BusinessCalendar)
        assert wf.calendar.timezone == "Europe/Berlin"


class TestNewAndOpen:
    def test_new_then_open(self, wf: tf.Workflow) -> None:
        """'New: Tickets are usually in this state when created'; 'Open: the default state
        for tickets assigned to queues and agents'.
        """
        t = wf.start(at=berlin(3, 26, 9)).ticket
        assert t.status == "new"
        out = wf.apply(t, "open", at=berlin(3, 26, 9, 30), actor="agent")
        assert (out.ticket.status, out.ticket.next_deadline) == ("open", None)

    def test_only_agents_set_a_pending_state(self, wf: tf.Workflow) -> None:
        """Pending states are set by agents: a customer cannot send ``set_pending_reminder``."""
        with pytest.raises(tf.TransitionError):
            wf.apply(
                opened(wf),
                "set_pending_reminder",
                at=berlin(3, 26, 10),
                actor="customer",
                data={"pending_until": berlin(3, 27, 9)},
            )


class TestPendingReminder:
    def test_the_owner_is_reminded_at_the_pending_time_across_summer_time(
        self, wf: tf.Workflow
    ) -> None:
        """'Pending reminder: After the pending time has expired, the ticket owner will
        receive a reminder'. Set Thu 16:00 CET for Mon 09:00 CEST: 88 real hours, not 89.
        """
        entry = berlin(3, 26, 16)
        out = pend(wf, "pending_reminder", entry, berlin(3, 30, 9))
        due = out.ticket.next_deadline
        assert due == berlin(3, 30, 9)
        assert due is not None
        assert due.astimezone(UTC) - entry.astimezone(UTC) == timedelta(hours=88)
        fired = wf.advance(out.ticket, now=berlin(3, 30, 9))
        assert [(s.event, s.source, s.target, s.at) for s in fired.steps] == [
            ("pending_time_reached", "pending_reminder", "pending_reminder", berlin(3, 30, 9))
        ]
        assert [(e.kind, e.name, e.at, e.data) for e in fired.effects] == [
            ("notify", "pending_time_reached", berlin(3, 30, 9), {"to": "owner"})
        ]

    def test_the_ticket_stays_pending_and_is_reminded_once(self, wf: tf.Workflow) -> None:
        """The reminder leaves the state as it is (a one-shot timer): a month later nothing
        more has happened.
        """
        out = pend(wf, "pending_reminder", berlin(3, 26, 16), berlin(3, 30, 9))
        fired = wf.advance(out.ticket, now=berlin(3, 30, 9))
        assert (fired.ticket.status, fired.ticket.agenda) == ("pending_reminder", ())
        later = wf.advance(fired.ticket, now=berlin(4, 30, 9))
        assert (later.steps, later.effects) == ((), ())
        assert later.ticket.status == "pending_reminder"

    def test_a_new_pending_time_after_the_reminder_reminds_again(self, wf: tf.Workflow) -> None:
        """Reminders go on 'until the ticket state is changed by the agent': moving the
        pending time to Tue 09:00 arms the reminder again.
        """
        out = pend(wf, "pending_reminder", berlin(3, 26, 16), berlin(3, 30, 9))
        t = wf.advance(out.ticket, now=berlin(3, 30, 9)).ticket
        moved = wf.apply(
            t,
            "set_pending_time",
            at=berlin(3, 30, 10),
            actor="agent",
            data={"pending_until": berlin(3, 31, 9)},
        )
        assert moved.ticket.next_deadline == berlin(3, 31, 9)
        again = wf.advance(moved.ticket, now=berlin(3, 31, 9))
        assert [(e.kind, e.at) for e in again.effects] == [("notify", berlin(3, 31, 9))]


class TestPendingAutoClose:
    def test_auto_close_plus_closes_successful(self, wf: tf.Workflow) -> None:
        """'Pending auto close+: Tickets in this status will be set to "Closed Successful" if
        the pending time has expired.'
        """
        out = pend(wf, "pending_auto_close_plus", berlin(3, 27, 10), berlin(3, 30, 12))
        assert out.ticket.next_deadline == berlin(3, 30, 12)
        end = wf.advance(out.ticket, now=berlin(4, 1, 9))
        assert [(s.event, s.actor, s.target, s.at) for s in end.steps] == [
            ("auto_close", "system", "closed_successful", berlin(3, 30, 12))
        ]
        assert end.ticket.next_deadline is None

    def test_auto_close_minus_closes_unsuccessful(self, wf: tf.Workflow) -> None:
        """'Pending auto close-: Tickets in this status will be set to "Closed Unsuccessful"
        if the pending time has expired.'
        """
        out = pend(wf, "pending_auto_close_minus", berlin(3, 27, 10), berlin(3, 28, 18))
        end = wf.advance(out.ticket, now=berlin(4, 1, 9))
        assert [(s.event, s.target, s.at) for s in end.steps] == [
            ("auto_close", "closed_unsuccessful", berlin(3, 28, 18))
        ]

    def test_a_minute_before_the_pending_time_nothing_happens(self, wf: tf.Workflow) -> None:
        """The ticket closes at the pending time, not before it."""
        out = pend(wf, "pending_auto_close_plus", berlin(3, 27, 10), berlin(3, 30, 12))
        early = wf.advance(out.ticket, now=berlin(3, 30, 11, 59))
        assert (early.steps, early.ticket.status) == ((), "pending_auto_close_plus")


class TestPendingTime:
    def test_the_pending_time_is_chosen_per_ticket(self, wf: tf.Workflow) -> None:
        """The agent gives the pending time with the pending state; it is kept on the ticket."""
        out = pend(wf, "pending_auto_close_plus", berlin(3, 27, 10), berlin(4, 2, 12))
        assert out.ticket.attrs["pending_until"] == berlin(4, 2, 12)
        assert out.ticket.next_deadline == berlin(4, 2, 12)

    def test_a_pending_state_without_a_pending_time_is_rejected(self, wf: tf.Workflow) -> None:
        """No pending time in the event's data: EventDataError naming ``pending_until``, and
        the ticket is untouched.
        """
        t = opened(wf)
        before = t.to_dict()
        with pytest.raises(tf.EventDataError, match="pending_until"):
            wf.apply(t, "set_pending_auto_close_plus", at=berlin(3, 27, 10), actor="agent")
        assert t.to_dict() == before

    def test_moving_the_pending_time_while_pending_rearms_the_timer(self, wf: tf.Workflow) -> None:
        """Moved on Fri 17:00 from Sat 09:00 CET to 07:00 UTC on Monday (09:00 CEST): nothing
        happens on Saturday, the reminder comes on Monday.
        """
        out = pend(wf, "pending_reminder", berlin(3, 26, 16), berlin(3, 28, 9))
        assert out.ticket.next_deadline == berlin(3, 28, 9)
        moved = wf.apply(
            out.ticket,
            "set_pending_time",
            at=berlin(3, 27, 17),
            actor="agent",
            data={"pending_until": "2026-03-30T07:00:00+00:00"},
        )
        assert (moved.ticket.status, moved.ticket.status_since) == (
            "pending_reminder",
            berlin(3, 26, 16),
        )
        assert moved.ticket.next_deadline == berlin(3, 30, 9)
        weekend = wf.advance(moved.ticket, now=berlin(3, 29, 12))
        assert weekend.steps == ()
        monday = wf.advance(weekend.ticket, now=berlin(3, 30, 9))
        assert [(s.event, s.at) for s in monday.steps] == [
            ("pending_time_reached", berlin(3, 30, 9))
        ]

    def test_a_pending_time_already_past_falls_due_at_once(self, wf: tf.Workflow) -> None:
        """Set on Fri 10:00 with a pending time of Thu 12:00: the ticket closes at Fri 10:00,
        the instant it was set, never before it.
        """
        entry = berlin(3, 27, 10)
        out = pend(wf, "pending_auto_close_minus", entry, berlin(3, 26, 12))
        assert out.ticket.next_deadline == entry
        end = wf.advance(out.ticket, now=entry)
        assert [(s.event, s.target, s.at) for s in end.steps] == [
            ("auto_close", "closed_unsuccessful", entry)
        ]

    def test_changing_the_pending_state_takes_the_new_time(self, wf: tf.Workflow) -> None:
        """From pending reminder to pending auto close+ with a new pending time: the reminder
        is gone, the ticket closes at the new time.
        """
        out = pend(wf, "pending_reminder", berlin(3, 26, 16), berlin(3, 27, 9))
        switched = wf.apply(
            out.ticket,
            "set_pending_auto_close_plus",
            at=berlin(3, 26, 17),
            actor="agent",
            data={"pending_until": berlin(3, 31, 15)},
        )
        end = wf.advance(switched.ticket, now=berlin(4, 1, 9))
        assert [(s.event, s.target, s.at) for s in end.steps] == [
            ("auto_close", "closed_successful", berlin(3, 31, 15))
        ]
        assert end.effects == ()


class TestCustomerReply:
    def test_a_customer_reply_in_pending_reopens_the_ticket(self, wf: tf.Workflow) -> None:
        """A customer's follow-up on a pending ticket sets it to open, and its pending time
        no longer closes it.
        """
        out = pend(wf, "pending_auto_close_plus", berlin(3, 27, 10), berlin(3, 30, 12))
        reply = wf.apply(out.ticket, "customer_reply", at=berlin(3, 28, 11), actor="customer")
        assert [(s.source, s.target) for s in reply.steps] == [("pending_auto_close_plus", "open")]
        assert reply.ticket.next_deadline is None
        later = wf.advance(reply.ticket, now=berlin(4, 30, 9))
        assert (later.steps, later.ticket.status) == ((), "open")

    def test_a_customer_reply_reopens_a_closed_ticket(self, wf: tf.Workflow) -> None:
        """'By default, Znuny allows customers to reopen closed tickets indefinitely by simply
        responding'.
        """
        out = pend(wf, "pending_auto_close_minus", berlin(3, 27, 10), berlin(3, 28, 18))
        closed = wf.advance(out.ticket, now=berlin(3, 28, 18)).ticket
        assert closed.status == "closed_unsuccessful"
        back = wf.apply(closed, "customer_reply", at=berlin(5, 4, 8), actor="customer")
        assert back.ticket.status == "open"

    def test_a_customer_reply_on_new_or_open_keeps_the_state(self, wf: tf.Workflow) -> None:
        """A follow-up on a ticket not yet pending or closed changes nothing but the time."""
        t = opened(wf)
        out = wf.apply(t, "customer_reply", at=berlin(3, 26, 11), actor="customer")
        assert (out.ticket.status, out.ticket.updated_at) == ("open", berlin(3, 26, 11))

    def test_a_late_reply_is_clamped_after_the_auto_close(self, wf: tf.Workflow) -> None:
        """A reply stamped 11:59 reaches a ticket auto-closed at 12:00: rejected by default;
        with late="clamp" it reopens the ticket at 12:00, and the step keeps 11:59.
        """
        out = pend(wf, "pending_auto_close_plus", berlin(3, 27, 10), berlin(3, 30, 12))
        closed = wf.advance(out.ticket, now=berlin(3, 30, 12)).ticket
        assert (closed.status, closed.updated_at) == ("closed_successful", berlin(3, 30, 12))
        stamped = berlin(3, 30, 11, 59)
        with pytest.raises(tf.OutOfOrderError):
            wf.apply(closed, "customer_reply", at=stamped, actor="customer")
        late = wf.apply(closed, "customer_reply", at=stamped, actor="customer", late="clamp")
        (step,) = late.steps
        assert (step.source, step.target, step.at, step.requested_at) == (
            "closed_successful",
            "open",
            berlin(3, 30, 12),
            stamped,
        )


class TestClosing:
    def test_agents_close_by_hand(self, wf: tf.Workflow) -> None:
        """'Closed Successful: the end state for tickets that have been successfully
        resolved'; agents may also close unsuccessful.
        """
        t = opened(wf)
        ok = wf.apply(t, "close_successful", at=berlin(3, 26, 10), actor="agent")
        ko = wf.apply(t, "close_unsuccessful", at=berlin(3, 26, 10), actor="agent")
        assert (ok.ticket.status, ko.ticket.status) == ("closed_successful", "closed_unsuccessful")

    def test_merged_is_the_end(self, wf: tf.Workflow) -> None:
        """'Merged: the state for tickets that have been merged with other tickets': nothing
        moves a merged ticket.
        """
        t = wf.apply(opened(wf), "merge", at=berlin(3, 26, 10), actor="agent").ticket
        with pytest.raises(tf.TransitionError):
            wf.apply(t, "customer_reply", at=berlin(3, 26, 11), actor="customer")


class TestTestingKit:
    @pytest.mark.slow
    def test_the_state_machine_sends_the_given_event_data(self, wf: tf.Workflow) -> None:
        """The state machine sends the given pending times with the set_pending_* events,
        and a pending time already past (due at the instant of the event that set it)
        keeps every invariant, replay included."""
        data = st.just({"pending_until": berlin(3, 30, 9)})
        machine = workflow_state_machine(wf, data=data)
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=20,
                stateful_step_count=10,
                deadline=None,
                derandomize=True,
                database=None,
                report_multiple_bugs=False,
            ),
        )


class TestDemo:
    def test_the_demo_crosses_summer_time(self, capsys: pytest.CaptureFixture[str]) -> None:
        """'ticketflow demo pending-states': the pending time chosen (Sat 09:00 CET), moved
        once (Mon 09:00 CEST), the reminder at it, then auto close+ at the new time.
        """
        assert main(["demo", "pending-states"]) == 0
        out = capsys.readouterr().out
        assert out.splitlines() == presets.demo_timeline("pending_states")
        rows = [line.split("  ")[0].strip() for line in out.splitlines()[5:]]
        assert rows == [
            "Thu 26 Mar 2026 09:00 CET",
            "Thu 26 Mar 2026 09:30 CET",
            "Thu 26 Mar 2026 16:00 CET",
            "Fri 27 Mar 2026 17:00 CET",
            "Mon 30 Mar 2026 09:00 CEST",
            "Mon 30 Mar 2026 10:00 CEST",
            "Thu 02 Apr 2026 12:00 CEST",
        ]
        for text in [
            "set_pending_reminder         agent   pending_reminder                  "
            "Sat 28 Mar 2026 09:00 CET pending_time_reached",
            "set_pending_time             agent   pending_reminder                  "
            "Mon 30 Mar 2026 09:00 CEST pending_time_reached",
            "pending_time_reached         system  pending_reminder         notify   -",
            "Thu 02 Apr 2026 12:00 CEST auto_close",
            "auto_close                   system  closed_successful",
        ]:
            assert text in out
