"""Define a small support policy in code and print one ticket's timeline.

The policy: an agent answers; a ticket left waiting on the customer for
2 business days (Monday-Friday 09:00-17:00 in Berlin, German public holidays
off) is solved, with a reminder after 1 business day; a solved ticket closes
after 72 real hours. A reply reopens a solved ticket.

Run it with ``python examples/define_a_policy.py``.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import ticketflow as tf

BERLIN = ZoneInfo("Europe/Berlin")

calendar = tf.BusinessCalendar(
    timezone="Europe/Berlin",
    hours=tf.weekdays("09:00", "17:00"),
    holidays=tf.country_holidays("DE"),
)

policy = tf.Workflow(
    name="small-policy",
    statuses=[
        tf.Status("open", category="open", initial=True, label="Open"),
        tf.Status("waiting", category="pending", label="Waiting for you"),
        tf.Status("solved", category="solved", label="Solved"),
        tf.Status("closed", category="closed", terminal=True, label="Closed"),
    ],
    transitions=[
        tf.Transition("answer", source="open", target="waiting", roles={"agent"}),
        tf.Transition("reply", source=["waiting", "solved"], target="open", roles={"customer"}),
        tf.Transition("auto_solve", source="waiting", target="solved", roles={"system"}),
        tf.Transition(
            "auto_close", source="solved", target="closed", roles={"system"}, effects=["survey"]
        ),
    ],
    timers=[
        tf.Timer(
            "waiting",
            after=tf.business_days(2),
            event="auto_solve",
            reminders=[tf.business_days(1)],
        ),
        tf.Timer("solved", after=tf.hours(72), event="auto_close"),
    ],
    calendar=calendar,
)


def show(out: tf.Outcome) -> None:
    """Print the steps and effects of an outcome in time order, in Berlin time."""
    lines: list[tuple[datetime, int, str]] = []
    for step in out.steps:
        lines.append((step.at, 1, f"{step.event:<10} -> {step.target}"))
    for effect in out.effects:
        assert effect.at is not None
        order = 0 if effect.kind == "reminder" else 2  # reminders fire before the timer's move
        lines.append((effect.at, order, f"({effect.kind}: {effect.name})"))
    for at, _, text in sorted(lines, key=lambda line: (line[0].timestamp(), line[1])):
        print(f"{at.astimezone(BERLIN):%a %d %b %H:%M}  {text}")


def main() -> None:
    """Play one ticket: answered before Easter, solved and closed by the timers."""
    out = policy.start(at=datetime(2026, 4, 1, 10, 0, tzinfo=BERLIN), id="T-1")
    show(out)
    # Wed 1 Apr 2026, 15:00: Good Friday (3 Apr) and Easter Monday (6 Apr) are holidays
    out = policy.apply(
        out.ticket, "answer", at=datetime(2026, 4, 1, 15, 0, tzinfo=BERLIN), actor="agent"
    )
    show(out)
    print(f"next deadline: {policy.next_deadline(out.ticket):%a %d %b %H:%M %Z}")
    out = policy.advance(out.ticket, now=datetime(2026, 4, 30, tzinfo=BERLIN))
    show(out)
    print(f"final status: {out.ticket.status}")


if __name__ == "__main__":
    main()
