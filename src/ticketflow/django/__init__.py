"""ticketflow for Django projects: ``INSTALLED_APPS += ["ticketflow.django"]``.

The app keeps each ticket's snapshot in a row of :class:`~ticketflow.django.models.TicketState`
(or of a model of your own built on :class:`~ticketflow.django.models.TicketflowModel`),
with indexed ``workflow``, ``workflow_version``, ``status``, ``version`` and
``next_deadline`` columns. :mod:`ticketflow.django.store` runs the engine on a
locked row, writes it back with a version check and hands each change to the
configured handler in the same transaction; ``manage.py ticketflow_sweep``
advances the tickets that fell due and ``manage.py ticketflow_adopt`` takes
over rows that existed before ticketflow did.

Settings (all in one ``TICKETFLOW`` dict)::

    TICKETFLOW = {
        "WORKFLOWS": ["myproject.flow.WORKFLOW"],    # dotted paths to Workflow objects
        "HANDLER": "myproject.flow.on_change",       # called with each Change, in the transaction
        "ADOPT": "myproject.flow.adoptable",         # for ticketflow_adopt: yields Adoption records
    }

Import the submodules (``ticketflow.django.store``, ``.models``) only once
Django is set up; this package itself imports nothing from Django.
"""
