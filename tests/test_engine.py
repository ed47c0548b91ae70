"""The pure engine: start, apply, allowed, replay, rejections and snapshots."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from tests.helpers import T0, at, support_flow


@pytest.fixture(scope="module")
def wf() -> tf.Workflow:
    return support_flow()


class TestStart:
    def test_new_ticket_is_in_initial_status(self, wf: tf.Workflow) -> None:
        """A new ticket starts in the initial status at version 1 with one start step."""
        out = wf.start(at=T0, id="T-1", attrs={"priority": "high"})
        t = out.ticket
        assert (t.status, t.version, t.id, t.workflow) == ("new", 1, "T-1", "support")
        assert t.created_at == t.updated_at == t.status_since == T0
        assert t.attrs == {"priority": "high"}
        assert t.sub_status is None
        assert out.steps == (tf.Step("start", None, "new", T0, None),)
        assert out.effects == ()

    def test_engine_never_invents_an_id(self, wf: tf.Workflow) -> None:
        """Without an id the ticket has none."""
        assert wf.start(at=T0).ticket.id is None

    def test_attrs_are_copied(self, wf: tf.Workflow) -> None:
        """Changing the caller's dict afterwards does not change the ticket."""
        attrs = {"a": 1}
        t = wf.start(at=T0, attrs=attrs).ticket
        attrs["a"] = 2
        assert t.attrs == {"a": 1}

    def test_naive_start_raises(self, wf: tf.Workflow) -> None:
        """A naive datetime raises NaiveDatetimeError, a ValueError."""
        with pytest.raises(tf.NaiveDatetimeError, match="naive"):
            wf.start(at=datetime(2026, 1, 1, 9))
        assert issubclass(tf.NaiveDatetimeError, ValueError)


