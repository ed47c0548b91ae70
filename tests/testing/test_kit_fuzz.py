"""Fuzzing the testing kit: any arguments give a result or a named error, within the bound."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf
from tests.bounds import FUZZ, named_or_ok
from tests.helpers import support_flow
from ticketflow import testing

FLOW = support_flow()
TICKET = FLOW.start(at=datetime(2026, 3, 2, 9, tzinfo=UTC)).ticket

#: Values of every kind an argument may be given, good and bad.
JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=6),
    st.sampled_from(["UTC", "Mars/Olympus", "America", "../etc/passwd", "days", "", "\x00"]),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.dates(),
    st.timedeltas(),
    st.lists(st.one_of(st.integers(), st.text(max_size=3)), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from([FLOW, TICKET, tf.ALWAYS_OPEN, tf.days(1), st.none(), st.integers()]),
    st.just(st.just(datetime(2026, 1, 1))),
    st.just(st.just({"vip": True})),
)

#: Each public callable of ticketflow.testing and the keywords it takes.
CALLS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "aware_datetimes": (testing.aware_datetimes, ("min_value", "max_value", "timezones")),
    "durations": (testing.durations, ("units", "min_amount", "max_amount")),
    "calendars": (
        testing.calendars,
        ("timezones", "max_intervals", "holidays", "overrides", "min_date", "max_date"),
    ),
    "workflows": (
        testing.workflows,
        ("min_statuses", "max_statuses", "timers", "slas", "guards", "calendars", "name"),
    ),
    "events": (testing.events, ("workflow", "ticket", "max_gap", "data")),
    "event_streams": (
        testing.event_streams,
        ("workflow", "min_size", "max_size", "valid_only", "start", "attrs", "max_gap"),
    ),
    "workflow_state_machine": (
        testing.workflow_state_machine,
        ("workflow", "invariants", "start", "attrs", "data", "max_gap"),
    ),
    "check_liveness": (testing.check_liveness, ("workflow",)),
}

#: Good values for the required arguments, so the others get explored too.
REQUIRED = {"workflow": FLOW, "ticket": TICKET}


class TestKitFuzz:
    @FUZZ
    @given(name=st.sampled_from(sorted(CALLS)), data=st.data())
    def test_any_arguments_give_a_result_or_a_named_error(
        self, name: str, data: st.DataObject
    ) -> None:
        """Each public name, given any arguments, returns or raises a TicketflowError in time."""
        func, keywords = CALLS[name]
        kwargs: dict[str, Any] = {}
        for key in keywords:
            if key in REQUIRED and data.draw(st.booleans(), label=f"good {key}"):
                kwargs[key] = REQUIRED[key]
            elif key in REQUIRED or data.draw(st.booleans(), label=f"give {key}"):
                kwargs[key] = data.draw(JUNK, label=key)
        result = named_or_ok(lambda: func(**kwargs), f"{name}(**{kwargs!r})")
        if isinstance(result, st.SearchStrategy):
            # what it accepted, it draws from without a raw error
            named_or_ok(lambda: data.draw(result, label="drawn"), f"a draw from {name}")
