"""A snapshot exactly as ``to_dict`` writes it is read a shorter way than any other mapping.

``Ticket.from_dict`` takes a plain ``dict`` of the written shape without building
the error locations the full reading builds; any other mapping (here a read-only
view of the same dict) goes the full way. Both ways must give the same ticket, or
the same error with the same message, for real snapshots and for mutated ones: a
value the shorter way accepted that the full reading refuses would be a check lost.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf
from tests.bounds import FUZZ
from tests.hardening.test_snapshot_fuzz import mutations, played
from tests.helpers import at, support_flow

# 2 March 2026 is a Monday; 09:00 UTC is 04:00 in New York (EST, UTC-5)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _read(data: Any) -> tuple[str, Any]:
    """What from_dict makes of ``data``: ("ok", the ticket) or ("error", its message)."""
    try:
        return "ok", tf.Ticket.from_dict(data)
    except tf.SnapshotError as exc:
        return "error", str(exc)


def _same_both_ways(data: dict[str, Any]) -> None:
    """``data`` reads the same as a plain dict and as a read-only view of it."""
    plain, full = _read(data), _read(MappingProxyType(data))
    assert plain[0] == full[0], (plain, full)
    if plain[0] == "error":
        assert plain[1] == full[1]
        return
    ours, theirs = plain[1], full[1]
    assert ours == theirs
    assert ours.workflow_version == theirs.workflow_version
    assert ours.to_dict() == theirs.to_dict()
    for name in ("created_at", "updated_at", "status_since", "timers_since"):
        assert getattr(ours, name).tzinfo == getattr(theirs, name).tzinfo, name
    for mine, other in zip(ours.agenda, theirs.agenda, strict=True):
        assert mine.at.tzinfo == other.at.tzinfo


def _stored(ticket: tf.Ticket) -> dict[str, Any]:
    stored: dict[str, Any] = json.loads(json.dumps(ticket.to_dict()))
    return stored


def _waiting_ticket() -> tf.Ticket:
    """The support ticket asked for details: a reminder and a timer in its agenda."""
    wf = support_flow()
    ticket = wf.start(at=at(0), id="T-1", attrs={"tier": "gold", "seen": at(0)}).ticket
    ticket = wf.apply(ticket, "assign", at=at(1), actor="agent").ticket
    return wf.apply(ticket, "ask", at=at(2), actor="agent").ticket


def _sla_ticket() -> tf.Ticket:
    """A ticket with an SLA clock that warns, counted in New York."""
    wf = tf.Workflow(
        name="clocked",
        statuses=[
            tf.Status("new", initial=True),
            tf.Status("done", category="closed", terminal=True),
        ],
        transitions=[tf.Transition("finish", source="new", target="done")],
        slas=[tf.SLA("first_reply", target=timedelta(hours=8), warn_at=[0.5])],
    )
    return wf.start(at=START.astimezone(ZoneInfo("America/New_York")), id="S-1").ticket


class TestSnapshotReading:
    @pytest.mark.parametrize("make", [_waiting_ticket, _sla_ticket])
    def test_a_written_snapshot_reads_back_equal(self, make: Any) -> None:
        """What to_dict wrote reads back as the ticket, both ways."""
        ticket = make()
        data = _stored(ticket)
        assert tf.Ticket.from_dict(data) == ticket
        _same_both_ways(data)

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("schema", 2.0),  # equal to 2, but not an int
            ("schema", True),
            ("version", True),
            ("version", 0),
            ("version", 2**63),
            ("id", 7),
            ("workflow_version", 1),
            ("created_at", "2026-03-02T09:00:00"),  # no offset
            ("created_at", "2026-03-02T09:00:00+00:00[]"),  # an empty zone
            ("created_at", "2026-03-02T09:00:00+00:00]"),
            ("created_at", "2026-03-02T09:00:00+00:00[Nowhere/City]"),
            ("created_at", "1900-01-01T00:00:00+01:00"),  # 31 Dec 1899 23:00 UTC: too early
            ("created_at", "1901-01-01T00:00:00+01:00"),
            ("updated_at", "2999-12-31T23:00:00-05:00"),  # 1 Jan 3000 04:00 UTC: too late
            ("updated_at", "2026-03-02T10:59:59+00:00"),  # before status_since (11:00)
            ("timers_since", "2026-03-02T10:00:00+00:00"),  # before status_since
            ("attrs", None),
            ("attrs", {"$datetime": "2026-03-02T09:00:00+00:00", "x": 1}),
            ("agenda", [["2026-03-02T12:00:00+00:00", "reminder", "auto_resolve", 0, -1]]),
            ("agenda", [["2026-03-02T12:00:00+00:00", "timer", "auto_resolve", 0, 1]]),
            ("agenda", [["2026-03-02T12:00:00+00:00", "timer", "auto_resolve", True, 0]]),
            ("agenda", [["2026-03-02T12:00:00+00:00", "nap", "auto_resolve", 0, 0]]),
            ("slas", [{"name": "x"}]),
        ],
    )
    def test_a_changed_value_reads_the_same_both_ways(self, key: str, value: Any) -> None:
        """Each value the shorter way must not take alone is refused or taken as in full."""
        data = _stored(_waiting_ticket())
        data[key] = value
        _same_both_ways(data)

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("elapsed", float("nan")),
            ("elapsed", -1),
            ("elapsed", True),
            ("elapsed", 10**12),
            ("index", -1),
            ("escalated", 2**31),
            ("breached", 1),  # a breached clock keeps its due_at: this one has it
            ("stopped", True),  # a running clock is not stopped
            ("started", False),  # a clock that has not started has no state
            ("held", None),
            ("warned", [1, 1]),
            ("warned", [0]),
            ("warned", [True]),
            ("warned", [2]),  # a level beyond the SLA's one warning: the workflow's check
            ("warned", (1,)),
            ("cycles", [["2026-03-02T09:00:00+00:00", "2026-03-02T10:00:00+00:00", "met", 0, 1]]),
            ("cycles", [["2026-03-02T09:00:00+00:00"]]),
            ("cycles", None),
            ("due_at", None),
            ("due_at", "2026-03-02T17:00:00+00:00[UTC]"),
            ("running_since", "2026-03-02T09:00:00"),
            ("started_at", "2026-03-02T04:00:00-05:00[America/New_York]"),
            ("ended_at", 0),
        ],
    )
    def test_a_changed_clock_reads_the_same_both_ways(self, key: str, value: Any) -> None:
        """Each clock value the shorter way must not take alone is refused or taken as in full."""
        data = _stored(_sla_ticket())
        data["slas"][0][key] = value
        _same_both_ways(data)

    def test_an_agenda_out_of_order_is_refused_both_ways(self) -> None:
        """The agenda's order is checked the shorter way too."""
        data = _stored(_waiting_ticket())
        data["agenda"].reverse()
        assert _read(data)[0] == "error"
        _same_both_ways(data)

    def test_an_unknown_key_reads_the_same_both_ways(self) -> None:
        """A key to_dict does not write sends the snapshot the full way."""
        data = _stored(_waiting_ticket())
        data["extra"] = 1
        _same_both_ways(data)

    @FUZZ
    @given(played(), st.data())
    def test_a_mutated_snapshot_reads_the_same_both_ways(
        self, case: tuple[tf.Workflow, tf.Ticket], data: st.DataObject
    ) -> None:
        """Any mutation of a real snapshot: the same ticket or the same error."""
        _, ticket = case
        _same_both_ways(_stored(ticket))
        _same_both_ways(data.draw(mutations(ticket.to_dict()), label="stored"))
