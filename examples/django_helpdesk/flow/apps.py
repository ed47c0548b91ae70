"""The example's app: connects the glue to django-helpdesk's signals."""

from django.apps import AppConfig


class FlowConfig(AppConfig):
    name = "flow"

    def ready(self) -> None:
        from . import glue  # noqa: F401, PLC0415 (connects the receivers once apps are loaded)
