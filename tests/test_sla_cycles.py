"""SLA cycles kept across restarts, and sla_report against an independent count."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta

import attrs
import pytest

import ticketflow as tf

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TARGET = timedelta(hours=1)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def flow() -> tf.Workflow:
    """A reply clock of one real hour: met by ``answer``, started afresh by ``ask``."""
    return tf.Workflow(
        name="cycles",
        statuses=[
            tf.Status("open", initial=True),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("answer", source="open", roles={"agent"}),
            tf.Transition("ask", source="open", roles={"customer"}),
            tf.Transition("close", source="open", target="closed"),
        ],
        slas=[tf.SLA("reply", target=tf.hours(1), stop_on={"answer"}, restart_on={"ask"})],
    )


def live(wf: tf.Workflow, moves: list[tuple[float, str]], now: float) -> tf.Ticket:
    """The ticket after ``moves`` (minutes after T0, event), advanced to ``now``."""
    t = wf.start(at=T0).ticket
    for minutes, event in moves:
        actor = "agent" if event == "answer" else "customer"
        t = wf.apply(t, event, at=at(minutes), actor=actor).ticket
    return wf.advance(t, now=at(now)).ticket


class TestCycles:
    def test_a_restart_keeps_the_finished_cycles(self) -> None:
        """Met after 30 minutes; asked again at 60, breached at 120, answered at 180;
        asked again at 240: two finished cycles, one met and one breached."""
        wf = flow()
        t = live(wf, [(30, "answer"), (60, "ask"), (180, "answer"), (240, "ask")], 250)
        (clock,) = wf.sla(t, now=at(250))
        assert (clock.state, clock.elapsed) == ("running", timedelta(minutes=10))
        assert clock.cycles == (
            tf.SlaCycle(at(0), at(30), "met", timedelta(minutes=30), TARGET),
            tf.SlaCycle(at(60), at(180), "breached", timedelta(minutes=120), TARGET),
        )

    def test_cycles_survive_a_snapshot_round_trip(self) -> None:
        wf = flow()
        t = live(wf, [(30, "answer"), (60, "ask"), (180, "answer"), (240, "ask")], 250)
        back = tf.Ticket.from_dict(t.to_dict())
        assert back == t
        assert wf.sla(back, now=at(300)) == wf.sla(t, now=at(300))

    def test_a_malformed_cycle_is_named(self) -> None:
        wf = flow()
        data = live(wf, [(30, "answer"), (60, "ask")], 70).to_dict()
        data["slas"][0]["cycles"][0][2] = "late"
        with pytest.raises(tf.SnapshotError, match=r"slas\[0\]\.cycles\[0\].*'late'"):
            tf.Ticket.from_dict(data)

    def test_snapshots_without_cycles_still_read(self) -> None:
        """A stored clock written before cycles were kept reads as one with none."""
        wf = flow()
        data = live(wf, [(30, "answer")], 40).to_dict()
        for key in ("started_at", "ended_at", "cycles"):
            del data["slas"][0][key]
        t = tf.Ticket.from_dict(data)
        out = wf.apply(t, "ask", at=at(50), actor="customer").ticket
        assert wf.sla(out, now=at(50))[0].cycles == ()


def oracle(moves: list[tuple[float, str]], now: float) -> list[tuple[str, float]]:
    """Every cycle of the reply clock as (state, elapsed minutes), counted by hand."""
    out: list[tuple[str, float]] = []
    start: float | None = 0.0
    stopped_with: tuple[str, float] | None = None
    for minutes, event in moves:
        if event == "answer" and start is not None:
            spent = minutes - start
            stopped_with = ("met" if spent < 60 else "breached", spent)
            start = None
        elif event == "ask" and start is None:
            assert stopped_with is not None
            out.append(stopped_with)
            start, stopped_with = minutes, None
        elif event == "ask" and start is not None and minutes - start >= 60:
            # a breached clock starts afresh too
            out.append(("breached", minutes - start))
            start = minutes
    if start is not None:
        spent = now - start
        out.append(("breached" if spent >= 60 else "running", spent))
    else:
        assert stopped_with is not None
        out.append(stopped_with)
    return out


class TestReport:
    def test_report_matches_an_independent_count(self) -> None:
        """300 tickets of random answers and questions, against a count by hand."""
        wf = flow()
        rng = random.Random(20261203)
        now = 300.0
        tickets: list[tf.Ticket] = []
        cycles: list[tuple[str, float]] = []
        for _ in range(300):
            moves: list[tuple[float, str]] = []
            clock = 0.0
            for _ in range(rng.randrange(0, 8)):
                clock += rng.choice([5, 20, 45, 59, 60, 61, 90])
                if clock < now:
                    moves.append((clock, rng.choice(["answer", "ask"])))
            tickets.append(live(wf, moves, now))
            cycles += oracle(moves, now)
        report = tf.sla_report(wf, tickets, now=at(now))
        ended = [spent for state, spent in cycles if state in ("met", "breached")]
        met = sum(state == "met" for state, _ in cycles)
        breached = sum(state == "breached" for state, _ in cycles)
        expected = tf.SlaReport(
            met=met,
            breached=breached,
            running=sum(state == "running" for state, _ in cycles),
            paused=0,
            met_share=met / (met + breached),
            median=timedelta(minutes=statistics.median(ended)),
            p90=timedelta(minutes=statistics.quantiles(ended, n=10, method="inclusive")[8]),
        )
        assert report == {"reply": expected}
        assert min(met, breached, expected.running) > 0  # every kind of cycle was drawn

    def test_an_empty_report(self) -> None:
        report = tf.sla_report(flow(), [], now=T0)
        assert report == {"reply": tf.SlaReport(0, 0, 0, 0, None, None, None)}

    def test_bad_arguments_are_named(self) -> None:
        with pytest.raises(tf.ArgumentError, match="wf must be a Workflow"):
            tf.sla_report("flow", [], now=T0)  # type: ignore[arg-type]
        with pytest.raises(tf.ArgumentError, match="tickets must be an iterable"):
            tf.sla_report(flow(), 5, now=T0)  # type: ignore[arg-type]


class TestCheckedCycles:
    def test_a_hand_built_clock_with_a_bad_cycle_is_refused(self) -> None:
        wf = flow()
        t = live(wf, [(30, "answer"), (60, "ask")], 70)
        bad = tf.SlaCycle(at(0), at(30), "late", timedelta(minutes=30), TARGET)  # type: ignore[arg-type]
        forged = tf.Ticket(
            t.id,
            t.workflow,
            t.status,
            t.sub_status,
            t.version,
            t.created_at,
            t.updated_at,
            t.status_since,
            t.timers_since,
            t.attrs,
            t.agenda,
            (attrs.evolve(t.slas[0], cycles=(bad,)),),
        )
        with pytest.raises(tf.SnapshotError, match=r"cycles\[0\].*'late'"):
            wf.advance(forged, now=at(80))
