"""Tickets that change during their life: set_attrs, SLA re-selection, at= timers,
one-shot timers, adoption and late events, with hand-computed instants.

The office calendar is Monday to Friday 09:00-17:00 in Berlin with German
holidays; summer time starts there on Sunday 2026-03-29 (UTC+1 -> UTC+2).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = tf.BusinessCalendar(
    timezone="Europe/Berlin",
    hours=tf.weekdays("09:00", "17:00"),
    holidays=tf.country_holidays("DE"),
)


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock reading in Berlin in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def flow(**extra: Any) -> tf.Workflow:
    """A small helpdesk: priorities, a pending status with a per-ticket deadline."""
    return tf.Workflow(
        name="changes",
        calendar=OFFICE,
        statuses=[
            tf.Status("open", category="new", initial=True),
            tf.Status("pending", category="pending"),
            tf.Status("waiting", category="pending"),
            tf.Status("resolved", category="solved"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("set_priority", source="*", roles={"agent"}, set_attrs=("priority",)),
            tf.Transition("set_vip", source="*", roles={"agent"}, set_attrs=prefer_vip),
            tf.Transition(
                "pend", source="open", target="pending", roles={"agent"}, set_attrs="pending_until"
            ),
            tf.Transition("repend", source="pending", roles={"agent"}, set_attrs="pending_until"),
            tf.Transition("ask", source="open", target="waiting", roles={"agent"}),
            tf.Transition("auto_close", source="pending", target="closed", roles={"system"}),
            tf.Transition("auto_resolve", source="waiting", target="resolved", roles={"system"}),
            tf.Transition(
                "reply", source=["waiting", "resolved"], target="open", roles={"customer"}
            ),
            tf.Transition("resolve", source="open", target="resolved", roles={"agent"}),
            tf.Transition("close", source="resolved", target="closed", roles={"system"}),
        ],
        timers=[
            tf.Timer(
                "pending",
                at="pending_until",
                event="auto_close",
                remind_before=[tf.business_hours(1)],
            ),
            tf.Timer("waiting", after=tf.hours(2), event="auto_resolve", calendar=tf.ALWAYS_OPEN),
            tf.Timer(
                "resolved",
                after=tf.business_days(3),
                event="close",
                reminders=[tf.business_days(1)],
            ),
        ],
        slas=[
            tf.SLA("resolution", target=tf.business_hours(1), when={"priority": "urgent"}),
            tf.SLA("resolution", target=tf.business_hours(8)),
            tf.SLA("vip_response", target=tf.business_hours(2), when={"vip": True}),
        ],
        **extra,
    )


def prefer_vip(ticket: tf.Ticket, ctx: tf.Context) -> dict[str, Any]:
    """set_attrs as a callable: the event's data says whether the customer is a VIP."""
    return {"vip": bool((ctx.data or {}).get("vip"))}


def clocks(wf: tf.Workflow, ticket: tf.Ticket, now: datetime) -> dict[str, tf.SlaClock]:
    return {c.name: c for c in wf.sla(ticket, now=now)}


class TestSetAttrs:
    def test_keys_are_copied_from_the_event_data(self) -> None:
        """set_attrs copies the named keys; other data keys stay out of the ticket."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9), attrs={"priority": "normal"}).ticket
        out = wf.apply(
            t, "set_priority", at=berlin(3, 2, 10), actor="agent", data={"priority": "high", "x": 1}
        )
        assert dict(out.ticket.attrs) == {"priority": "high"}
        assert (out.ticket.version, out.ticket.status) == (2, "open")

    def test_a_missing_key_rejects_the_event_and_changes_nothing(self) -> None:
        """No 'priority' in data: EventDataError naming it, and the ticket is untouched."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9), attrs={"priority": "normal"}).ticket
        before = t.to_dict()
        with pytest.raises(tf.EventDataError, match="'priority'"):
            wf.apply(t, "set_priority", at=berlin(3, 2, 10), actor="agent", data={"x": 1})
        assert t.to_dict() == before

    def test_a_naive_datetime_is_refused_when_set(self) -> None:
        """A naive pending time never reaches the timer: AttrsError when it is set."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9)).ticket
        with pytest.raises(tf.AttrsError):
            wf.apply(
                t,
                "pend",
                at=berlin(3, 2, 10),
                actor="agent",
                data={"pending_until": datetime(2026, 3, 4, 9)},
            )

    def test_a_callable_gives_the_attributes(self) -> None:
        """set_attrs as a callable reads the event's data."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9)).ticket
        out = wf.apply(t, "set_vip", at=berlin(3, 2, 10), actor="agent", data={"vip": 1})
        assert out.ticket.attrs["vip"] is True


