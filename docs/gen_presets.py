"""Generate docs/presets.md from the presets themselves, so the diagrams never drift.

Run ``python docs/gen_presets.py`` after changing a preset; a test checks that
the file on disk equals what this script writes.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from ticketflow import presets

OUT = Path(__file__).resolve().parent / "presets.md"

#: For each preset, its article's words beside the rule that implements them.
RULES: dict[str, list[tuple[str, str]]] = {
    "client-portal": [
        (
            "Indicates that the ticket is waiting to be processed by a member of the support team.",
            "`open` (category `new`) is initial.",
        ),
        (
            "Information needed: Indicates that we require additional information from you",
            "`request_info` (agent): `open`, `in_progress` -> `information_needed`.",
        ),
        (
            "In progress: Indicates that an associate is working on your ticket.",
            "`start_work` (agent): `open`, `information_needed` -> `in_progress`.",
        ),
        (
            "write a message to our Support team",
            "`customer_message` (customer): `information_needed` -> `open`; stays in `open`, "
            "`in_progress`.",
        ),
        (
            "upload supporting documentation or files",
            "`attach` (customer, agent) keeps the status, updates `updated_at`.",
        ),
        (
            "After a ticket is closed, you cannot reopen it or add new messages or attachments.",
            "`close` (agent) -> `closed`, terminal: every event there raises `TransitionError`.",
        ),
    ],
    "hosting-support": [
        (
            "The support team responds to most tickets within 15 minutes on any day, at any hour.",
            "SLAs `first_response` and `next_response`: 15 business minutes on a 24/7 calendar "
            "for `support` (and tickets without a department).",
        ),
        (
            "The billing and sales teams respond ... within 15 minutes from 9 a.m.-5 p.m. "
            "eastern time (ET), Monday-Friday, excluding holidays.",
            "The same SLAs for `billing` and `sales` count on Mon-Fri 09:00-17:00 "
            "America/New_York without US federal holidays.",
        ),
        (
            "create replies",
            "`agent_reply` (agent): `open`, `customer_reply` -> `answered`, stops the clocks; "
            "`customer_reply` (customer): `answered` -> `customer_reply`, starts "
            "`next_response`.",
        ),
        ("you can close the ticket", "`close` (customer, agent) -> `closed` (terminal)."),
        (
            "rate your experience, send secure data, add recipients, attach files",
            "Internal `rate` (also on closed tickets), `send_secure_data`, `add_recipient`, "
            "`attach`.",
        ),
    ],
    "case-portal": [
        (
            "New: The case has been created and is awaiting assignment.",
            "`new` is initial; `assign` (agent) -> `assigned`.",
        ),
        (
            "Waiting For Customer ... remains in this status for 4 days, and reminders are sent "
            "out via email. On the 5th day, the ticket is marked as Resolved.",
            "Timer: reminders after `days(1)`, `days(2)`, `days(3)`; `auto_resolve` (system) "
            "after `days(4)`, wall-clock days in `timezone`.",
        ),
        (
            "Waiting For: awaiting a response from the entity listed within the Sub Status.",
            "`wait_for` (agent) sets `sub_status` from `data['entity']`.",
        ),
        (
            "Pending Support: You have written an update in the case",
            "`customer_update` (customer): `assigned`, `waiting_for_customer`, `waiting_for`, "
            "`resolved` -> `pending_support`.",
        ),
        (
            "Resolved: ... 3 days before it is automatically closed. An email reminder is sent "
            "before the case is closed.",
            "Timer: reminder `days(1)` before; `auto_close` (system) after `days(3)`.",
        ),
        (
            "If you no longer need assistance, click Close Case to close the case.",
            "`close` (customer) from every status but `closed`.",
        ),
        (
            "If you share an update in this case, a new case will be automatically created.",
            "`customer_update` on `closed` keeps it closed and emits `follow_up` with the new "
            "case.",
        ),
        ("Add Collaborator", "Internal `add_collaborator` (customer, agent)."),
    ],
    "pending-states": [
        (
            "New: Tickets are usually in this state when created from incoming e-mails.",
            "`new` (category `new`) is initial; `open` (agent) -> `open`.",
        ),
        (
            "Pending reminder: After the pending time has expired, the ticket owner will receive "
            "a reminder email concerning the ticket.",
            "`set_pending_reminder` (agent) sets `pending_until` from the event's data; at that "
            "instant the one-shot `pending_time_reached` (system) emits `notify` and the ticket "
            "stays pending.",
        ),
        (
            'Pending auto close+: Tickets in this status will be set to "Closed Successful" if '
            "the pending time has expired.",
            "`set_pending_auto_close_plus` (agent); `auto_close` (system) at `pending_until` -> "
            "`closed_successful`.",
        ),
        (
            'Pending auto close-: Tickets in this status will be set to "Closed Unsuccessful" '
            "if the pending time has expired.",
            "`set_pending_auto_close_minus` (agent); `auto_close` (system) at `pending_until` -> "
            "`closed_unsuccessful`.",
        ),
        (
            "(silent: the pending time changes while the ticket is pending)",
            "`set_pending_time` (agent) changes `pending_until` while pending and re-arms the "
            "timer; a time already past falls due at once.",
        ),
        (
            "By default, Znuny allows customers to reopen closed tickets indefinitely by simply "
            "responding",
            "`customer_reply` (customer): pending and closed statuses -> `open`; stays in `new`, "
            "`open`.",
        ),
        (
            "Merged: This is the state for tickets that have been merged with other tickets.",
            "`merge` (agent) -> `merged` (terminal).",
        ),
    ],
    "service-desk": [
        (
            "In queue for Processing / This ticket is being Processed",
            "`start_processing` (agent): `in_queue`, `reopened` -> `processing`.",
        ),
        (
            "Awaiting your Reply: We need you to provide more information",
            "`request_info` (agent): `processing`, `reopened` -> `awaiting_reply`.",
        ),
        (
            "You can always reply again to your own ticket at any time ... even when ... "
            "resolved or closed. Our system will then automatically reopen it.",
            "`customer_reply`: `awaiting_reply` -> `processing`; `resolved`, `closed` -> "
            "`reopened`; stays elsewhere. `closed` is not terminal.",
        ),
        (
            "when ... your ticket is set to the status 'resolved', a survey will be displayed",
            "`resolve` (agent) emits a `survey` effect.",
        ),
        (
            "Any ticket resolved will be automatically closed after 48h",
            "Timer: `auto_close` after `hours(48)`, real hours across DST.",
        ),
        (
            "Any ticket awaiting for your reply for more than 7 days will be automatically "
            "closed after ... a brief reminder",
            "Timer: `auto_close` after `days(7)` with a reminder `days(1)` before.",
        ),
    ],
    "help-center": [
        (
            "Filter the tickets by their status: Open or pending ... Resolved or closed",
            "`statuses_in('open', 'pending', 'on_hold')`, `statuses_in('solved', 'closed')`.",
        ),
        (
            "Awaiting your reply: Our team has contacted you",
            "`reply` (agent): `open`, `it_working` -> `awaiting_reply`.",
        ),
        (
            "IT working: Your request needs the intervention of our IT team.",
            "`escalate_it` (agent): `open`, `awaiting_reply` -> `it_working`.",
        ),
        (
            "A ticket automatically switches from 'Awaiting your reply' to 'Resolved' in five "
            "working days ... We will send you an email",
            "Timer: `auto_resolve` after `business_days(5)` (Madrid, Mon-Fri 09:00-18:00, "
            "Spanish national holidays), with a `notify` effect.",
        ),
        (
            "Within three working days, a ticket in 'Resolved' status automatically changes to "
            "'Closed'",
            "Timer: `auto_close` after `business_days(3)`, with a `survey` effect.",
        ),
        (
            "You can reopen the ticket at any time ... If you want to reopen the request, "
            "please write to us again",
            "`customer_reply` (customer): `awaiting_reply`, `resolved`, `closed` -> `open`.",
        ),
        (
            "Mark ticket as closed ... you will be able to answer a satisfaction survey",
            "`close` (customer, agent) from every status but `closed`, with a `survey` effect.",
        ),
        ("Add people to conversation", "Internal `add_people` (customer, agent)."),
    ],
    "zendesk-sla": [
        (
            "(paraphrased) First reply time runs from the ticket's creation to the first "
            "public comment by an agent; a policy sets targets by priority, in calendar or "
            "business hours.",
            "SLA `first_reply`: `hours(1)` when `priority` is `urgent`, else "
            "`business_hours(8)`; stopped by an agent's `agent_reply`, `request_info` or "
            "`solve`; never paused.",
        ),
        (
            "(paraphrased) Next reply time runs from a requester's comment to the next "
            "public comment by an agent.",
            "SLA `next_reply`: `business_hours(4)`, started and restarted by "
            '`On("customer_comment", roles={"customer"}, guard=first_reply_done)`.',
        ),
        (
            "(paraphrased) Requester wait time counts the time the ticket waits on the "
            "team, not the time it waits on the requester.",
            "SLA `requester_wait`: `business_hours(16)`, paused in `pending`, `on_hold` and "
            "`solved`, stopped on `closed`.",
        ),
        (
            "(paraphrased) Business-hour targets count on the account's schedule and its holidays.",
            'Mon-Fri 09:00-17:00 America/New_York with `country_holidays("US")`.',
        ),
        (
            "(paraphrased) Triggers and automations can act on the time left before a "
            "breach and on breached tickets.",
            "Every SLA: `warn_before=(minutes(30),)` and `escalate_after=(hours(1), hours(4))`.",
        ),
        (
            "(paraphrased) Ticket statuses: New, Open, Pending, On-hold, Solved, Closed.",
            "`customer_comment` reopens `pending`, `on_hold`, `solved`; `close` (system) "
            "after `days(4)` in `solved`.",
        ),
    ],
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    """The whole of docs/presets.md."""
    lines = [
        "# Presets",
        "",
        "<!-- Generated by docs/gen_presets.py from the presets themselves; do not edit. -->",
        "",
        "Each preset turns one help-center article (or product manual page) into a",
        "workflow, built only from the public API. Build one with",
        "`ticketflow.presets.get(name, **overrides)` (`-` or `_` both work) or call its",
        "factory; every factory takes `timezone=` and `calendar=`.",
        "`ticketflow demo NAME` plays a scripted ticket through it.",
        "",
    ]
    for name in presets.names():
        wf = presets.get(name)
        factory = getattr(presets, name.replace("-", "_"))
        doc = inspect.getdoc(factory) or ""
        lines += [
            f"## `{name}`",
            "",
            f"{wf.description}",
            "",
            "| Status | Category | Label | Meaning |",
            "| --- | --- | --- | --- |",
        ]
        for s in wf.statuses:
            lines.append(
                f"| `{s.name}` | {s.category} | {_cell(s.title)} | {_cell(s.description or '')} |"
            )
        lines += ["", "```mermaid", wf.to_mermaid().rstrip("\n"), "```", ""]
        lines += ["| The article says | The preset does |", "| --- | --- |"]
        for words, rule in RULES[name]:
            lines.append(f"| {_cell(words)} | {_cell(rule)} |")
        lines += ["", f"From `ticketflow.presets.{factory.__name__}`:", "", "```text", doc, "```"]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Write docs/presets.md, or with ``--check`` report whether it is current."""
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run python docs/gen_presets.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