class TestApply:
    def test_move_records_step_and_bumps_version(self, wf: tf.Workflow) -> None:
        """A move changes status, status_since, updated_at and version by one."""
        t0 = wf.start(at=T0).ticket
        out = wf.apply(t0, "assign", at=at(1), actor="agent")
        t = out.ticket
        assert (t.status, t.version, t.status_since, t.updated_at) == ("assigned", 2, at(1), at(1))
        assert t.created_at == T0
        assert out.steps == (tf.Step("assign", "new", "assigned", at(1), "agent"),)

    def test_internal_transition_keeps_status_and_status_since(self, wf: tf.Workflow) -> None:
        """A target=None transition keeps the status and when it was entered."""
        t1 = wf.apply(wf.start(at=T0).ticket, "assign", at=at(1), actor="agent").ticket
        out = wf.apply(t1, "comment", at=at(2), actor="customer")
        assert out.ticket.status == "assigned"
        assert out.ticket.status_since == at(1)
        assert out.ticket.version == 3
        assert out.steps[0].source == out.steps[0].target == "assigned"

    def test_unknown_event_raises_transition_error_listing_allowed(self, wf: tf.Workflow) -> None:
        """An event the status does not take raises TransitionError with .allowed."""
        t = wf.start(at=T0).ticket
        with pytest.raises(tf.TransitionError) as info:
            wf.apply(t, "resolve", at=at(1), actor="agent")
        assert info.value.status == "new"
        assert info.value.event == "resolve"
        assert info.value.allowed == ("assign", "close", "comment", "escalate")
        assert "resolve" in str(info.value)

    def test_wrong_role_raises_not_permitted(self, wf: tf.Workflow) -> None:
        """A role not listed raises NotPermitted naming the actor."""
        t = wf.start(at=T0).ticket
        with pytest.raises(tf.NotPermitted, match="customer") as info:
            wf.apply(t, "assign", at=at(1), actor="customer")
        assert info.value.roles == ("agent",)
        assert isinstance(info.value, tf.TransitionError)

    def test_missing_actor_is_not_permitted_when_roles_are_set(self, wf: tf.Workflow) -> None:
        """actor=None may only send events with roles=None."""
        t = wf.start(at=T0).ticket
        with pytest.raises(tf.NotPermitted):
            wf.apply(t, "assign", at=at(1))
        assert wf.apply(t, "comment", at=at(1)).ticket.version == 2

    def test_guard_rejects(self, wf: tf.Workflow) -> None:
        """A guard that says no raises GuardRejected naming it."""
        t = wf.start(at=T0).ticket
        with pytest.raises(tf.GuardRejected, match="is_vip"):
            wf.apply(t, "escalate", at=at(1), actor="agent")

    def test_guard_accepts(self, wf: tf.Workflow) -> None:
        """A guard that says yes lets the move happen."""
        t = wf.start(at=T0, attrs={"vip": True}).ticket
        assert wf.apply(t, "escalate", at=at(1), actor="agent").ticket.status == "assigned"

    def test_guard_sees_context(self) -> None:
        """A guard receives the ticket and a Context with event, at, actor, data."""
        seen: list[tf.Context] = []

        def spy(ticket: tf.Ticket, ctx: tf.Context) -> bool:
            seen.append(ctx)
            return True

        wf = tf.Workflow(
            name="g",
            statuses=[tf.Status("a", initial=True), tf.Status("b", terminal=True)],
            transitions=[tf.Transition("go", source="a", target="b", guard=spy)],
        )
        wf.apply(wf.start(at=T0).ticket, "go", at=at(1), actor="x", data={"k": 1})
        assert seen == [tf.Context("go", at(1), "x", {"k": 1})]
        assert seen[0].data == {"k": 1}

    def test_rejected_event_changes_nothing(self, wf: tf.Workflow) -> None:
        """After a rejection the input ticket is equal to what it was."""
        t = wf.start(at=T0).ticket
        before = t.to_dict()
        for event, actor in [("resolve", "agent"), ("assign", "customer"), ("escalate", "agent")]:
            with pytest.raises(tf.TransitionError):
                wf.apply(t, event, at=at(1), actor=actor)
        assert t.to_dict() == before

    def test_out_of_order_raises(self, wf: tf.Workflow) -> None:
        """An event earlier than the last change raises OutOfOrderError."""
        t = wf.apply(wf.start(at=T0).ticket, "assign", at=at(2), actor="agent").ticket
        with pytest.raises(tf.OutOfOrderError, match="earlier"):
            wf.apply(t, "ask", at=at(1), actor="agent")

    def test_same_instant_is_in_order(self, wf: tf.Workflow) -> None:
        """Two events at the same instant are both accepted."""
        t = wf.apply(wf.start(at=T0).ticket, "assign", at=T0, actor="agent").ticket
        assert wf.apply(t, "ask", at=T0, actor="agent").ticket.status == "waiting"

    def test_naive_at_raises(self, wf: tf.Workflow) -> None:
        """apply with a naive at raises NaiveDatetimeError."""
        t = wf.start(at=T0).ticket
        with pytest.raises(tf.NaiveDatetimeError):
            wf.apply(t, "assign", at=datetime(2026, 3, 2, 10), actor="agent")

    def test_effect_kind_string_is_emitted_with_at_and_event_name(self, wf: tf.Workflow) -> None:
        """A kind string becomes Effect(kind, name=event, at=...)."""
        t = wf.apply(wf.start(at=T0).ticket, "assign", at=at(1), actor="agent").ticket
        out = wf.apply(t, "resolve", at=at(2), actor="agent")
        assert out.effects == (tf.Effect("survey", "resolve", at(2), None),)

    def test_effect_template_keeps_name_and_data(self) -> None:
        """An Effect template is emitted with its own name and a copy of its data."""
        tpl = tf.Effect("notify", name="resolved-mail", data={"template": "r1"})
        wf = tf.Workflow(
            name="e",
            statuses=[tf.Status("a", initial=True), tf.Status("b", terminal=True)],
            transitions=[tf.Transition("go", source="a", target="b", effects=[tpl])],
        )
        out = wf.apply(wf.start(at=T0).ticket, "go", at=at(1))
        assert out.effects == (tf.Effect("notify", "resolved-mail", at(1), {"template": "r1"}),)

    def test_sub_status_from_data_then_cleared_on_entry(self, wf: tf.Workflow) -> None:
        """A callable sub_status reads the event's data; entering another status clears it."""
        t = wf.apply(wf.start(at=T0).ticket, "assign", at=at(1), actor="agent").ticket
        t = wf.apply(t, "hold", at=at(2), actor="agent", data={"entity": "vendor"}).ticket
        assert (t.status, t.sub_status) == ("on_hold", "Waiting For: vendor")
        t2 = wf.apply(t, "comment", at=at(3), actor="agent").ticket
        assert t2.sub_status == "Waiting For: vendor"
        t3 = wf.apply(t2, "reply", at=at(4), actor="customer").ticket
        assert (t3.status, t3.sub_status) == ("assigned", None)

    def test_fixed_sub_status(self) -> None:
        """A string sub_status is set as given."""
        wf = tf.Workflow(
            name="s",
            statuses=[tf.Status("a", initial=True), tf.Status("b", terminal=True)],
            transitions=[tf.Transition("go", source="a", target="b", sub_status="vendor")],
        )
        assert wf.apply(wf.start(at=T0).ticket, "go", at=at(1)).ticket.sub_status == "vendor"

    def test_terminal_status_takes_only_its_named_internal_event(self, wf: tf.Workflow) -> None:
        """A closed ticket refuses '*' events and takes only events naming it."""
        t = wf.apply(wf.start(at=T0).ticket, "close", at=at(1), actor="agent").ticket
        assert wf.allowed(t, actor="customer") == ("reply",)
        for event in ("comment", "close", "assign"):
            with pytest.raises(tf.TransitionError):
                wf.apply(t, event, at=at(2), actor="agent")

    def test_follow_up_carries_a_new_ticket_referencing_the_parent(self, wf: tf.Workflow) -> None:
        """A follow_up effect carries a new ticket in the initial status, started then."""
        t = wf.start(at=T0, id="P-1", attrs={"priority": "low"}).ticket
        t = wf.apply(t, "close", at=at(1), actor="agent").ticket
        out = wf.apply(t, "reply", at=at(5), actor="customer")
        assert out.ticket.status == "closed"
        (effect,) = out.effects
        assert (effect.kind, effect.name, effect.at) == ("follow_up", "reply", at(5))
        assert effect.data is not None
        child = effect.data["ticket"]
        assert effect.data["parent"] == "P-1"
        assert (child.status, child.created_at, child.id, child.version) == ("new", at(5), None, 1)
        assert child.attrs == {"priority": "low", "follow_up_of": "P-1"}