class TestSlaReselection:
    def test_raised_priority_past_its_target_is_breached_at_the_change(self) -> None:
        """8 business hours, 2 elapsed, then urgent (1 hour): breached at the change instant."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9), attrs={"priority": "normal"}).ticket
        assert wf.next_deadline(t) == berlin(3, 2, 17)
        change = berlin(3, 2, 11)
        out = wf.apply(t, "set_priority", at=change, actor="agent", data={"priority": "urgent"})
        assert wf.next_deadline(out.ticket) == change
        fired = wf.advance(out.ticket, now=change)
        assert [(e.kind, e.name, e.at) for e in fired.effects] == [
            ("sla_breach", "resolution", change)
        ]
        clock = clocks(wf, fired.ticket, change)["resolution"]
        assert (clock.state, clock.elapsed, clock.target) == (
            "breached",
            timedelta(hours=2),
            tf.business_hours(1),
        )

    def test_raised_priority_within_its_target_keeps_the_elapsed_time(self) -> None:
        """Urgent after 30 working minutes: 15 minutes left on Friday, 15 on Monday."""
        wf = flow()
        t = wf.start(at=berlin(3, 6, 16, 15), attrs={"priority": "normal"}).ticket
        out = wf.apply(
            t, "set_priority", at=berlin(3, 6, 16, 45), actor="agent", data={"priority": "urgent"}
        )
        assert wf.next_deadline(out.ticket) == berlin(3, 9, 9, 15)

    def test_lowered_priority_takes_the_longer_target_from_the_change(self) -> None:
        """Urgent for 30 minutes, then normal: 7.5 hours left from 09:30, due 17:00."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9), attrs={"priority": "urgent"}).ticket
        assert wf.next_deadline(t) == berlin(3, 2, 10)
        out = wf.apply(
            t, "set_priority", at=berlin(3, 2, 9, 30), actor="agent", data={"priority": "normal"}
        )
        assert wf.next_deadline(out.ticket) == berlin(3, 2, 17)
        clock = clocks(wf, out.ticket, berlin(3, 2, 12))["resolution"]
        assert (clock.state, clock.elapsed) == ("running", timedelta(hours=3))

    def test_a_paused_clock_stays_paused_with_its_new_target(self) -> None:
        """In a pausing status the re-selected clock keeps its pause and elapsed time."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9), attrs={"priority": "normal"}).ticket
        t = wf.apply(t, "ask", at=berlin(3, 2, 9, 20), actor="agent").ticket
        out = wf.apply(
            t, "set_priority", at=berlin(3, 2, 10), actor="agent", data={"priority": "urgent"}
        )
        clock = clocks(wf, out.ticket, berlin(3, 2, 10))["resolution"]
        assert (clock.state, clock.elapsed, clock.due_at) == ("paused", timedelta(minutes=20), None)
        back = wf.apply(out.ticket, "reply", at=berlin(3, 2, 10, 30), actor="customer")
        assert wf.next_deadline(back.ticket) == berlin(3, 2, 11, 10)

    def test_a_name_that_starts_matching_starts_its_clock_and_one_that_stops_drops_it(
        self,
    ) -> None:
        """vip_response starts with nothing elapsed when vip is set, and goes when it is unset."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9), attrs={"priority": "normal"}).ticket
        assert set(clocks(wf, t, berlin(3, 2, 9))) == {"resolution"}
        on = wf.apply(t, "set_vip", at=berlin(3, 2, 13), actor="agent", data={"vip": True})
        vip = clocks(wf, on.ticket, berlin(3, 2, 13))["vip_response"]
        assert (vip.elapsed, vip.due_at) == (timedelta(0), berlin(3, 2, 15))
        off = wf.apply(on.ticket, "set_vip", at=berlin(3, 2, 14), actor="agent", data={})
        assert set(clocks(wf, off.ticket, berlin(3, 2, 14))) == {"resolution"}
        assert wf.next_deadline(off.ticket) == berlin(3, 2, 17)


