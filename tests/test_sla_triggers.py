"""SLA triggers by role and guard (``tf.On``), clocks read by guards, and pause_in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

import ticketflow as tf
from tests.bounds import examples
from ticketflow.testing import workflow_state_machine

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


def first_reply_met(ticket: tf.Ticket, ctx: tf.Context) -> bool:
    """Guard: the first reply was met (the ticket as it was before the step)."""
    clock = ticket.sla_state("first_reply")
    return clock is not None and clock.state == "met"


def flow(pause_in: frozenset[str] | None = None) -> tf.Workflow:
    """One shared ``correspond`` event for requester and agent, as many helpdesks have."""
    resolution = tf.SLA("resolution", target=tf.hours(8))
    if pause_in is not None:
        resolution = tf.SLA("resolution", target=tf.hours(8), pause_in=pause_in)
    return tf.Workflow(
        name="triggers",
        statuses=[
            tf.Status("open", category="open", initial=True),
            tf.Status("pending", category="pending"),
            tf.Status("solved", category="solved"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("correspond", source="*", roles={"agent", "customer"}),
            tf.Transition("ask", source="open", target="pending", roles={"agent"}),
            tf.Transition("solve", source=["open", "pending"], target="solved", roles={"agent"}),
            tf.Transition("reopen", source="solved", target="open", roles={"customer"}),
            tf.Transition("close", source="*", target="closed", roles={"agent"}),
        ],
        slas=[
            tf.SLA(
                "first_reply",
                target=tf.hours(1),
                stop_on=tf.On("correspond", roles={"agent"}),
            ),
            tf.SLA(
                "next_reply",
                target=tf.hours(4),
                start_on=tf.On("correspond", roles={"customer"}, guard=first_reply_met),
                restart_on={tf.On("correspond", roles={"customer"}, guard=first_reply_met)},
                stop_on={tf.On("correspond", roles={"agent"})},
            ),
            resolution,
        ],
    )


def clocks(wf: tf.Workflow, ticket: tf.Ticket, now: datetime) -> dict[str, tf.SlaClock]:
    return {c.name: c for c in wf.sla(ticket, now=now)}


class TestOnRoles:
    def test_a_customer_message_does_not_stop_the_first_reply(self) -> None:
        """Only the agent's correspond meets the first reply."""
        wf = flow()
        t = wf.start(at=T0).ticket
        t = wf.apply(t, "correspond", at=minutes(10), actor="customer").ticket
        assert clocks(wf, t, minutes(10))["first_reply"].state == "running"
        t = wf.apply(t, "correspond", at=minutes(30), actor="agent").ticket
        reply = clocks(wf, t, minutes(30))["first_reply"]
        assert (reply.state, reply.elapsed) == ("met", timedelta(minutes=30))

    def test_next_reply_starts_only_once_the_first_reply_was_met(self) -> None:
        """A customer message before the first reply starts nothing; one after it starts
        next reply, and an agent reply meets it; the next customer message starts it again."""
        wf = flow()
        t = wf.start(at=T0).ticket
        t = wf.apply(t, "correspond", at=minutes(10), actor="customer").ticket
        assert "next_reply" not in clocks(wf, t, minutes(10))
        t = wf.apply(t, "correspond", at=minutes(30), actor="agent").ticket
        assert "next_reply" not in clocks(wf, t, minutes(30))
        t = wf.apply(t, "correspond", at=minutes(40), actor="customer").ticket
        nxt = clocks(wf, t, minutes(40))["next_reply"]
        assert (nxt.state, nxt.due_at) == ("running", minutes(280))
        t = wf.apply(t, "correspond", at=minutes(60), actor="agent").ticket
        assert clocks(wf, t, minutes(60))["next_reply"].state == "met"
        t = wf.apply(t, "correspond", at=minutes(120), actor="customer").ticket
        again = clocks(wf, t, minutes(120))["next_reply"]
        assert (again.state, again.elapsed, again.due_at) == (
            "running",
            timedelta(0),
            minutes(360),
        )

    def test_the_guard_sees_the_ticket_before_the_step(self) -> None:
        """An agent reply that meets the first reply does not itself start next reply."""
        seen: list[str | None] = []

        def spy(ticket: tf.Ticket, ctx: tf.Context) -> bool:
            clock = ticket.sla_state("first_reply")
            seen.append(None if clock is None else clock.state)
            return True

        wf = tf.Workflow(
            name="spy",
            statuses=[
                tf.Status("open", initial=True),
                tf.Status("done", category="closed", terminal=True),
            ],
            transitions=[
                tf.Transition("correspond", source="open", roles={"agent", "customer"}),
                tf.Transition("finish", source="open", target="done"),
            ],
            slas=[
                tf.SLA("first_reply", target=tf.hours(1), stop_on=tf.On("correspond")),
                tf.SLA("watch", target=tf.hours(1), start_on=tf.On("correspond", guard=spy)),
            ],
        )
        t = wf.start(at=T0).ticket
        wf.apply(t, "correspond", at=minutes(5), actor="agent")
        assert seen == ["running"]

    def test_on_checks_its_fields(self) -> None:
        with pytest.raises(tf.WorkflowError, match="event must be a non-empty string"):
            tf.On("")
        with pytest.raises(tf.WorkflowError, match="guard 5 is not callable"):
            tf.On("reply", guard=5)  # type: ignore[arg-type]
        with pytest.raises(tf.WorkflowError, match="unknown event 'nope'"):
            tf.Workflow(
                name="w",
                statuses=[tf.Status("a", initial=True), tf.Status("b", category="closed")],
                transitions=[tf.Transition("go", source="a", target="b")],
                slas=[tf.SLA("s", target=tf.hours(1), stop_on=tf.On("nope", roles={"x"}))],
            )


