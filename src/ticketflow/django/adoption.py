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
        since: When it entered its status (aware).
        status: The workflow status it is in, by name; or
        code: the project's own value for it (``tf.Status(..., code=...)``),
            looked up with ``Workflow.status_by_code``. Give one of the two.
        attrs: Its attributes.
        created_at: When it was created (defaults to ``since``).
    """

    workflow: str
    ticket_id: str
    since: datetime
    status: str | None = None
    code: int | str | None = None
    attrs: Mapping[str, Any] | None = None
    created_at: datetime | None = None