class TestAtTimers:
    def test_pending_time_moved_twice_across_summer_time(self) -> None:
        """The reminder an hour before; moved once (re-armed), moved again (not resent)."""
        wf = flow()
        t = wf.start(at=berlin(3, 23, 9)).ticket
        t = wf.apply(
            t,
            "pend",
            at=berlin(3, 23, 10),
            actor="agent",
            data={"pending_until": berlin(3, 27, 10)},
        ).ticket
        # one business hour before Friday 10:00
        assert [(d.kind, d.at) for d in t.agenda if d.kind != "sla_breach"] == [
            ("reminder", berlin(3, 27, 9)),
            ("timer", berlin(3, 27, 10)),
        ]
        # moved to Monday 09:30 (summer time): one business hour back is Friday 16:30
        t = wf.apply(
            t,
            "repend",
            at=berlin(3, 25, 12),
            actor="agent",
            data={"pending_until": berlin(3, 30, 9, 30).isoformat()},
        ).ticket
        assert [(d.kind, d.at) for d in t.agenda if d.kind != "sla_breach"] == [
            ("reminder", berlin(3, 27, 16, 30)),
            ("timer", berlin(3, 30, 9, 30)),
        ]
        # moved again after that reminder went out: it is not sent a second time
        moved = wf.apply(
            t,
            "repend",
            at=berlin(3, 27, 16, 45),
            actor="agent",
            data={"pending_until": berlin(3, 31, 12)},
        )
        assert [(e.kind, e.at) for e in moved.effects] == [("reminder", berlin(3, 27, 16, 30))]
        end = wf.advance(moved.ticket, now=berlin(4, 1, 9))
        assert [(s.event, s.at) for s in end.steps] == [("auto_close", berlin(3, 31, 12))]
        assert end.effects == ()
        assert end.ticket.status == "closed"

    def test_a_pending_time_already_past_falls_due_at_entry(self) -> None:
        """Nothing happens before its cause: the timer falls due at the entering step."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9)).ticket
        entry = berlin(3, 3, 11)
        out = wf.apply(t, "pend", at=entry, actor="agent", data={"pending_until": berlin(3, 2, 12)})
        assert wf.next_deadline(out.ticket) == entry
        end = wf.advance(out.ticket, now=entry)
        assert [(s.event, s.at) for s in end.steps] == [("auto_close", entry)]
        assert [e.kind for e in end.effects] == []  # the reminder is skipped

    def test_entering_without_a_usable_value_is_rejected(self) -> None:
        """A pending time that is missing or not a datetime names the attribute."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9)).ticket
        for bad in ("tomorrow", 5, None, "2026-03-04T09:00"):
            with pytest.raises(tf.EventDataError, match="pending_until"):
                wf.apply(t, "pend", at=berlin(3, 2, 10), actor="agent", data={"pending_until": bad})


class TestAdopt:
    def test_resolved_two_business_days_ago(self) -> None:
        """Auto-close at since + 3 business days; the reminder before `at` is dropped."""
        wf = flow()
        since, now = berlin(3, 2, 15), berlin(3, 4, 10)
        out = wf.adopt("resolved", since=since, at=now, id="T-1", attrs={"priority": "normal"})
        t = out.ticket
        assert (t.status, t.status_since, t.updated_at, t.created_at, t.version) == (
            "resolved",
            since,
            now,
            since,
            1,
        )
        assert [(s.event, s.source, s.target, s.at) for s in out.steps] == [
            ("adopt", None, "resolved", now)
        ]
        assert [(d.kind, d.at) for d in t.agenda] == [("timer", berlin(3, 5, 15))]
        assert wf.sla(t, now=now) == ()

    def test_resolved_ten_days_ago_closes_at_adoption_once(self) -> None:
        """A timer long past fires at `at`, once, and its reminder is never sent."""
        wf = flow()
        now = berlin(3, 2, 10)
        out = wf.adopt("resolved", since=berlin(2, 20, 12), at=now)
        end = wf.advance(out.ticket, now=now + timedelta(days=30))
        fired = [*out.steps[1:], *end.steps]
        assert [(s.event, s.at) for s in fired] == [("close", now)]
        assert [*out.effects, *end.effects] == []

    def test_sla_clocks_given_at_adoption(self) -> None:
        """An elapsed timedelta runs on from `at`; 'met' and 'breached' are recorded as such."""
        wf = flow()
        now = berlin(3, 2, 10)
        out = wf.adopt(
            "open",
            since=berlin(2, 27, 9),
            at=now,
            attrs={"priority": "normal", "vip": True},
            slas={"resolution": timedelta(hours=6), "vip_response": "breached"},
        )
        got = clocks(wf, out.ticket, now)
        assert (got["resolution"].state, got["resolution"].due_at) == ("running", berlin(3, 2, 12))
        assert got["vip_response"].state == "breached"
        with pytest.raises(tf.TicketflowError, match="'nope'"):
            wf.adopt("open", since=now, at=now, slas={"nope": "met"})

    def test_replay_of_an_adopt_log_equals_stepwise(self) -> None:
        """A log that begins with 'adopt' folds to what adopt + apply give."""
        wf = flow()
        since, now = berlin(3, 2, 15), berlin(3, 4, 10)
        log: list[dict[str, Any]] = [
            {
                "name": "adopt",
                "at": now.isoformat(),
                "data": {"status": "resolved", "since": since.isoformat(), "attrs": {"p": 1}},
            },
            {"name": "reply", "at": berlin(3, 4, 11).isoformat(), "actor": "customer"},
        ]
        replayed = wf.replay(log)
        first = wf.adopt("resolved", since=since, at=now, attrs={"p": 1})
        second = wf.apply(first.ticket, "reply", at=berlin(3, 4, 11), actor="customer")
        assert replayed.ticket == second.ticket
        assert replayed.steps == (*first.steps, *second.steps)