class TestPauseIn:
    def test_solved_pauses_by_default(self) -> None:
        """The default pause_in holds pending, on_hold and solved."""
        wf = flow()
        t = wf.start(at=T0).ticket
        t = wf.apply(t, "solve", at=minutes(60), actor="agent").ticket
        res = clocks(wf, t, minutes(180))["resolution"]
        assert (res.state, res.elapsed) == ("paused", timedelta(minutes=60))

    def test_pause_in_is_the_whole_set(self) -> None:
        """An SLA whose pause_in leaves out solved keeps counting while solved."""
        wf = flow(pause_in=frozenset({"pending"}))
        t = wf.start(at=T0).ticket
        t = wf.apply(t, "solve", at=minutes(60), actor="agent").ticket
        res = clocks(wf, t, minutes(180))["resolution"]
        assert (res.state, res.elapsed) == ("running", timedelta(minutes=180))


class TestFiles:
    @pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
    def test_triggers_round_trip(self, tmp_path: Path, suffix: str) -> None:
        """On triggers are written as tables with the guard's registered name."""
        wf = flow()
        registry = {"first_reply_met": first_reply_met}
        path = tmp_path / f"flow{suffix}"
        tf.dump(wf, path, registry=registry)
        back = tf.load(path, registry=registry)
        assert back == wf
        assert back.slas[1].start_on == tf.On(
            "correspond", roles={"customer"}, guard=first_reply_met
        )
        data = wf.to_dict(registry=registry)
        assert data["slas"][0]["stop_on"] == [{"event": "correspond", "roles": ["agent"]}]
        assert data["slas"][1]["start_on"] == {
            "event": "correspond",
            "roles": ["customer"],
            "guard": "first_reply_met",
        }


def vendor_flow() -> tf.Workflow:
    """Resolution pauses while a vendor is asked, whatever the status."""
    return tf.Workflow(
        name="vendor",
        statuses=[
            tf.Status("open", category="open", initial=True),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("ask_vendor", source="open", roles={"agent"}),
            tf.Transition("vendor_replied", source="open", roles={"agent", "vendor"}),
            tf.Transition("close", source="open", target="closed", roles={"agent"}),
        ],
        slas=[
            tf.SLA(
                "resolution",
                target=tf.hours(8),
                pause_on={"ask_vendor"},
                resume_on={tf.On("vendor_replied", roles={"vendor"})},
            )
        ],
    )


class TestPauseOn:
    def test_an_event_pauses_the_clock_until_its_resume_event(self) -> None:
        """Paused from 60 to 180 minutes by events, in a status that never pauses."""
        wf = vendor_flow()
        t = wf.start(at=T0).ticket
        t = wf.apply(t, "ask_vendor", at=minutes(60), actor="agent").ticket
        held = clocks(wf, t, minutes(120))["resolution"]
        assert (held.state, held.elapsed, held.due_at) == ("paused", timedelta(hours=1), None)
        assert wf.next_deadline(t) is None
        # the agent's note is not the vendor's reply: still paused
        t = wf.apply(t, "vendor_replied", at=minutes(150), actor="agent").ticket
        assert clocks(wf, t, minutes(150))["resolution"].state == "paused"
        t = wf.apply(t, "vendor_replied", at=minutes(180), actor="vendor").ticket
        back = clocks(wf, t, minutes(180))["resolution"]
        assert (back.state, back.elapsed, back.due_at) == (
            "running",
            timedelta(hours=1),
            minutes(600),
        )

    def test_the_hold_survives_a_snapshot_round_trip(self) -> None:
        wf = vendor_flow()
        t = wf.start(at=T0).ticket
        t = wf.apply(t, "ask_vendor", at=minutes(60), actor="agent").ticket
        back = tf.Ticket.from_dict(t.to_dict())
        assert back == t
        assert back.slas[0].held

    @pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
    def test_pause_on_and_resume_on_round_trip(self, tmp_path: Path, suffix: str) -> None:
        wf = vendor_flow()
        path = tmp_path / f"vendor{suffix}"
        tf.dump(wf, path)
        assert tf.load(path) == wf


class TestTheKitWithTriggers:
    def test_the_state_machine_knows_restarts_given_as_on_triggers(self) -> None:
        """A restart by an On trigger lowers elapsed time without a false invariant failure."""
        wf = tf.Workflow(
            name="on-restarts",
            statuses=[
                tf.Status("open", initial=True),
                tf.Status("closed", category="closed", terminal=True),
            ],
            transitions=[
                tf.Transition("answer", source="open", roles={"agent"}),
                tf.Transition("ask", source="open", roles={"customer"}),
                tf.Transition("close", source="open", target="closed", roles={"agent"}),
            ],
            slas=[
                tf.SLA(
                    "reply",
                    target=tf.hours(1),
                    stop_on=tf.On("answer", roles={"agent"}),
                    restart_on=tf.On("ask", roles={"customer"}),
                )
            ],
        )
        machine = workflow_state_machine(wf)
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=examples(30),
                stateful_step_count=20,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