class TestAllowed:
    def test_allowed_by_role(self, wf: tf.Workflow) -> None:
        """allowed() lists the events the role may send, guards included."""
        t = wf.start(at=T0).ticket
        assert wf.allowed(t, actor="agent") == ("assign", "close", "comment")
        assert wf.allowed(t, actor="customer") == ("comment",)
        vip = wf.start(at=T0, attrs={"vip": True}).ticket
        assert wf.allowed(vip, actor="customer") == ("comment", "escalate")

    def test_allowed_matches_apply(self, wf: tf.Workflow) -> None:
        """Every allowed event applies; every other known event raises."""
        t = wf.start(at=T0).ticket
        for actor in ("agent", "customer", "system", None):
            ok = set(wf.allowed(t, actor=actor, at=at(1)))
            for event in wf.events():
                if event in ok:
                    wf.apply(t, event, at=at(1), actor=actor)
                else:
                    with pytest.raises(tf.TransitionError):
                        wf.apply(t, event, at=at(1), actor=actor)


class TestReplay:
    def test_replay_equals_stepwise(self, wf: tf.Workflow) -> None:
        """Folding a log equals start + apply one by one."""
        log = [
            {"name": "start", "at": T0, "data": {"vip": True}, "id": "R-1"},
            {"name": "escalate", "at": at(1), "actor": "agent"},
            tf.Event("ask", at(2), "agent"),
            {"name": "reply", "at": at(3).isoformat(), "actor": "customer"},
        ]
        out = wf.replay(log)  # type: ignore[arg-type]
        t = wf.start(at=T0, id="R-1", attrs={"vip": True}).ticket
        t = wf.apply(t, "escalate", at=at(1), actor="agent").ticket
        t = wf.apply(t, "ask", at=at(2), actor="agent").ticket
        t = wf.apply(t, "reply", at=at(3), actor="customer").ticket
        assert out.ticket == t
        assert [s.event for s in out.steps] == ["start", "escalate", "ask", "reply"]

    @pytest.mark.parametrize(
        ("log", "match"),
        [
            ([], "empty"),
            ([{"name": "assign", "at": T0}], "begins with 'start'"),
            ([{"name": "start", "at": T0}, {"name": "start", "at": T0}], "only come first"),
            ([{"name": "start"}], "missing 'at'"),
            ([{"name": "start", "at": "yesterday"}], "not an ISO"),
            ([{"name": "start", "at": T0, "who": 1}], "unknown key"),
            (["start"], "expected an Event"),
        ],
    )
    def test_bad_logs_raise_event_log_error(
        self, wf: tf.Workflow, log: list[object], match: str
    ) -> None:
        """A malformed log raises EventLogError naming the entry."""
        with pytest.raises(tf.EventLogError, match=match):
            wf.replay(log)  # type: ignore[arg-type]


