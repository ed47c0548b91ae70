"""The helpdesk's rules as a ticketflow workflow, on django-helpdesk's own status codes.

Madrid office hours (Mon-Fri 09:00-18:00, Spanish national and Madrid
holidays); an agent's resolve arms an auto-close 3 business days later with a
reminder 1 business day before; a customer reply reopens; the first response
is due within 4 business hours.
"""

from helpdesk import settings as helpdesk_settings

import ticketflow as tf

MADRID = tf.BusinessCalendar(
    timezone="Europe/Madrid",
    hours=tf.weekdays("09:00", "18:00"),
    holidays=tf.country_holidays("ES", subdiv="MD"),
)

WORKFLOW = tf.Workflow(
    name="helpdesk",
    statuses=[
        tf.Status("open", initial=True, code=helpdesk_settings.OPEN_STATUS),
        tf.Status("reopened", code=helpdesk_settings.REOPENED_STATUS),
        tf.Status("resolved", category="solved", code=helpdesk_settings.RESOLVED_STATUS),
        tf.Status("closed", category="closed", code=helpdesk_settings.CLOSED_STATUS),
        tf.Status(
            "duplicate", category="closed", terminal=True, code=helpdesk_settings.DUPLICATE_STATUS
        ),
    ],
    transitions=[
        tf.Transition("agent_reply", source="*", target=None, roles={"agent"}),
        tf.Transition(
            "customer_reply", source=["open", "reopened"], target=None, roles={"customer"}
        ),
        tf.Transition(
            "customer_reply", source=["resolved", "closed"], target="reopened", roles={"customer"}
        ),
        tf.Transition("resolve", source=["open", "reopened"], target="resolved", roles={"agent"}),
        tf.Transition("reopen", source=["resolved", "closed"], target="reopened", roles={"agent"}),
        tf.Transition(
            "close",
            source=["open", "reopened", "resolved"],
            target="closed",
            roles={"agent", "customer"},
        ),
        tf.Transition(
            "auto_close",
            source="resolved",
            target="closed",
            roles={"system"},
            effects=["auto_closed"],
        ),
        tf.Transition("mark_duplicate", source="*", target="duplicate", roles={"agent"}),
    ],
    timers=[
        tf.Timer(
            "resolved",
            after=tf.business_days(3),
            event="auto_close",
            remind_before=[tf.business_days(1)],
        )
    ],
    slas=[
        tf.SLA(
            "first_response",
            target=tf.business_hours(4),
            stop_on={"agent_reply", "resolve", "close"},
        )
    ],
    calendar=MADRID,
)
