"""What ``TICKETFLOW["ADOPT"]`` lists: one :class:`Adoption` per existing ticket."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import frozen

__all__ = ["Adoption"]


@frozen
class Adoption:
    """An existing ticket to take over with ``Workflow.adopt``.

    Attributes:
        workflow: The workflow's name.
        ticket_id: The ticket's id.
        status: The workflow status it is in (``wf.status_by_code(row.status).name``).
        since: When it entered that status (aware).
        attrs: Its attributes.
        created_at: When it was created (defaults to ``since``).
    """

    workflow: str
    ticket_id: str
    status: str
    since: datetime
    attrs: Mapping[str, Any] | None = None
    created_at: datetime | None = None