class TestSnapshot:
    def test_round_trip_is_exact_and_json_safe(self, wf: tf.Workflow) -> None:
        """to_dict is JSON-safe and from_dict restores an equal ticket, zones included."""
        madrid = ZoneInfo("Europe/Madrid")
        t = wf.start(at=T0.astimezone(madrid), id="S-1", attrs={"n": [1, 2]}).ticket
        t = wf.apply(t, "assign", at=at(1), actor="agent").ticket
        t = wf.apply(t, "ask", at=at(2), actor="agent").ticket
        data = json.loads(json.dumps(t.to_dict()))
        back = tf.Ticket.from_dict(data)
        assert back == t
        assert back.created_at.tzinfo == madrid
        assert back.to_dict() == t.to_dict()
        assert data["schema"] == 2

    def test_newer_schema_raises(self, wf: tf.Workflow) -> None:
        """A snapshot from a newer schema raises SnapshotError."""
        data = wf.start(at=T0).ticket.to_dict()
        data["schema"] = 99
        with pytest.raises(tf.SnapshotError, match="newer"):
            tf.Ticket.from_dict(data)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("status", None),
            ("version", "2"),
            ("version", 0),
            ("created_at", "not a date"),
            ("updated_at", "2026-01-01T10:00:00"),
            ("attrs", []),
            ("agenda", [["x"]]),
            ("id", 5),
            ("schema", True),
        ],
    )
    def test_malformed_field_raises_naming_it(
        self, wf: tf.Workflow, field: str, value: object
    ) -> None:
        """A malformed field raises SnapshotError naming the field (or the item within it)."""
        data = wf.start(at=T0).ticket.to_dict()
        data[field] = value
        with pytest.raises(tf.SnapshotError, match=field) as info:
            tf.Ticket.from_dict(data)
        assert info.value.field is not None
        assert info.value.field.split("[")[0] == field

    def test_missing_field_raises(self, wf: tf.Workflow) -> None:
        """A missing field raises SnapshotError naming it."""
        data = wf.start(at=T0).ticket.to_dict()
        del data["timers_since"]
        with pytest.raises(tf.SnapshotError, match="timers_since"):
            tf.Ticket.from_dict(data)

    def test_unknown_status_in_snapshot_is_rejected_by_engine(self, wf: tf.Workflow) -> None:
        """A restored ticket in a status the workflow lacks raises TransitionError."""
        data = wf.start(at=T0).ticket.to_dict()
        data["status"] = "limbo"
        t = tf.Ticket.from_dict(data)
        with pytest.raises(tf.TransitionError, match="limbo"):
            wf.apply(t, "assign", at=at(1), actor="agent")

    def test_utc_round_trip(self) -> None:
        """A UTC datetime survives the round trip."""
        wf = support_flow()
        t = wf.start(at=datetime(2026, 1, 1, tzinfo=UTC)).ticket
        assert tf.Ticket.from_dict(t.to_dict()).created_at.utcoffset() == timedelta(0)


class TestDiagram:
    def test_mermaid_lists_every_status_and_edge(self, wf: tf.Workflow) -> None:
        """The Mermaid diagram has a node per status and an edge per (source, event)."""
        text = wf.to_mermaid()
        assert text.startswith("stateDiagram-v2\n")
        for s in wf.statuses:
            assert f" as {s.name}" in text
        assert "[*] --> new" in text
        assert "closed --> [*]" in text
        assert "waiting --> resolved: auto_resolve [system] after 48 hours" in text
        assert "closed --> closed: reply [customer]" in text


class TestStaleSnapshots:
    def test_agenda_entry_unknown_to_the_workflow_raises(self) -> None:
        """A snapshot whose agenda names a timer this workflow lacks raises SnapshotError."""
        wf = support_flow()
        t = wf.apply(wf.start(at=T0).ticket, "assign", at=at(1), actor="agent").ticket
        t = wf.apply(t, "ask", at=at(2), actor="agent").ticket
        data = t.to_dict()
        data["agenda"][0][2] = "renamed"
        stale = tf.Ticket.from_dict(data)
        with pytest.raises(tf.SnapshotError, match="'renamed'") as info:
            wf.advance(stale, now=at(100))
        assert info.value.field == "agenda[0]"

    def test_sla_clock_unknown_to_the_workflow_raises(self) -> None:
        """A snapshot with an SLA clock the workflow does not define raises SnapshotError."""
        with_sla = support_flow(slas=[tf.SLA("reply", target=tf.hours(1))])
        data = with_sla.start(at=T0).ticket.to_dict()
        data["workflow_version"] = None  # stored before snapshots recorded their version
        t = tf.Ticket.from_dict(data)
        with pytest.raises(tf.SnapshotError, match="'reply'"):
            support_flow().apply(t, "assign", at=at(1), actor="agent")