class TestLateEvents:
    def test_a_late_reply_is_clamped_to_the_last_recorded_instant(self) -> None:
        """Reply stamped 13:59 after the 14:00 auto-resolve: reject raises, clamp applies it."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9)).ticket
        t = wf.apply(t, "ask", at=berlin(3, 2, 12), actor="agent").ticket
        t = wf.advance(t, now=berlin(3, 2, 14)).ticket
        assert (t.status, t.updated_at) == ("resolved", berlin(3, 2, 14))
        stamped = berlin(3, 2, 13, 59)
        with pytest.raises(tf.OutOfOrderError):
            wf.apply(t, "reply", at=stamped, actor="customer")
        out = wf.apply(t, "reply", at=stamped, actor="customer", late="clamp")
        (step,) = out.steps
        assert (step.source, step.target, step.at, step.requested_at) == (
            "resolved",
            "open",
            berlin(3, 2, 14),
            stamped,
        )

    def test_requested_at_equals_at_otherwise(self) -> None:
        wf = flow()
        out = wf.start(at=berlin(3, 2, 9))
        out = wf.apply(out.ticket, "ask", at=berlin(3, 2, 12), actor="agent", late="clamp")
        assert out.steps[0].requested_at == out.steps[0].at == berlin(3, 2, 12)

    def test_an_unknown_late_policy_is_named(self) -> None:
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9)).ticket
        with pytest.raises(tf.TicketflowError, match="'later'"):
            wf.apply(t, "ask", at=berlin(3, 2, 12), actor="agent", late="later")  # type: ignore[arg-type]


class TestSnapshots:
    def test_changed_attributes_and_per_ticket_deadlines_round_trip(self) -> None:
        """A pending ticket with a datetime attribute restores exactly and goes on the same."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9), attrs={"priority": "normal"}).ticket
        t = wf.apply(
            t,
            "pend",
            at=berlin(3, 2, 10),
            actor="agent",
            data={"pending_until": berlin(3, 4, 12)},
        ).ticket
        restored = tf.Ticket.from_dict(t.to_dict())
        assert restored == t
        later = berlin(3, 5, 9)
        assert wf.advance(restored, now=later) == wf.advance(t, now=later)


class TestPausedPastTarget:
    def test_a_paused_clock_past_its_new_target_breaches_when_it_resumes(self) -> None:
        """Paused with 2 hours counted, made urgent (1 hour), resumed at 12:00: breached then."""
        wf = flow()
        t = wf.start(at=berlin(3, 2, 9), attrs={"priority": "normal"}).ticket
        t = wf.apply(t, "ask", at=berlin(3, 2, 11), actor="agent").ticket
        t = wf.apply(
            t, "set_priority", at=berlin(3, 2, 11, 30), actor="agent", data={"priority": "urgent"}
        ).ticket
        back = wf.apply(t, "reply", at=berlin(3, 2, 12), actor="customer")
        assert wf.next_deadline(back.ticket) == berlin(3, 2, 12)
        fired = wf.advance(back.ticket, now=berlin(3, 2, 13))
        assert [(e.kind, e.at) for e in fired.effects] == [("sla_breach", berlin(3, 2, 12))]


class TestAdoptLog:
    def test_an_adopt_entry_without_the_deadline_its_status_needs_is_a_log_error(self) -> None:
        """Adopting into 'pending' with no pending_until names the entry, not a raw error."""
        wf = flow()
        now = berlin(3, 4, 10).isoformat()
        log = [{"name": "adopt", "at": now, "data": {"status": "pending", "since": now}}]
        with pytest.raises(tf.EventLogError, match="pending_until"):
            wf.replay(log)
