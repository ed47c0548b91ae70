"""``python -m ticketflow``: the same as the ``ticketflow`` command."""

from ticketflow.cli import main

raise SystemExit(main())
