"""``ticketflow.presets.names()`` and ``get()``, and what every preset shares."""

from __future__ import annotations

import pytest

import ticketflow as tf
from ticketflow import presets

NAMES = (
    "case-portal",
    "client-portal",
    "help-center",
    "hosting-support",
    "pending-states",
    "service-desk",
    "zendesk-sla",
)


class TestRegistry:
    def test_names(self) -> None:
        """names() lists the seven presets, sorted, with dashes."""
        assert presets.names() == NAMES

    @pytest.mark.parametrize("name", NAMES)
    def test_get_with_dashes_or_underscores(self, name: str) -> None:
        """get() accepts 'case-portal' and 'case_portal' alike and builds the named workflow."""
        a = presets.get(name)
        b = presets.get(name.replace("-", "_"))
        assert isinstance(a, tf.Workflow)
        assert a.name == b.name == name
        assert a.statuses == b.statuses

    def test_get_passes_overrides(self) -> None:
        """Keyword overrides reach the preset's factory."""
        wf = presets.get("service_desk", timezone="Europe/Paris")
        assert isinstance(wf.calendar, tf.BusinessCalendar)
        assert wf.calendar.timezone == "Europe/Paris"

    def test_unknown_override_is_a_type_error(self) -> None:
        """A keyword the factory does not take raises TypeError."""
        with pytest.raises(TypeError, match="colour"):
            presets.get("case-portal", colour="blue")

    def test_unknown_name_raises_naming_it(self) -> None:
        """An unknown name raises UnknownPresetError, a TicketflowError and LookupError, naming
        it.
        """
        with pytest.raises(presets.UnknownPresetError) as info:
            presets.get("jira-cloud")
        err = info.value
        assert isinstance(err, tf.TicketflowError)
        assert isinstance(err, LookupError)
        assert not isinstance(err, KeyError)
        assert (err.name, err.known) == ("jira-cloud", NAMES)
        assert str(err) == (
            "unknown preset 'jira-cloud' (known: case-portal, client-portal, help-center, "
            "hosting-support, pending-states, service-desk, zendesk-sla)"
        )

    def test_factories_are_exported(self) -> None:
        """Each preset is also a factory function of the presets package."""
        factories = [
            presets.case_portal,
            presets.client_portal,
            presets.help_center,
            presets.hosting_support,
            presets.pending_states,
            presets.service_desk,
            presets.zendesk_sla,
        ]
        assert [f().name for f in factories] == list(NAMES)


class TestEveryPreset:
    @pytest.mark.parametrize("name", NAMES)
    def test_every_status_has_words(self, name: str) -> None:
        """Every status carries a label and a description for the portal to show."""
        wf = presets.get(name)
        assert all(s.label and s.description for s in wf.statuses)

    @pytest.mark.parametrize("name", NAMES)
    def test_timed_moves_are_the_systems(self, name: str) -> None:
        """Each timer's event is sent by role 'system' alone."""
        wf = presets.get(name)
        for timer in wf.timers:
            roles = {t.roles for t in wf.transitions if t.event == timer.event}
            assert roles == {frozenset({"system"})}

    @pytest.mark.parametrize("name", NAMES)
    def test_timezone_override(self, name: str) -> None:
        """Every preset takes timezone=."""
        wf = presets.get(name, timezone="Asia/Kolkata")
        assert wf.name == name
        cals = [wf.calendar, *(s.calendar for s in wf.slas)]
        assert all(c.timezone == "Asia/Kolkata" for c in cals if isinstance(c, tf.BusinessCalendar))
