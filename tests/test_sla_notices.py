"""SLA warnings (``warn_at``, ``warn_before``) and escalations (``escalate_after``).

Calendar: New York, Monday to Friday 09:00-17:00, US holidays (Thanksgiving is
Thursday 26 November 2026). Every instant below is worked out by hand from it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

import ticketflow as tf
import ticketflow._sla
from ticketflow.testing import workflow_state_machine
from ticketflow.testing._machine import InvariantFailed

NY = ZoneInfo("America/New_York")
CAL = tf.BusinessCalendar("America/New_York", tf.weekdays("09:00", "17:00"))
US_CAL = tf.BusinessCalendar(
    "America/New_York", tf.weekdays("09:00", "17:00"), holidays=tf.country_holidays("US")
)


def ny(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


def flow(cal: tf.BusinessCalendar = CAL, **sla: Any) -> tf.Workflow:
    sla.setdefault("target", tf.business_hours(8))
    return tf.Workflow(
        name="notices",
        calendar=cal,
        statuses=[
            tf.Status("open", initial=True),
            tf.Status("pending", category="pending"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("reply", source="open", roles={"agent"}),
            tf.Transition("ask", source="open", target="pending"),
            tf.Transition("answer", source="pending", target="open"),
            tf.Transition("close", source="*", target="closed"),
        ],
        slas=[tf.SLA("first_reply", stop_on={"reply"}, restart_on={"answer"}, **sla)],
    )


def notices(out: tf.Outcome) -> list[tuple[str, datetime | None, dict[str, Any] | None]]:
    return [
        (e.kind, e.at, dict(e.data) if e.data else None)
        for e in out.effects
        if e.kind in ("sla_warning", "sla_breach", "sla_escalation")
    ]


# Thursday 3 December 2026, 09:15: 8 business hours are Thursday 09:15-17:00 (7h45)
# and Friday 09:00-09:15, so the first reply is due Friday 4 December at 09:15.
T0 = ny(3, 9, 15)
DUE = ny(4, 9, 15)


def test_a_warning_in_real_minutes_falls_before_opening() -> None:
    wf = flow(warn_before=(tf.minutes(30),))
    out = wf.advance(wf.start(at=T0).ticket, now=ny(4, 12))
    # 30 real minutes before Friday 09:15 is Friday 08:45, before the office opens
    assert notices(out)[0] == ("sla_warning", ny(4, 8, 45), {"level": 1, "due_at": DUE})


def test_a_warning_in_business_minutes_is_counted_on_the_calendar() -> None:
    wf = flow(warn_before=(tf.business_minutes(30),))
    out = wf.advance(wf.start(at=T0).ticket, now=ny(4, 12))
    # 30 business minutes before Friday 09:15: 15 on Friday morning, 15 on Thursday
    assert notices(out)[0] == ("sla_warning", ny(3, 16, 45), {"level": 1, "due_at": DUE})


def test_levels_follow_their_place_before_the_breach_and_each_adds_a_version() -> None:
    wf = flow(warn_at=(0.75, 0.5), warn_before=(tf.business_minutes(30),))
    ticket = wf.start(at=T0).ticket
    out = wf.advance(ticket, now=ny(4, 12))
    # 0.5 x 8h = 4h after Thursday 09:15 is 13:15; 0.75 x 8h = 6h is 15:15; 30 business
    # minutes before the due time is Thursday 16:45; then the breach on Friday 09:15
    assert notices(out) == [
        ("sla_warning", ny(3, 13, 15), {"level": 1, "due_at": DUE}),
        ("sla_warning", ny(3, 15, 15), {"level": 2, "due_at": DUE}),
        ("sla_warning", ny(3, 16, 45), {"level": 3, "due_at": DUE}),
        ("sla_breach", DUE, {"target": tf.business_hours(8)}),
    ]
    assert out.ticket.version == ticket.version + 4
    assert out.ticket.sla_state("first_reply").warned == {1, 2, 3}  # type: ignore[union-attr]


def test_a_pause_moves_the_warnings_and_none_fires_while_paused() -> None:
    wf = flow(warn_at=(0.5,))
    ticket = wf.start(at=T0).ticket
    # paused at 11:15 after 2 business hours; the warning (at 4h) was due at 13:15
    paused = wf.apply(ticket, "ask", at=ny(3, 11, 15)).ticket
    assert [d.kind for d in paused.agenda] == []
    assert notices(wf.advance(paused, now=ny(7, 12))) == []
    # resumed Monday 7 December 10:00: 2 more business hours put the warning at 12:00;
    # 6 hours left put the breach at Monday 16:00
    resumed = wf.apply(paused, "answer", at=ny(7, 10)).ticket
    out = wf.advance(resumed, now=ny(7, 17))
    assert notices(out) == [
        ("sla_warning", ny(7, 12), {"level": 1, "due_at": ny(7, 16)}),
        ("sla_breach", ny(7, 16), {"target": tf.business_hours(8)}),
    ]


def test_a_warning_sent_before_a_pause_is_not_sent_again() -> None:
    wf = flow(warn_at=(0.25, 0.5))
    ticket = wf.start(at=T0).ticket
    # 0.25 x 8h = 2h: Thursday 11:15, sent; paused at 12:00, resumed Monday 09:00 with
    # 2h45 counted, so the 4h warning falls at Monday 10:15 and the breach at 14:15
    sent = wf.apply(ticket, "ask", at=ny(3, 12))
    assert notices(sent) == [("sla_warning", ny(3, 11, 15), {"level": 1, "due_at": DUE})]
    resumed = wf.apply(sent.ticket, "answer", at=ny(7, 9)).ticket
    assert [(d.kind, d.at, d.sub) for d in resumed.agenda] == [
        ("sla_warning", ny(7, 10, 15), 1),
        ("sla_breach", ny(7, 14, 15), 0),
    ]
    out = wf.advance(resumed, now=ny(7, 17))
    assert [n[2]["level"] for n in notices(out) if n[0] == "sla_warning"] == [2]  # type: ignore[index]


def test_stopping_the_clock_cancels_its_warnings_and_escalations() -> None:
    wf = flow(warn_at=(0.5,), escalate_after=(tf.hours(1),))
    ticket = wf.start(at=T0).ticket
    met = wf.apply(ticket, "reply", at=ny(3, 10), actor="agent").ticket
    assert met.agenda == ()
    assert notices(wf.advance(met, now=ny(10, 9))) == []


def test_escalations_follow_the_breach_in_the_targets_measure_and_move_with_pauses() -> None:
    wf = flow(escalate_after=(tf.hours(1), tf.hours(4)))
    ticket = wf.start(at=T0).ticket
    # breach Friday 09:15; 1 business hour later is 10:15; pausing at 11:00 holds the
    # second (4 business hours after the breach, 13:15) until Monday 09:00 resumes with
    # 1h45 counted since the breach: 2h15 more is Monday 11:15
    at_pause = wf.apply(ticket, "ask", at=ny(4, 11))
    assert notices(at_pause) == [
        ("sla_breach", DUE, {"target": tf.business_hours(8)}),
        ("sla_escalation", ny(4, 10, 15), {"level": 1, "breached_at": DUE}),
    ]
    assert notices(wf.advance(at_pause.ticket, now=ny(7, 8))) == []
    resumed = wf.apply(at_pause.ticket, "answer", at=ny(7, 9)).ticket
    # the answer restarts a breached clock: a new cycle with nothing escalated
    clock = resumed.sla_state("first_reply")
    assert clock is not None
    assert (clock.state, clock.escalated, len(clock.cycles)) == ("running", 0, 1)


def test_escalations_of_a_breached_clock_wait_while_it_is_paused() -> None:
    wf = tf.Workflow(
        name="held",
        calendar=CAL,
        statuses=[tf.Status("open", initial=True), tf.Status("hold", category="on_hold")],
        transitions=[
            tf.Transition("hold", source="open", target="hold"),
            tf.Transition("release", source="hold", target="open"),
        ],
        slas=[
            tf.SLA(
                "resolve",
                target=tf.business_hours(8),
                escalate_after=(tf.business_hours(1), tf.business_hours(4)),
            )
        ],
    )
    ticket = wf.start(at=T0).ticket
    held = wf.apply(ticket, "hold", at=ny(4, 11)).ticket
    # breached at 09:15, escalation 1 at 10:15; held at 11:00 with 1h45 after the breach
    assert [(d.kind, d.sub) for d in held.agenda] == []
    released = wf.apply(held, "release", at=ny(7, 9)).ticket
    # 4h - 1h45 = 2h15 of business time after Monday 09:00 is 11:15
    assert [(d.kind, d.at, d.sub) for d in released.agenda] == [
        ("sla_escalation", ny(7, 11, 15), 1)
    ]
    out = wf.advance(released, now=ny(7, 17))
    assert notices(out) == [("sla_escalation", ny(7, 11, 15), {"level": 2, "breached_at": DUE})]
    assert out.ticket.agenda == ()


def test_a_restart_sends_the_warnings_again_once_in_the_new_cycle() -> None:
    wf = flow(warn_at=(0.5,))
    ticket = wf.start(at=T0).ticket
    first = wf.advance(ticket, now=ny(4, 10))
    assert [n[0] for n in notices(first)] == ["sla_warning", "sla_breach"]
    pending = wf.apply(first.ticket, "ask", at=ny(4, 10)).ticket
    # the answer restarts the breached clock on Monday 09:00: warning at 13:00, due 17:00
    restarted = wf.apply(pending, "answer", at=ny(7, 9))
    out = wf.advance(restarted.ticket, now=ny(7, 14))
    assert notices(out) == [("sla_warning", ny(7, 13), {"level": 1, "due_at": ny(7, 17)})]
    clock = out.ticket.sla_state("first_reply")
    assert clock is not None
    assert clock.warned == {1}
    assert len(clock.cycles) == 1


def test_a_warning_before_the_clock_starts_falls_due_as_it_starts() -> None:
    # 30 business minutes from Thursday 16:59: one on Thursday, 29 on Friday, due Friday
    # 09:29; 20 real hours before that is Thursday 13:29, before the clock started at
    # 16:59, so the warning falls due at 16:59
    wf = flow(target=tf.business_minutes(30), warn_before=(tf.hours(20),))
    ticket = wf.start(at=ny(3, 16, 59)).ticket
    assert [(d.kind, d.at) for d in ticket.agenda] == [
        ("sla_warning", ny(3, 16, 59)),
        ("sla_breach", ny(4, 9, 29)),
    ]


def test_an_adopted_ticket_does_not_receive_warnings_that_fell_before_it() -> None:
    wf = flow(warn_at=(0.25, 0.75))
    # adopted Thursday 13:15 with 4 business hours counted: the 2h warning is in the
    # past (not sent late); the 6h one falls at 15:15
    ticket = wf.adopt("open", since=T0, at=ny(3, 13, 15), slas={"first_reply": timedelta(hours=4)})
    assert [(d.kind, d.at, d.sub) for d in ticket.ticket.agenda] == [
        ("sla_warning", ny(3, 15, 15), 1),
        ("sla_breach", DUE, 0),
    ]


def test_thanksgiving_is_not_counted() -> None:
    wf = flow(cal=US_CAL, warn_before=(tf.business_hours(1),))
    # Wednesday 25 November 14:00 + 8 business hours: 3h on Wednesday, Thursday 26 is
    # Thanksgiving, 5h on Friday 27: due Friday 14:00; the warning an hour before, 13:00
    ticket = wf.start(at=ny(25, 14, month=11)).ticket
    assert [(d.kind, d.at) for d in ticket.agenda] == [
        ("sla_warning", ny(27, 13, month=11)),
        ("sla_breach", ny(27, 14, month=11)),
    ]


def test_notices_round_trip_through_the_snapshot() -> None:
    wf = flow(warn_at=(0.25, 0.5), escalate_after=(tf.hours(1), tf.hours(2)))
    ticket = wf.advance(wf.start(at=T0).ticket, now=ny(4, 10, 30)).ticket
    clock = ticket.sla_state("first_reply")
    assert clock is not None
    assert clock.warned == {1, 2}
    assert clock.escalated == 1
    data = json.loads(json.dumps(ticket.to_dict()))
    assert data["slas"][0]["warned"] == [1, 2]
    assert data["slas"][0]["escalated"] == 1
    back = tf.Ticket.from_dict(data)
    assert back == ticket
    # the rest of the life is the same from the restored snapshot
    assert wf.advance(back, now=ny(7, 9)) == wf.advance(ticket, now=ny(7, 9))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s.update(warned=[3]), "warned"),
        (lambda s: s.update(escalated=5), "escalated"),
        (lambda s: s.update(warned=[1, 1]), "warned"),
        (lambda s: s.update(warned="x"), "warned"),
    ],
)
def test_a_snapshot_with_impossible_notices_is_refused(change: Any, field: str) -> None:
    wf = flow(warn_at=(0.25, 0.5), escalate_after=(tf.hours(1),))
    data = wf.start(at=T0).ticket.to_dict()
    change(data["slas"][0])
    with pytest.raises(tf.SnapshotError, match=field):
        wf.advance(tf.Ticket.from_dict(data), now=ny(4, 9))


def test_a_snapshot_with_a_warning_already_sent_on_its_agenda_is_refused() -> None:
    wf = flow(warn_at=(0.5,))
    data = wf.start(at=T0).ticket.to_dict()
    data["slas"][0]["warned"] = [1]
    with pytest.raises(tf.SnapshotError, match="sla_warning"):
        wf.advance(tf.Ticket.from_dict(data), now=ny(3, 10))


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"warn_at": (1.0,)}, "1.0"),
        ({"warn_at": (0,)}, "0"),
        ({"warn_at": (float("nan"),)}, "nan"),
        ({"warn_at": (True,)}, "True"),
        ({"warn_at": (0.5, 0.5)}, "twice"),
        ({"warn_before": (tf.business_hours(8),)}, "8 business hours"),
        ({"warn_before": (tf.minutes(0),)}, "0 minutes"),
        ({"escalate_after": (tf.hours(2), tf.hours(1))}, "1 hour"),
        ({"escalate_after": (tf.hours(1), tf.hours(1))}, "1 hour"),
        ({"escalate_after": (tf.business_days(1),)}, "1 business day"),
        ({"escalate_after": (-timedelta(hours=1),)}, "-1"),
    ],
)
def test_definition_errors_name_the_bad_value(fields: dict[str, Any], bad: str) -> None:
    with pytest.raises(tf.WorkflowError, match=bad):
        tf.SLA("x", target=tf.business_hours(8), **fields)


def test_a_warning_longer_than_the_target_in_another_measure_is_allowed() -> None:
    # 20 real hours do not compare with 30 business minutes: no definition error
    sla = tf.SLA("x", target=tf.business_minutes(30), warn_before=(tf.hours(20),))
    assert sla.warn_before == (tf.hours(20),)


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20), timezones=st.just(NY)
    ),
    fraction=st.sampled_from((0.1, 0.25, 0.5, 0.75, 0.9)),
    hours=st.integers(1, 40),
)
def test_a_fraction_falls_when_that_share_of_the_target_is_counted(
    start: datetime, fraction: float, hours: int
) -> None:
    # the oracle: a walk over whole minutes, counting those the calendar has open
    wf = flow(cal=US_CAL, target=tf.business_hours(hours), warn_at=(fraction,))
    ticket = wf.start(at=start.replace(second=0, microsecond=0)).ticket
    warning = next(d for d in ticket.agenda if d.kind == "sla_warning")
    wanted = round(hours * 60 * fraction)  # whole minutes for these fractions
    at, counted = ticket.created_at.astimezone(ZoneInfo("UTC")), 0
    while counted < wanted:
        counted += US_CAL.is_open(at)
        at += timedelta(minutes=1)
    assert warning.at == at


def test_the_kit_catches_an_engine_that_sends_a_warning_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wf = flow(cal=tf.ALWAYS_OPEN, target=tf.hours(1), warn_at=(0.1,))
    # a broken engine: sending a warning is not recorded, so a resume sends it again
    monkeypatch.setattr(ticketflow._sla, "warned", lambda state, level: state)
    machine = workflow_state_machine(wf)
    with pytest.raises(InvariantFailed, match="once per cycle"):
        run_state_machine_as_test(
            machine,
            # finding is what matters here: no shrinking
            settings=settings(
                max_examples=300, deadline=None, database=None, phases=[Phase.generate]
            ),
        )


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
def test_notices_round_trip_through_workflow_files(tmp_path: Any, suffix: str) -> None:
    wf = flow(
        warn_at=(0.5, 0.75),
        warn_before=(tf.minutes(30), tf.business_minutes(45)),
        escalate_after=(tf.hours(1), tf.business_hours(4)),
    )
    path = tmp_path / f"notices{suffix}"
    tf.dump(wf, path, registry={"ny": CAL})
    back = tf.load(path, registry={"ny": CAL})
    assert back.slas == wf.slas
    # the same instants from the file's workflow
    ticket = wf.start(at=T0).ticket
    assert back.start(at=T0).ticket.agenda == ticket.agenda


@pytest.mark.parametrize(
    ("key", "value", "bad"),
    [
        ("warn_at", ["half"], "'half'"),
        ("warn_at", [1.5], "1.5"),
        ("warn_before", ["soon"], "soon"),
        ("escalate_after", ["2 hours", "1 hour"], "1 hour"),
    ],
)
def test_bad_notices_in_a_file_name_the_value(key: str, value: Any, bad: str) -> None:
    data = flow().to_dict(registry={"ny": CAL})
    data["slas"][0][key] = value
    with pytest.raises(tf.TicketflowError, match=bad):
        tf.Workflow.from_dict(data, registry={"ny": CAL})


@settings(max_examples=80, deadline=None)
@given(
    hours=st.integers(1, 40),
    business=st.booleans(),
    fractions=st.lists(st.sampled_from((0.1, 0.25, 0.5, 0.75, 0.9)), unique=True, max_size=3),
    before=st.lists(st.sampled_from((1, 5, 30, 59)), unique=True, max_size=2),
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20), timezones=st.just(NY)
    ),
    share=st.floats(0, 0.99),
    data=st.data(),
)
def test_warnings_armed_as_a_clock_starts_counting_agree_with_the_general_rule(
    hours: int,
    business: bool,
    fractions: list[float],
    before: list[int],
    start: datetime,
    share: float,
    data: st.DataObject,
) -> None:
    # a clock resuming at `now` takes a shortcut (instants rise with the level); the
    # general rule (each instant in UTC, dropped at the breach, clamped to now, sorted)
    # must give the same items
    target = tf.business_hours(hours) if business else tf.hours(hours)
    unit = tf.business_minutes if business else tf.minutes
    sla = tf.SLA("x", target=target, warn_at=fractions, warn_before=[unit(m) for m in before])
    elapsed = timedelta(minutes=int(hours * 60 * share))
    due = ticketflow._sla.due_from(sla, US_CAL, start, sla.target_delta - elapsed)
    levels = range(1, len(fractions) + len(before) + 1)
    warned = data.draw(st.frozensets(st.sampled_from(levels)) if levels else st.just(frozenset()))
    clock = tf.SlaState(
        "x", 0, elapsed=elapsed, running_since=start, due_at=due, started_at=start, warned=warned
    )
    shortcut = ticketflow._sla.warning_items(sla, US_CAL, clock, 0, start)
    general = ticketflow._sla.warning_items(sla, US_CAL, clock, 0, start.replace())
    assert shortcut == general
